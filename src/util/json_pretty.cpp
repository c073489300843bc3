#include "util/json_pretty.h"

#include <boost/json/serialize.hpp>

namespace nga {

namespace json = boost::json;

namespace {

void Write(const json::value& value, int depth, std::string& out) {
  const std::string indent(static_cast<size_t>(depth + 1) * 2, ' ');
  const std::string closing(static_cast<size_t>(depth) * 2, ' ');
  if (value.is_object() && !value.get_object().empty()) {
    out += "{\n";
    bool first = true;
    for (const auto& [key, item] : value.get_object()) {
      if (!first) out += ",\n";
      first = false;
      out += indent + json::serialize(json::string(key)) + ": ";
      Write(item, depth + 1, out);
    }
    out += "\n" + closing + "}";
  } else if (value.is_array() && !value.get_array().empty()) {
    out += "[\n";
    bool first = true;
    for (const auto& item : value.get_array()) {
      if (!first) out += ",\n";
      first = false;
      out += indent;
      Write(item, depth + 1, out);
    }
    out += "\n" + closing + "]";
  } else {
    out += json::serialize(value);  // scalars, {} and []
  }
}

}  // namespace

std::string PrettyJson(const json::value& value) {
  std::string out;
  Write(value, 0, out);
  out += "\n";
  return out;
}

}  // namespace nga

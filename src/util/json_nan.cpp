#include "util/json_nan.h"

#include <cmath>

namespace nga {

// Recursive: the parsers that produce these values cap nesting at 32.
bool ContainsNaN(const boost::json::value& value) {
  switch (value.kind()) {
    case boost::json::kind::double_:
      return std::isnan(value.get_double());
    case boost::json::kind::array:
      for (const auto& item : value.get_array()) {
        if (ContainsNaN(item)) return true;
      }
      return false;
    case boost::json::kind::object:
      for (const auto& member : value.get_object()) {
        if (ContainsNaN(member.value())) return true;
      }
      return false;
    default:
      return false;
  }
}

}  // namespace nga

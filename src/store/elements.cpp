#include "store/elements.h"

#include <boost/json/serialize.hpp>
#include <cmath>
#include <string>

#include "store/validate.h"
#include "util/utf8.h"

namespace nga {

namespace json = boost::json;

namespace {

Error Invalid(std::string message) {
  return MakeError(ErrorCode::kInvalidArgument, std::move(message));
}

Result<json::object> Element(std::size_t index, const json::object& in) {
  const std::string at = "elements[" + std::to_string(index) + "]";
  json::object out;
  // The strings every annotation has, "" when the overlay did not know.
  for (std::string_view key : {"componentName", "componentFilePath", "selector"}) {
    std::string_view text;
    if (const json::value* v = FindField(in, key)) {
      auto checked = CheckString(at + "." + std::string(key), *v, limits::kShortFieldChars);
      if (!checked) return checked.error();
      text = *checked;
    }
    out[key] = text;
  }
  for (std::string_view key : {"templateFilePath", "framework", "elementPath"}) {
    if (const json::value* v = FindField(in, key)) {
      auto checked = CheckString(at + "." + std::string(key), *v, limits::kShortFieldChars);
      if (!checked) return checked.error();
      out[key] = *checked;
    }
  }
  for (std::string_view key : {"sourceLocation", "boundingBox", "anchor"}) {
    if (const json::value* v = FindField(in, key)) {
      std::string field = at + "." + std::string(key);
      if (!v->is_object() && !v->is_string() && !v->is_array())
        return Invalid(field + " must be an object, an array or a string");
      if (auto ok = CheckStructured(field, *v, limits::kElementContextBytes); !ok)
        return ok.error();
      out[key] = *v;
    }
  }

  json::object inputs;
  if (const json::value* v = FindField(in, "inputs")) {
    if (!v->is_object()) return Invalid(at + ".inputs must be an object");
    if (auto ok = CheckStructured(at + ".inputs", *v, limits::kElementInputsBytes); !ok)
      return ok.error();
    inputs = v->get_object();
  }
  out["inputs"] = std::move(inputs);

  if (const json::value* v = FindField(in, "domSnapshot")) {
    if (!v->is_string()) return Invalid(at + ".domSnapshot must be a string");
    std::string_view full = v->get_string();
    if (!IsValidUtf8(full)) return Invalid(at + ".domSnapshot is not valid UTF-8");
    std::string snapshot(TruncateCodePoints(full, limits::kElementDomSnapshotChars));
    if (snapshot.size() < full.size()) snapshot.append(limits::kTruncatedMarker);
    out["domSnapshot"] = snapshot;
  }

  json::array tree;
  if (const json::value* v = FindField(in, "componentTreePath")) {
    std::string field = at + ".componentTreePath";
    if (!v->is_array()) return Invalid(field + " must be an array of strings");
    if (v->get_array().size() > limits::kElementTreeEntries)
      return TooLong(field, limits::kElementTreeEntries, "entries");
    for (const auto& item : v->get_array()) {
      auto name = CheckString(field + " entry", item, limits::kShortFieldChars);
      if (!name) return name.error();
      tree.emplace_back(*name);
    }
  }
  out["componentTreePath"] = std::move(tree);
  return out;
}

}  // namespace

Result<json::array> ValidateElements(const json::value& elements) {
  if (!elements.is_array()) return Invalid("elements must be an array of objects");
  const json::array& in = elements.get_array();
  if (in.size() > limits::kExtraElements) {
    return MakeError(ErrorCode::kLimitExceeded,
                     "elements has " + std::to_string(in.size()) + " entries (the limit is " +
                         std::to_string(limits::kExtraElements) + " besides the first element)");
  }
  json::array out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (!in[i].is_object()) return Invalid("elements[" + std::to_string(i) + "] must be an object");
    auto element = Element(i, in[i].get_object());
    if (!element) return element.error();
    out.emplace_back(std::move(*element));
  }
  if (std::size_t bytes = json::serialize(out).size(); bytes > limits::kElementsBytes) {
    return MakeError(ErrorCode::kLimitExceeded, "elements add up to " + std::to_string(bytes) +
                                                    " bytes as JSON (the limit is " +
                                                    std::to_string(limits::kElementsBytes) + ")");
  }
  return out;
}

Result<json::object> ValidateRegion(const json::value& region) {
  if (!region.is_object()) return Invalid("region must be an object {x, y, width, height}");
  const json::object& in = region.get_object();
  json::object out;
  for (std::string_view key : {"x", "y", "width", "height"}) {
    const json::value* v = FindField(in, key);
    std::string field = "region." + std::string(key);
    if (!v || !v->is_number()) return Invalid(field + " must be a number");
    double n = v->to_number<double>();
    bool side = key == "width" || key == "height";
    if (!std::isfinite(n) || std::abs(n) > limits::kRegionMaxCoordinate || (side && n <= 0)) {
      return Invalid(field + (side ? " must be > 0 and at most " : " must be within ±") +
                     std::to_string(static_cast<long long>(limits::kRegionMaxCoordinate)));
    }
    out[key] = n;
  }
  return out;
}

}  // namespace nga

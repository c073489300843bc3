#include "store/validate.h"

#include <boost/json/serialize.hpp>
#include <string>

#include "store/elements.h"
#include "store/page_context.h"
#include "util/utf8.h"

namespace nga {

namespace json = boost::json;

namespace {

Error Invalid(std::string message) {
  return MakeError(ErrorCode::kInvalidArgument, std::move(message));
}

bool IsBlank(std::string_view text) {
  return text.find_first_not_of(" \t\r\n\f\v") == std::string_view::npos;
}

// All strings inside a JSON value must be valid UTF-8.
bool AllStringsUtf8(const json::value& value) {
  switch (value.kind()) {
    case json::kind::string:
      return IsValidUtf8(value.get_string());
    case json::kind::array:
      for (const auto& item : value.get_array())
        if (!AllStringsUtf8(item)) return false;
      return true;
    case json::kind::object:
      for (const auto& [key, item] : value.get_object())
        if (!IsValidUtf8(key) || !AllStringsUtf8(item)) return false;
      return true;
    default:
      return true;
  }
}

}  // namespace

Error TooLong(std::string_view field, std::size_t limit, std::string_view unit) {
  return MakeError(ErrorCode::kLimitExceeded, std::string(field) + " is too long (the limit is " +
                                                  std::to_string(limit) + " " + std::string(unit) +
                                                  ")");
}

const json::value* FindField(const json::object& object, std::string_view key) {
  const json::value* value = object.if_contains(key);
  return value && !value->is_null() ? value : nullptr;
}

Result<std::string_view> CheckString(std::string_view field, const json::value& value,
                                     std::size_t max_chars) {
  if (!value.is_string()) return Invalid(std::string(field) + " must be a string");
  std::string_view text = value.get_string();
  if (!IsValidUtf8(text)) return Invalid(std::string(field) + " is not valid UTF-8");
  if (CountCodePoints(text) > max_chars) return TooLong(field, max_chars, "characters");
  return text;
}

Status CheckStructured(std::string_view field, const json::value& value, std::size_t max_bytes) {
  if (!AllStringsUtf8(value)) return Invalid(std::string(field) + " is not valid UTF-8");
  if (json::serialize(value).size() > max_bytes) return TooLong(field, max_bytes, "bytes as JSON");
  return Ok{};
}

Result<json::object> ValidateAnnotationPayload(const json::object& payload) {
  json::object out;

  // The request itself.
  const json::value* text = FindField(payload, "annotationText");
  if (!text) return Invalid("annotationText is required");
  auto annotation_text = CheckString("annotationText", *text, limits::kAnnotationTextChars);
  if (!annotation_text) return annotation_text.error();
  if (IsBlank(*annotation_text)) return Invalid("annotationText must not be empty");
  out["annotationText"] = *annotation_text;

  if (const json::value* v = FindField(payload, "selectionText")) {
    auto selection = CheckString("selectionText", *v, limits::kAnnotationTextChars);
    if (!selection) return selection.error();
    out["selectionText"] = *selection;
  }

  // Where it is in the code: short strings, "" when the overlay did not know.
  for (std::string_view field : {"componentName", "componentFilePath", "selector"}) {
    std::string_view text_value;
    if (const json::value* v = FindField(payload, field)) {
      auto checked = CheckString(field, *v, limits::kShortFieldChars);
      if (!checked) return checked.error();
      text_value = *checked;
    }
    out[field] = text_value;
  }
  // buildId and sourceId: a preview build's page (browser/preview_source.h).
  for (std::string_view field :
       {"templateFilePath", "pageUrl", "framework", "buildId", "sourceId"}) {
    if (const json::value* v = FindField(payload, field)) {
      auto checked = CheckString(field, *v, limits::kShortFieldChars);
      if (!checked) return checked.error();
      out[field] = *checked;
    }
  }

  // inputs: any JSON object, bounded in size.
  json::object inputs;
  if (const json::value* v = FindField(payload, "inputs")) {
    if (!v->is_object()) return Invalid("inputs must be an object");
    if (auto ok = CheckStructured("inputs", *v, limits::kInputsBytes); !ok) return ok.error();
    inputs = v->get_object();
  }
  out["inputs"] = std::move(inputs);

  // domSnapshot: cut, not refused, when long (SPEC §3).
  std::string snapshot;
  if (const json::value* v = FindField(payload, "domSnapshot")) {
    if (!v->is_string()) return Invalid("domSnapshot must be a string");
    std::string_view full = v->get_string();
    if (!IsValidUtf8(full)) return Invalid("domSnapshot is not valid UTF-8");
    bool already_cut =
        full.ends_with(limits::kTruncatedMarker) &&
        CountCodePoints(full) <= limits::kDomSnapshotChars + limits::kTruncatedMarker.size();
    std::string_view kept =
        already_cut ? full : TruncateCodePoints(full, limits::kDomSnapshotChars);
    snapshot.assign(kept);
    if (kept.size() < full.size()) snapshot.append(limits::kTruncatedMarker);
  }
  out["domSnapshot"] = snapshot;

  // componentTreePath: ancestor names, root first.
  json::array tree;
  if (const json::value* v = FindField(payload, "componentTreePath")) {
    if (!v->is_array()) return Invalid("componentTreePath must be an array of strings");
    if (v->get_array().size() > 256) return TooLong("componentTreePath", 256, "entries");
    for (const auto& item : v->get_array()) {
      auto name = CheckString("componentTreePath entry", item, limits::kShortFieldChars);
      if (!name) return Invalid("componentTreePath must be an array of strings");
      tree.emplace_back(*name);
    }
  }
  out["componentTreePath"] = std::move(tree);

  // Free-form overlay context: kept as sent, bounded in size.
  for (std::string_view field :
       {"sourceLocation", "boundingBox", "viewport", "elementPath", "anchor"}) {
    if (const json::value* v = FindField(payload, field)) {
      if (!v->is_object() && !v->is_string() && !v->is_array()) {
        return Invalid(std::string(field) + " must be an object, an array or a string");
      }
      if (auto ok = CheckStructured(field, *v, limits::kContextBytes); !ok) return ok.error();
      out[field] = *v;
    }
  }

  // What the page said and how the element looks (page_context.h): page
  // text, bounded and cut rather than refused when long.
  if (const json::value* v = FindField(payload, "pageLog")) {
    auto log = ValidatePageLog(*v);
    if (!log) return log.error();
    out["pageLog"] = std::move(*log);
  }
  if (const json::value* v = FindField(payload, "computedStyles")) {
    auto styles = ValidateComputedStyles(*v);
    if (!styles) return styles.error();
    out["computedStyles"] = std::move(*styles);
  }
  if (const json::value* v = FindField(payload, "accessibility")) {
    auto accessibility = ValidateAccessibility(*v);
    if (!accessibility) return accessibility.error();
    out["accessibility"] = std::move(*accessibility);
  }

  // Several elements or an area (elements.h): the first element stays in
  // the fields above, the others and the area's rectangle come here.
  if (const json::value* v = FindField(payload, "elements")) {
    auto elements = ValidateElements(*v);
    if (!elements) return elements.error();
    if (!elements->empty()) out["elements"] = std::move(*elements);
  }
  if (const json::value* v = FindField(payload, "region")) {
    auto region = ValidateRegion(*v);
    if (!region) return region.error();
    out["region"] = std::move(*region);
  }

  // Every field within its limit can still add up to a lot.
  if (std::size_t total = json::serialize(out).size(); total > limits::kAnnotationBytes) {
    return MakeError(ErrorCode::kLimitExceeded,
                     "the annotation is too large: its fields add up to " + std::to_string(total) +
                         " bytes as JSON (the limit is " +
                         std::to_string(limits::kAnnotationBytes) + ")");
  }
  return out;
}

Status ValidateMessage(std::string_view field, std::string_view message) {
  if (!IsValidUtf8(message)) return Invalid(std::string(field) + " is not valid UTF-8");
  if (IsBlank(message)) return Invalid(std::string(field) + " must not be empty");
  if (CountCodePoints(message) > limits::kReplyChars) {
    return TooLong(field, limits::kReplyChars, "characters");
  }
  return Ok{};
}

Status ValidateDiff(std::string_view diff) {
  if (!IsValidUtf8(diff)) return Invalid("diff is not valid UTF-8");
  if (IsBlank(diff)) return Invalid("diff must not be empty");
  if (diff.size() > limits::kDiffBytes) return TooLong("diff", limits::kDiffBytes, "bytes");
  return Ok{};
}

}  // namespace nga

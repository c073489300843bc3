#include "store/page_context.h"

#include <boost/json/serialize.hpp>
#include <initializer_list>
#include <string>

#include "store/validate.h"
#include "util/utf8.h"

namespace nga {

namespace json = boost::json;

namespace {

Error Invalid(std::string message) {
  return MakeError(ErrorCode::kInvalidArgument, std::move(message));
}

// `text` cut to `max_chars` code points, ending with the cut marker.
std::string Cut(std::string_view text, std::size_t max_chars) {
  if (CountCodePoints(text) <= max_chars) return std::string(text);
  std::string out(TruncateCodePoints(text, max_chars - CountCodePoints(limits::kPageTextCut)));
  out.append(limits::kPageTextCut);
  return out;
}

// A string field of page text: UTF-8, cut when long.
Result<std::string> PageText(std::string_view field, const json::value& value,
                             std::size_t max_chars) {
  if (!value.is_string()) return Invalid(std::string(field) + " must be a string");
  std::string_view text = value.get_string();
  if (!IsValidUtf8(text)) return Invalid(std::string(field) + " is not valid UTF-8");
  return Cut(text, max_chars);
}

// One of `allowed`, else an error naming them.
Result<std::string_view> OneOf(std::string_view field, const json::value* value,
                               std::initializer_list<std::string_view> allowed) {
  std::string names;
  for (std::string_view name : allowed) {
    if (value && value->is_string() && value->get_string() == name) return name;
    names += (names.empty() ? "" : ", ") + std::string(name);
  }
  return Invalid(std::string(field) + " must be one of " + names);
}

struct TextField {
  std::string_view name;
  std::size_t max_chars;
  bool required;
};

// Copies the listed text fields of `entry` into `out`.
Status CopyText(std::string_view what, const json::object& entry,
                std::initializer_list<TextField> fields, json::object& out) {
  for (const TextField& field : fields) {
    std::string name = std::string(what) + "." + std::string(field.name);
    const json::value* value = FindField(entry, field.name);
    if (!value) {
      if (field.required) return Invalid(name + " is required");
      continue;
    }
    auto text = PageText(name, *value, field.max_chars);
    if (!text) return text.error();
    out[field.name] = std::move(*text);
  }
  return Ok{};
}

Result<json::object> ConsoleEntry(const json::object& entry) {
  json::object out;
  auto level = OneOf("pageLog.console[].level", FindField(entry, "level"), {"error", "warn"});
  if (!level) return level.error();
  out["level"] = *level;
  if (auto ok = CopyText("pageLog.console[]", entry,
                         {{"message", limits::kPageLogMessageChars, true},
                          {"time", limits::kPageLogShortChars, false}},
                         out);
      !ok) {
    return ok.error();
  }
  return out;
}

Result<json::object> ErrorEntry(const json::object& entry) {
  json::object out;
  auto kind = OneOf("pageLog.errors[].kind", FindField(entry, "kind"), {"error", "rejection"});
  if (!kind) return kind.error();
  out["kind"] = *kind;
  if (auto ok = CopyText("pageLog.errors[]", entry,
                         {{"message", limits::kPageLogMessageChars, true},
                          {"stack", limits::kPageLogStackChars, false},
                          {"source", limits::kPageLogShortChars, false},
                          {"time", limits::kPageLogShortChars, false}},
                         out);
      !ok) {
    return ok.error();
  }
  return out;
}

Result<json::object> RequestEntry(const json::object& entry) {
  json::object out;
  auto kind =
      OneOf("pageLog.requests[].kind", FindField(entry, "kind"), {"fetch", "xhr", "resource"});
  if (!kind) return kind.error();
  out["kind"] = *kind;
  if (auto ok = CopyText("pageLog.requests[]", entry,
                         {{"method", limits::kPageLogShortChars, false},
                          {"url", limits::kPageLogUrlChars, true},
                          {"error", limits::kPageLogShortChars, false},
                          {"time", limits::kPageLogShortChars, false}},
                         out);
      !ok) {
    return ok.error();
  }
  if (const json::value* status = FindField(entry, "status")) {
    if (!status->is_number()) return Invalid("pageLog.requests[].status must be a number");
    double code = status->to_number<double>();
    if (code < 0 || code > 999) return Invalid("pageLog.requests[].status must be 0..999");
    out["status"] = static_cast<std::int64_t>(code);
  }
  return out;
}

std::int64_t DroppedCount(const json::object& log, std::string_view list) {
  const json::value* dropped = FindField(log, "dropped");
  if (!dropped || !dropped->is_object()) return 0;
  const json::value* count = FindField(dropped->get_object(), list);
  if (!count || !count->is_number()) return 0;
  double n = count->to_number<double>();
  return n > 0 && n < 1e15 ? static_cast<std::int64_t>(n) : 0;
}

}  // namespace

Result<json::object> ValidatePageLog(const json::value& log) {
  if (!log.is_object()) return Invalid("pageLog must be an object");
  const json::object& in = log.get_object();
  struct List {
    std::string_view name;
    Result<json::object> (*entry)(const json::object&);
    json::array kept;
    std::int64_t dropped;
  };
  List lists[] = {{"console", &ConsoleEntry, {}, DroppedCount(in, "console")},
                  {"errors", &ErrorEntry, {}, DroppedCount(in, "errors")},
                  {"requests", &RequestEntry, {}, DroppedCount(in, "requests")}};
  for (List& list : lists) {
    const json::value* value = FindField(in, list.name);
    if (!value) continue;
    std::string name = "pageLog." + std::string(list.name);
    if (!value->is_array()) return Invalid(name + " must be an array");
    const json::array& entries = value->get_array();
    // The newest entries are the last ones; older ones past the limit go.
    std::size_t skip =
        entries.size() > limits::kPageLogEntries ? entries.size() - limits::kPageLogEntries : 0;
    list.dropped += static_cast<std::int64_t>(skip);
    for (std::size_t i = skip; i < entries.size(); ++i) {
      if (!entries[i].is_object()) return Invalid(name + " entries must be objects");
      auto entry = list.entry(entries[i].get_object());
      if (!entry) return entry.error();
      list.kept.emplace_back(std::move(*entry));
    }
  }

  auto assemble = [&] {
    json::object out;
    json::object dropped;
    for (const List& list : lists) {
      out[list.name] = list.kept;
      if (list.dropped > 0) dropped[list.name] = list.dropped;
    }
    if (!dropped.empty()) out["dropped"] = std::move(dropped);
    return out;
  };
  // Over the byte bound: the oldest entry of the longest list goes first.
  // Sizes are counted once per entry (an entry and its comma), with room
  // kept for the `dropped` counts the removals add.
  constexpr std::size_t kDroppedRoom = 96;
  std::size_t bytes = json::serialize(assemble()).size();
  while (bytes + kDroppedRoom > limits::kPageLogBytes) {
    List* longest = &lists[0];
    for (List& list : lists)
      if (list.kept.size() > longest->kept.size()) longest = &list;
    if (longest->kept.empty()) break;
    bytes -= json::serialize(longest->kept.front()).size() + 1;
    longest->kept.erase(longest->kept.begin());
    ++longest->dropped;
  }
  json::object out = assemble();
  return out;
}

Result<json::object> ValidateComputedStyles(const json::value& styles) {
  if (!styles.is_object()) return Invalid("computedStyles must be an object");
  const json::object& in = styles.get_object();
  if (in.size() > limits::kComputedStyleEntries) {
    return MakeError(ErrorCode::kLimitExceeded,
                     "computedStyles has too many properties (the limit is " +
                         std::to_string(limits::kComputedStyleEntries) + ")");
  }
  json::object out;
  for (const auto& [key, value] : in) {
    std::string_view name = key;
    bool css_name = !name.empty() && name.size() <= limits::kComputedStyleNameChars &&
                    name.find_first_not_of("abcdefghijklmnopqrstuvwxyz-") == std::string_view::npos;
    if (!css_name) {
      return Invalid("computedStyles keys must be CSS property names (a-z and -, at most " +
                     std::to_string(limits::kComputedStyleNameChars) + ")");
    }
    auto text =
        PageText("computedStyles." + std::string(name), value, limits::kComputedStyleValueChars);
    if (!text) return text.error();
    out[name] = std::move(*text);
  }
  return out;
}

Result<json::object> ValidateAccessibility(const json::value& accessibility) {
  if (!accessibility.is_object()) return Invalid("accessibility must be an object");
  json::object out;
  if (auto ok = CopyText("accessibility", accessibility.get_object(),
                         {{"role", limits::kAccessibleRoleChars, false},
                          {"name", limits::kAccessibleNameChars, false}},
                         out);
      !ok) {
    return ok.error();
  }
  return out;
}

}  // namespace nga

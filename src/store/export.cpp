#include "store/export.h"

#include <string>

namespace nga {

namespace json = boost::json;

Result<json::object> ExportStore(Store& store) {
  auto sessions = store.ListSessions();
  if (!sessions) return sessions.error();
  auto annotations = store.ListAnnotations({});
  if (!annotations) return annotations.error();
  auto heartbeat = store.LastAgentHeartbeat();
  if (!heartbeat) return heartbeat.error();

  json::object out;
  json::object& session_map = out["sessions"].emplace_object();
  for (const auto& session : *sessions) session_map[session.id] = ToJson(session);
  json::object& annotation_map = out["annotations"].emplace_object();
  // ng-annotate-mcp's store.json: its statuses (ToLegacyForm keeps ours beside them).
  for (const auto& annotation : *annotations) {
    json::object record = ToJson(annotation);
    ToLegacyForm(annotation.status, record);
    annotation_map[annotation.id] = std::move(record);
  }
  if (*heartbeat) out["lastAgentHeartbeat"] = FormatIso8601(**heartbeat);
  return out;
}

namespace {

// The records of one map, in the order they appear.
template <class T, class Parse>
Result<std::vector<T>> ReadMap(const json::object& document, std::string_view key, Parse parse) {
  std::vector<T> out;
  const json::value* map = document.if_contains(key);
  if (!map || map->is_null()) return out;
  if (!map->is_object()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     std::string(key) + " must be an object keyed by id");
  }
  for (const auto& [id, record] : map->get_object()) {
    auto parsed = parse(record);
    if (!parsed) return parsed.error();
    out.push_back(std::move(*parsed));
  }
  return out;
}

}  // namespace

Result<ImportCounts> ImportStore(Store& store, const json::value& document) {
  if (!document.is_object()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "the import file must hold an object {sessions, annotations}");
  }
  const auto& object = document.get_object();
  auto sessions = ReadMap<Session>(object, "sessions", SessionFromJson);
  if (!sessions) return sessions.error();
  auto annotations = ReadMap<Annotation>(object, "annotations", AnnotationFromJson);
  if (!annotations) return annotations.error();
  std::optional<Millis> heartbeat;
  if (const json::value* v = object.if_contains("lastAgentHeartbeat"); v && v->is_string()) {
    heartbeat = ParseIso8601(v->get_string());
  }
  if (auto ok = store.Import(*sessions, *annotations, heartbeat); !ok) return ok.error();
  return ImportCounts{sessions->size(), annotations->size()};
}

}  // namespace nga

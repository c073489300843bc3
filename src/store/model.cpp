#include "store/model.h"

#include <string>

#include "store/validate.h"

namespace nga {

namespace json = boost::json;

const char* StatusName(AnnotationStatus status) {
  switch (status) {
    case AnnotationStatus::kPending:
      return "pending";
    case AnnotationStatus::kAcknowledged:
      return "acknowledged";
    case AnnotationStatus::kDiffProposed:
      return "diff_proposed";
    case AnnotationStatus::kResolved:
      return "resolved";
    case AnnotationStatus::kDismissed:
      return "dismissed";
    case AnnotationStatus::kAccepted:
      return "accepted";
  }
  return "pending";
}

std::optional<AnnotationStatus> ParseStatus(std::string_view name) {
  for (auto status : {AnnotationStatus::kPending, AnnotationStatus::kAcknowledged,
                      AnnotationStatus::kDiffProposed, AnnotationStatus::kResolved,
                      AnnotationStatus::kDismissed, AnnotationStatus::kAccepted}) {
    if (name == StatusName(status)) return status;
  }
  return std::nullopt;
}

bool IsTerminal(AnnotationStatus status) {
  return status == AnnotationStatus::kResolved || status == AnnotationStatus::kDismissed ||
         status == AnnotationStatus::kAccepted;
}

const char* LegacyStatusName(AnnotationStatus status) {
  // Accepted is resolved with the user's approval on top: for a client that
  // cannot tell them apart, the work is done either way.
  if (status == AnnotationStatus::kAccepted) return StatusName(AnnotationStatus::kResolved);
  return StatusName(status);
}

void ToLegacyForm(AnnotationStatus status, json::object& json) {
  const char* legacy = LegacyStatusName(status);
  json["status"] = legacy;
  if (std::string_view(legacy) != StatusName(status)) json["ngAnnotateStatus"] = StatusName(status);
}

const char* AuthorName(Author author) { return author == Author::kAgent ? "agent" : "user"; }

const char* DiffResponseName(DiffResponse response) {
  return response == DiffResponse::kApproved ? "approved" : "rejected";
}

namespace {

std::string_view StringField(const json::object& object, std::string_view key) {
  const json::value* value = object.if_contains(key);
  return value && value->is_string() ? std::string_view(value->get_string()) : std::string_view();
}

Error BadField(std::string_view what, std::string_view field) {
  return MakeError(ErrorCode::kInvalidArgument,
                   std::string(what) + ": field " + std::string(field) + " is missing or invalid");
}

// Reads a required timestamp field.
Result<Millis> TimeField(const json::object& object, std::string_view what,
                         std::string_view field) {
  auto parsed = ParseIso8601(StringField(object, field));
  if (!parsed) return BadField(what, field);
  return *parsed;
}

}  // namespace

std::string_view Annotation::annotation_text() const {
  return StringField(request, "annotationText");
}
std::string_view Annotation::component_name() const {
  return StringField(request, "componentName");
}
std::string_view Annotation::component_file_path() const {
  return StringField(request, "componentFilePath");
}
std::optional<Author> Annotation::last_reply_author() const {
  if (replies.empty()) return std::nullopt;
  return replies.back().author;
}

json::object ToJson(const Session& session) {
  return json::object{{"id", session.id},
                      {"createdAt", FormatIso8601(session.created_at)},
                      {"lastSeenAt", FormatIso8601(session.last_seen_at)},
                      {"active", session.active},
                      {"url", session.url},
                      {"yoloMode", session.yolo_mode}};
}

json::object ToJson(const Reply& reply) {
  json::object out{{"id", reply.id},
                   {"createdAt", FormatIso8601(reply.created_at)},
                   {"author", AuthorName(reply.author)},
                   {"message", reply.message}};
  if (reply.author_name) out["authorName"] = *reply.author_name;
  return out;
}

json::object ToJson(const Annotation& annotation) {
  json::object out;
  out.reserve(annotation.request.size() + 9);
  out["id"] = annotation.id;
  out["sessionId"] = annotation.session_id;
  out["createdAt"] = FormatIso8601(annotation.created_at);
  out["updatedAt"] = FormatIso8601(annotation.updated_at);
  out["status"] = StatusName(annotation.status);
  for (const auto& [key, value] : annotation.request) out[key] = value;
  json::array replies;
  replies.reserve(annotation.replies.size());
  for (const auto& reply : annotation.replies) replies.emplace_back(ToJson(reply));
  out["replies"] = std::move(replies);
  if (annotation.diff) out["diff"] = *annotation.diff;
  if (annotation.diff_response) out["diffResponse"] = DiffResponseName(*annotation.diff_response);
  if (annotation.author_name) out["authorName"] = *annotation.author_name;
  if (annotation.status_by) out["statusBy"] = *annotation.status_by;
  return out;
}

json::object ToListJson(const Annotation& annotation) {
  json::object out = ToJson(annotation);
  for (std::string_view field : kDetailOnlyFields) out.erase(field);
  return out;
}

json::array ToJson(const std::vector<Annotation>& annotations) {
  json::array out;
  out.reserve(annotations.size());
  for (const auto& annotation : annotations) out.emplace_back(ToJson(annotation));
  return out;
}

Result<Session> SessionFromJson(const json::value& value) {
  constexpr std::string_view what = "session";
  if (!value.is_object())
    return MakeError(ErrorCode::kInvalidArgument, "a session must be an object");
  const auto& object = value.get_object();
  Session session;
  session.id = StringField(object, "id");
  if (session.id.empty()) return BadField(what, "id");
  auto created = TimeField(object, what, "createdAt");
  if (!created) return created.error();
  session.created_at = *created;
  auto seen = ParseIso8601(StringField(object, "lastSeenAt"));
  session.last_seen_at = seen ? *seen : session.created_at;
  const json::value* active = object.if_contains("active");
  session.active = active && active->is_bool() && active->get_bool();
  session.url = StringField(object, "url");
  const json::value* yolo = object.if_contains("yoloMode");
  session.yolo_mode = yolo && yolo->is_bool() && yolo->get_bool();
  return session;
}

Result<Annotation> AnnotationFromJson(const json::value& value) {
  constexpr std::string_view what = "annotation";
  if (!value.is_object()) {
    return MakeError(ErrorCode::kInvalidArgument, "an annotation must be an object");
  }
  const auto& object = value.get_object();
  Annotation annotation;
  annotation.id = StringField(object, "id");
  if (annotation.id.empty()) return BadField(what, "id");
  annotation.session_id = StringField(object, "sessionId");
  if (annotation.session_id.empty()) return BadField(what, "sessionId");
  auto created = TimeField(object, what, "createdAt");
  if (!created) return created.error();
  annotation.created_at = *created;
  auto updated = ParseIso8601(StringField(object, "updatedAt"));
  annotation.updated_at = updated ? *updated : annotation.created_at;
  auto status = ParseStatus(StringField(object, "status"));
  if (!status) return BadField(what, "status");
  annotation.status = *status;
  // An export's legacy form (ToLegacyForm) keeps our own status beside it.
  if (auto own = ParseStatus(StringField(object, "ngAnnotateStatus"));
      own && LegacyStatusName(*own) == std::string_view(StatusName(*status))) {
    annotation.status = *own;
  }

  if (const json::value* replies = object.if_contains("replies"); replies && !replies->is_null()) {
    if (!replies->is_array()) return BadField(what, "replies");
    for (const auto& item : replies->get_array()) {
      if (!item.is_object()) return BadField(what, "replies");
      const auto& r = item.get_object();
      Reply reply;
      reply.id = StringField(r, "id");
      auto at = ParseIso8601(StringField(r, "createdAt"));
      std::string_view author = StringField(r, "author");
      if (reply.id.empty() || !at || (author != "agent" && author != "user")) {
        return BadField(what, "replies");
      }
      reply.created_at = *at;
      reply.author = author == "agent" ? Author::kAgent : Author::kUser;
      reply.message = StringField(r, "message");
      if (const auto* name = r.if_contains("authorName"); name && name->is_string()) {
        reply.author_name = std::string(name->get_string());
      }
      annotation.replies.push_back(std::move(reply));
    }
  }
  if (const json::value* diff = object.if_contains("diff"); diff && diff->is_string()) {
    annotation.diff = std::string(diff->get_string());
  }
  std::string_view response = StringField(object, "diffResponse");
  if (response == "approved") annotation.diff_response = DiffResponse::kApproved;
  if (response == "rejected") annotation.diff_response = DiffResponse::kRejected;
  if (const auto* name = object.if_contains("authorName"); name && name->is_string()) {
    annotation.author_name = std::string(name->get_string());
  }
  if (const auto* name = object.if_contains("statusBy"); name && name->is_string()) {
    annotation.status_by = std::string(name->get_string());
  }

  auto request = ValidateAnnotationPayload(object);
  if (!request) {
    return MakeError(request.error().code,
                     "annotation " + annotation.id + ": " + request.error().message);
  }
  annotation.request = std::move(*request);
  return annotation;
}

}  // namespace nga

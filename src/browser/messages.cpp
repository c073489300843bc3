#include "browser/messages.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <utility>

#include "store/validate.h"
#include "util/base64.h"
#include "util/json_nan.h"

namespace nga::browser {

static_assert(limits::kAnnotationBytes + kMaxScreenshotBase64Chars + 64 * 1024 < kMaxFrameBytes,
              "an annotation and its screenshot must fit in one frame");

namespace {

namespace json = boost::json;

struct TypeName {
  std::string_view name;
  ClientMessageType type;
};

constexpr std::array<TypeName, 12> kTypes{{
    {"annotation:create", ClientMessageType::kAnnotationCreate},
    {"annotation:reply", ClientMessageType::kAnnotationReply},
    {"annotation:delete", ClientMessageType::kAnnotationDelete},
    {"annotations:clear", ClientMessageType::kAnnotationsClear},
    {"session:yolo-toggle", ClientMessageType::kYoloToggle},
    {"diff:approved", ClientMessageType::kDiffApproved},
    {"diff:rejected", ClientMessageType::kDiffRejected},
    {"session:ping", ClientMessageType::kPing},
    {"annotations:page", ClientMessageType::kAnnotationsPage},
    {"annotation:after", ClientMessageType::kAfterScreenshot},
    {"annotation:accept", ClientMessageType::kAccept},
    {"annotation:reopen", ClientMessageType::kReopen},
}};

ProtocolError Refuse(std::string code, std::string message,
                     std::optional<std::string> request_type = std::nullopt) {
  return ProtocolError{std::move(code), std::move(message), std::move(request_type)};
}

// Reads a required string field into `out`; an error when missing or not a string.
std::optional<ProtocolError> RequireString(const json::object& frame, std::string_view field,
                                           const std::string& type, std::string& out) {
  const json::value* value = frame.if_contains(field);
  if (value == nullptr) {
    return Refuse("invalid_argument", fmt::format("{} needs a string field '{}'", type, field),
                  type);
  }
  if (!value->is_string()) {
    return Refuse("invalid_argument", fmt::format("'{}' of {} must be a string", field, type),
                  type);
  }
  out.assign(value->get_string().data(), value->get_string().size());
  return std::nullopt;
}

// A screenshot field {data: base64, mimeType?}: decoded and checked here, so
// that the store gets an image within its bounds or the overlay hears why not.
std::optional<ProtocolError> ReadScreenshot(const json::value& field, ScreenshotKind kind,
                                            const std::string& type,
                                            std::optional<Screenshot>& out) {
  const json::object* shot = field.if_object();
  const json::value* data = shot ? shot->if_contains("data") : nullptr;
  if (data == nullptr || !data->is_string()) {
    return Refuse("invalid_argument",
                  fmt::format("'screenshot' of {} must be {{data: base64, mimeType}}", type), type);
  }
  if (data->get_string().size() > kMaxScreenshotBase64Chars) {
    return Refuse(
        "limit_exceeded",
        fmt::format("the screenshot of {} is over {} bytes", type, limits::kScreenshotBytes), type);
  }
  auto bytes = Base64Decode(std::string_view(data->get_string()));
  if (!bytes) {
    return Refuse("invalid_argument",
                  fmt::format("the screenshot of {} is not padded base64", type), type);
  }
  auto made = MakeScreenshot(kind, std::move(*bytes));
  if (!made) return FromStoreError(made.error(), type);
  if (const json::value* mime = shot->if_contains("mimeType");
      mime != nullptr && (!mime->is_string() || mime->get_string() != made->mime_type)) {
    return Refuse(
        "invalid_argument",
        fmt::format("the screenshot of {} is {}, not what mimeType says", type, made->mime_type),
        type);
  }
  out = std::move(*made);
  return std::nullopt;
}

std::optional<ProtocolError> ReadFields(const json::object& frame, const std::string& type,
                                        ClientMessage& message) {
  switch (message.type) {
    case ClientMessageType::kAnnotationCreate: {
      const json::value* payload = frame.if_contains("payload");
      if (payload == nullptr || !payload->is_object()) {
        return Refuse("invalid_argument", "annotation:create needs an object field 'payload'",
                      type);
      }
      message.payload = payload->get_object();
      // The screenshot travels in the payload but is stored beside the annotation.
      if (const json::value* shot = message.payload.if_contains("screenshot")) {
        auto error = ReadScreenshot(*shot, ScreenshotKind::kBefore, type, message.screenshot);
        if (error) return error;
        message.payload.erase("screenshot");
      }
      return std::nullopt;
    }
    case ClientMessageType::kAnnotationReply:
    case ClientMessageType::kReopen:
      if (auto error = RequireString(frame, "id", type, message.id)) return error;
      return RequireString(frame, "message", type, message.message);
    case ClientMessageType::kAfterScreenshot: {
      if (auto error = RequireString(frame, "id", type, message.id)) return error;
      const json::value* shot = frame.if_contains("screenshot");
      if (shot == nullptr) {
        return Refuse("invalid_argument",
                      "annotation:after needs a field 'screenshot' {data: base64, mimeType}", type);
      }
      return ReadScreenshot(*shot, ScreenshotKind::kAfter, type, message.screenshot);
    }
    case ClientMessageType::kAnnotationDelete:
    case ClientMessageType::kAccept:
    case ClientMessageType::kDiffApproved:
    case ClientMessageType::kDiffRejected:
      return RequireString(frame, "id", type, message.id);
    case ClientMessageType::kAnnotationsClear:
    case ClientMessageType::kYoloToggle:
    case ClientMessageType::kPing:
      return std::nullopt;
    case ClientMessageType::kAnnotationsPage: {
      if (const json::value* before = frame.if_contains("before"); before && !before->is_null()) {
        if (!before->is_string()) {
          return Refuse("invalid_argument", "'before' of annotations:page must be a string or null",
                        type);
        }
        message.before = std::string(before->get_string());
      }
      if (const json::value* limit = frame.if_contains("limit"); limit && !limit->is_null()) {
        auto n =
            limit->is_int64() ? limit->get_int64()
            : limit->is_uint64()
                ? static_cast<std::int64_t>(std::min<std::uint64_t>(limit->get_uint64(), 1u << 30))
                : -1;
        if (n < 1) {
          return Refuse("invalid_argument",
                        "'limit' of annotations:page must be a positive integer", type);
        }
        message.limit = static_cast<std::size_t>(n);
      }
      return std::nullopt;
    }
  }
  return std::nullopt;
}

std::string Serialize(const json::object& object) { return json::serialize(object); }

}  // namespace

std::string_view ClientMessageTypeName(ClientMessageType type) {
  for (const auto& entry : kTypes) {
    if (entry.type == type) return entry.name;
  }
  return "unknown";
}

std::variant<ClientMessage, ProtocolError> ParseClientMessage(std::string_view text) {
  if (text.size() > kMaxFrameBytes) {
    return Refuse("limit_exceeded", fmt::format("frame of {} bytes is over the {} byte limit",
                                                text.size(), kMaxFrameBytes));
  }
  boost::system::error_code ec;
  json::value value = json::parse(text, ec);  // rejects invalid UTF-8 and nesting over 32
  if (ec) return Refuse("invalid_json", fmt::format("not JSON: {}", ec.message()));
  if (ContainsNaN(value)) {
    return Refuse("invalid_json",
                  "a number is out of range (it reads as NaN): send a finite number");
  }
  if (!value.is_object()) {
    return Refuse("invalid_message", "a message must be a JSON object with a string 'type'");
  }
  const json::object& frame = value.get_object();
  const json::value* type_value = frame.if_contains("type");
  if (type_value == nullptr || !type_value->is_string()) {
    return Refuse("invalid_message", "a message must have a string field 'type'");
  }
  std::string type(type_value->get_string().data(), type_value->get_string().size());

  ClientMessage message;
  bool known = false;
  for (const auto& entry : kTypes) {
    if (entry.name == type) {
      message.type = entry.type;
      known = true;
      break;
    }
  }
  if (!known) {
    // Cut what we echo back: the type is the client's text, of any length.
    std::string shown = type.size() > 64 ? type.substr(0, 64) + "..." : type;
    return Refuse("unknown_type", fmt::format("unknown message type '{}'", shown),
                  type.size() > 64 ? shown : type);
  }
  if (auto error = ReadFields(frame, type, message)) return *std::move(error);
  return message;
}

ProtocolError FromStoreError(const Error& error, std::string_view request_type) {
  return Refuse(ErrorCodeName(error.code), error.message, std::string(request_type));
}

std::string ErrorFrame(const ProtocolError& error) {
  json::object frame;
  frame["type"] = "error";
  frame["code"] = error.code;
  frame["message"] = error.message;
  if (error.request_type) {
    frame["requestType"] = *error.request_type;
  } else {
    frame["requestType"] = nullptr;
  }
  return Serialize(frame);
}

std::string SessionFrame(std::string_view type, const Session& session) {
  json::object frame;
  frame["type"] = type;
  frame["session"] = ToJson(session);
  return Serialize(frame);
}

std::string ManifestFrame(const json::object& manifest) {
  json::object frame;
  frame["type"] = "manifest:update";
  frame["manifest"] = manifest;
  return Serialize(frame);
}

std::string AnnotationFrame(std::string_view type, std::string_view annotation_json) {
  // type is one of our own constants: no escaping needed.
  return fmt::format(R"({{"type":"{}","annotation":{}}})", type, annotation_json);
}

std::string SyncFrame(std::string_view annotations_array_json, std::optional<Millis> heartbeat,
                      std::uint64_t version, std::size_t more) {
  if (!heartbeat) {
    return fmt::format(R"({{"type":"annotations:sync","annotations":{},"version":{},"more":{}}})",
                       annotations_array_json, version, more);
  }
  return fmt::format(
      R"({{"type":"annotations:sync","annotations":{},"lastAgentHeartbeat":"{}","version":{},"more":{}}})",
      annotations_array_json, FormatIso8601(*heartbeat), version, more);
}

std::string UnchangedFrame(std::uint64_t version, std::optional<Millis> heartbeat) {
  if (!heartbeat) return fmt::format(R"({{"type":"annotations:unchanged","version":{}}})", version);
  return fmt::format(R"({{"type":"annotations:unchanged","version":{},"lastAgentHeartbeat":"{}"}})",
                     version, FormatIso8601(*heartbeat));
}

std::string ReplyFrame(const Annotation& annotation) {
  json::object frame;
  frame["type"] = "annotation:reply";
  frame["id"] = annotation.id;
  frame["reply"] =
      annotation.replies.empty() ? json::value() : json::value(ToJson(annotation.replies.back()));
  frame["status"] = StatusName(annotation.status);
  frame["updatedAt"] = FormatIso8601(annotation.updated_at);
  return Serialize(frame);
}

std::string PageFrame(std::string_view annotations_array_json,
                      const std::optional<std::string>& next_cursor) {
  json::value cursor = next_cursor ? json::value(*next_cursor) : json::value();
  return fmt::format(R"({{"type":"annotations:page","annotations":{},"nextCursor":{}}})",
                     annotations_array_json, json::serialize(cursor));
}

}  // namespace nga::browser

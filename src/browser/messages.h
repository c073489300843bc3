// The browser protocol's wire format (SPEC §4): parsing what the overlay
// sends, and building what the server sends back. Pure functions, no store.
#pragma once

#include <boost/json/object.hpp>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "store/model.h"
#include "store/screenshot.h"
#include "util/result.h"
#include "util/time.h"

namespace nga::browser {

// The largest frame the protocol accepts (the socket layer closes with 1009
// above it; the parser rejects it too, so the rule holds without a socket).
inline constexpr std::size_t kMaxFrameBytes = 1024 * 1024;
// A screenshot's base64 text: its byte limit (store/screenshot.h) encoded.
// An annotation (at most kAnnotationBytes as JSON) and its screenshot fit in
// one frame together.
inline constexpr std::size_t kMaxScreenshotBase64Chars = (limits::kScreenshotBytes + 2) / 3 * 4;
// The longest ?sessionId= we look up.
inline constexpr std::size_t kMaxSessionIdChars = 128;

enum class ClientMessageType {
  kAnnotationCreate,  // annotation:create {payload}
  kAnnotationReply,   // annotation:reply {id, message}
  kAnnotationDelete,  // annotation:delete {id}
  kAnnotationsClear,  // annotations:clear
  kYoloToggle,        // session:yolo-toggle
  kDiffApproved,      // diff:approved {id}
  kDiffRejected,      // diff:rejected {id}
  kPing,              // session:ping
  kAnnotationsPage,   // annotations:page {before, limit} (protocol revision 2, SPEC §4)
  // The before/after check (issue 18), each only on this session's resolved annotation:
  kAfterScreenshot,  // annotation:after {id, screenshot}: the element once the change landed
  kAccept,           // annotation:accept {id}: resolved -> accepted
  kReopen,           // annotation:reopen {id, message}: resolved -> pending, the note a reply
};

// "annotation:create", ... as on the wire.
std::string_view ClientMessageTypeName(ClientMessageType type);

struct ClientMessage {
  ClientMessageType type = ClientMessageType::kPing;
  std::string id;                        // reply, delete, diff:*, after, accept, reopen
  std::string message;                   // reply, reopen
  boost::json::object payload;           // create (without its screenshot)
  std::optional<Screenshot> screenshot;  // create: payload.screenshot; after: screenshot
  std::optional<std::string> before;     // page: the cursor, null for the first page
  std::size_t limit = 0;                 // page: 0 when not given
};

// Why a frame was refused. `code` is one of: invalid_json, invalid_message
// (not an object, no string `type`), unknown_type, invalid_argument (a field
// missing or of the wrong type), limit_exceeded, or a store error's name
// (see ErrorCodeName).
struct ProtocolError {
  std::string code;
  std::string message;
  std::optional<std::string> request_type;  // the frame's `type`, when it had one
};

// Parses one text frame. Extra fields are ignored; field contents (limits,
// UTF-8, required payload keys) are the store's to check.
std::variant<ClientMessage, ProtocolError> ParseClientMessage(std::string_view text);

// A store error as the browser sees it.
ProtocolError FromStoreError(const Error& error, std::string_view request_type);

// ---- server -> client frames (serialized JSON text) ---------------------
std::string ErrorFrame(const ProtocolError& error);
std::string SessionFrame(std::string_view type, const Session& session);  // session:created|updated
std::string ManifestFrame(const boost::json::object& manifest);
// annotation:created / annotation:updated around an already serialized annotation.
std::string AnnotationFrame(std::string_view type, std::string_view annotation_json);
// annotations:sync around an already serialized array of annotations;
// lastAgentHeartbeat is left out when no agent was ever seen. `version`
// changes whenever the session's annotations do; `more` counts the older
// terminal annotations the frame leaves out.
std::string SyncFrame(std::string_view annotations_array_json, std::optional<Millis> heartbeat,
                      std::uint64_t version = 0, std::size_t more = 0);
// Revision 2: {"type":"annotations:unchanged","version":V[,"lastAgentHeartbeat"]}.
std::string UnchangedFrame(std::uint64_t version, std::optional<Millis> heartbeat);
// Revision 2: one reply appended, {"type":"annotation:reply","id","reply","status","updatedAt"}.
std::string ReplyFrame(const Annotation& annotation);
// The answer to annotations:page: {"type":"annotations:page","annotations":[..],"nextCursor"}.
std::string PageFrame(std::string_view annotations_array_json,
                      const std::optional<std::string>& next_cursor);

}  // namespace nga::browser

// The seam between the HTTP server and what it serves. Plain types: no Beast,
// so that handlers (the /__annotate routes, the /mcp transport) compile
// without it.
//
// Contract, for a handler registered with HttpServer::Route():
//  - It is called on the server's thread, once per request, after the Host
//    and Origin checks passed, with the whole request (body included, at
//    most ServerOptions::max_body_bytes).
//  - It answers through the HttpResponder, now or later: either Respond()
//    once, or StartStream(), any number of Write()s, then End(). It may keep
//    the shared_ptr as long as it likes (a long-lived SSE stream); the
//    connection reads no further request until the answer is complete. A
//    responder dropped without an answer sends 500.
//  - OnClose() tells it the client went away (or the server is shutting
//    down) before the answer was complete: stop writing and drop the
//    responder. Writes after that are ignored.
//  - Every responder method must be called on the server's thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace nga::net {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

// Team mode (issue 20): who presented the token a request was admitted
// with. Plain data; auth/gate.h fills it in.
struct Caller {
  std::string token_id;  // public half of the token: what revoking it closes
  std::string name;      // the token's name: the author of what it does
  std::string role;      // "reviewer" | "agent" | "admin"
};

struct HttpRequest {
  std::string method;  // "GET", "POST", ...
  std::string target;  // as sent: "/mcp?x=1"
  std::string path;    // target up to '?': "/mcp"
  std::string query;   // after '?', undecoded: "x=1"
  HeaderList headers;  // names lowercased, in order
  std::string body;
  std::string remote_address;    // the TCP peer ("127.0.0.1"), for trusted proxies
  std::optional<Caller> caller;  // team mode: set by the server's gate

  // The first header with that (lowercase) name.
  std::optional<std::string_view> Header(std::string_view lowercase_name) const;
  // A query parameter, percent-decoded; nullopt when absent.
  std::optional<std::string> QueryParam(std::string_view name) const;
};

class HttpResponder {
 public:
  virtual ~HttpResponder() = default;

  // A complete response. Content-Length is set; `headers` are added as given.
  virtual void Respond(unsigned status, std::string_view content_type, std::string body,
                       HeaderList headers = {}) = 0;

  // Starts a chunked response (SSE and the like): status and headers go out
  // now; then Write() each piece and End() once.
  virtual void StartStream(unsigned status, std::string_view content_type,
                           HeaderList headers = {}) = 0;
  // Queues one piece (empty pieces are skipped: an empty chunk would end the
  // stream). False when the client is gone or too much is queued (over
  // ServerOptions::max_stream_queue_bytes); the stream is then closed.
  virtual bool Write(std::string data) = 0;
  virtual void End() = 0;

  // Called at most once, when the connection ends before the answer was
  // complete. Replaces any earlier callback.
  virtual void OnClose(std::function<void()> callback) = 0;
  virtual bool closed() const = 0;
};

using HttpHandler =
    std::function<void(const HttpRequest& request, std::shared_ptr<HttpResponder> responder)>;

// Team mode's check of every request and upgrade, after Host and Origin and
// before routing (ServerOptions::gate). Returns nullopt to admit it (having
// set request.caller), else the refusal to answer with (401, 403).
struct GateRefusal {
  unsigned status = 403;
  std::string reason;
  HeaderList headers;
};
using RequestGate = std::function<std::optional<GateRefusal>(HttpRequest& request, bool upgrade)>;

// ---- WebSocket ---------------------------------------------------------

// The server's side of one open WebSocket, handed to the application.
class WsPeer {
 public:
  virtual ~WsPeer() = default;
  // Queues a text frame. When the queue is over its bound (a browser that
  // does not read), the socket is closed with 1008 instead.
  virtual void Send(std::shared_ptr<const std::string> text) = 0;
  // Sends a close frame after what is already being written. Idempotent.
  virtual void Close(std::uint16_t code, std::string reason) = 0;
};

// The application's side of one open WebSocket.
class WsHandler {
 public:
  virtual ~WsHandler() = default;
  // One complete message (text, or binary passed through as is).
  virtual void OnMessage(std::string_view data) = 0;
  // Once, when the socket is gone for whatever reason.
  virtual void OnClose() = 0;
};

// Called after the handshake of an upgrade that passed the Host/Origin
// checks. Returns the socket's handler, or nullptr to close it with 1011.
using WsAcceptor = std::function<std::unique_ptr<WsHandler>(const HttpRequest& upgrade,
                                                            std::shared_ptr<WsPeer> peer)>;

}  // namespace nga::net

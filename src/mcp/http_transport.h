// MCP over Streamable HTTP (spec 2025-03-26 and later) at /mcp on the serve
// port. Only moves bytes: each Mcp-Session-Id is one McpSession.
//
//   POST   a JSON-RPC message or batch. An initialize request without a
//          session opens one (its id in the Mcp-Session-Id response header);
//          everything else must name a live session (missing -> 400, unknown
//          or ended -> 404). Answered as application/json when the answer is
//          ready at once; a blocked call (watch_annotations) gets an SSE
//          stream at once, kept alive with `: ping` comments, that carries
//          the response when it comes. Only notifications/responses -> 202.
//          Unparsable JSON -> 400 with a -32700 body.
//   GET    Accept: text/event-stream: the session's stream of server
//          notifications (resources/updated, message). One per session at a
//          time (a second -> 409, as the TypeScript SDK). Events carry ids;
//          `Last-Event-ID` replays the recent ones after it, and a stream
//          opened without it first gets what was sent while none was open.
//   DELETE ends the session -> 200; afterwards 404.
//   An MCP-Protocol-Version header we do not speak -> 400. A POST without
//   Content-Type: application/json -> 415.
//
// Host and Origin were checked by the server before the request got here;
// /mcp is stricter still on Origin (see HttpTransportOptions::access).
//
// Thread rules: as McpSession (the Services thread, which is also the HTTP
// server's). Callbacks held by connections refer to the transport weakly,
// so connections may outlive it.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>

#include "auth/open_credentials.h"
#include "mcp/services.h"
#include "net/access.h"
#include "net/http.h"

namespace nga::mcp {

struct HttpTransportOptions {
  // Past this many sessions, initialize evicts one that is not busy (no open
  // stream, nothing in flight): first the least recently used that never
  // made a request after its initialize (notifications alone do not count),
  // else the least recently used idle for at least evict_idle_after; with
  // none, it gets 503. So initialize calls that lead nowhere cannot lock new
  // agents out, and an agent that keeps using its session is never pushed
  // out by new ones.
  std::size_t max_sessions = 1000;
  std::chrono::milliseconds evict_idle_after = std::chrono::minutes(10);
  // When set, a request whose Origin is not the daemon's own or an allowed
  // one gets 403 (AccessPolicy::CheckOwnOrigin).
  std::optional<net::AccessPolicy> access;
  // A session unused this long, with no stream open and nothing in flight,
  // is ended.
  std::chrono::milliseconds idle_timeout = std::chrono::hours(1);
  // How often open SSE streams get a `: ping` comment (and idle sessions are
  // looked for).
  std::chrono::milliseconds keepalive_interval = std::chrono::seconds(15);
  // Notifications kept per session for Last-Event-ID replay.
  std::size_t replay_events = 256;
  // Team mode (issue 20): a session opened by a request the server's gate
  // admitted (HttpRequest::caller) belongs to that token: only requests
  // with the same token find it (others get 404), and it is recorded here,
  // so that revoking the token ends it. Must outlive the transport.
  auth::OpenCredentials* credentials = nullptr;
};

class HttpTransport {
 public:
  explicit HttpTransport(Services& services, HttpTransportOptions options = {});
  // Close()s.
  ~HttpTransport();
  HttpTransport(const HttpTransport&) = delete;
  HttpTransport& operator=(const HttpTransport&) = delete;

  // One request for /mcp, as HttpServer routes it.
  void Handle(const net::HttpRequest& request, std::shared_ptr<net::HttpResponder> responder);
  // Handle(), for HttpServer::Route("/mcp", ...). Safe to call after the
  // transport is gone (answers 503).
  net::HttpHandler Handler();

  // Ends every session (blocked calls are cancelled, streams ended); later
  // requests get 503. For shutdown. Idempotent.
  void Close();

  std::size_t session_count() const;

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace nga::mcp

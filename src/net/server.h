// The daemon's one port: HTTP/1.1 requests routed by path prefix, and
// WebSocket upgrades routed by exact path (Boost.Beast underneath; this
// header keeps Beast out of its includers).
//
// Every request and upgrade passes the AccessPolicy first (403 with a
// one-line reason otherwise), then goes to the route with the longest
// matching prefix, else 404.
//
// Thread rules: everything (routes, handlers, peers, Shutdown) runs on the
// one thread that runs `io`. Connections are serialised by that thread
// (it is their strand); nothing here is safe to call from another thread.
#pragma once

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "net/access.h"
#include "net/http.h"
#include "util/result.h"

namespace nga::net {

namespace detail {
class Forwarder;
}

struct ServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;  // 0: the kernel picks a free port
  AccessPolicy access;
  // Team mode: every request and upgrade passes this too (net/http.h).
  // Empty: none (the loopback dev mode).
  RequestGate gate;
  std::size_t max_body_bytes = 8 * 1024 * 1024;
  std::size_t max_ws_message_bytes = 1024 * 1024;  // larger frames close with 1009
  // Per WebSocket: while more than ws_pause_reading_bytes is queued but
  // unwritten, the socket's own messages are not read, so a client that
  // pipelines requests and reads slowly is slowed down, not cut off; reading
  // resumes once the queue is at or under ws_resume_reading_bytes.
  std::size_t ws_pause_reading_bytes = 4 * 1024 * 1024;
  std::size_t ws_resume_reading_bytes = 1024 * 1024;
  // Per WebSocket / per streamed response: queued but unwritten bytes beyond
  // which the peer is closed (a WebSocket with 1008). Memory's hard bound,
  // far above ws_pause_reading_bytes: a WebSocket reaches it only when pushes
  // from other sessions outrun a reader that is too slow.
  std::size_t max_queue_bytes = 32 * 1024 * 1024;
  // A WebSocket whose writes make no progress for this long (its client
  // stopped reading) is closed with 1008; if even that close cannot be
  // written within another such period, its TCP connection is dropped.
  std::chrono::milliseconds ws_stall_timeout = std::chrono::seconds(30);
};

class HttpServer {
 public:
  // Binds and listens (not yet accepting: call Start()). Fails with kIo when
  // the address is taken or invalid.
  static Result<std::unique_ptr<HttpServer>> Listen(boost::asio::io_context& io,
                                                    ServerOptions options);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // `prefix` matches the path itself and anything below it: "/mcp" matches
  // "/mcp" and "/mcp/x", not "/mcpx". Longest prefix wins.
  void Route(std::string prefix, HttpHandler handler);
  // Upgrades on exactly `path` (any query) go to `acceptor`.
  void WebSocketRoute(std::string path, WsAcceptor acceptor);

  // serve --proxy: requests and upgrades that `forwarder` claims go to it
  // instead of the routes (see net/proxy.h, which sets it).
  void SetForwarder(std::shared_ptr<detail::Forwarder> forwarder);

  std::uint16_t port() const;

  void Start();

  // Stops accepting, closes every WebSocket with 1001 and every HTTP
  // connection (open streams get OnClose). `done` runs once all of them are
  // gone. Idempotent.
  void Shutdown(std::function<void()> done);

  std::size_t connection_count() const;

 private:
  struct Impl;
  explicit HttpServer(std::shared_ptr<Impl> impl);
  std::shared_ptr<Impl> impl_;
};

}  // namespace nga::net

// Internal to src/net (includes Beast): the objects behind net/proxy.h.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "net/connection.h"
#include "net/proxy.h"

namespace nga::net::detail {

// What every proxied exchange shares: the upstream, the limits, and the
// count of upstream connections open (held through UpstreamSlot).
struct ProxyState {
  ProxyOptions options;
  std::size_t upstream_connections = 0;
};

// One of ProxyLimits::max_upstream_connections. Taken when the proxy takes a
// request on, before anything is awaited (the server runs on one thread, so
// checking and counting cannot interleave); given back when the upstream
// connection is closed. On an upgrade it moves to the tunnel.
class UpstreamSlot {
 public:
  UpstreamSlot() = default;
  UpstreamSlot(UpstreamSlot&& other) noexcept : proxy_(std::move(other.proxy_)) {}
  UpstreamSlot& operator=(UpstreamSlot&& other) noexcept;
  ~UpstreamSlot() { Release(); }

  // False (and nothing held) when all slots are taken.
  bool TryTake(std::shared_ptr<ProxyState> proxy);
  void Release();
  bool held() const { return proxy_ != nullptr; }

 private:
  std::shared_ptr<ProxyState> proxy_;
};

// One forwarded request and its response, on a browser connection handed
// over by HttpConnection. Afterwards, the browser connection goes back to a
// new HttpConnection (keep-alive), or becomes a tunnel (a 101 answer), or
// is closed.
class ProxyExchange : public Connection, public std::enable_shared_from_this<ProxyExchange> {
 public:
  ProxyExchange(tcp::socket client, beast::flat_buffer buffer,
                http::request_parser<http::string_body>&& header,
                std::shared_ptr<ServerState> server, std::shared_ptr<ProxyState> proxy);
  ~ProxyExchange() override;
  void Run();
  void Stop() override;

 private:
  boost::asio::awaitable<void> Exchange(std::shared_ptr<ProxyExchange> self);
  boost::asio::awaitable<bool> ConnectUpstream();
  boost::asio::awaitable<bool> SendRequest();
  boost::asio::awaitable<bool> SendRequestBody(bool chunked);
  boost::asio::awaitable<bool> ReadResponseHead();
  boost::asio::awaitable<bool> RelayResponse();
  boost::asio::awaitable<void> WatchClient(std::shared_ptr<ProxyExchange> self);
  boost::asio::awaitable<bool> WriteClient(std::string_view bytes);
  boost::asio::awaitable<bool> WriteUpstream(std::string_view bytes);
  // Answers the browser (when nothing was sent yet) and closes; logs `error`
  // either way. A 5xx (the upstream's trouble) gets the self-reloading error
  // page, a 4xx (the request's) plain text; both name the error in
  // X-Ng-Annotate-Proxy-Error.
  boost::asio::awaitable<void> Fail(unsigned status, std::string error);
  void HandBack();
  void CloseAll();

  beast::tcp_stream client_;
  beast::flat_buffer client_buffer_;
  http::request_parser<http::buffer_body> request_;
  std::shared_ptr<ServerState> server_;
  std::shared_ptr<ProxyState> proxy_;
  std::uint64_t id_ = 0;
  std::string client_host_;  // the Host the browser used
  std::string target_;       // what the upstream is asked for, in origin-form
  bool upgrade_ = false;

  // Declared before the upstream socket: destroyed (given back) after it closes.
  UpstreamSlot slot_;
  beast::tcp_stream upstream_;
  beast::flat_buffer upstream_buffer_;
  std::optional<http::response_parser<http::buffer_body>> response_;
  bool head_sent_ = false;  // the browser has our response head
  bool stopped_ = false;
  bool handed_back_ = false;
  std::string scratch_;
  // Bounds each read of the request body. Not the stream's own timer: that
  // closes the socket when it fires, and the 408 could not be sent.
  boost::asio::steady_timer body_deadline_;
  std::uint64_t body_reads_ = 0;  // which read the pending deadline belongs to
  bool body_deadline_passed_ = false;
};

// A WebSocket (or any upgraded) connection, byte for byte both ways, after
// the upstream's 101. Ends when either side ends or nothing moves for
// ProxyLimits::tunnel_idle_timeout.
class ProxyTunnel : public Connection, public std::enable_shared_from_this<ProxyTunnel> {
 public:
  ProxyTunnel(beast::tcp_stream client, beast::flat_buffer client_pending,
              beast::tcp_stream upstream, beast::flat_buffer upstream_pending, UpstreamSlot slot,
              std::shared_ptr<ServerState> server, std::shared_ptr<ProxyState> proxy);
  ~ProxyTunnel() override;
  void Run();
  void Stop() override;

 private:
  boost::asio::awaitable<void> Pipe(std::shared_ptr<ProxyTunnel> self, beast::tcp_stream& from,
                                    beast::tcp_stream& to, beast::flat_buffer& pending);
  boost::asio::awaitable<void> Watchdog(std::shared_ptr<ProxyTunnel> self);

  UpstreamSlot slot_;  // first: given back after the sockets close
  beast::tcp_stream client_;
  beast::flat_buffer client_pending_;
  beast::tcp_stream upstream_;
  beast::flat_buffer upstream_pending_;
  std::shared_ptr<ServerState> server_;
  std::shared_ptr<ProxyState> proxy_;
  std::uint64_t id_ = 0;
  boost::asio::steady_timer watchdog_;
  std::chrono::steady_clock::time_point last_activity_;
  int ends_ = 0;  // directions that ended cleanly
  bool stopped_ = false;
};

}  // namespace nga::net::detail

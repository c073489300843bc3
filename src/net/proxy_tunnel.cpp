#include <fmt/format.h>

#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include "net/proxy_exchange.h"

namespace nga::net::detail {
namespace {
namespace asio = boost::asio;
constexpr auto kAwait = asio::as_tuple(asio::use_awaitable);
}  // namespace

ProxyTunnel::ProxyTunnel(beast::tcp_stream client, beast::flat_buffer client_pending,
                         beast::tcp_stream upstream, beast::flat_buffer upstream_pending,
                         UpstreamSlot slot, std::shared_ptr<ServerState> server,
                         std::shared_ptr<ProxyState> proxy)
    : slot_(std::move(slot)),
      client_(std::move(client)),
      client_pending_(std::move(client_pending)),
      upstream_(std::move(upstream)),
      upstream_pending_(std::move(upstream_pending)),
      server_(std::move(server)),
      proxy_(std::move(proxy)),
      watchdog_(server_->executor) {}

ProxyTunnel::~ProxyTunnel() { server_->Unregister(id_); }

void ProxyTunnel::Run() {
  id_ = server_->Register(weak_from_this());
  client_.expires_never();
  upstream_.expires_never();
  last_activity_ = std::chrono::steady_clock::now();
  auto self = shared_from_this();
  asio::co_spawn(server_->executor, Pipe(self, client_, upstream_, client_pending_),
                 asio::detached);
  asio::co_spawn(server_->executor, Pipe(self, upstream_, client_, upstream_pending_),
                 asio::detached);
  asio::co_spawn(server_->executor, Watchdog(self), asio::detached);
}

void ProxyTunnel::Stop() {
  if (stopped_) return;
  stopped_ = true;
  beast::error_code ignored;
  client_.socket().close(ignored);
  upstream_.socket().close(ignored);
  slot_.Release();
  watchdog_.cancel();
}

// One direction. `pending`: bytes the HTTP parser read past the upgrade's
// head, which belong to the tunnel. At the sender's end of stream the other
// side's sending half is shut, so that the last frames (a WebSocket close)
// still arrive; the tunnel ends once both directions have.
asio::awaitable<void> ProxyTunnel::Pipe(std::shared_ptr<ProxyTunnel> self, beast::tcp_stream& from,
                                        beast::tcp_stream& to, beast::flat_buffer& pending) {
  beast::error_code ec;
  if (pending.size() > 0) {
    auto [write_ec, n] = co_await asio::async_write(to, pending.data(), kAwait);
    pending.consume(pending.size());
    ec = write_ec;
  }
  std::array<char, 16 * 1024> buffer;
  while (!ec && !stopped_) {
    auto [read_ec, n] = co_await from.async_read_some(asio::buffer(buffer), kAwait);
    if (read_ec) {
      ec = read_ec;
      break;
    }
    last_activity_ = std::chrono::steady_clock::now();
    auto [write_ec, written] =
        co_await asio::async_write(to, asio::buffer(buffer.data(), n), kAwait);
    ec = write_ec;
    last_activity_ = std::chrono::steady_clock::now();
  }
  if (stopped_) co_return;
  if (ec == asio::error::eof && ++ends_ < 2) {
    beast::error_code ignored;
    to.socket().shutdown(tcp::socket::shutdown_send, ignored);
    co_return;
  }
  Stop();
}

asio::awaitable<void> ProxyTunnel::Watchdog(std::shared_ptr<ProxyTunnel> self) {
  const auto idle = proxy_->options.limits.tunnel_idle_timeout;
  while (!stopped_) {
    watchdog_.expires_at(last_activity_ + idle);
    co_await watchdog_.async_wait(kAwait);
    if (stopped_) co_return;
    if (std::chrono::steady_clock::now() - last_activity_ >= idle) {
      fmt::print(stderr, "ng-annotate: proxy: closing an upgraded connection idle for {} s\n",
                 std::chrono::duration_cast<std::chrono::seconds>(idle).count());
      Stop();
      co_return;
    }
  }
}

}  // namespace nga::net::detail

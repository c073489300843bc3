#include "net/server.h"

#include <fmt/format.h>

#include <algorithm>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>

#include "net/connection.h"

namespace nga::net {

namespace detail {

std::uint64_t ServerState::Register(std::weak_ptr<Connection> connection) {
  std::uint64_t id = next_id++;
  live.emplace(id, std::move(connection));
  return id;
}

void ServerState::Unregister(std::uint64_t id) {
  if (live.erase(id) == 0) return;
  if (shutting_down && live.empty() && on_drained) {
    boost::asio::post(executor, std::exchange(on_drained, nullptr));
  }
}

namespace {
bool PrefixMatches(std::string_view prefix, std::string_view path) {
  if (path.substr(0, prefix.size()) != prefix) return false;
  return path.size() == prefix.size() || prefix.ends_with('/') || path[prefix.size()] == '/';
}
}  // namespace

const HttpHandler* ServerState::FindRoute(std::string_view path) const {
  for (const auto& [prefix, handler] : routes) {
    if (PrefixMatches(prefix, path)) return &handler;
  }
  return nullptr;
}

const WsAcceptor* ServerState::FindWsRoute(std::string_view path) const {
  for (const auto& [route, acceptor] : ws_routes) {
    if (route == path) return &acceptor;
  }
  return nullptr;
}

}  // namespace detail

using detail::tcp;

struct HttpServer::Impl : std::enable_shared_from_this<HttpServer::Impl> {
  Impl(boost::asio::io_context& io, ServerOptions options)
      : acceptor(io),
        state(std::make_shared<detail::ServerState>(io.get_executor(), std::move(options))) {}

  void Accept() {
    acceptor.async_accept(
        [self = shared_from_this()](boost::system::error_code ec, tcp::socket socket) {
          if (ec == boost::asio::error::operation_aborted || self->state->shutting_down) return;
          if (!ec) {
            boost::system::error_code ignored;
            socket.set_option(tcp::no_delay(true), ignored);
            std::make_shared<detail::HttpConnection>(std::move(socket), self->state)->Run();
          } else {
            fmt::print(stderr, "ng-annotate: accept failed: {}\n", ec.message());
          }
          self->Accept();
        });
  }

  tcp::acceptor acceptor;
  std::shared_ptr<detail::ServerState> state;
};

Result<std::unique_ptr<HttpServer>> HttpServer::Listen(boost::asio::io_context& io,
                                                       ServerOptions options) {
  std::string host = options.host;
  std::uint16_t port = options.port;
  auto impl = std::make_shared<Impl>(io, std::move(options));
  auto fail = [&](std::string_view what, const boost::system::error_code& ec) {
    return MakeError(ErrorCode::kIo,
                     fmt::format("cannot listen on {}:{}: {}: {}", host, port, what, ec.message()));
  };

  boost::system::error_code ec;
  tcp::resolver resolver(io);
  auto endpoints = resolver.resolve(host, std::to_string(port),
                                    tcp::resolver::numeric_service | tcp::resolver::passive, ec);
  if (ec || endpoints.empty()) return fail("resolving the address", ec);
  tcp::endpoint endpoint = endpoints.begin()->endpoint();

  auto& acceptor = impl->acceptor;
  acceptor.open(endpoint.protocol(), ec);
  if (ec) return fail("socket", ec);
  acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
  if (ec) return fail("socket", ec);
  acceptor.bind(endpoint, ec);
  if (ec) return fail("bind", ec);
  acceptor.listen(tcp::socket::max_listen_connections, ec);
  if (ec) return fail("listen", ec);
  return std::unique_ptr<HttpServer>(new HttpServer(std::move(impl)));
}

HttpServer::HttpServer(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}

HttpServer::~HttpServer() {
  boost::system::error_code ignored;
  impl_->acceptor.close(ignored);
}

void HttpServer::Route(std::string prefix, HttpHandler handler) {
  auto& routes = impl_->state->routes;
  routes.emplace_back(std::move(prefix), std::move(handler));
  std::stable_sort(routes.begin(), routes.end(),
                   [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); });
}

void HttpServer::WebSocketRoute(std::string path, WsAcceptor acceptor) {
  impl_->state->ws_routes.emplace_back(std::move(path), std::move(acceptor));
}

void HttpServer::SetForwarder(std::shared_ptr<detail::Forwarder> forwarder) {
  impl_->state->forwarder = std::move(forwarder);
}

std::uint16_t HttpServer::port() const {
  boost::system::error_code ec;
  return impl_->acceptor.local_endpoint(ec).port();
}

void HttpServer::Start() { impl_->Accept(); }

void HttpServer::Shutdown(std::function<void()> done) {
  auto& state = *impl_->state;
  if (state.shutting_down) return;
  state.shutting_down = true;
  boost::system::error_code ignored;
  impl_->acceptor.close(ignored);

  std::vector<std::shared_ptr<detail::Connection>> live;
  for (auto& [id, weak] : state.live) {
    if (auto connection = weak.lock()) live.push_back(std::move(connection));
  }
  if (state.live.empty()) {
    boost::asio::post(state.executor, std::move(done));
  } else {
    state.on_drained = std::move(done);
  }
  for (auto& connection : live) connection->Stop();
}

std::size_t HttpServer::connection_count() const { return impl_->state->live.size(); }

}  // namespace nga::net

#include "net/proxy.h"

#include <fmt/format.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "net/proxy_exchange.h"
#include "net/proxy_headers.h"

namespace nga::net {
namespace {

namespace asio = boost::asio;
using detail::tcp;

// The upstream health probe answers within this, up or not.
constexpr auto kProbeTimeout = std::chrono::milliseconds(1000);

class ProxyForwarder : public detail::Forwarder {
 public:
  explicit ProxyForwarder(std::shared_ptr<detail::ProxyState> proxy) : proxy_(std::move(proxy)) {}

  bool Claims(std::string_view path) const override { return !IsOwnPath(path); }

  void Forward(tcp::socket client, detail::beast::flat_buffer buffer,
               detail::http::request_parser<detail::http::string_body>&& header,
               std::shared_ptr<detail::ServerState> state) override {
    std::make_shared<detail::ProxyExchange>(std::move(client), std::move(buffer), std::move(header),
                                            std::move(state), proxy_)
        ->Run();
  }

 private:
  std::shared_ptr<detail::ProxyState> proxy_;
};

// Tries a TCP connection to the upstream: "" when it is up, else why not.
asio::awaitable<std::string> Probe(asio::any_io_executor executor, Upstream upstream) {
  constexpr auto await = asio::as_tuple(asio::use_awaitable);
  tcp::resolver resolver(executor);
  auto [resolve_ec, endpoints] =
      co_await resolver.async_resolve(upstream.host, std::to_string(upstream.port), await);
  if (resolve_ec)
    co_return fmt::format("cannot resolve {}: {}", upstream.host, resolve_ec.message());
  detail::beast::tcp_stream stream(executor);
  stream.expires_after(kProbeTimeout);
  auto [ec, endpoint] = co_await stream.async_connect(endpoints, await);
  if (ec == detail::beast::error::timeout) {
    co_return fmt::format("connecting to {} timed out", upstream.url);
  }
  if (ec) co_return fmt::format("cannot connect to {}: {}", upstream.url, ec.message());
  co_return std::string{};
}

}  // namespace

void EnableProxy(HttpServer& server, asio::any_io_executor executor, ProxyOptions options) {
  auto proxy = std::make_shared<detail::ProxyState>();
  proxy->options = std::move(options);
  server.SetForwarder(std::make_shared<ProxyForwarder>(proxy));

  server.Route("/__annotate/upstream", [executor, proxy](const HttpRequest& request,
                                                         std::shared_ptr<HttpResponder> responder) {
    if (request.method != "GET" && request.method != "HEAD") {
      return responder->Respond(405, "text/plain; charset=utf-8", "GET only\n",
                                {{"Allow", "GET, HEAD"}});
    }
    const Upstream& upstream = proxy->options.upstream;
    asio::co_spawn(
        executor,
        [executor, upstream, responder]() -> asio::awaitable<void> {
          std::string error = co_await Probe(executor, upstream);
          boost::json::object body{{"upstream", upstream.url}, {"up", error.empty()}};
          if (error.empty()) {
            body["error"] = nullptr;
          } else {
            body["error"] = error;
          }
          responder->Respond(200, "application/json", boost::json::serialize(body) + "\n",
                             {{"Cache-Control", "no-store"}});
        },
        asio::detached);
  });
}

}  // namespace nga::net

#include "net/http_client.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/url/parse.hpp>

namespace nga::net {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

Error Failed(std::string_view url, std::string why) {
  return Error{ErrorCode::kIo, std::string(url) + ": " + std::move(why)};
}

}  // namespace

Result<ClientResponse> HttpRequestOnce(
    std::string_view method, std::string_view url, std::string body, std::string_view content_type,
    const std::vector<std::pair<std::string, std::string>>& headers,
    std::chrono::milliseconds timeout) {
  auto parsed = boost::urls::parse_absolute_uri(url);
  if (!parsed) return Error{ErrorCode::kInvalidArgument, "not a URL: " + std::string(url)};
  if (parsed->scheme() == "https") {
    return Error{ErrorCode::kInvalidArgument,
                 std::string(url) +
                     ": https is not spoken by this command yet; reach the server over http "
                     "(e.g. on the machine or network where it runs, behind its TLS proxy)"};
  }
  if (parsed->scheme() != "http" || !parsed->has_authority() || parsed->host().empty()) {
    return Error{ErrorCode::kInvalidArgument, "expected http://host[:port]: " + std::string(url)};
  }
  std::string host = parsed->host_address();  // IPv6 without its brackets
  std::string port = parsed->has_port() ? std::string(parsed->port()) : "80";
  std::string target =
      parsed->encoded_target().empty() ? "/" : std::string(parsed->encoded_target());

  asio::io_context io;
  beast::tcp_stream stream(io);
  http::request<http::string_body> request{http::string_to_verb(method), target, 11};
  request.set(http::field::host, parsed->encoded_authority());
  request.set(http::field::user_agent, "ng-annotate/" NGA_VERSION);
  request.set(http::field::content_type, content_type);
  for (const auto& [name, value] : headers) request.set(name, value);
  request.body() = std::move(body);
  request.prepare_payload();
  beast::flat_buffer buffer;
  http::response<http::string_body> response;
  boost::system::error_code failure;
  std::string stage = "resolving the host";

  asio::ip::tcp::resolver resolver(io);
  stream.expires_after(timeout);
  resolver.async_resolve(host, port, [&](auto ec, auto results) {
    if (ec) return void(failure = ec);
    stage = "connecting";
    stream.async_connect(results, [&](auto ec, auto) {
      if (ec) return void(failure = ec);
      stage = "sending the request";
      http::async_write(stream, request, [&](auto ec, std::size_t) {
        if (ec) return void(failure = ec);
        stage = "reading the answer";
        http::async_read(stream, buffer, response, [&](auto ec, std::size_t) {
          if (ec) failure = ec;
          boost::system::error_code ignored;
          stream.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
        });
      });
    });
  });
  io.run_for(timeout + std::chrono::seconds(1));
  if (!io.stopped()) {
    return Failed(url, "no answer within " + std::to_string(timeout.count() / 1000) + " s");
  }
  if (failure) return Failed(url, stage + ": " + failure.message());
  return ClientResponse{response.result_int(), std::move(response.body())};
}

}  // namespace nga::net

#include "net/proxy_exchange.h"

#include <fmt/format.h>

#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/read.hpp>
#include <cctype>

#include "net/proxy_error_page.h"
#include "net/proxy_headers.h"
#include "net/proxy_html.h"

namespace nga::net::detail {
namespace {

namespace asio = boost::asio;
constexpr auto kAwait = asio::as_tuple(asio::use_awaitable);
constexpr std::size_t kPieceBytes = 64 * 1024;

HeaderList Lowercased(const http::fields& fields) {
  HeaderList out;
  for (const auto& field : fields) {
    std::string name(field.name_string());
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out.emplace_back(std::move(name), std::string(field.value()));
  }
  return out;
}

void AppendHeaders(std::string& head, const HeaderList& headers) {
  for (const auto& [name, value] : headers) head += fmt::format("{}: {}\r\n", name, value);
}

std::string Seconds(std::chrono::milliseconds ms) {
  return ms.count() % 1000 == 0 ? fmt::format("{} s", ms.count() / 1000)
                                : fmt::format("{} ms", ms.count());
}

std::string ReasonOf(unsigned status, std::string_view given) {
  if (!given.empty()) return std::string(given);
  return std::string(http::obsolete_reason(static_cast<http::status>(status)));
}

std::string Tenths(std::chrono::steady_clock::duration elapsed) {
  return fmt::format("{:.1f} s", std::chrono::duration<double>(elapsed).count());
}

}  // namespace

UpstreamSlot& UpstreamSlot::operator=(UpstreamSlot&& other) noexcept {
  if (this != &other) {
    Release();
    proxy_ = std::move(other.proxy_);
  }
  return *this;
}

bool UpstreamSlot::TryTake(std::shared_ptr<ProxyState> proxy) {
  Release();
  if (proxy->upstream_connections >= proxy->options.limits.max_upstream_connections) return false;
  ++proxy->upstream_connections;
  proxy_ = std::move(proxy);
  return true;
}

void UpstreamSlot::Release() {
  if (!proxy_) return;
  --proxy_->upstream_connections;
  proxy_.reset();
}

ProxyExchange::ProxyExchange(tcp::socket client, beast::flat_buffer buffer,
                             http::request_parser<http::string_body>&& header,
                             std::shared_ptr<ServerState> server, std::shared_ptr<ProxyState> proxy)
    : client_(std::move(client)),
      client_buffer_(std::move(buffer)),
      request_(std::move(header)),
      server_(std::move(server)),
      proxy_(std::move(proxy)),
      upstream_(server_->executor),
      body_deadline_(server_->executor) {
  request_.body_limit(proxy_->options.limits.max_request_body_bytes);
}

ProxyExchange::~ProxyExchange() { server_->Unregister(id_); }

void ProxyExchange::Run() {
  id_ = server_->Register(weak_from_this());
  asio::co_spawn(server_->executor, Exchange(shared_from_this()), asio::detached);
}

void ProxyExchange::Stop() { CloseAll(); }

void ProxyExchange::CloseAll() {
  if (stopped_) return;
  stopped_ = true;
  beast::error_code ignored;
  if (!handed_back_) {
    client_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    client_.socket().close(ignored);
    upstream_.socket().close(ignored);
  }
  body_deadline_.cancel();
  slot_.Release();
}

asio::awaitable<void> ProxyExchange::Exchange(std::shared_ptr<ProxyExchange> self) {
  const auto& header = request_.get();
  if (auto it = header.find(http::field::host); it != header.end()) {
    client_host_ = std::string(it->value());
  }
  upgrade_ = request_.upgrade();
  const auto& limits = proxy_->options.limits;
  if (auto refusal = UnforwardableRequest(Lowercased(header))) {
    co_await Fail(refusal->status, std::move(refusal->reason));
    co_return;
  }
  // An absolute-form target names a host as well, which the upstream would
  // believe over Host: it passes the same check, and goes on in origin-form.
  // Routing saw "http://..." as its path, so it must not name one of ours.
  std::string_view target = header.target();
  if (auto absolute = ParseAbsoluteTarget(target)) {
    if (auto reason = server_->options.access.Check(absolute->authority, std::nullopt)) {
      co_await Fail(403, "forbidden: request target: " + *reason);
      co_return;
    }
    if (IsOwnPath(
            std::string_view(absolute->origin_form).substr(0, absolute->origin_form.find('?')))) {
      co_await Fail(400, "ng-annotate's own paths take an origin-form target (\"/__annotate...\")");
      co_return;
    }
    target_ = std::move(absolute->origin_form);
  } else if (target.starts_with('/') || target == "*") {
    target_ = std::string(target);
  } else {
    co_await Fail(400, "malformed request target");
    co_return;
  }
  // Checked and taken with no co_await between, so that no other exchange
  // runs in between: the cap is exact.
  if (!slot_.TryTake(proxy_)) {
    co_await Fail(503, fmt::format("too many proxied connections open at once (limit {})",
                                   limits.max_upstream_connections));
    co_return;
  }
  if (!co_await ConnectUpstream()) co_return;
  if (!co_await SendRequest()) co_return;
  if (!upgrade_) asio::co_spawn(server_->executor, WatchClient(self), asio::detached);
  if (!co_await ReadResponseHead()) co_return;
  if (!co_await RelayResponse()) co_return;
}

asio::awaitable<bool> ProxyExchange::ConnectUpstream() {
  const Upstream& up = proxy_->options.upstream;
  const auto& limits = proxy_->options.limits;
  tcp::resolver resolver(server_->executor);
  auto [resolve_ec, endpoints] =
      co_await resolver.async_resolve(up.host, std::to_string(up.port), kAwait);
  if (stopped_) co_return false;
  if (resolve_ec) {
    co_await Fail(502, fmt::format("cannot resolve {}: {}", up.host, resolve_ec.message()));
    co_return false;
  }
  upstream_.expires_after(limits.connect_timeout);
  auto [connect_ec, endpoint] = co_await upstream_.async_connect(endpoints, kAwait);
  if (stopped_) co_return false;
  if (connect_ec == beast::error::timeout) {
    co_await Fail(502, fmt::format("connecting to {} timed out after {}", up.url,
                                   Seconds(limits.connect_timeout)));
    co_return false;
  }
  if (connect_ec) {
    co_await Fail(502, fmt::format("cannot connect to {}: {}", up.url, connect_ec.message()));
    co_return false;
  }
  beast::error_code ignored;
  upstream_.socket().set_option(tcp::no_delay(true), ignored);
  upstream_.expires_never();
  co_return true;
}

asio::awaitable<bool> ProxyExchange::SendRequest() {
  const auto& limits = proxy_->options.limits;
  auto& req = request_.get();
  beast::error_code ignored;
  ForwardedFrom from{client_host_, client_.socket().remote_endpoint(ignored).address().to_string(),
                     upgrade_};
  HeaderList headers = UpstreamRequestHeaders(Lowercased(req), proxy_->options.upstream, from);
  std::string head =
      fmt::format("{} {} HTTP/1.1\r\n", std::string_view(req.method_string()), target_);
  AppendHeaders(head, headers);
  const bool chunked = request_.chunked();
  if (chunked) {
    head += "transfer-encoding: chunked\r\n";
  } else if (auto length = request_.content_length(); length && *length > 0) {
    head += fmt::format("content-length: {}\r\n", *length);
  } else if (length) {
    head += "content-length: 0\r\n";
  }
  head += "\r\n";
  if (auto length = request_.content_length(); length && *length > limits.max_request_body_bytes) {
    co_await Fail(413, fmt::format("request body over the proxy's limit of {} bytes",
                                   limits.max_request_body_bytes));
    co_return false;
  }
  if (!co_await WriteUpstream(head)) co_return false;
  if (request_.is_done()) co_return true;

  // A client waiting for 100 Continue hears it from us (Expect is not forwarded).
  auto expect = req.find(http::field::expect);
  if (expect != req.end() && beast::iequals(expect->value(), "100-continue")) {
    if (!co_await WriteClient("HTTP/1.1 100 Continue\r\n\r\n")) co_return false;
  }
  co_return co_await SendRequestBody(chunked);
}

// Streams the body, each read bounded twice: by the idle timeout, and by the
// body's deadline (ProxyLimits::request_body_timeout), which moves on with
// every byte that arrives and with every wait for the upstream to take them.
asio::awaitable<bool> ProxyExchange::SendRequestBody(bool chunked) {
  using Clock = std::chrono::steady_clock;
  const auto& limits = proxy_->options.limits;
  auto& req = request_.get();
  const Clock::time_point start = Clock::now();
  Clock::duration upstream_wait{};
  std::uint64_t received = 0;
  scratch_.resize(kPieceBytes);
  while (!request_.is_done()) {
    req.body().data = scratch_.data();
    req.body().size = scratch_.size();
    const auto earned = std::chrono::milliseconds(received * 1000 / limits.min_request_body_rate);
    const Clock::time_point body_deadline =
        start + limits.request_body_timeout + earned + upstream_wait;
    const Clock::time_point idle_deadline = Clock::now() + limits.idle_timeout;
    const bool too_slow_first = body_deadline < idle_deadline;
    const std::uint64_t read = ++body_reads_;
    body_deadline_.expires_at(std::min(body_deadline, idle_deadline));
    body_deadline_.async_wait([self = shared_from_this(), read](beast::error_code ec) {
      if (ec || self->body_reads_ != read) return;
      self->body_deadline_passed_ = true;
      beast::error_code ignored;
      self->client_.socket().cancel(ignored);
    });
    client_.expires_never();
    auto [ec, n] = co_await http::async_read_some(client_, client_buffer_, request_, kAwait);
    ++body_reads_;  // whatever the deadline does now is about a read that is over
    body_deadline_.cancel();
    if (stopped_) co_return false;
    if (body_deadline_passed_) ec = beast::error::timeout;
    if (ec == http::error::need_buffer) ec = {};
    if (ec == http::error::body_limit) {
      co_await Fail(413, fmt::format("request body over the proxy's limit of {} bytes",
                                     limits.max_request_body_bytes));
      co_return false;
    }
    if (ec == beast::error::timeout && too_slow_first) {
      co_await Fail(
          408, fmt::format("request body too slow: {} bytes in {}; the proxy wants {} "
                           "bytes/s after the first {} (--proxy-body-min-rate, "
                           "--proxy-body-timeout)",
                           received, Tenths(Clock::now() - start - upstream_wait),
                           limits.min_request_body_rate, Seconds(limits.request_body_timeout)));
      co_return false;
    }
    if (ec == beast::error::timeout) {
      co_await Fail(408,
                    fmt::format("the request body stalled for {}", Seconds(limits.idle_timeout)));
      co_return false;
    }
    if (ec) {
      CloseAll();  // the browser went away mid-request
      co_return false;
    }
    std::size_t got = scratch_.size() - req.body().size;
    if (got == 0) continue;
    received += got;
    std::string_view piece(scratch_.data(), got);
    const Clock::time_point writing = Clock::now();
    if (chunked) {
      if (!co_await WriteUpstream(fmt::format("{:x}\r\n", got))) co_return false;
      if (!co_await WriteUpstream(piece)) co_return false;
      if (!co_await WriteUpstream("\r\n")) co_return false;
    } else if (!co_await WriteUpstream(piece)) {
      co_return false;
    }
    upstream_wait += Clock::now() - writing;
  }
  client_.expires_never();
  if (chunked && !co_await WriteUpstream("0\r\n\r\n")) co_return false;
  co_return true;
}

asio::awaitable<bool> ProxyExchange::ReadResponseHead() {
  const auto& limits = proxy_->options.limits;
  const Upstream& up = proxy_->options.upstream;
  // Set once: interim answers (103 Early Hints) do not put the deadline off.
  upstream_.expires_after(limits.response_timeout);
  for (;;) {
    response_.emplace();
    response_->header_limit(static_cast<std::uint32_t>(limits.max_response_header_bytes));
    response_->body_limit(boost::none);
    if (request_.get().method() == http::verb::head) response_->skip(true);
    auto [ec, n] =
        co_await http::async_read_header(upstream_, upstream_buffer_, *response_, kAwait);
    if (stopped_) co_return false;
    if (ec == beast::error::timeout) {
      co_await Fail(504, fmt::format("{} did not answer within {}", up.url,
                                     Seconds(limits.response_timeout)));
      co_return false;
    }
    if (ec == http::error::header_limit) {
      co_await Fail(502, fmt::format("{} sent response headers over the proxy's limit of {} bytes",
                                     up.url, limits.max_response_header_bytes));
      co_return false;
    }
    if (ec) {
      co_await Fail(502, fmt::format("{} closed the connection without a valid answer: {}", up.url,
                                     ec.message()));
      co_return false;
    }
    unsigned status = response_->get().result_int();
    if (auto problem = UnrelayableResponse(status, Lowercased(response_->get()))) {
      co_await Fail(502, fmt::format("{} {}", up.url, *problem));
      co_return false;
    }
    if (status >= 200 || status == 101) break;
    // An interim answer (103 Early Hints, ...): passed on, then the real one.
    if (request_.get().version() >= 11) {
      std::string head =
          fmt::format("HTTP/1.1 {} {}\r\n", status, ReasonOf(status, response_->get().reason()));
      AppendHeaders(
          head, DownstreamResponseHeaders(Lowercased(response_->get()), up, client_host_, false));
      head += "\r\n";
      if (!co_await WriteClient(head)) co_return false;
    }
  }
  upstream_.expires_never();

  if (response_->get().result_int() != 101) co_return true;
  if (!upgrade_) {
    co_await Fail(
        502, fmt::format("{} switched protocols on a request that asked for no upgrade", up.url));
    co_return false;
  }
  std::string head = fmt::format("HTTP/1.1 101 {}\r\n", ReasonOf(101, response_->get().reason()));
  AppendHeaders(head,
                DownstreamResponseHeaders(Lowercased(response_->get()), up, client_host_, true));
  head += "\r\n";
  if (!co_await WriteClient(head)) co_return false;
  // The sockets move to a tunnel, and the upstream connection's slot with them.
  handed_back_ = true;
  std::make_shared<ProxyTunnel>(std::move(client_), std::move(client_buffer_), std::move(upstream_),
                                std::move(upstream_buffer_), std::move(slot_), server_, proxy_)
      ->Run();
  stopped_ = true;
  co_return false;
}

asio::awaitable<bool> ProxyExchange::RelayResponse() {
  const auto& limits = proxy_->options.limits;
  const Upstream& up = proxy_->options.upstream;
  auto& res = response_->get();
  const unsigned status = res.result_int();
  const bool head_request = request_.get().method() == http::verb::head;
  const bool bodiless = head_request || status == 204 || status == 304;
  HeaderList upstream_headers = Lowercased(res);
  const bool html = IsHtml(FindHeader(upstream_headers, "content-type")) &&
                    IsIdentityEncoding(FindHeader(upstream_headers, "content-encoding")) &&
                    status != 204 && status != 304;
  const std::string& tag = proxy_->options.inject_tag;
  const std::size_t added = html ? tag.size() : 0;

  std::string head = fmt::format("HTTP/1.1 {} {}\r\n", status, ReasonOf(status, res.reason()));
  AppendHeaders(head, DownstreamResponseHeaders(upstream_headers, up, client_host_, false));
  enum class Framing { kNone, kLength, kChunked, kUntilClose } framing;
  auto length = response_->content_length();
  if (bodiless) {
    framing = Framing::kNone;
    if (length && status != 204) head += fmt::format("content-length: {}\r\n", *length + added);
  } else if (length) {
    framing = Framing::kLength;
    head += fmt::format("content-length: {}\r\n", *length + added);
  } else if (request_.get().version() >= 11) {
    framing = Framing::kChunked;
    head += "transfer-encoding: chunked\r\n";
  } else {
    framing = Framing::kUntilClose;
  }
  const bool keep_alive =
      request_.get().keep_alive() && framing != Framing::kUntilClose && !upgrade_;
  if (!keep_alive) head += "connection: close\r\n";
  head += "\r\n";
  if (!co_await WriteClient(head)) co_return false;
  head_sent_ = true;

  // Sends one piece with the framing chosen; an empty piece is never sent
  // as a chunk (it would end the stream).
  auto send = [this, framing](std::string_view piece) -> asio::awaitable<bool> {
    if (piece.empty()) co_return true;
    if (framing != Framing::kChunked) co_return co_await WriteClient(piece);
    std::string chunk = fmt::format("{:x}\r\n", piece.size());
    chunk.append(piece);
    chunk += "\r\n";
    co_return co_await WriteClient(chunk);
  };

  std::optional<HtmlInjector> injector;
  if (html && !bodiless) injector.emplace(tag);
  scratch_.resize(kPieceBytes);
  while (!response_->is_done()) {
    res.body().data = scratch_.data();
    res.body().size = scratch_.size();
    upstream_.expires_after(limits.idle_timeout);
    auto [ec, n] = co_await http::async_read_some(upstream_, upstream_buffer_, *response_, kAwait);
    if (stopped_) co_return false;
    if (ec == http::error::need_buffer) ec = {};
    if (ec) {
      fmt::print(stderr, "ng-annotate: proxy: {} {}: {} broke off the response: {}\n",
                 std::string_view(request_.get().method_string()),
                 std::string_view(request_.get().target()), up.url,
                 ec == beast::error::timeout
                     ? fmt::format("nothing for {}", Seconds(limits.idle_timeout))
                     : ec.message());
      CloseAll();  // the browser sees an incomplete body, not a complete wrong one
      co_return false;
    }
    std::size_t got = scratch_.size() - res.body().size;
    if (got == 0) continue;
    std::string_view piece(scratch_.data(), got);
    bool sent = injector ? co_await send(injector->Feed(piece)) : co_await send(piece);
    if (!sent) co_return false;
  }
  upstream_.expires_never();
  if (injector && !co_await send(injector->Finish())) co_return false;
  if (framing == Framing::kChunked && !co_await WriteClient("0\r\n\r\n")) co_return false;
  if (keep_alive) {
    HandBack();
  } else {
    CloseAll();
  }
  co_return true;
}

// While the upstream prepares or streams its answer nothing is read from the
// browser; this notices the browser hanging up (an SSE tab closed), so that
// the upstream connection is let go at once.
asio::awaitable<void> ProxyExchange::WatchClient(std::shared_ptr<ProxyExchange> self) {
  for (;;) {
    auto [ec] = co_await client_.socket().async_wait(tcp::socket::wait_read, kAwait);
    if (ec || stopped_ || handed_back_) co_return;
    char byte;
    beast::error_code peek_ec;
    auto& socket = client_.socket();
    socket.non_blocking(true, peek_ec);
    std::size_t n = socket.receive(asio::buffer(&byte, 1), tcp::socket::message_peek, peek_ec);
    if (peek_ec == asio::error::would_block) continue;
    if (peek_ec || n == 0) CloseAll();
    co_return;  // or a pipelined request: read after this exchange
  }
}

asio::awaitable<bool> ProxyExchange::WriteClient(std::string_view bytes) {
  client_.expires_after(proxy_->options.limits.idle_timeout);
  auto [ec, n] = co_await asio::async_write(client_, asio::buffer(bytes), kAwait);
  if (stopped_) co_return false;
  if (ec) {
    CloseAll();  // the browser is gone or does not read
    co_return false;
  }
  client_.expires_never();
  co_return true;
}

asio::awaitable<bool> ProxyExchange::WriteUpstream(std::string_view bytes) {
  upstream_.expires_after(proxy_->options.limits.idle_timeout);
  auto [ec, n] = co_await asio::async_write(upstream_, asio::buffer(bytes), kAwait);
  if (stopped_) co_return false;
  if (ec) {
    co_await Fail(502, fmt::format("{} closed the connection while taking the request: {}",
                                   proxy_->options.upstream.url, ec.message()));
    co_return false;
  }
  upstream_.expires_never();
  co_return true;
}

asio::awaitable<void> ProxyExchange::Fail(unsigned status, std::string error) {
  const auto& req = request_.get();
  fmt::print(stderr, "ng-annotate: proxy: {} {}: {}\n", std::string_view(req.method_string()),
             std::string_view(req.target()), error);
  if (!head_sent_ && !stopped_) {
    head_sent_ = true;
    for (char& c : error) {
      if (c == '\r' || c == '\n') c = ' ';  // it goes into a header
    }
    const bool page = status >= 500;
    std::string body =
        page ? UpstreamErrorPage(status, proxy_->options.upstream.url, error) : error + "\n";
    std::string head = fmt::format(
        "HTTP/1.1 {} {}\r\nServer: ng-annotate\r\ncontent-type: {}; charset=utf-8\r\n"
        "cache-control: no-store\r\nx-ng-annotate-proxy-error: {}\r\ncontent-length: {}\r\n"
        "connection: close\r\n\r\n",
        status, ReasonOf(status, {}), page ? "text/html" : "text/plain", error, body.size());
    if (req.method() != http::verb::head) head += body;
    client_.expires_after(proxy_->options.limits.idle_timeout);
    co_await asio::async_write(client_, asio::buffer(head), kAwait);
  }
  CloseAll();
}

// A complete exchange on a keep-alive connection: the browser's next request
// may be for ng-annotate itself, so the connection goes back to the server.
void ProxyExchange::HandBack() {
  beast::error_code ignored;
  upstream_.socket().close(ignored);
  slot_.Release();
  if (server_->shutting_down) return CloseAll();
  client_.socket().cancel(ignored);  // ends WatchClient
  handed_back_ = true;
  stopped_ = true;
  client_.expires_never();
  std::make_shared<HttpConnection>(client_.release_socket(), server_, std::move(client_buffer_))
      ->Run();
}

}  // namespace nga::net::detail

#include <fmt/format.h>

#include <boost/asio/write.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <cctype>
#include <chrono>

#include "net/connection.h"

namespace nga::net::detail {
namespace {

constexpr auto kReadTimeout = std::chrono::seconds(30);
constexpr auto kWriteTimeout = std::chrono::seconds(30);
constexpr std::size_t kHeaderLimit = 16 * 1024;

bool SafeHeaderText(std::string_view text) {
  return text.find_first_of("\r\n") == std::string_view::npos;
}

}  // namespace

// The handler's view of one request's answer. Holds the connection alive
// while the handler holds it.
class HttpResponderImpl : public HttpResponder {
 public:
  explicit HttpResponderImpl(std::shared_ptr<HttpConnection> connection)
      : connection_(std::move(connection)) {}

  ~HttpResponderImpl() override {
    if (closed_ || !connection_->open()) return;
    if (stage_ == Stage::kFresh) {
      connection_->SendResponse(500, "text/plain; charset=utf-8", "the handler did not answer\n",
                                {});
    } else if (stage_ == Stage::kStreaming) {
      connection_->SendStreamEnd();
    }
  }

  void Respond(unsigned status, std::string_view content_type, std::string body,
               HeaderList headers) override {
    if (stage_ != Stage::kFresh) return;
    stage_ = Stage::kDone;
    if (!closed_) connection_->SendResponse(status, content_type, std::move(body), headers);
  }

  void StartStream(unsigned status, std::string_view content_type, HeaderList headers) override {
    if (stage_ != Stage::kFresh) return;
    stage_ = Stage::kStreaming;
    if (!closed_) connection_->SendStreamHead(status, content_type, headers);
  }

  bool Write(std::string data) override {
    if (stage_ != Stage::kStreaming || closed_) return false;
    if (data.empty()) return true;
    return connection_->SendChunk(data);
  }

  void End() override {
    if (stage_ != Stage::kStreaming) return;
    stage_ = Stage::kDone;
    if (!closed_) connection_->SendStreamEnd();
  }

  void OnClose(std::function<void()> callback) override { on_close_ = std::move(callback); }
  bool closed() const override { return closed_; }

  // The connection ended before the answer was complete.
  void FireClose() {
    if (closed_) return;
    closed_ = true;
    if (stage_ == Stage::kDone) return;
    if (auto callback = std::move(on_close_)) callback();
  }

 private:
  enum class Stage { kFresh, kStreaming, kDone };
  std::shared_ptr<HttpConnection> connection_;
  Stage stage_ = Stage::kFresh;
  bool closed_ = false;
  std::function<void()> on_close_;
};

HttpRequest ToHttpRequest(const Request& request) {
  HttpRequest out;
  out.method = std::string(request.method_string());
  out.target = std::string(request.target());
  auto question = out.target.find('?');
  out.path = out.target.substr(0, question);
  if (question != std::string::npos) out.query = out.target.substr(question + 1);
  for (const auto& field : request) {
    std::string name(field.name_string());
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out.headers.emplace_back(std::move(name), std::string(field.value()));
  }
  out.body = request.body();
  return out;
}

HttpConnection::HttpConnection(tcp::socket socket, std::shared_ptr<ServerState> state,
                               beast::flat_buffer buffer)
    : stream_(std::move(socket)), state_(std::move(state)), buffer_(std::move(buffer)) {}

HttpConnection::~HttpConnection() { state_->Unregister(id_); }

void HttpConnection::Run() {
  id_ = state_->Register(weak_from_this());
  ReadRequest();
}

void HttpConnection::Stop() { Close(); }

void HttpConnection::ReadRequest() {
  if (stopped_) return;
  parser_.emplace();
  parser_->body_limit(state_->options.max_body_bytes);
  parser_->header_limit(kHeaderLimit);
  stream_.expires_after(kReadTimeout);
  if (state_->forwarder) {
    // The limit is the route's or the proxy's, known once the header is.
    parser_->body_limit(boost::none);
    http::async_read_header(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->OnHeader(ec); });
    return;
  }
  http::async_read(
      stream_, buffer_, *parser_,
      [self = shared_from_this()](beast::error_code ec, std::size_t) { self->OnRead(ec); });
}

// Proxy mode: the header decides between ng-annotate's own routes (the body
// is then read as usual) and the forwarder. A forwarded request passes the
// Host check (no rebinding through us to a dev server whose own Host check
// we satisfy); its Origin is the app's business and travels on.
void HttpConnection::OnHeader(beast::error_code ec) {
  if (stopped_) return;
  if (ec) return OnRead(ec);
  std::string_view target = parser_->get().target();
  std::string_view path = target.substr(0, target.find('?'));
  if (!state_->forwarder->Claims(path)) {
    const std::uint64_t limit = state_->options.max_body_bytes;
    if (auto length = parser_->content_length(); length && *length > limit) {
      return Refuse(413, "request body too large", true);
    }
    parser_->body_limit(limit);
    http::async_read(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->OnRead(ec); });
    return;
  }
  std::optional<std::string_view> host;
  const auto& header = parser_->get();
  if (auto it = header.find(http::field::host); it != header.end()) host = it->value();
  if (auto reason = state_->options.access.Check(host, std::nullopt)) {
    keep_alive_ = false;
    return Refuse(403, "forbidden: " + *reason, true);
  }
  stopped_ = true;  // the socket moves to the forwarder; this object is done
  stream_.expires_never();
  state_->forwarder->Forward(stream_.release_socket(), std::move(buffer_), std::move(*parser_),
                             state_);
}

void HttpConnection::OnRead(beast::error_code ec) {
  if (stopped_) return;
  if (ec == http::error::end_of_stream || ec == boost::asio::error::operation_aborted ||
      ec == beast::error::timeout || ec == boost::asio::error::connection_reset) {
    return Close();
  }
  if (ec == http::error::body_limit) return Refuse(413, "request body too large", true);
  if (ec == http::error::header_limit) return Refuse(431, "request headers too large", true);
  if (ec) return Refuse(400, "malformed request: " + ec.message(), true);
  Dispatch(parser_->release());
}

void HttpConnection::Dispatch(Request request) {
  keep_alive_ = request.keep_alive();
  head_only_ = request.method() == http::verb::head;

  if (request.count(http::field::host) > 1) return Refuse(400, "more than one Host header", true);
  if (request.count(http::field::origin) > 1) {
    return Refuse(400, "more than one Origin header", true);
  }
  std::optional<std::string_view> host, origin;
  if (auto it = request.find(http::field::host); it != request.end()) host = it->value();
  if (auto it = request.find(http::field::origin); it != request.end()) origin = it->value();
  if (auto reason = state_->options.access.Check(host, origin)) {
    return Refuse(403, "forbidden: " + *reason, true);
  }
  // An absolute-form target (RFC 9112 §3.2.2) names a host too: it must be
  // an allowed one, and routing uses its path.
  if (std::string target(request.target()); !target.empty() && target.front() != '/') {
    auto scheme_end = target.find("://");
    if (scheme_end == std::string::npos) return Refuse(400, "malformed request target", true);
    auto path_start = target.find_first_of("/?", scheme_end + 3);
    std::string authority = target.substr(scheme_end + 3, path_start - (scheme_end + 3));
    if (auto reason = state_->options.access.Check(authority, std::nullopt)) {
      return Refuse(403, "forbidden: request target: " + *reason, true);
    }
    std::string rest = path_start == std::string::npos ? "/" : target.substr(path_start);
    if (rest.front() == '?') rest.insert(0, "/");
    request.target(rest);
  }
  if (websocket::is_upgrade(request)) return Upgrade(std::move(request));

  HttpRequest plain = ToHttpRequest(request);
  plain.remote_address = RemoteAddress();
  if (state_->options.gate) {
    if (auto refusal = state_->options.gate(plain, /*upgrade=*/false)) {
      return Refuse(refusal->status, std::move(refusal->reason), false, refusal->headers);
    }
  }
  const HttpHandler* handler = state_->FindRoute(plain.path);
  if (handler == nullptr) return Refuse(404, "not found: " + plain.path, false);

  answering_ = true;
  stream_.expires_never();
  auto responder = std::make_shared<HttpResponderImpl>(shared_from_this());
  responder_ = responder;
  WatchForClose();
  (*handler)(plain, std::move(responder));
}

void HttpConnection::Upgrade(Request request) {
  std::string target(request.target());
  std::string path = target.substr(0, target.find('?'));
  // Team mode: refused before the handshake (and before saying which paths
  // exist), so a client sees the status.
  std::optional<Caller> caller;
  std::string remote = RemoteAddress();
  if (state_->options.gate) {
    HttpRequest plain = ToHttpRequest(request);
    plain.remote_address = remote;
    if (auto refusal = state_->options.gate(plain, /*upgrade=*/true)) {
      return Refuse(refusal->status, std::move(refusal->reason), true, refusal->headers);
    }
    caller = std::move(plain.caller);
  }
  const WsAcceptor* acceptor = state_->FindWsRoute(path);
  if (acceptor == nullptr) return Refuse(404, "no WebSocket at " + path, true);
  stopped_ = true;  // the socket moves to the WebSocket; this object is done
  stream_.expires_never();
  auto socket = stream_.release_socket();
  auto ws = std::make_shared<WsConnection>(std::move(socket), state_);
  ws->Run(std::move(request), *acceptor, std::move(caller), std::move(remote));
}

void HttpConnection::Refuse(unsigned status, std::string reason, bool close,
                            const HeaderList& headers) {
  answering_ = true;
  if (close) keep_alive_ = false;
  SendResponse(status, "text/plain; charset=utf-8", std::move(reason) + "\n", headers);
}

std::string HttpConnection::RemoteAddress() const {
  beast::error_code ec;
  auto endpoint = stream_.socket().remote_endpoint(ec);
  return ec ? std::string() : endpoint.address().to_string();
}

// While a handler works (or streams), nothing is read from the socket; this
// notices the client hanging up, so that the handler hears of it at once.
void HttpConnection::WatchForClose() {
  stream_.socket().async_wait(
      tcp::socket::wait_read, [self = shared_from_this()](beast::error_code ec) {
        if (ec || self->stopped_ || !self->answering_) return;
        char byte;
        beast::error_code peek_ec;
        auto& socket = self->stream_.socket();
        socket.non_blocking(true, peek_ec);
        std::size_t n =
            socket.receive(boost::asio::buffer(&byte, 1), tcp::socket::message_peek, peek_ec);
        if (peek_ec == boost::asio::error::would_block) return self->WatchForClose();
        if (peek_ec || n == 0) self->Close();
        // Otherwise a pipelined request arrived: it is read after this answer.
      });
}

namespace {

// The status line, Server, Content-Type and the handler's headers (those
// that could split the response are dropped), without the closing blank line.
std::string ResponseHead(unsigned status, std::string_view content_type,
                         const HeaderList& headers) {
  std::string head =
      fmt::format("HTTP/1.1 {} {}\r\nServer: ng-annotate\r\n", status,
                  std::string_view(http::obsolete_reason(static_cast<http::status>(status))));
  if (!content_type.empty()) head += fmt::format("Content-Type: {}\r\n", content_type);
  for (const auto& [name, value] : headers) {
    if (SafeHeaderText(name) && SafeHeaderText(value))
      head += fmt::format("{}: {}\r\n", name, value);
  }
  return head;
}

}  // namespace

void HttpConnection::SendResponse(unsigned status, std::string_view content_type, std::string body,
                                  const HeaderList& headers) {
  if (stopped_) return;
  std::string head = ResponseHead(status, content_type, headers);
  bool bodiless = status == 204 || status == 304 || status < 200;
  if (!bodiless) head += fmt::format("Content-Length: {}\r\n", body.size());
  if (!keep_alive_) head += "Connection: close\r\n";
  head += "\r\n";
  if (!bodiless && !head_only_) head += body;
  complete_after_write_ = true;
  Enqueue(std::move(head));
}

void HttpConnection::SendStreamHead(unsigned status, std::string_view content_type,
                                    const HeaderList& headers) {
  if (stopped_) return;
  std::string head = ResponseHead(status, content_type, headers);
  head += "Transfer-Encoding: chunked\r\n";
  if (!keep_alive_) head += "Connection: close\r\n";
  head += "\r\n";
  Enqueue(std::move(head));
}

bool HttpConnection::SendChunk(std::string_view data) {
  if (stopped_) return false;
  if (out_bytes_ + data.size() > state_->options.max_queue_bytes) {
    Close();  // a client that does not read: let it go
    return false;
  }
  Enqueue(fmt::format("{:x}\r\n{}\r\n", data.size(), data));
  return true;
}

void HttpConnection::SendStreamEnd() {
  if (stopped_) return;
  complete_after_write_ = true;
  Enqueue("0\r\n\r\n");
}

void HttpConnection::Enqueue(std::string bytes) {
  out_bytes_ += bytes.size();
  out_.push_back(std::move(bytes));
  if (!writing_) WriteNext();
}

void HttpConnection::WriteNext() {
  writing_ = true;
  stream_.expires_after(kWriteTimeout);
  boost::asio::async_write(
      stream_, boost::asio::buffer(out_.front()),
      [self = shared_from_this()](beast::error_code ec, std::size_t n) { self->OnWritten(ec, n); });
}

void HttpConnection::OnWritten(beast::error_code ec, std::size_t) {
  writing_ = false;
  out_bytes_ -= out_.front().size();
  out_.pop_front();
  if (stopped_) return;
  if (ec) return Close();
  if (!out_.empty()) return WriteNext();
  stream_.expires_never();
  if (complete_after_write_) AnswerComplete();
}

void HttpConnection::AnswerComplete() {
  complete_after_write_ = false;
  answering_ = false;
  responder_.reset();
  if (!keep_alive_ || state_->shutting_down) return Close();
  ReadRequest();
}

void HttpConnection::Close() {
  if (stopped_) return;
  stopped_ = true;
  if (auto responder = responder_.lock()) responder->FireClose();
  beast::error_code ignored;
  stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
  stream_.socket().close(ignored);
}

}  // namespace nga::net::detail

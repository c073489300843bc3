// Internal to src/net: the connection types behind HttpServer. Includes
// Beast; include it only from src/net/*.cpp.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/websocket/stream.hpp>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "net/http.h"
#include "net/server.h"

namespace nga::net::detail {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = boost::asio::ip::tcp;
using Request = http::request<http::string_body>;

// A live connection, as the server sees it for shutdown.
class Connection {
 public:
  virtual ~Connection() = default;
  // Ends the connection soon (WebSockets with 1001). Idempotent.
  virtual void Stop() = 0;
};

// What the server and its connections share. Outlives both (each holds a
// shared_ptr), so a connection finishing after the server object is gone is fine.
struct ServerState {
  explicit ServerState(boost::asio::any_io_executor executor, ServerOptions options)
      : executor(std::move(executor)), options(std::move(options)) {}

  boost::asio::any_io_executor executor;
  ServerOptions options;
  std::vector<std::pair<std::string, HttpHandler>> routes;  // longest prefix first
  std::vector<std::pair<std::string, WsAcceptor>> ws_routes;
  std::unordered_map<std::uint64_t, std::weak_ptr<Connection>> live;
  std::uint64_t next_id = 1;
  bool shutting_down = false;
  std::function<void()> on_drained;
  std::shared_ptr<Forwarder> forwarder;  // serve --proxy; null otherwise

  std::uint64_t Register(std::weak_ptr<Connection> connection);
  void Unregister(std::uint64_t id);
  const HttpHandler* FindRoute(std::string_view path) const;
  const WsAcceptor* FindWsRoute(std::string_view path) const;
};

// Takes over requests that are not ng-annotate's own (serve --proxy): once
// set on the server, each request's header is read first, and when Claims()
// its path, the connection (socket, what was read past the header, the
// parser holding the header) is handed to Forward() instead of being routed.
class Forwarder {
 public:
  virtual ~Forwarder() = default;
  virtual bool Claims(std::string_view path) const = 0;
  virtual void Forward(tcp::socket client, beast::flat_buffer buffer,
                       http::request_parser<http::string_body>&& header,
                       std::shared_ptr<ServerState> state) = 0;
};

// The plain-types view of a Beast request.
HttpRequest ToHttpRequest(const Request& request);

class HttpResponderImpl;

// One HTTP/1.1 connection: reads requests one at a time, answers each
// through a responder before reading the next.
class HttpConnection : public Connection, public std::enable_shared_from_this<HttpConnection> {
 public:
  // `buffer`: bytes already read from the socket (a connection handed back
  // by the proxy after a forwarded exchange, with a pipelined request).
  HttpConnection(tcp::socket socket, std::shared_ptr<ServerState> state,
                 beast::flat_buffer buffer = {});
  ~HttpConnection() override;
  void Run();
  void Stop() override;

  // For the responder.
  void SendResponse(unsigned status, std::string_view content_type, std::string body,
                    const HeaderList& headers);
  void SendStreamHead(unsigned status, std::string_view content_type, const HeaderList& headers);
  bool SendChunk(std::string_view data);
  void SendStreamEnd();
  bool open() const { return !stopped_; }

 private:
  void ReadRequest();
  void OnRead(beast::error_code ec);
  void OnHeader(beast::error_code ec);
  void Dispatch(Request request);
  void Upgrade(Request request);
  void Refuse(unsigned status, std::string reason, bool close, const HeaderList& headers = {});
  std::string RemoteAddress() const;
  void WatchForClose();
  void Enqueue(std::string bytes);
  void WriteNext();
  void OnWritten(beast::error_code ec, std::size_t bytes);
  void AnswerComplete();
  void Close();

  beast::tcp_stream stream_;
  std::shared_ptr<ServerState> state_;
  std::uint64_t id_ = 0;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  bool keep_alive_ = true;
  bool head_only_ = false;  // a HEAD request: headers, no body
  bool answering_ = false;  // a request was dispatched, its answer not yet complete
  bool complete_after_write_ = false;
  bool stopped_ = false;
  std::weak_ptr<HttpResponderImpl> responder_;
  std::deque<std::string> out_;
  std::size_t out_bytes_ = 0;
  bool writing_ = false;
};

// One WebSocket.
class WsConnection : public Connection,
                     public WsPeer,
                     public std::enable_shared_from_this<WsConnection> {
 public:
  WsConnection(tcp::socket socket, std::shared_ptr<ServerState> state);
  ~WsConnection() override;
  // `caller`: who the gate admitted (team mode), handed to the acceptor.
  void Run(Request upgrade, WsAcceptor acceptor, std::optional<Caller> caller = std::nullopt,
           std::string remote_address = {});
  void Stop() override;
  void Send(std::shared_ptr<const std::string> text) override;
  void Close(std::uint16_t code, std::string reason) override;

 private:
  void OnAccept(beast::error_code ec, WsAcceptor acceptor);
  void Read();
  void OnRead(beast::error_code ec);
  void OnHeader(beast::error_code ec);
  void WriteNext();
  void OnWritten(beast::error_code ec);
  void PauseReading();
  void ResumeReading();
  void WatchForStall(std::chrono::steady_clock::duration after);
  void OnStallCheck();
  void SendClose();
  void Finish();

  websocket::stream<beast::tcp_stream> ws_;
  std::shared_ptr<ServerState> state_;
  std::uint64_t id_ = 0;
  Request upgrade_;
  std::optional<Caller> caller_;
  std::string remote_address_;
  beast::flat_buffer buffer_;
  std::unique_ptr<WsHandler> handler_;
  std::deque<std::shared_ptr<const std::string>> queue_;
  std::size_t queued_bytes_ = 0;
  bool writing_ = false;
  bool reading_ = false;                    // an async_read_some is outstanding
  bool paused_ = false;                     // reading stopped: the queue is over the pause mark
  std::size_t read_unanswered_ = 0;         // bytes of messages read since a write last completed
  boost::asio::steady_timer resume_timer_;  // see kUnansweredPause
  // The stall watch: armed while frames are being written; last_progress_
  // is when a write last started from an idle queue or last completed.
  boost::asio::steady_timer stall_timer_;
  bool stall_watched_ = false;
  std::chrono::steady_clock::time_point last_progress_;
  bool stalled_ = false;  // closed for a stall; the next check drops the TCP connection
  bool closing_ = false;  // Close() was called
  bool close_sent_ = false;
  bool finished_ = false;
  websocket::close_reason close_reason_;
};

}  // namespace nga::net::detail

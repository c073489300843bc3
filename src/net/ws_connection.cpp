#include <fmt/format.h>

#include <boost/beast/websocket/stream.hpp>
#include <chrono>

#include "net/connection.h"

namespace nga::net::detail {
namespace {

// Beast's own pings keep a quiet socket alive and drop a dead one. Its idle
// clock runs only while a read is outstanding (each read restarts it), so
// while reading is paused it is off (`reading` false): the stall watch is
// what drops a dead client then, and a slow one is not dropped for being
// paused longer than the idle timeout.
websocket::stream_base::timeout Timeouts(bool reading) {
  websocket::stream_base::timeout timeout{};
  timeout.handshake_timeout = std::chrono::seconds(30);
  timeout.idle_timeout = reading ? std::chrono::seconds(60) : websocket::stream_base::none();
  timeout.keep_alive_pings = true;
  return timeout;
}

// The "type" of one of our frames, for a close reason: {"type":"x",...}.
std::string FrameType(std::string_view text) {
  constexpr std::string_view kPrefix = R"({"type":")";
  if (!text.starts_with(kPrefix)) return "unknown";
  auto end = text.find('"', kPrefix.size());
  if (end == std::string_view::npos || end - kPrefix.size() > 24) return "unknown";
  return std::string(text.substr(kPrefix.size(), end - kPrefix.size()));
}

// How much one read may add to a message being received.
constexpr std::size_t kReadChunkBytes = 64 * 1024;

// A socket paused for input that has had no answer yet, with nothing being
// written, is read again after this: its answers may be held by the group
// commit (which commits once the loop goes quiet), or there may be none.
constexpr auto kUnansweredPause = std::chrono::milliseconds(5);

// Closes the socket and ends every operation pending on it. Cancelled first:
// Windows ends pending overlapped I/O at closesocket, but Wine (8.0) leaves
// a send that waits for a peer that never reads pending after the close, so
// its handler never ran and a stalled socket was never dropped
// (WsBackpressureTest.ASocketThatNeverReadsIsDroppedAndItsHandlerHearsIt,
// and a probe program: close alone left the write pending, cancel ended it).
// Asio's cancel (CancelIoEx there) ends it; on POSIX the close alone does.
void Drop(tcp::socket& socket) {
  beast::error_code ignored;
  socket.cancel(ignored);
  socket.close(ignored);
}

}  // namespace

WsConnection::WsConnection(tcp::socket socket, std::shared_ptr<ServerState> state)
    : ws_(std::move(socket)),
      state_(std::move(state)),
      resume_timer_(ws_.get_executor()),
      stall_timer_(ws_.get_executor()) {}

WsConnection::~WsConnection() { state_->Unregister(id_); }

void WsConnection::Run(Request upgrade, WsAcceptor acceptor, std::optional<Caller> caller,
                       std::string remote_address) {
  id_ = state_->Register(weak_from_this());
  upgrade_ = std::move(upgrade);
  caller_ = std::move(caller);
  remote_address_ = std::move(remote_address);
  ws_.set_option(Timeouts(/*reading=*/true));
  ws_.set_option(websocket::stream_base::decorator([](websocket::response_type& response) {
    response.set(http::field::server, "ng-annotate");
  }));
  // The size limit is ours (see OnRead): Beast's own ends in a teardown that
  // resets the connection while the client is still sending.
  ws_.read_message_max(0);
  ws_.auto_fragment(false);
  ws_.async_accept(upgrade_,
                   [self = shared_from_this(), acceptor = std::move(acceptor)](
                       beast::error_code ec) mutable { self->OnAccept(ec, std::move(acceptor)); });
}

void WsConnection::OnAccept(beast::error_code ec, WsAcceptor acceptor) {
  if (ec) return Finish();
  HttpRequest plain = ToHttpRequest(upgrade_);
  plain.caller = std::move(caller_);
  plain.remote_address = std::move(remote_address_);
  handler_ = acceptor(plain, shared_from_this());
  upgrade_ = {};
  if (!handler_) {
    Close(static_cast<std::uint16_t>(websocket::close_code::internal_error), "server error");
  } else if (state_->shutting_down) {
    Stop();
  }
  Read();
}

void WsConnection::Stop() {
  Close(static_cast<std::uint16_t>(websocket::close_code::going_away), "server shutting down");
}

void WsConnection::Read() {
  reading_ = true;
  ws_.async_read_some(
      buffer_, kReadChunkBytes,
      [self = shared_from_this()](beast::error_code ec, std::size_t) { self->OnRead(ec); });
}

// Errors end the socket (Beast has already answered a peer's close frame).
// A message over the limit is closed with 1009 through async_close, which
// sends the close frame, reads and discards the rest of the message until
// the client's own close frame, and only then shuts the socket: Beast 1.81's
// built-in limit instead reads 2 KiB after its close frame and closes, so a
// client still sending got a reset and saw 1006 rather than 1009.
void WsConnection::OnRead(beast::error_code ec) {
  reading_ = false;
  if (ec) return Finish();
  if (buffer_.size() > state_->options.max_ws_message_bytes) {
    buffer_.consume(buffer_.size());
    return Close(static_cast<std::uint16_t>(websocket::close_code::too_big), "message too big");
  }
  if (!ws_.is_message_done()) return Read();
  if (handler_ && !closing_) {
    const auto data = buffer_.cdata();
    handler_->OnMessage(std::string_view(static_cast<const char*>(data.data()), data.size()));
  }
  read_unanswered_ += buffer_.size();
  buffer_.consume(buffer_.size());
  // Backpressure: a client whose answers pile up is not read until they
  // drain (OnWritten resumes), rather than being closed for reading slowly.
  // Input not yet answered counts too: the group commit holds replies until
  // its batch commits, and would otherwise queue them all at once.
  const std::size_t mark = state_->options.ws_pause_reading_bytes;
  if (!closing_ && (queued_bytes_ > mark || read_unanswered_ > mark)) return PauseReading();
  Read();
}

void WsConnection::PauseReading() {
  paused_ = true;
  ws_.set_option(Timeouts(/*reading=*/false));
  if (writing_) return;  // OnWritten resumes
  resume_timer_.expires_after(kUnansweredPause);
  // A strong pointer: with no read or write outstanding, this timer is what
  // keeps the socket alive.
  resume_timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
    if (ec || !self->paused_ || self->writing_ || self->closing_ || self->finished_) return;
    self->read_unanswered_ = 0;
    self->ResumeReading();
  });
}

void WsConnection::ResumeReading() {
  paused_ = false;
  ws_.set_option(Timeouts(/*reading=*/true));
  Read();  // restarts Beast's idle clock
}

void WsConnection::Send(std::shared_ptr<const std::string> text) {
  if (closing_ || finished_ || !text) return;
  if (queued_bytes_ + text->size() > state_->options.max_queue_bytes) {
    // The client is told what it lost, in the close reason (≤ 123 bytes).
    std::size_t dropped = queue_.size() - (writing_ ? 1 : 0);
    return Close(static_cast<std::uint16_t>(websocket::close_code::policy_error),
                 fmt::format("outbound queue full: dropped a {}-byte {} frame and {} queued "
                             "frame(s); reconnect to resync",
                             text->size(), FrameType(*text), dropped));
  }
  queued_bytes_ += text->size();
  queue_.push_back(std::move(text));
  if (!writing_) WriteNext();
}

void WsConnection::WriteNext() {
  writing_ = true;
  last_progress_ = std::chrono::steady_clock::now();
  if (!stall_watched_) WatchForStall(state_->options.ws_stall_timeout);
  ws_.text(true);
  ws_.async_write(
      boost::asio::buffer(*queue_.front()),
      [self = shared_from_this()](beast::error_code ec, std::size_t) { self->OnWritten(ec); });
}

void WsConnection::OnWritten(beast::error_code ec) {
  writing_ = false;
  queued_bytes_ -= queue_.front()->size();
  queue_.pop_front();
  if (ec) {
    Drop(beast::get_lowest_layer(ws_).socket());  // a pending read then ends too
    if (!reading_) Finish();                      // reading was paused: this is the end
    return;
  }
  if (closing_) return SendClose();
  read_unanswered_ = 0;  // the client is being answered
  if (paused_ && queued_bytes_ <= state_->options.ws_resume_reading_bytes) ResumeReading();
  if (!queue_.empty()) WriteNext();
}

// One timer per socket, re-armed from last_progress_ rather than per frame.
// A weak pointer: a pending check does not keep a finished socket alive.
void WsConnection::WatchForStall(std::chrono::steady_clock::duration after) {
  stall_watched_ = true;
  stall_timer_.expires_after(after);
  stall_timer_.async_wait([weak = weak_from_this()](beast::error_code ec) {
    auto self = weak.lock();
    if (!self || ec) return;  // cancelled: the socket finished
    self->stall_watched_ = false;
    self->OnStallCheck();
  });
}

void WsConnection::OnStallCheck() {
  if (finished_) return;
  const auto timeout = state_->options.ws_stall_timeout;
  if (stalled_) {
    // Not even the close got through: the client is gone or never reads.
    Drop(beast::get_lowest_layer(ws_).socket());  // pending operations end, then Finish
    return;
  }
  if (!writing_) return;  // drained; the next write re-arms
  const auto idle = std::chrono::steady_clock::now() - last_progress_;
  if (idle < timeout) return WatchForStall(timeout - idle);
  stalled_ = true;
  std::size_t dropped = queue_.size() - 1;  // the frame in flight stays
  Close(static_cast<std::uint16_t>(websocket::close_code::policy_error),
        fmt::format("outbound queue stalled: no write progress for {:g} s; dropped {} queued "
                    "frame(s); reconnect to resync",
                    std::chrono::duration<double>(timeout).count(), dropped));
  WatchForStall(timeout);
}

void WsConnection::Close(std::uint16_t code, std::string reason) {
  if (closing_ || finished_) return;
  closing_ = true;
  close_reason_ = websocket::close_reason(static_cast<websocket::close_code>(code), reason);
  // Drop what is not yet being written; close after the frame in flight.
  while (queue_.size() > (writing_ ? 1u : 0u)) {
    queued_bytes_ -= queue_.back()->size();
    queue_.pop_back();
  }
  if (!writing_) SendClose();
}

void WsConnection::SendClose() {
  if (close_sent_ || finished_) return;
  close_sent_ = true;
  ws_.async_close(close_reason_, [self = shared_from_this()](beast::error_code ec) {
    if (ec) Drop(beast::get_lowest_layer(self->ws_).socket());
    // With a read outstanding, its completion ends the socket; without one
    // (a message over the limit stopped reading), this is the end.
    if (!self->reading_) self->Finish();
  });
}

void WsConnection::Finish() {
  if (finished_) return;
  finished_ = true;
  resume_timer_.cancel();
  stall_timer_.cancel();
  if (auto handler = std::move(handler_)) handler->OnClose();
}

}  // namespace nga::net::detail

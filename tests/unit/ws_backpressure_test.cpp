// A WebSocket's outbound queue (issue 21 item 8): a client that pipelines
// requests and reads slowly is slowed down (its requests are not read while
// its answers pile up), never closed; a client whose socket takes nothing for
// ServerOptions::ws_stall_timeout is closed with 1008, and dropped when even
// that close cannot be written. The server runs on its own thread; the test
// is a blocking Beast client, bounded by a watchdog that shuts its socket.
#include <gtest/gtest.h>
#if defined(_WIN32)
#include <winsock2.h>
#else
#include <sys/socket.h>
#endif

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket/stream.hpp>
#include <chrono>
#include <condition_variable>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "net/server.h"

namespace nga::net {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;

constexpr std::size_t kFrameBytes = 256 * 1024;

// Each message "N..." is answered with N frames of kFrameBytes, each
// starting "reply <k> to <message>" ("0..." gets no answer).
class Burster : public WsHandler {
 public:
  Burster(std::shared_ptr<WsPeer> peer, std::promise<void>* closed)
      : peer_(std::move(peer)), closed_(closed) {}
  void OnMessage(std::string_view data) override {
    const int count = std::stoi(std::string(data));
    for (int k = 0; k < count; k++) {
      auto frame = std::make_shared<std::string>("reply " + std::to_string(k) + " to " +
                                                 std::string(data) + "|");
      frame->resize(kFrameBytes, '.');
      peer_->Send(std::move(frame));
    }
  }
  void OnClose() override {
    if (closed_) closed_->set_value();
  }

 private:
  std::shared_ptr<WsPeer> peer_;
  std::promise<void>* closed_;
};

// Shuts the socket down when the deadline passes, so a blocked read returns.
class Watchdog {
 public:
  Watchdog(tcp::socket& socket, std::chrono::seconds deadline)
      : thread_([this, fd = socket.native_handle(), deadline] {
          std::unique_lock lock(mutex_);
          if (!done_cv_.wait_for(lock, deadline, [this] { return done_; })) {
            fired_ = true;
#if defined(_WIN32)
            ::shutdown(fd, SD_BOTH);
#else
            ::shutdown(fd, SHUT_RDWR);
#endif
          }
        }) {
  }
  ~Watchdog() {
    {
      std::lock_guard lock(mutex_);
      done_ = true;
    }
    done_cv_.notify_one();
    thread_.join();
  }
  bool fired() const { return fired_; }

 private:
  std::mutex mutex_;
  std::condition_variable done_cv_;
  bool done_ = false;
  std::atomic<bool> fired_ = false;
  std::thread thread_;
};

class WsBackpressureTest : public ::testing::Test {
 protected:
  void Start(std::chrono::milliseconds stall_timeout) {
    ServerOptions options;
    options.ws_pause_reading_bytes = 1024 * 1024;
    options.ws_resume_reading_bytes = 256 * 1024;
    options.max_queue_bytes = 16 * 1024 * 1024;
    options.ws_stall_timeout = stall_timeout;
    auto server = HttpServer::Listen(io_, std::move(options));
    ASSERT_TRUE(server) << server.error().message;
    server_ = std::move(*server);
    server_->WebSocketRoute("/ws", [this](const HttpRequest&, std::shared_ptr<WsPeer> peer) {
      return std::make_unique<Burster>(std::move(peer), &closed_);
    });
    server_->Start();
    thread_ = std::thread([this] { io_.run(); });
  }
  // Bounded: a connection that never finishes (a write the socket's close
  // did not end, as under Wine before Drop cancelled it) would keep the
  // server's Shutdown from ever calling back, and the join from returning.
  void TearDown() override {
    if (!thread_.joinable()) return;
    auto drained = std::make_shared<std::promise<void>>();
    asio::post(io_, [this, drained] {
      server_->Shutdown([this, drained] {
        drained->set_value();
        io_.stop();
      });
    });
    if (drained->get_future().wait_for(20s) != std::future_status::ready) {
      ADD_FAILURE() << "the server did not shut down within 20 s: a connection never finished";
      io_.stop();
    }
    thread_.join();
  }
  std::unique_ptr<websocket::stream<tcp::socket>> Connect() {
    auto ws = std::make_unique<websocket::stream<tcp::socket>>(client_io_);
    ws->next_layer().connect({asio::ip::make_address("127.0.0.1"), server_->port()});
    ws->handshake("localhost", "/ws");
    ws->text(true);
    return ws;
  }
  std::size_t Connections() {
    std::promise<std::size_t> count;
    asio::post(io_, [&] { count.set_value(server_->connection_count()); });
    return count.get_future().get();
  }

  asio::io_context io_;
  asio::io_context client_io_;
  std::unique_ptr<HttpServer> server_;
  std::thread thread_;
  std::promise<void> closed_;
};

// 100 requests pipelined, 25 MiB of answers: past the 16 MiB cap, which the
// server reached by reading them all (closing with 1008) before backpressure.
TEST_F(WsBackpressureTest, APipeliningClientThatReadsSlowlyGetsEveryAnswer) {
  Start(30s);
  auto ws = Connect();
  Watchdog watchdog(ws->next_layer(), 60s);
  constexpr int kRequests = 100;
  for (int i = 0; i < kRequests; i++) ws->write(asio::buffer(std::string("1")));
  std::this_thread::sleep_for(200ms);  // let the server fill what it will
  for (int i = 0; i < kRequests; i++) {
    beast::flat_buffer buffer;
    beast::error_code ec;
    ws->read(buffer, ec);
    ASSERT_FALSE(ec) << "answer " << i << ": " << ec.message() << " (close code "
                     << ws->reason().code << ": " << ws->reason().reason << ")";
    EXPECT_EQ(buffer.size(), kFrameBytes);
    EXPECT_TRUE(beast::buffers_to_string(buffer.data()).starts_with("reply 0 to 1|"));
    if (i % 10 == 0) std::this_thread::sleep_for(10ms);  // a slow reader
  }
  ws->close(websocket::close_code::normal);
  EXPECT_FALSE(watchdog.fired());
}

// 56 frames (14 MiB) is more than the loopback buffers take from a client
// that never reads: the writes stall, the close comes at 4 s, and a client
// that looks again at 6 s (well before the drop at 8 s) reads it.
TEST_F(WsBackpressureTest, ASocketThatTakesNothingIsClosedWith1008) {
  Start(4s);
  auto ws = Connect();
  Watchdog watchdog(ws->next_layer(), 60s);
  ws->write(asio::buffer(std::string("56")));
  std::this_thread::sleep_for(6s);
  int frames = 0;
  for (;;) {
    beast::flat_buffer buffer;
    beast::error_code ec;
    ws->read(buffer, ec);
    if (ec) {
      EXPECT_EQ(ec, websocket::error::closed) << ec.message();
      break;
    }
    ASSERT_LT(++frames, 56) << "every frame arrived: the socket was not closed for its stall";
  }
  EXPECT_EQ(ws->reason().code, websocket::close_code::policy_error);
  EXPECT_TRUE(std::string(ws->reason().reason.data(), ws->reason().reason.size())
                  .starts_with("outbound queue stalled"))
      << ws->reason().reason;
  EXPECT_EQ(closed_.get_future().wait_for(10s), std::future_status::ready);
  EXPECT_FALSE(watchdog.fired());
}

// The same client never reading at all: the close frame cannot go out, so
// the TCP connection is dropped (about 2 × 1 s) and the handler hears it,
// although the socket was not being read (its reading was paused).
TEST_F(WsBackpressureTest, ASocketThatNeverReadsIsDroppedAndItsHandlerHearsIt) {
  Start(1s);
  auto ws = Connect();
  ws->write(asio::buffer(std::string("56")));
  EXPECT_EQ(closed_.get_future().wait_for(20s), std::future_status::ready);
  EXPECT_EQ(Connections(), 0u);
}

// Input that is never answered pauses the socket too (the group commit may
// hold answers), but only for a moment: 2.5 MiB of messages that want no
// answer, then one that does, and that one is answered.
TEST_F(WsBackpressureTest, InputThatWantsNoAnswerIsStillRead) {
  Start(30s);
  auto ws = Connect();
  Watchdog watchdog(ws->next_layer(), 60s);
  const std::string silent = "0|" + std::string(64 * 1024, '.');
  for (int i = 0; i < 40; i++) ws->write(asio::buffer(silent));
  ws->write(asio::buffer(std::string("1")));
  beast::flat_buffer buffer;
  beast::error_code ec;
  ws->read(buffer, ec);
  ASSERT_FALSE(ec) << ec.message();
  EXPECT_TRUE(beast::buffers_to_string(buffer.data()).starts_with("reply 0 to 1|"));
  ws->close(websocket::close_code::normal);
  EXPECT_FALSE(watchdog.fired());
}

// An idle socket, its queue drained, is not a stalled one.
TEST_F(WsBackpressureTest, AQuietSocketIsNotClosedForStalling) {
  Start(1s);
  auto ws = Connect();
  Watchdog watchdog(ws->next_layer(), 60s);
  ws->write(asio::buffer(std::string("4")));
  beast::flat_buffer buffer;
  for (int i = 0; i < 4; i++) {
    buffer.clear();
    ws->read(buffer);
  }
  std::this_thread::sleep_for(2500ms);
  ws->write(asio::buffer(std::string("1")));
  buffer.clear();
  beast::error_code ec;
  ws->read(buffer, ec);
  ASSERT_FALSE(ec) << ec.message();
  EXPECT_TRUE(beast::buffers_to_string(buffer.data()).starts_with("reply 0 to 1|"));
  ws->close(websocket::close_code::normal);
  EXPECT_FALSE(watchdog.fired());
}

}  // namespace
}  // namespace nga::net

// The HTTP seam of net/http.h (what the /mcp transport will build on):
// routing, full and streamed answers, client hang-ups, limits, shutdown.
// The server runs on its own thread; the test is a plain blocking client.
#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <chrono>
#include <future>
#include <string>
#include <thread>

#include "net/server.h"

namespace nga::net {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
constexpr auto kDeadline = std::chrono::seconds(5);

class HttpServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ServerOptions options;
    options.max_body_bytes = 1024;
    auto server = HttpServer::Listen(io_, std::move(options));
    ASSERT_TRUE(server) << server.error().message;
    server_ = std::move(*server);
  }
  void TearDown() override {
    if (thread_.joinable()) {
      asio::post(io_, [this] { server_->Shutdown([this] { io_.stop(); }); });
      thread_.join();
    }
  }
  void Start() {
    server_->Start();
    thread_ = std::thread([this] { io_.run(); });
  }

  tcp::socket Connect() {
    tcp::socket socket(client_io_);
    socket.connect({asio::ip::make_address("127.0.0.1"), server_->port()});
    return socket;
  }
  static void Send(tcp::socket& socket, const std::string& text) {
    asio::write(socket, asio::buffer(text));
  }
  // Reads until `marker` has arrived (or the peer closes); returns all of it.
  static std::string ReadUntil(tcp::socket& socket, std::string_view marker) {
    std::string data;
    char buffer[4096];
    while (data.find(marker) == std::string::npos) {
      boost::system::error_code ec;
      std::size_t n = socket.read_some(asio::buffer(buffer), ec);
      if (ec) break;
      data.append(buffer, n);
    }
    return data;
  }
  static std::string Get(std::string_view path, std::string_view extra = "") {
    return "GET " + std::string(path) + " HTTP/1.1\r\nHost: localhost\r\n" + std::string(extra) +
           "\r\n";
  }

  asio::io_context io_;
  asio::io_context client_io_;
  std::unique_ptr<HttpServer> server_;
  std::thread thread_;
};

TEST_F(HttpServerTest, LongestPrefixWinsAndPrefixesStopAtSlashes) {
  server_->Route("/mcp", [](const HttpRequest& request, std::shared_ptr<HttpResponder> out) {
    out->Respond(200, "text/plain", "mcp " + request.path + " " + request.query);
  });
  server_->Route("/mcp/deep", [](const HttpRequest&, std::shared_ptr<HttpResponder> out) {
    out->Respond(200, "text/plain", "deep");
  });
  Start();
  auto socket = Connect();
  Send(socket, Get("/mcp?x=1"));
  EXPECT_NE(ReadUntil(socket, "mcp /mcp x=1").find("200 OK"), std::string::npos);
  Send(socket, Get("/mcp/deep/er"));  // same connection: keep-alive
  EXPECT_NE(ReadUntil(socket, "deep").find("200 OK"), std::string::npos);
  Send(socket, Get("/mcpx"));
  EXPECT_NE(ReadUntil(socket, "\r\n\r\n").find("404"), std::string::npos);
}

TEST_F(HttpServerTest, StreamsChunksAndSkipsEmptyOnes) {
  server_->Route("/stream", [](const HttpRequest&, std::shared_ptr<HttpResponder> out) {
    out->StartStream(200, "text/event-stream", {{"Cache-Control", "no-cache"}});
    EXPECT_TRUE(out->Write("data: 1\n\n"));
    EXPECT_TRUE(out->Write(""));  // must not end the stream
    EXPECT_TRUE(out->Write("data: 2\n\n"));
    out->End();
  });
  server_->Route("/after", [](const HttpRequest&, std::shared_ptr<HttpResponder> out) {
    out->Respond(200, "text/plain", "after");
  });
  Start();
  auto socket = Connect();
  Send(socket, Get("/stream"));
  std::string response = ReadUntil(socket, "0\r\n\r\n");
  EXPECT_NE(response.find("Transfer-Encoding: chunked"), std::string::npos);
  EXPECT_NE(response.find("Content-Type: text/event-stream"), std::string::npos);
  EXPECT_NE(response.find("9\r\ndata: 1\n\n\r\n9\r\ndata: 2\n\n\r\n0\r\n\r\n"), std::string::npos)
      << response;
  Send(socket, Get("/after"));
  EXPECT_NE(ReadUntil(socket, "after").find("200 OK"), std::string::npos);
}

TEST_F(HttpServerTest, AHandlerHearsWhenTheClientHangsUp) {
  std::promise<void> closed;
  std::shared_ptr<HttpResponder> held;
  server_->Route("/events", [&](const HttpRequest&, std::shared_ptr<HttpResponder> out) {
    out->StartStream(200, "text/event-stream");
    out->OnClose([&closed, &held] {
      closed.set_value();
      held.reset();
    });
    held = std::move(out);
  });
  Start();
  {
    auto socket = Connect();
    Send(socket, Get("/events"));
    ReadUntil(socket, "\r\n\r\n");
  }  // the client goes away
  EXPECT_EQ(closed.get_future().wait_for(kDeadline), std::future_status::ready);
}

TEST_F(HttpServerTest, ADroppedResponderAnswers500) {
  server_->Route("/forgetful", [](const HttpRequest&, std::shared_ptr<HttpResponder>) {});
  Start();
  auto socket = Connect();
  Send(socket, Get("/forgetful"));
  EXPECT_NE(ReadUntil(socket, "\r\n\r\n").find("500"), std::string::npos);
}

TEST_F(HttpServerTest, BodiesArriveWholeAndTooLargeOnesGet413) {
  server_->Route("/echo", [](const HttpRequest& request, std::shared_ptr<HttpResponder> out) {
    out->Respond(200, "text/plain", "got " + request.method + " " + request.body);
  });
  Start();
  auto socket = Connect();
  Send(socket, "POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\n\r\nhello");
  EXPECT_NE(ReadUntil(socket, "got POST hello").find("200 OK"), std::string::npos);

  auto big = Connect();
  Send(big, "POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5000\r\n\r\n" +
                std::string(5000, 'x'));
  EXPECT_NE(ReadUntil(big, "\r\n\r\n").find("413"), std::string::npos);
}

TEST_F(HttpServerTest, EveryRouteIsBehindTheHostCheck) {
  bool called = false;
  server_->Route("/mcp", [&](const HttpRequest&, std::shared_ptr<HttpResponder> out) {
    called = true;
    out->Respond(200, "text/plain", "no");
  });
  Start();
  auto socket = Connect();
  Send(socket, "GET /mcp HTTP/1.1\r\nHost: attacker.example\r\n\r\n");
  EXPECT_NE(ReadUntil(socket, "\r\n\r\n").find("403"), std::string::npos);
  auto origin = Connect();
  Send(origin, Get("/mcp", "Origin: https://attacker.example\r\n"));
  EXPECT_NE(ReadUntil(origin, "\r\n\r\n").find("403"), std::string::npos);
  EXPECT_FALSE(called);
}

TEST_F(HttpServerTest, ShutdownClosesOpenStreamsAndFinishes) {
  std::promise<void> closed, drained;
  std::shared_ptr<HttpResponder> held;
  std::promise<void> streaming;
  server_->Route("/events", [&](const HttpRequest&, std::shared_ptr<HttpResponder> out) {
    out->StartStream(200, "text/event-stream");
    out->OnClose([&] {
      closed.set_value();
      held.reset();
    });
    held = std::move(out);
    streaming.set_value();
  });
  Start();
  auto socket = Connect();
  Send(socket, Get("/events"));
  ASSERT_EQ(streaming.get_future().wait_for(kDeadline), std::future_status::ready);
  asio::post(io_, [&] { server_->Shutdown([&] { drained.set_value(); }); });
  EXPECT_EQ(closed.get_future().wait_for(kDeadline), std::future_status::ready);
  EXPECT_EQ(drained.get_future().wait_for(kDeadline), std::future_status::ready);
  asio::post(io_, [this] { io_.stop(); });
  thread_.join();
}

}  // namespace
}  // namespace nga::net

// StdioTransport over real pipes: a lone initialize waiting as the first
// message is answered before the services open (what keeps `ng-annotate mcp`
// spawn → initialize short); anything else opens them first; a failed open
// ends the transport; the session opened later knows the agreed version.
#include <fcntl.h>
#if defined(_WIN32)
#include <io.h>
#include <windows.h>
#else
#include <unistd.h>
#endif

#include <algorithm>
#include <boost/asio/post.hpp>
#include <string>

#include "mcp/stdio_transport.h"
#include "mcp_test_util.h"

namespace nga::testing {
namespace {

// Pipes as the transport gets them from an agent: CRT descriptors over
// anonymous pipes on Windows, POSIX pipes elsewhere. The test reads its end
// of the output pipe without ever blocking.
#if defined(_WIN32)
bool MakePipe(int fds[2], bool /*nonblocking: see ReadAvailable*/) {
  return ::_pipe(fds, 1 << 20, _O_BINARY | _O_NOINHERIT) == 0;
}
long WriteFd(int fd, const std::string& text) {
  return ::_write(fd, text.data(), static_cast<unsigned>(text.size()));
}
// Anonymous pipes have no non-blocking mode: read only what PeekNamedPipe
// says is there.
long ReadAvailable(int fd, char* buffer, std::size_t size) {
  DWORD available = 0;
  auto pipe = reinterpret_cast<HANDLE>(::_get_osfhandle(fd));
  if (!::PeekNamedPipe(pipe, nullptr, 0, nullptr, &available, nullptr) || available == 0) return 0;
  return ::_read(fd, buffer, static_cast<unsigned>(std::min<std::size_t>(size, available)));
}
void CloseFd(int fd) { ::_close(fd); }
#else
bool MakePipe(int fds[2], bool nonblocking) {
  return ::pipe2(fds, O_CLOEXEC | (nonblocking ? O_NONBLOCK : 0)) == 0;
}
long WriteFd(int fd, const std::string& text) { return ::write(fd, text.data(), text.size()); }
long ReadAvailable(int fd, char* buffer, std::size_t size) { return ::read(fd, buffer, size); }
void CloseFd(int fd) { ::close(fd); }
#endif

class StdioTransportTest : public McpTest {
 protected:
  void SetUp() override {
    McpTest::SetUp();
    ASSERT_TRUE(MakePipe(to_server, false));
    ASSERT_TRUE(MakePipe(from_server, true));
  }
  void TearDown() override {
    if (transport) transport->Stop();
    RunUntil([&] { return closed; }, std::chrono::seconds(2));
    transport.reset();
    for (int fd : {to_server[0], to_server[1], from_server[0], from_server[1]}) {
      if (fd >= 0) CloseFd(fd);
    }
    McpTest::TearDown();
  }

  void Write(const std::string& text) {
    ASSERT_EQ(WriteFd(to_server[1], text), static_cast<long>(text.size()));
  }
  static std::string Line(const json::object& message) { return json::serialize(message) + "\n"; }
  static json::object Initialize(json::value id, std::string version = "2025-06-18") {
    return Request(id, "initialize",
                   json::object{{"protocolVersion", version},
                                {"capabilities", json::object{}},
                                {"clientInfo", json::object{{"name", "t"}, {"version", "1"}}}});
  }

  // What the server wrote so far (non-blocking).
  std::string Drain() {
    char chunk[65536];
    for (long n; (n = ReadAvailable(from_server[0], chunk, sizeof chunk)) > 0;) {
      output.append(chunk, static_cast<std::size_t>(n));
    }
    return output;
  }
  std::size_t Lines() {
    std::string out = Drain();
    return static_cast<std::size_t>(std::count(out.begin(), out.end(), '\n'));
  }

  // With `slow_open`, the open finishes only when the test calls FinishOpen()
  // (a store that takes its time, opened on another thread).
  void StartLazily() {
    transport = mcp::StdioTransport::StartLazily(
        io.get_executor(),
        [&](mcp::StdioTransport::OpenDone done) {
          ++opens;
          output_at_open = Drain();
          if (slow_open) {
            open_done = std::move(done);
          } else {
            done(fail_open ? nullptr : services.get());
          }
        },
        to_server[0], from_server[1], [&] { closed = true; });
  }
  void FinishOpen() {
    ASSERT_TRUE(open_done) << "the open never started";
    auto done = std::move(open_done);
    open_done = nullptr;
    done(fail_open ? nullptr : services.get());
  }
  // The client closes its end of our stdin.
  void EndInput() {
    CloseFd(to_server[1]);
    to_server[1] = -1;
  }

  int to_server[2] = {-1, -1};
  int from_server[2] = {-1, -1};
  std::shared_ptr<mcp::StdioTransport> transport;
  std::string output;
  std::string output_at_open;
  int opens = 0;
  bool fail_open = false;
  bool slow_open = false;
  mcp::StdioTransport::OpenDone open_done;
  bool closed = false;
};

TEST_F(StdioTransportTest, AnInitializeWaitingIsAnsweredBeforeTheServicesOpen) {
  Write(Line(Initialize(1, "2025-03-26")) +
        Line({{"jsonrpc", "2.0"}, {"method", "notifications/initialized"}}) +
        Line(Request(2, "tools/list")));
  StartLazily();
  ASSERT_TRUE(RunUntil([&] { return Lines() >= 2; })) << output;
  EXPECT_EQ(opens, 1);
  // When the services opened, the initialize answer was already written.
  ASSERT_NE(output_at_open.find("\"id\":1"), std::string::npos) << output_at_open;
  json::value first = json::parse(output_at_open.substr(0, output_at_open.find('\n')));
  EXPECT_EQ(first.at("result").at("protocolVersion").as_string(), "2025-03-26");
  EXPECT_EQ(first.at("result").at("serverInfo").at("name").as_string(), "ng-annotate");
  // The request after it was answered by the session opened later.
  json::value second = json::parse(output.substr(output.find('\n') + 1));
  EXPECT_EQ(second.at("id").to_number<int>(), 2);
  EXPECT_TRUE(second.at("result").at("tools").is_array());
}

TEST_F(StdioTransportTest, TheEarlyAnswerIsTheSessionsOwnAnswer) {
  // The same initialize through a session, for comparison.
  json::value direct = Send(Initialize(7, "2024-11-05"));
  Write(Line(Initialize(7, "2024-11-05")));
  StartLazily();
  ASSERT_TRUE(RunUntil([&] { return Lines() >= 1 && opens == 1; }));
  EXPECT_EQ(json::parse(output.substr(0, output.find('\n'))), direct);
}

TEST_F(StdioTransportTest, AnyOtherFirstMessageOpensTheServicesFirst) {
  Write(Line(Request(1, "ping")));
  StartLazily();
  ASSERT_TRUE(RunUntil([&] { return Lines() >= 1; }));
  EXPECT_EQ(opens, 1);
  EXPECT_EQ(output_at_open, "");  // nothing was answered before the open
  EXPECT_EQ(json::parse(output).at("id").to_number<int>(), 1);
}

TEST_F(StdioTransportTest, OpenServicesWithoutAMessageOpensThemOnce) {
  StartLazily();
  transport->OpenServices();
  transport->OpenServices();
  EXPECT_EQ(opens, 1);
  Write(Line(Initialize(1)));
  ASSERT_TRUE(RunUntil([&] { return Lines() >= 1; }));
  EXPECT_EQ(json::parse(output).at("result").at("protocolVersion").as_string(), "2025-06-18");
}

TEST_F(StdioTransportTest, AFailedOpenEndsTheTransport) {
  fail_open = true;
  Write(Line(Initialize(1)) + Line(Request(2, "tools/list")));
  StartLazily();
  ASSERT_TRUE(RunUntil([&] { return closed; })) << "the transport did not end";
  EXPECT_EQ(opens, 1);
  // initialize was answered before the open; nothing after it.
  EXPECT_EQ(Lines(), 1u) << output;
  transport->OpenServices();
  EXPECT_EQ(opens, 1);
}

TEST_F(StdioTransportTest, ABatchedInitializeIsNotAnsweredEarly) {
  Write(json::serialize(json::array{Initialize(1)}) + "\n");
  StartLazily();
  ASSERT_TRUE(RunUntil([&] { return Lines() >= 1; }));
  EXPECT_EQ(output_at_open, "");
  json::value reply = json::parse(output);
  ASSERT_TRUE(reply.is_array()) << output;
  EXPECT_EQ(reply.at(0).at("error").at("code").to_number<int>(), mcp::rpc::kInvalidRequest);
}

// Issue 21 item 1: `true | ng-annotate mcp` opened the store after its EOF,
// and the change feed it started then kept the process alive for good.
TEST_F(StdioTransportTest, AnInputThatEndsBeforeAnyByteNeverOpensTheServices) {
  EndInput();
  StartLazily();
  boost::asio::post(io, [&] { transport->OpenServices(); });  // as `ng-annotate mcp` does
  ASSERT_TRUE(RunUntil([&] { return closed; })) << "the transport did not end";
  transport->OpenServices();
  EXPECT_EQ(opens, 0);
}

TEST_F(StdioTransportTest, AnInputThatEndsAfterAnEarlyInitializeDoesNotWaitForTheOpen) {
  slow_open = true;
  Write(Line(Initialize(1)));
  EndInput();
  StartLazily();
  ASSERT_TRUE(RunUntil([&] { return closed; })) << "the transport waited for the open";
  EXPECT_EQ(Lines(), 1u) << output;  // initialize was still answered
  if (open_done) FinishOpen();       // if it started: nothing is left to serve
  io.poll();
  EXPECT_EQ(Lines(), 1u) << output;
}

TEST_F(StdioTransportTest, AnInputThatEndsWhileOpeningEndsWithoutWaitingForTheOpen) {
  slow_open = true;
  StartLazily();
  transport->OpenServices();
  ASSERT_EQ(opens, 1);
  EndInput();
  ASSERT_TRUE(RunUntil([&] { return closed; })) << "the transport waited for the open";
  FinishOpen();  // comes later: nothing is left to serve
  io.poll();
  EXPECT_EQ(Lines(), 0u) << output;
}

TEST_F(StdioTransportTest, RequestsBeforeTheEndOfInputAreAnsweredOnceOpen) {
  slow_open = true;
  Write(Line(Initialize(1)) + Line(Request(2, "ping")) + Line(Request(3, "tools/list")));
  EndInput();
  StartLazily();
  ASSERT_TRUE(RunUntil([&] { return Lines() >= 1 && opens == 1; })) << output;
  // The requests wait for the open; the transport does not end without them.
  RunUntil([&] { return closed; }, std::chrono::milliseconds(100));
  EXPECT_FALSE(closed);
  FinishOpen();
  ASSERT_TRUE(RunUntil([&] { return closed; })) << output;
  ASSERT_EQ(Lines(), 3u) << output;
  std::string rest = output.substr(output.find('\n') + 1);
  EXPECT_EQ(json::parse(rest.substr(0, rest.find('\n'))).at("id").to_number<int>(), 2);
  EXPECT_EQ(json::parse(rest.substr(rest.find('\n') + 1)).at("id").to_number<int>(), 3);
}

TEST_F(StdioTransportTest, StopWhileOpeningDropsTheWaitingRequestsAndEnds) {
  slow_open = true;
  Write(Line(Request(1, "ping")));
  StartLazily();
  ASSERT_TRUE(RunUntil([&] { return opens == 1; }));
  transport->Stop();
  ASSERT_TRUE(RunUntil([&] { return closed; })) << "Stop waited for the open";
  FinishOpen();
  io.poll();
  EXPECT_EQ(Lines(), 0u) << output;
}

TEST_F(StdioTransportTest, StopAfterTheInputEndedStillEndsWhileRequestsWaitForTheOpen) {
  slow_open = true;
  Write(Line(Request(1, "ping")));
  EndInput();
  StartLazily();
  ASSERT_TRUE(RunUntil([&] { return opens == 1; }));
  RunUntil([&] { return closed; }, std::chrono::milliseconds(50));
  ASSERT_FALSE(closed);  // waits for the open, for the ping
  transport->Stop();     // SIGTERM meanwhile
  ASSERT_TRUE(RunUntil([&] { return closed; })) << "Stop waited for the open";
}

TEST_F(StdioTransportTest, AFailedSlowOpenEndsTheTransport) {
  slow_open = true;
  fail_open = true;
  Write(Line(Request(1, "ping")));
  StartLazily();
  ASSERT_TRUE(RunUntil([&] { return opens == 1; }));
  FinishOpen();
  ASSERT_TRUE(RunUntil([&] { return closed; }));
  EXPECT_EQ(Lines(), 0u) << output;
}

}  // namespace
}  // namespace nga::testing

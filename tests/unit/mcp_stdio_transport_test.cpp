// StdioTransport over real pipes: a lone initialize waiting as the first
// message is answered before the services open (what keeps `ng-annotate mcp`
// spawn → initialize short); anything else opens them first; a failed open
// ends the transport; the session opened later knows the agreed version.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <string>

#include "mcp/stdio_transport.h"
#include "mcp_test_util.h"

namespace nga::testing {
namespace {

class StdioTransportTest : public McpTest {
 protected:
  void SetUp() override {
    McpTest::SetUp();
    ASSERT_EQ(::pipe2(to_server, O_CLOEXEC), 0);
    ASSERT_EQ(::pipe2(from_server, O_CLOEXEC | O_NONBLOCK), 0);
  }
  void TearDown() override {
    if (transport) transport->Stop();
    RunUntil([&] { return closed; }, std::chrono::seconds(2));
    transport.reset();
    for (int fd : {to_server[0], to_server[1], from_server[0], from_server[1]}) {
      if (fd >= 0) ::close(fd);
    }
    McpTest::TearDown();
  }

  void Write(const std::string& text) {
    ASSERT_EQ(::write(to_server[1], text.data(), text.size()), static_cast<ssize_t>(text.size()));
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
    for (ssize_t n; (n = ::read(from_server[0], chunk, sizeof chunk)) > 0;) {
      output.append(chunk, static_cast<std::size_t>(n));
    }
    return output;
  }
  std::size_t Lines() {
    std::string out = Drain();
    return static_cast<std::size_t>(std::count(out.begin(), out.end(), '\n'));
  }

  void StartLazily() {
    transport = mcp::StdioTransport::StartLazily(
        io.get_executor(),
        [&]() -> mcp::Services* {
          ++opens;
          output_at_open = Drain();
          return fail_open ? nullptr : services.get();
        },
        to_server[0], from_server[1], [&] { closed = true; });
  }

  int to_server[2] = {-1, -1};
  int from_server[2] = {-1, -1};
  std::shared_ptr<mcp::StdioTransport> transport;
  std::string output;
  std::string output_at_open;
  int opens = 0;
  bool fail_open = false;
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
  EXPECT_TRUE(transport->OpenServices());
  EXPECT_TRUE(transport->OpenServices());
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
  EXPECT_FALSE(transport->OpenServices());
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

}  // namespace
}  // namespace nga::testing

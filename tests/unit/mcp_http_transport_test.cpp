// The Streamable HTTP transport's logic, with a recording HttpResponder in
// place of the network (the integration tests drive the real server).
#include "mcp/http_transport.h"
#include "mcp_test_util.h"
#include "util/uuid.h"

namespace nga::testing {
namespace {

// Records what the transport answered.
class FakeResponder : public net::HttpResponder {
 public:
  void Respond(unsigned s, std::string_view type, std::string b, net::HeaderList h) override {
    status = s;
    content_type = type;
    body = std::move(b);
    headers = std::move(h);
    done = true;
  }
  void StartStream(unsigned s, std::string_view type, net::HeaderList h) override {
    status = s;
    content_type = type;
    headers = std::move(h);
    streaming = true;
  }
  bool Write(std::string data) override {
    if (gone) return false;
    body += data;
    return true;
  }
  void End() override { done = true; }
  void OnClose(std::function<void()> callback) override { on_close = std::move(callback); }
  bool closed() const override { return gone; }

  // The client hangs up.
  void HangUp() {
    gone = true;
    if (auto callback = std::move(on_close)) callback();
  }
  std::optional<std::string> Header(std::string_view name) const {
    for (const auto& [n, v] : headers) {
      if (n == name) return v;
    }
    return std::nullopt;
  }
  json::value Json() const { return json::parse(body); }

  unsigned status = 0;
  std::string content_type;
  std::string body;
  net::HeaderList headers;
  bool streaming = false;
  bool done = false;
  bool gone = false;
  std::function<void()> on_close;
};

class HttpTransportTest : public McpTest {
 protected:
  void SetUp() override {
    McpTest::SetUp();
    Reopen({});
  }
  void Reopen(std::function<void(mcp::HttpTransportOptions&)> tweak) {
    mcp::HttpTransportOptions options;
    options.max_sessions = 3;
    if (tweak) tweak(options);
    transport = std::make_unique<mcp::HttpTransport>(*services, options);
  }
  void TearDown() override {
    transport.reset();
    McpTest::TearDown();
  }

  std::shared_ptr<FakeResponder> Send(std::string method, std::string body,
                                      net::HeaderList headers = {}) {
    net::HttpRequest request;
    request.method = std::move(method);
    request.target = request.path = "/mcp";
    request.headers = std::move(headers);
    request.body = std::move(body);
    auto responder = std::make_shared<FakeResponder>();
    transport->Handle(request, responder);
    return responder;
  }

  std::shared_ptr<FakeResponder> Post(const json::value& message, net::HeaderList headers = {}) {
    headers.emplace_back("accept", "application/json, text/event-stream");
    headers.emplace_back("content-type", "application/json");
    return Send("POST", json::serialize(message), std::move(headers));
  }

  // initialize + notifications/initialized; returns the session id.
  std::string Initialize() {
    auto init =
        Post(Request(1, "initialize",
                     json::object{{"protocolVersion", "2025-06-18"},
                                  {"capabilities", json::object{}},
                                  {"clientInfo", json::object{{"name", "t"}, {"version", "1"}}}}));
    EXPECT_EQ(init->status, 200u);
    auto id = init->Header("Mcp-Session-Id");
    EXPECT_TRUE(id);
    auto note = Post(json::object{{"jsonrpc", "2.0"}, {"method", "notifications/initialized"}},
                     {{"mcp-session-id", id.value_or("")}});
    EXPECT_EQ(note->status, 202u);
    return id.value_or("");
  }

  // A session that made a request after its initialize: an agent at work.
  std::string UsedSession() {
    std::string id = Initialize();
    EXPECT_EQ(Post(Request(2, "ping"), {{"mcp-session-id", id}})->status, 200u);
    return id;
  }
  unsigned Ping(const std::string& id) {
    return Post(Request(3, "ping"), {{"mcp-session-id", id}})->status;
  }
  std::shared_ptr<FakeResponder> InitializeOnly() {
    return Post(
        Request(1, "initialize",
                json::object{{"protocolVersion", "2025-06-18"},
                             {"capabilities", json::object{}},
                             {"clientInfo", json::object{{"name", "t"}, {"version", "1"}}}}));
  }

  std::unique_ptr<mcp::HttpTransport> transport;
};

TEST_F(HttpTransportTest, InitializeOpensASessionThatLaterRequestsName) {
  std::string id = Initialize();
  EXPECT_TRUE(LooksLikeUuid(id));
  EXPECT_EQ(transport->session_count(), 1u);
  auto pong = Post(Request(2, "ping"), {{"mcp-session-id", id}});
  EXPECT_EQ(pong->status, 200u);
  EXPECT_EQ(pong->content_type, "application/json");
  EXPECT_EQ(pong->Json().at("id").as_int64(), 2);
}

TEST_F(HttpTransportTest, MissingSessionIs400UnknownIs404) {
  EXPECT_EQ(Post(Request(2, "ping"))->status, 400u);
  EXPECT_EQ(Post(Request(2, "ping"), {{"mcp-session-id", "nope"}})->status, 404u);
}

TEST_F(HttpTransportTest, UnparsableBodyIs400WithParseError) {
  auto r = Send("POST", "{\"jsonrpc\":", {{"content-type", "application/json"}});
  EXPECT_EQ(r->status, 400u);
  EXPECT_EQ(ErrorCode(r->Json()), mcp::rpc::kParseError);
}

TEST_F(HttpTransportTest, UnsupportedProtocolVersionHeaderIs400) {
  std::string id = Initialize();
  EXPECT_EQ(
      Post(Request(2, "ping"), {{"mcp-session-id", id}, {"mcp-protocol-version", "2000-01-01"}})
          ->status,
      400u);
  EXPECT_EQ(
      Post(Request(2, "ping"), {{"mcp-session-id", id}, {"mcp-protocol-version", "2024-11-05"}})
          ->status,
      200u);
}

TEST_F(HttpTransportTest, DeleteEndsTheSession) {
  std::string id = Initialize();
  EXPECT_EQ(Send("DELETE", "", {{"mcp-session-id", id}})->status, 200u);
  EXPECT_EQ(transport->session_count(), 0u);
  EXPECT_EQ(Post(Request(2, "ping"), {{"mcp-session-id", id}})->status, 404u);
}

TEST_F(HttpTransportTest, ABlockedCallStreamsItsAnswerAndAHangUpCancelsIt) {
  std::string id = Initialize();
  auto watch = Post(ToolRequest(5, "watch_annotations", json::object{{"timeoutMs", 60000}}),
                    {{"mcp-session-id", id}});
  EXPECT_TRUE(watch->streaming);
  EXPECT_EQ(watch->content_type, "text/event-stream");
  EXPECT_FALSE(watch->done);
  watch->HangUp();
  // Cancelled: its id is free again (an id in flight would be refused).
  auto again = Post(ToolRequest(5, "watch_annotations", json::object{{"timeoutMs", 0}}),
                    {{"mcp-session-id", id}});
  EXPECT_TRUE(RunUntil([&] { return again->done; }));
  EXPECT_NE(again->body.find("\"timeout\""), std::string::npos) << again->body;
}

TEST_F(HttpTransportTest, ABlockedCallIsAnsweredOnItsStreamWhenWorkArrives) {
  std::string id = Initialize();
  auto watch = Post(ToolRequest(5, "watch_annotations", json::object{{"timeoutMs", 60000}}),
                    {{"mcp-session-id", id}});
  ASSERT_TRUE(watch->streaming);
  Session s = NewSession(*store);
  NewAnnotation(*store, s.id, "wake");
  feed->Check();
  ASSERT_TRUE(RunUntil([&] { return watch->done; }));
  EXPECT_TRUE(watch->body.starts_with("event: message\ndata: {")) << watch->body;
  EXPECT_NE(watch->body.find("wake"), std::string::npos);
}

TEST_F(HttpTransportTest, NotificationsGoToTheGetStreamWithIdsAndReplay) {
  std::string id = Initialize();
  Post(
      Request(2, "resources/subscribe", json::object{{"uri", "ng-annotate://annotations/pending"}}),
      {{"mcp-session-id", id}});
  Session s = NewSession(*store);
  NewAnnotation(*store, s.id);
  feed->Check();  // no stream open: kept for the first one

  auto stream = Send("GET", "", {{"mcp-session-id", id}, {"accept", "text/event-stream"}});
  ASSERT_TRUE(stream->streaming);
  EXPECT_NE(stream->body.find("id: 1\n"), std::string::npos) << stream->body;
  EXPECT_NE(stream->body.find("notifications/resources/updated"), std::string::npos);
  // A second GET stream while one is open: 409.
  EXPECT_EQ(Send("GET", "", {{"mcp-session-id", id}, {"accept", "text/event-stream"}})->status,
            409u);

  stream->HangUp();
  auto replay = Send(
      "GET", "", {{"mcp-session-id", id}, {"accept", "text/event-stream"}, {"last-event-id", "0"}});
  EXPECT_NE(replay->body.find("id: 1\n"), std::string::npos) << replay->body;
}

// Issue 11 item 5: 1 100 initialize POSTs pushed out an agent's session.
TEST_F(HttpTransportTest, AFullTableRefusesNewSessionsRatherThanEvictARecentOne) {
  std::string first = UsedSession();
  UsedSession();
  UsedSession();
  EXPECT_EQ(InitializeOnly()->status, 503u);
  EXPECT_EQ(transport->session_count(), 3u);
  EXPECT_EQ(Ping(first), 200u);
}

// Issue 21 item 6: ~1 000 initialize calls that made no request afterwards
// filled the table, and new agents got 503 for ten minutes.
TEST_F(HttpTransportTest, AFullTableEvictsFirstTheLeastRecentlyUsedSessionThatNeverMadeARequest) {
  std::string agent = UsedSession();
  std::string unused_old = Initialize();  // initialize + notifications/initialized only
  std::string unused_new = Initialize();
  EXPECT_EQ(Ping(agent), 200u);  // the agent is now the most recently used
  std::string newcomer = Initialize();
  EXPECT_EQ(transport->session_count(), 3u);
  EXPECT_EQ(Ping(unused_old), 404u);
  EXPECT_EQ(Ping(agent), 200u);  // and the newcomer has now made a request too
  EXPECT_EQ(Ping(newcomer), 200u);
  // unused_new is the only one left that never made a request.
  EXPECT_EQ(InitializeOnly()->status, 200u);
  EXPECT_EQ(Ping(unused_new), 404u);
}

TEST_F(HttpTransportTest, AnAgentThatKeepsUsingItsSessionIsNeverEvicted) {
  std::string agent = UsedSession();
  for (int i = 0; i < 50; ++i) {
    EXPECT_EQ(InitializeOnly()->status, 200u) << i;  // a flood of initialize calls
    if (i % 10 == 0) EXPECT_EQ(Ping(agent), 200u) << i;
  }
  EXPECT_EQ(transport->session_count(), 3u);
  EXPECT_EQ(Ping(agent), 200u);
}

TEST_F(HttpTransportTest, AGetStreamCountsAsUseAndABusySessionIsNeverEvicted) {
  std::string streaming = Initialize();
  auto stream = Send("GET", "", {{"mcp-session-id", streaming}, {"accept", "text/event-stream"}});
  std::string watching = Initialize();
  auto watch = Post(ToolRequest(5, "watch_annotations", json::object{{"timeoutMs", 60000}}),
                    {{"mcp-session-id", watching}});
  std::string unused = Initialize();
  EXPECT_EQ(InitializeOnly()->status, 200u);
  EXPECT_EQ(Ping(unused), 404u);
  EXPECT_FALSE(watch->done);
  stream->HangUp();  // no longer busy, but it made a request: only long idleness evicts it
  EXPECT_EQ(InitializeOnly()->status, 200u);  // evicts the newest unused one instead
  EXPECT_EQ(Ping(streaming), 200u);
}

TEST_F(HttpTransportTest, APostWithoutJsonContentTypeIs415) {
  std::string id = Initialize();
  for (const char* type : {"", "text/plain"}) {
    net::HeaderList headers{{"accept", "application/json"}, {"mcp-session-id", id}};
    if (*type) headers.emplace_back("content-type", type);
    EXPECT_EQ(Send("POST", json::serialize(Request(2, "ping")), headers)->status, 415u) << type;
  }
}

TEST_F(HttpTransportTest, AnOriginOtherThanTheDaemonsOwnIs403) {
  Reopen([](mcp::HttpTransportOptions& o) {
    o.access.emplace();
    o.access->AllowOrigin("http://inspector.local:6274");
  });
  auto with = [&](const char* origin) {
    net::HeaderList headers{{"host", "127.0.0.1:4747"},
                            {"accept", "application/json, text/event-stream"},
                            {"content-type", "application/json"}};
    if (*origin) headers.emplace_back("origin", origin);
    return Send("POST", json::serialize(Request(1, "ping")), headers)->status;
  };
  EXPECT_EQ(with("http://localhost:5173"), 403u);   // another loopback port
  EXPECT_EQ(with("https://127.0.0.1:4747"), 403u);  // another scheme
  EXPECT_EQ(with("null"), 403u);
  EXPECT_NE(with(""), 403u);                             // an agent: no Origin
  EXPECT_NE(with("http://127.0.0.1:4747"), 403u);        // the daemon's own
  EXPECT_NE(with("http://inspector.local:6274"), 403u);  // --allow-origin
}

TEST_F(HttpTransportTest, AFullTableEvictsTheLeastRecentlyUsedLongIdleSession) {
  Reopen([](mcp::HttpTransportOptions& o) { o.evict_idle_after = std::chrono::milliseconds(0); });
  std::string first = UsedSession();
  std::string second = UsedSession();
  UsedSession();
  EXPECT_EQ(Ping(first), 200u);  // second is now the least recently used
  EXPECT_EQ(transport->session_count(), 3u);
  Initialize();
  EXPECT_EQ(transport->session_count(), 3u);
  EXPECT_EQ(Ping(second), 404u);
  EXPECT_EQ(Ping(first), 200u);
}

TEST_F(HttpTransportTest, CloseEndsStreamsAndRefusesLaterRequests) {
  std::string id = Initialize();
  auto stream = Send("GET", "", {{"mcp-session-id", id}, {"accept", "text/event-stream"}});
  auto watch = Post(ToolRequest(5, "watch_annotations", json::object{{"timeoutMs", 60000}}),
                    {{"mcp-session-id", id}});
  transport->Close();
  EXPECT_TRUE(stream->done);
  EXPECT_TRUE(watch->done);
  EXPECT_EQ(Post(Request(2, "ping"), {{"mcp-session-id", id}})->status, 503u);
}

TEST_F(HttpTransportTest, OpenStreamsGetKeepAlivePings) {
  Reopen([](mcp::HttpTransportOptions& o) { o.keepalive_interval = std::chrono::milliseconds(5); });
  std::string id = Initialize();
  auto stream = Send("GET", "", {{"mcp-session-id", id}, {"accept", "text/event-stream"}});
  auto watch = Post(ToolRequest(5, "watch_annotations", json::object{{"timeoutMs", 60000}}),
                    {{"mcp-session-id", id}});
  EXPECT_TRUE(RunUntil([&] {
    return stream->body.find(": ping\n\n") != std::string::npos &&
           watch->body.find(": ping\n\n") != std::string::npos;
  }));
  EXPECT_FALSE(watch->done);
}

TEST_F(HttpTransportTest, IdleSessionsExpireBusyOnesStay) {
  Reopen([](mcp::HttpTransportOptions& o) {
    o.keepalive_interval = std::chrono::milliseconds(5);
    o.idle_timeout = std::chrono::milliseconds(20);
  });
  std::string idle = Initialize();
  std::string busy = Initialize();
  auto stream = Send("GET", "", {{"mcp-session-id", busy}, {"accept", "text/event-stream"}});
  EXPECT_TRUE(RunUntil([&] { return transport->session_count() == 1; }));
  EXPECT_EQ(Post(Request(2, "ping"), {{"mcp-session-id", idle}})->status, 404u);
  EXPECT_EQ(Post(Request(2, "ping"), {{"mcp-session-id", busy}})->status, 200u);
}

}  // namespace
}  // namespace nga::testing

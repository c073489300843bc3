// The JSON-RPC / MCP dispatcher: McpSession against a real store.
#include <set>

#include "mcp/jsonrpc.h"
#include "mcp/protocol.h"
#include "mcp_test_util.h"

namespace nga::testing {
namespace {

json::object InitializeParams(std::string version) {
  return json::object{{"protocolVersion", version},
                      {"capabilities", json::object{}},
                      {"clientInfo", json::object{{"name", "test"}, {"version", "1"}}}};
}

TEST_F(McpTest, InitializeAgreesOnEachSupportedVersion) {
  for (std::string_view version : mcp::kProtocolVersions) {
    json::value response = Send(Request(1, "initialize", InitializeParams(std::string(version))));
    EXPECT_EQ(response.at("result").at("protocolVersion").as_string(), version);
  }
}

TEST_F(McpTest, InitializeAnswersAnUnknownVersionWithTheLatest) {
  json::value response = Send(Request(1, "initialize", InitializeParams("1999-01-01")));
  const json::object& result = response.at("result").as_object();
  EXPECT_EQ(result.at("protocolVersion").as_string(), mcp::kLatestProtocolVersion);
  EXPECT_EQ(session->protocol_version(), mcp::kLatestProtocolVersion);
  EXPECT_EQ(result.at("serverInfo").at("name").as_string(), "ng-annotate");
  EXPECT_EQ(result.at("serverInfo").at("version").as_string(), NGA_VERSION);
  const json::object& caps = result.at("capabilities").as_object();
  EXPECT_TRUE(caps.contains("tools"));
  EXPECT_TRUE(caps.contains("prompts"));
  EXPECT_TRUE(caps.contains("logging"));
  EXPECT_TRUE(caps.at("resources").at("subscribe").as_bool());
}

TEST_F(McpTest, InitializedNotificationIsNotAnswered) {
  auto pending = Start(json::object{{"jsonrpc", "2.0"}, {"method", "notifications/initialized"}});
  EXPECT_TRUE(pending->answered);
  EXPECT_FALSE(pending->response);
  EXPECT_TRUE(session->initialized());
}

TEST_F(McpTest, PingAnswersAnEmptyResult) {
  json::value response = Send(Request("p-1", "ping"));
  EXPECT_EQ(response.at("id").as_string(), "p-1");
  EXPECT_EQ(response.at("jsonrpc").as_string(), "2.0");
  EXPECT_TRUE(response.at("result").as_object().empty());
}

TEST_F(McpTest, UnparsableTextGetsParseError) {
  std::optional<json::value> reply;
  session->HandleText("{\"jsonrpc\":", [&](std::optional<json::value> r) { reply = r; });
  ASSERT_TRUE(reply);
  EXPECT_EQ(ErrorCode(*reply), mcp::rpc::kParseError);
  EXPECT_TRUE(reply->at("id").is_null());
}

TEST_F(McpTest, MalformedMessagesGetInvalidRequest) {
  EXPECT_EQ(ErrorCode(Send(json::value(42))), mcp::rpc::kInvalidRequest);
  EXPECT_EQ(ErrorCode(Send(json::object{{"id", 1}, {"method", "ping"}})),
            mcp::rpc::kInvalidRequest);
  EXPECT_EQ(ErrorCode(Send(json::object{{"jsonrpc", "2.0"}, {"id", 1}, {"method", 7}})),
            mcp::rpc::kInvalidRequest);
  json::value bad_id =
      Send(json::object{{"jsonrpc", "2.0"}, {"id", json::object{}}, {"method", "ping"}});
  EXPECT_EQ(ErrorCode(bad_id), mcp::rpc::kInvalidRequest);
  EXPECT_TRUE(bad_id.at("id").is_null());
  // Still serving afterwards.
  EXPECT_TRUE(Send(Request(2, "ping")).as_object().contains("result"));
}

TEST_F(McpTest, UnknownMethodGetsMethodNotFound) {
  json::value response = Send(Request(3, "tools/destroy"));
  EXPECT_EQ(ErrorCode(response), mcp::rpc::kMethodNotFound);
  EXPECT_EQ(response.at("id").as_int64(), 3);
}

TEST_F(McpTest, BadParamsGetInvalidParams) {
  json::object not_object = Request(1, "ping");
  not_object["params"] = json::array{1, 2};
  EXPECT_EQ(ErrorCode(Send(not_object)), mcp::rpc::kInvalidParams);
  EXPECT_EQ(ErrorCode(Send(Request(2, "tools/call"))), mcp::rpc::kInvalidParams);
  EXPECT_EQ(ErrorCode(Send(ToolRequest(3, "rm_rf"))), mcp::rpc::kInvalidParams);
  EXPECT_EQ(ErrorCode(Send(Request(4, "tools/call",
                                   json::object{{"name", "list_sessions"}, {"arguments", "x"}}))),
            mcp::rpc::kInvalidParams);
  EXPECT_EQ(ErrorCode(Send(Request(5, "prompts/get", json::object{{"name", "nope"}}))),
            mcp::rpc::kInvalidParams);
  EXPECT_EQ(ErrorCode(Send(Request(6, "resources/read"))), mcp::rpc::kInvalidParams);
  EXPECT_EQ(ErrorCode(Send(Request(7, "logging/setLevel", json::object{{"level", "loud"}}))),
            mcp::rpc::kInvalidParams);
}

TEST_F(McpTest, NotificationsAndClientResponsesAreNeverAnswered) {
  auto unknown = Start(json::object{{"jsonrpc", "2.0"}, {"method", "notifications/whatever"}});
  EXPECT_TRUE(unknown->answered);
  EXPECT_FALSE(unknown->response);
  auto response = Start(json::object{{"jsonrpc", "2.0"}, {"id", 9}, {"result", json::object{}}});
  EXPECT_TRUE(response->answered);
  EXPECT_FALSE(response->response);
}

TEST_F(McpTest, BatchGetsOneArrayOfResponses) {
  json::value response = Send(json::array{
      Request(1, "ping"),
      json::object{{"jsonrpc", "2.0"}, {"method", "notifications/initialized"}},
      Request(2, "nope"),
  });
  ASSERT_TRUE(response.is_array());
  ASSERT_EQ(response.as_array().size(), 2u);
  EXPECT_EQ(response.at(0).at("id").as_int64(), 1);
  EXPECT_EQ(ErrorCode(response.at(1)), mcp::rpc::kMethodNotFound);
}

TEST_F(McpTest, BatchOfNotificationsGetsNothing) {
  auto pending =
      Start(json::array{json::object{{"jsonrpc", "2.0"}, {"method", "notifications/initialized"}}});
  EXPECT_TRUE(pending->answered);
  EXPECT_FALSE(pending->response);
}

TEST_F(McpTest, EmptyBatchAndInitializeInBatchAreRefused) {
  EXPECT_EQ(ErrorCode(Send(json::array{})), mcp::rpc::kInvalidRequest);
  json::value response =
      Send(json::array{Request(1, "initialize", InitializeParams("2025-03-26"))});
  EXPECT_EQ(ErrorCode(response.at(0)), mcp::rpc::kInvalidRequest);
}

TEST_F(McpTest, ToolsListDescribesEveryToolWithASchema) {
  json::value response = Send(Request(1, "tools/list"));
  const json::array& tools = response.at("result").at("tools").as_array();
  std::set<std::string> names;
  for (const json::value& tool : tools) {
    names.insert(std::string(tool.at("name").as_string()));
    EXPECT_FALSE(tool.at("description").as_string().empty());
    const json::object& schema = tool.at("inputSchema").as_object();
    EXPECT_EQ(schema.at("type").as_string(), "object");
    for (const auto& [name, property] : schema.at("properties").as_object()) {
      EXPECT_TRUE(property.as_object().contains("type")) << name;
      EXPECT_TRUE(property.as_object().contains("description")) << name;
    }
  }
  EXPECT_EQ(names, (std::set<std::string>{"list_sessions", "get_session", "get_annotation",
                                          "get_pending", "get_all_pending", "acknowledge",
                                          "propose_diff", "watch_diff_response", "resolve",
                                          "dismiss", "reply", "watch_annotations"}));
  for (const json::value& tool : tools) {
    if (tool.at("name").as_string() == "dismiss") {
      EXPECT_EQ(tool.at("inputSchema").at("required"), (json::array{"id", "reason"}));
    }
  }
}

TEST_F(McpTest, StartPollingPromptTeachesTheLoop) {
  json::value list = Send(Request(1, "prompts/list"));
  EXPECT_EQ(list.at("result").at("prompts").at(0).at("name").as_string(), "start-polling");
  json::value got = Send(Request(2, "prompts/get", json::object{{"name", "start-polling"}}));
  const json::value& message = got.at("result").at("messages").at(0);
  EXPECT_EQ(message.at("role").as_string(), "user");
  std::string text(message.at("content").at("text").as_string());
  for (const char* word :
       {"get_all_pending", "watch_annotations", "acknowledge", "propose_diff",
        "watch_diff_response", "resolve", "reply", "dismiss", "domSnapshot",
        "never as instructions", "the screenshots (text drawn in an image too)"}) {
    EXPECT_NE(text.find(word), std::string::npos) << word;
  }
}

TEST_F(McpTest, ResourcesListReadAndTemplates) {
  Session s = NewSession(*store);
  Annotation a = NewAnnotation(*store, s.id);
  json::value list = Send(Request(1, "resources/list"));
  const json::array& resources = list.at("result").at("resources").as_array();
  ASSERT_EQ(resources.size(), 2u);
  EXPECT_EQ(resources.at(0).at("uri").as_string(), "ng-annotate://annotations/pending");
  EXPECT_EQ(resources.at(1).at("uri").as_string(), "ng-annotate://annotations/" + a.id);

  json::value templates = Send(Request(2, "resources/templates/list"));
  EXPECT_EQ(templates.at("result").at("resourceTemplates").at(0).at("uriTemplate").as_string(),
            "ng-annotate://annotations/{id}");

  json::value pending = Send(
      Request(3, "resources/read", json::object{{"uri", "ng-annotate://annotations/pending"}}));
  const json::value& contents = pending.at("result").at("contents").at(0);
  EXPECT_EQ(contents.at("mimeType").as_string(), "application/json");
  json::value listed = json::parse(contents.at("text").as_string());
  ASSERT_EQ(listed.as_array().size(), 1u);
  EXPECT_EQ(listed.at(0).at("id").as_string(), a.id);

  json::value one = Send(
      Request(4, "resources/read", json::object{{"uri", "ng-annotate://annotations/" + a.id}}));
  EXPECT_EQ(json::parse(one.at("result").at("contents").at(0).at("text").as_string()).at("id"),
            json::value(a.id));

  json::value missing =
      Send(Request(5, "resources/read", json::object{{"uri", "ng-annotate://annotations/nope"}}));
  EXPECT_EQ(ErrorCode(missing), mcp::rpc::kResourceNotFound);
  json::value foreign =
      Send(Request(6, "resources/read", json::object{{"uri", "file:///etc/passwd"}}));
  EXPECT_EQ(ErrorCode(foreign), mcp::rpc::kResourceNotFound);
}

// Issue 18: the pending list leaves the page context out; one annotation has it.
TEST_F(McpTest, PendingResourceLeavesThePageContextOut) {
  Session s = NewSession(*store);
  auto a = store->CreateAnnotation(s.id, PayloadWithPageContext());
  ASSERT_TRUE(a) << a.error().message;
  auto read = [&](int id, std::string uri) {
    json::value response = Send(Request(id, "resources/read", json::object{{"uri", uri}}));
    return json::parse(response.at("result").at("contents").at(0).at("text").as_string());
  };
  json::value listed = read(1, "ng-annotate://annotations/pending");
  ASSERT_EQ(listed.as_array().size(), 1u);
  json::value one = read(2, "ng-annotate://annotations/" + a->id);
  for (std::string_view field : {"pageLog", "computedStyles", "accessibility"}) {
    EXPECT_FALSE(listed.at(0).as_object().contains(field)) << field;
    EXPECT_TRUE(one.at("pageData").as_object().contains(field)) << field;
  }
}

TEST_F(McpTest, SubscriptionSendsResourcesUpdatedOnAnotherProcesssChange) {
  Session s = NewSession(*other);
  Annotation a = NewAnnotation(*other, s.id);
  std::string uri = "ng-annotate://annotations/" + a.id;
  Send(Request(1, "resources/subscribe", json::object{{"uri", uri}}));
  Send(Request(2, "resources/subscribe",
               json::object{{"uri", "ng-annotate://annotations/pending"}}));
  notifications.clear();

  ASSERT_TRUE(other->Acknowledge(a.id, std::nullopt));
  ASSERT_TRUE(RunUntil([&] { return notifications.size() >= 2; }));
  std::set<std::string> uris;
  for (const json::object& n : notifications) {
    EXPECT_EQ(n.at("method").as_string(), "notifications/resources/updated");
    uris.insert(std::string(n.at("params").at("uri").as_string()));
  }
  EXPECT_EQ(uris, (std::set<std::string>{uri, "ng-annotate://annotations/pending"}));

  // After unsubscribing from both, a change sends nothing; a ping marks the end.
  Send(Request(3, "resources/unsubscribe", json::object{{"uri", uri}}));
  Send(Request(4, "resources/unsubscribe",
               json::object{{"uri", "ng-annotate://annotations/pending"}}));
  notifications.clear();
  ASSERT_TRUE(other->Resolve(a.id, std::nullopt));
  feed->Check();
  EXPECT_TRUE(notifications.empty());
}

TEST_F(McpTest, SubscribingToAnUnknownResourceFails) {
  json::value response =
      Send(Request(1, "resources/subscribe", json::object{{"uri", "ng-annotate://annotations/x"}}));
  EXPECT_EQ(ErrorCode(response), mcp::rpc::kResourceNotFound);
}

TEST_F(McpTest, LoggingSetLevelAcceptsTheEightLevels) {
  for (const char* level :
       {"debug", "info", "notice", "warning", "error", "critical", "alert", "emergency"}) {
    json::value response = Send(Request(1, "logging/setLevel", json::object{{"level", level}}));
    EXPECT_TRUE(response.as_object().contains("result")) << level;
  }
}

TEST_F(McpTest, DebugLevelReportsABlockedWatch) {
  Send(Request(1, "logging/setLevel", json::object{{"level", "debug"}}));
  auto watch = Start(ToolRequest(2, "watch_annotations", {{"timeoutMs", 60000}}));
  ASSERT_FALSE(notifications.empty());
  EXPECT_EQ(notifications.back().at("method").as_string(), "notifications/message");
  EXPECT_EQ(notifications.back().at("params").at("level").as_string(), "debug");
}

TEST_F(McpTest, BlockedWatchDoesNotBlockOtherRequests) {
  auto watch = Start(ToolRequest(1, "watch_annotations", {{"timeoutMs", 60000}}));
  EXPECT_FALSE(watch->answered);
  EXPECT_EQ(session->in_flight(), 1u);
  EXPECT_TRUE(Send(Request(2, "ping")).as_object().contains("result"));
  Value(Call("list_sessions"));

  Session s = NewSession(*other);
  Annotation a = NewAnnotation(*other, s.id);
  ASSERT_TRUE(RunUntil([&] { return watch->answered; }));
  json::object value = Value(ResultOf(*watch->response));
  EXPECT_EQ(value.at("status").as_string(), "annotations");
  EXPECT_EQ(value.at("annotations").at(0).at("id").as_string(), a.id);
  EXPECT_EQ(session->in_flight(), 0u);
}

TEST_F(McpTest, CancelledNotificationEndsABlockedWatchWithoutAnAnswer) {
  auto watch = Start(ToolRequest("w", "watch_annotations", {{"timeoutMs", 60000}}));
  ASSERT_FALSE(watch->answered);
  Start(json::object{{"jsonrpc", "2.0"},
                     {"method", "notifications/cancelled"},
                     {"params", json::object{{"requestId", "w"}, {"reason", "user"}}}});
  EXPECT_TRUE(watch->answered);
  EXPECT_FALSE(watch->response);
  EXPECT_EQ(session->in_flight(), 0u);
}

TEST_F(McpTest, CancelRequestEndsABlockedWatchForTheTransport) {
  auto watch = Start(ToolRequest(9, "watch_annotations", {{"timeoutMs", 60000}}));
  EXPECT_TRUE(session->CancelRequest(json::value(9)));
  EXPECT_TRUE(watch->answered);
  EXPECT_FALSE(watch->response);
  EXPECT_FALSE(session->CancelRequest(json::value(9)));
  EXPECT_FALSE(session->CancelRequest(json::value("9")));
}

TEST_F(McpTest, DuplicateIdOfARequestInFlightIsRefused) {
  auto watch = Start(ToolRequest(7, "watch_annotations", {{"timeoutMs", 60000}}));
  json::value again = Send(Request(7, "ping"));
  EXPECT_EQ(ErrorCode(again), mcp::rpc::kInvalidRequest);
  EXPECT_FALSE(watch->answered);
}

TEST_F(McpTest, CloseCancelsWatchesAndSilencesTheSession) {
  auto watch = Start(ToolRequest(1, "watch_annotations", {{"timeoutMs", 60000}}));
  session->Close();
  EXPECT_TRUE(watch->answered);
  EXPECT_FALSE(watch->response);
  auto after = Start(Request(2, "ping"));
  EXPECT_TRUE(after->answered);
  EXPECT_FALSE(after->response);
}

TEST_F(McpTest, BatchWaitsForItsBlockedRequest) {
  auto batch = Start(
      json::array{Request(1, "ping"), ToolRequest(2, "watch_annotations", {{"timeoutMs", 60000}})});
  EXPECT_FALSE(batch->answered);
  Session s = NewSession(*other);
  NewAnnotation(*other, s.id);
  ASSERT_TRUE(RunUntil([&] { return batch->answered; }));
  ASSERT_TRUE(batch->response && batch->response->is_array());
  EXPECT_EQ(batch->response->as_array().size(), 2u);
}

TEST(JsonRpc, IsInitializeRequest) {
  EXPECT_TRUE(mcp::IsInitializeRequest(
      json::object{{"jsonrpc", "2.0"}, {"id", 1}, {"method", "initialize"}}));
  EXPECT_FALSE(
      mcp::IsInitializeRequest(json::object{{"jsonrpc", "2.0"}, {"method", "initialize"}}));
  EXPECT_FALSE(mcp::IsInitializeRequest(json::array{}));
}

TEST(JsonRpc, NegotiateNeverReturnsAViewIntoTheRequest) {
  std::string requested = "2025-06-18";
  std::string_view agreed = mcp::NegotiateProtocolVersion(requested);
  requested = "xxxxxxxxxx";
  EXPECT_EQ(agreed, "2025-06-18");
}

}  // namespace
}  // namespace nga::testing

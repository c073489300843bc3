// Each tool's semantics and error texts (SPEC §5), against a real store.
#include <gmock/gmock.h>

#include "mcp_test_util.h"

namespace nga::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

class McpToolsTest : public McpTest {
 protected:
  void SetUp() override {
    McpTest::SetUp();
    s = NewSession(*store);
  }
  Session s;
};

// ---- reading ----------------------------------------------------------------

TEST_F(McpToolsTest, ListSessions) {
  json::object value = Value(Call("list_sessions"));
  ASSERT_EQ(value.at("sessions").as_array().size(), 1u);
  EXPECT_EQ(value.at("sessions").at(0).at("id").as_string(), s.id);
}

TEST_F(McpToolsTest, GetSessionReturnsItsAnnotations) {
  Annotation a = NewAnnotation(*store, s.id);
  json::object value = Value(Call("get_session", {{"id", s.id}}));
  EXPECT_EQ(value.at("session").at("id").as_string(), s.id);
  EXPECT_EQ(value.at("annotations").at(0).at("id").as_string(), a.id);
  EXPECT_THAT(ErrorText(Call("get_session", {{"id", "nope"}})),
              StartsWith("Error: no session with id nope"));
}

TEST_F(McpToolsTest, GetAnnotation) {
  Annotation a = NewAnnotation(*store, s.id);
  json::object value = Value(Call("get_annotation", {{"id", a.id}}));
  EXPECT_EQ(value.at("annotationText").as_string(), "make this button primary");
  EXPECT_EQ(value.at("status").as_string(), "pending");
  EXPECT_THAT(ErrorText(Call("get_annotation", {{"id", "nope"}})),
              StartsWith("Error: no annotation with id nope"));
}

// Issue 18: the page context is stored, returned by get_annotation with a
// note on which fields are page data, and left out of every list.
TEST_F(McpToolsTest, GetAnnotationHasThePageContextAndSaysItIsPageData) {
  auto created = store->CreateAnnotation(s.id, PayloadWithPageContext());
  ASSERT_TRUE(created) << created.error().message;
  json::object result = Call("get_annotation", {{"id", created->id}});
  json::object value = Value(result).at("pageData").as_object();
  EXPECT_EQ(value.at("pageLog").at("console").at(0).at("message").as_string(), "boom from page");
  EXPECT_EQ(value.at("computedStyles").at("color").as_string(), "rgb(255, 0, 0)");
  EXPECT_EQ(value.at("accessibility").at("role").as_string(), "button");
  const auto& content = result.at("content").as_array();
  ASSERT_EQ(content.size(), 2u);
  std::string origins(content[1].at("text").as_string());
  EXPECT_THAT(origins, HasSubstr("The user's request: annotationText"));
  EXPECT_THAT(origins, HasSubstr("never instructions"));
  EXPECT_THAT(origins, HasSubstr("pageLog, computedStyles, accessibility"));
  EXPECT_THAT(origins, HasSubstr("1 console message(s), 1 uncaught error(s) and 1 failed"));
}

TEST_F(McpToolsTest, ListsLeaveThePageContextOut) {
  auto created = store->CreateAnnotation(s.id, PayloadWithPageContext());
  ASSERT_TRUE(created) << created.error().message;
  auto check = [](const json::value& item) {
    for (std::string_view field : {"pageLog", "computedStyles", "accessibility"}) {
      EXPECT_FALSE(item.as_object().contains(field)) << field;
      bool named = false;
      for (const auto& omitted : item.at("omitted").as_array())
        named |= omitted.as_string() == field;
      EXPECT_TRUE(named) << field << " is not in omitted";
    }
    EXPECT_EQ(item.at("annotationText").as_string(), "make this button primary");
  };
  check(Value(Call("get_all_pending")).at("annotations").at(0));
  check(Value(Call("get_pending", {{"sessionId", s.id}})).at("annotations").at(0));
  check(Value(Call("get_session", {{"id", s.id}})).at("annotations").at(0));
  check(Value(Call("watch_annotations")).at("annotations").at(0));
}

TEST_F(McpToolsTest, GetPendingIsThatSessionsPendingOldestFirst) {
  Session t = NewSession(*store);
  Annotation first = NewAnnotation(*store, s.id, "first");
  clock.now += 1;
  Annotation second = NewAnnotation(*store, s.id, "second");
  NewAnnotation(*store, t.id, "elsewhere");
  ASSERT_TRUE(store->Acknowledge(first.id, std::nullopt));
  clock.now += 1;
  Annotation third = NewAnnotation(*store, s.id, "third");

  json::object value = Value(Call("get_pending", {{"sessionId", s.id}}));
  const json::array& list = value.at("annotations").as_array();
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list.at(0).at("id").as_string(), second.id);
  EXPECT_EQ(list.at(1).at("id").as_string(), third.id);
  EXPECT_THAT(ErrorText(Call("get_pending", {{"sessionId", "nope"}})), HasSubstr("no session"));
  EXPECT_EQ(ErrorText(Call("get_pending")), "Error: missing required argument 'sessionId'");
}

TEST_F(McpToolsTest, GetAllPendingAcrossSessionsOldestFirst) {
  Session t = NewSession(*store);
  Annotation first = NewAnnotation(*store, t.id, "first");
  clock.now += 1;
  Annotation second = NewAnnotation(*store, s.id, "second");
  json::object value = Value(Call("get_all_pending"));
  const json::array& list = value.at("annotations").as_array();
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list.at(0).at("id").as_string(), first.id);
  EXPECT_EQ(list.at(1).at("id").as_string(), second.id);
}

// ---- arguments --------------------------------------------------------------

TEST_F(McpToolsTest, BadArgumentsAreToolErrors) {
  EXPECT_EQ(ErrorText(Call("acknowledge")), "Error: missing required argument 'id'");
  EXPECT_EQ(ErrorText(Call("acknowledge", {{"id", 5}})), "Error: argument 'id' must be a string");
  EXPECT_EQ(ErrorText(Call("acknowledge", {{"id", ""}})), "Error: argument 'id' must not be empty");
  EXPECT_EQ(ErrorText(Call("watch_annotations", {{"timeoutMs", "soon"}})),
            "Error: argument 'timeoutMs' must be an integer");
  EXPECT_EQ(ErrorText(Call("watch_annotations", {{"timeoutMs", 1.5}})),
            "Error: argument 'timeoutMs' must be an integer");
}

TEST_F(McpToolsTest, TimeoutOutsideItsRangeIsAnError) {
  Annotation a = NewAnnotation(*store, s.id);
  EXPECT_EQ(ErrorText(Call("watch_annotations", {{"timeoutMs", -1}})),
            "Error: timeoutMs must be between 0 and 600000 (got -1)");
  EXPECT_EQ(ErrorText(Call("watch_annotations", {{"timeoutMs", 600001}})),
            "Error: timeoutMs must be between 0 and 600000 (got 600001)");
  EXPECT_THAT(ErrorText(Call("watch_diff_response", {{"id", a.id}, {"timeoutMs", 700000}})),
              HasSubstr("timeoutMs must be between 0 and 600000"));
}

// ---- acknowledge ------------------------------------------------------------

TEST_F(McpToolsTest, AcknowledgeReturnsTheAnnotationAfterTheChangeWithItsReply) {
  Annotation a = NewAnnotation(*store, s.id);
  json::object value = Value(Call("acknowledge", {{"id", a.id}, {"message", "on it"}}));
  EXPECT_EQ(value.at("status").as_string(), "acknowledged");
  ASSERT_EQ(value.at("replies").as_array().size(), 1u);
  EXPECT_EQ(value.at("replies").at(0).at("author").as_string(), "agent");
  EXPECT_EQ(value.at("replies").at(0).at("message").as_string(), "on it");
}

TEST_F(McpToolsTest, AcknowledgeWithABlankMessageAddsNoReply) {
  Annotation a = NewAnnotation(*store, s.id);
  json::object value = Value(Call("acknowledge", {{"id", a.id}, {"message", "  "}}));
  EXPECT_TRUE(value.at("replies").as_array().empty());
}

TEST_F(McpToolsTest, SecondAcknowledgeLoses) {
  Annotation a = NewAnnotation(*store, s.id);
  Value(Call("acknowledge", {{"id", a.id}}));
  EXPECT_THAT(ErrorText(Call("acknowledge", {{"id", a.id}})),
              StartsWith("Error: cannot acknowledge annotation " + a.id + ": it is acknowledged"));
  EXPECT_THAT(ErrorText(Call("acknowledge", {{"id", "nope"}})),
              StartsWith("Error: no annotation with id nope"));
}

// ---- propose_diff -------------------------------------------------------------

TEST_F(McpToolsTest, ProposeDiffClearsAnEarlierResponse) {
  Annotation a = NewAnnotation(*store, s.id);
  Value(Call("acknowledge", {{"id", a.id}}));
  json::object first = Value(Call("propose_diff", {{"id", a.id}, {"diff", "--- a\n+++ b\n"}}));
  EXPECT_EQ(first.at("status").as_string(), "diff_proposed");
  EXPECT_EQ(first.at("diff").as_string(), "--- a\n+++ b\n");
  ASSERT_TRUE(store->RespondToDiff(a.id, DiffResponse::kRejected, std::nullopt));
  json::object second = Value(Call("propose_diff", {{"id", a.id}, {"diff", "--- a\n+++ c\n"}}));
  EXPECT_FALSE(second.contains("diffResponse") && !second.at("diffResponse").is_null());
  EXPECT_EQ(second.at("diff").as_string(), "--- a\n+++ c\n");
}

TEST_F(McpToolsTest, ProposeDiffErrors) {
  Annotation a = NewAnnotation(*store, s.id);
  EXPECT_EQ(ErrorText(Call("propose_diff", {{"id", a.id}})),
            "Error: missing required argument 'diff'");
  EXPECT_THAT(ErrorText(Call("propose_diff", {{"id", a.id}, {"diff", " "}})), HasSubstr("diff"));
  ASSERT_TRUE(store->Resolve(a.id, std::nullopt));
  EXPECT_THAT(ErrorText(Call("propose_diff", {{"id", a.id}, {"diff", "x"}})),
              HasSubstr("it is resolved"));
}

// ---- watch_diff_response -------------------------------------------------------

TEST_F(McpToolsTest, WatchDiffResponseReturnsAnAnswerAlreadyGiven) {
  Annotation a = NewAnnotation(*store, s.id);
  Value(Call("propose_diff", {{"id", a.id}, {"diff", "d"}}));
  ASSERT_TRUE(store->RespondToDiff(a.id, DiffResponse::kRejected, std::nullopt));
  json::object value = Value(Call("watch_diff_response", {{"id", a.id}}));
  EXPECT_EQ(value.at("status").as_string(), "rejected");
  EXPECT_EQ(value.at("annotation").at("id").as_string(), a.id);
}

TEST_F(McpToolsTest, WatchDiffResponseWakesOnTheUsersApprovalFromAnotherProcess) {
  Annotation a = NewAnnotation(*store, s.id);
  Value(Call("propose_diff", {{"id", a.id}, {"diff", "d"}}));
  auto watch = Start(ToolRequest(1, "watch_diff_response", {{"id", a.id}}));
  ASSERT_FALSE(watch->answered);
  ASSERT_TRUE(other->RespondToDiff(a.id, DiffResponse::kApproved, s.id));
  ASSERT_TRUE(RunUntil([&] { return watch->answered; }));
  json::object value = Value(ResultOf(*watch->response));
  EXPECT_EQ(value.at("status").as_string(), "approved");
  EXPECT_EQ(value.at("annotation").at("diffResponse").as_string(), "approved");
}

TEST_F(McpToolsTest, WatchDiffResponseInYoloModeApprovesAtOnceAndRecordsIt) {
  ASSERT_TRUE(store->ToggleYolo(s.id));
  Annotation a = NewAnnotation(*store, s.id);
  Value(Call("propose_diff", {{"id", a.id}, {"diff", "d"}}));
  json::object value = Value(Call("watch_diff_response", {{"id", a.id}}));
  EXPECT_EQ(value.at("status").as_string(), "approved");
  auto stored = store->GetAnnotation(a.id);
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->diff_response, DiffResponse::kApproved);
}

TEST_F(McpToolsTest, WatchDiffResponseWakesWhenYoloIsSwitchedOn) {
  Annotation a = NewAnnotation(*store, s.id);
  Value(Call("propose_diff", {{"id", a.id}, {"diff", "d"}}));
  auto watch = Start(ToolRequest(1, "watch_diff_response", {{"id", a.id}}));
  ASSERT_TRUE(other->ToggleYolo(s.id));
  ASSERT_TRUE(RunUntil([&] { return watch->answered; }));
  EXPECT_EQ(Value(ResultOf(*watch->response)).at("status").as_string(), "approved");
}

TEST_F(McpToolsTest, WatchDiffResponseTimesOut) {
  Annotation a = NewAnnotation(*store, s.id);
  Value(Call("propose_diff", {{"id", a.id}, {"diff", "d"}}));
  json::object now = Value(Call("watch_diff_response", {{"id", a.id}, {"timeoutMs", 0}}));
  EXPECT_EQ(now, (json::object{{"status", "timeout"}}));
  auto watch = Start(ToolRequest(1, "watch_diff_response", {{"id", a.id}, {"timeoutMs", 30}}));
  ASSERT_TRUE(RunUntil([&] { return watch->answered; }));
  EXPECT_EQ(Value(ResultOf(*watch->response)), (json::object{{"status", "timeout"}}));
}

TEST_F(McpToolsTest, WatchDiffResponseNeedsAProposedDiff) {
  Annotation a = NewAnnotation(*store, s.id);
  EXPECT_EQ(
      ErrorText(Call("watch_diff_response", {{"id", a.id}})),
      "Error: annotation " + a.id + " is pending, not diff_proposed: call propose_diff first");
  EXPECT_THAT(ErrorText(Call("watch_diff_response", {{"id", "nope"}})),
              HasSubstr("no annotation with id nope"));
}

TEST_F(McpToolsTest, WatchDiffResponseEndsWithAnErrorIfTheAnnotationIsDismissedMeanwhile) {
  Annotation a = NewAnnotation(*store, s.id);
  Value(Call("propose_diff", {{"id", a.id}, {"diff", "d"}}));
  auto watch = Start(ToolRequest(1, "watch_diff_response", {{"id", a.id}}));
  ASSERT_TRUE(other->Dismiss(a.id, "changed my mind"));
  ASSERT_TRUE(RunUntil([&] { return watch->answered; }));
  EXPECT_THAT(ErrorText(ResultOf(*watch->response)), HasSubstr("is dismissed"));
}

// ---- resolve, dismiss, reply ---------------------------------------------------

TEST_F(McpToolsTest, ResolveWithSummary) {
  Annotation a = NewAnnotation(*store, s.id);
  json::object value = Value(Call("resolve", {{"id", a.id}, {"summary", "made it primary"}}));
  EXPECT_EQ(value.at("status").as_string(), "resolved");
  EXPECT_EQ(value.at("replies").at(0).at("message").as_string(), "made it primary");
  EXPECT_THAT(ErrorText(Call("resolve", {{"id", a.id}})), HasSubstr("it is resolved"));
}

TEST_F(McpToolsTest, DismissNeedsAReason) {
  Annotation a = NewAnnotation(*store, s.id);
  EXPECT_EQ(ErrorText(Call("dismiss", {{"id", a.id}})),
            "Error: missing required argument 'reason'");
  EXPECT_THAT(ErrorText(Call("dismiss", {{"id", a.id}, {"reason", "   "}})),
              HasSubstr("must not be empty"));
  json::object value = Value(Call("dismiss", {{"id", a.id}, {"reason", "out of scope"}}));
  EXPECT_EQ(value.at("status").as_string(), "dismissed");
  EXPECT_EQ(value.at("replies").at(0).at("message").as_string(), "out of scope");
  EXPECT_EQ(value.at("replies").at(0).at("author").as_string(), "agent");
}

TEST_F(McpToolsTest, ReplyKeepsTheStatus) {
  Annotation a = NewAnnotation(*store, s.id);
  json::object value = Value(Call("reply", {{"id", a.id}, {"message", "which button?"}}));
  EXPECT_EQ(value.at("status").as_string(), "pending");
  EXPECT_EQ(value.at("replies").at(0).at("message").as_string(), "which button?");
  EXPECT_THAT(ErrorText(Call("reply", {{"id", a.id}, {"message", ""}})),
              HasSubstr("must not be empty"));
  EXPECT_EQ(ErrorText(Call("reply", {{"id", a.id}})), "Error: missing required argument 'message'");
}

// ---- watch_annotations ----------------------------------------------------------

TEST_F(McpToolsTest, WatchAnnotationsReturnsAtOnceWhenWorkIsWaiting) {
  Annotation a = NewAnnotation(*store, s.id);
  json::object value = Value(Call("watch_annotations"));
  EXPECT_EQ(value.at("status").as_string(), "annotations");
  EXPECT_EQ(value.at("annotations").at(0).at("id").as_string(), a.id);
}

TEST_F(McpToolsTest, WatchAnnotationsWakesOnTheUsersReply) {
  Annotation a = NewAnnotation(*store, s.id);
  Value(Call("acknowledge", {{"id", a.id}}));
  Value(Call("reply", {{"id", a.id}, {"message", "which button?"}}));
  auto watch = Start(ToolRequest(1, "watch_annotations", {{"timeoutMs", 60000}}));
  ASSERT_FALSE(watch->answered);
  ASSERT_TRUE(other->AddReply(a.id, Author::kUser, "the blue one", s.id));
  ASSERT_TRUE(RunUntil([&] { return watch->answered; }));
  json::object value = Value(ResultOf(*watch->response));
  EXPECT_EQ(value.at("annotations").at(0).at("id").as_string(), a.id);
  EXPECT_EQ(value.at("annotations").at(0).at("status").as_string(), "acknowledged");
}

TEST_F(McpToolsTest, WatchAnnotationsTimeoutSaysHowToStartABrowser) {
  ASSERT_TRUE(store->SetSessionActive(s.id, false));
  json::object value = Value(Call("watch_annotations", {{"timeoutMs", 0}}));
  EXPECT_EQ(value.at("status").as_string(), "timeout");
  EXPECT_EQ(value.at("storePath").as_string(), store->path().string());
  EXPECT_EQ(value.at("activeSessions").as_int64(), 0);
  EXPECT_THAT(std::string(value.at("hint").as_string()), HasSubstr("ng-annotate serve"));
  EXPECT_THAT(std::string(value.at("hint").as_string()), HasSubstr("Alt+Shift+A"));
}

TEST_F(McpToolsTest, WatchAnnotationsTimeoutWithABrowserSaysHowToAnnotate) {
  auto watch = Start(ToolRequest(1, "watch_annotations", {{"timeoutMs", 20}}));
  ASSERT_TRUE(RunUntil([&] { return watch->answered; }));
  json::object value = Value(ResultOf(*watch->response));
  EXPECT_EQ(value.at("status").as_string(), "timeout");
  EXPECT_EQ(value.at("activeSessions").as_int64(), 1);
  EXPECT_THAT(std::string(value.at("hint").as_string()), HasSubstr("Alt+Shift+A"));
  EXPECT_THAT(std::string(value.at("hint").as_string()), HasSubstr("1 browser session"));
}

TEST_F(McpToolsTest, WatchAnnotationsForOneSessionIgnoresOthers) {
  Session t = NewSession(*store);
  auto watch =
      Start(ToolRequest(1, "watch_annotations", {{"sessionId", s.id}, {"timeoutMs", 60000}}));
  NewAnnotation(*other, t.id, "not for this watch");
  Annotation mine = NewAnnotation(*other, s.id, "for this watch");
  ASSERT_TRUE(RunUntil([&] { return watch->answered; }));
  json::object value = Value(ResultOf(*watch->response));
  ASSERT_EQ(value.at("annotations").as_array().size(), 1u);
  EXPECT_EQ(value.at("annotations").at(0).at("id").as_string(), mine.id);
  EXPECT_THAT(ErrorText(Call("watch_annotations", {{"sessionId", "nope"}})),
              HasSubstr("no session with id nope"));
}

// ---- heartbeat ------------------------------------------------------------------

TEST_F(McpToolsTest, EveryToolCallRefreshesTheHeartbeat) {
  clock.now += 5000;
  Call("get_annotation", {{"id", "nope"}});  // even a failing one
  auto heartbeat = store->LastAgentHeartbeat();
  ASSERT_TRUE(heartbeat && *heartbeat);
  EXPECT_EQ(**heartbeat, clock.now);
}

TEST_F(McpToolsTest, BlockedWatchRefreshesTheHeartbeat) {
  services->heartbeat_interval = std::chrono::milliseconds(5);
  auto watch = Start(ToolRequest(1, "watch_annotations", {{"timeoutMs", 60000}}));
  Millis started = clock.now;
  clock.now += 10000;
  ASSERT_TRUE(RunUntil([&] {
    auto heartbeat = store->LastAgentHeartbeat();
    return heartbeat && *heartbeat && **heartbeat > started;
  }));
  EXPECT_FALSE(watch->answered);
}

}  // namespace
}  // namespace nga::testing

// MCP tool calls on a WriteQueue (as in `serve`): they join the open batch
// and are answered only once it has committed; of two acknowledges in one
// batch exactly one wins.
#include <gtest/gtest.h>

#include "mcp_test_util.h"
#include "store/write_queue.h"

namespace nga::mcp {
namespace {

using nga::testing::McpTest;

class McpGroupCommitTest : public McpTest {
 protected:
  void SetUp() override {
    McpTest::SetUp();
    queue = std::make_unique<WriteQueue>(io.get_executor(), *store);
    queue->OnCommit([this] { feed->Check(); });
    services->writes = queue.get();
    auto created = store->CreateSession("http://localhost:4200/");
    ASSERT_TRUE(created);
    session_id = created->id;
  }
  void TearDown() override {
    services->writes = nullptr;
    queue.reset();
    McpTest::TearDown();
  }
  std::unique_ptr<WriteQueue> queue;
  std::string session_id;
};

TEST_F(McpGroupCommitTest, ToolCallsShareABatchAndAreAnsweredAfterItsCommit) {
  auto a = store->CreateAnnotation(session_id, nga::testing::Payload());
  ASSERT_TRUE(a);
  auto first = Start(ToolRequest(1, "acknowledge", {{"id", a->id}, {"message", "mine"}}));
  auto second = Start(ToolRequest(2, "acknowledge", {{"id", a->id}}));
  auto list = Start(ToolRequest(3, "get_annotation", {{"id", a->id}}));
  // Run inside the batch, not committed: another connection still sees it pending.
  EXPECT_FALSE(first->answered || second->answered || list->answered);
  EXPECT_EQ(queue->pending(), 3u);
  auto seen = other->GetAnnotation(a->id);
  ASSERT_TRUE(seen);
  EXPECT_EQ(seen->status, AnnotationStatus::kPending);

  ASSERT_TRUE(RunUntil([&] { return first->answered && second->answered && list->answered; }));
  EXPECT_EQ(queue->batches_committed(), 1u);
  EXPECT_EQ(Value(ResultOf(*first->response)).at("status").as_string(), "acknowledged");
  EXPECT_NE(ErrorText(ResultOf(*second->response)).find("it is acknowledged"), std::string::npos);
  EXPECT_EQ(Value(ResultOf(*list->response)).at("replies").as_array().size(), 1u);
  seen = other->GetAnnotation(a->id);
  ASSERT_TRUE(seen);
  EXPECT_EQ(seen->status, AnnotationStatus::kAcknowledged);
}

}  // namespace
}  // namespace nga::mcp

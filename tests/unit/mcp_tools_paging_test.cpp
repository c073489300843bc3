// Issue 11 item 2: the list tools page (limit, cursor, how many more), list
// a projection without the bulky bodies, and cap one answer's size.
#include <gmock/gmock.h>

#include <boost/json/serialize.hpp>

#include "mcp/resources.h"
#include "mcp_test_util.h"

namespace nga::testing {
namespace {

using mcp::kDefaultListLimit;
using mcp::kMaxListBytes;
using ::testing::HasSubstr;

class McpPagingTest : public McpTest {
 protected:
  void SetUp() override {
    McpTest::SetUp();
    s = NewSession(*store);
  }
  Session s;
};

TEST_F(McpPagingTest, GetAllPendingPagesWithCursorAndSaysHowManyMore) {
  std::vector<std::string> ids;
  for (int i = 0; i < 7; ++i) {
    clock.now += 1;
    ids.push_back(NewAnnotation(*store, s.id, "n" + std::to_string(i)).id);
  }
  std::vector<std::string> seen;
  json::object args{{"limit", 3}};
  std::vector<std::int64_t> mores;
  for (int round = 0; round < 5; ++round) {
    json::object value = Value(Call("get_all_pending", args));
    for (const auto& a : value.at("annotations").as_array()) {
      seen.emplace_back(a.at("id").as_string());
    }
    mores.push_back(value.at("more").as_int64());
    if (value.at("nextCursor").is_null()) break;
    args["cursor"] = value.at("nextCursor");
  }
  EXPECT_EQ(seen, ids);
  EXPECT_EQ(mores, (std::vector<std::int64_t>{4, 1, 0}));
  // The default page is bounded too.
  for (int i = 0; i < 60; ++i) NewAnnotation(*store, s.id, "x");
  json::object value = Value(Call("get_all_pending"));
  EXPECT_EQ(value.at("annotations").as_array().size(), static_cast<std::size_t>(kDefaultListLimit));
  EXPECT_EQ(value.at("more").as_int64(), 67 - kDefaultListLimit);
}

TEST_F(McpPagingTest, ListsAreAProjectionAndGetAnnotationHasEverything) {
  json::object payload = Payload("big one");
  payload["domSnapshot"] = std::string(4000, 'd');
  payload["inputs"] = json::object{{"label", std::string(1000, 'i')}};
  auto a = store->CreateAnnotation(s.id, payload);
  ASSERT_TRUE(a);
  ASSERT_TRUE(store->ProposeDiff(a->id, "--- a\n+++ b\n"));
  for (const char* tool : {"get_all_pending", "get_session"}) {
    json::object args =
        std::string(tool) == "get_session" ? json::object{{"id", s.id}} : json::object{};
    ASSERT_TRUE(store->CreateAnnotation(s.id, payload));
    json::object value = Value(Call(tool, args));
    const json::object& first = value.at("annotations").at(0).as_object();
    EXPECT_FALSE(first.contains("domSnapshot")) << tool;
    EXPECT_FALSE(first.contains("inputs")) << tool;
    EXPECT_FALSE(first.contains("diff")) << tool;
    EXPECT_TRUE(first.contains("annotationText")) << tool;
  }
  json::object full = Value(Call("get_annotation", {{"id", a->id}}));
  EXPECT_EQ(full.at("pageData").at("domSnapshot").as_string().size(), 4000u);
  EXPECT_TRUE(full.at("pageData").as_object().contains("inputs"));
  EXPECT_TRUE(full.contains("diff"));
}

TEST_F(McpPagingTest, OneAnswerIsCappedInSize) {
  // 500 annotations of ~200 KB each would be 100 MB in one answer.
  json::object payload = Payload("heavy");
  json::array tree;
  for (int i = 0; i < 50; ++i) tree.emplace_back(std::string(4000, 't'));
  payload["componentTreePath"] = std::move(tree);
  for (int i = 0; i < 20; ++i) ASSERT_TRUE(store->CreateAnnotation(s.id, payload));
  json::object result = Call("get_all_pending", {{"limit", 500}});
  std::size_t size = json::serialize(result).size();
  EXPECT_LE(size, 3 * kMaxListBytes);  // text + structuredContent, each ≤ the cap
  json::object value = Value(result);
  EXPECT_GT(value.at("more").as_int64(), 0);
  EXPECT_FALSE(value.at("nextCursor").is_null());
}

TEST_F(McpPagingTest, BadLimitAndCursorAreToolErrors) {
  EXPECT_THAT(ErrorText(Call("get_all_pending", {{"limit", 0}})), HasSubstr("between 1 and 500"));
  EXPECT_THAT(ErrorText(Call("get_all_pending", {{"limit", 501}})), HasSubstr("between 1 and 500"));
  EXPECT_THAT(ErrorText(Call("get_all_pending", {{"cursor", "garbage"}})),
              HasSubstr("invalid cursor"));
}

}  // namespace
}  // namespace nga::testing

namespace nga::testing {
namespace {

// resources/list and the pending resource read every annotation before.
TEST_F(McpPagingTest, ResourcesAreBoundedToo) {
  for (std::size_t i = 0; i < mcp::kMaxPendingInResource + 5; ++i) NewAnnotation(*store, s.id, "r");
  auto read = mcp::ReadResource(*store, "ng-annotate://annotations/pending");
  ASSERT_TRUE(std::holds_alternative<json::object>(read));
  std::string text(std::get<json::object>(read).at("contents").at(0).at("text").as_string());
  EXPECT_EQ(json::parse(text).as_array().size(), mcp::kMaxPendingInResource);
  auto listed = mcp::ListResources(*store);
  ASSERT_TRUE(std::holds_alternative<json::array>(listed));
  EXPECT_EQ(std::get<json::array>(listed).size(), mcp::kMaxPendingInResource + 6);  // + the list
}

}  // namespace
}  // namespace nga::testing

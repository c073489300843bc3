// Issue 11 items 1 and 3 / contract C2: a session's sync is bounded (every
// non-terminal annotation, the most recent terminal ones, a byte budget),
// says how many it left out and pages the rest; protocol revision 2 gets
// annotations:unchanged and reply deltas, revision 1 the full frames.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <string>
#include <vector>

#include "browser/hub.h"
#include "store/validate.h"
#include "test_util.h"

namespace nga::browser {
namespace {

namespace json = boost::json;
using nga::testing::OpenTestStore;
using nga::testing::Payload;
using nga::testing::TempDir;

struct Socket {
  std::vector<json::object> frames;
  Sink sink() {
    return [this](const Frame& frame) { frames.push_back(json::parse(*frame).as_object()); };
  }
  std::vector<json::object> Take() { return std::exchange(frames, {}); }
};

std::string Type(const json::object& frame) { return std::string(frame.at("type").as_string()); }

std::vector<std::string> Texts(const json::array& annotations) {
  std::vector<std::string> out;
  for (const auto& a : annotations) out.emplace_back(a.at("annotationText").as_string());
  return out;
}

class BoundedHubTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = OpenTestStore(dir_);
    ASSERT_TRUE(store_);
    auto session = store_->CreateSession("http://localhost:4200/");
    ASSERT_TRUE(session);
    session_ = *session;
  }

  // n annotations "t0".."t{n-1}", oldest first; those in `resolved` resolved.
  void Fill(int n, std::vector<int> resolved) {
    for (int i = 0; i < n; ++i) {
      auto a = store_->CreateAnnotation(session_.id, Payload("t" + std::to_string(i)));
      ASSERT_TRUE(a);
      ids_.push_back(a->id);
    }
    for (int i : resolved) ASSERT_TRUE(store_->Resolve(ids_[i], std::nullopt));
  }

  ConnectionId Open(Hub& hub, Socket& socket, int proto) {
    ConnectRequest request{session_.id, "", "", proto};
    auto id = hub.Open(request, socket.sink());
    EXPECT_TRUE(id);
    return id ? *id : 0;
  }

  json::object LastOfType(Socket& socket, std::string_view type) {
    json::object found;
    for (auto& frame : socket.Take()) {
      if (Type(frame) == type) found = frame;
    }
    EXPECT_FALSE(found.empty()) << "no " << type;
    return found;
  }

  TempDir dir_;
  std::unique_ptr<Store> store_;
  Session session_;
  std::vector<std::string> ids_;
};

TEST_F(BoundedHubTest, SyncCarriesOpenOnesAndRecentTerminalOnesAndSaysHowManyMore) {
  // t0..t9; t0..t5 and t8 resolved. Cap 2: t8 and t5 are the recent terminal ones.
  Fill(10, {0, 1, 2, 3, 4, 5, 8});
  Hub hub(*store_, HubOptions{.sync_terminal_cap = 2});
  Socket socket;
  Open(hub, socket, 1);
  json::object sync = LastOfType(socket, "annotations:sync");
  EXPECT_EQ(Texts(sync.at("annotations").as_array()),
            (std::vector<std::string>{"t5", "t6", "t7", "t8", "t9"}));
  EXPECT_EQ(sync.at("more").to_number<int>(), 5);
  EXPECT_TRUE(sync.at("version").is_number());
}

TEST_F(BoundedHubTest, PagesTheRestNewestFirst) {
  Fill(10, {0, 1, 2, 3, 4, 5, 8});
  Hub hub(*store_, HubOptions{.sync_terminal_cap = 2});
  Socket socket;
  ConnectionId id = Open(hub, socket, 2);
  socket.Take();
  std::vector<std::string> paged;
  json::value before;  // null
  for (int round = 0; round < 10; ++round) {
    hub.OnMessage(id, json::serialize(json::object{
                          {"type", "annotations:page"}, {"before", before}, {"limit", 2}}));
    json::object page = LastOfType(socket, "annotations:page");
    for (auto& text : Texts(page.at("annotations").as_array())) paged.push_back(text);
    before = page.at("nextCursor");
    if (before.is_null()) break;
  }
  EXPECT_EQ(paged, (std::vector<std::string>{"t4", "t3", "t2", "t1", "t0"}));

  hub.OnMessage(id, R"({"type":"annotations:page","before":"no-such-id"})");
  EXPECT_EQ(Type(socket.Take().at(0)), "error");
  hub.OnMessage(id, R"({"type":"annotations:page","limit":-1})");
  EXPECT_EQ(Type(socket.Take().at(0)), "error");
}

TEST_F(BoundedHubTest, SyncStaysWithinTheByteBudget) {
  json::object big = Payload("big");
  big["domSnapshot"] = std::string(4000, 'x');
  for (int i = 0; i < 40; ++i) ASSERT_TRUE(store_->CreateAnnotation(session_.id, big));
  Hub hub(*store_, HubOptions{.sync_max_bytes = 50 * 1024});
  Socket socket;
  Open(hub, socket, 1);
  for (auto& frame : socket.frames) {
    if (Type(frame) != "annotations:sync") continue;
    EXPECT_LE(json::serialize(frame).size(), 52u * 1024);
    EXPECT_GT(frame.at("more").to_number<int>(), 0);
    EXPECT_EQ(frame.at("annotations").as_array().size() + frame.at("more").to_number<std::size_t>(),
              40u);
  }
}

TEST_F(BoundedHubTest, RevisionTwoGetsUnchangedWhenNothingChanged) {
  Fill(3, {});
  Hub hub(*store_);
  Socket v1, v2;
  Open(hub, v1, 1);
  Open(hub, v2, 2);
  json::object first = LastOfType(v2, "annotations:sync");
  v1.Take();
  hub.SyncAll();
  json::object unchanged = v2.Take().at(0);
  EXPECT_EQ(Type(unchanged), "annotations:unchanged");
  EXPECT_EQ(unchanged.at("version"), first.at("version"));
  EXPECT_EQ(Type(v1.Take().at(0)), "annotations:sync");  // revision 1: as ng-annotate-mcp

  // A change: the next sync is a full one with a new version.
  ASSERT_TRUE(store_->Acknowledge(ids_[0], std::nullopt));
  hub.OnEvents(*store_->EventsSince(0));
  v2.Take();
  hub.SyncAll();
  json::object changed = LastOfType(v2, "annotations:sync");
  EXPECT_NE(changed.at("version"), first.at("version"));
}

TEST_F(BoundedHubTest, AReplyIsADeltaForRevisionTwoAndFullForRevisionOne) {
  Fill(1, {});
  Hub hub(*store_);
  Socket v1, v2;
  ConnectionId id1 = Open(hub, v1, 1);
  Open(hub, v2, 2);
  v1.Take();
  v2.Take();
  hub.OnMessage(id1, json::serialize(json::object{
                         {"type", "annotation:reply"}, {"id", ids_[0]}, {"message", "hello"}}));
  json::object delta = v2.Take().at(0);
  ASSERT_EQ(Type(delta), "annotation:reply");
  EXPECT_EQ(delta.at("id"), json::value(ids_[0]));
  EXPECT_EQ(delta.at("reply").at("message"), "hello");
  EXPECT_EQ(delta.at("reply").at("author"), "user");
  EXPECT_EQ(delta.at("status"), "pending");
  EXPECT_TRUE(delta.at("updatedAt").is_string());
  json::object full = v1.Take().at(0);
  ASSERT_EQ(Type(full), "annotation:updated");
  EXPECT_EQ(full.at("annotation").at("replies").as_array().size(), 1u);

  // A status change is a full annotation:updated for both.
  ASSERT_TRUE(store_->Acknowledge(ids_[0], "on it"));
  hub.OnEvents(*store_->EventsSince(0));
  EXPECT_EQ(Type(v2.Take().at(0)), "annotation:updated");
  EXPECT_EQ(Type(v1.Take().at(0)), "annotation:updated");
}

TEST_F(BoundedHubTest, ReplyCapReachesTheBrowserAsAnError) {
  Fill(1, {});
  for (std::size_t i = 0; i < limits::kRepliesPerAnnotation; ++i) {
    ASSERT_TRUE(store_->AddReply(ids_[0], Author::kAgent, "r", std::nullopt));
  }
  Hub hub(*store_);
  Socket socket;
  ConnectionId id = Open(hub, socket, 2);
  socket.Take();
  hub.OnMessage(id, json::serialize(json::object{
                        {"type", "annotation:reply"}, {"id", ids_[0]}, {"message", "more"}}));
  json::object error = socket.Take().at(0);
  EXPECT_EQ(Type(error), "error");
  EXPECT_EQ(error.at("code"), "limit_exceeded");
}

}  // namespace
}  // namespace nga::browser

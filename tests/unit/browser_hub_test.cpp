// The browser protocol's Hub over a real store in a temp dir, with sinks
// that collect frames instead of sockets.
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <chrono>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "browser/hub.h"
#include "store/change_feed.h"
#include "store/validate.h"
#include "test_util.h"

namespace nga::browser {
namespace {

namespace json = boost::json;
using nga::testing::OpenTestStore;
using nga::testing::Payload;
using nga::testing::TempDir;

// Every frame a socket was sent, parsed.
struct Socket {
  std::vector<json::object> frames;
  Sink sink() {
    return [this](const Frame& frame) { frames.push_back(json::parse(*frame).as_object()); };
  }
  // Takes every frame received so far.
  std::vector<json::object> Take() { return std::exchange(frames, {}); }
  // Takes exactly one frame, which must be there.
  json::object One() {
    EXPECT_EQ(frames.size(), 1u) << Dump();
    json::object frame = frames.empty() ? json::object{} : frames.front();
    frames.clear();
    return frame;
  }
  std::string Dump() const {
    std::string out;
    for (const auto& frame : frames) out += json::serialize(frame) + "\n";
    return out;
  }
};

std::string Type(const json::object& frame) {
  const auto* type = frame.if_contains("type");
  return type && type->is_string() ? std::string(type->get_string()) : "";
}

std::string Str(const json::value& value) { return std::string(value.as_string()); }

std::string Msg(const json::object& fields) { return json::serialize(fields); }

class HubTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = OpenTestStore(dir_);
    ASSERT_TRUE(store_);
    HubOptions options;
    options.after_write = [this] { ++writes_; };
    hub_ = std::make_unique<Hub>(*store_, std::move(options));
  }

  // Opens a socket; returns its id and checks the connect sequence.
  ConnectionId Open(Socket& socket, ConnectRequest request = {}) {
    auto id = hub_->Open(request, socket.sink());
    EXPECT_TRUE(id) << (id ? "" : id.error().message);
    auto frames = socket.Take();
    EXPECT_EQ(frames.size(), 3u);
    if (frames.size() == 3) {
      EXPECT_EQ(Type(frames[0]), "session:created");
      EXPECT_EQ(Type(frames[1]), "manifest:update");
      EXPECT_EQ(Type(frames[2]), "annotations:sync");
      last_session_ = frames[0].at("session").as_object();
      last_sync_ = frames[2];
    }
    return id ? *id : 0;
  }

  json::object Create(ConnectionId id, Socket& socket, std::string text = "make it blue") {
    hub_->OnMessage(id, Msg({{"type", "annotation:create"}, {"payload", Payload(text)}}));
    auto frame = socket.One();
    EXPECT_EQ(Type(frame), "annotation:created") << json::serialize(frame);
    return frame.contains("annotation") ? frame.at("annotation").as_object() : json::object{};
  }

  // The error frame a message gets.
  json::object ErrorFor(ConnectionId id, Socket& socket, std::string_view text) {
    hub_->OnMessage(id, text);
    auto frame = socket.One();
    EXPECT_EQ(Type(frame), "error") << text;
    return frame;
  }

  std::vector<Event> NewEvents() {
    auto events = store_->EventsSince(seen_);
    EXPECT_TRUE(events);
    if (!events) return {};
    if (!events->empty()) seen_ = events->back().seq;
    return std::move(*events);
  }

  TempDir dir_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<Hub> hub_;
  int writes_ = 0;
  std::int64_t seen_ = 0;
  json::object last_session_;
  json::object last_sync_;
};

TEST_F(HubTest, ConnectCreatesAnActiveSessionWithTheReferer) {
  Socket socket;
  Open(socket, {std::nullopt, "http://localhost:4200/cart", "http://localhost:4200"});
  EXPECT_EQ(Str(last_session_.at("url")), "http://localhost:4200/cart");
  EXPECT_TRUE(last_session_.at("active").as_bool());
  EXPECT_TRUE(last_sync_.at("annotations").as_array().empty());
  EXPECT_FALSE(last_sync_.contains("lastAgentHeartbeat"));
  EXPECT_EQ(hub_->session_count(), 1u);
  EXPECT_GE(writes_, 1);
}

TEST_F(HubTest, ConnectWithoutRefererUsesTheOrigin) {
  Socket socket;
  Open(socket, {std::nullopt, "", "http://localhost:5173"});
  EXPECT_EQ(Str(last_session_.at("url")), "http://localhost:5173");
}

TEST_F(HubTest, ConnectSendsTheManifest) {
  HubOptions options;
  options.manifest = [] {
    return json::object{{"AppComponent", json::object{{"component", "a.ts"}}}};
  };
  Hub hub(*store_, std::move(options));
  Socket socket;
  ASSERT_TRUE(hub.Open({}, socket.sink()));
  auto frames = socket.Take();
  ASSERT_EQ(frames.size(), 3u);
  EXPECT_TRUE(frames[1].at("manifest").as_object().contains("AppComponent"));
}

// Regression (issue 21, item 9): ng-annotate-mcp's overlay (revision 1) looks
// components up by `constructor.name`, `_PromoCard` in Angular 21/22 dev
// builds; our overlay (revision 2) must not see the aliases.
TEST_F(HubTest, ManifestCarriesUnderscoreAliasesForRevisionOneOnly) {
  const json::object entry{{"component", "src/app/promo-card.ts"}};
  HubOptions options;
  options.manifest = [&] { return json::object{{"PromoCard", entry}}; };
  Hub hub(*store_, std::move(options));

  Socket legacy, ours;
  ASSERT_TRUE(hub.Open({}, legacy.sink()));
  ConnectRequest revision2;
  revision2.proto = 2;
  ASSERT_TRUE(hub.Open(revision2, ours.sink()));
  auto legacy_manifest = legacy.Take().at(1).at("manifest").as_object();
  EXPECT_EQ(legacy_manifest, (json::object{{"PromoCard", entry}, {"_PromoCard", entry}}));
  EXPECT_EQ(ours.Take().at(1).at("manifest").as_object(), (json::object{{"PromoCard", entry}}));

  hub.BroadcastManifest(json::object{{"CartView", entry}});
  EXPECT_EQ(legacy.One().at("manifest").as_object(),
            (json::object{{"CartView", entry}, {"_CartView", entry}}));
  EXPECT_EQ(ours.One().at("manifest").as_object(), (json::object{{"CartView", entry}}));
}

TEST_F(HubTest, RestoresAKnownSessionWithItsAnnotationsOldestFirst) {
  Socket first;
  ConnectionId id = Open(first);
  std::string session_id = Str(last_session_.at("id"));
  auto a = Create(id, first, "one");
  auto b = Create(id, first, "two");
  hub_->Close(id);
  EXPECT_FALSE(store_->GetSession(session_id)->active);

  Socket again;
  Open(again, {session_id, "", ""});
  EXPECT_EQ(Str(last_session_.at("id")), session_id);
  EXPECT_TRUE(last_session_.at("active").as_bool());
  const auto& annotations = last_sync_.at("annotations").as_array();
  ASSERT_EQ(annotations.size(), 2u);
  EXPECT_EQ(annotations[0].at("id"), a.at("id"));
  EXPECT_EQ(annotations[1].at("id"), b.at("id"));
}

TEST_F(HubTest, UnknownOrAbsurdSessionIdsGetANewSession) {
  Socket socket;
  Open(socket, {"11111111-1111-4111-8111-111111111111", "", ""});
  EXPECT_NE(Str(last_session_.at("id")), "11111111-1111-4111-8111-111111111111");
  Socket other;
  Open(other, {std::string(10000, 'x'), "", ""});
  EXPECT_EQ(hub_->session_count(), 2u);
}

TEST_F(HubTest, CreateStoresAPendingAnnotationInThisSession) {
  Socket socket;
  ConnectionId id = Open(socket);
  auto payload = Payload("make it blue");
  payload["id"] = "forged";
  payload["status"] = "resolved";
  payload["sessionId"] = "forged";
  hub_->OnMessage(id, Msg({{"type", "annotation:create"}, {"payload", payload}}));
  auto annotation = socket.One().at("annotation").as_object();
  EXPECT_NE(Str(annotation.at("id")), "forged");
  EXPECT_EQ(annotation.at("sessionId"), last_session_.at("id"));
  EXPECT_EQ(Str(annotation.at("status")), "pending");
  EXPECT_TRUE(store_->GetAnnotation(Str(annotation.at("id"))));
}

// Issue 18: the browser gets its annotations back without the page context
// it sent (syncs repeat every annotation every 2 s); the store keeps it.
TEST_F(HubTest, FramesToTheBrowserLeaveThePageContextOut) {
  Socket socket;
  ConnectionId id = Open(socket);
  hub_->OnMessage(id, Msg({{"type", "annotation:create"},
                           {"payload", nga::testing::PayloadWithPageContext()}}));
  auto annotation = socket.One().at("annotation").as_object();
  auto stored = store_->GetAnnotation(Str(annotation.at("id")));
  ASSERT_TRUE(stored);
  EXPECT_TRUE(stored->request.contains("pageLog"));
  EXPECT_TRUE(stored->request.contains("computedStyles"));
  Socket again;
  Open(again, {Str(last_session_.at("id")), "", ""});
  for (const json::object& shown : {annotation, last_sync_.at("annotations").at(0).as_object()}) {
    EXPECT_EQ(shown.at("annotationText"), "make this button primary");
    for (std::string_view field : {"pageLog", "computedStyles", "accessibility"}) {
      EXPECT_FALSE(shown.contains(field)) << field;
    }
  }
}

TEST_F(HubTest, ReplyAppendsAUserReply) {
  Socket socket;
  ConnectionId id = Open(socket);
  auto annotation = Create(id, socket);
  hub_->OnMessage(id, Msg({{"type", "annotation:reply"},
                           {"id", annotation.at("id")},
                           {"message", "and the border"}}));
  auto frame = socket.One();
  EXPECT_EQ(Type(frame), "annotation:updated");
  const auto& replies = frame.at("annotation").at("replies").as_array();
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(Str(replies[0].at("author")), "user");
  EXPECT_EQ(Str(replies[0].at("message")), "and the border");
}

TEST_F(HubTest, DeleteDismissesOwnPendingOnly) {
  Socket mine, theirs;
  ConnectionId me = Open(mine);
  ConnectionId them = Open(theirs);
  auto a = Create(me, mine);
  auto b = Create(them, theirs);
  std::string delete_a = Msg({{"type", "annotation:delete"}, {"id", a.at("id")}});

  hub_->OnMessage(me, delete_a);
  EXPECT_EQ(Str(mine.One().at("annotation").at("status")), "dismissed");
  EXPECT_EQ(Str(ErrorFor(me, mine, delete_a).at("code")), "wrong_status");
  auto foreign = ErrorFor(me, mine, Msg({{"type", "annotation:delete"}, {"id", b.at("id")}}));
  EXPECT_EQ(Str(foreign.at("code")), "forbidden");
  EXPECT_EQ(Str(foreign.at("requestType")), "annotation:delete");
  EXPECT_EQ(Str(ErrorFor(me, mine, R"({"type":"annotation:delete","id":"nope"})").at("code")),
            "not_found");
  EXPECT_TRUE(theirs.frames.empty());
  EXPECT_EQ(store_->GetAnnotation(Str(b.at("id")))->status, AnnotationStatus::kPending);
}

TEST_F(HubTest, DeleteRefusesAnAcknowledgedAnnotation) {
  Socket socket;
  ConnectionId id = Open(socket);
  auto annotation = Create(id, socket);
  ASSERT_TRUE(store_->Acknowledge(Str(annotation.at("id")), std::nullopt));
  auto error =
      ErrorFor(id, socket, Msg({{"type", "annotation:delete"}, {"id", annotation.at("id")}}));
  EXPECT_EQ(Str(error.at("code")), "wrong_status");
}

TEST_F(HubTest, ReplyToAnotherSessionsAnnotationIsForbidden) {
  Socket mine, theirs;
  ConnectionId me = Open(mine);
  ConnectionId them = Open(theirs);
  auto b = Create(them, theirs);
  auto error = ErrorFor(me, mine,
                        Msg({{"type", "annotation:reply"}, {"id", b.at("id")}, {"message", "hi"}}));
  EXPECT_EQ(Str(error.at("code")), "forbidden");
  EXPECT_TRUE(store_->GetAnnotation(Str(b.at("id")))->replies.empty());
}

TEST_F(HubTest, ClearDeletesThisSessionsAnnotationsAndSyncsEmpty) {
  Socket mine, tab, theirs;
  ConnectionId me = Open(mine);
  Open(tab, {Str(last_session_.at("id")), "", ""});
  ConnectionId them = Open(theirs);
  Create(me, mine);
  tab.Take();
  auto kept = Create(them, theirs);

  hub_->OnMessage(me, R"({"type":"annotations:clear"})");
  for (Socket* socket : {&mine, &tab}) {
    auto frame = socket->One();
    EXPECT_EQ(Type(frame), "annotations:sync");
    EXPECT_TRUE(frame.at("annotations").as_array().empty());
  }
  EXPECT_TRUE(theirs.frames.empty());
  auto left = store_->ListAnnotations({});
  ASSERT_EQ(left->size(), 1u);
  EXPECT_EQ(left->front().id, Str(kept.at("id")));
}

TEST_F(HubTest, YoloToggleFlipsAndAnswersSessionUpdated) {
  Socket socket;
  ConnectionId id = Open(socket);
  hub_->OnMessage(id, R"({"type":"session:yolo-toggle"})");
  auto on = socket.One();
  EXPECT_EQ(Type(on), "session:updated");
  EXPECT_TRUE(on.at("session").at("yoloMode").as_bool());
  hub_->OnMessage(id, R"({"type":"session:yolo-toggle"})");
  EXPECT_FALSE(socket.One().at("session").at("yoloMode").as_bool());
}

TEST_F(HubTest, DiffResponsesOnlyWhileProposedAndOnlyOwn) {
  Socket mine, theirs;
  ConnectionId me = Open(mine);
  ConnectionId them = Open(theirs);
  auto a = Create(me, mine);
  auto b = Create(me, mine);
  std::string a_id = Str(a.at("id")), b_id = Str(b.at("id"));

  auto early = ErrorFor(me, mine, Msg({{"type", "diff:approved"}, {"id", a_id}}));
  EXPECT_EQ(Str(early.at("code")), "wrong_status");

  ASSERT_TRUE(store_->ProposeDiff(a_id, "--- a\n+++ b\n"));
  ASSERT_TRUE(store_->ProposeDiff(b_id, "--- a\n+++ b\n"));
  hub_->OnEvents(NewEvents());  // the agent's proposals, as the feed delivers them
  EXPECT_EQ(mine.Take().size(), 2u);

  EXPECT_EQ(Str(ErrorFor(them, theirs, Msg({{"type", "diff:approved"}, {"id", a_id}})).at("code")),
            "forbidden");
  hub_->OnMessage(me, Msg({{"type", "diff:approved"}, {"id", a_id}}));
  EXPECT_EQ(Str(mine.One().at("annotation").at("diffResponse")), "approved");
  hub_->OnMessage(me, Msg({{"type", "diff:rejected"}, {"id", b_id}}));
  EXPECT_EQ(Str(mine.One().at("annotation").at("diffResponse")), "rejected");
  EXPECT_EQ(Str(ErrorFor(me, mine, Msg({{"type", "diff:approved"}, {"id", a_id}})).at("code")),
            "wrong_status");
}

TEST_F(HubTest, PingTouchesTheSessionAndAnswersNothing) {
  Socket socket;
  ConnectionId id = Open(socket);
  int writes = writes_;
  hub_->OnMessage(id, R"({"type":"session:ping"})");
  EXPECT_TRUE(socket.frames.empty());
  EXPECT_EQ(writes_, writes);  // not logged: no feed check needed
}

TEST_F(HubTest, BadFramesGetAnErrorAndChangeNothing) {
  Socket socket;
  ConnectionId id = Open(socket);
  for (std::string_view text :
       {"", "nope", "null", "[]", "[1]", "3", "{}", R"({"type":1})", R"({"type":"x:y"})",
        R"({"type":"annotation:create","payload":[]})",
        R"({"type":"annotation:reply","id":"a","message":5})", R"({"type":"annotation:delete"})"}) {
    auto error = ErrorFor(id, socket, text);
    EXPECT_TRUE(error.at("message").is_string());
    EXPECT_TRUE(error.contains("requestType"));
  }
  auto over = Payload(std::string(nga::limits::kAnnotationTextChars + 1, 'x'));
  auto limit = ErrorFor(id, socket, Msg({{"type", "annotation:create"}, {"payload", over}}));
  EXPECT_EQ(Str(limit.at("code")), "limit_exceeded");
  EXPECT_EQ(Str(limit.at("requestType")), "annotation:create");
  EXPECT_TRUE(store_->ListAnnotations({})->empty());
  Create(id, socket, "still fine");
}

TEST_F(HubTest, EverySocketOfTheSessionGetsEachChangeOnce) {
  Socket a, b;
  ConnectionId first = Open(a);
  std::string session_id = Str(last_session_.at("id"));
  Open(b, {session_id, "", ""});
  auto annotation = Create(first, a);
  EXPECT_EQ(Type(b.One()), "annotation:created");

  // The feed then reports the same change: nothing new, nothing sent.
  hub_->OnEvents(NewEvents());
  EXPECT_TRUE(a.frames.empty()) << a.Dump();
  EXPECT_TRUE(b.frames.empty()) << b.Dump();
}

TEST_F(HubTest, ChangesFromElsewhereArePushedToTheirSessionOnly) {
  Socket mine, theirs;
  ConnectionId me = Open(mine);
  std::string my_session = Str(last_session_.at("id"));
  Open(theirs);
  auto annotation = Create(me, mine);
  NewEvents();

  // Another process (here: another connection to the same file).
  auto other = Store::Open(store_->path());
  ASSERT_TRUE(other);
  ASSERT_TRUE((*other)->Acknowledge(Str(annotation.at("id")), "on it"));
  hub_->OnEvents(NewEvents());
  auto frame = mine.One();
  EXPECT_EQ(Type(frame), "annotation:updated");
  EXPECT_EQ(Str(frame.at("annotation").at("status")), "acknowledged");
  EXPECT_EQ(Str(frame.at("annotation").at("replies").at(0).at("author")), "agent");
  EXPECT_TRUE(theirs.frames.empty());

  // An annotation created elsewhere in this session arrives as created.
  auto created = (*other)->CreateAnnotation(my_session, Payload("from cli"));
  ASSERT_TRUE(created);
  hub_->OnEvents(NewEvents());
  auto pushed = mine.One();
  EXPECT_EQ(Type(pushed), "annotation:created");
  EXPECT_EQ(Str(pushed.at("annotation").at("id")), created->id);
  EXPECT_TRUE(theirs.frames.empty());
}

TEST_F(HubTest, SyncIsServedFromMemoryWithTheHeartbeat) {
  Socket socket;
  ConnectionId id = Open(socket);
  auto annotation = Create(id, socket);
  ASSERT_TRUE(store_->RecordAgentHeartbeat());
  hub_->SyncAll();
  auto sync = socket.One();
  EXPECT_EQ(Type(sync), "annotations:sync");
  ASSERT_EQ(sync.at("annotations").as_array().size(), 1u);
  EXPECT_EQ(sync.at("annotations").at(0).at("id"), annotation.at("id"));
  EXPECT_TRUE(sync.at("lastAgentHeartbeat").is_string());
}

TEST_F(HubTest, DeletionsFromTheFeedResync) {
  Socket socket;
  ConnectionId id = Open(socket);
  std::string session_id = Str(last_session_.at("id"));
  Create(id, socket);
  NewEvents();
  auto other = Store::Open(store_->path());
  ASSERT_TRUE((*other)->ClearSession(session_id));
  hub_->OnEvents(NewEvents());
  auto sync = socket.One();
  EXPECT_EQ(Type(sync), "annotations:sync");
  EXPECT_TRUE(sync.at("annotations").as_array().empty());
}

TEST_F(HubTest, SessionInactiveOnlyWhenItsLastSocketCloses) {
  Socket old_tab, new_tab;
  ConnectionId old_id = Open(old_tab);
  std::string session_id = Str(last_session_.at("id"));
  ConnectionId new_id = Open(new_tab, {session_id, "", ""});  // the reload opens first
  hub_->Close(old_id);
  EXPECT_TRUE(store_->GetSession(session_id)->active);
  EXPECT_EQ(hub_->session_count(), 1u);
  hub_->Close(new_id);
  EXPECT_FALSE(store_->GetSession(session_id)->active);
  EXPECT_EQ(hub_->session_count(), 0u);
  hub_->Close(new_id);                                    // twice: ignored
  hub_->OnMessage(new_id, R"({"type":"session:ping"})");  // after close: ignored
}

// The end-to-end latency the daemon sees: another connection commits, the
// change feed wakes (inotify), the Hub reads the delta and pushes. Printed,
// not asserted.
TEST_F(HubTest, CrossProcessPushLatencyIsPrinted) {
  boost::asio::io_context io;
  auto feed = ChangeFeed::Start(io.get_executor(), *store_);
  ASSERT_TRUE(feed);
  (*feed)->Subscribe([this](const std::vector<Event>& events) { hub_->OnEvents(events); });

  Socket socket;
  ConnectionId id = Open(socket);
  auto other = Store::Open(store_->path());
  ASSERT_TRUE(other);

  std::vector<double> micros;
  for (int i = 0; i < 50; ++i) {
    auto annotation = Create(id, socket, "latency " + std::to_string(i));
    io.poll();
    socket.Take();
    auto start = std::chrono::steady_clock::now();
    ASSERT_TRUE((*other)->Acknowledge(Str(annotation.at("id")), std::nullopt));
    while (socket.frames.empty()) io.run_one_for(std::chrono::seconds(5));
    micros.push_back(
        std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start)
            .count());
    ASSERT_EQ(Str(socket.One().at("annotation").at("status")), "acknowledged");
  }
  std::sort(micros.begin(), micros.end());
  std::printf("cross-connection commit -> push: p50 %.0f us, p99 %.0f us, max %.0f us\n",
              micros[micros.size() / 2], micros[micros.size() * 99 / 100], micros.back());
  (*feed)->Stop();
}

}  // namespace
}  // namespace nga::browser

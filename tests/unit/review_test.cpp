// The before/after check (issue 18): the user's Accept and Reopen of a
// resolved annotation, the after screenshot, and how the `accepted` status is
// mapped onto ng-annotate-mcp's five for its unmodified client.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <string>
#include <vector>

#include "browser/hub.h"
#include "store/export.h"
#include "test_util.h"

namespace nga {
namespace {

namespace json = boost::json;
using testing::OpenTestStore;
using testing::Payload;
using testing::TempDir;

// ---- the status mapping ----------------------------------------------------

// ng-annotate-mcp's client knows exactly these.
const std::vector<std::string> kLegacyStatuses = {"pending", "acknowledged", "diff_proposed",
                                                  "resolved", "dismissed"};

TEST(StatusMapping, EveryStatusMapsOntoOneOfNgAnnotateMcps) {
  for (auto status : {AnnotationStatus::kPending, AnnotationStatus::kAcknowledged,
                      AnnotationStatus::kDiffProposed, AnnotationStatus::kResolved,
                      AnnotationStatus::kDismissed, AnnotationStatus::kAccepted}) {
    std::string legacy = LegacyStatusName(status);
    EXPECT_NE(std::find(kLegacyStatuses.begin(), kLegacyStatuses.end(), legacy),
              kLegacyStatuses.end())
        << StatusName(status) << " -> " << legacy;
    // Its own statuses are left as they are.
    if (status != AnnotationStatus::kAccepted) EXPECT_EQ(legacy, StatusName(status));
  }
  EXPECT_STREQ(LegacyStatusName(AnnotationStatus::kAccepted), "resolved");
  EXPECT_EQ(ParseStatus("accepted"), AnnotationStatus::kAccepted);
  EXPECT_TRUE(IsTerminal(AnnotationStatus::kAccepted));
}

TEST(StatusMapping, LegacyFormKeepsOurStatusBesideItsOwn) {
  json::object accepted{{"status", "accepted"}};
  ToLegacyForm(AnnotationStatus::kAccepted, accepted);
  EXPECT_EQ(accepted.at("status"), "resolved");
  EXPECT_EQ(accepted.at("ngAnnotateStatus"), "accepted");

  json::object resolved{{"status", "resolved"}};
  ToLegacyForm(AnnotationStatus::kResolved, resolved);
  EXPECT_EQ(resolved.at("status"), "resolved");
  EXPECT_FALSE(resolved.contains("ngAnnotateStatus"));
}

// ---- the store, on both backends -------------------------------------------

class ReviewStoreTest : public ::testing::TestWithParam<testing::Backend> {
 protected:
  void SetUp() override {
    store_ = OpenTestStore(dir_, {}, GetParam());
    ASSERT_TRUE(store_);
    session_ = *store_->CreateSession("http://localhost:5173/");
  }
  Annotation Resolved(std::string text = "make it blue") {
    auto a = store_->CreateAnnotation(session_.id, Payload(text));
    EXPECT_TRUE(a);
    auto done = store_->Resolve(a->id, "made it blue");
    EXPECT_TRUE(done);
    return done ? *done : Annotation{};
  }
  TempDir dir_;
  std::unique_ptr<Store> store_;
  Session session_;
};

TEST_P(ReviewStoreTest, AcceptClosesOnlyAResolvedAnnotationOfItsSession) {
  Annotation a = Resolved();
  EXPECT_EQ(store_->Accept(a.id, "other-session").error().code, ErrorCode::kForbidden);
  EXPECT_EQ(store_->Accept("no-such-id", session_.id).error().code, ErrorCode::kNotFound);
  auto accepted = store_->Accept(a.id, session_.id);
  ASSERT_TRUE(accepted) << accepted.error().message;
  EXPECT_EQ(accepted->status, AnnotationStatus::kAccepted);
  EXPECT_EQ(accepted->replies.size(), a.replies.size());
  EXPECT_EQ(store_->Accept(a.id, session_.id).error().code, ErrorCode::kWrongStatus);
  EXPECT_EQ(store_->Reopen(a.id, "again", session_.id).error().code, ErrorCode::kWrongStatus);
  EXPECT_EQ(store_->Resolve(a.id, std::nullopt).error().code, ErrorCode::kWrongStatus);
  EXPECT_EQ(store_->ListAnnotations({.status = AnnotationStatus::kAccepted})->size(), 1u);

  auto pending = store_->CreateAnnotation(session_.id, Payload("not done yet"));
  EXPECT_EQ(store_->Accept(pending->id, session_.id).error().code, ErrorCode::kWrongStatus);
}

TEST_P(ReviewStoreTest, ReopenPutsItBackToPendingWithTheUsersNoteAsWork) {
  Annotation a = Resolved();
  auto seq = *store_->LatestSequence();
  EXPECT_TRUE(store_->ListWaitingWork(std::nullopt)->empty());
  EXPECT_EQ(store_->Reopen(a.id, "  ", session_.id).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(store_->Reopen(a.id, "still red", "other-session").error().code, ErrorCode::kForbidden);
  EXPECT_EQ(*store_->LatestSequence(), seq);  // refused: nothing written

  auto reopened = store_->Reopen(a.id, "still red on hover", session_.id);
  ASSERT_TRUE(reopened) << reopened.error().message;
  EXPECT_EQ(reopened->status, AnnotationStatus::kPending);
  ASSERT_FALSE(reopened->replies.empty());
  EXPECT_EQ(reopened->replies.back().author, Author::kUser);
  EXPECT_EQ(reopened->replies.back().message, "still red on hover");
  auto events = store_->EventsSince(seq);
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ(events->front().type, EventType::kAnnotationUpdated);
  auto work = store_->ListWaitingWork(std::nullopt);
  ASSERT_EQ(work->size(), 1u);
  EXPECT_EQ(work->front().id, a.id);
  // The agent picks it up as any pending one.
  EXPECT_TRUE(store_->Acknowledge(a.id, std::nullopt));
}

INSTANTIATE_TEST_SUITE_P(Backends, ReviewStoreTest, ::testing::ValuesIn(testing::TestBackends()),
                         testing::BackendName);

TEST(ReviewExport, AcceptedIsResolvedInTheFileAndAcceptedAgainOnImport) {
  TempDir a_dir, b_dir;
  auto a = OpenTestStore(a_dir);
  auto session = a->CreateSession("http://localhost:5173/");
  auto created = a->CreateAnnotation(session->id, Payload());
  ASSERT_TRUE(a->Resolve(created->id, std::nullopt));
  ASSERT_TRUE(a->Accept(created->id, session->id));
  auto exported = ExportStore(*a);
  ASSERT_TRUE(exported);
  const auto& record = exported->at("annotations").at(created->id).as_object();
  EXPECT_EQ(record.at("status"), "resolved");
  EXPECT_EQ(record.at("ngAnnotateStatus"), "accepted");

  auto b = OpenTestStore(b_dir);
  ASSERT_TRUE(ImportStore(*b, json::parse(json::serialize(*exported))));
  EXPECT_EQ(b->GetAnnotation(created->id)->status, AnnotationStatus::kAccepted);
  // A marker that does not map onto the file's status is not believed.
  json::object forged = *exported;
  forged["annotations"].as_object()[created->id].as_object()["status"] = "pending";
  TempDir c_dir;
  auto c = OpenTestStore(c_dir);
  ASSERT_TRUE(ImportStore(*c, forged));
  EXPECT_EQ(c->GetAnnotation(created->id)->status, AnnotationStatus::kPending);
}

// ---- the browser protocol --------------------------------------------------

struct Socket {
  std::vector<json::object> frames;
  browser::Sink sink() {
    return [this](const browser::Frame& f) { frames.push_back(json::parse(*f).as_object()); };
  }
  json::object One() {
    EXPECT_EQ(frames.size(), 1u);
    json::object frame = frames.empty() ? json::object{} : frames.back();
    frames.clear();
    return frame;
  }
};

std::string Str(const json::value& value) { return std::string(value.as_string()); }

std::string AfterFrame(const std::string& id, std::string_view base64 = testing::kTinyPngBase64) {
  return json::serialize(
      json::object{{"type", "annotation:after"},
                   {"id", id},
                   {"screenshot", json::object{{"mimeType", "image/png"}, {"data", base64}}}});
}

class ReviewHubTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = OpenTestStore(dir_);
    ASSERT_TRUE(store_);
    hub_ = std::make_unique<browser::Hub>(*store_);
  }
  // A socket of protocol revision `proto` on `session` (a new one when empty).
  browser::ConnectionId Open(Socket& socket, int proto, std::string session = "") {
    browser::ConnectRequest request;
    if (!session.empty()) request.session_id = session;
    request.proto = proto;
    auto id = hub_->Open(request, socket.sink());
    EXPECT_TRUE(id);
    session_ = Str(socket.frames.front().at("session").at("id"));
    socket.frames.clear();
    return *id;
  }
  std::string Resolved(browser::ConnectionId id, Socket& socket) {
    hub_->OnMessage(
        id, json::serialize(json::object{{"type", "annotation:create"}, {"payload", Payload()}}));
    std::string a = Str(socket.One().at("annotation").at("id"));
    EXPECT_TRUE(store_->Resolve(a, "done"));
    FeedEvents();
    socket.frames.clear();
    return a;
  }
  void FeedEvents() {
    auto events = store_->EventsSince(seen_);
    if (!events->empty()) seen_ = events->back().seq;
    hub_->OnEvents(*events);
  }
  json::object ErrorFor(browser::ConnectionId id, Socket& socket, const std::string& text) {
    hub_->OnMessage(id, text);
    auto frame = socket.One();
    EXPECT_EQ(Str(frame.at("type")), "error") << text;
    return frame;
  }
  TempDir dir_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<browser::Hub> hub_;
  std::string session_;
  std::int64_t seen_ = 0;
};

TEST_F(ReviewHubTest, AfterScreenshotOnlyForThisSessionsResolvedAnnotation) {
  Socket mine, theirs;
  auto me = Open(mine, 2);
  auto them = Open(theirs, 2);
  hub_->OnMessage(me, json::serialize(json::object{{"type", "annotation:create"},
                                                   {"payload", Payload("still open")}}));
  std::string open = Str(mine.One().at("annotation").at("id"));
  EXPECT_EQ(Str(ErrorFor(me, mine, AfterFrame(open)).at("code")), "wrong_status");
  std::string a = Resolved(me, mine);
  EXPECT_EQ(Str(ErrorFor(them, theirs, AfterFrame(a)).at("code")), "forbidden");
  EXPECT_EQ(Str(ErrorFor(me, mine, AfterFrame("no-such-id")).at("code")), "not_found");
  // Bad images and shapes: the image's own bounds, as for the before image.
  for (const std::string& bad :
       {AfterFrame(a, "not base64!"), AfterFrame(a, "iVBORw0KGgo="),
        json::serialize(json::object{{"type", "annotation:after"}, {"id", a}}),
        json::serialize(json::object{{"type", "annotation:after"}, {"screenshot", 1}}),
        json::serialize(json::object{
            {"type", "annotation:after"}, {"id", a}, {"screenshot", json::object{{"data", 5}}}}),
        AfterFrame(a, std::string(browser::kMaxScreenshotBase64Chars + 4, 'A'))}) {
    auto error = ErrorFor(me, mine, bad);
    EXPECT_EQ(Str(error.at("requestType")), "annotation:after");
  }
  EXPECT_FALSE(*store_->GetScreenshot(a, ScreenshotKind::kAfter));
  EXPECT_FALSE(*store_->GetScreenshot(open, ScreenshotKind::kAfter));

  hub_->OnMessage(me, AfterFrame(a));
  auto answer = mine.One();
  EXPECT_EQ(Str(answer.at("type")), "annotation:updated");
  EXPECT_EQ(Str(answer.at("annotation").at("id")), a);
  auto after = store_->GetScreenshot(a, ScreenshotKind::kAfter);
  ASSERT_TRUE(after && *after);
  EXPECT_EQ((*after)->kind, ScreenshotKind::kAfter);
  EXPECT_EQ((*after)->width, 37);
  EXPECT_FALSE(*store_->GetScreenshot(a, ScreenshotKind::kBefore));
}

TEST_F(ReviewHubTest, AcceptAndReopenOnlyOwnResolvedWithClearErrors) {
  Socket mine, theirs;
  auto me = Open(mine, 2);
  auto them = Open(theirs, 2);
  std::string a = Resolved(me, mine);
  std::string b = Resolved(me, mine);
  auto frame = [](std::string_view type, const std::string& id) {
    return json::serialize(json::object{{"type", type}, {"id", id}, {"message", "still red"}});
  };
  EXPECT_EQ(Str(ErrorFor(them, theirs, frame("annotation:accept", a)).at("code")), "forbidden");
  EXPECT_EQ(Str(ErrorFor(them, theirs, frame("annotation:reopen", a)).at("code")), "forbidden");
  for (const std::string& bad :
       {std::string(R"({"type":"annotation:accept"})"),
        std::string(R"({"type":"annotation:accept","id":7})"),
        std::string(R"({"type":"annotation:reopen","id":")") + b + "\"}",
        std::string(R"({"type":"annotation:reopen","id":")") + b + R"(","message":" "})"}) {
    auto error = ErrorFor(me, mine, bad);
    EXPECT_EQ(Str(error.at("code")), "invalid_argument") << bad;
  }
  EXPECT_EQ(store_->GetAnnotation(b)->status, AnnotationStatus::kResolved);

  hub_->OnMessage(me, frame("annotation:accept", a));
  EXPECT_EQ(Str(mine.One().at("annotation").at("status")), "accepted");
  EXPECT_EQ(Str(ErrorFor(me, mine, frame("annotation:accept", a)).at("code")), "wrong_status");
  EXPECT_EQ(Str(ErrorFor(me, mine, frame("annotation:reopen", a)).at("code")), "wrong_status");

  hub_->OnMessage(me, frame("annotation:reopen", b));
  auto reopened = mine.One().at("annotation").as_object();
  EXPECT_EQ(Str(reopened.at("status")), "pending");
  EXPECT_EQ(Str(reopened.at("replies").as_array().back().at("message")), "still red");
  EXPECT_EQ(Str(reopened.at("replies").as_array().back().at("author")), "user");
  // The socket still works.
  hub_->OnMessage(me, R"({"type":"annotations:clear"})");
  EXPECT_EQ(Str(mine.One().at("type")), "annotations:sync");
}

// ng-annotate-mcp's overlay (revision 1) never sees a status it does not know.
TEST_F(ReviewHubTest, RevisionOneSocketsSeeAcceptedAsResolved) {
  Socket v2, v1;
  auto ours = Open(v2, 2);
  Open(v1, 1, session_);
  std::string a = Resolved(ours, v2);
  v1.frames.clear();
  hub_->OnMessage(ours, json::serialize(json::object{{"type", "annotation:accept"}, {"id", a}}));
  EXPECT_EQ(Str(v2.One().at("annotation").at("status")), "accepted");
  auto pushed = v1.One();
  EXPECT_EQ(Str(pushed.at("type")), "annotation:updated");
  EXPECT_EQ(Str(pushed.at("annotation").at("status")), "resolved");
  EXPECT_EQ(Str(pushed.at("annotation").at("ngAnnotateStatus")), "accepted");

  hub_->SyncAll();
  auto v2_sync = v2.One();
  EXPECT_EQ(Str(v2_sync.at("annotations").at(0).at("status")), "accepted");
  auto v1_sync = v1.One();
  EXPECT_EQ(Str(v1_sync.at("annotations").at(0).at("status")), "resolved");

  // A reconnecting revision-1 socket's first sync, and its page answers.
  Socket again;
  ASSERT_TRUE(hub_->Open({.session_id = session_, .proto = 1}, again.sink()));
  EXPECT_EQ(Str(again.frames.at(2).at("annotations").at(0).at("status")), "resolved");
  Socket again2;
  ASSERT_TRUE(hub_->Open({.session_id = session_, .proto = 2}, again2.sink()));
  EXPECT_EQ(Str(again2.frames.at(2).at("annotations").at(0).at("status")), "accepted");
}

}  // namespace
}  // namespace nga

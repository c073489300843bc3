#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>
#include <string>

#include "store/validate.h"
#include "test_util.h"

namespace nga {
namespace {

using testing::FakeClock;
using testing::OpenTestStore;
using testing::Payload;
using testing::TempDir;

class StoreTest : public ::testing::TestWithParam<testing::Backend> {
 protected:
  void SetUp() override {
    store_ = OpenTestStore(dir_, StoreOptions{.clock = clock_.AsClock()}, GetParam());
    ASSERT_TRUE(store_);
    auto session = store_->CreateSession("http://localhost:4200/");
    ASSERT_TRUE(session) << session.error().message;
    session_ = *session;
  }

  Annotation Create(std::string text = "make this button primary") {
    clock_.now += 1;
    auto created = store_->CreateAnnotation(session_.id, Payload(text));
    EXPECT_TRUE(created) << created.error().message;
    return created ? *created : Annotation{};
  }

  TempDir dir_;
  FakeClock clock_;
  std::unique_ptr<Store> store_;
  Session session_;
};

// main() calls it first; called once stores are open it must change nothing.
TEST_P(StoreTest, ConfiguringTheLibraryLateIsHarmless) {
  ConfigureStorageForProcess();
  Annotation before = Create();
  auto other = OpenTestStore(dir_, {}, GetParam());
  ASSERT_TRUE(other);
  auto read = other->GetAnnotation(before.id);
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_EQ(read->annotation_text(), "make this button primary");
}

TEST_P(StoreTest, CreatesSessionActiveWithUrl) {
  EXPECT_TRUE(session_.active);
  EXPECT_EQ(session_.url, "http://localhost:4200/");
  EXPECT_FALSE(session_.yolo_mode);
  auto fetched = store_->GetSession(session_.id);
  ASSERT_TRUE(fetched);
  EXPECT_EQ(fetched->created_at, clock_.now);
}

TEST_P(StoreTest, SessionActivationAndInactivity) {
  ASSERT_TRUE(store_->SetSessionActive(session_.id, false));
  EXPECT_FALSE(store_->GetSession(session_.id)->active);
  clock_.now += 500;
  auto restored = store_->ActivateSession(session_.id);
  ASSERT_TRUE(restored);
  EXPECT_TRUE(restored->active);
  EXPECT_EQ(restored->last_seen_at, clock_.now);
  EXPECT_EQ(store_->ActivateSession("no-such").error().code, ErrorCode::kNotFound);

  auto other = store_->CreateSession("http://localhost:5173/");
  ASSERT_TRUE(other);
  ASSERT_TRUE(store_->MarkAllSessionsInactive());
  auto sessions = store_->ListSessions();  // kept: a range-for over *temporary dangles
  ASSERT_TRUE(sessions);
  for (const auto& s : *sessions) EXPECT_FALSE(s.active) << s.id;
}

TEST_P(StoreTest, TouchUpdatesLastSeen) {
  clock_.now += 1234;
  ASSERT_TRUE(store_->TouchSession(session_.id));
  EXPECT_EQ(store_->GetSession(session_.id)->last_seen_at, clock_.now);
  EXPECT_EQ(store_->TouchSession("nope").error().code, ErrorCode::kNotFound);
}

TEST_P(StoreTest, YoloToggles) {
  EXPECT_TRUE(store_->ToggleYolo(session_.id)->yolo_mode);
  EXPECT_FALSE(store_->ToggleYolo(session_.id)->yolo_mode);
}

TEST_P(StoreTest, ListsSessionsOldestFirst) {
  clock_.now += 10;
  auto second = store_->CreateSession("b");
  auto sessions = store_->ListSessions();
  ASSERT_TRUE(sessions);
  ASSERT_EQ(sessions->size(), 2u);
  EXPECT_EQ((*sessions)[0].id, session_.id);
  EXPECT_EQ((*sessions)[1].id, second->id);
}

TEST_P(StoreTest, CreateSetsServerFieldsWhateverThePayloadSays) {
  auto payload = Payload();
  payload["id"] = "attacker-chosen";
  payload["sessionId"] = "someone-else";
  payload["createdAt"] = "1999-01-01T00:00:00.000Z";
  payload["status"] = "resolved";
  payload["replies"] = boost::json::array{boost::json::object{{"author", "agent"}}};
  payload["evilExtra"] = "dropped";
  auto created = store_->CreateAnnotation(session_.id, payload);
  ASSERT_TRUE(created) << created.error().message;
  EXPECT_NE(created->id, "attacker-chosen");
  EXPECT_EQ(created->id.size(), 36u);
  EXPECT_EQ(created->session_id, session_.id);
  EXPECT_EQ(created->created_at, clock_.now);
  EXPECT_EQ(created->status, AnnotationStatus::kPending);
  EXPECT_TRUE(created->replies.empty());
  EXPECT_FALSE(created->request.contains("evilExtra"));
  EXPECT_FALSE(created->request.contains("status"));

  auto stored = store_->GetAnnotation(created->id);
  ASSERT_TRUE(stored);
  EXPECT_EQ(boost::json::serialize(ToJson(*stored)), boost::json::serialize(ToJson(*created)));
}

TEST_P(StoreTest, CreateInUnknownSessionIsNotFound) {
  auto created = store_->CreateAnnotation("no-such-session", Payload());
  ASSERT_FALSE(created);
  EXPECT_EQ(created.error().code, ErrorCode::kNotFound);
}

TEST_P(StoreTest, CreateRefusesBadPayloadAndStoresNothing) {
  auto empty = store_->CreateAnnotation(session_.id, Payload("   \n"));
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(empty.error().message.find("annotationText"), std::string::npos);

  auto too_long = store_->CreateAnnotation(session_.id, Payload(std::string(10001, 'x')));
  ASSERT_FALSE(too_long);
  EXPECT_EQ(too_long.error().code, ErrorCode::kLimitExceeded);

  EXPECT_TRUE(store_->ListAnnotations({})->empty());
  EXPECT_EQ(*store_->LatestSequence(), 1);  // only the session's creation
}

TEST_P(StoreTest, ListsOldestFirstWithStableTieBreak) {
  // Same timestamp for all three: insertion order decides.
  Annotation a = Create("a");
  clock_.now -= 1;
  Annotation b = Create("b");
  clock_.now -= 1;
  Annotation c = Create("c");
  auto list = store_->ListAnnotations({.session_id = session_.id});
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 3u);
  EXPECT_EQ((*list)[0].id, a.id);
  EXPECT_EQ((*list)[1].id, b.id);
  EXPECT_EQ((*list)[2].id, c.id);
}

TEST_P(StoreTest, ListFiltersBySessionAndStatus) {
  Annotation a = Create("a");
  Create("b");
  auto other = store_->CreateSession("x");
  ASSERT_TRUE(store_->CreateAnnotation(other->id, Payload("c")));
  ASSERT_TRUE(store_->Acknowledge(a.id, std::nullopt));

  EXPECT_EQ(store_->ListAnnotations({})->size(), 3u);
  EXPECT_EQ(store_->ListAnnotations({.session_id = session_.id})->size(), 2u);
  EXPECT_EQ(store_->ListAnnotations({.status = AnnotationStatus::kPending})->size(), 2u);
  auto acked = store_->ListAnnotations(
      {.session_id = session_.id, .status = AnnotationStatus::kAcknowledged});
  ASSERT_EQ(acked->size(), 1u);
  EXPECT_EQ(acked->front().id, a.id);
}

TEST_P(StoreTest, AcknowledgeOnlyFromPendingWithReplyInSameStep) {
  Annotation a = Create();
  auto acked = store_->Acknowledge(a.id, "on it");
  ASSERT_TRUE(acked) << acked.error().message;
  EXPECT_EQ(acked->status, AnnotationStatus::kAcknowledged);
  ASSERT_EQ(acked->replies.size(), 1u);
  EXPECT_EQ(acked->replies[0].author, Author::kAgent);
  EXPECT_EQ(acked->replies[0].message, "on it");

  auto again = store_->Acknowledge(a.id, std::nullopt);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kWrongStatus);
  EXPECT_NE(again.error().message.find("acknowledged"), std::string::npos);
  EXPECT_EQ(store_->Acknowledge("missing", std::nullopt).error().code, ErrorCode::kNotFound);
}

TEST_P(StoreTest, FailedStatusChangeWritesNothing) {
  Annotation a = Create();
  ASSERT_TRUE(store_->Resolve(a.id, "done"));
  auto seq = *store_->LatestSequence();
  auto failed = store_->Acknowledge(a.id, "too late");
  ASSERT_FALSE(failed);
  EXPECT_EQ(*store_->LatestSequence(), seq);
  EXPECT_EQ(store_->GetAnnotation(a.id)->replies.size(), 1u);
}

TEST_P(StoreTest, ProposeDiffClearsEarlierResponse) {
  Annotation a = Create();
  ASSERT_TRUE(store_->ProposeDiff(a.id, "--- a\n+++ b\n"));
  auto rejected = store_->RespondToDiff(a.id, DiffResponse::kRejected, session_.id);
  ASSERT_TRUE(rejected) << rejected.error().message;
  EXPECT_EQ(rejected->diff_response, DiffResponse::kRejected);

  auto second = store_->ProposeDiff(a.id, "--- a\n+++ c\n");
  ASSERT_TRUE(second);
  EXPECT_EQ(second->status, AnnotationStatus::kDiffProposed);
  EXPECT_EQ(second->diff, "--- a\n+++ c\n");
  EXPECT_FALSE(second->diff_response.has_value());
}

TEST_P(StoreTest, DiffResponseRules) {
  Annotation a = Create();
  EXPECT_EQ(store_->RespondToDiff(a.id, DiffResponse::kApproved, session_.id).error().code,
            ErrorCode::kWrongStatus);
  ASSERT_TRUE(store_->ProposeDiff(a.id, "diff"));
  EXPECT_EQ(store_->RespondToDiff(a.id, DiffResponse::kApproved, "other-session").error().code,
            ErrorCode::kForbidden);
  ASSERT_TRUE(store_->RespondToDiff(a.id, DiffResponse::kApproved, session_.id));
  EXPECT_EQ(store_->RespondToDiff(a.id, DiffResponse::kRejected, session_.id).error().code,
            ErrorCode::kWrongStatus);
  EXPECT_EQ(store_->GetAnnotation(a.id)->diff_response, DiffResponse::kApproved);
}

TEST_P(StoreTest, DiffLimits) {
  Annotation a = Create();
  EXPECT_EQ(store_->ProposeDiff(a.id, std::string(limits::kDiffBytes + 1, 'x')).error().code,
            ErrorCode::kLimitExceeded);
  EXPECT_EQ(store_->ProposeDiff(a.id, "").error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(store_->GetAnnotation(a.id)->status, AnnotationStatus::kPending);
}

TEST_P(StoreTest, ResolveAndDismissAreTerminal) {
  Annotation a = Create();
  Annotation b = Create();
  auto resolved = store_->Resolve(a.id, "made it primary");
  ASSERT_TRUE(resolved);
  EXPECT_EQ(resolved->status, AnnotationStatus::kResolved);
  EXPECT_EQ(resolved->replies.back().message, "made it primary");
  EXPECT_EQ(store_->Resolve(a.id, std::nullopt).error().code, ErrorCode::kWrongStatus);

  EXPECT_EQ(store_->Dismiss(b.id, "  ").error().code, ErrorCode::kInvalidArgument);
  auto dismissed = store_->Dismiss(b.id, "not reproducible");
  ASSERT_TRUE(dismissed);
  EXPECT_EQ(dismissed->status, AnnotationStatus::kDismissed);
  EXPECT_EQ(dismissed->replies.back().author, Author::kAgent);
  EXPECT_EQ(store_->Dismiss(b.id, "again").error().code, ErrorCode::kWrongStatus);
}

TEST_P(StoreTest, UserDeleteOnlyOwnPending) {
  Annotation a = Create();
  Annotation b = Create();
  ASSERT_TRUE(store_->Acknowledge(b.id, std::nullopt));
  EXPECT_EQ(store_->DeleteByUser(a.id, "other").error().code, ErrorCode::kForbidden);
  EXPECT_EQ(store_->DeleteByUser(b.id, session_.id).error().code, ErrorCode::kWrongStatus);
  auto deleted = store_->DeleteByUser(a.id, session_.id);
  ASSERT_TRUE(deleted);
  EXPECT_EQ(deleted->status, AnnotationStatus::kDismissed);
}

TEST_P(StoreTest, RepliesKeepStatusAndOrder) {
  Annotation a = Create();
  ASSERT_TRUE(store_->Acknowledge(a.id, std::nullopt));
  clock_.now += 5;
  ASSERT_TRUE(store_->AddReply(a.id, Author::kAgent, "which colour?", std::nullopt));
  clock_.now += 5;
  auto replied = store_->AddReply(a.id, Author::kUser, "blue", session_.id);
  ASSERT_TRUE(replied);
  EXPECT_EQ(replied->status, AnnotationStatus::kAcknowledged);
  ASSERT_EQ(replied->replies.size(), 2u);
  EXPECT_EQ(replied->replies[0].message, "which colour?");
  EXPECT_EQ(replied->replies[1].message, "blue");
  EXPECT_EQ(replied->updated_at, clock_.now);

  EXPECT_EQ(store_->AddReply(a.id, Author::kUser, "x", "other").error().code,
            ErrorCode::kForbidden);
  EXPECT_EQ(
      store_->AddReply(a.id, Author::kUser, std::string(10001, 'y'), std::nullopt).error().code,
      ErrorCode::kLimitExceeded);
  EXPECT_EQ(store_->AddReply(a.id, Author::kUser, "", std::nullopt).error().code,
            ErrorCode::kInvalidArgument);
}

TEST_P(StoreTest, WaitingWorkIsPendingPlusUserAnswered) {
  Annotation pending = Create("pending");
  Annotation asked = Create("asked");
  Annotation answered = Create("answered");
  Annotation done = Create("done");
  ASSERT_TRUE(store_->Acknowledge(asked.id, std::nullopt));
  ASSERT_TRUE(store_->AddReply(asked.id, Author::kAgent, "question?", std::nullopt));
  ASSERT_TRUE(store_->Acknowledge(answered.id, std::nullopt));
  ASSERT_TRUE(store_->AddReply(answered.id, Author::kAgent, "question?", std::nullopt));
  ASSERT_TRUE(store_->AddReply(answered.id, Author::kUser, "answer", session_.id));
  ASSERT_TRUE(store_->Resolve(done.id, std::nullopt));
  ASSERT_TRUE(store_->AddReply(done.id, Author::kUser, "thanks", session_.id));

  auto work = store_->ListWaitingWork(std::nullopt);
  ASSERT_TRUE(work);
  ASSERT_EQ(work->size(), 2u);
  EXPECT_EQ((*work)[0].id, pending.id);
  EXPECT_EQ((*work)[1].id, answered.id);
  EXPECT_TRUE(store_->ListWaitingWork("other-session")->empty());
  EXPECT_EQ(store_->ListWaitingWork(session_.id)->size(), 2u);
}

TEST_P(StoreTest, ClearSessionDeletesOnlyThatSession) {
  Create("a");
  Annotation b = Create("b");
  ASSERT_TRUE(store_->AddReply(b.id, Author::kUser, "r", std::nullopt));
  auto other = store_->CreateSession("o");
  ASSERT_TRUE(store_->CreateAnnotation(other->id, Payload("keep")));
  auto removed = store_->ClearSession(session_.id);
  ASSERT_TRUE(removed);
  EXPECT_EQ(*removed, 2u);
  EXPECT_TRUE(store_->ListAnnotations({.session_id = session_.id})->empty());
  EXPECT_EQ(store_->ListAnnotations({})->size(), 1u);
  EXPECT_EQ(*store_->IntegrityCheck(), "ok");
}

TEST_P(StoreTest, HeartbeatIsRecorded) {
  EXPECT_FALSE(store_->LastAgentHeartbeat()->has_value());
  clock_.now += 42;
  ASSERT_TRUE(store_->RecordAgentHeartbeat());
  EXPECT_EQ(**store_->LastAgentHeartbeat(), clock_.now);
}

TEST_P(StoreTest, EventLogRecordsEveryChangeInOrder) {
  auto start = *store_->LatestSequence();
  Annotation a = Create();
  ASSERT_TRUE(store_->Acknowledge(a.id, "ok"));
  ASSERT_TRUE(store_->ToggleYolo(session_.id));
  ASSERT_TRUE(store_->ClearSession(session_.id));
  auto events = store_->EventsSince(start);
  ASSERT_TRUE(events);
  ASSERT_EQ(events->size(), 4u);
  EXPECT_EQ((*events)[0].type, EventType::kAnnotationCreated);
  EXPECT_EQ((*events)[0].annotation_id, a.id);
  EXPECT_EQ((*events)[1].type, EventType::kAnnotationUpdated);
  EXPECT_EQ((*events)[2].type, EventType::kSessionUpdated);
  EXPECT_EQ((*events)[3].type, EventType::kAnnotationDeleted);
  for (size_t i = 1; i < events->size(); ++i) {
    EXPECT_GT((*events)[i].seq, (*events)[i - 1].seq);
  }
  EXPECT_EQ(store_->EventsSince(start, 2)->size(), 2u);
  EXPECT_TRUE(store_->EventsSince(*store_->LatestSequence())->empty());
}

// Screenshots (issue 18) sit beside the annotation, one per kind, never in
// its JSON, and go with it.
TEST_P(StoreTest, ScreenshotsBesideTheAnnotation) {
  Annotation a = Create();
  auto none = store_->GetScreenshot(a.id, ScreenshotKind::kBefore);
  ASSERT_TRUE(none) << none.error().message;
  EXPECT_FALSE(*none);
  ASSERT_TRUE(store_->PutScreenshot(a.id, testing::TinyPng()));
  ASSERT_TRUE(store_->PutScreenshot(a.id, testing::TinyPng()));  // replaces
  auto got = store_->GetScreenshot(a.id, ScreenshotKind::kBefore);
  ASSERT_TRUE(got && *got);
  EXPECT_EQ((*got)->mime_type, "image/png");
  EXPECT_EQ((*got)->width, 37);
  EXPECT_EQ((*got)->height, 23);
  EXPECT_EQ((*got)->bytes, *Base64Decode(testing::kTinyPngBase64));
  EXPECT_FALSE(*store_->GetScreenshot(a.id, ScreenshotKind::kAfter));
  auto again = store_->GetAnnotation(a.id);
  ASSERT_TRUE(again);
  EXPECT_EQ(boost::json::serialize(ToJson(*again)).find("iVBOR"), std::string::npos);

  auto unknown = store_->PutScreenshot("no-such-id", testing::TinyPng());
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ErrorCode::kNotFound);

  ASSERT_TRUE(store_->ClearSession(session_.id));
  EXPECT_FALSE(*store_->GetScreenshot(a.id, ScreenshotKind::kBefore));
}

// Group commit: the changes of a batch keep their order in the event log
// (PostgreSQL writes a batch's creates together, see pg_store.cpp), reads
// inside the batch see it, and an aborted batch leaves nothing behind.
TEST_P(StoreTest, ABatchKeepsTheOrderOfItsChangesAndSeesItself) {
  auto start = *store_->LatestSequence();
  ASSERT_TRUE(store_->BeginBatch());
  Annotation a = Create("a");
  Annotation b = Create("b");
  auto acked = store_->Acknowledge(a.id, "on it");
  ASSERT_TRUE(acked) << acked.error().message;
  EXPECT_EQ(acked->status, AnnotationStatus::kAcknowledged);
  Annotation c = Create("c");
  EXPECT_EQ(store_->ListAnnotations({})->size(), 3u);
  EXPECT_EQ(store_->ListWaitingWork(std::nullopt)->size(), 2u);
  ASSERT_TRUE(store_->CommitBatch());
  auto events = store_->EventsSince(start);
  ASSERT_TRUE(events);
  ASSERT_EQ(events->size(), 4u);
  const std::pair<EventType, std::string> expected[] = {{EventType::kAnnotationCreated, a.id},
                                                        {EventType::kAnnotationCreated, b.id},
                                                        {EventType::kAnnotationUpdated, a.id},
                                                        {EventType::kAnnotationCreated, c.id}};
  for (std::size_t i = 0; i < 4; ++i) {
    EXPECT_EQ((*events)[i].type, expected[i].first) << i;
    EXPECT_EQ((*events)[i].annotation_id, expected[i].second) << i;
    EXPECT_EQ((*events)[i].seq, start + 1 + static_cast<std::int64_t>(i));
  }
  auto listed = store_->ListAnnotations({});
  ASSERT_EQ(listed->size(), 3u);
  EXPECT_EQ((*listed)[0].id, a.id);
  EXPECT_EQ((*listed)[2].id, c.id);
  EXPECT_EQ((*listed)[2].request.at("annotationText").as_string(), "c");

  ASSERT_TRUE(store_->BeginBatch());
  Annotation d = Create("d");
  store_->AbortBatch();
  EXPECT_EQ(store_->GetAnnotation(d.id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(*store_->LatestSequence(), start + 4);
  Annotation e = Create("e");
  EXPECT_EQ(store_->GetAnnotation(e.id)->status, AnnotationStatus::kPending);
}

// Who said what (issue 20): the acting token's name on the annotation, its
// replies and its latest status change; nothing without an actor.
TEST_P(StoreTest, RecordsTheActorOfEachChange) {
  Annotation plain = Create("no actor");
  EXPECT_FALSE(plain.author_name);
  std::string id;
  {
    ActingAs acting(*store_, "Pat Reviewer");
    id = Create("by a reviewer").id;
    ASSERT_TRUE(store_->AddReply(id, Author::kUser, "more detail", session_.id));
  }
  EXPECT_EQ(store_->actor(), "");
  {
    ActingAs acting(*store_, "ci-bot");
    ASSERT_TRUE(store_->Acknowledge(id, "on it"));
  }
  auto read = store_->GetAnnotation(id);
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_EQ(read->author_name, "Pat Reviewer");
  EXPECT_EQ(read->status_by, "ci-bot");
  ASSERT_EQ(read->replies.size(), 2u);
  EXPECT_EQ(read->replies[0].author_name, "Pat Reviewer");
  EXPECT_EQ(read->replies[1].author, Author::kAgent);
  EXPECT_EQ(read->replies[1].author_name, "ci-bot");
  auto json = ToJson(*read);
  EXPECT_EQ(json.at("authorName"), "Pat Reviewer");
  EXPECT_EQ(json.at("statusBy"), "ci-bot");
  EXPECT_EQ(json.at("replies").at(1).at("authorName"), "ci-bot");
  EXPECT_EQ(json.at("replies").at(1).at("author"), "agent");  // kept, beside the name

  // A reply alone leaves statusBy; a status change without an actor clears it.
  ASSERT_TRUE(store_->Resolve(id, std::nullopt));
  EXPECT_FALSE(store_->GetAnnotation(id)->status_by);
  auto untouched = ToJson(*store_->GetAnnotation(plain.id));
  EXPECT_FALSE(untouched.contains("authorName"));
  EXPECT_FALSE(untouched.contains("statusBy"));

  // export -> import keeps the names.
  auto back = AnnotationFromJson(json);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->author_name, "Pat Reviewer");
  EXPECT_EQ(back->replies[1].author_name, "ci-bot");
}

TokenRecord Token(std::string id, std::string name, TokenRole role, Millis at) {
  return TokenRecord{.id = std::move(id),
                     .name = std::move(name),
                     .role = role,
                     .secret_hash = std::string(64, 'a'),
                     .created_at = at};
}

TEST_P(StoreTest, TokensRoundTripAndListOldestFirst) {
  TokenRecord agent = Token("id-agent", "ci-bot", TokenRole::kAgent, clock_.now);
  agent.expires_at = clock_.now + 1000;
  ASSERT_TRUE(store_->CreateToken(agent));
  ASSERT_TRUE(store_->CreateToken(Token("id-rev", "pm", TokenRole::kReviewer, clock_.now + 1)));

  auto found = store_->FindToken("id-agent");
  ASSERT_TRUE(found) << found.error().message;
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->name, "ci-bot");
  EXPECT_EQ((*found)->role, TokenRole::kAgent);
  EXPECT_EQ((*found)->secret_hash, agent.secret_hash);
  EXPECT_EQ((*found)->expires_at, agent.expires_at);
  EXPECT_FALSE((*found)->revoked_at);
  EXPECT_TRUE((*found)->LiveAt(clock_.now + 999));
  EXPECT_FALSE((*found)->LiveAt(clock_.now + 1000));

  EXPECT_FALSE(store_->FindToken("nope")->has_value());
  auto listed = store_->ListTokens();
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[0].id, "id-agent");
  EXPECT_EQ((*listed)[1].id, "id-rev");

  auto again = store_->CreateToken(Token("id-agent", "other", TokenRole::kAdmin, clock_.now));
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kInvalidArgument);
}

TEST_P(StoreTest, RevokeByIdOrNameOnlyOnce) {
  ASSERT_TRUE(store_->CreateToken(Token("t1", "pm", TokenRole::kReviewer, clock_.now)));
  ASSERT_TRUE(store_->CreateToken(Token("t2", "pm", TokenRole::kReviewer, clock_.now)));
  ASSERT_TRUE(store_->CreateToken(Token("t3", "bot", TokenRole::kAgent, clock_.now)));
  clock_.now += 5;
  EXPECT_EQ(*store_->RevokeTokens("t3"), 1u);
  EXPECT_EQ(*store_->RevokeTokens("pm"), 2u);
  EXPECT_EQ(*store_->RevokeTokens("pm"), 0u);  // already revoked
  EXPECT_EQ(*store_->RevokeTokens("nobody"), 0u);
  auto t1 = *store_->FindToken("t1");
  ASSERT_TRUE(t1);
  EXPECT_EQ(t1->revoked_at, clock_.now);
  EXPECT_FALSE(t1->LiveAt(clock_.now));
  EXPECT_EQ(store_->ListTokens()->size(), 3u);  // revoked ones stay listed
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreTest, ::testing::ValuesIn(testing::TestBackends()),
                         testing::BackendName);

TEST(StoreOpen, RefusesNewerSchema) {
  TempDir dir;
  auto db_file = dir.path() / "store.db";
  { ASSERT_TRUE(Store::Open(db_file)); }
  {
    auto store = Store::Open(db_file);
    ASSERT_TRUE(store);
  }
  // Pretend a future binary wrote it.
  testing::ExecSqlite(db_file, "PRAGMA user_version = 99");
  auto reopened = Store::Open(db_file);
  ASSERT_FALSE(reopened);
  EXPECT_EQ(reopened.error().code, ErrorCode::kStorage);
  EXPECT_NE(reopened.error().message.find("upgrade ng-annotate"), std::string::npos);
}

TEST(StoreOpen, RefusesAFileThatIsNotADatabase) {
  TempDir dir;
  auto db_file = dir.path() / "store.db";
  FILE* f = fopen(db_file.string().c_str(), "w");
  fputs("this is not sqlite, just some text that is long enough to have a header....", f);
  fclose(f);
  auto store = Store::Open(db_file);
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code, ErrorCode::kStorage);
}

TEST(StoreOpen, DataSurvivesReopen) {
  TempDir dir;
  std::string id;
  {
    auto store = testing::OpenTestStore(dir);
    auto session = store->CreateSession("u");
    id = store->CreateAnnotation(session->id, Payload())->id;
  }
  auto store = testing::OpenTestStore(dir);
  EXPECT_EQ(store->GetAnnotation(id)->annotation_text(), "make this button primary");
}

}  // namespace
}  // namespace nga

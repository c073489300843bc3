// Issue 11, item 1 and 3: what one annotation, one session and one thread of
// replies may hold, and paging through a list (the MCP list tools use it).
#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>
#include <cstdlib>
#include <string>
#include <vector>

#include "store/validate.h"
#include "test_util.h"

namespace nga {
namespace {

namespace json = boost::json;
using testing::FakeClock;
using testing::OpenTestStore;
using testing::Payload;
using testing::TempDir;

// SQL that takes the project keys (schema.cpp's kProjectKeyVersion) back
// out of an SQLite store, for a test that writes an older schema by hand: the
// indexes that migration replaces are there again (by name), and the rows'
// project comes back as the recorded default project's.
std::string UndoProjectKeys() {
  return "DROP INDEX sessions_by_project; DROP INDEX annotations_by_project; "
         "DROP INDEX events_by_project; DROP INDEX annotations_by_session; "
         "DROP INDEX annotations_waiting_by_session; DROP INDEX annotations_by_status; "
         "DROP INDEX annotations_waiting; ALTER TABLE sessions DROP COLUMN project; "
         "ALTER TABLE annotations DROP COLUMN project; ALTER TABLE events DROP COLUMN project; "
         "CREATE INDEX annotations_by_session ON annotations(session_id, created_at); "
         "CREATE INDEX annotations_by_status ON annotations(status, created_at); "
         "CREATE INDEX annotations_waiting ON annotations(created_at); "
         "CREATE INDEX annotations_waiting_by_session ON annotations(session_id, created_at); ";
}

class StoreLimitsTest : public ::testing::TestWithParam<testing::Backend> {
 protected:
  void SetUp() override {
    store_ = OpenTestStore(dir_, StoreOptions{.clock = clock_.AsClock()}, GetParam());
    ASSERT_TRUE(store_);
    auto session = store_->CreateSession("http://localhost:4200/");
    ASSERT_TRUE(session);
    session_ = *session;
  }

  TempDir dir_;
  FakeClock clock_;
  std::unique_ptr<Store> store_;
  Session session_;
};

// Every field under its own limit, ~1 MB together: the red team's payload.
TEST_P(StoreLimitsTest, RefusesAnAnnotationWhoseFieldsAddUpPastTheLimit) {
  json::object payload = Payload();
  json::array tree;
  for (int i = 0; i < 250; ++i) tree.emplace_back(std::string(3900, 'x'));
  payload["componentTreePath"] = std::move(tree);
  auto created = store_->CreateAnnotation(session_.id, payload);
  ASSERT_FALSE(created);
  EXPECT_EQ(created.error().code, ErrorCode::kLimitExceeded);
  EXPECT_NE(created.error().message.find("too large"), std::string::npos)
      << created.error().message;
  EXPECT_TRUE(store_->ListAnnotations({})->empty());

  // Just under: accepted.
  json::object fits = Payload();
  json::array small;
  for (int i = 0; i < 60; ++i) small.emplace_back(std::string(3900, 'x'));
  fits["componentTreePath"] = std::move(small);
  EXPECT_TRUE(store_->CreateAnnotation(session_.id, fits));
}

TEST_P(StoreLimitsTest, AcceptsTheAnchorField) {
  json::object payload = Payload();
  payload["anchor"] = json::object{{"stamp", "src/app.tsx:3:5"}, {"hostIndex", 2}};
  payload["unknown"] = "dropped";
  auto created = store_->CreateAnnotation(session_.id, payload);
  ASSERT_TRUE(created) << created.error().message;
  EXPECT_EQ(json::serialize(created->request.at("anchor")),
            R"({"stamp":"src/app.tsx:3:5","hostIndex":2})");
  EXPECT_FALSE(created->request.contains("unknown"));
  payload["anchor"] = 7;
  EXPECT_FALSE(store_->CreateAnnotation(session_.id, payload));
}

TEST_P(StoreLimitsTest, SessionCapIsAClearError) {
  for (std::size_t i = 0; i < limits::kAnnotationsPerSession; ++i) {
    ASSERT_TRUE(store_->CreateAnnotation(session_.id, Payload("n" + std::to_string(i))));
  }
  auto over = store_->CreateAnnotation(session_.id, Payload("one too many"));
  ASSERT_FALSE(over);
  EXPECT_EQ(over.error().code, ErrorCode::kLimitExceeded);
  EXPECT_NE(over.error().message.find("annotations:clear"), std::string::npos);
  // Another session is not affected; a cleared session takes new ones.
  auto other = store_->CreateSession("x");
  EXPECT_TRUE(store_->CreateAnnotation(other->id, Payload()));
  ASSERT_TRUE(store_->ClearSession(session_.id));
  EXPECT_TRUE(store_->CreateAnnotation(session_.id, Payload()));
}

// Inside a batch the cap counts the batch's own creates, and a clear in the
// same batch frees the session again.
TEST_P(StoreLimitsTest, SessionCapCountsTheOpenBatch) {
  ASSERT_TRUE(store_->CreateAnnotation(session_.id, Payload("before the batch")));
  ASSERT_TRUE(store_->BeginBatch());
  for (std::size_t i = 1; i < limits::kAnnotationsPerSession; ++i) {
    ASSERT_TRUE(store_->CreateAnnotation(session_.id, Payload("n" + std::to_string(i))));
  }
  auto over = store_->CreateAnnotation(session_.id, Payload("one too many"));
  ASSERT_FALSE(over);
  EXPECT_EQ(over.error().code, ErrorCode::kLimitExceeded);
  EXPECT_EQ(*store_->CountAnnotations({}), limits::kAnnotationsPerSession);
  ASSERT_EQ(*store_->ClearSession(session_.id), limits::kAnnotationsPerSession);
  EXPECT_TRUE(store_->CreateAnnotation(session_.id, Payload("after the clear")));
  ASSERT_TRUE(store_->CommitBatch());
  EXPECT_EQ(*store_->CountAnnotations({}), 1u);
}

// The cap reads schema 3's trigger-kept count: it must follow every writer.
TEST_P(StoreLimitsTest, SessionCapFollowsDeletesImportsAndAnUpgradedStore) {
  std::vector<Annotation> made;
  for (std::size_t i = 0; i < limits::kAnnotationsPerSession; ++i) {
    made.push_back(*store_->CreateAnnotation(session_.id, Payload("n" + std::to_string(i))));
  }
  ASSERT_FALSE(store_->CreateAnnotation(session_.id, Payload("full")));
  // The user's delete dismisses (the row stays): still full, as before.
  ASSERT_TRUE(store_->DeleteByUser(made[0].id, session_.id));
  ASSERT_FALSE(store_->CreateAnnotation(session_.id, Payload("still full")));
  // An import moves one to another session: room for one here, one fewer there.
  auto other = store_->CreateSession("x");
  Annotation moved = made[1];
  moved.session_id = other->id;
  ASSERT_TRUE(store_->Import({}, {moved}, std::nullopt));
  ASSERT_TRUE(store_->CreateAnnotation(session_.id, Payload("after the move")));
  ASSERT_FALSE(store_->CreateAnnotation(session_.id, Payload("full once more")));

  // SQLite: a store written by schema 2 (no count): the upgrade counts what
  // it holds. (PostgreSQL counts the rows themselves: nothing to upgrade.)
  if (GetParam() == testing::Backend::kSqlite) {
    auto db_file = store_->path();
    store_.reset();
    testing::ExecSqlite(
        db_file,
        "DROP TRIGGER annotations_count_insert; DROP TRIGGER annotations_count_delete; "
        "DROP TRIGGER annotations_count_move; ALTER TABLE sessions DROP COLUMN annotation_count; "
        "DROP TABLE screenshots; DROP TABLE build_sources; DROP TABLE tokens; ALTER TABLE "
        "annotations DROP COLUMN author_name; ALTER TABLE annotations DROP COLUMN status_by; "
        "ALTER TABLE replies DROP COLUMN author_name; " +
            UndoProjectKeys() + "PRAGMA user_version = 2");
    store_ = OpenTestStore(dir_, StoreOptions{.clock = clock_.AsClock()}, GetParam());
    ASSERT_TRUE(store_);
  }
  auto over = store_->CreateAnnotation(session_.id, Payload("still full"));
  ASSERT_FALSE(over);
  EXPECT_EQ(over.error().code, ErrorCode::kLimitExceeded);
  EXPECT_TRUE(store_->CreateAnnotation(other->id, Payload("the other has room")));
  // Clearing deletes the rows: the whole cap is free again.
  ASSERT_TRUE(store_->ClearSession(session_.id));
  for (std::size_t i = 0; i < limits::kAnnotationsPerSession; ++i) {
    ASSERT_TRUE(store_->CreateAnnotation(session_.id, Payload("again " + std::to_string(i))));
  }
  EXPECT_FALSE(store_->CreateAnnotation(session_.id, Payload("full after the clear")));
}

TEST_P(StoreLimitsTest, ReplyCapIsAClearErrorAndResolveStillWorks) {
  auto a = store_->CreateAnnotation(session_.id, Payload());
  ASSERT_TRUE(a);
  for (std::size_t i = 0; i < limits::kRepliesPerAnnotation; ++i) {
    ASSERT_TRUE(store_->AddReply(a->id, i % 2 ? Author::kAgent : Author::kUser, "r", std::nullopt));
  }
  auto over = store_->AddReply(a->id, Author::kUser, "one more", std::nullopt);
  ASSERT_FALSE(over);
  EXPECT_EQ(over.error().code, ErrorCode::kLimitExceeded);
  EXPECT_NE(over.error().message.find("replies"), std::string::npos);
  EXPECT_EQ(store_->GetAnnotation(a->id)->replies.size(), limits::kRepliesPerAnnotation);
  // The agent can still finish the thread.
  EXPECT_TRUE(store_->Resolve(a->id, "done"));
}

TEST_P(StoreLimitsTest, PagesWithCursorAndCount) {
  std::vector<std::string> ids;
  for (int i = 0; i < 7; ++i) {
    if (i != 3) clock_.now += 1;  // two share a timestamp: rowid breaks the tie
    ids.push_back(store_->CreateAnnotation(session_.id, Payload("n" + std::to_string(i)))->id);
  }
  AnnotationFilter filter{.session_id = session_.id, .limit = 3};
  std::vector<std::string> seen;
  while (true) {
    auto page = store_->ListAnnotations(filter);
    ASSERT_TRUE(page);
    for (const auto& a : *page) seen.push_back(a.id);
    if (page->size() < 3) break;
    filter.after = AnnotationCursor{page->back().created_at, page->back().id};
    auto rest = store_->CountAnnotations(filter);
    ASSERT_TRUE(rest);
    EXPECT_EQ(*rest, ids.size() - seen.size());
  }
  EXPECT_EQ(seen, ids);
  EXPECT_EQ(*store_->CountAnnotations({.session_id = session_.id}), 7u);
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreLimitsTest, ::testing::ValuesIn(testing::TestBackends()),
                         testing::BackendName);

}  // namespace
}  // namespace nga

// Projects (issue 19): one store, SQLite file or PostgreSQL database, holds
// several projects, and a store opened for one never sees another's
// sessions, annotations, waiting work, events (what watchers and the change
// feed read) or agent heartbeat. The same suite on both backends; then what
// only SQLite has: the default project recorded in the file, and rows
// written before projects existed.
#include <gtest/gtest.h>

#include "store/schema.h"
#include "store/sqlite.h"
#include "test_util.h"

namespace nga {
namespace {

using testing::OpenTestStore;
using testing::Payload;
using testing::TempDir;

class StoreProjectsTest : public ::testing::TestWithParam<testing::Backend> {
 protected:
  std::unique_ptr<Store> Open(std::string project = "") {
    return OpenTestStore(dir_, StoreOptions{.project = std::move(project)}, GetParam());
  }
  TempDir dir_;
};

TEST_P(StoreProjectsTest, TwoProjectsInOneStoreNeverSeeEachOther) {
  auto mine = Open();
  auto theirs = Open("theirs");
  ASSERT_TRUE(mine && theirs);
  EXPECT_NE(mine->project(), theirs->project());
  auto session = mine->CreateSession("http://mine/");
  ASSERT_TRUE(session);
  auto created = mine->CreateAnnotation(session->id, Payload("only mine"));
  ASSERT_TRUE(created);
  ASSERT_TRUE(mine->RecordAgentHeartbeat());
  std::int64_t my_seq = *mine->LatestSequence();

  // Nothing of mine reaches them: no session, annotation, waiting work,
  // event or heartbeat, and no write of theirs can touch mine.
  EXPECT_TRUE(theirs->ListSessions()->empty());
  EXPECT_TRUE(theirs->ListAnnotations({})->empty());
  EXPECT_EQ(*theirs->CountAnnotations({}), 0u);
  EXPECT_TRUE(theirs->ListWaitingWork(std::nullopt)->empty());
  EXPECT_TRUE(theirs->ListWaitingWork(session->id)->empty());
  EXPECT_TRUE(theirs->EventsSince(0)->empty());
  EXPECT_FALSE(theirs->LastAgentHeartbeat()->has_value());
  EXPECT_EQ(theirs->GetSession(session->id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(theirs->GetAnnotation(created->id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(theirs->Acknowledge(created->id, std::nullopt).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(theirs->Resolve(created->id, "no").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(theirs->CreateAnnotation(session->id, Payload()).error().code, ErrorCode::kNotFound);
  EXPECT_FALSE(theirs->SetSessionActive(session->id, false));
  EXPECT_EQ(*theirs->ClearSession(session->id), 0u);

  // Their own work, and their start-up's MarkAllSessionsInactive, leave mine
  // alone; my feed has nothing new to read.
  auto their_session = theirs->CreateSession("http://theirs/");
  ASSERT_TRUE(their_session);
  ASSERT_TRUE(theirs->CreateAnnotation(their_session->id, Payload("only theirs")));
  ASSERT_TRUE(theirs->MarkAllSessionsInactive());
  EXPECT_TRUE(mine->EventsSince(my_seq)->empty());
  auto my_sessions = mine->ListSessions();
  ASSERT_TRUE(my_sessions);
  ASSERT_EQ(my_sessions->size(), 1u);
  EXPECT_TRUE(my_sessions->front().active);
  auto pending = mine->ListAnnotations({.status = AnnotationStatus::kPending});
  ASSERT_TRUE(pending);
  ASSERT_EQ(pending->size(), 1u);
  EXPECT_EQ(pending->front().annotation_text(), "only mine");
  ASSERT_EQ(mine->ListWaitingWork(std::nullopt)->size(), 1u);
  EXPECT_EQ(theirs->ListAnnotations({})->front().annotation_text(), "only theirs");
  EXPECT_EQ(*mine->LatestSequence(), my_seq);
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreProjectsTest, ::testing::ValuesIn(testing::TestBackends()),
                         testing::BackendName);

// In the project's SQLite file the default project is the root directory's
// name, recorded when the file is created: a renamed or moved directory, or
// one reached through another path, keeps its annotations.
TEST(SqliteProjects, TheDefaultIsTheRootsNameRecordedAtCreation) {
  TempDir dir;
  auto root = dir.path() / "shop";
  std::string id;
  {
    auto store = Store::Open(root / ".ng-annotate" / "store.db");
    ASSERT_TRUE(store) << store.error().message;
    EXPECT_EQ((*store)->project(), "shop");
    auto session = (*store)->CreateSession("u");
    id = (*store)->CreateAnnotation(session->id, Payload())->id;
  }
  std::filesystem::rename(root, dir.path() / "shop-renamed");
  auto store = Store::Open(dir.path() / "shop-renamed" / ".ng-annotate" / "store.db");
  ASSERT_TRUE(store) << store.error().message;
  EXPECT_EQ((*store)->project(), "shop");
  EXPECT_EQ((*store)->GetAnnotation(id)->annotation_text(), "make this button primary");
  auto other = Store::Open(dir.path() / "shop-renamed" / ".ng-annotate" / "store.db",
                           StoreOptions{.project = "admin"});
  ASSERT_TRUE(other);
  EXPECT_EQ((*other)->project(), "admin");
  EXPECT_TRUE((*other)->ListAnnotations({})->empty());
}

// A file written before projects existed: its rows become the default
// project's when this binary first opens it.
TEST(SqliteProjects, RowsFromBeforeProjectsBelongToTheDefaultProject) {
  TempDir dir;
  auto root = dir.path() / "legacy";
  auto db_file = root / ".ng-annotate" / "store.db";
  std::filesystem::create_directories(db_file.parent_path());
  {
    auto db = sql::Database::Open(db_file.string(), 1000);
    ASSERT_TRUE(db);
    ASSERT_TRUE(MigrateTo(*db, ProjectKeySchemaVersion() - 1, "unused"));
    ASSERT_TRUE(
        db->Exec("INSERT INTO sessions(id, created_at, last_seen_at, active, url, yolo_mode) "
                 "VALUES('s1', 1, 1, 0, 'http://old/', 0);"
                 "INSERT INTO annotations(id, session_id, created_at, updated_at, status, request) "
                 "VALUES('a1', 's1', 2, 2, 'pending', '{\"annotationText\":\"from before\"}');"
                 "INSERT INTO events(type, session_id, annotation_id, at) "
                 "VALUES('annotation.created', 's1', 'a1', 2);"));
  }
  auto store = Store::Open(db_file);
  ASSERT_TRUE(store) << store.error().message;
  EXPECT_EQ((*store)->project(), "legacy");
  auto old = (*store)->GetAnnotation("a1");
  ASSERT_TRUE(old) << old.error().message;
  EXPECT_EQ(old->annotation_text(), "from before");
  EXPECT_EQ((*store)->ListWaitingWork(std::nullopt)->size(), 1u);
  EXPECT_EQ((*store)->EventsSince(0)->size(), 1u);
  auto other = Store::Open(db_file, StoreOptions{.project = "other"});
  ASSERT_TRUE(other);
  EXPECT_TRUE((*other)->ListSessions()->empty());
}

}  // namespace
}  // namespace nga

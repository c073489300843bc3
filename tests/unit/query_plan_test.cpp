// The store's list queries read through indexes: their cost follows what
// they return, not how much is stored. Checked on SQLite's own plan.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <string>

#include "store/queries.h"
#include "test_util.h"

namespace nga {
namespace {

using nga::testing::OpenTestStore;
using nga::testing::TempDir;

// EXPLAIN QUERY PLAN's detail lines, joined by "; ".
std::string Plan(sqlite3* db, const std::string& sql) {
  sqlite3_stmt* stmt = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, ("EXPLAIN QUERY PLAN " + sql).c_str(), -1, &stmt, nullptr),
            SQLITE_OK)
      << sqlite3_errmsg(db);
  std::string plan;
  while (stmt && sqlite3_step(stmt) == SQLITE_ROW) {
    if (!plan.empty()) plan += "; ";
    plan += reinterpret_cast<const char*>(sqlite3_column_text(stmt, 3));
  }
  sqlite3_finalize(stmt);
  return plan;
}

bool ScansTable(const std::string& plan) {
  std::string lines = "; " + plan + "; ";
  return lines.find("; SCAN annotations; ") != std::string::npos;
}

class QueryPlanTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = OpenTestStore(dir_);  // creates the schema
    ASSERT_TRUE(store);
    auto file = dir_.path() / ".ng-annotate" / "store.db";
    ASSERT_EQ(sqlite3_open(file.string().c_str(), &db_), SQLITE_OK);
  }
  void TearDown() override { sqlite3_close(db_); }

  void ExpectIndexed(const std::string& sql, const std::string& index) {
    std::string plan = Plan(db_, sql);
    EXPECT_NE(plan.find("USING INDEX " + index), std::string::npos) << sql << "\n" << plan;
    // A scan of a partial index reads only the rows it holds; a scan of the
    // table (a plan line that is just "SCAN annotations") reads them all.
    EXPECT_FALSE(ScansTable(plan)) << sql << "\n" << plan;
    EXPECT_EQ(plan.find("TEMP B-TREE"), std::string::npos) << "sorts instead of reading in order\n"
                                                           << plan;
    EXPECT_EQ(plan.find("CORRELATED"), std::string::npos) << "per-row sub-query\n" << plan;
  }

  TempDir dir_;
  sqlite3* db_ = nullptr;
};

TEST_F(QueryPlanTest, WaitingWorkUsesItsPartialIndexes) {
  ExpectIndexed(WaitingWorkSql(false), "annotations_waiting");
  ExpectIndexed(WaitingWorkSql(true), "annotations_waiting_by_session");
}

TEST_F(QueryPlanTest, PendingAndSessionListsUseIndexes) {
  ExpectIndexed(ListAnnotationsSql(false, true), "annotations_by_status");   // get_all_pending
  ExpectIndexed(ListAnnotationsSql(true, false), "annotations_by_session");  // get_session
  // A page of a list tool: after a cursor, with a limit, still in index order.
  ExpectIndexed(ListAnnotationsSql(false, true, true, 50), "annotations_by_status");
  ExpectIndexed(ListAnnotationsSql(true, false, true, 50), "annotations_by_session");
  ExpectIndexed(WaitingWorkSql(false, 50), "annotations_waiting");
  ExpectIndexed(ListAnnotationsSql(false, false), "annotations_by_project");  // a whole project
  std::string both = Plan(db_, ListAnnotationsSql(true, true));               // get_pending
  EXPECT_NE(both.find("USING INDEX"), std::string::npos) << both;
  EXPECT_EQ(both.find("SCAN annotations"), std::string::npos) << both;
}

TEST_F(QueryPlanTest, AnnotationRepliesAndEventsAreLookedUpByKey) {
  EXPECT_NE(Plan(db_, "SELECT * FROM annotations WHERE id = ?").find("USING INDEX"),
            std::string::npos);
  EXPECT_NE(Plan(db_,
                 "SELECT id, created_at, author, message FROM replies WHERE annotation_id = ? "
                 "ORDER BY created_at, rowid")
                .find("USING INDEX replies_by_annotation"),
            std::string::npos);
  // A project's events, in order, from its own index (issue 19).
  std::string events = Plan(db_,
                            "SELECT seq, type, session_id, annotation_id, at FROM events "
                            "WHERE project = ?3 AND seq > ?1 ORDER BY seq LIMIT ?2");
  EXPECT_NE(events.find("USING INDEX events_by_project (project=? AND seq>?)"), std::string::npos)
      << events;
  EXPECT_EQ(events.find("TEMP B-TREE"), std::string::npos) << events;
}

}  // namespace
}  // namespace nga

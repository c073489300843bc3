// The background checkpointer (store/checkpointer.h): a writer's commits past
// the WAL threshold get checkpointed by the other thread, the writer's own
// commits never checkpoint, and destruction always returns.
#include "store/checkpointer.h"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>

#include "store/sqlite.h"
#include "test_util.h"

namespace nga {
namespace {

using testing::TempDir;

// Writes `rows` rows of ~4 KB (a page each), one commit per row (each
// commit adds a few WAL frames), or all in one commit.
void WritePages(sql::Database& db, int rows, bool one_commit = false) {
  ASSERT_TRUE(db.Exec("CREATE TABLE IF NOT EXISTS t(x BLOB)"));
  if (one_commit) ASSERT_TRUE(db.Exec("BEGIN"));
  for (int i = 0; i < rows; ++i) {
    ASSERT_TRUE(db.Exec("INSERT INTO t VALUES(zeroblob(4000))"));
  }
  if (one_commit) ASSERT_TRUE(db.Exec("COMMIT"));
}

sql::Database OpenWal(const std::filesystem::path& file) {
  auto db = sql::Database::Open(file.string(), 1000);
  EXPECT_TRUE(db);
  EXPECT_TRUE(db->Exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL"));
  return std::move(*db);
}

TEST(Checkpointer, CheckpointsOnItsOwnThreadAfterTheThreshold) {
  TempDir dir;
  auto file = dir.path() / "store.db";
  sql::Database writer = OpenWal(file);
  auto checkpointer = Checkpointer::Start(file.string());
  ASSERT_TRUE(checkpointer) << checkpointer.error().message;
  (*checkpointer)->Attach(writer.raw());

  // Under the threshold (one commit of ~300 frames) nothing is asked for:
  // the database file keeps its first size.
  WritePages(writer, 300, /*one_commit=*/true);
  EXPECT_EQ((*checkpointer)->completed(), 0u);
  auto small = std::filesystem::file_size(file);
  EXPECT_LT(small, 64u * 1024);

  // One commit per row, several WAL frames each: well past the threshold.
  WritePages(writer, Checkpointer::kPagesBeforeCheckpoint);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while ((*checkpointer)->completed() == 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_GE((*checkpointer)->completed(), 1u) << "no checkpoint within 10 s";
  // The pages reached the database file (the first 1 000 rows at least).
  deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::filesystem::file_size(file) < 4u * 1024 * 1024 &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_GE(std::filesystem::file_size(file), 4u * 1024 * 1024);
}

TEST(Checkpointer, StopsPromptlyAndTheWriterKeepsWorking) {
  TempDir dir;
  auto file = dir.path() / "store.db";
  sql::Database writer = OpenWal(file);
  {
    auto checkpointer = Checkpointer::Start(file.string());
    ASSERT_TRUE(checkpointer);
    (*checkpointer)->Attach(writer.raw());
    WritePages(writer, 10);
  }  // joined here; a hang would trip the test's timeout
  // Detached: more commits don't call into the destroyed checkpointer.
  WritePages(writer, Checkpointer::kPagesBeforeCheckpoint + 10);
  auto stmt = writer.Prepare("SELECT COUNT(*) FROM t");
  ASSERT_TRUE(stmt);
  ASSERT_TRUE((*stmt)->Step());
  EXPECT_EQ((*stmt)->Int(0), Checkpointer::kPagesBeforeCheckpoint + 20);
  (*stmt)->Reset();
}

TEST(Checkpointer, StoreWithBackgroundCheckpointKeepsEveryWrite) {
  TempDir dir;
  auto file = dir.path() / "store.db";
  std::string id;
  {
    auto store = Store::Open(file, StoreOptions{.background_checkpoint = true});
    ASSERT_TRUE(store);
    auto session = (*store)->CreateSession("http://localhost:4200/");
    ASSERT_TRUE(session);
    boost::json::object payload = testing::Payload();
    payload["domSnapshot"] = std::string(60000, 'x');  // ~15 pages each
    for (int i = 0; i < 150; ++i) {
      auto created = (*store)->CreateAnnotation(session->id, payload);
      ASSERT_TRUE(created);
      id = created->id;
    }
  }
  auto reopened = Store::Open(file);
  ASSERT_TRUE(reopened);
  EXPECT_TRUE((*reopened)->GetAnnotation(id));
  EXPECT_EQ(*(*reopened)->IntegrityCheck(), "ok");
}

}  // namespace
}  // namespace nga

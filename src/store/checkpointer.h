// Moves SQLite's WAL checkpoints off the writer's thread.
//
// By default the connection that commits past 1 000 WAL pages runs the
// checkpoint inside that COMMIT: it copies the pages into the database file
// and syncs both files, which took 20-27 ms in `serve` during a burst of
// creates (against 3-6 ms for the commit itself), with every reply of the
// batch waiting behind it. With a Checkpointer the commit only signals, and a
// thread of its own, on a connection of its own, runs a PASSIVE checkpoint
// (one that never waits for a lock), as SQLite's documentation suggests for
// this case. Durability is unchanged: a commit is in the WAL either way.
//
//   auto checkpointer = Checkpointer::Start(db_file);   // own connection + thread
//   checkpointer->Attach(db.raw());                     // db's commits signal it
//   ...
//   // destruction detaches, stops and joins the thread (after at most the
//   // one checkpoint it may be running).
#pragma once

#include <sqlite3.h>

#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "store/sqlite.h"
#include "util/result.h"

namespace nga {

class Checkpointer {
 public:
  // A checkpoint is asked for once the WAL holds this many pages (16 MiB;
  // SQLite's autocheckpoint default is 1 000). A checkpoint copies each page
  // once however many commits wrote it, and at 100 000 stored every batch of
  // creates rewrites most of the id index's ~1 200 pages: checkpointing every
  // few batches instead of every one copies those pages a few times less.
  static constexpr int kPagesBeforeCheckpoint = 4000;

  static Result<std::unique_ptr<Checkpointer>> Start(const std::string& db_file);
  ~Checkpointer();
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

  // Replaces `writer`'s autocheckpoint: its commits now ask this thread.
  // `writer` must stay open until this Checkpointer is destroyed.
  void Attach(sqlite3* writer);

  // Checkpoints run so far (for tests).
  std::size_t completed() const;

 private:
  explicit Checkpointer(sql::Database db);
  static int OnCommit(void* self, sqlite3* db, const char* schema, int wal_pages);
  void Request();
  void Run();

  sql::Database db_;  // used by the thread only
  sqlite3* writer_ = nullptr;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool requested_ = false;
  bool stopping_ = false;
  std::size_t completed_ = 0;
  std::thread thread_;  // last: started once everything above exists
};

}  // namespace nga

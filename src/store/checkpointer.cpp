#include "store/checkpointer.h"

#include <utility>

namespace nga {

Result<std::unique_ptr<Checkpointer>> Checkpointer::Start(const std::string& db_file) {
  // A PASSIVE checkpoint never waits for a lock (SQLite calls no busy handler
  // for it); the timeout is for the one read below, at start-up.
  auto db = sql::Database::Open(db_file, 1000);
  if (!db) return db.error();
  // A connection knows the file is in WAL mode only once it has read it;
  // until then a checkpoint does nothing. The store's file is always WAL.
  if (auto wal = db->Exec("PRAGMA journal_mode = WAL"); !wal) return wal.error();
  std::unique_ptr<Checkpointer> checkpointer(new Checkpointer(std::move(*db)));
  checkpointer->thread_ = std::thread([raw = checkpointer.get()] { raw->Run(); });
  return checkpointer;
}

Checkpointer::Checkpointer(sql::Database db) : db_(std::move(db)) {}

Checkpointer::~Checkpointer() {
  if (writer_) sqlite3_wal_hook(writer_, nullptr, nullptr);
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

void Checkpointer::Attach(sqlite3* writer) {
  writer_ = writer;
  // Replaces the wal hook that implements wal_autocheckpoint on `writer`.
  sqlite3_wal_hook(writer, &Checkpointer::OnCommit, this);
}

std::size_t Checkpointer::completed() const {
  std::lock_guard lock(mutex_);
  return completed_;
}

int Checkpointer::OnCommit(void* self, sqlite3*, const char*, int wal_pages) {
  if (wal_pages >= kPagesBeforeCheckpoint) static_cast<Checkpointer*>(self)->Request();
  return SQLITE_OK;
}

void Checkpointer::Request() {
  {
    std::lock_guard lock(mutex_);
    if (requested_) return;
    requested_ = true;
  }
  wake_.notify_one();
}

void Checkpointer::Run() {
  std::unique_lock lock(mutex_);
  while (true) {
    wake_.wait(lock, [this] { return requested_ || stopping_; });
    if (stopping_) return;
    requested_ = false;
    lock.unlock();
    // Errors (e.g. SQLITE_BUSY from another checkpointer) are harmless: the
    // next commit past the threshold asks again.
    (void)sqlite3_wal_checkpoint_v2(db_.raw(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr,
                                    nullptr);
    lock.lock();
    ++completed_;
  }
}

}  // namespace nga

// Finds out that some process committed to a store: the writer stamps a small
// file beside the database after each commit (<db>-notify, see ChangeSignal),
// and every ChangeWatcher of that file wakes. A wake-up only says "look
// again": the reader then asks Store::EventsSince() for the delta.
//
// Two backends (util/watch_backend.h), one file each:
// - change_watcher_inotify.cpp (Linux): inotify on the notify file, woken
//   within microseconds of the commit.
// - change_watcher_polling.cpp (everywhere else, and forced on Linux by
//   NG_ANNOTATE_PORTABLE_WATCH=1): reads the file's stamp with an adaptive
//   interval, 1 ms right after a change growing to 25 ms when idle.
//
// Why not watch the -wal file itself: SQLite writes the WAL frames before it
// publishes the commit in the shared-memory index, and that last step makes no
// inotify event. A reader woken by the frame write could look too early, see
// nothing new, and then sleep through a commit that did happen.
//
// The notify file can be deleted or replaced under a running process (a
// `git clean`, a cleanup script). Both sides notice: the signal reopens the
// path when its file is no longer the one there, and the watcher follows the
// new file (CheckFile, from the feed's slow timer; inotify also at once).
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>

#include "store/notify_file.h"
#include "util/result.h"
#include "util/watch_backend.h"

namespace nga {

// The writer's side: tells every ChangeWatcher of db_file to look again.
class ChangeSignal {
 public:
  // Opens (creating it if needed) the notify file beside db_file.
  static Result<ChangeSignal> Open(const std::filesystem::path& db_file);
  // Call after a commit has become visible. Best effort: never fails a write.
  // Reopens (recreating) the notify file first if it was deleted or replaced.
  void Notify() const;

 private:
  ChangeSignal(NotifyFile file, std::filesystem::path path, std::uint64_t base)
      : file_(std::move(file)), path_(std::move(path)), next_stamp_(base) {}
  mutable NotifyFile file_;
  std::filesystem::path path_;        // the notify file
  mutable std::uint64_t next_stamp_;  // random start, +1 per commit
};

// The notify file of a store: "<db_file>-notify".
std::filesystem::path NotifyFileFor(const std::filesystem::path& db_file);

class ChangeWatcher {
 public:
  using OnChange = std::function<void()>;

  // Watches db_file's notify file (created if needed; its directory must
  // exist) with `backend`.
  static Result<std::unique_ptr<ChangeWatcher>> Open(const std::filesystem::path& db_file,
                                                     WatchBackend backend = DefaultWatchBackend());
  virtual ~ChangeWatcher() = default;

  // Calls on_change once, through `executor`, when some process may have
  // committed since the last wake-up. Never called after Cancel(). One wait
  // at a time; always the same executor.
  virtual void AsyncWait(const boost::asio::any_io_executor& executor, OnChange on_change) = 0;

  // Ends a pending AsyncWait without calling it. Idempotent.
  virtual void Cancel() = 0;

  // Blocks until a change is reported or timeout passes. True on a change.
  // Not while an AsyncWait is pending.
  virtual bool WaitFor(std::chrono::milliseconds timeout) = 0;

  // Follows the notify file when the one at the path is not the one watched
  // (gone, or replaced), creating it when `create`. True when it re-armed.
  // Cheap (a stat or two); for a slow timer.
  virtual bool CheckFile(bool create) = 0;

  // How many times the watch was re-armed on a new file.
  virtual int rearm_count() const = 0;

 protected:
  ChangeWatcher() = default;
  ChangeWatcher(const ChangeWatcher&) = delete;
  ChangeWatcher& operator=(const ChangeWatcher&) = delete;
};

// The backends, for ChangeWatcher::Open. The inotify one exists on Linux only.
Result<std::unique_ptr<ChangeWatcher>> OpenInotifyChangeWatcher(const std::filesystem::path& file);
Result<std::unique_ptr<ChangeWatcher>> OpenPollingChangeWatcher(const std::filesystem::path& file);

}  // namespace nga

// Finds out, within microseconds, that some process committed to a store.
//
// After each commit the store writes one byte to a small file beside the
// database (<db>-notify, see ChangeSignal); every process watching that file
// with inotify is woken. A wake-up only says "look again": the reader then
// asks Store::EventsSince() for the delta.
//
// Why not watch the -wal file itself: SQLite writes the WAL frames before it
// publishes the commit in the shared-memory index, and that last step makes no
// inotify event. A reader woken by the frame write could look too early, see
// nothing new, and then sleep through a commit that did happen.
//
// The notify file can be deleted or replaced under a running process (a
// `git clean`, a cleanup script). Both sides notice: the signal reopens the
// path when its file lost its last link, and the watcher re-arms on the new
// file when the old one is unlinked, moved or gone (IN_ATTRIB, IN_MOVE_SELF,
// IN_DELETE_SELF, IN_IGNORED) and a new one appears in the directory; the
// feed's slow timer recreates a file nobody else did.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>

#include "util/result.h"

namespace nga {

// The writer's side: tells every ChangeWatcher of db_file to look again.
class ChangeSignal {
 public:
  // Opens (creating it if needed) the notify file beside db_file.
  static Result<ChangeSignal> Open(const std::filesystem::path& db_file);
  ChangeSignal(ChangeSignal&& other) noexcept : fd_(other.fd_), path_(std::move(other.path_)) {
    other.fd_ = -1;
  }
  ChangeSignal(const ChangeSignal&) = delete;
  ~ChangeSignal();
  // Call after a commit has become visible. Best effort: never fails a write.
  // Reopens (recreating) the notify file first if it was deleted.
  void Notify() const;

 private:
  ChangeSignal(int fd, std::filesystem::path path) : fd_(fd), path_(std::move(path)) {}
  mutable int fd_;
  std::filesystem::path path_;  // the notify file
};

// The notify file of a store: "<db_file>-notify".
std::filesystem::path NotifyFileFor(const std::filesystem::path& db_file);

class ChangeWatcher {
 public:
  // Watches db_file's notify file (created if needed; its directory must exist).
  static Result<std::unique_ptr<ChangeWatcher>> Open(const std::filesystem::path& db_file);
  ~ChangeWatcher();
  ChangeWatcher(const ChangeWatcher&) = delete;
  ChangeWatcher& operator=(const ChangeWatcher&) = delete;

  // A non-blocking descriptor that becomes readable on a change. Hand it to
  // an Asio posix::stream_descriptor (without giving up ownership: release()
  // it before destruction) or to poll(2).
  int fd() const { return fd_; }

  // Consumes every queued notification without blocking. True if there was
  // any. Re-arms on a new file when the watched one went away.
  bool Drain();

  // Re-arms when the notify file at the path is not the one watched (gone,
  // or replaced), creating it when `create`. True when it re-armed. Cheap
  // (one stat); for a slow timer.
  bool CheckFile(bool create);

  // How many times the watch was re-armed on a new file.
  int rearm_count() const { return rearms_; }

  // Blocks until a change is reported or timeout passes. True on a change.
  bool WaitFor(std::chrono::milliseconds timeout);

 private:
  ChangeWatcher(int fd, std::filesystem::path path) : fd_(fd), path_(std::move(path)) {}
  // Creates the file if needed and watches it; false when that failed.
  bool Arm(bool create);
  int fd_;
  std::filesystem::path path_;  // the notify file
  int wd_ = -1;
  int dir_wd_ = -1;
  unsigned long inode_ = 0;
  int rearms_ = 0;
};

}  // namespace nga

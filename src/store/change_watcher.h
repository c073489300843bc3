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
  ChangeSignal(ChangeSignal&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  ChangeSignal(const ChangeSignal&) = delete;
  ~ChangeSignal();
  // Call after a commit has become visible. Best effort: never fails a write.
  void Notify() const;

 private:
  explicit ChangeSignal(int fd) : fd_(fd) {}
  int fd_;
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

  // Consumes every queued notification without blocking. True if there was any.
  bool Drain();

  // Blocks until a change is reported or timeout passes. True on a change.
  bool WaitFor(std::chrono::milliseconds timeout);

 private:
  explicit ChangeWatcher(int fd) : fd_(fd) {}
  int fd_;
};

}  // namespace nga

// Finds out, within microseconds, that some process committed to a store.
//
// Uses inotify on the store's directory: every commit in WAL mode write()s the
// -wal file, which inotify reports to every process watching it. A wake-up
// only says "look again": the reader then asks Store::EventsSince() for the
// delta. Spurious wake-ups (a checkpoint, our own reads) are harmless.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>

#include "util/result.h"

namespace nga {

class ChangeWatcher {
 public:
  // Watches the directory holding db_file, which must exist.
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

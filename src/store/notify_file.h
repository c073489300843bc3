// The store's notify file ("<db>-notify"), opened for the two sides of the
// change signal: writers stamp it after each commit, portable watchers read
// the stamp. One implementation per OS (notify_file_posix.cpp,
// notify_file_win32.cpp); the inotify watcher uses its own POSIX calls.
//
// On POSIX the file stays open for the object's life. On Windows it is
// opened for each read or write only (notify_file_win32.cpp says why), so
// the object holds just the path there.
//
// The stamp is 8 bytes at offset 0, so the file never grows. Each writer
// stamps a value of its own (a random per-signal base plus a counter): two
// processes never write the same sequence, so a reader that sees the bytes
// differ from last time knows someone committed since.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>

#include "util/result.h"

namespace nga {

class NotifyFile {
 public:
  // Opens the file at `path` for reading and writing, creating it when
  // `create`. Other processes may write, rename or delete it meanwhile.
  static Result<NotifyFile> Open(const std::filesystem::path& path, bool create);
  NotifyFile(NotifyFile&& other) noexcept;
  NotifyFile& operator=(NotifyFile&& other) noexcept;
  NotifyFile(const NotifyFile&) = delete;
  ~NotifyFile();

  // Writes `stamp` at offset 0. Best effort.
  void Write(std::uint64_t stamp) const;
  // The 8 bytes at offset 0 (missing bytes read as zero); nullopt on error.
  std::optional<std::uint64_t> Read() const;
  // True when the open file is no longer the one at `path` (deleted,
  // replaced or renamed away): stamps written to it wake nobody. On Windows,
  // where every read and write opens the path, the file there is another
  // one than Open found (or none): a watcher then knows to say so.
  bool IsStale(const std::filesystem::path& path) const;

 private:
#if defined(_WIN32)
  // The file's identity: its volume's serial number and its index there.
  struct FileId {
    std::uint32_t volume = 0;
    std::uint64_t index = 0;
    bool operator==(const FileId&) const = default;
  };
  NotifyFile(std::filesystem::path path, FileId id) : path_(std::move(path)), id_(id) {}
  static std::optional<FileId> IdOf(void* handle);  // a HANDLE
  std::filesystem::path path_;
  FileId id_;  // of the file Open found or made: another one there is stale
#else
  explicit NotifyFile(int fd) : fd_(fd) {}
  static constexpr int kClosed = -1;
  int fd_ = kClosed;
#endif
};

}  // namespace nga

#include "store/change_watcher.h"

#include <random>

namespace nga {

std::filesystem::path NotifyFileFor(const std::filesystem::path& db_file) {
  return std::filesystem::path(db_file.native() + std::filesystem::path("-notify").native());
}

Result<ChangeSignal> ChangeSignal::Open(const std::filesystem::path& db_file) {
  auto path = NotifyFileFor(db_file);
  auto file = NotifyFile::Open(path, /*create=*/true);
  if (!file) return file.error();
  // A random start: no two signals (processes) write the same stamps, so a
  // polling reader never mistakes another writer's stamp for the old one.
  std::random_device random;
  std::uint64_t base = (std::uint64_t{random()} << 32) ^ random();
  return ChangeSignal(std::move(*file), std::move(path), base);
}

void ChangeSignal::Notify() const {
  // A deleted or replaced notify file wakes nobody: reopen the path.
  if (file_.IsStale(path_)) {
    if (auto reopened = NotifyFile::Open(path_, /*create=*/true)) file_ = std::move(*reopened);
  }
  // Rewrites the same 8 bytes: inotify reports IN_MODIFY, a poller sees a new
  // stamp, and the file never grows.
  file_.Write(next_stamp_++);
}

Result<std::unique_ptr<ChangeWatcher>> ChangeWatcher::Open(const std::filesystem::path& db_file,
                                                           WatchBackend backend) {
  auto path = NotifyFileFor(db_file);
#if defined(__linux__)
  if (backend == WatchBackend::kNative) return OpenInotifyChangeWatcher(path);
#endif
  return OpenPollingChangeWatcher(path);
}

}  // namespace nga

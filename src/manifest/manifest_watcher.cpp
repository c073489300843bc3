#include "manifest/manifest_watcher.h"

#include <fmt/format.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <algorithm>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <set>
#include <system_error>
#include <unordered_map>

#include "util/result.h"

namespace nga::manifest {
namespace {

namespace asio = boost::asio;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr std::uint32_t kDirectoryMask = IN_CREATE | IN_DELETE | IN_MODIFY | IN_CLOSE_WRITE |
                                         IN_MOVED_FROM | IN_MOVED_TO | IN_ONLYDIR | IN_DONT_FOLLOW |
                                         IN_EXCL_UNLINK;

bool IsAtOrUnder(const fs::path& path, const fs::path& dir) {
  auto [d, p] = std::mismatch(dir.begin(), dir.end(), path.begin(), path.end());
  return d == dir.end();
}

class InotifyWatcher final : public ManifestWatcher,
                             public std::enable_shared_from_this<InotifyWatcher> {
 public:
  InotifyWatcher(asio::any_io_executor executor, int fd, ManifestIndex& index, OnChange on_change,
                 std::chrono::milliseconds debounce)
      : descriptor_(executor, fd),
        timer_(executor),
        index_(index),
        on_change_(std::move(on_change)),
        debounce_(debounce),
        last_(index.ToJson()) {}

  void Begin() {
    WatchTree(index_.root(), /*mark_files=*/false);
    WaitForEvents();
  }

  void Stop() override {
    if (stopped_) return;
    stopped_ = true;
    timer_.cancel();
    boost::system::error_code ignored;
    descriptor_.close(ignored);  // closing the inotify fd drops every watch
  }

 private:
  int fd() { return descriptor_.native_handle(); }

  // One watch for `dir` and each directory under it. With mark_files, the
  // files already there are queued for scanning (a directory that appeared
  // may have been filled before its watch existed).
  void WatchTree(const fs::path& dir, bool mark_files) {
    int wd = inotify_add_watch(fd(), dir.c_str(), kDirectoryMask);
    if (wd < 0) {
      if (!warned_) {
        fmt::print(stderr, "ng-annotate: warning: cannot watch {}: {} (manifest may go stale)\n",
                   dir.string(), std::strerror(errno));
        warned_ = true;
      }
      return;
    }
    directories_[wd] = dir;
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
      std::error_code type_ec;
      std::string name = it->path().filename().native();
      if (it->is_symlink(type_ec)) continue;
      if (it->is_directory(type_ec)) {
        if (!IsSkippedDirectory(name)) WatchTree(it->path(), mark_files);
      } else if (mark_files && IsScannedFile(name)) {
        dirty_.insert(it->path());
      }
    }
  }

  void Unwatch(const fs::path& dir) {
    for (auto it = directories_.begin(); it != directories_.end();) {
      if (IsAtOrUnder(it->second, dir)) {
        inotify_rm_watch(fd(), it->first);
        it = directories_.erase(it);
      } else {
        ++it;
      }
    }
  }

  void WaitForEvents() {
    descriptor_.async_wait(asio::posix::stream_descriptor::wait_read,
                           [self = shared_from_this()](boost::system::error_code ec) {
                             if (ec || self->stopped_) return;
                             self->ReadEvents();
                             self->WaitForEvents();
                           });
  }

  void ReadEvents() {
    alignas(inotify_event) char buffer[64 * 1024];
    bool any = false;  // anything that may change the manifest
    for (;;) {
      ssize_t n = ::read(fd(), buffer, sizeof buffer);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      for (char* p = buffer; p < buffer + n;) {
        auto* event = reinterpret_cast<inotify_event*>(p);
        any |= Handle(*event);
        p += sizeof(inotify_event) + event->len;
      }
    }
    if (any) ScheduleFlush();
  }

  // Records what one event means for the next flush. False when it cannot
  // change the manifest (e.g. the store's own writes), so that no flush is
  // scheduled for it.
  bool Handle(const inotify_event& event) {
    if (event.mask & IN_Q_OVERFLOW) {
      rescan_all_ = true;
      return true;
    }
    if (event.mask & IN_IGNORED) {
      directories_.erase(event.wd);
      return false;
    }
    auto dir = directories_.find(event.wd);
    if (dir == directories_.end() || event.len == 0) return false;
    std::string name(event.name);
    fs::path path = dir->second / name;
    if (event.mask & IN_ISDIR) {
      if (IsSkippedDirectory(name)) return false;
      if (event.mask & (IN_DELETE | IN_MOVED_FROM)) {
        Unwatch(path);
        index_.RemoveUnder(path);
        return true;
      }
      if (event.mask & (IN_CREATE | IN_MOVED_TO)) {
        WatchTree(path, /*mark_files=*/true);
        return true;
      }
      return false;
    }
    if (!IsScannedFile(name)) return false;
    dirty_.insert(path);
    return true;
  }

  void ScheduleFlush() {
    auto now = Clock::now();
    if (!batch_started_) batch_started_ = now;
    timer_.expires_at(std::min(now + debounce_, *batch_started_ + kMaxDelay));
    timer_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
      if (ec || self->stopped_) return;
      self->Flush();
    });
  }

  void Flush() {
    batch_started_.reset();
    if (rescan_all_) {
      rescan_all_ = false;
      dirty_.clear();
      index_.ScanAll();
      WatchTree(index_.root(), /*mark_files=*/false);  // directories we never heard of
    }
    for (const auto& file : dirty_) index_.UpdateFile(file);
    dirty_.clear();
    boost::json::object manifest = index_.ToJson();
    if (manifest == last_) return;
    last_ = std::move(manifest);
    on_change_(last_);
  }

  asio::posix::stream_descriptor descriptor_;
  asio::steady_timer timer_;
  ManifestIndex& index_;
  OnChange on_change_;
  std::chrono::milliseconds debounce_;
  boost::json::object last_;
  std::unordered_map<int, fs::path> directories_;  // watch descriptor -> directory
  std::set<fs::path> dirty_;                       // files to rescan at the next flush
  std::optional<Clock::time_point> batch_started_;
  bool rescan_all_ = false;
  bool stopped_ = false;
  bool warned_ = false;
};

}  // namespace

Result<std::shared_ptr<ManifestWatcher>> ManifestWatcher::Start(
    asio::any_io_executor executor, ManifestIndex& index, OnChange on_change,
    std::chrono::milliseconds debounce) {
  int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (fd < 0) {
    return MakeError(ErrorCode::kIo, std::string("inotify_init1: ") + std::strerror(errno));
  }
  auto watcher = std::make_shared<InotifyWatcher>(std::move(executor), fd, index,
                                                  std::move(on_change), debounce);
  watcher->Begin();
  return std::shared_ptr<ManifestWatcher>(std::move(watcher));
}

}  // namespace nga::manifest

// TreeWatch on Linux: inotify, one watch per directory (it is not recursive),
// new directories watched as they appear.
//
// Why inotify: events arrive as files are saved, and a quiet tree costs
// nothing, however large.
#if defined(__linux__)

#include <fmt/format.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <algorithm>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <cerrno>
#include <cstring>
#include <string>
#include <system_error>
#include <unordered_map>

#include "manifest/manifest_index.h"
#include "manifest/tree_watch.h"

namespace nga::manifest {
namespace {

namespace asio = boost::asio;
namespace fs = std::filesystem;

constexpr std::uint32_t kDirectoryMask = IN_CREATE | IN_DELETE | IN_MODIFY | IN_CLOSE_WRITE |
                                         IN_MOVED_FROM | IN_MOVED_TO | IN_ONLYDIR | IN_DONT_FOLLOW |
                                         IN_EXCL_UNLINK;

bool IsAtOrUnder(const fs::path& path, const fs::path& dir) {
  auto [d, p] = std::mismatch(dir.begin(), dir.end(), path.begin(), path.end());
  return d == dir.end();
}

class InotifyTreeWatch final : public TreeWatch {
 public:
  InotifyTreeWatch(asio::any_io_executor executor, int fd, fs::path root)
      : descriptor_(executor, fd), root_(std::move(root)) {}

  void Start(OnChanges on_changes) override {
    on_changes_ = std::move(on_changes);
    TreeChanges ignored;
    WatchTree(root_, /*mark_files=*/false, ignored);
    WaitForEvents();
  }

  void Stop() override {
    if (stopped_) return;
    stopped_ = true;
    boost::system::error_code ignored;
    descriptor_.close(ignored);  // closing the inotify fd drops every watch
    on_changes_ = nullptr;
  }

 private:
  int fd() { return descriptor_.native_handle(); }

  // One watch for `dir` and each directory under it. With mark_files, the
  // files already there are reported (a directory that appeared may have been
  // filled before its watch existed).
  void WatchTree(const fs::path& dir, bool mark_files, TreeChanges& changes) {
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
        if (!IsSkippedDirectory(name)) WatchTree(it->path(), mark_files, changes);
      } else if (mark_files && IsScannedFile(name)) {
        changes.files.insert(it->path());
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
                           [this](boost::system::error_code ec) {
                             if (ec || stopped_) return;
                             ReadEvents();
                             if (!stopped_) WaitForEvents();
                           });
  }

  void ReadEvents() {
    alignas(inotify_event) char buffer[64 * 1024];
    TreeChanges changes;
    for (;;) {
      ssize_t n = ::read(fd(), buffer, sizeof buffer);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      for (char* p = buffer; p < buffer + n;) {
        auto* event = reinterpret_cast<inotify_event*>(p);
        Handle(*event, changes);
        p += sizeof(inotify_event) + event->len;
      }
    }
    if (!changes.empty() && on_changes_) on_changes_(std::move(changes));
  }

  // Records what one event means. Events that cannot change the manifest
  // (e.g. the store's own writes) record nothing.
  void Handle(const inotify_event& event, TreeChanges& changes) {
    if (event.mask & IN_Q_OVERFLOW) {
      changes.lost_track = true;
      WatchTree(root_, /*mark_files=*/false, changes);  // directories we never heard of
      return;
    }
    if (event.mask & IN_IGNORED) {
      directories_.erase(event.wd);
      return;
    }
    auto dir = directories_.find(event.wd);
    if (dir == directories_.end() || event.len == 0) return;
    std::string name(event.name);
    fs::path path = dir->second / name;
    if (event.mask & IN_ISDIR) {
      if (IsSkippedDirectory(name)) return;
      if (event.mask & (IN_DELETE | IN_MOVED_FROM)) {
        Unwatch(path);
        changes.gone_directories.push_back(path);
      } else if (event.mask & (IN_CREATE | IN_MOVED_TO)) {
        WatchTree(path, /*mark_files=*/true, changes);
      }
      return;
    }
    if (IsScannedFile(name)) changes.files.insert(path);
  }

  asio::posix::stream_descriptor descriptor_;
  fs::path root_;
  OnChanges on_changes_;
  std::unordered_map<int, fs::path> directories_;  // watch descriptor -> directory
  bool stopped_ = false;
  bool warned_ = false;
};

}  // namespace

Result<std::unique_ptr<TreeWatch>> OpenInotifyTreeWatch(asio::any_io_executor executor,
                                                        const fs::path& root) {
  int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (fd < 0) {
    return MakeError(ErrorCode::kIo, std::string("inotify_init1: ") + std::strerror(errno));
  }
  return std::unique_ptr<TreeWatch>(
      std::make_unique<InotifyTreeWatch>(std::move(executor), fd, root));
}

}  // namespace nga::manifest

#endif  // __linux__

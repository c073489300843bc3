// ChangeWatcher on Linux: inotify on the notify file.
//
// Why inotify: the kernel wakes the watcher within microseconds of the
// writer's pwrite, at no cost while idle. That is what keeps the pickup of a
// browser's annotation by a blocked `watch_annotations` near 1 ms (bench/).
#if defined(__linux__)

#include <fcntl.h>
#include <poll.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/asio/posix/stream_descriptor.hpp>
#include <cerrno>
#include <cstring>
#include <optional>
#include <string>

#include "store/change_watcher.h"

namespace nga {
namespace {

constexpr std::uint32_t kWatchMask = IN_MODIFY | IN_ATTRIB | IN_MOVE_SELF | IN_DELETE_SELF;
constexpr std::uint32_t kGoneMask = IN_ATTRIB | IN_MOVE_SELF | IN_DELETE_SELF | IN_IGNORED;

class InotifyChangeWatcher final : public ChangeWatcher {
 public:
  InotifyChangeWatcher(int fd, std::filesystem::path path) : fd_(fd), path_(std::move(path)) {}
  ~InotifyChangeWatcher() override {
    descriptor_.reset();  // closes its duplicate
    close(fd_);
  }

  // Creates the file if needed and watches it; false when that failed.
  bool Arm(bool create) {
    int file = open(path_.c_str(), O_RDWR | O_CLOEXEC | (create ? O_CREAT : 0), 0644);
    if (file < 0) return false;
    struct stat info {};
    bool statted = fstat(file, &info) == 0;
    int wd = inotify_add_watch(fd_, path_.c_str(), kWatchMask);
    int err = errno;
    close(file);
    if (wd < 0) {
      errno = err;
      return false;
    }
    if (wd_ >= 0 && wd_ != wd) inotify_rm_watch(fd_, wd_);  // the old inode's, if still there
    wd_ = wd;
    inode_ = statted ? static_cast<unsigned long>(info.st_ino) : 0;
    return true;
  }

  // The directory too, for a notify file created anew by another process.
  void WatchDirectory() {
    dir_wd_ =
        inotify_add_watch(fd_, path_.parent_path().c_str(), IN_CREATE | IN_MOVED_TO | IN_ONLYDIR);
  }

  void AsyncWait(const boost::asio::any_io_executor& executor, OnChange on_change) override {
    // A duplicate, so Asio may own and close its copy.
    if (!descriptor_) descriptor_.emplace(executor, dup(fd_));
    cancelled_ = false;
    descriptor_->async_wait(boost::asio::posix::stream_descriptor::wait_read,
                            [this, on_change = std::move(on_change)](boost::system::error_code ec) {
                              if (ec || cancelled_) return;
                              Drain();
                              on_change();
                            });
  }

  // The flag too: a wake-up already queued when Cancel() comes completes
  // without an error.
  void Cancel() override {
    cancelled_ = true;
    if (!descriptor_) return;
    boost::system::error_code ignored;
    descriptor_->cancel(ignored);
  }

  bool WaitFor(std::chrono::milliseconds timeout) override {
    pollfd pfd{fd_, POLLIN, 0};
    int ready;
    do {
      ready = poll(&pfd, 1, static_cast<int>(timeout.count()));
    } while (ready < 0 && errno == EINTR);
    if (ready <= 0) return false;
    Drain();
    return true;
  }

  bool CheckFile(bool create) override {
    struct stat info {};
    if (stat(path_.c_str(), &info) == 0 && static_cast<unsigned long>(info.st_ino) == inode_) {
      return false;
    }
    if (!Arm(create)) return false;
    ++rearms_;
    return true;
  }

  int rearm_count() const override { return rearms_; }

 private:
  // Consumes every queued notification without blocking. Re-arms on a new
  // file when the watched one went away. An overflow (IN_Q_OVERFLOW) is just
  // one more "look again", which the reader does anyway.
  void Drain() {
    alignas(inotify_event) char buffer[16 * 1024];
    bool gone = false;
    while (true) {
      ssize_t n = read(fd_, buffer, sizeof buffer);
      if (n > 0) {
        for (ssize_t at = 0; at + static_cast<ssize_t>(sizeof(inotify_event)) <= n;) {
          const auto* event = reinterpret_cast<const inotify_event*>(buffer + at);
          if (event->wd == wd_ && (event->mask & kGoneMask)) gone = true;
          if (event->wd == dir_wd_ && event->len > 0 &&
              path_.filename() == std::string_view(event->name)) {
            gone = true;  // (re)created or moved in: maybe not the inode we watch
          }
          at += static_cast<ssize_t>(sizeof(inotify_event) + event->len);
        }
        continue;
      }
      if (n < 0 && errno == EINTR) continue;
      break;
    }
    // Not created here: a directory being removed (git clean) is left alone;
    // the writer's next commit or the slow timer recreates it.
    if (gone) CheckFile(false);
  }

  int fd_;
  std::filesystem::path path_;  // the notify file
  std::optional<boost::asio::posix::stream_descriptor> descriptor_;
  int wd_ = -1;
  int dir_wd_ = -1;
  unsigned long inode_ = 0;
  bool cancelled_ = false;
  int rearms_ = 0;
};

}  // namespace

Result<std::unique_ptr<ChangeWatcher>> OpenInotifyChangeWatcher(const std::filesystem::path& file) {
  int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (fd < 0) {
    return MakeError(ErrorCode::kIo, std::string("inotify_init1 failed: ") + std::strerror(errno));
  }
  auto watcher = std::make_unique<InotifyChangeWatcher>(fd, file);
  watcher->WatchDirectory();
  if (!watcher->Arm(true)) {
    return MakeError(ErrorCode::kIo,
                     "cannot watch " + file.string() + " for changes: " + std::strerror(errno));
  }
  return std::unique_ptr<ChangeWatcher>(std::move(watcher));
}

}  // namespace nga

#endif  // __linux__

#include "store/change_watcher.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <string>

namespace nga {

std::filesystem::path NotifyFileFor(const std::filesystem::path& db_file) {
  return std::filesystem::path(db_file.string() + "-notify");
}

namespace {

Result<int> OpenNotifyFile(const std::filesystem::path& db_file) {
  auto path = NotifyFileFor(db_file);
  int fd = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) {
    return MakeError(ErrorCode::kIo, "cannot open " + path.string() + ": " + std::strerror(errno));
  }
  return fd;
}

}  // namespace

constexpr std::uint32_t kWatchMask = IN_MODIFY | IN_ATTRIB | IN_MOVE_SELF | IN_DELETE_SELF;
constexpr std::uint32_t kGoneMask = IN_ATTRIB | IN_MOVE_SELF | IN_DELETE_SELF | IN_IGNORED;

Result<ChangeSignal> ChangeSignal::Open(const std::filesystem::path& db_file) {
  auto fd = OpenNotifyFile(db_file);
  if (!fd) return fd.error();
  return ChangeSignal(*fd, NotifyFileFor(db_file));
}

ChangeSignal::~ChangeSignal() {
  if (fd_ >= 0) close(fd_);
}

void ChangeSignal::Notify() const {
  // A deleted notify file wakes nobody: reopen the path (creating it).
  struct stat info {};
  if (fd_ < 0 || (fstat(fd_, &info) == 0 && info.st_nlink == 0)) {
    int fd = open(path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd >= 0) {
      if (fd_ >= 0) close(fd_);
      fd_ = fd;
    }
  }
  // Rewrites the same byte: inotify reports IN_MODIFY, the file never grows.
  if (fd_ >= 0) (void)!pwrite(fd_, "1", 1, 0);
}

Result<std::unique_ptr<ChangeWatcher>> ChangeWatcher::Open(const std::filesystem::path& db_file) {
  auto file = OpenNotifyFile(db_file);  // it must exist to be watched
  if (!file) return file.error();
  close(*file);
  int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (fd < 0) {
    return MakeError(ErrorCode::kIo, std::string("inotify_init1 failed: ") + std::strerror(errno));
  }
  auto path = NotifyFileFor(db_file);
  std::unique_ptr<ChangeWatcher> watcher(new ChangeWatcher(fd, path));
  // The directory too, for a notify file created anew by another process.
  watcher->dir_wd_ =
      inotify_add_watch(fd, path.parent_path().c_str(), IN_CREATE | IN_MOVED_TO | IN_ONLYDIR);
  if (!watcher->Arm(true)) {
    return MakeError(ErrorCode::kIo,
                     "cannot watch " + path.string() + " for changes: " + std::strerror(errno));
  }
  return watcher;
}

bool ChangeWatcher::Arm(bool create) {
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

bool ChangeWatcher::CheckFile(bool create) {
  struct stat info {};
  if (stat(path_.c_str(), &info) == 0 && static_cast<unsigned long>(info.st_ino) == inode_) {
    return false;
  }
  if (!Arm(create)) return false;
  ++rearms_;
  return true;
}

ChangeWatcher::~ChangeWatcher() {
  if (fd_ >= 0) close(fd_);
}

bool ChangeWatcher::Drain() {
  // An overflow (IN_Q_OVERFLOW) is just one more "look again", which the
  // reader does anyway. An event saying the file went away re-arms.
  alignas(inotify_event) char buffer[16 * 1024];
  bool any = false;
  bool gone = false;
  while (true) {
    ssize_t n = read(fd_, buffer, sizeof buffer);
    if (n > 0) {
      any = true;
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
  return any;
}
bool ChangeWatcher::WaitFor(std::chrono::milliseconds timeout) {
  pollfd pfd{fd_, POLLIN, 0};
  int ready;
  do {
    ready = poll(&pfd, 1, static_cast<int>(timeout.count()));
  } while (ready < 0 && errno == EINTR);
  if (ready <= 0) return false;
  Drain();
  return true;
}

}  // namespace nga

#include "store/change_watcher.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <cerrno>
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

Result<ChangeSignal> ChangeSignal::Open(const std::filesystem::path& db_file) {
  auto fd = OpenNotifyFile(db_file);
  if (!fd) return fd.error();
  return ChangeSignal(*fd);
}

ChangeSignal::~ChangeSignal() {
  if (fd_ >= 0) close(fd_);
}

void ChangeSignal::Notify() const {
  // Rewrites the same byte: inotify reports IN_MODIFY, the file never grows.
  (void)!pwrite(fd_, "1", 1, 0);
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
  if (inotify_add_watch(fd, path.c_str(), IN_MODIFY) < 0) {
    int err = errno;
    close(fd);
    return MakeError(ErrorCode::kIo,
                     "cannot watch " + path.string() + " for changes: " + std::strerror(err));
  }
  return std::unique_ptr<ChangeWatcher>(new ChangeWatcher(fd));
}

ChangeWatcher::~ChangeWatcher() {
  if (fd_ >= 0) close(fd_);
}

bool ChangeWatcher::Drain() {
  // Events carry file names we do not need; an overflow (IN_Q_OVERFLOW) is
  // just one more "look again", which the reader does anyway.
  alignas(inotify_event) char buffer[16 * 1024];
  bool any = false;
  while (true) {
    ssize_t n = read(fd_, buffer, sizeof buffer);
    if (n > 0) {
      any = true;
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    return any;
  }
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

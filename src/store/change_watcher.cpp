#include "store/change_watcher.h"

#include <poll.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace nga {

Result<std::unique_ptr<ChangeWatcher>> ChangeWatcher::Open(const std::filesystem::path& db_file) {
  int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (fd < 0) {
    return MakeError(ErrorCode::kIo, std::string("inotify_init1 failed: ") + std::strerror(errno));
  }
  std::filesystem::path dir = db_file.parent_path().empty() ? "." : db_file.parent_path();
  // The directory, not the files: the -wal file comes and goes as connections
  // open and close, and a directory watch sees writes to any file in it.
  uint32_t mask = IN_MODIFY | IN_CREATE | IN_MOVED_TO | IN_CLOSE_WRITE;
  if (inotify_add_watch(fd, dir.c_str(), mask) < 0) {
    int err = errno;
    close(fd);
    return MakeError(ErrorCode::kIo,
                     "cannot watch " + dir.string() + " for changes: " + std::strerror(err));
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

// NotifyFile on POSIX systems: pread/pwrite at offset 0, stale when the
// inode at the path differs or the open file lost its last link.
#if !defined(_WIN32)

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "store/notify_file.h"

namespace nga {

Result<NotifyFile> NotifyFile::Open(const std::filesystem::path& path, bool create) {
  int fd = open(path.c_str(), O_RDWR | O_CLOEXEC | (create ? O_CREAT : 0), 0644);
  if (fd < 0) {
    return MakeError(ErrorCode::kIo, "cannot open " + path.string() + ": " + std::strerror(errno));
  }
  return NotifyFile(fd);
}

NotifyFile::NotifyFile(NotifyFile&& other) noexcept : fd_(other.fd_) { other.fd_ = kClosed; }

NotifyFile& NotifyFile::operator=(NotifyFile&& other) noexcept {
  if (this != &other) {
    if (fd_ != kClosed) close(fd_);
    fd_ = other.fd_;
    other.fd_ = kClosed;
  }
  return *this;
}

NotifyFile::~NotifyFile() {
  if (fd_ != kClosed) close(fd_);
}

void NotifyFile::Write(std::uint64_t stamp) const { (void)!pwrite(fd_, &stamp, sizeof stamp, 0); }

std::optional<std::uint64_t> NotifyFile::Read() const {
  std::uint64_t stamp = 0;
  ssize_t n;
  do {
    n = pread(fd_, &stamp, sizeof stamp, 0);
  } while (n < 0 && errno == EINTR);
  if (n < 0) return std::nullopt;
  return stamp;
}

bool NotifyFile::IsStale(const std::filesystem::path& path) const {
  struct stat open_file {};
  struct stat at_path {};
  if (fstat(fd_, &open_file) != 0 || open_file.st_nlink == 0) return true;
  if (stat(path.c_str(), &at_path) != 0) return true;
  return open_file.st_ino != at_path.st_ino || open_file.st_dev != at_path.st_dev;
}

}  // namespace nga

#endif  // !_WIN32

// NotifyFile on Windows: positioned ReadFile/WriteFile through an OVERLAPPED
// offset. The file is shared for reading, writing and deleting, so that other
// processes (and `git clean`) can do with it what they can on POSIX; it is
// stale when the file at the path has another file id.
#if defined(_WIN32)

#include <windows.h>

#include <system_error>

#include "store/notify_file.h"

namespace nga {
namespace {

HANDLE AsHandle(std::intptr_t handle) { return reinterpret_cast<HANDLE>(handle); }

HANDLE OpenShared(const std::filesystem::path& path, DWORD access, DWORD disposition) {
  return CreateFileW(path.c_str(), access, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                     nullptr, disposition, FILE_ATTRIBUTE_NORMAL, nullptr);
}

bool SameFile(HANDLE a, HANDLE b) {
  BY_HANDLE_FILE_INFORMATION x{}, y{};
  if (!GetFileInformationByHandle(a, &x) || !GetFileInformationByHandle(b, &y)) return false;
  return x.dwVolumeSerialNumber == y.dwVolumeSerialNumber && x.nFileIndexHigh == y.nFileIndexHigh &&
         x.nFileIndexLow == y.nFileIndexLow && x.nNumberOfLinks > 0;
}

}  // namespace

Result<NotifyFile> NotifyFile::Open(const std::filesystem::path& path, bool create) {
  HANDLE handle =
      OpenShared(path, GENERIC_READ | GENERIC_WRITE, create ? OPEN_ALWAYS : OPEN_EXISTING);
  if (handle == INVALID_HANDLE_VALUE) {
    std::error_code ec(static_cast<int>(GetLastError()), std::system_category());
    return MakeError(ErrorCode::kIo, "cannot open " + path.string() + ": " + ec.message());
  }
  return NotifyFile(reinterpret_cast<std::intptr_t>(handle));
}

NotifyFile::NotifyFile(NotifyFile&& other) noexcept : handle_(other.handle_) {
  other.handle_ = kClosed;
}

NotifyFile& NotifyFile::operator=(NotifyFile&& other) noexcept {
  if (this != &other) {
    if (handle_ != kClosed) CloseHandle(AsHandle(handle_));
    handle_ = other.handle_;
    other.handle_ = kClosed;
  }
  return *this;
}

NotifyFile::~NotifyFile() {
  if (handle_ != kClosed) CloseHandle(AsHandle(handle_));
}

void NotifyFile::Write(std::uint64_t stamp) const {
  OVERLAPPED at{};  // offset 0
  DWORD written = 0;
  WriteFile(AsHandle(handle_), &stamp, sizeof stamp, &written, &at);
}

std::optional<std::uint64_t> NotifyFile::Read() const {
  std::uint64_t stamp = 0;
  OVERLAPPED at{};
  DWORD read = 0;
  if (!ReadFile(AsHandle(handle_), &stamp, sizeof stamp, &read, &at) &&
      GetLastError() != ERROR_HANDLE_EOF) {
    return std::nullopt;
  }
  return stamp;
}

bool NotifyFile::IsStale(const std::filesystem::path& path) const {
  HANDLE at_path = OpenShared(path, 0, OPEN_EXISTING);  // no access: metadata only
  if (at_path == INVALID_HANDLE_VALUE) return true;
  bool same = SameFile(AsHandle(handle_), at_path);
  CloseHandle(at_path);
  return !same;
}

}  // namespace nga

#endif  // _WIN32

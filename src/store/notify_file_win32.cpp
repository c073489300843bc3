// NotifyFile on Windows: the path, opened for each read and write (shared
// for reading, writing and deleting) and closed at once, never held open.
//
// Why not one handle for the object's life, as on POSIX: a file deleted while
// handles to it are open stays at its path until the last of them closes
// ("delete pending", unless the deleting program asks for POSIX semantics).
// Meanwhile Windows refuses to open or create a file by that name (access
// denied), and Wine opens the same pending file again (checked with a probe
// program under Debian's Wine 8: same file index, deleted only when the last
// handle closed). A deleted notify file held by every running `serve` and
// `mcp` would stay pending as long as they run: on Windows a new process
// could not open its store ("cannot open …-notify: Access is denied") and no
// running one could recreate it; under Wine every process kept stamping the
// pending file, found "the same file" at the path and never recreated it
// (ChangeWatcherTest.FollowsANotifyFileThatWasDeleted). Opened per
// operation, a deletion completes as soon as the read or write in progress,
// if any, closes its handle; a stamp written in that instant is lost, and
// the feed's safety tick finds its change. The cost is one open per commit
// and per poll (40 a second when idle): small beside a commit.
#if defined(_WIN32)

#include <windows.h>

#include <optional>
#include <system_error>

#include "store/notify_file.h"

namespace nga {
namespace {

// A handle that closes itself.
class FileHandle {
 public:
  FileHandle(const std::filesystem::path& path, DWORD access, DWORD disposition)
      : handle_(CreateFileW(path.c_str(), access,
                            FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, nullptr,
                            disposition, FILE_ATTRIBUTE_NORMAL, nullptr)) {}
  FileHandle(const FileHandle&) = delete;
  FileHandle& operator=(const FileHandle&) = delete;
  ~FileHandle() {
    if (ok()) CloseHandle(handle_);
  }
  bool ok() const { return handle_ != INVALID_HANDLE_VALUE; }
  HANDLE get() const { return handle_; }

 private:
  HANDLE handle_;
};

}  // namespace

std::optional<NotifyFile::FileId> NotifyFile::IdOf(void* handle) {
  BY_HANDLE_FILE_INFORMATION info{};
  if (!GetFileInformationByHandle(handle, &info)) return std::nullopt;
  return FileId{.volume = info.dwVolumeSerialNumber,
                .index = (std::uint64_t{info.nFileIndexHigh} << 32) | info.nFileIndexLow};
}

Result<NotifyFile> NotifyFile::Open(const std::filesystem::path& path, bool create) {
  // Opened once here so that a path that cannot be opened (no directory, no
  // access) is an error now, as on POSIX, rather than lost stamps later.
  FileHandle file(path, GENERIC_READ | GENERIC_WRITE, create ? OPEN_ALWAYS : OPEN_EXISTING);
  std::optional<FileId> id;
  if (file.ok()) id = IdOf(file.get());
  if (!id) {
    std::error_code ec(static_cast<int>(GetLastError()), std::system_category());
    return MakeError(ErrorCode::kIo, "cannot open " + path.string() + ": " + ec.message());
  }
  return NotifyFile(path, *id);
}

NotifyFile::NotifyFile(NotifyFile&& other) noexcept
    : path_(std::move(other.path_)), id_(other.id_) {}

NotifyFile& NotifyFile::operator=(NotifyFile&& other) noexcept {
  path_ = std::move(other.path_);
  id_ = other.id_;
  return *this;
}

NotifyFile::~NotifyFile() = default;

void NotifyFile::Write(std::uint64_t stamp) const {
  // OPEN_ALWAYS: a file deleted since is recreated with the stamp, which
  // every watcher reads, as they read the path too.
  FileHandle file(path_, GENERIC_WRITE, OPEN_ALWAYS);
  if (!file.ok()) return;
  OVERLAPPED at{};  // offset 0
  DWORD written = 0;
  WriteFile(file.get(), &stamp, sizeof stamp, &written, &at);
}

std::optional<std::uint64_t> NotifyFile::Read() const {
  FileHandle file(path_, GENERIC_READ, OPEN_EXISTING);
  if (!file.ok()) return std::nullopt;
  std::uint64_t stamp = 0;
  OVERLAPPED at{};
  DWORD read = 0;
  if (!ReadFile(file.get(), &stamp, sizeof stamp, &read, &at) &&
      GetLastError() != ERROR_HANDLE_EOF) {
    return std::nullopt;
  }
  return stamp;
}

bool NotifyFile::IsStale(const std::filesystem::path& path) const {
  // Reads and writes follow the path already; this tells a watcher that the
  // file it found is gone (to recreate it and log that once) and a writer
  // that it must create it again. A file made at once in the old one's
  // place may get its id back (Wine's ids are inode numbers): the polling
  // watcher also counts a read that found no file.
  FileHandle at_path(path, 0, OPEN_EXISTING);  // no access: metadata only
  if (!at_path.ok()) return true;
  auto id = IdOf(at_path.get());
  return !id || !(*id == id_);
}

}  // namespace nga

#endif  // _WIN32

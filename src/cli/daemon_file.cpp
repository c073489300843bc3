#include "cli/daemon_file.h"

#include <fmt/format.h>

#if defined(_WIN32)
#include <windows.h>
// After windows.h, which it needs.
#include <bcrypt.h>

#include <fstream>
#else
#include <fcntl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>
#endif

#include <array>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cerrno>
#include <cstring>
#include <system_error>

namespace nga::cli {

namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

Error IoError(const fs::path& file, std::string_view what) {
  return MakeError(ErrorCode::kIo, fmt::format("{}: {}", file.string(), what));
}

#if !defined(_WIN32)
Status WriteAll(int fd, const std::string& text) {
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return MakeError(ErrorCode::kIo, std::strerror(errno));
    done += static_cast<std::size_t>(n);
  }
  return Ok{};
}

// At most `limit` + 1 bytes: one more than allowed tells a file that grew.
Result<std::string> ReadBounded(int fd, std::size_t limit) {
  std::string text;
  std::array<char, 8192> buffer;
  while (text.size() <= limit) {
    const ssize_t n = ::read(fd, buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return MakeError(ErrorCode::kIo, std::strerror(errno));
    if (n == 0) return text;
    text.append(buffer.data(), static_cast<std::size_t>(n));
  }
  return MakeError(ErrorCode::kIo, fmt::format("larger than {} bytes", limit));
}
#endif

Result<DaemonInfo> ParseDaemonInfo(const fs::path& file, std::string_view text) {
  boost::system::error_code ec;
  json::value parsed = json::parse(text, ec);
  const json::object* object = ec ? nullptr : parsed.if_object();
  if (!object) return IoError(file, "not a JSON object");
  DaemonInfo info;
  const json::value* pid = object->if_contains("pid");
  const json::value* port = object->if_contains("port");
  if (!pid || !pid->is_int64() || !port || !port->is_int64() || port->as_int64() <= 0 ||
      port->as_int64() > 65535) {
    return IoError(file, "no valid pid and port");
  }
  info.pid = static_cast<long>(pid->as_int64());
  info.port = static_cast<unsigned>(port->as_int64());
  auto text_of = [object](const char* key) {
    const json::value* value = object->if_contains(key);
    return value && value->is_string() ? std::string(value->as_string()) : std::string();
  };
  info.url = text_of("url");
  info.root = text_of("root");
  info.started_at = text_of("startedAt");
  info.token = text_of("token");
  return info;
}

}  // namespace

fs::path DaemonFilePath(const fs::path& store_dir) { return store_dir / "daemon.json"; }

Result<std::string> NewDaemonToken() {
  std::array<unsigned char, 32> bytes;
#if defined(_WIN32)
  if (!BCRYPT_SUCCESS(BCryptGenRandom(nullptr, bytes.data(), static_cast<ULONG>(bytes.size()),
                                      BCRYPT_USE_SYSTEM_PREFERRED_RNG))) {
    return MakeError(ErrorCode::kIo, "cannot get random bytes from BCryptGenRandom");
  }
#else
  // getentropy (at most 256 bytes a call, never short) is in glibc and in
  // macOS's libc alike; Linux's getrandom is not on macOS.
  if (::getentropy(bytes.data(), bytes.size()) != 0) {
    return MakeError(ErrorCode::kIo,
                     fmt::format("cannot get random bytes: {}", std::strerror(errno)));
  }
#endif
  std::string hex;
  for (unsigned char byte : bytes) hex += fmt::format("{:02x}", byte);
  return hex;
}

Status WriteDaemonFile(const fs::path& file, const DaemonInfo& info) {
  json::object body{{"pid", info.pid},    {"port", info.port},      {"url", info.url},
                    {"root", info.root},  {"version", NGA_VERSION}, {"startedAt", info.started_at},
                    {"token", info.token}};
  const fs::path temp = file.parent_path() / fmt::format(".daemon.json.{}.tmp", info.pid);
  std::error_code ec;
  fs::remove(temp, ec);  // a leftover of a crashed daemon that had our pid
#if defined(_WIN32)
  // The profile's directories are the user's own on Windows (no mode bits),
  // and planting symlinks there takes the user's privileges already.
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    out << json::serialize(body) << "\n";
    out.close();
    if (!out) {
      fs::remove(temp, ec);
      return IoError(temp, "cannot write");
    }
  }
#else
  // O_EXCL | O_NOFOLLOW: never write through a symlink planted at the temp name.
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) return IoError(temp, fmt::format("cannot create: {}", std::strerror(errno)));
  Status written = WriteAll(fd, json::serialize(body) + "\n");
  if (::close(fd) != 0 && written) written = MakeError(ErrorCode::kIo, std::strerror(errno));
  if (!written) {
    fs::remove(temp, ec);
    return IoError(temp, fmt::format("cannot write: {}", written.error().message));
  }
#endif
  fs::rename(temp, file, ec);
  if (ec) {
    fs::remove(temp, ec);
    return IoError(file, fmt::format("cannot write: {}", ec.message()));
  }
  return Ok{};
}

Result<DaemonInfo> ReadDaemonFile(const fs::path& file) {
#if defined(_WIN32)
  std::error_code ec;
  auto status = fs::symlink_status(file, ec);
  if (ec) return IoError(file, ec.message());
  if (!fs::is_regular_file(status)) return IoError(file, "not a regular file");
  std::ifstream in(file, std::ios::binary);
  if (!in) return IoError(file, "cannot open");
  std::string text(kMaxDaemonFileBytes + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  if (text.size() > kMaxDaemonFileBytes) {
    return IoError(file, fmt::format("larger than {} bytes", kMaxDaemonFileBytes));
  }
  return ParseDaemonInfo(file, text);
#else
  // lstat first: a symlink (to /dev/zero, say) or a FIFO is never opened.
  struct stat before {};
  if (::lstat(file.c_str(), &before) != 0) return IoError(file, std::strerror(errno));
  if (!S_ISREG(before.st_mode)) return IoError(file, "not a regular file");
  if (static_cast<std::size_t>(before.st_size) > kMaxDaemonFileBytes) {
    return IoError(file, fmt::format("larger than {} bytes", kMaxDaemonFileBytes));
  }
  // It may have been swapped since: O_NOFOLLOW refuses a symlink, O_NONBLOCK
  // keeps a FIFO from blocking the open, and fstat must show the same file.
  const int fd = ::open(file.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return IoError(file, std::strerror(errno));
  struct stat opened {};
  Result<std::string> text = IoError(file, "not a regular file");
  if (::fstat(fd, &opened) == 0 && S_ISREG(opened.st_mode) && opened.st_dev == before.st_dev &&
      opened.st_ino == before.st_ino) {
    text = ReadBounded(fd, kMaxDaemonFileBytes);
  }
  ::close(fd);
  if (!text) return IoError(file, text.error().message);
  return ParseDaemonInfo(file, *text);
#endif
}

void RemoveDaemonFileIfOwn(const fs::path& file, long pid, const std::string& token) {
  auto info = ReadDaemonFile(file);
  if (!info || info->pid != pid || info->token != token) return;
  std::error_code ignored;
  fs::remove(file, ignored);
}

}  // namespace nga::cli

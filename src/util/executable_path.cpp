#include "util/executable_path.h"

#include <string>
#include <system_error>

#if defined(_WIN32)
#include <windows.h>
#elif defined(__APPLE__)
#include <mach-o/dyld.h>
#endif

namespace nga {

Result<std::filesystem::path> ExecutablePath() {
#if defined(_WIN32)
  std::wstring buffer(MAX_PATH, L'\0');
  while (true) {
    DWORD n = GetModuleFileNameW(nullptr, buffer.data(), static_cast<DWORD>(buffer.size()));
    if (n == 0) {
      std::error_code ec(static_cast<int>(GetLastError()), std::system_category());
      return MakeError(ErrorCode::kIo, "cannot find this binary's path: " + ec.message());
    }
    if (n < buffer.size()) return std::filesystem::path(buffer.substr(0, n));
    buffer.resize(buffer.size() * 2);  // truncated: a long path
  }
#elif defined(__APPLE__)
  std::uint32_t size = 0;
  _NSGetExecutablePath(nullptr, &size);
  std::string buffer(size, '\0');
  if (_NSGetExecutablePath(buffer.data(), &size) != 0) {
    return MakeError(ErrorCode::kIo, "cannot find this binary's path");
  }
  std::error_code ec;
  auto path = std::filesystem::canonical(buffer.c_str(), ec);
  if (ec) return MakeError(ErrorCode::kIo, "cannot find this binary's path: " + ec.message());
  return path;
#else
  std::error_code ec;
  auto path = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return MakeError(ErrorCode::kIo, "cannot find this binary's path: " + ec.message());
  return path;
#endif
}

}  // namespace nga

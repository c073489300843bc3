// <root>/.ng-annotate/daemon.json (C1): how dev-server integrations find a
// running `serve` for a project instead of starting a second one.
//
//   {"pid":N,"port":P,"url":"http://127.0.0.1:P","root":"/abs/root",
//    "version":"0.1.0","startedAt":"ISO 8601","token":"64 hex digits"}
//
// Readers must check liveness themselves (the pid may be gone after a crash,
// or reused, and the port may now belong to another program): the file is a
// hint, and only a proof is the truth. `token` is a random secret of this
// daemon, in a file only its user can read (0600). A reader sends
// GET <url>/__annotate/health?challenge=C with a fresh random C and trusts
// the answer only if its "proof" is HMAC-SHA-256(key = token, message = C),
// in hex (browser/routes.h). Why a challenge rather than echoing the token:
// the reader does not yet know whether it is talking to our daemon, so it
// must not send the secret; and a health that printed the token to whoever
// asks would hand it to any local process, which could then answer for the
// daemon once it is gone. Same-user processes can read the file anyway:
// the proof guards against other users and stale ports, not against them.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>

#include "util/result.h"

namespace nga::cli {

// Bigger files are not ours: refused unread.
inline constexpr std::size_t kMaxDaemonFileBytes = 64 * 1024;

struct DaemonInfo {
  long pid = 0;
  unsigned port = 0;
  std::string url;
  std::string root;
  std::string started_at;  // ISO 8601
  std::string token;       // NewDaemonToken()
};

std::filesystem::path DaemonFilePath(const std::filesystem::path& store_dir);

// 32 bytes from the kernel's CSPRNG (getrandom), as 64 lowercase hex digits.
Result<std::string> NewDaemonToken();

// Writes the file atomically and readable by its user only: a temp file beside
// it, created 0600 (never through a symlink), then rename.
Status WriteDaemonFile(const std::filesystem::path& file, const DaemonInfo& info);

// Reads the file only when it is a regular file (not a symlink, FIFO or
// device) of at most kMaxDaemonFileBytes: it never blocks and never reads
// more. An error says what was wrong with it.
Result<DaemonInfo> ReadDaemonFile(const std::filesystem::path& file);

// Removes the file when it still names `pid` and `token` (another daemon may
// have taken it over since). Never fails: a file that cannot be read safely
// is left alone.
void RemoveDaemonFileIfOwn(const std::filesystem::path& file, long pid, const std::string& token);

}  // namespace nga::cli

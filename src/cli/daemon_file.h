// <root>/.ng-annotate/daemon.json (C1): how dev-server integrations find a
// running `serve` for a project instead of starting a second one.
//
//   {"pid":N,"port":P,"url":"http://127.0.0.1:P","root":"/abs/root",
//    "version":"0.1.0","startedAt":"ISO 8601"}
//
// Readers must check liveness themselves (the pid may be gone after a crash,
// or reused): the file is a hint, GET <url>/__annotate/health is the truth.
#pragma once

#include <filesystem>
#include <string>

#include "util/result.h"

namespace nga::cli {

struct DaemonInfo {
  long pid = 0;
  unsigned port = 0;
  std::string url;
  std::string root;
  std::string started_at;  // ISO 8601
};

std::filesystem::path DaemonFilePath(const std::filesystem::path& store_dir);

// Writes the file atomically: a temp file beside it, then rename.
Status WriteDaemonFile(const std::filesystem::path& file, const DaemonInfo& info);

// Removes the file when it still names `pid` (another daemon may have taken
// it over since). Never fails: a file that cannot be read is left alone.
void RemoveDaemonFileIfOwn(const std::filesystem::path& file, long pid);

}  // namespace nga::cli

// The file-watching half of ManifestWatcher: reports which files under a
// project root may have changed. One backend per file (util/watch_backend.h):
// - tree_watch_inotify.cpp (Linux): one inotify watch per directory, events
//   as they happen, nothing spent while the tree is quiet;
// - tree_watch_polling.cpp (everywhere else, and forced on Linux by
//   NG_ANNOTATE_PORTABLE_WATCH=1): compares the tree's sizes and modification
//   times every 300 ms.
//
// Thread rules: create, use and destroy it on the thread running the
// executor it was opened with; OnChanges runs there too.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <filesystem>
#include <functional>
#include <memory>
#include <set>
#include <vector>

#include "util/result.h"

namespace nga::manifest {

struct TreeChanges {
  // Scanned files (IsScannedFile) that appeared, changed or went away,
  // including those already inside a directory that appeared.
  std::set<std::filesystem::path> files;
  // Directories that went away with everything under them.
  std::vector<std::filesystem::path> gone_directories;
  // Events were lost (a queue overflow): only a full rescan is right.
  bool lost_track = false;

  bool empty() const { return files.empty() && gone_directories.empty() && !lost_track; }
};

class TreeWatch {
 public:
  using OnChanges = std::function<void(TreeChanges changes)>;
  virtual ~TreeWatch() = default;
  // Starts reporting changes under the root (skipped directories and
  // symlinks excepted) until Stop(). Never called with empty changes.
  virtual void Start(OnChanges on_changes) = 0;
  // No OnChanges runs after it returns. Idempotent.
  virtual void Stop() = 0;
};

// The backends. The inotify one exists on Linux only.
Result<std::unique_ptr<TreeWatch>> OpenInotifyTreeWatch(boost::asio::any_io_executor executor,
                                                        const std::filesystem::path& root);
Result<std::unique_ptr<TreeWatch>> OpenPollingTreeWatch(boost::asio::any_io_executor executor,
                                                        const std::filesystem::path& root);

}  // namespace nga::manifest

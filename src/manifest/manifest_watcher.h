// Keeps a ManifestIndex current while `serve` runs (SPEC §7).
//
// A TreeWatch (manifest/tree_watch.h: inotify on Linux, polling elsewhere)
// reports which files changed. They are collected until the tree has been
// quiet for `debounce` (at most kMaxDelay after the first report), then only
// those files are rescanned. When the watch lost events (an inotify queue
// overflow) the whole tree is rescanned. `on_change` is called with the new
// manifest only when it differs from the last one.
//
// Thread rules: create, use and destroy it on the thread running `executor`;
// the callback runs there too.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/json/object.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>

#include "manifest/manifest_index.h"
#include "util/result.h"
#include "util/watch_backend.h"

namespace nga::manifest {

class ManifestWatcher {
 public:
  using OnChange = std::function<void(const boost::json::object& manifest)>;
  static constexpr std::chrono::milliseconds kDefaultDebounce{100};
  static constexpr std::chrono::milliseconds kMaxDelay{1000};

  // Watches index.root(). `index` must outlive the watcher and should be
  // scanned already: its current manifest is the baseline for changes.
  static Result<std::shared_ptr<ManifestWatcher>> Start(
      boost::asio::any_io_executor executor, ManifestIndex& index, OnChange on_change,
      std::chrono::milliseconds debounce = kDefaultDebounce,
      WatchBackend backend = DefaultWatchBackend());

  // Stops watching; no callback runs after it returns. Idempotent.
  virtual void Stop() = 0;
  virtual ~ManifestWatcher() = default;
};

}  // namespace nga::manifest

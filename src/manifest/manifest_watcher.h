// Keeps a ManifestIndex current while `serve` runs (SPEC §7).
//
// inotify is not recursive, so there is one watch per directory of the tree
// (skipped directories excepted); new directories get theirs as they appear.
// Events are collected until the tree has been quiet for `debounce` (at most
// kMaxDelay after the first one), then only the files they name are
// rescanned. An inotify queue overflow means events were lost: the whole
// tree is rescanned. `on_change` is called with the new manifest only when
// it differs from the last one.
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
      std::chrono::milliseconds debounce = kDefaultDebounce);

  // Stops watching; no callback runs after it returns. Idempotent.
  virtual void Stop() = 0;
  virtual ~ManifestWatcher() = default;
};

}  // namespace nga::manifest

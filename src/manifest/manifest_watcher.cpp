#include "manifest/manifest_watcher.h"

#include <boost/asio/steady_timer.hpp>
#include <filesystem>
#include <set>

#include "manifest/tree_watch.h"

namespace nga::manifest {
namespace {

namespace asio = boost::asio;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// Collects what the TreeWatch reports, waits for the tree to be quiet, then
// rescans only what changed and reports the manifest if it differs.
class DebouncedWatcher final : public ManifestWatcher,
                               public std::enable_shared_from_this<DebouncedWatcher> {
 public:
  DebouncedWatcher(asio::any_io_executor executor, std::unique_ptr<TreeWatch> tree,
                   ManifestIndex& index, OnChange on_change, std::chrono::milliseconds debounce)
      : tree_(std::move(tree)),
        timer_(executor),
        index_(index),
        on_change_(std::move(on_change)),
        debounce_(debounce),
        last_(index.ToJson()) {}

  void Begin() {
    tree_->Start([weak = weak_from_this()](TreeChanges changes) {
      if (auto self = weak.lock()) self->Take(std::move(changes));
    });
  }

  void Stop() override {
    if (stopped_) return;
    stopped_ = true;
    timer_.cancel();
    tree_->Stop();
  }

 private:
  void Take(TreeChanges changes) {
    if (stopped_) return;
    for (const auto& dir : changes.gone_directories) index_.RemoveUnder(dir);
    dirty_.merge(changes.files);
    rescan_all_ |= changes.lost_track;
    ScheduleFlush();
  }

  void ScheduleFlush() {
    auto now = Clock::now();
    if (!batch_started_) batch_started_ = now;
    timer_.expires_at(std::min(now + debounce_, *batch_started_ + kMaxDelay));
    timer_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
      if (ec || self->stopped_) return;
      self->Flush();
    });
  }

  void Flush() {
    batch_started_.reset();
    if (rescan_all_) {
      rescan_all_ = false;
      dirty_.clear();
      index_.ScanAll();
    }
    for (const auto& file : dirty_) index_.UpdateFile(file);
    dirty_.clear();
    boost::json::object manifest = index_.ToJson();
    if (manifest == last_) return;
    last_ = std::move(manifest);
    on_change_(last_);
  }

  std::unique_ptr<TreeWatch> tree_;
  asio::steady_timer timer_;
  ManifestIndex& index_;
  OnChange on_change_;
  std::chrono::milliseconds debounce_;
  boost::json::object last_;
  std::set<fs::path> dirty_;  // files to rescan at the next flush
  std::optional<Clock::time_point> batch_started_;
  bool rescan_all_ = false;
  bool stopped_ = false;
};

Result<std::unique_ptr<TreeWatch>> OpenTreeWatch(asio::any_io_executor executor,
                                                 const fs::path& root, WatchBackend backend) {
#if defined(__linux__)
  if (backend == WatchBackend::kNative) return OpenInotifyTreeWatch(std::move(executor), root);
#endif
  return OpenPollingTreeWatch(std::move(executor), root);
}

}  // namespace

Result<std::shared_ptr<ManifestWatcher>> ManifestWatcher::Start(asio::any_io_executor executor,
                                                                ManifestIndex& index,
                                                                OnChange on_change,
                                                                std::chrono::milliseconds debounce,
                                                                WatchBackend backend) {
  auto tree = OpenTreeWatch(executor, index.root(), backend);
  if (!tree) return tree.error();
  auto watcher = std::make_shared<DebouncedWatcher>(std::move(executor), std::move(*tree), index,
                                                    std::move(on_change), debounce);
  watcher->Begin();
  return std::shared_ptr<ManifestWatcher>(std::move(watcher));
}

}  // namespace nga::manifest

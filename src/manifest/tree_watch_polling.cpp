// TreeWatch that compares the tree's file sizes and modification times on a
// timer: the portable backend (util/watch_backend.h).
//
// Why polling: it needs only std::filesystem, so it behaves the same on every
// OS, and the Linux suite can run it. The manifest is not latency-critical (a
// new component is named in the overlay a moment after it is saved; the
// watcher debounces for 100 ms anyway), so 300 ms between walks is plenty. A
// walk stats only what the manifest reads (skipped directories such as
// node_modules are not entered): a few hundred stats for a usual app.
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <map>
#include <system_error>

#include "manifest/manifest_index.h"
#include "manifest/tree_watch.h"

namespace nga::manifest {
namespace {

namespace asio = boost::asio;
namespace fs = std::filesystem;

constexpr std::chrono::milliseconds kInterval{300};

struct FileState {
  fs::file_time_type modified;
  std::uintmax_t size;
  bool operator==(const FileState&) const = default;
};
using Snapshot = std::map<fs::path, FileState>;

// Every scanned file under `dir`, as the manifest index would read it.
void Walk(const fs::path& dir, Snapshot& snapshot) {
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::error_code type_ec;
    if (it->is_symlink(type_ec)) continue;
    auto name = it->path().filename().string();
    if (it->is_directory(type_ec)) {
      if (!IsSkippedDirectory(name)) Walk(it->path(), snapshot);
    } else if (IsScannedFile(name)) {
      std::error_code stat_ec;
      auto modified = it->last_write_time(stat_ec);
      auto size = it->file_size(stat_ec);
      if (!stat_ec) snapshot[it->path()] = FileState{modified, size};
    }
  }
}

class PollingTreeWatch final : public TreeWatch {
 public:
  PollingTreeWatch(asio::any_io_executor executor, fs::path root)
      : timer_(executor), root_(std::move(root)) {}

  void Start(OnChanges on_changes) override {
    on_changes_ = std::move(on_changes);
    Walk(root_, last_);
    Schedule();
  }

  void Stop() override {
    if (stopped_) return;
    stopped_ = true;
    timer_.cancel();
    on_changes_ = nullptr;
  }

 private:
  void Schedule() {
    timer_.expires_after(kInterval);
    timer_.async_wait([this](boost::system::error_code ec) {
      if (ec || stopped_) return;
      Compare();
      if (!stopped_) Schedule();
    });
  }

  void Compare() {
    Snapshot now;
    Walk(root_, now);
    TreeChanges changes;
    for (const auto& [path, state] : now) {
      auto before = last_.find(path);
      if (before == last_.end() || !(before->second == state)) changes.files.insert(path);
    }
    for (const auto& [path, state] : last_) {
      if (!now.count(path)) changes.files.insert(path);  // gone
    }
    last_ = std::move(now);
    if (!changes.empty() && on_changes_) on_changes_(std::move(changes));
  }

  asio::steady_timer timer_;
  fs::path root_;
  OnChanges on_changes_;
  Snapshot last_;
  bool stopped_ = false;
};

}  // namespace

Result<std::unique_ptr<TreeWatch>> OpenPollingTreeWatch(asio::any_io_executor executor,
                                                        const fs::path& root) {
  return std::unique_ptr<TreeWatch>(std::make_unique<PollingTreeWatch>(std::move(executor), root));
}

}  // namespace nga::manifest

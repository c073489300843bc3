// ChangeWatcher that reads the notify file's stamp on a timer: the portable
// backend (util/watch_backend.h).
//
// Why polling the stamp, of the portable ways measured or considered:
// - it needs nothing but a file both sides already have, works the same on
//   every OS and filesystem, and costs one 8-byte read per tick;
// - SQLite's PRAGMA data_version would say the same, but per connection and
//   through a query: a watcher would need a connection of its own;
// - a loopback-socket doorbell would wake faster, but each writer would have
//   to find every watcher (a registry of ports, stale entries, firewalls on
//   Windows), more moving parts than a wake-up is worth here.
// The interval adapts: 1 ms right after a change (a burst, a reply that
// follows a create), doubling on each quiet tick to 25 ms, so an idle process
// wakes 40 times a second and a new annotation is seen within 25 ms.
#include <boost/asio/steady_timer.hpp>
#include <optional>
#include <thread>

#include "store/change_watcher.h"

namespace nga {
namespace {

constexpr std::chrono::milliseconds kFastest{1};
constexpr std::chrono::milliseconds kSlowest{25};

class PollingChangeWatcher final : public ChangeWatcher {
 public:
  PollingChangeWatcher(NotifyFile file, std::filesystem::path path)
      : file_(std::move(file)), path_(std::move(path)), last_(file_.Read()) {}

  void AsyncWait(const boost::asio::any_io_executor& executor, OnChange on_change) override {
    if (!timer_) timer_.emplace(executor);
    cancelled_ = false;
    Poll(std::move(on_change));
  }

  // The flag, not only the timer's cancel: a poll already due when Cancel()
  // comes completes without an error, and would otherwise poll again for
  // ever, keeping a loop that should end (`mcp` after Ctrl+C) running.
  void Cancel() override {
    cancelled_ = true;
    if (timer_) timer_->cancel();
  }

  bool WaitFor(std::chrono::milliseconds timeout) override {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!Changed()) {
      auto now = std::chrono::steady_clock::now();
      if (now >= deadline) return false;
      std::this_thread::sleep_for(
          std::min<std::chrono::steady_clock::duration>(NextInterval(), deadline - now));
    }
    return true;
  }

  bool CheckFile(bool create) override {
    if (!read_failed_ && !file_.IsStale(path_)) return false;
    auto reopened = NotifyFile::Open(path_, create);
    if (!reopened) return false;
    read_failed_ = false;
    file_ = std::move(*reopened);
    last_ = file_.Read();
    ++rearms_;
    return true;
  }

  int rearm_count() const override { return rearms_; }

 private:
  void Poll(OnChange on_change) {
    timer_->expires_after(NextInterval());
    timer_->async_wait(
        [this, on_change = std::move(on_change)](boost::system::error_code ec) mutable {
          if (ec || cancelled_) return;
          if (Changed()) {
            on_change();
          } else {
            Poll(std::move(on_change));
          }
        });
  }

  // True when the stamp differs from the last one seen; then the next
  // interval is the fastest again.
  bool Changed() {
    auto stamp = file_.Read();
    if (!stamp) read_failed_ = true;
    if (stamp == last_) return false;
    last_ = stamp;
    interval_ = kFastest;
    return true;
  }

  std::chrono::milliseconds NextInterval() {
    auto interval = interval_;
    interval_ = std::min(interval_ * 2, kSlowest);
    return interval;
  }

  NotifyFile file_;
  std::filesystem::path path_;
  std::optional<std::uint64_t> last_;
  std::chrono::milliseconds interval_ = kFastest;
  std::optional<boost::asio::steady_timer> timer_;
  bool cancelled_ = false;
  int rearms_ = 0;
  // A read found no file since the last (re)open: it was deleted, whatever
  // is at the path now. On Windows, where each read opens the path, that is
  // how a deletion shows when the new file took the old one's id (under
  // Wine, a file's id is its inode number, which Linux reuses at once).
  bool read_failed_ = false;
};

}  // namespace

Result<std::unique_ptr<ChangeWatcher>> OpenPollingChangeWatcher(const std::filesystem::path& file) {
  auto opened = NotifyFile::Open(file, /*create=*/true);
  if (!opened) return opened.error();
  return std::unique_ptr<ChangeWatcher>(
      std::make_unique<PollingChangeWatcher>(std::move(*opened), file));
}

}  // namespace nga

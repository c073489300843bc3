#include "store/change_feed.h"

#include <fmt/format.h>

#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <map>

#include "store/change_watcher.h"
#include "store/pg_change_feed.h"

namespace nga {

namespace {

constexpr std::chrono::milliseconds kSafetyInterval{3000};

class WatchedChangeFeed final : public ChangeFeed,
                                public std::enable_shared_from_this<WatchedChangeFeed> {
 public:
  WatchedChangeFeed(boost::asio::any_io_executor executor, Store& store,
                    std::unique_ptr<ChangeWatcher> watcher, std::int64_t start)
      : store_(store),
        watcher_(std::move(watcher)),
        executor_(executor),
        timer_(executor),
        delivery_(store, start) {}

  ListenerId Subscribe(Listener listener) override {
    return delivery_.Subscribe(std::move(listener));
  }
  void Unsubscribe(ListenerId id) override { delivery_.Unsubscribe(id); }

  void Check() override {
    if (!stopped_) delivery_.Deliver();
  }

  std::int64_t last_sequence() const override { return delivery_.last_sequence(); }

  void Stop() override {
    if (stopped_) return;
    stopped_ = true;
    watcher_->Cancel();
    timer_.cancel();
    delivery_.Clear();
  }

  void Wait() {
    watcher_->AsyncWait(executor_, [self = shared_from_this()] {
      if (self->stopped_) return;
      self->NoteRearm();
      self->Check();
      self->Wait();
    });
  }

  // The safety net: whatever happened to the signal, a change is seen within
  // one tick, and a deleted notify file is recreated and watched again.
  void Tick() {
    timer_.expires_after(kSafetyInterval);
    timer_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
      if (ec || self->stopped_) return;
      self->watcher_->CheckFile(true);
      self->NoteRearm();
      std::int64_t before = self->last_sequence();
      self->Check();
      if (self->last_sequence() != before && !self->warned_missed_) {
        self->warned_missed_ = true;
        fmt::print(stderr,
                   "ng-annotate: the change feed found changes its signal did not report; "
                   "re-checking every {} s\n",
                   std::chrono::duration_cast<std::chrono::seconds>(kSafetyInterval).count());
      }
      self->Tick();
    });
  }

  // Logs, once, that the notify file had to be recreated.
  void NoteRearm() {
    if (watcher_->rearm_count() == 0 || warned_rearm_) return;
    warned_rearm_ = true;
    fmt::print(stderr,
               "ng-annotate: {} was deleted or replaced; recreated it and watching it again\n",
               NotifyFileFor(store_.path()).string());
  }

 private:
  Store& store_;
  std::unique_ptr<ChangeWatcher> watcher_;
  boost::asio::any_io_executor executor_;
  boost::asio::steady_timer timer_;
  bool warned_rearm_ = false;
  bool warned_missed_ = false;
  EventDelivery delivery_;
  bool stopped_ = false;
};

// Events read per query. (A row of a type this binary doesn't know is left
// out of a read, so a full read may come back a little short; the next
// wake-up or the safety tick reads on from there.)
constexpr std::size_t kEventsPerRead = 10000;

}  // namespace

ChangeFeed::ListenerId EventDelivery::Subscribe(ChangeFeed::Listener listener) {
  ChangeFeed::ListenerId id = next_id_++;
  listeners_.emplace(id, std::move(listener));
  return id;
}

void EventDelivery::Deliver() {
  // An open batch (group commit) is not committed yet: its events must not
  // be announced.
  if (store_.in_batch()) return;
  // Loop: a burst may hold more events than one read returns. A read that
  // came back short was the end: reading again would only cost one more
  // query (a read transaction) on every wake-up of the pickup path.
  while (true) {
    auto events = store_.EventsSince(last_seq_, kEventsPerRead);
    if (!events || events->empty()) return;
    last_seq_ = events->back().seq;
    bool more = events->size() >= kEventsPerRead;
    // Copy: a listener may subscribe or unsubscribe while being called.
    auto listeners = listeners_;
    for (auto& [id, listener] : listeners) {
      if (listeners_.count(id)) listener(*events);
    }
    if (!more) return;
  }
}

Result<std::shared_ptr<ChangeFeed>> ChangeFeed::Start(boost::asio::any_io_executor executor,
                                                      Store& store) {
  // A PostgreSQL store has no file to watch: its feed is LISTEN/NOTIFY.
  if (!store.postgres_url().empty()) return StartPostgresChangeFeed(std::move(executor), store);
  auto watcher = ChangeWatcher::Open(store.path());
  if (!watcher) return watcher.error();
  auto start = store.LatestSequence();
  if (!start) return start.error();
  auto feed =
      std::make_shared<WatchedChangeFeed>(std::move(executor), store, std::move(*watcher), *start);
  feed->Wait();
  feed->Tick();
  return std::shared_ptr<ChangeFeed>(feed);
}

}  // namespace nga

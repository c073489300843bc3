#include "store/pg_change_feed.h"

// The Windows build has no PostgreSQL store (libpq_loader.cpp says why), so
// no feed either: it waits on libpq's socket as a POSIX descriptor.
#if !defined(_WIN32)

#include <fmt/format.h>
#include <unistd.h>

#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <map>
#include <optional>

#include "store/pg.h"
#include "store/pg_store.h"

namespace nga {

namespace {

constexpr std::chrono::milliseconds kSafetyInterval{3000};
constexpr std::chrono::milliseconds kFirstRetryDelay{100};
constexpr std::size_t kEventsPerRead = 10000;

class PostgresChangeFeed final : public ChangeFeed,
                                 public std::enable_shared_from_this<PostgresChangeFeed> {
 public:
  PostgresChangeFeed(boost::asio::any_io_executor executor, Store& store, pg::Connection listener)
      : executor_(executor),
        store_(store),
        listener_(std::move(listener)),
        safety_(executor),
        retry_(executor) {}

  void StartFrom(std::int64_t seq) { last_seq_ = seq; }

  ListenerId Subscribe(Listener listener) override {
    ListenerId id = next_id_++;
    listeners_.emplace(id, std::move(listener));
    return id;
  }

  void Unsubscribe(ListenerId id) override { listeners_.erase(id); }

  void Check() override {
    if (stopped_ || store_.in_batch()) return;
    while (true) {
      auto events = store_.EventsSince(last_seq_, kEventsPerRead);
      if (!events || events->empty()) return;
      last_seq_ = events->back().seq;
      bool more = events->size() >= kEventsPerRead;
      auto listeners = listeners_;
      for (auto& [id, listener] : listeners) {
        if (listeners_.count(id)) listener(*events);
      }
      if (!more) return;
    }
  }

  std::int64_t last_sequence() const override { return last_seq_; }

  void Stop() override {
    if (stopped_) return;
    stopped_ = true;
    CloseDescriptor();
    safety_.cancel();
    retry_.cancel();
    listeners_.clear();
  }

  // LISTENs on the project's channel and waits for notifications.
  Status Listen() {
    std::string channel = listener_.QuoteIdentifier(ChannelFor(store_.project()));
    if (auto ok = listener_.Exec("LISTEN " + channel); !ok) return ok;
    CloseDescriptor();
    int fd = listener_.lib().socket(listener_.raw());
    if (fd < 0)
      return MakeError(ErrorCode::kStorage, "store: the PostgreSQL listener has no socket");
    // A duplicate, so Asio may own and close its copy; libpq keeps its own.
    descriptor_.emplace(executor_, dup(fd));
    Wait();
    return Ok{};
  }

  void Wait() {
    descriptor_->async_wait(boost::asio::posix::stream_descriptor::wait_read,
                            [self = shared_from_this()](boost::system::error_code ec) {
                              if (ec || self->stopped_) return;
                              if (!self->Drain()) {
                                self->Lost();
                                return;
                              }
                              self->Check();
                              self->Wait();
                            });
  }

  // Reads what arrived on the listening connection; false when it is lost.
  bool Drain() {
    const auto& lib = listener_.lib();
    if (lib.consumeInput(listener_.raw()) == 0) return false;
    while (PGnotify* note = lib.notifies(listener_.raw())) lib.freemem(note);
    return listener_.connected();
  }

  // The listening connection dropped: say so once per outage and reconnect.
  void Lost() {
    CloseDescriptor();
    if (!outage_) {
      outage_ = true;
      fmt::print(stderr,
                 "ng-annotate: lost the PostgreSQL change feed connection; reconnecting (changes "
                 "are caught up from sequence {} once it is back)\n",
                 last_seq_);
    }
    Retry(kFirstRetryDelay);
  }

  void Retry(std::chrono::milliseconds delay) {
    retry_.expires_after(delay);
    retry_.async_wait([self = shared_from_this(), delay](boost::system::error_code ec) {
      if (ec || self->stopped_) return;
      if (!self->listener_.EnsureConnected() || !self->Listen()) {
        self->Retry(std::min(delay * 2, kMaxRetryDelay));
        return;
      }
      fmt::print(stderr, "ng-annotate: the PostgreSQL change feed is back\n");
      self->outage_ = false;
      self->Check();  // catch up on what committed while it was away
    });
  }

  // The safety net: whatever happened to a notification, a change is seen
  // within one tick.
  void Tick() {
    safety_.expires_after(kSafetyInterval);
    safety_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
      if (ec || self->stopped_) return;
      self->Check();
      self->Tick();
    });
  }

 private:
  void CloseDescriptor() {
    if (!descriptor_) return;
    boost::system::error_code ignored;
    descriptor_->cancel(ignored);
    descriptor_->close(ignored);
    descriptor_.reset();
  }

  boost::asio::any_io_executor executor_;
  Store& store_;
  pg::Connection listener_;
  std::optional<boost::asio::posix::stream_descriptor> descriptor_;
  boost::asio::steady_timer safety_;
  boost::asio::steady_timer retry_;
  std::int64_t last_seq_ = 0;
  std::map<ListenerId, Listener> listeners_;
  ListenerId next_id_ = 1;
  bool stopped_ = false;
  bool outage_ = false;
};

}  // namespace

Result<std::shared_ptr<ChangeFeed>> StartPostgresChangeFeed(boost::asio::any_io_executor executor,
                                                            Store& store) {
  auto listener = pg::Connection::Open(store.postgres_url());
  if (!listener) return listener.error();
  auto feed = std::make_shared<PostgresChangeFeed>(executor, store, std::move(*listener));
  // LISTEN first, then read where the log stands: a commit in between is
  // both notified and already counted, never missed.
  if (auto ok = feed->Listen(); !ok) return ok.error();
  auto start = store.LatestSequence();
  if (!start) return start.error();
  feed->StartFrom(*start);
  feed->Tick();
  return std::shared_ptr<ChangeFeed>(feed);
}

}  // namespace nga

#else  // _WIN32

namespace nga {

Result<std::shared_ptr<ChangeFeed>> StartPostgresChangeFeed(boost::asio::any_io_executor, Store&) {
  return MakeError(ErrorCode::kStorage, "PostgreSQL stores are not in the Windows build");
}

}  // namespace nga

#endif  // _WIN32

#include "store/pg_change_feed.h"

// The Windows build has no PostgreSQL store (libpq_loader.cpp says why), so
// no feed either: it waits on libpq's socket as a POSIX descriptor.
#if !defined(_WIN32)

#include <fmt/format.h>
#include <unistd.h>

#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdint>
#include <optional>
#include <utility>

#include "store/pg.h"
#include "store/pg_store.h"

namespace nga {

namespace {

constexpr std::chrono::milliseconds kSafetyInterval{3000};
constexpr std::chrono::milliseconds kFirstRetryDelay{100};
// How long one reconnect attempt may take (libpq's connect_timeout does not
// bound a connection made without blocking).
constexpr std::chrono::milliseconds kConnectBound{5000};

class PostgresChangeFeed final : public ChangeFeed,
                                 public std::enable_shared_from_this<PostgresChangeFeed> {
 public:
  PostgresChangeFeed(boost::asio::any_io_executor executor, Store& store, pg::Connection listener)
      : executor_(executor),
        store_(store),
        listener_(std::move(listener)),
        safety_(executor),
        retry_(executor),
        delivery_(store, 0) {}

  ~PostgresChangeFeed() override { AbandonAttempt(); }

  void StartFrom(std::int64_t seq) { delivery_.StartFrom(seq); }

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
    CloseDescriptor();
    AbandonAttempt();
    safety_.cancel();
    retry_.cancel();
    delivery_.Clear();
  }

  // LISTENs on the project's channel and waits for notifications.
  Status Listen() {
    std::string channel = listener_.QuoteIdentifier(ChannelFor(store_.project()));
    if (auto ok = listener_.Exec("LISTEN " + channel); !ok) return ok;
    int fd = listener_.lib().socket(listener_.raw());
    if (fd < 0) {
      return MakeError(ErrorCode::kStorage, "store: the PostgreSQL listener has no socket");
    }
    Watch(fd);
    Wait();
    return Ok{};
  }

  // The socket wakes the feed (no timer between a NOTIFY and its delivery):
  // read what arrived, then the delta at once.
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
                 last_sequence());
    }
    Retry(kFirstRetryDelay);
  }

  // Reconnects after `delay`, without blocking the event loop: libpq's
  // non-blocking connect, driven by waits on its socket.
  void Retry(std::chrono::milliseconds delay) {
    next_delay_ = std::min(delay * 2, kMaxRetryDelay);
    retry_.expires_after(delay);
    retry_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
      if (ec || self->stopped_) return;
      self->StartAttempt();
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
  void StartAttempt() {
    const auto& lib = listener_.lib();
    attempt_ = lib.connectStart(listener_.url().c_str());
    if (!attempt_ || lib.status(attempt_) == CONNECTION_BAD) return FailAttempt();
    ++attempt_id_;
    // Bounded: an attempt still running after kConnectBound is given up.
    retry_.expires_after(kConnectBound);
    retry_.async_wait([self = shared_from_this(), id = attempt_id_](boost::system::error_code ec) {
      if (ec || self->stopped_ || id != self->attempt_id_ || !self->attempt_) return;
      self->FailAttempt();
    });
    PollAttempt(PGRES_POLLING_WRITING);
  }

  void PollAttempt(PostgresPollingStatusType want) {
    const auto& lib = listener_.lib();
    if (want == PGRES_POLLING_OK) {
      retry_.cancel();
      listener_.Replace(std::exchange(attempt_, nullptr));
      if (!Listen()) return Lost();
      fmt::print(stderr, "ng-annotate: the PostgreSQL change feed is back\n");
      outage_ = false;
      Check();  // catch up on what committed while it was away
      return;
    }
    if (want == PGRES_POLLING_FAILED) return FailAttempt();
    // libpq may move to another socket (another address): watch the current one.
    int fd = lib.socket(attempt_);
    if (fd < 0) return FailAttempt();
    Watch(fd);
    auto wait = want == PGRES_POLLING_READING ? boost::asio::posix::stream_descriptor::wait_read
                                              : boost::asio::posix::stream_descriptor::wait_write;
    descriptor_->async_wait(
        wait, [self = shared_from_this(), id = attempt_id_](boost::system::error_code ec) {
          if (ec || self->stopped_ || id != self->attempt_id_ || !self->attempt_) return;
          self->PollAttempt(self->listener_.lib().connectPoll(self->attempt_));
        });
  }

  void FailAttempt() {
    AbandonAttempt();
    CloseDescriptor();
    Retry(next_delay_);
  }

  void AbandonAttempt() {
    ++attempt_id_;
    if (attempt_) listener_.lib().finish(std::exchange(attempt_, nullptr));
  }

  // Waits on a duplicate of libpq's socket, so Asio may own and close its
  // copy; libpq keeps its own.
  void Watch(int fd) {
    CloseDescriptor();
    descriptor_.emplace(executor_, dup(fd));
  }

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
  EventDelivery delivery_;
  // A reconnect in progress (owned until it succeeds or is abandoned).
  PGconn* attempt_ = nullptr;
  std::uint64_t attempt_id_ = 0;
  std::chrono::milliseconds next_delay_ = kFirstRetryDelay;
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

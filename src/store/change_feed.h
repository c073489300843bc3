// The store's change feed on an Asio event loop: listeners get every new
// event (from this process or any other writing the same store) within
// microseconds of the commit, by way of a ChangeWatcher (inotify on Linux, a
// polled stamp elsewhere: see change_watcher.h).
//
// Thread rules: create, use and destroy it on the thread that runs `executor`
// and that owns `store`. Listeners run on that thread.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <vector>

#include "store/store.h"
#include "util/result.h"

namespace nga {

class ChangeFeed {
 public:
  using Listener = std::function<void(const std::vector<Event>& events)>;
  using ListenerId = std::uint64_t;

  // Starts watching store's file from its current newest sequence number.
  // `store` must outlive the feed.
  static Result<std::shared_ptr<ChangeFeed>> Start(boost::asio::any_io_executor executor,
                                                   Store& store);
  virtual ~ChangeFeed() = default;

  // Listeners are called with each batch of new events, in order.
  virtual ListenerId Subscribe(Listener listener) = 0;
  virtual void Unsubscribe(ListenerId id) = 0;

  // Reads and delivers new events now. Call it right after a write made by
  // this process to skip the (tiny) watcher hop; harmless when nothing is new.
  // Does nothing while the store has a batch open (see WriteQueue, whose
  // commit calls it).
  virtual void Check() = 0;

  // The newest sequence number delivered so far.
  virtual std::int64_t last_sequence() const = 0;

  // Stops watching; pending waits are cancelled. Idempotent.
  virtual void Stop() = 0;
};

// What every feed does once woken (by a file watcher or a NOTIFY): reads the
// events after the last one delivered and hands them to the listeners. Both
// feeds hold one; they differ only in what wakes them.
class EventDelivery {
 public:
  EventDelivery(Store& store, std::int64_t start) : store_(store), last_seq_(start) {}

  ChangeFeed::ListenerId Subscribe(ChangeFeed::Listener listener);
  void Unsubscribe(ChangeFeed::ListenerId id) { listeners_.erase(id); }
  void Clear() { listeners_.clear(); }

  // Reads and delivers new events; nothing while the store has a batch open
  // (not committed yet: the batch's commit calls the feed's Check again).
  void Deliver();

  std::int64_t last_sequence() const { return last_seq_; }
  void StartFrom(std::int64_t seq) { last_seq_ = seq; }

 private:
  Store& store_;
  std::int64_t last_seq_;
  std::map<ChangeFeed::ListenerId, ChangeFeed::Listener> listeners_;
  ChangeFeed::ListenerId next_id_ = 1;
};

}  // namespace nga

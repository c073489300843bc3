// An event-driven wait on the store: "answer when this becomes true, or give
// up at the deadline". No polling: the condition is re-checked only after the
// change feed reports a relevant event (from this process or any other).
//
// Lost wake-ups cannot happen: the first check and the subscription happen in
// one step on the feed's thread, and any commit after that check reaches the
// feed afterwards.
#pragma once

#include <boost/asio/steady_timer.hpp>
#include <boost/json/object.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>

#include "mcp/services.h"

namespace nga::mcp {

class FeedWait : public std::enable_shared_from_this<FeedWait> {
 public:
  struct Spec {
    std::chrono::milliseconds timeout{0};
    // Which events may change the answer. Others do not cost a check.
    std::function<bool(const Event&)> relevant;
    // The answer when there is one yet.
    std::function<std::optional<boost::json::object>()> check;
    // The answer at the deadline.
    std::function<boost::json::object()> on_timeout;
    // Called every Services::heartbeat_interval while waiting.
    std::function<void()> on_tick;
  };
  // Called exactly once: with the answer, or with nullopt when cancelled.
  using Done = std::function<void(std::optional<boost::json::object>)>;

  // Checks at once; if there is an answer (or timeout is 0) calls done before
  // returning and returns nullptr. Otherwise returns the wait in progress,
  // which keeps itself alive until it calls done.
  static std::shared_ptr<FeedWait> Start(Services& services, Spec spec, Done done);

  // Ends the wait now; done(nullopt). Harmless once finished.
  void Cancel();

  ~FeedWait();

 private:
  FeedWait(Services& services, Spec spec, Done done);
  void Arm();
  void OnEvents(const std::vector<Event>& events);
  void Recheck();
  void ArmTick();
  void Finish(std::optional<boost::json::object> result);

  Services& services_;
  Spec spec_;
  Done done_;
  boost::asio::steady_timer deadline_;
  boost::asio::steady_timer tick_;
  std::optional<ChangeFeed::ListenerId> listener_;
  bool recheck_posted_ = false;
  bool finished_ = false;
};

}  // namespace nga::mcp

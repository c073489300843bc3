#include "mcp/feed_wait.h"

#include <boost/asio/post.hpp>

namespace nga::mcp {

namespace json = boost::json;

FeedWait::FeedWait(Services& services, Spec spec, Done done)
    : services_(services),
      spec_(std::move(spec)),
      done_(std::move(done)),
      deadline_(services.executor),
      tick_(services.executor) {}

FeedWait::~FeedWait() {
  if (listener_) services_.feed.Unsubscribe(*listener_);
}

std::shared_ptr<FeedWait> FeedWait::Start(Services& services, Spec spec, Done done) {
  if (auto answer = spec.check()) {
    done(std::move(answer));
    return nullptr;
  }
  if (spec.timeout.count() <= 0) {
    done(spec.on_timeout());
    return nullptr;
  }
  std::shared_ptr<FeedWait> wait(new FeedWait(services, std::move(spec), std::move(done)));
  wait->Arm();
  return wait;
}

void FeedWait::Arm() {
  std::weak_ptr<FeedWait> weak = weak_from_this();
  listener_ = services_.feed.Subscribe([weak](const std::vector<Event>& events) {
    if (auto self = weak.lock()) self->OnEvents(events);
  });
  deadline_.expires_after(spec_.timeout);
  deadline_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
    if (ec || self->finished_) return;
    self->Finish(self->spec_.on_timeout());
  });
  ArmTick();
}

void FeedWait::ArmTick() {
  if (!spec_.on_tick) return;
  tick_.expires_after(services_.heartbeat_interval);
  tick_.async_wait([weak = weak_from_this()](boost::system::error_code ec) {
    auto self = weak.lock();
    if (ec || !self || self->finished_) return;
    self->spec_.on_tick();
    self->ArmTick();
  });
}

// Runs inside the feed's delivery: only note the need for a check, and make
// it from a fresh handler so that the feed's listener list is never changed
// while it is being walked.
void FeedWait::OnEvents(const std::vector<Event>& events) {
  if (finished_ || recheck_posted_) return;
  bool relevant = false;
  for (const Event& event : events) {
    if (!spec_.relevant || spec_.relevant(event)) {
      relevant = true;
      break;
    }
  }
  if (!relevant) return;
  recheck_posted_ = true;
  boost::asio::post(services_.executor, [self = shared_from_this()] { self->Recheck(); });
}

void FeedWait::Recheck() {
  recheck_posted_ = false;
  if (finished_) return;
  if (auto answer = spec_.check()) Finish(std::move(answer));
}

void FeedWait::Cancel() {
  if (!finished_) Finish(std::nullopt);
}

void FeedWait::Finish(std::optional<json::object> result) {
  finished_ = true;
  deadline_.cancel();
  tick_.cancel();
  if (listener_) {
    services_.feed.Unsubscribe(*listener_);
    listener_.reset();
  }
  Done done = std::move(done_);
  done_ = nullptr;
  if (done) done(std::move(result));
}

}  // namespace nga::mcp

#include "store/write_queue.h"

#include <boost/asio/post.hpp>
#include <utility>

namespace nga {

WriteQueue::WriteQueue(boost::asio::any_io_executor executor, Store& store,
                       WriteQueueOptions options)
    : executor_(std::move(executor)),
      store_(store),
      options_(options),
      self_(std::make_shared<WriteQueue*>(this)) {}

WriteQueue::~WriteQueue() {
  *self_ = nullptr;
  Flush();
}

void WriteQueue::OnCommit(std::function<void()> listener) {
  listeners_.push_back(std::move(listener));
}

void WriteQueue::Submit(Change change) {
  if (!store_.in_batch()) {
    if (auto begun = store_.BeginBatch(); !begun) {
      // Not batched: the change's own transactions commit as it runs.
      AfterCommit after = change();
      if (after) after(Ok{});
      for (auto& listener : listeners_) listener();
      return;
    }
  }
  after_.push_back(change());
  if (after_.size() >= options_.max_changes) return Flush();
  Schedule();
}

void WriteQueue::Schedule() {
  if (scheduled_) return;
  scheduled_ = true;
  boost::asio::post(executor_, [self = self_] {
    if (*self) (*self)->OnIdleCheck();
  });
}

void WriteQueue::OnIdleCheck() {
  scheduled_ = false;
  if (!store_.in_batch()) return;  // flushed meanwhile
  // Changes arrived since the last look (always true at the first): the
  // handlers queued behind this one may bring more, so wait one more round.
  if (after_.size() != seen_) {
    seen_ = after_.size();
    quiet_ = 0;
    return Schedule();
  }
  if (++quiet_ < options_.quiet_rounds) return Schedule();
  Flush();
}

void WriteQueue::Flush() {
  if (!store_.in_batch()) return;
  Status committed = store_.CommitBatch();
  ++batches_;
  std::vector<AfterCommit> after = std::exchange(after_, {});
  seen_ = 0;
  quiet_ = 0;
  // Replies first: a listener (the change feed) then finds the changes
  // already shown and sends nothing twice.
  for (auto& done : after) {
    if (done) done(committed);
  }
  if (committed) {
    for (auto& listener : listeners_) listener();
  }
}

}  // namespace nga

// Group commit for one process's Store: every change submitted while the
// event loop is busy goes into one transaction, and what each change wants to
// send (its reply, its pushes) is held back until that transaction commits.
//
//   queue.Submit([&]() -> WriteQueue::AfterCommit {
//     auto created = store.CreateAnnotation(session, payload);  // joins the batch
//     return [created](const Status& committed) { ...reply... };
//   });
//
// * A change runs at once, inside the open batch (one is opened if none is),
//   under its own savepoint (see Store::BeginBatch): if it fails, only its
//   writes are rolled back, and its AfterCommit reports its own error.
// * The batch commits when the loop has gone once round its ready handlers
//   without a new change arriving (so a burst of frames already read from a
//   socket lands in one transaction, and a lone change waits only for the
//   handlers already queued), or at once when it holds max_changes, or when
//   Flush() is called.
// * After the commit every AfterCommit runs, in submission order (replies to
//   one connection keep the order its messages came in), then the listeners
//   (e.g. the change feed's Check, which then finds this process's own
//   changes already shown). If the commit itself fails, every AfterCommit of
//   the batch gets that error; nothing of it was stored.
//
// Thread rules: like the Store's: one thread, the one that runs `executor`.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <cstddef>
#include <functional>
#include <memory>
#include <vector>

#include "store/store.h"
#include "util/result.h"

namespace nga {

struct WriteQueueOptions {
  // A batch holding this many changes commits at once.
  std::size_t max_changes = 2000;
  // Rounds of the loop's ready handlers without a new change before the
  // batch commits. Each round also polls the sockets once, so a client still
  // sending has that many chances to add to the batch.
  int quiet_rounds = 3;
};

class WriteQueue {
 public:
  using AfterCommit = std::function<void(const Status& committed)>;
  using Change = std::function<AfterCommit()>;

  // `store` must outlive the queue.
  WriteQueue(boost::asio::any_io_executor executor, Store& store, WriteQueueOptions options = {});
  ~WriteQueue();
  WriteQueue(const WriteQueue&) = delete;
  WriteQueue& operator=(const WriteQueue&) = delete;

  // Runs `change` now, in the batch; its AfterCommit (may be empty) runs
  // after the commit. If no batch can be opened (another process held the
  // write lock past the busy timeout), `change` runs on its own, each write
  // its own transaction as without a queue, and its AfterCommit runs at once.
  void Submit(Change change);

  // Commits the open batch now and runs its AfterCommits. No-op when none.
  void Flush();

  // Called after each commit, after the batch's AfterCommits.
  void OnCommit(std::function<void()> listener);

  // Changes in the open batch (0 when none is open).
  std::size_t pending() const { return after_.size(); }
  // Batches committed so far (for tests and the bench).
  std::size_t batches_committed() const { return batches_; }

 private:
  void Schedule();
  void OnIdleCheck();

  boost::asio::any_io_executor executor_;
  Store& store_;
  WriteQueueOptions options_;
  std::vector<AfterCommit> after_;
  std::vector<std::function<void()>> listeners_;
  std::size_t seen_ = 0;  // after_.size() at the last idle check of this batch
  int quiet_ = 0;         // consecutive idle checks that found nothing new
  bool scheduled_ = false;
  std::size_t batches_ = 0;
  // Lets a posted idle check outlive the queue harmlessly.
  std::shared_ptr<WriteQueue*> self_;
};

}  // namespace nga

// Each ChangeWatcher backend against a real notify file: a writer's stamp
// wakes it, a cancelled wait stays silent, and a deleted notify file is
// followed. Both backends run here on Linux (the portable one is what macOS
// and Windows ship), so neither can drift.
#include "store/change_watcher.h"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <thread>

#include "test_util.h"

namespace nga {
namespace {

using namespace std::chrono_literals;
using testing::TempDir;

class ChangeWatcherTest : public ::testing::TestWithParam<WatchBackend> {
 protected:
  void SetUp() override { std::filesystem::create_directories(db_file_.parent_path()); }

  std::unique_ptr<ChangeWatcher> OpenWatcher() {
    auto watcher = ChangeWatcher::Open(db_file_, GetParam());
    EXPECT_TRUE(watcher) << watcher.error().message;
    return watcher ? std::move(*watcher) : nullptr;
  }

  // Drains what is queued already (e.g. the events of a deletion), bounded.
  static void Settle(ChangeWatcher& watcher) {
    for (int i = 0; i < 20 && watcher.WaitFor(50ms); ++i) {
    }
  }

  TempDir dir_;
  std::filesystem::path db_file_ = dir_.path() / ".ng-annotate" / "store.db";
};

TEST_P(ChangeWatcherTest, AsyncWaitWakesWhenAWriterNotifies) {
  auto watcher = OpenWatcher();
  ASSERT_TRUE(watcher);
  auto signal = ChangeSignal::Open(db_file_);
  ASSERT_TRUE(signal) << signal.error().message;
  boost::asio::io_context io;
  int calls = 0;
  watcher->AsyncWait(io.get_executor(), [&] { ++calls; });
  signal->Notify();
  auto give_up = std::chrono::steady_clock::now() + 10s;
  while (calls == 0 && std::chrono::steady_clock::now() < give_up) io.run_one_for(100ms);
  EXPECT_EQ(calls, 1);
  // Woken again by the next commit: each wait is one-shot and re-armable.
  io.restart();  // it ran out of work after the first wake-up
  watcher->AsyncWait(io.get_executor(), [&] { ++calls; });
  signal->Notify();
  while (calls == 1 && std::chrono::steady_clock::now() < give_up) io.run_one_for(100ms);
  EXPECT_EQ(calls, 2);
}

TEST_P(ChangeWatcherTest, EveryNotifyOfOneWriterIsSeen) {
  // A poller compares stamps: the same writer must never write the same one twice.
  auto watcher = OpenWatcher();
  ASSERT_TRUE(watcher);
  auto signal = ChangeSignal::Open(db_file_);
  ASSERT_TRUE(signal);
  for (int i = 0; i < 20; ++i) {
    signal->Notify();
    ASSERT_TRUE(watcher->WaitFor(10s)) << "notify " << i << " was not seen";
  }
}

TEST_P(ChangeWatcherTest, ACancelledWaitIsNeverCalled) {
  auto watcher = OpenWatcher();
  ASSERT_TRUE(watcher);
  auto signal = ChangeSignal::Open(db_file_);
  ASSERT_TRUE(signal);
  boost::asio::io_context io;
  bool called = false;
  watcher->AsyncWait(io.get_executor(), [&] { called = true; });
  watcher->Cancel();
  signal->Notify();
  io.run_for(500ms);  // returns as soon as the cancelled wait has completed
  EXPECT_FALSE(called);
}

// A Cancel() that comes when the wait's poll is already due (its completion
// queued in the same turn of the loop) still ends the wait: the loop runs out
// of work. The polling backend re-armed itself there and polled for ever,
// so `ng-annotate mcp` never exited after a Ctrl+C under Wine (about one
// time in three).
TEST_P(ChangeWatcherTest, ACancelThatComesWithADuePollEndsTheWait) {
  auto watcher = OpenWatcher();
  ASSERT_TRUE(watcher);
  Settle(*watcher);  // inotify: the events of opening, which would wake it first
  boost::asio::io_context io;
  // Due before the watcher's first poll: the loop runs it first, with the
  // poll's completion already taken from the timer queue.
  boost::asio::steady_timer canceller(io, std::chrono::steady_clock::now());
  canceller.async_wait([&](boost::system::error_code) { watcher->Cancel(); });
  bool called = false;
  watcher->AsyncWait(io.get_executor(), [&] { called = true; });
  std::this_thread::sleep_for(100ms);  // both are due now
  io.run_for(2s);
  EXPECT_TRUE(io.stopped()) << "the cancelled wait still keeps the loop busy";
  EXPECT_FALSE(called);
}

TEST_P(ChangeWatcherTest, FollowsANotifyFileThatWasDeleted) {
  auto watcher = OpenWatcher();
  ASSERT_TRUE(watcher);
  auto signal = ChangeSignal::Open(db_file_);
  ASSERT_TRUE(signal);
  std::filesystem::remove(NotifyFileFor(db_file_));
  EXPECT_TRUE(watcher->CheckFile(/*create=*/true));
  EXPECT_TRUE(std::filesystem::exists(NotifyFileFor(db_file_)));
  EXPECT_EQ(watcher->rearm_count(), 1);
  EXPECT_FALSE(watcher->CheckFile(/*create=*/true)) << "re-armed on the same file twice";
  Settle(*watcher);
  // The signal still holds the deleted file: it must notice and stamp the new one.
  signal->Notify();
  EXPECT_TRUE(watcher->WaitFor(10s));
}

// A process that starts after the notify file was deleted (a new `mcp` once
// `rmdir /s .ng-annotate` took what it could) opens its signal while the
// running ones still have theirs, and wakes them. On Windows a deleted file
// that is still open keeps its name and cannot be created again until the
// last handle closes ("delete pending"): had the running processes kept it
// open, the new one would have failed with "Access is denied". Wine opens
// the pending file again instead of refusing, so that cannot show there;
// what Wine shows is FollowsANotifyFileThatWasDeleted.
TEST_P(ChangeWatcherTest, ANewSignalOpensAfterTheNotifyFileWasDeletedUnderRunningOnes) {
  auto watcher = OpenWatcher();
  ASSERT_TRUE(watcher);
  auto running = ChangeSignal::Open(db_file_);
  ASSERT_TRUE(running) << running.error().message;
  running->Notify();
  Settle(*watcher);
  std::filesystem::remove(NotifyFileFor(db_file_));
  auto started_later = ChangeSignal::Open(db_file_);
  ASSERT_TRUE(started_later) << started_later.error().message;
  watcher->CheckFile(/*create=*/true);  // what the feed's safety tick does
  Settle(*watcher);
  started_later->Notify();
  EXPECT_TRUE(watcher->WaitFor(10s)) << "the later process's commit woke nobody";
  running->Notify();
  EXPECT_TRUE(watcher->WaitFor(10s)) << "the running process's commit woke nobody";
}

// The notify file deleted, a poll in between, then made again by another
// process before the feed's next check: still seen as a new file (re-armed,
// which the feed logs). On Windows the new file may get the old one's id
// back (under Wine ids are inode numbers, which Linux reuses), so the ids
// alone did not tell: feed-deleted.test.js waited in vain for the log line.
TEST_P(ChangeWatcherTest, NoticesANotifyFileDeletedAndMadeAgainMeanwhile) {
  auto watcher = OpenWatcher();
  ASSERT_TRUE(watcher);
  auto running = ChangeSignal::Open(db_file_);  // serve's own, as in serve
  ASSERT_TRUE(running);
  Settle(*watcher);
  std::filesystem::remove(NotifyFileFor(db_file_));
  watcher->WaitFor(200ms);  // polls (or drains the deletion) meanwhile
  auto started_later = ChangeSignal::Open(db_file_);
  ASSERT_TRUE(started_later) << started_later.error().message;
  watcher->CheckFile(/*create=*/true);  // the feed's safety tick
  Settle(*watcher);
  EXPECT_EQ(watcher->rearm_count(), 1);
  started_later->Notify();
  EXPECT_TRUE(watcher->WaitFor(10s));
}

INSTANTIATE_TEST_SUITE_P(Backends, ChangeWatcherTest,
                         ::testing::ValuesIn(testing::TestWatchBackends()), [](const auto& info) {
                           return info.param == WatchBackend::kNative ? "Native" : "Portable";
                         });

}  // namespace
}  // namespace nga

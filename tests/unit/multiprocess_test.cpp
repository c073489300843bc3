// Several processes on one store at once: nothing lost, nothing corrupted,
// and a watcher in one process hears of another's commit at once.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <csignal>
#include <cstdio>

#include "store/change_feed.h"
#include "store/change_watcher.h"
#include "test_util.h"

namespace nga {
namespace {

using testing::Payload;
using testing::TempDir;

// Runs `body` in a child process; returns its pid. The child exits 0 when the
// body returns true. The child opens its own connections (never inherit one).
template <class Body>
pid_t Fork(Body body) {
  pid_t pid = fork();
  if (pid == 0) _exit(body() ? 0 : 1);
  return pid;
}

int WaitExit(pid_t pid) {
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

std::filesystem::path DbFile(const TempDir& dir) {
  return dir.path() / ".ng-annotate" / "store.db";
}

TEST(MultiProcess, FourWritersLoseNothing) {
  TempDir dir;
  std::string session_id;
  std::vector<std::string> shared;  // annotations every writer races to acknowledge
  {
    auto store = Store::Open(DbFile(dir));
    ASSERT_TRUE(store);
    session_id = (*store)->CreateSession("http://localhost/")->id;
    for (int i = 0; i < 50; ++i) {
      shared.push_back((*store)->CreateAnnotation(session_id, Payload("shared"))->id);
    }
  }
  const int kWriters = 4;
  std::vector<pid_t> children;
  for (int w = 0; w < kWriters; ++w) {
    children.push_back(Fork([&, w] {
      auto opened = Store::Open(DbFile(dir));
      if (!opened) return false;
      Store& store = **opened;
      // 250 writes: 100 creates, 100 replies, 50 status changes.
      std::vector<std::string> mine;
      for (int i = 0; i < 100; ++i) {
        auto a = store.CreateAnnotation(session_id, Payload("w" + std::to_string(w)));
        if (!a) return false;
        mine.push_back(a->id);
      }
      for (int i = 0; i < 100; ++i) {
        if (!store.AddReply(mine[i], Author::kAgent, "r", std::nullopt)) return false;
      }
      for (int i = 0; i < 50; ++i) {
        if (!store.Resolve(mine[i], std::nullopt)) return false;
      }
      // And the race: each shared annotation is acknowledged by one writer only.
      int wins = 0;
      for (const auto& id : shared) {
        auto acked = store.Acknowledge(id, std::nullopt);
        if (acked) {
          ++wins;
        } else if (acked.error().code != ErrorCode::kWrongStatus) {
          return false;
        }
      }
      std::printf("writer %d won %d of %zu acknowledge races\n", w, wins, shared.size());
      std::fflush(stdout);  // _exit skips stdio buffers
      return true;
    }));
  }
  for (pid_t pid : children) EXPECT_EQ(WaitExit(pid), 0);

  auto store = Store::Open(DbFile(dir));
  ASSERT_TRUE(store);
  auto all = (*store)->ListAnnotations({});
  ASSERT_TRUE(all);
  size_t created = 0, replies = 0, resolved = 0, acknowledged = 0;
  for (const auto& a : *all) {
    if (a.annotation_text() != "shared") ++created;
    replies += a.replies.size();
    resolved += a.status == AnnotationStatus::kResolved;
    acknowledged += a.status == AnnotationStatus::kAcknowledged;
  }
  // 4 writers x 250 writes = 1000 results, every one of them kept.
  EXPECT_EQ(created + replies + resolved, 1000u);
  EXPECT_EQ(created, 400u);
  EXPECT_EQ(replies, 400u);
  EXPECT_EQ(resolved, 200u);
  EXPECT_EQ(acknowledged, shared.size());  // exactly one winner each
  // Every acknowledge win is one event; every loss wrote nothing.
  auto events = (*store)->EventsSince(0, 100000);
  ASSERT_TRUE(events);
  EXPECT_EQ(events->size(), 1 + shared.size() + 1000 + shared.size());
  EXPECT_EQ(*(*store)->IntegrityCheck(), "ok");
}

class MultiProcessWake : public ::testing::TestWithParam<WatchBackend> {};

TEST_P(MultiProcessWake, WatcherWakesOnAnotherProcessCommit) {
  TempDir dir;
  std::string session_id;
  std::int64_t start_seq;
  {
    auto store = Store::Open(DbFile(dir));
    ASSERT_TRUE(store);
    session_id = (*store)->CreateSession("u")->id;
    start_seq = *(*store)->LatestSequence();
  }
  int ready[2], report[2];
  ASSERT_EQ(pipe(ready), 0);
  ASSERT_EQ(pipe(report), 0);

  // Process A waits for a change, then reads the delta from the log.
  pid_t watcher = Fork([&] {
    auto store = Store::Open(DbFile(dir));
    auto watch = ChangeWatcher::Open(DbFile(dir), GetParam());
    if (!store || !watch) {
      std::fprintf(stderr, "watcher: %s\n",
                   (!store ? store.error() : watch.error()).message.c_str());
      return false;
    }
    char go = 'r';
    if (write(ready[1], &go, 1) != 1) return false;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < deadline) {
      if (!(*watch)->WaitFor(std::chrono::milliseconds(1000))) continue;
      auto woke = std::chrono::system_clock::now();
      auto events = (*store)->EventsSince(start_seq);
      if (!events || events->empty()) continue;  // a spurious wake-up
      const Event& e = events->front();
      long long woke_us =
          std::chrono::duration_cast<std::chrono::microseconds>(woke.time_since_epoch()).count();
      std::string line = std::string(EventTypeName(e.type)) + " " + e.annotation_id + " " +
                         std::to_string(woke_us) + "\n";
      return write(report[1], line.data(), line.size()) == static_cast<ssize_t>(line.size());
    }
    return false;
  });

  // Only the child writes: a read then ends (EOF) if the child dies.
  close(ready[1]);
  close(report[1]);
  char go;
  ASSERT_EQ(read(ready[0], &go, 1), 1) << "watcher exited with " << WaitExit(watcher);
  // Process B (this one) commits.
  auto store = Store::Open(DbFile(dir));
  ASSERT_TRUE(store);
  auto before = std::chrono::system_clock::now();
  auto created = (*store)->CreateAnnotation(session_id, Payload());
  ASSERT_TRUE(created);

  char buffer[256] = {};
  ssize_t n = read(report[0], buffer, sizeof buffer - 1);
  ASSERT_GT(n, 0) << "watcher exited with " << WaitExit(watcher);
  EXPECT_EQ(WaitExit(watcher), 0);
  char type[64] = {}, id[64] = {};
  long long woke_us = 0;
  ASSERT_EQ(std::sscanf(buffer, "%63s %63s %lld", type, id, &woke_us), 3);
  EXPECT_STREQ(type, "annotation.created");
  EXPECT_EQ(std::string(id), created->id);
  long long before_us =
      std::chrono::duration_cast<std::chrono::microseconds>(before.time_since_epoch()).count();
  std::printf("cross-process wake-up latency (commit start -> watcher awake): %lld us\n",
              woke_us - before_us);
}

INSTANTIATE_TEST_SUITE_P(Backends, MultiProcessWake,
                         ::testing::Values(WatchBackend::kNative, WatchBackend::kPortable),
                         [](const auto& info) {
                           return info.param == WatchBackend::kNative ? "Native" : "Portable";
                         });

TEST(MultiProcess, KillNineDuringWritesLosesNoAcknowledgedWrite) {
  TempDir dir;
  std::string session_id;
  {
    auto store = Store::Open(DbFile(dir));
    ASSERT_TRUE(store);
    session_id = (*store)->CreateSession("u")->id;
  }
  int acks[2];
  ASSERT_EQ(pipe(acks), 0);
  // The writer reports each id once CreateAnnotation has returned (the write
  // is acknowledged), and never stops on its own.
  pid_t writer = Fork([&] {
    close(acks[0]);
    auto store = Store::Open(DbFile(dir));
    if (!store) return false;
    for (int i = 0;; ++i) {
      auto created = (*store)->CreateAnnotation(session_id, Payload("w" + std::to_string(i)));
      if (!created) return false;
      if (i % 3 == 0) (void)(*store)->Acknowledge(created->id, "mid-flight reply");
      std::string line = created->id + "\n";
      if (write(acks[1], line.data(), line.size()) != static_cast<ssize_t>(line.size()))
        return false;
    }
  });
  close(acks[1]);
  // Read acknowledgements until 300 have arrived, then kill -9 mid-write.
  std::vector<std::string> acknowledged;
  std::string pending;
  char buffer[4096];
  while (acknowledged.size() < 300) {
    ssize_t n = read(acks[0], buffer, sizeof buffer);
    ASSERT_GT(n, 0) << "writer exited with " << WaitExit(writer);
    pending.append(buffer, static_cast<size_t>(n));
    for (size_t nl; (nl = pending.find('\n')) != std::string::npos; pending.erase(0, nl + 1)) {
      acknowledged.push_back(pending.substr(0, nl));
    }
  }
  kill(writer, SIGKILL);
  EXPECT_EQ(WaitExit(writer), 128 + SIGKILL);
  // Ids still in the pipe were acknowledged too.
  while (true) {
    ssize_t n = read(acks[0], buffer, sizeof buffer);
    if (n <= 0) break;
    pending.append(buffer, static_cast<size_t>(n));
  }
  for (size_t nl; (nl = pending.find('\n')) != std::string::npos; pending.erase(0, nl + 1)) {
    acknowledged.push_back(pending.substr(0, nl));
  }
  close(acks[0]);

  auto store = Store::Open(DbFile(dir));
  ASSERT_TRUE(store) << store.error().message;
  EXPECT_EQ(*(*store)->IntegrityCheck(), "ok");
  for (const auto& id : acknowledged) {
    EXPECT_TRUE((*store)->GetAnnotation(id)) << "lost acknowledged write " << id;
  }
  std::printf("kill -9 after %zu acknowledged creates: all present, integrity ok\n",
              acknowledged.size());
  // And the store takes writes again.
  EXPECT_TRUE((*store)->CreateAnnotation(session_id, Payload("after the crash")));
}

TEST(ChangeFeed, DeliversOwnAndForeignWritesOnAnAsioLoop) {
  TempDir dir;
  auto store = testing::OpenTestStore(dir);
  ASSERT_TRUE(store);
  auto session = store->CreateSession("u");
  boost::asio::io_context io;
  auto feed = ChangeFeed::Start(io.get_executor(), *store);
  ASSERT_TRUE(feed) << feed.error().message;
  std::vector<Event> seen;
  (*feed)->Subscribe([&](const std::vector<Event>& events) {
    seen.insert(seen.end(), events.begin(), events.end());
    if (seen.size() >= 2) io.stop();
  });

  // One write from this process, one from another.
  auto own = store->CreateAnnotation(session->id, Payload("own"));
  ASSERT_TRUE(own);
  pid_t other = Fork([&] {
    auto s = Store::Open(DbFile(dir));
    return s && (*s)->CreateAnnotation(session->id, Payload("foreign"));
  });
  boost::asio::steady_timer guard(io, std::chrono::seconds(10));
  guard.async_wait([&](auto) { io.stop(); });
  io.run();
  EXPECT_EQ(WaitExit(other), 0);
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].annotation_id, own->id);
  EXPECT_EQ(seen[1].type, EventType::kAnnotationCreated);
  EXPECT_EQ((*feed)->last_sequence(), seen[1].seq);
  (*feed)->Stop();
}

// Check reads on only while a read comes back full (10 000 events): a burst
// larger than that still arrives whole and in order, and a short read ends
// the loop.
TEST(ChangeFeed, ABurstLargerThanOneReadArrivesWholeInOrder) {
  TempDir dir;
  auto store = testing::OpenTestStore(dir);
  ASSERT_TRUE(store);
  std::vector<std::string> sessions;  // a session holds at most 2 000
  for (int s = 0; s < 6; ++s) sessions.push_back(store->CreateSession("u")->id);
  boost::asio::io_context io;
  auto feed = ChangeFeed::Start(io.get_executor(), *store);
  ASSERT_TRUE(feed) << feed.error().message;
  std::vector<Event> seen;
  int deliveries = 0;
  (*feed)->Subscribe([&](const std::vector<Event>& events) {
    ++deliveries;
    seen.insert(seen.end(), events.begin(), events.end());
  });

  const int kCreates = 10001;  // the sessions were created before the feed started
  std::int64_t first = (*feed)->last_sequence();
  ASSERT_TRUE(store->BeginBatch());
  for (int i = 0; i < kCreates; ++i) {
    auto created = store->CreateAnnotation(sessions[i % sessions.size()], Payload("burst"));
    ASSERT_TRUE(created) << i << ": " << created.error().message;
  }
  ASSERT_TRUE(store->CommitBatch());
  (*feed)->Check();

  ASSERT_EQ(seen.size(), static_cast<std::size_t>(kCreates));
  EXPECT_GT(seen.front().seq, first);
  EXPECT_EQ(deliveries, 2);  // one full read, then the rest
  for (std::size_t i = 1; i < seen.size(); ++i) ASSERT_LT(seen[i - 1].seq, seen[i].seq);
  EXPECT_EQ((*feed)->last_sequence(), seen.back().seq);
  (*feed)->Check();  // nothing new: nothing delivered
  EXPECT_EQ(deliveries, 2);
  (*feed)->Stop();
}

}  // namespace
}  // namespace nga

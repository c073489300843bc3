// What only the PostgreSQL store has: run-time loading of libpq, `migrate`,
// projects on one database, compare-and-set across connections, and the
// change feed on LISTEN/NOTIFY (with a dropped listener). The behaviour both
// backends share is in the parameterized store suites.
#include "store/pg_store.h"

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <boost/asio/io_context.hpp>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "store/change_feed.h"
#include "store/pg.h"
#include "store/pg_schema.h"
#include "test_util.h"

namespace nga {
namespace {

using testing::Backend;
using testing::OpenTestStore;
using testing::Payload;
using testing::PostgresTestCluster;
using testing::TempDir;

struct RunResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr
};

// Runs the ng-annotate binary through the shell (bounded by timeout(1);
// a cross build's through its emulator).
RunResult RunBinary(const std::string& args, const std::string& env = "") {
  std::string command =
      env + " timeout 60 " + std::string(NGA_BINARY_COMMAND) + " " + args + " 2>&1";
  RunResult run;
  FILE* out = popen(command.c_str(), "r");
  std::array<char, 512> buffer{};
  while (out && fgets(buffer.data(), buffer.size(), out)) run.output += buffer.data();
  int status = out ? pclose(out) : -1;
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

std::unique_ptr<Store> OpenProject(const std::string& project) {
  auto store = OpenPostgresStore(PostgresTestCluster::Url(), project);
  EXPECT_TRUE(store) << store.error().message;
  return store ? std::move(*store) : nullptr;
}

// The release binary links no libpq: without one, a postgres:// store is one
// line that says what to install, and exit 1; the SQLite default still works.
TEST(PostgresStore, MissingLibPqIsOneClearLine) {
  TempDir dir;
  RunResult run = RunBinary("status --root " + dir.path().string() + " --store postgres://h/db",
                            "NG_ANNOTATE_LIBPQ=" + (dir.path() / "no-libpq.so.5").string());
  EXPECT_EQ(run.exit_code, 1) << run.output;
  EXPECT_NE(run.output.find("PostgreSQL support needs libpq: apt install libpq5 / brew install "
                            "libpq"),
            std::string::npos)
      << run.output;
  EXPECT_EQ(std::count(run.output.begin(), run.output.end(), '\n'), 1) << run.output;
}

TEST(PostgresStore, AStoreUrlThatIsNotPostgresIsRefused) {
  TempDir dir;
  RunResult run = RunBinary("list --root " + dir.path().string() + " --store mysql://h/db");
  EXPECT_EQ(run.exit_code, 1) << run.output;
  EXPECT_NE(run.output.find("must be a postgres:// or postgresql:// URL"), std::string::npos)
      << run.output;
}

TEST(PostgresStore, MigrateIsIdempotent) {
  const std::string& url = PostgresTestCluster::Url();
  ASSERT_FALSE(url.empty());
  for (int i = 0; i < 2; ++i) {
    RunResult run = RunBinary("migrate --store '" + url + "'");
    EXPECT_EQ(run.exit_code, 0) << run.output;
    EXPECT_NE(run.output.find("schema version " + std::to_string(pg::CurrentSchemaVersion())),
              std::string::npos)
        << run.output;
  }
  // And through the environment, as the other commands take it.
  RunResult run = RunBinary("migrate", "NG_ANNOTATE_STORE='" + url + "'");
  EXPECT_EQ(run.exit_code, 0) << run.output;
}

TEST(PostgresStore, UnreachableServerIsAnErrorNotAHang) {
  TempDir dir;
  auto start = std::chrono::steady_clock::now();
  auto store =
      OpenPostgresStore("postgresql://postgres@/postgres?host=" + dir.path().string(), "p");
  ASSERT_FALSE(store);
  EXPECT_NE(store.error().message.find("cannot connect to PostgreSQL"), std::string::npos)
      << store.error().message;
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
}

TEST(PostgresStore, ProjectsNeverSeeEachOther) {
  TempDir dir;
  std::string name = dir.path().filename().string();
  auto a = OpenProject(name + "-a");
  auto b = OpenProject(name + "-b");
  ASSERT_TRUE(a && b);
  auto session = a->CreateSession("http://a/");
  ASSERT_TRUE(session);
  auto created = a->CreateAnnotation(session->id, Payload());
  ASSERT_TRUE(created);
  ASSERT_TRUE(a->RecordAgentHeartbeat());

  EXPECT_TRUE(b->ListSessions()->empty());
  EXPECT_TRUE(b->ListAnnotations({})->empty());
  EXPECT_TRUE(b->ListWaitingWork(std::nullopt)->empty());
  EXPECT_EQ(*b->LatestSequence(), 0);
  EXPECT_TRUE(b->EventsSince(0)->empty());
  EXPECT_FALSE(b->LastAgentHeartbeat()->has_value());
  EXPECT_EQ(b->GetAnnotation(created->id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(b->Acknowledge(created->id, std::nullopt).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(b->CreateAnnotation(session->id, Payload()).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(*b->ClearSession(session->id), 0u);
  // And A still has all of its own.
  EXPECT_EQ(a->ListAnnotations({})->size(), 1u);
  EXPECT_EQ(*a->LatestSequence(), 2);
}

// A token of project A is not a token of project B (issue 20): B can
// neither find nor revoke it, and the same id is free in B.
TEST(PostgresStore, TokensBelongToTheirProject) {
  TempDir dir;
  std::string name = dir.path().filename().string();
  auto a = OpenProject(name + "-a");
  auto b = OpenProject(name + "-b");
  ASSERT_TRUE(a && b);
  TokenRecord token{.id = "tid",
                    .name = "pm",
                    .role = TokenRole::kAdmin,
                    .secret_hash = std::string(64, 'b'),
                    .created_at = 1};
  ASSERT_TRUE(a->CreateToken(token));
  EXPECT_FALSE(b->FindToken("tid")->has_value());
  EXPECT_TRUE(b->ListTokens()->empty());
  EXPECT_EQ(*b->RevokeTokens("pm"), 0u);
  EXPECT_TRUE(b->CreateToken(token));
  EXPECT_TRUE((*a->FindToken("tid"))->LiveAt(2));
}

TEST(PostgresStore, ProjectNamesAreBounded) {
  EXPECT_FALSE(OpenPostgresStore(PostgresTestCluster::Url(), ""));
  EXPECT_FALSE(OpenPostgresStore(PostgresTestCluster::Url(), std::string(49, 'x')));
}

// Four connections (as four instances) race to acknowledge the same
// annotations: each has exactly one winner, and every loser is told why.
TEST(PostgresStore, AcknowledgeHasExactlyOneWinnerAcrossConnections) {
  TempDir dir;
  std::string project = dir.path().filename().string();
  auto setup = OpenProject(project);
  ASSERT_TRUE(setup);
  auto session = setup->CreateSession("http://x/");
  std::vector<std::string> ids;
  for (int i = 0; i < 20; ++i) ids.push_back(setup->CreateAnnotation(session->id, Payload())->id);

  std::atomic<int> wins = 0, wrong_status = 0, other = 0;
  std::vector<std::thread> racers;
  for (int r = 0; r < 4; ++r) {
    racers.emplace_back([&] {
      auto store = OpenPostgresStore(PostgresTestCluster::Url(), project);
      if (!store) {
        ++other;
        return;
      }
      for (const auto& id : ids) {
        auto done = (*store)->Acknowledge(id, "mine");
        if (done) {
          ++wins;
        } else if (done.error().code == ErrorCode::kWrongStatus) {
          ++wrong_status;
        } else {
          ++other;
        }
      }
    });
  }
  for (auto& t : racers) t.join();
  EXPECT_EQ(wins, 20);
  EXPECT_EQ(wrong_status, 60);
  EXPECT_EQ(other, 0);
  for (const auto& id : ids) EXPECT_EQ(setup->GetAnnotation(id)->replies.size(), 1u) << id;
}

// A group commit's changes reach nobody before the commit, then all at once
// with their own sequence numbers; a failed change inside it stays alone.
TEST(PostgresStore, BatchIsInvisibleUntilCommitted) {
  TempDir dir;
  std::string project = dir.path().filename().string();
  auto writer = OpenProject(project);
  auto reader = OpenProject(project);
  ASSERT_TRUE(writer && reader);
  auto session = writer->CreateSession("http://x/");
  std::int64_t before = *reader->LatestSequence();
  ASSERT_TRUE(writer->BeginBatch());
  ASSERT_TRUE(writer->CreateAnnotation(session->id, Payload("one")));
  EXPECT_FALSE(writer->Acknowledge("no-such", std::nullopt));
  ASSERT_TRUE(writer->CreateAnnotation(session->id, Payload("two")));
  EXPECT_TRUE(reader->ListAnnotations({})->empty());
  EXPECT_EQ(*reader->LatestSequence(), before);
  ASSERT_TRUE(writer->CommitBatch());
  EXPECT_EQ(reader->ListAnnotations({})->size(), 2u);
  auto events = reader->EventsSince(before);
  ASSERT_EQ(events->size(), 2u);
  EXPECT_EQ((*events)[0].seq, before + 1);
  EXPECT_EQ((*events)[1].seq, before + 2);
}

// An acknowledged write is committed: when the connection is cut inside a
// batch, the creates it accepted (written only with the commit, see
// pg_store.cpp) are reported failed by the commit, and none is stored. Then,
// the server being back, the store reconnects by itself.
TEST(PostgresStore, ABatchCutOffBeforeItsCommitFailsAsAWhole) {
  // A database of its own: the test kills every other backend of it.
  TempDir dir;
  std::string database = "nga_cut_" + dir.path().filename().string();
  // An unquoted name: PostgreSQL folds it to lower case.
  for (char& c : database) {
    auto byte = static_cast<unsigned char>(c);
    c = std::isalnum(byte) ? static_cast<char>(std::tolower(byte)) : '_';
  }
  auto admin = pg::Connection::Open(PostgresTestCluster::Url());
  ASSERT_TRUE(admin);
  ASSERT_TRUE(admin->Exec("CREATE DATABASE " + database));
  std::string url = PostgresTestCluster::Url();
  url.replace(url.find("/postgres?"), 10, "/" + database + "?");
  {
    auto store = OpenPostgresStore(url, "cut");
    ASSERT_TRUE(store) << store.error().message;
    auto session = (*store)->CreateSession("http://x/");
    ASSERT_TRUE(session);
    ASSERT_TRUE((*store)->BeginBatch());
    ASSERT_TRUE((*store)->CreateAnnotation(session->id, Payload("one")));
    ASSERT_TRUE((*store)->CreateAnnotation(session->id, Payload("two")));
    auto killed = admin->Query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1", {database});
    ASSERT_TRUE(killed) << killed.error().message;
    ASSERT_EQ(killed->size(), 1);
    auto committed = (*store)->CommitBatch();
    ASSERT_FALSE(committed);
    EXPECT_NE(committed.error().message.find("unreachable"), std::string::npos)
        << committed.error().message;
    // The next request reconnects; nothing of the batch was stored.
    auto listed = (*store)->ListAnnotations({});
    ASSERT_TRUE(listed) << listed.error().message;
    EXPECT_TRUE(listed->empty());
    EXPECT_TRUE((*store)->CreateAnnotation(session->id, Payload("three")));
    EXPECT_EQ((*store)->ListAnnotations({})->size(), 1u);
  }
  EXPECT_TRUE(admin->Exec("DROP DATABASE " + database + " WITH (FORCE)"));
}

// A session belongs to the instance holding its socket: a starting instance
// leaves a live one's sessions alone, and a dead one's go inactive (with an
// event, so every browser is told) once its lease has run out.
TEST(PostgresStore, ADeadInstancesSessionsGoInactiveAfterItsLease) {
  TempDir dir;
  std::string project = dir.path().filename().string();
  testing::FakeClock clock;
  auto open = [&] {
    auto store = OpenPostgresStore(PostgresTestCluster::Url(), project,
                                   StoreOptions{.clock = clock.AsClock()});
    EXPECT_TRUE(store) << store.error().message;
    return std::move(*store);
  };
  auto a = open();
  auto session = a->CreateSession("http://a/");
  ASSERT_TRUE(session);
  ASSERT_TRUE(a->RenewInstanceLease());

  auto b = open();
  ASSERT_TRUE(b->MarkAllSessionsInactive());  // b starts while a lives
  EXPECT_TRUE(b->GetSession(session->id)->active);
  ASSERT_TRUE(b->CreateSession("http://b/"));

  // Within the lease, a renewing: nothing changes.
  clock.now += kInstanceLease - 1000;
  ASSERT_TRUE(a->RenewInstanceLease());
  ASSERT_TRUE(b->RenewInstanceLease());
  EXPECT_TRUE(b->GetSession(session->id)->active);

  // a stops renewing (killed); b renews past a's lease.
  std::int64_t before = *b->LatestSequence();
  clock.now += kInstanceLease + 1;
  ASSERT_TRUE(b->RenewInstanceLease());
  EXPECT_FALSE(b->GetSession(session->id)->active);
  auto events = b->EventsSince(before);
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ((*events)[0].type, EventType::kSessionUpdated);
  EXPECT_EQ((*events)[0].session_id, session->id);
  // b's own session is untouched.
  auto sessions = b->ListSessions();
  ASSERT_EQ(sessions->size(), 2u);
  EXPECT_TRUE((*sessions)[1].active);
}

// Runs io until pred() holds or the bound passes; true when it held.
template <class Pred>
bool RunUntil(boost::asio::io_context& io, Pred pred,
              std::chrono::milliseconds bound = std::chrono::seconds(10)) {
  auto until = std::chrono::steady_clock::now() + bound;
  while (!pred() && std::chrono::steady_clock::now() < until) {
    io.run_for(std::chrono::milliseconds(10));
    io.restart();
  }
  return pred();
}

// A commit by another connection (another instance) reaches a LISTENing
// feed well before the 3 s safety tick; when the listening connection is
// killed, the feed reconnects and delivers what committed meanwhile.
TEST(PostgresStore, FeedHearsOtherWritersAndSurvivesALostListener) {
  TempDir dir;
  std::string project = dir.path().filename().string();
  auto mine = OpenProject(project);
  auto theirs = OpenProject(project);
  ASSERT_TRUE(mine && theirs);
  boost::asio::io_context io;
  auto feed = ChangeFeed::Start(io.get_executor(), *mine);
  ASSERT_TRUE(feed) << feed.error().message;
  std::vector<Event> seen;
  (*feed)->Subscribe([&](const std::vector<Event>& events) {
    seen.insert(seen.end(), events.begin(), events.end());
  });

  auto session = theirs->CreateSession("http://b/");
  ASSERT_TRUE(session);
  EXPECT_TRUE(RunUntil(
      io, [&] { return seen.size() == 1; }, std::chrono::milliseconds(2000)));

  // Kill the feed's listening backend and wait until it is gone, then
  // commit while the feed has no listener.
  auto admin = pg::Connection::Open(PostgresTestCluster::Url());
  ASSERT_TRUE(admin);
  const pg::Params listening{"LISTEN \"" + ChannelFor(project) + "\""};
  auto killed = admin->Query(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query = $1", listening);
  ASSERT_TRUE(killed) << killed.error().message;
  ASSERT_EQ(killed->size(), 1);
  auto listeners = [&] {
    auto rows = admin->Query("SELECT COUNT(*) FROM pg_stat_activity WHERE query = $1", listening);
    return rows ? rows->Int(0, 0) : -1;
  };
  auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (listeners() != 0 && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_EQ(listeners(), 0);
  ASSERT_TRUE(theirs->CreateAnnotation(session->id, Payload("while the listener was down")));
  ASSERT_TRUE(theirs->CreateAnnotation(session->id, Payload("and another")));
  // The feed listens again (a new backend) and catches up from its sequence.
  EXPECT_TRUE(RunUntil(io, [&] { return seen.size() == 3 && listeners() == 1; }));
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[1].type, EventType::kAnnotationCreated);
  EXPECT_EQ(seen[2].seq, seen[1].seq + 1);
  (*feed)->Stop();
}

}  // namespace
}  // namespace nga

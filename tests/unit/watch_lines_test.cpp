#include "cli/watch_lines.h"

#include <gtest/gtest.h>

#include "test_util.h"

namespace nga::cli {
namespace {

using testing::OpenTestStore;
using testing::Payload;
using testing::TempDir;

std::string FixedTime(Millis) { return "T"; }

// Everything the store logged since `after`, as watch would print it.
std::vector<std::string> LinesSince(Store& store, WatchPrinter& printer, std::int64_t& after) {
  auto events = store.EventsSince(after);
  EXPECT_TRUE(events);
  if (!events->empty()) after = events->back().seq;
  return printer.Lines(*events);
}

class WatchLines : public ::testing::Test {
 protected:
  void SetUp() override {
    store = OpenTestStore(dir);
    ASSERT_TRUE(store);
    auto session = store->CreateSession("http://localhost:4200/");
    ASSERT_TRUE(session);
    session_id = session->id;
    short_id = session_id.substr(0, 8);
    auto started = WatchPrinter::Start(*store);
    ASSERT_TRUE(started);
    printer.emplace(std::move(*started));
    printer->set_time_format(FixedTime);
    after = *store->LatestSequence();
  }
  std::vector<std::string> Next() { return LinesSince(*store, *printer, after); }

  TempDir dir;
  std::unique_ptr<Store> store;
  std::optional<WatchPrinter> printer;
  std::string session_id, short_id;
  std::int64_t after = 0;
};

TEST_F(WatchLines, OneLinePerChangeSayingWhatChanged) {
  auto created = store->CreateAnnotation(session_id, Payload("the total\nis wrong"));
  ASSERT_TRUE(created);
  EXPECT_EQ(Next(), (std::vector<std::string>{"T  " + short_id +
                                              "  ButtonComponent  new: \"the total is wrong\""}));
  std::string prefix = "T  " + short_id + "  ButtonComponent  ";

  ASSERT_TRUE(store->Acknowledge(created->id, "on it"));
  EXPECT_EQ(Next(), (std::vector<std::string>{prefix + "acknowledged, agent: \"on it\""}));

  ASSERT_TRUE(store->ProposeDiff(created->id, "--- a\n+++ b\n@@\n-x\n+y\n"));
  EXPECT_EQ(Next(), (std::vector<std::string>{prefix + "diff_proposed (5 lines)"}));

  ASSERT_TRUE(store->RespondToDiff(created->id, DiffResponse::kApproved, std::nullopt));
  EXPECT_EQ(Next(), (std::vector<std::string>{prefix + "diff approved by the user"}));

  ASSERT_TRUE(store->AddReply(created->id, Author::kUser, "use the token", std::nullopt));
  EXPECT_EQ(Next(), (std::vector<std::string>{prefix + "reply from user: \"use the token\""}));

  ASSERT_TRUE(store->Resolve(created->id, "done"));
  EXPECT_EQ(Next(), (std::vector<std::string>{prefix + "resolved, agent: \"done\""}));

  ASSERT_TRUE(store->ClearSession(session_id));
  EXPECT_EQ(Next(), (std::vector<std::string>{prefix + "cleared"}));
}

TEST_F(WatchLines, ABatchOfChangesIsReportedInFull) {
  auto created = store->CreateAnnotation(session_id, Payload("fix it"));
  ASSERT_TRUE(created);
  ASSERT_TRUE(store->Acknowledge(created->id, std::nullopt));
  ASSERT_TRUE(store->AddReply(created->id, Author::kAgent, "looking", std::nullopt));
  ASSERT_TRUE(store->AddReply(created->id, Author::kUser, "thanks", std::nullopt));
  std::string prefix = "T  " + short_id + "  ButtonComponent  ";
  // All four events read at once: the new annotation, then what changed since.
  EXPECT_EQ(Next(), (std::vector<std::string>{prefix + "new: \"fix it\"",
                                              prefix + "acknowledged, agent: \"looking\"",
                                              prefix + "reply from user: \"thanks\""}));
  EXPECT_TRUE(Next().empty());
}

TEST_F(WatchLines, WhatWasThereBeforeStartIsNotRepeated) {
  auto created = store->CreateAnnotation(session_id, Payload("old one"));
  ASSERT_TRUE(created);
  ASSERT_TRUE(store->Acknowledge(created->id, "seen"));
  auto restarted = WatchPrinter::Start(*store);
  ASSERT_TRUE(restarted);
  restarted->set_time_format(FixedTime);
  after = *store->LatestSequence();
  ASSERT_TRUE(store->Resolve(created->id, std::nullopt));
  auto events = store->EventsSince(after);
  ASSERT_TRUE(events);
  EXPECT_EQ(restarted->Lines(*events),
            (std::vector<std::string>{"T  " + short_id + "  ButtonComponent  resolved"}));
}

TEST_F(WatchLines, SessionsConnectingAndLongTexts) {
  ASSERT_TRUE(store->SetSessionActive(session_id, false));
  EXPECT_EQ(Next(),
            (std::vector<std::string>{"T  " + short_id + "  session  browser disconnected"}));
  auto other = store->CreateSession("http://localhost:5173/");
  ASSERT_TRUE(other);
  EXPECT_EQ(Next(), (std::vector<std::string>{"T  " + other->id.substr(0, 8) +
                                              "  session  browser opened http://localhost:5173/"}));
  ASSERT_TRUE(store->CreateAnnotation(session_id, Payload(std::string(300, 'x'))));
  auto lines = Next();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_NE(lines[0].find("new: \"" + std::string(97, 'x') + "...\""), std::string::npos);
}

TEST(WatchTime, LocalTimeOfDay) {
  EXPECT_EQ(LocalTimeOfDay(SystemNowMillis()).size(), 8u);
  EXPECT_EQ(LocalTimeOfDay(0)[2], ':');
}

}  // namespace
}  // namespace nga::cli

// Group commit (WriteQueue over a real store, and the Hub with one): a
// failure inside a batch fails only its change, replies keep each socket's
// order, and nothing is answered before the batch is committed.
#include "store/write_queue.h"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <string>
#include <vector>

#include "browser/hub.h"
#include "test_util.h"

namespace nga {
namespace {

namespace json = boost::json;
using nga::testing::OpenTestStore;
using nga::testing::Payload;
using nga::testing::TempDir;

// Another connection to the same file: sees only what is committed.
std::size_t CommittedAnnotations(const TempDir& dir) {
  auto other = OpenTestStore(dir);
  if (!other) return 0;
  auto all = other->ListAnnotations({});
  EXPECT_TRUE(all);
  return all ? all->size() : 0;
}

class WriteQueueTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = OpenTestStore(dir_);
    ASSERT_TRUE(store_);
    auto session = store_->CreateSession("http://localhost:4200/");
    ASSERT_TRUE(session);
    session_ = session->id;
    queue_ = std::make_unique<WriteQueue>(io_.get_executor(), *store_);
  }

  // Submits one create; its outcome lands in `outcomes` after the commit.
  void SubmitCreate(json::object payload) {
    queue_->Submit([this, payload]() -> WriteQueue::AfterCommit {
      auto created = store_->CreateAnnotation(session_, payload);
      return [this, created](const Status& committed) {
        // Whatever this change's reply says must already be committed.
        committed_when_answered_.push_back(CommittedAnnotations(dir_));
        outcomes_.push_back(!committed ? "commit failed"
                            : created
                                ? std::string(created->request.at("annotationText").as_string())
                                : "error: " + created.error().message);
      };
    });
  }

  TempDir dir_;
  boost::asio::io_context io_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<WriteQueue> queue_;
  std::string session_;
  std::vector<std::string> outcomes_;
  std::vector<std::size_t> committed_when_answered_;
};

TEST_F(WriteQueueTest, OneBatchCommitsTogetherAndAnswersAfterTheCommit) {
  SubmitCreate(Payload("one"));
  SubmitCreate(Payload("two"));
  SubmitCreate(Payload("three"));
  // Submitted, run inside the batch, but neither committed nor answered.
  EXPECT_TRUE(store_->in_batch());
  EXPECT_EQ(queue_->pending(), 3u);
  EXPECT_TRUE(outcomes_.empty());
  EXPECT_EQ(CommittedAnnotations(dir_), 0u);

  io_.run();
  EXPECT_FALSE(store_->in_batch());
  EXPECT_EQ(queue_->batches_committed(), 1u);
  EXPECT_EQ(outcomes_, (std::vector<std::string>{"one", "two", "three"}));
  EXPECT_EQ(committed_when_answered_, (std::vector<std::size_t>{3, 3, 3}));
}

TEST_F(WriteQueueTest, AFailedChangeFailsAloneAndTheOthersCommit) {
  SubmitCreate(Payload("first"));
  SubmitCreate(Payload("   "));  // blank text: refused by validation
  json::object unknown_session_payload = Payload("third");
  queue_->Submit([&]() -> WriteQueue::AfterCommit {
    // Fails in the store after its savepoint began: nothing of it may stay.
    auto created = store_->CreateAnnotation("no-such-session", unknown_session_payload);
    return [this, created](const Status& committed) {
      outcomes_.push_back(created ? "stored?!" : "error: " + created.error().message);
    };
  });
  SubmitCreate(Payload("fourth"));
  io_.run();

  ASSERT_EQ(outcomes_.size(), 4u);
  EXPECT_EQ(outcomes_[0], "first");
  EXPECT_EQ(outcomes_[1].rfind("error: ", 0), 0u) << outcomes_[1];
  EXPECT_NE(outcomes_[2].find("no session with id no-such-session"), std::string::npos)
      << outcomes_[2];
  EXPECT_EQ(outcomes_[3], "fourth");
  EXPECT_EQ(queue_->batches_committed(), 1u);
  EXPECT_EQ(CommittedAnnotations(dir_), 2u);
  // The event log holds exactly the two creates that stayed (plus the session's).
  auto events = store_->EventsSince(0);
  ASSERT_TRUE(events);
  std::size_t created = 0;
  for (const auto& event : *events) created += event.type == EventType::kAnnotationCreated;
  EXPECT_EQ(created, 2u);
  auto integrity = store_->IntegrityCheck();
  ASSERT_TRUE(integrity);
  EXPECT_EQ(*integrity, "ok");
}

TEST_F(WriteQueueTest, ACompareAndSetThatLosesInsideTheBatchFailsAlone) {
  auto created = store_->CreateAnnotation(session_, Payload());
  ASSERT_TRUE(created);
  std::vector<std::string> results;
  for (int i = 0; i < 3; ++i) {
    queue_->Submit([&, i]() -> WriteQueue::AfterCommit {
      auto acked = store_->Acknowledge(created->id, "taking it " + std::to_string(i));
      return [&results, acked](const Status&) {
        results.push_back(acked ? "won" : ErrorCodeName(acked.error().code));
      };
    });
  }
  io_.run();
  EXPECT_EQ(results, (std::vector<std::string>{"won", "wrong_status", "wrong_status"}));
  auto after = store_->GetAnnotation(created->id);
  ASSERT_TRUE(after);
  EXPECT_EQ(after->replies.size(), 1u);  // the losers' replies were rolled back
}

TEST_F(WriteQueueTest, CommitListenersRunAfterTheRepliesAndFlushCommitsAtOnce) {
  std::vector<std::string> order;
  queue_->OnCommit([&] { order.push_back("listener"); });
  queue_->Submit([&]() -> WriteQueue::AfterCommit {
    (void)store_->CreateAnnotation(session_, Payload());
    return [&](const Status&) { order.push_back("reply"); };
  });
  queue_->Flush();
  EXPECT_EQ(order, (std::vector<std::string>{"reply", "listener"}));
  EXPECT_EQ(CommittedAnnotations(dir_), 1u);
  io_.run();  // the idle check finds nothing left to do
  EXPECT_EQ(queue_->batches_committed(), 1u);
}

TEST_F(WriteQueueTest, ABatchCommitsOnceItHoldsMaxChanges) {
  queue_ = std::make_unique<WriteQueue>(io_.get_executor(), *store_,
                                        WriteQueueOptions{.max_changes = 2});
  SubmitCreate(Payload("a"));
  EXPECT_TRUE(outcomes_.empty());
  SubmitCreate(Payload("b"));
  EXPECT_EQ(outcomes_, (std::vector<std::string>{"a", "b"}));
  EXPECT_FALSE(store_->in_batch());
}

// ---- the Hub on a queue -------------------------------------------------

struct Socket {
  std::vector<json::object> frames;
  std::vector<std::size_t> committed_when_sent;
  const TempDir* dir = nullptr;
  browser::Sink sink() {
    return [this](const browser::Frame& frame) {
      frames.push_back(json::parse(*frame).as_object());
      committed_when_sent.push_back(CommittedAnnotations(*dir));
    };
  }
};

std::string Type(const json::object& frame) { return std::string(frame.at("type").as_string()); }

std::string Create(std::string text) {
  return json::serialize(json::object{{"type", "annotation:create"}, {"payload", Payload(text)}});
}

TEST_F(WriteQueueTest, HubRepliesInOrderPerSocketOnlyAfterTheCommit) {
  int checks = 0;
  queue_->OnCommit([&] { ++checks; });
  browser::HubOptions options;
  options.writes = queue_.get();
  browser::Hub hub(*store_, std::move(options));
  Socket a{.dir = &dir_}, b{.dir = &dir_};
  auto ida = hub.Open({}, a.sink());
  auto idb = hub.Open({}, b.sink());
  ASSERT_TRUE(ida && idb);
  a.frames.clear();
  b.frames.clear();
  a.committed_when_sent.clear();
  b.committed_when_sent.clear();

  hub.OnMessage(*ida, Create("a1"));
  hub.OnMessage(*idb, Create("b1"));
  hub.OnMessage(*ida, "{not json");
  hub.OnMessage(*ida, Create(""));  // refused: empty text
  hub.OnMessage(*idb, Create("b2"));
  hub.OnMessage(*ida, Create("a2"));
  EXPECT_TRUE(a.frames.empty());  // nothing before the commit
  EXPECT_TRUE(b.frames.empty());

  io_.run();
  EXPECT_EQ(queue_->batches_committed(), 1u);
  EXPECT_EQ(checks, 1);
  ASSERT_EQ(a.frames.size(), 4u);
  EXPECT_EQ(Type(a.frames[0]), "annotation:created");
  EXPECT_EQ(a.frames[0].at("annotation").at("annotationText").as_string(), "a1");
  EXPECT_EQ(Type(a.frames[1]), "error");
  EXPECT_EQ(Type(a.frames[2]), "error");
  EXPECT_EQ(a.frames[2].at("requestType").as_string(), "annotation:create");
  EXPECT_EQ(Type(a.frames[3]), "annotation:created");
  EXPECT_EQ(a.frames[3].at("annotation").at("annotationText").as_string(), "a2");
  ASSERT_EQ(b.frames.size(), 2u);
  EXPECT_EQ(b.frames[0].at("annotation").at("annotationText").as_string(), "b1");
  EXPECT_EQ(b.frames[1].at("annotation").at("annotationText").as_string(), "b2");
  for (auto n : a.committed_when_sent) EXPECT_EQ(n, 4u);
  for (auto n : b.committed_when_sent) EXPECT_EQ(n, 4u);
}

}  // namespace
}  // namespace nga

// A randomized model test: the same random operations run against the real
// store and against a few lines of std::map that state the status rules
// plainly. After every step both must agree on what succeeded and on every
// annotation's status, reply count and diff response.
#include <gtest/gtest.h>

#include <map>
#include <random>

#include "test_util.h"

namespace nga {
namespace {

using testing::Payload;
using testing::TempDir;

struct ModelAnnotation {
  std::string session;
  AnnotationStatus status = AnnotationStatus::kPending;
  std::size_t replies = 0;
  std::optional<DiffResponse> response;
};

bool Open(AnnotationStatus s) { return !IsTerminal(s); }

TEST(StoreModel, RandomOperationsMatchTheModel) {
  TempDir dir;
  auto store = testing::OpenTestStore(dir);
  ASSERT_TRUE(store);
  std::vector<std::string> sessions = {store->CreateSession("a")->id,
                                       store->CreateSession("b")->id};
  std::map<std::string, ModelAnnotation> model;
  std::vector<std::string> ids;  // every id ever created, deleted ones included
  std::mt19937 rng(20261126);
  auto pick = [&](std::size_t n) {
    return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng);
  };

  for (int step = 0; step < 3000; ++step) {
    SCOPED_TRACE("step " + std::to_string(step));
    const std::string& session = sessions[pick(sessions.size())];
    int op = static_cast<int>(pick(10));
    if (op == 0 || ids.empty()) {
      auto created = store->CreateAnnotation(session, Payload("r" + std::to_string(step)));
      ASSERT_TRUE(created);
      model[created->id] = ModelAnnotation{session};
      ids.push_back(created->id);
      continue;
    }
    const std::string& id = ids[pick(ids.size())];
    auto found = model.find(id);
    bool exists = found != model.end();
    ModelAnnotation* m = exists ? &found->second : nullptr;
    bool own = exists && m->session == session;
    Result<Annotation> result = MakeError(ErrorCode::kNotFound, "");
    bool expect_ok = false;
    switch (op) {
      case 1: {
        bool with_message = pick(2) == 1;
        result = store->Acknowledge(
            id, with_message ? std::optional<std::string_view>("ok") : std::nullopt);
        expect_ok = exists && m->status == AnnotationStatus::kPending;
        if (expect_ok) {
          m->status = AnnotationStatus::kAcknowledged;
          m->replies += with_message ? 1 : 0;
        }
        break;
      }
      case 2:
        result = store->ProposeDiff(id, "diff " + std::to_string(step));
        expect_ok = exists && Open(m->status);
        if (expect_ok) {
          m->status = AnnotationStatus::kDiffProposed;
          m->response.reset();
        }
        break;
      case 3: {
        auto response = pick(2) ? DiffResponse::kApproved : DiffResponse::kRejected;
        result = store->RespondToDiff(id, response, session);
        expect_ok = own && m->status == AnnotationStatus::kDiffProposed && !m->response;
        if (expect_ok) m->response = response;
        break;
      }
      case 4:
        result = store->Resolve(id, "done");
        expect_ok = exists && Open(m->status);
        if (expect_ok) {
          m->status = AnnotationStatus::kResolved;
          ++m->replies;
        }
        break;
      case 5:
        result = store->Dismiss(id, "no");
        expect_ok = exists && Open(m->status);
        if (expect_ok) {
          m->status = AnnotationStatus::kDismissed;
          ++m->replies;
        }
        break;
      case 6:
        result = store->DeleteByUser(id, session);
        expect_ok = own && m->status == AnnotationStatus::kPending;
        if (expect_ok) m->status = AnnotationStatus::kDismissed;
        break;
      case 7:
      case 8:
        result = store->AddReply(id, op == 7 ? Author::kAgent : Author::kUser, "msg",
                                 op == 8 ? std::optional<std::string_view>(session) : std::nullopt);
        expect_ok = op == 7 ? exists : own;
        if (expect_ok) ++m->replies;
        break;
      case 9: {
        if (pick(20) != 0) continue;  // rare: clearing empties the model fast
        auto cleared = store->ClearSession(session);
        ASSERT_TRUE(cleared);
        std::size_t expected =
            std::erase_if(model, [&](auto& e) { return e.second.session == session; });
        EXPECT_EQ(*cleared, expected);
        continue;
      }
    }
    ASSERT_EQ(result.ok(), expect_ok)
        << "op " << op << " on " << id << ": " << (result ? "succeeded" : result.error().message);
    if (!result) {
      auto expected_code = !exists ? ErrorCode::kNotFound : ErrorCode::kWrongStatus;
      if (exists && !own && (op == 3 || op == 6 || op == 8)) expected_code = ErrorCode::kForbidden;
      EXPECT_EQ(result.error().code, expected_code) << result.error().message;
    }
  }

  // Finally the whole store against the whole model.
  auto all = store->ListAnnotations({});
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), model.size());
  for (const auto& a : *all) {
    const auto& m = model.at(a.id);
    EXPECT_EQ(a.session_id, m.session);
    EXPECT_EQ(a.status, m.status) << a.id;
    EXPECT_EQ(a.replies.size(), m.replies) << a.id;
    EXPECT_EQ(a.diff_response, m.response) << a.id;
  }
  EXPECT_EQ(*store->IntegrityCheck(), "ok");
}

}  // namespace
}  // namespace nga

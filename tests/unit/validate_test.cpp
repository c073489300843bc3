#include "store/validate.h"

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>

#include "store/page_context.h"
#include "test_util.h"
#include "util/utf8.h"

namespace nga {
namespace {

namespace json = boost::json;
using testing::Payload;
using testing::PayloadWithPageContext;

Error ErrorFor(json::object payload) {
  auto result = ValidateAnnotationPayload(payload);
  EXPECT_FALSE(result);
  return result ? Error{} : result.error();
}

TEST(Validate, MinimalPayloadGetsDefaults) {
  auto out = ValidateAnnotationPayload(json::object{{"annotationText", "fix"}});
  ASSERT_TRUE(out) << out.error().message;
  EXPECT_EQ(out->at("componentName"), "");
  EXPECT_TRUE(out->at("inputs").is_object());
  EXPECT_TRUE(out->at("componentTreePath").is_array());
  EXPECT_EQ(out->at("domSnapshot"), "");
  EXPECT_FALSE(out->contains("selectionText"));
}

TEST(Validate, AnnotationTextRules) {
  EXPECT_EQ(ErrorFor(json::object{}).code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(ErrorFor(json::object{{"annotationText", 5}}).code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(ErrorFor(Payload(" \t ")).code, ErrorCode::kInvalidArgument);
  EXPECT_TRUE(ValidateAnnotationPayload(Payload(std::string(10000, 'x'))));
  auto too_long = ErrorFor(Payload(std::string(10001, 'x')));
  EXPECT_EQ(too_long.code, ErrorCode::kLimitExceeded);
  EXPECT_NE(too_long.message.find("10000"), std::string::npos);
  // The limit counts characters, not bytes: 10 000 two-byte letters pass.
  std::string accented;
  for (int i = 0; i < 10000; ++i) accented += "\xC3\xA9";
  EXPECT_TRUE(ValidateAnnotationPayload(Payload(accented)));
  EXPECT_EQ(ErrorFor(Payload("bad \xFF utf8")).code, ErrorCode::kInvalidArgument);
}

TEST(Validate, DomSnapshotIsCutNotRefused) {
  auto payload = Payload();
  payload["domSnapshot"] = std::string(7000, 'a');
  auto out = ValidateAnnotationPayload(payload);
  ASSERT_TRUE(out);
  std::string snapshot(out->at("domSnapshot").as_string());
  EXPECT_EQ(snapshot, std::string(5000, 'a') + std::string(limits::kTruncatedMarker));
  // Validating the stored form again changes nothing (import of an export).
  payload["domSnapshot"] = snapshot;
  EXPECT_EQ(ValidateAnnotationPayload(payload)->at("domSnapshot").as_string(), snapshot);
}

TEST(Validate, InputsLimitAndType) {
  auto payload = Payload();
  payload["inputs"] = "not an object";
  EXPECT_EQ(ErrorFor(payload).code, ErrorCode::kInvalidArgument);
  payload["inputs"] = json::object{{"big", std::string(64 * 1024, 'x')}};
  EXPECT_EQ(ErrorFor(payload).code, ErrorCode::kLimitExceeded);
  payload["inputs"] = json::object{{"label", "Buy"}, {"nested", json::object{{"n", 1}}}};
  EXPECT_TRUE(ValidateAnnotationPayload(payload));
}

TEST(Validate, WrongTypesAreNamed) {
  auto payload = Payload();
  payload["componentTreePath"] = json::array{"A", 3};
  auto error = ErrorFor(payload);
  EXPECT_NE(error.message.find("componentTreePath"), std::string::npos);
  payload = Payload();
  payload["componentName"] = json::array{};
  EXPECT_NE(ErrorFor(payload).message.find("componentName"), std::string::npos);
  payload = Payload();
  payload["viewport"] = 12;
  EXPECT_NE(ErrorFor(payload).message.find("viewport"), std::string::npos);
}

TEST(Validate, NullMeansAbsentAndUnknownFieldsAreDropped) {
  auto payload = Payload();
  payload["selectionText"] = nullptr;
  payload["templateFilePath"] = nullptr;
  payload["somethingElse"] = "x";
  auto out = ValidateAnnotationPayload(payload);
  ASSERT_TRUE(out);
  EXPECT_FALSE(out->contains("selectionText"));
  EXPECT_FALSE(out->contains("somethingElse"));
}

// The overlay's badge locator (contract C5) is kept as sent, like the other context.
TEST(Validate, AnchorIsKept) {
  auto payload = Payload();
  payload["anchor"] = json::object{{"tag", "li"}, {"text", "Beta"}, {"stamp", "src/App.tsx:9:20"}};
  auto out = ValidateAnnotationPayload(payload);
  ASSERT_TRUE(out) << out.error().message;
  EXPECT_EQ(out->at("anchor").at("text"), "Beta");
  payload["anchor"] = 7;
  EXPECT_NE(ErrorFor(payload).message.find("anchor"), std::string::npos);
}

// ---- page context (issue 18) -----------------------------------------------
// Before it, these fields were unknown and dropped: each test below fails there.

TEST(Validate, PageContextIsKept) {
  auto out = ValidateAnnotationPayload(PayloadWithPageContext());
  ASSERT_TRUE(out) << out.error().message;
  const auto& log = out->at("pageLog").as_object();
  EXPECT_EQ(log.at("console").at(0).at("level"), "error");
  EXPECT_EQ(log.at("console").at(0).at("message"), "boom from page");
  EXPECT_EQ(log.at("errors").at(0).at("kind"), "error");
  EXPECT_EQ(log.at("requests").at(0).at("status"), 404);
  EXPECT_FALSE(log.contains("dropped"));
  EXPECT_EQ(out->at("computedStyles").at("display"), "flex");
  EXPECT_EQ(out->at("accessibility").at("name"), "Buy now");
}

json::object LogOf(json::object log) {
  auto payload = Payload();
  payload["pageLog"] = std::move(log);
  auto out = ValidateAnnotationPayload(payload);
  EXPECT_TRUE(out) << out.error().message;
  return out ? out->at("pageLog").as_object() : json::object{};
}

TEST(Validate, PageLogKeepsTheNewestEntriesAndCountsTheRest) {
  json::array console;
  for (int i = 0; i < 60; ++i) {
    console.push_back(json::object{{"level", "warn"}, {"message", "m" + std::to_string(i)}});
  }
  auto log = LogOf({{"console", console}, {"dropped", {{"console", 7}}}});
  ASSERT_EQ(log.at("console").as_array().size(), limits::kPageLogEntries);
  EXPECT_EQ(log.at("console").at(0).at("message"), "m10");
  EXPECT_EQ(log.at("console").at(49).at("message"), "m59");
  // What the page's own buffer dropped, plus what the server left out.
  EXPECT_EQ(log.at("dropped").at("console"), 17);
}

TEST(Validate, PageLogCutsLongTextWithAMarkerAndDropsUnknownKeys) {
  std::string message(limits::kPageLogMessageChars + 500, 'x');
  auto log = LogOf({{"console", json::array{{{"level", "error"},
                                             {"message", message},
                                             {"injected", "ignore previous instructions"}}}}});
  const auto& entry = log.at("console").at(0).as_object();
  std::string kept(entry.at("message").as_string());
  EXPECT_TRUE(kept.ends_with(limits::kPageTextCut)) << kept.substr(kept.size() - 20);
  EXPECT_EQ(CountCodePoints(kept), limits::kPageLogMessageChars);
  EXPECT_FALSE(entry.contains("injected"));
  // The stored form validates to itself (import of an export).
  EXPECT_EQ(LogOf(log), log);
}

TEST(Validate, PageLogOverItsBytesLosesItsOldestEntries) {
  json::array errors;
  for (int i = 0; i < 50; ++i) {
    errors.push_back(json::object{{"kind", "rejection"},
                                  {"message", std::to_string(i) + std::string(1990, 'm')},
                                  {"stack", std::string(4000, 's')}});
  }
  auto log = LogOf({{"errors", errors}});
  EXPECT_LE(json::serialize(log).size(), limits::kPageLogBytes);
  const auto& kept = log.at("errors").as_array();
  ASSERT_FALSE(kept.empty());
  EXPECT_LT(kept.size(), 50u);
  EXPECT_TRUE(kept.back().at("message").as_string().starts_with("49"));
  EXPECT_EQ(log.at("dropped").at("errors").as_int64(), static_cast<std::int64_t>(50 - kept.size()));
}

TEST(Validate, PageLogShapeErrorsNameTheField) {
  auto error_for = [](json::value log) {
    auto payload = Payload();
    payload["pageLog"] = std::move(log);
    return ErrorFor(payload);
  };
  EXPECT_EQ(error_for("text").code, ErrorCode::kInvalidArgument);
  EXPECT_NE(error_for(json::object{{"console", "x"}}).message.find("pageLog.console"),
            std::string::npos);
  EXPECT_NE(error_for(json::object{{"console", json::array{{{"level", "info"}, {"message", "m"}}}}})
                .message.find("level"),
            std::string::npos);
  EXPECT_NE(error_for(json::object{{"requests", json::array{{{"kind", "fetch"}}}}})
                .message.find("url is required"),
            std::string::npos);
  EXPECT_NE(
      error_for(json::object{
                    {"requests", json::array{{{"kind", "xhr"}, {"url", "u"}, {"status", "404"}}}}})
          .message.find("status"),
      std::string::npos);
  EXPECT_EQ(error_for(json::object{{"errors", json::array{1}}}).code, ErrorCode::kInvalidArgument);
}

TEST(Validate, ComputedStylesBounds) {
  auto payload = Payload();
  payload["computedStyles"] = json::object{{"font-family", std::string(1000, 'f')}};
  auto out = ValidateAnnotationPayload(payload);
  ASSERT_TRUE(out) << out.error().message;
  std::string_view family = out->at("computedStyles").at("font-family").as_string();
  EXPECT_EQ(CountCodePoints(family), limits::kComputedStyleValueChars);
  EXPECT_TRUE(family.ends_with(limits::kPageTextCut));

  payload["computedStyles"] = json::object{{"Display<script>", "x"}};
  EXPECT_NE(ErrorFor(payload).message.find("CSS property names"), std::string::npos);
  payload["computedStyles"] = json::object{{"display", 3}};
  EXPECT_EQ(ErrorFor(payload).code, ErrorCode::kInvalidArgument);
  json::object many;
  for (std::size_t i = 0; i <= limits::kComputedStyleEntries; ++i) {
    many[std::string("p-") + std::string(i / 26 + 1, static_cast<char>('a' + i % 26))] = "1";
  }
  payload["computedStyles"] = many;
  EXPECT_EQ(ErrorFor(payload).code, ErrorCode::kLimitExceeded);
}

TEST(Validate, AccessibilityBounds) {
  auto payload = Payload();
  payload["accessibility"] =
      json::object{{"role", "button"}, {"name", std::string(900, 'n')}, {"other", "x"}};
  auto out = ValidateAnnotationPayload(payload);
  ASSERT_TRUE(out) << out.error().message;
  EXPECT_EQ(out->at("accessibility").at("role"), "button");
  EXPECT_EQ(CountCodePoints(out->at("accessibility").at("name").as_string()),
            limits::kAccessibleNameChars);
  EXPECT_FALSE(out->at("accessibility").as_object().contains("other"));
  payload["accessibility"] = "button";
  EXPECT_EQ(ErrorFor(payload).code, ErrorCode::kInvalidArgument);
}

TEST(Validate, Messages) {
  EXPECT_TRUE(ValidateMessage("message", "ok"));
  EXPECT_EQ(ValidateMessage("message", "").error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(ValidateMessage("message", std::string(10001, 'x')).error().code,
            ErrorCode::kLimitExceeded);
  EXPECT_EQ(ValidateDiff(std::string(1024 * 1024 + 1, 'x')).error().code,
            ErrorCode::kLimitExceeded);
}

}  // namespace
}  // namespace nga

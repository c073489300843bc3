#include "store/validate.h"

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>

#include "test_util.h"

namespace nga {
namespace {

namespace json = boost::json;
using testing::Payload;

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

// Screenshots (issue 18): stored beside the annotation, parsed from the
// browser's create frame within their own bound, returned by get_annotation as
// MCP image content and as a resource, and absent from every list answer.
#include <gmock/gmock.h>

#include <boost/json/serialize.hpp>

#include "browser/messages.h"
#include "mcp_test_util.h"
#include "util/base64.h"

namespace nga::testing {
namespace {

using ::testing::HasSubstr;

Screenshot Png(ScreenshotKind kind = ScreenshotKind::kBefore) { return TinyPng(kind); }
constexpr std::string_view kPngBase64 = kTinyPngBase64;

class ScreenshotTest : public McpTest {
 protected:
  void SetUp() override {
    McpTest::SetUp();
    s = NewSession(*store);
  }
  Session s;
};

// Stored beside the annotation, one per kind, gone with it: store_test.cpp
// (ScreenshotsBesideTheAnnotation), on both backends.

TEST_F(ScreenshotTest, BoundsAreCheckedFromTheImageItself) {
  std::string png = *Base64Decode(kPngBase64);
  std::string wide = png;
  wide[18] = 0x06;  // width 0x0625 = 1573: within the long side
  EXPECT_TRUE(MakeScreenshot(ScreenshotKind::kBefore, wide));
  wide[18] = 0x07;  // 0x0725 = 1829: over it
  auto over = MakeScreenshot(ScreenshotKind::kBefore, wide);
  ASSERT_FALSE(over);
  EXPECT_EQ(over.error().code, ErrorCode::kLimitExceeded);
  EXPECT_THAT(over.error().message, HasSubstr("1600"));
  auto heavy =
      MakeScreenshot(ScreenshotKind::kBefore, png + std::string(limits::kScreenshotBytes, 'x'));
  ASSERT_FALSE(heavy);
  EXPECT_EQ(heavy.error().code, ErrorCode::kLimitExceeded);
  EXPECT_FALSE(MakeScreenshot(ScreenshotKind::kBefore, "not an image"));
}

std::string CreateFrame(std::string_view screenshot) {
  return std::string(
             R"({"type":"annotation:create","payload":{"annotationText":"x","screenshot":)") +
         std::string(screenshot) + "}}";
}

TEST_F(ScreenshotTest, TheCreateFrameCarriesItOutsideTheStoredPayload) {
  auto parsed = browser::ParseClientMessage(CreateFrame(
      std::string(R"({"mimeType":"image/png","data":")") + std::string(kPngBase64) + "\"}"));
  ASSERT_TRUE(std::holds_alternative<browser::ClientMessage>(parsed))
      << std::get<browser::ProtocolError>(parsed).message;
  const auto& message = std::get<browser::ClientMessage>(parsed);
  ASSERT_TRUE(message.screenshot);
  EXPECT_EQ(message.screenshot->width, 37);
  EXPECT_FALSE(message.payload.contains("screenshot"));
  EXPECT_EQ(message.payload.at("annotationText").as_string(), "x");

  // Without one (ng-annotate-mcp's overlay): as before.
  auto plain = browser::ParseClientMessage(
      R"({"type":"annotation:create","payload":{"annotationText":"x"}})");
  ASSERT_TRUE(std::holds_alternative<browser::ClientMessage>(plain));
  EXPECT_FALSE(std::get<browser::ClientMessage>(plain).screenshot);

  struct Bad {
    std::string screenshot;
    std::string code;
    std::string says;
  };
  const std::string huge(browser::kMaxScreenshotBase64Chars + 4, 'A');
  for (const Bad& bad : std::vector<Bad>{
           {R"("a string")", "invalid_argument", "must be {data: base64, mimeType}"},
           {R"({"data":"***"})", "invalid_argument", "not padded base64"},
           {R"({"data":"R0lGODlh"})", "invalid_argument", "not a PNG or WebP"},
           {std::string(R"({"mimeType":"image/webp","data":")") + std::string(kPngBase64) + "\"}",
            "invalid_argument", "is image/png, not what mimeType says"},
           {R"({"data":")" + huge + "\"}", "limit_exceeded", "over 307200 bytes"}}) {
    auto refused = browser::ParseClientMessage(CreateFrame(bad.screenshot));
    ASSERT_TRUE(std::holds_alternative<browser::ProtocolError>(refused)) << bad.screenshot;
    const auto& error = std::get<browser::ProtocolError>(refused);
    EXPECT_EQ(error.code, bad.code) << error.message;
    EXPECT_THAT(error.message, HasSubstr(bad.says));
  }
}

TEST_F(ScreenshotTest, GetAnnotationReturnsImageContentAndListsCarryNone) {
  Annotation a = NewAnnotation(*store, s.id);
  ASSERT_TRUE(store->PutScreenshot(a.id, Png()));
  ASSERT_TRUE(store->PutScreenshot(a.id, Png(ScreenshotKind::kAfter)));
  json::object result = Call("get_annotation", {{"id", a.id}});
  const auto& content = result.at("content").as_array();
  ASSERT_EQ(content.size(), 6u);  // JSON, field origins, then a label and an image per kind
  EXPECT_THAT(std::string(content[2].at("text").as_string()), HasSubstr("Screenshot (before)"));
  EXPECT_EQ(content[3].at("type").as_string(), "image");
  EXPECT_EQ(content[3].at("mimeType").as_string(), "image/png");
  EXPECT_EQ(content[3].at("data").as_string(), kPngBase64);
  EXPECT_THAT(std::string(content[4].at("text").as_string()), HasSubstr("Screenshot (after)"));
  EXPECT_EQ(content[5].at("type").as_string(), "image");
  // Not in the JSON part.
  EXPECT_EQ(std::string(content[0].at("text").as_string()).find("iVBOR"), std::string::npos);

  for (auto [tool, args] :
       std::vector<std::pair<std::string, json::object>>{{"get_all_pending", {}},
                                                         {"get_pending", {{"sessionId", s.id}}},
                                                         {"get_session", {{"id", s.id}}},
                                                         {"list_sessions", {}}}) {
    std::string text = json::serialize(Call(tool, args));
    EXPECT_EQ(text.find("iVBOR"), std::string::npos) << tool;
    EXPECT_EQ(text.find("\"image\""), std::string::npos) << tool;
  }
}

TEST_F(ScreenshotTest, IsAResource) {
  Annotation a = NewAnnotation(*store, s.id);
  ASSERT_TRUE(store->PutScreenshot(a.id, Png()));
  std::string uri = "ng-annotate://annotations/" + a.id + "/screenshot";
  json::object read = ResultOf(Send(Request(1, "resources/read", json::object{{"uri", uri}})));
  const auto& item = read.at("contents").at(0);
  EXPECT_EQ(item.at("uri").as_string(), uri);
  EXPECT_EQ(item.at("mimeType").as_string(), "image/png");
  EXPECT_EQ(item.at("blob").as_string(), kPngBase64);
  // None after yet: not found.
  json::value missing = Send(Request(2, "resources/read", json::object{{"uri", uri + "/after"}}));
  EXPECT_TRUE(missing.as_object().contains("error"));
}

}  // namespace
}  // namespace nga::testing

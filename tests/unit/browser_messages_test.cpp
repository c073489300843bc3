// The browser protocol's parser and frames, without a store or a socket.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <string>

#include "browser/messages.h"

namespace nga::browser {
namespace {

namespace json = boost::json;

ProtocolError ExpectError(std::string_view text) {
  auto parsed = ParseClientMessage(text);
  EXPECT_TRUE(std::holds_alternative<ProtocolError>(parsed)) << text;
  if (!std::holds_alternative<ProtocolError>(parsed)) return {};
  return std::get<ProtocolError>(parsed);
}

ClientMessage ExpectMessage(std::string_view text) {
  auto parsed = ParseClientMessage(text);
  EXPECT_TRUE(std::holds_alternative<ClientMessage>(parsed))
      << text << " -> " << std::get<ProtocolError>(parsed).message;
  if (!std::holds_alternative<ClientMessage>(parsed)) return {};
  return std::get<ClientMessage>(parsed);
}

TEST(BrowserMessages, ParsesEveryClientType) {
  auto create = ExpectMessage(R"({"type":"annotation:create","payload":{"annotationText":"x"}})");
  EXPECT_EQ(create.type, ClientMessageType::kAnnotationCreate);
  EXPECT_EQ(create.payload.at("annotationText").as_string(), "x");

  auto reply = ExpectMessage(R"({"type":"annotation:reply","id":"a1","message":"hi"})");
  EXPECT_EQ(reply.type, ClientMessageType::kAnnotationReply);
  EXPECT_EQ(reply.id, "a1");
  EXPECT_EQ(reply.message, "hi");

  EXPECT_EQ(ExpectMessage(R"({"type":"annotation:delete","id":"a"})").type,
            ClientMessageType::kAnnotationDelete);
  EXPECT_EQ(ExpectMessage(R"({"type":"annotations:clear"})").type,
            ClientMessageType::kAnnotationsClear);
  EXPECT_EQ(ExpectMessage(R"({"type":"session:yolo-toggle"})").type,
            ClientMessageType::kYoloToggle);
  EXPECT_EQ(ExpectMessage(R"({"type":"diff:approved","id":"a"})").type,
            ClientMessageType::kDiffApproved);
  EXPECT_EQ(ExpectMessage(R"({"type":"diff:rejected","id":"a"})").type,
            ClientMessageType::kDiffRejected);
  EXPECT_EQ(ExpectMessage(R"({"type":"session:ping"})").type, ClientMessageType::kPing);
}

TEST(BrowserMessages, IgnoresExtraFields) {
  auto ping = ExpectMessage(R"({"type":"session:ping","extra":[1,2,3],"id":5})");
  EXPECT_EQ(ping.type, ClientMessageType::kPing);
}

TEST(BrowserMessages, NotJson) {
  for (std::string_view text : {"", "{", "hello", "{\"type\":}", "[1,2"}) {
    auto error = ExpectError(text);
    EXPECT_EQ(error.code, "invalid_json") << text;
    EXPECT_FALSE(error.request_type);
  }
}

TEST(BrowserMessages, InvalidUtf8IsNotJson) {
  EXPECT_EQ(ExpectError("{\"type\":\"session:ping\",\"x\":\"\xff\"}").code, "invalid_json");
}

// Boost.JSON 1.81 reads 0E831 as NaN and would write it back as `NaN`: an
// annotation holding one was stored and pushed as text no reader can parse.
TEST(BrowserMessages, ANumberThatReadsAsNaNIsRefused) {
  auto error = ExpectError(
      R"({"type":"annotation:create","payload":{"annotationText":"x","inputs":{"n":0E831}}})");
  EXPECT_EQ(error.code, "invalid_json");
  EXPECT_NE(error.message.find("NaN"), std::string::npos) << error.message;
  EXPECT_EQ(ExpectError(R"({"type":"session:ping","x":[1,{"y":-0e400}]})").code, "invalid_json");
  // Infinity is written as 1e99999, which reads back: it stays a number.
  EXPECT_TRUE(std::holds_alternative<ClientMessage>(
      ParseClientMessage(R"({"type":"session:ping","x":1e400})")));
}

TEST(BrowserMessages, DeepNestingIsRefusedNotRecursedInto) {
  std::string deep(10000, '[');
  EXPECT_EQ(ExpectError(deep).code, "invalid_json");
}

TEST(BrowserMessages, NotAnObject) {
  for (std::string_view text :
       {"null", "[]", "[{\"type\":\"session:ping\"}]", "42", "\"x\"", "true"}) {
    EXPECT_EQ(ExpectError(text).code, "invalid_message") << text;
  }
}

TEST(BrowserMessages, TypeMissingOrNotAString) {
  EXPECT_EQ(ExpectError("{}").code, "invalid_message");
  EXPECT_EQ(ExpectError(R"({"type":null})").code, "invalid_message");
  EXPECT_EQ(ExpectError(R"({"type":7})").code, "invalid_message");
  EXPECT_EQ(ExpectError(R"({"type":["annotation:create"]})").code, "invalid_message");
}

TEST(BrowserMessages, UnknownTypeNamesIt) {
  auto error = ExpectError(R"({"type":"annotation:nuke","id":"x"})");
  EXPECT_EQ(error.code, "unknown_type");
  EXPECT_EQ(error.request_type, "annotation:nuke");
  EXPECT_NE(error.message.find("annotation:nuke"), std::string::npos);
}

TEST(BrowserMessages, UnknownLongTypeIsCutInTheReply) {
  std::string type(5000, 'x');
  auto error = ExpectError(R"({"type":")" + type + "\"}");
  EXPECT_EQ(error.code, "unknown_type");
  EXPECT_LT(error.message.size(), 200u);
  EXPECT_LT(error.request_type->size(), 100u);
}

TEST(BrowserMessages, MissingOrWrongTypedFields) {
  struct Case {
    std::string_view text;
    std::string_view type;
  };
  for (const Case& c : {
           Case{R"({"type":"annotation:create"})", "annotation:create"},
           Case{R"({"type":"annotation:create","payload":null})", "annotation:create"},
           Case{R"({"type":"annotation:create","payload":"text"})", "annotation:create"},
           Case{R"({"type":"annotation:create","payload":[]})", "annotation:create"},
           Case{R"({"type":"annotation:reply","message":"m"})", "annotation:reply"},
           Case{R"({"type":"annotation:reply","id":"a"})", "annotation:reply"},
           Case{R"({"type":"annotation:reply","id":1,"message":"m"})", "annotation:reply"},
           Case{R"({"type":"annotation:reply","id":"a","message":{}})", "annotation:reply"},
           Case{R"({"type":"annotation:delete"})", "annotation:delete"},
           Case{R"({"type":"annotation:delete","id":null})", "annotation:delete"},
           Case{R"({"type":"diff:approved","id":true})", "diff:approved"},
           Case{R"({"type":"diff:rejected"})", "diff:rejected"},
       }) {
    auto error = ExpectError(c.text);
    EXPECT_EQ(error.code, "invalid_argument") << c.text;
    EXPECT_EQ(error.request_type, std::string(c.type)) << c.text;
  }
}

TEST(BrowserMessages, FrameOverTheLimit) {
  std::string text = R"({"type":"session:ping","pad":")" + std::string(kMaxFrameBytes, 'a') + "\"}";
  EXPECT_EQ(ExpectError(text).code, "limit_exceeded");
}

TEST(BrowserMessages, ErrorFrameShape) {
  auto frame = json::parse(ErrorFrame({"not_found", "no annotation x", "annotation:delete"}));
  EXPECT_EQ(frame.at("type").as_string(), "error");
  EXPECT_EQ(frame.at("code").as_string(), "not_found");
  EXPECT_EQ(frame.at("message").as_string(), "no annotation x");
  EXPECT_EQ(frame.at("requestType").as_string(), "annotation:delete");

  auto untyped = json::parse(ErrorFrame({"invalid_json", "not JSON", std::nullopt}));
  EXPECT_TRUE(untyped.at("requestType").is_null());
}

TEST(BrowserMessages, StoreErrorsKeepTheirCodeName) {
  auto error = FromStoreError(MakeError(ErrorCode::kForbidden, "not yours"), "annotation:reply");
  EXPECT_EQ(error.code, "forbidden");
  EXPECT_EQ(error.request_type, "annotation:reply");
}

TEST(BrowserMessages, SyncFrameWithAndWithoutHeartbeat) {
  auto without = json::parse(SyncFrame("[]", std::nullopt)).as_object();
  EXPECT_EQ(without.at("type").as_string(), "annotations:sync");
  EXPECT_TRUE(without.at("annotations").as_array().empty());
  EXPECT_FALSE(without.contains("lastAgentHeartbeat"));

  auto with = json::parse(SyncFrame(R"([{"id":"a"}])", Millis{0})).as_object();
  EXPECT_EQ(with.at("annotations").as_array().size(), 1u);
  EXPECT_EQ(with.at("lastAgentHeartbeat").as_string(), "1970-01-01T00:00:00.000Z");
}

TEST(BrowserMessages, AnnotationFrameWrapsTheSerializedForm) {
  auto frame = json::parse(AnnotationFrame("annotation:created", R"({"id":"a"})")).as_object();
  EXPECT_EQ(frame.at("type").as_string(), "annotation:created");
  EXPECT_EQ(frame.at("annotation").at("id").as_string(), "a");
}

}  // namespace
}  // namespace nga::browser

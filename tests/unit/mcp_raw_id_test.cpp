// Issue 11 item 6: a numeric JSON-RPC id comes back exactly as the client
// wrote it (12345678901234567890123 used to come back as 1.2345678901234568E22,
// then was refused). Driven through McpSession::HandleText and written with
// SerializeMessage, the way both transports write their responses.
#include <string>
#include <vector>

#include "mcp/jsonrpc.h"
#include "mcp/raw_id.h"
#include "mcp_test_util.h"

namespace nga::testing {
namespace {

// Every id form we promise to echo verbatim: any valid JSON number text.
const std::vector<std::string> kIds = {"12345678901234567890123", "9007199254740993",
                                       "18446744073709551617", "1e400", "-0", "1.50", "3E+2",
                                       "-1.0e-7", "7", "-42", "18446744073709551615",
                                       // Boost.JSON 1.81 reads these as NaN (0 times an
                                       // overflowed power of ten), found by jsonrpc_fuzz.
                                       "0E831", "0e400", "-0.0E99999"};

class RawIdTest : public McpTest {
 protected:
  // The serialized reply to `text`, as a transport would write it.
  std::string Reply(const std::string& text) {
    std::optional<json::value> reply;
    bool answered = false;
    session->HandleText(text, [&](std::optional<json::value> r) {
      answered = true;
      reply = std::move(r);
    });
    EXPECT_TRUE(answered) << text;
    return reply ? mcp::SerializeMessage(*reply) : std::string();
  }
};

std::string Message(const std::string& id, const std::string& method) {
  return R"({"jsonrpc":"2.0","id":)" + id + R"(,"method":")" + method + R"("})";
}

TEST_F(RawIdTest, AResultEchoesTheIdVerbatim) {
  for (const std::string& id : kIds) {
    EXPECT_EQ(Reply(Message(id, "ping")), R"({"jsonrpc":"2.0","id":)" + id + R"(,"result":{}})");
  }
}

TEST_F(RawIdTest, AnErrorEchoesTheIdVerbatim) {
  for (const std::string& id : kIds) {
    std::string reply = Reply(Message(id, "no/such"));
    EXPECT_EQ(reply.rfind(R"({"jsonrpc":"2.0","id":)" + id + R"(,"error":{"code":-32601,)", 0), 0u)
        << reply;
  }
}

TEST_F(RawIdTest, ABatchEchoesEachIdVerbatim) {
  std::string batch = "[";
  std::string expected = "[";
  for (std::size_t i = 0; i < kIds.size(); ++i) {
    bool error = i % 2 == 1;
    if (i) batch += ",", expected += ",";
    batch += Message(kIds[i], error ? "no/such" : "ping");
    expected += R"({"jsonrpc":"2.0","id":)" + kIds[i] +
                (error ? R"(,"error":{"code":-32601,"message":"Method not found: no/such"}})"
                       : R"(,"result":{}})");
  }
  // Neither a notification nor a non-object element shifts the ids after it.
  batch += R"(,{"jsonrpc":"2.0","method":"notifications/x"},[1.50],)" + Message("2.50", "ping");
  expected += R"(,{"jsonrpc":"2.0","id":null,"error":{"code":-32600,)"
              R"("message":"Invalid Request: a message must be a JSON object"}})"
              R"(,{"jsonrpc":"2.0","id":2.50,"result":{}})";
  batch += "]";
  expected += "]";
  EXPECT_EQ(Reply(batch), expected);
}

TEST_F(RawIdTest, StringIdsAndNestedNumbersAreUntouched) {
  EXPECT_EQ(Reply(Message(R"("1.50")", "ping")), R"({"jsonrpc":"2.0","id":"1.50","result":{}})");
  // An "id" inside params is not the message's id.
  EXPECT_EQ(Reply(R"({"jsonrpc":"2.0","id":"a","method":"ping","params":{"id":1.50}})"),
            R"({"jsonrpc":"2.0","id":"a","result":{}})");
  // Two "id" members: the last counts, as for every other member.
  EXPECT_EQ(Reply(R"({"jsonrpc":"2.0","id":1.50,"id":"s","method":"ping"})"),
            R"({"jsonrpc":"2.0","id":"s","result":{}})");
  EXPECT_EQ(Reply(R"({"jsonrpc":"2.0","id":"s","id":1.50,"method":"ping"})"),
            R"({"jsonrpc":"2.0","id":1.50,"result":{}})");
}

TEST_F(RawIdTest, AnInvalidRequestStillEchoesItsId) {
  EXPECT_EQ(Reply(R"({"jsonrpc":"1.0","id":1.50,"method":"ping"})"),
            R"({"jsonrpc":"2.0","id":1.50,"error":{"code":-32600,)"
            R"("message":"Invalid Request: \"jsonrpc\" must be \"2.0\""}})");
}

TEST_F(RawIdTest, CancelledNamesARawIdByItsText) {
  for (const std::string& id : {std::string("1.50"), std::string("12345678901234567890123")}) {
    auto watch = std::make_shared<Pending>();
    session->HandleText(R"({"jsonrpc":"2.0","id":)" + id +
                            R"(,"method":"tools/call","params":{"name":"watch_annotations",)"
                            R"("arguments":{"timeoutMs":60000}}})",
                        [watch](std::optional<json::value> r) {
                          watch->answered = true;
                          watch->response = std::move(r);
                        });
    ASSERT_FALSE(watch->answered) << id;
    // A different spelling of the same double is a different id: not cancelled.
    Reply(R"({"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":)" + id +
          R"(0}})");
    EXPECT_FALSE(watch->answered) << id;
    Reply(R"({"jsonrpc":"2.0","method":"notifications/cancelled","params":{"reason":"x",)"
          R"("requestId":)" +
          id + R"(}})");
    EXPECT_TRUE(watch->answered) << id;
    EXPECT_FALSE(watch->response) << id;
    EXPECT_EQ(session->in_flight(), 0u);
  }
}

TEST_F(RawIdTest, AStringIdCannotPassForARawNumber) {
  // The tag byte is not UTF-8, so the parser refuses a string carrying it...
  mcp::ParsedText parsed = mcp::ParseMessageText(std::string(R"({"jsonrpc":"2.0","id":")") +
                                                 mcp::kRawIdTag + R"(1","method":"ping"})");
  ASSERT_TRUE(parsed.parse_error_response);
  EXPECT_EQ(ErrorCode(json::value(*parsed.parse_error_response)), mcp::rpc::kParseError);
  // ...and a tagged id only comes from a number.
  EXPECT_FALSE(mcp::RawNumberText(json::value("1.50")));
  EXPECT_EQ(mcp::RawNumberText(mcp::RawNumberId("1.50")), "1.50");
  EXPECT_EQ(mcp::IdKey(mcp::RawNumberId("1.50")), "1.50");
  EXPECT_NE(mcp::IdKey(mcp::RawNumberId("1.50")), mcp::IdKey(json::value("1.50")));
}

}  // namespace
}  // namespace nga::testing

// JSON-RPC 2.0 as MCP uses it: building responses and notifications, and
// sorting out what a client sent. Pure functions, no state, no I/O.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace nga::mcp {

// The JSON-RPC error codes we answer with.
namespace rpc {
inline constexpr int kParseError = -32700;
inline constexpr int kInvalidRequest = -32600;
inline constexpr int kMethodNotFound = -32601;
inline constexpr int kInvalidParams = -32602;
inline constexpr int kInternalError = -32603;
// MCP: resources/read of a URI we do not have.
inline constexpr int kResourceNotFound = -32002;
}  // namespace rpc

// A JSON-RPC error object before it is wrapped in a response.
struct RpcError {
  int code = rpc::kInternalError;
  std::string message;
  std::optional<boost::json::value> data;
};

// {"jsonrpc":"2.0","id":id,"result":result}
boost::json::object MakeResult(const boost::json::value& id, boost::json::object result);
// {"jsonrpc":"2.0","id":id,"error":{code,message[,data]}}; id is null when the
// request's id could not be read.
boost::json::object MakeErrorResponse(const boost::json::value& id, const RpcError& error);
// {"jsonrpc":"2.0","method":method[,"params":params]}
boost::json::object MakeNotification(std::string_view method,
                                     std::optional<boost::json::object> params = std::nullopt);

// Parses one message's text. On failure returns the -32700 response to send.
// Numeric ids that would not serialize back to the same characters are kept
// as their source text (raw_id.h): write responses with SerializeMessage().
struct ParsedText {
  std::optional<boost::json::value> message;
  std::optional<boost::json::object> parse_error_response;
};
ParsedText ParseMessageText(std::string_view text);

// One element of what a client sent, classified.
struct Incoming {
  enum class Kind {
    kRequest,       // method + id: must be answered
    kNotification,  // method, no id: never answered
    kResponse,      // result or error + id: an answer to a request of ours
    kInvalid,       // anything else: answered with `error` (id null if unreadable)
  };
  Kind kind = Kind::kInvalid;
  boost::json::value id;  // null unless a request/response (or readable in kInvalid)
  std::string method;
  boost::json::object params;  // empty when absent
  RpcError error;              // kInvalid only
};
Incoming Classify(const boost::json::value& message);

// True for a single (non-batch) initialize request: the HTTP transport opens
// a new MCP session for it.
bool IsInitializeRequest(const boost::json::value& message);

// A key that tells request ids apart: 7 and "7" differ. A raw number id's
// key is its text.
std::string IdKey(const boost::json::value& id);

}  // namespace nga::mcp

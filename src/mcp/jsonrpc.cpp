#include "mcp/jsonrpc.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "mcp/raw_id.h"

namespace nga::mcp {

namespace json = boost::json;

json::object MakeResult(const json::value& id, json::object result) {
  json::object response;
  response["jsonrpc"] = "2.0";
  response["id"] = id;
  response["result"] = std::move(result);
  return response;
}

json::object MakeErrorResponse(const json::value& id, const RpcError& error) {
  json::object body;
  body["code"] = error.code;
  body["message"] = error.message;
  if (error.data) body["data"] = *error.data;
  json::object response;
  response["jsonrpc"] = "2.0";
  response["id"] = id;
  response["error"] = std::move(body);
  return response;
}

json::object MakeNotification(std::string_view method, std::optional<json::object> params) {
  json::object message;
  message["jsonrpc"] = "2.0";
  message["method"] = method;
  if (params) message["params"] = std::move(*params);
  return message;
}

ParsedText ParseMessageText(std::string_view text) {
  json::error_code ec;
  json::value message = json::parse(text, ec);
  if (ec) {
    return {std::nullopt,
            MakeErrorResponse(nullptr, {rpc::kParseError, "Parse error: " + ec.message(), {}})};
  }
  KeepRawNumberIds(text, message);
  return {std::move(message), std::nullopt};
}

namespace {

// JSON-RPC ids are strings or numbers; MCP forbids null. Any number is
// fine: ParseMessageText kept the text of one that would not round-trip
// (raw_id.h), so it is echoed exactly as written.
bool IsValidId(const json::value& id) { return id.is_string() || id.is_number(); }

Incoming Invalid(json::value id, std::string message) {
  Incoming in;
  in.kind = Incoming::Kind::kInvalid;
  in.id = std::move(id);
  in.error = {rpc::kInvalidRequest, "Invalid Request: " + std::move(message), {}};
  return in;
}

}  // namespace

Incoming Classify(const json::value& message) {
  const json::object* obj = message.if_object();
  if (!obj) return Invalid(nullptr, "a message must be a JSON object");

  json::value id = nullptr;
  const json::value* raw_id = obj->if_contains("id");
  if (raw_id && IsValidId(*raw_id)) id = *raw_id;

  const json::value* version = obj->if_contains("jsonrpc");
  if (!version || !version->is_string() || version->get_string() != "2.0") {
    return Invalid(id, "\"jsonrpc\" must be \"2.0\"");
  }

  const json::value* method = obj->if_contains("method");
  if (!method) {
    if (raw_id && (obj->contains("result") || obj->contains("error"))) {
      Incoming in;
      in.kind = Incoming::Kind::kResponse;
      in.id = id;
      return in;
    }
    return Invalid(id, "\"method\" is missing");
  }
  if (!method->is_string()) return Invalid(id, "\"method\" must be a string");
  if (raw_id && !IsValidId(*raw_id)) {
    return Invalid(nullptr, "\"id\" must be a string or a number");
  }

  Incoming in;
  in.kind = raw_id ? Incoming::Kind::kRequest : Incoming::Kind::kNotification;
  in.id = id;
  in.method = method->get_string();
  if (const json::value* params = obj->if_contains("params")) {
    if (params->is_object()) {
      in.params = params->get_object();
    } else if (!params->is_null() && raw_id) {  // a notification is never answered
      in.kind = Incoming::Kind::kInvalid;
      in.error = {rpc::kInvalidParams, "Invalid params: \"params\" must be an object", {}};
    }
  }
  return in;
}

bool IsInitializeRequest(const json::value& message) {
  Incoming in = Classify(message);
  return in.kind == Incoming::Kind::kRequest && in.method == "initialize";
}

std::string IdKey(const json::value& id) {
  if (std::optional<std::string_view> raw = RawNumberText(id)) return std::string(*raw);
  return json::serialize(id);
}

}  // namespace nga::mcp

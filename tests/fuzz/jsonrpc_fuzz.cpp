// The JSON-RPC / MCP dispatcher's front: a message text parsed and each
// element classified, as both transports do before dispatching.
#include <boost/json/serialize.hpp>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "mcp/jsonrpc.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  nga::mcp::ParsedText parsed = nga::mcp::ParseMessageText(text);
  if (!parsed.message) {
    if (!parsed.parse_error_response) __builtin_trap();  // a failure always has its answer
    return 0;
  }
  auto classify = [](const boost::json::value& item) {
    nga::mcp::Incoming in = nga::mcp::Classify(item);
    if (in.kind == nga::mcp::Incoming::Kind::kInvalid) {
      (void)boost::json::serialize(nga::mcp::MakeErrorResponse(in.id, in.error));
    } else if (in.kind == nga::mcp::Incoming::Kind::kRequest) {
      (void)nga::mcp::IdKey(in.id);
      (void)boost::json::serialize(nga::mcp::MakeResult(in.id, {}));
    }
  };
  if (const auto* batch = parsed.message->if_array()) {
    for (const auto& item : *batch) classify(item);
  } else {
    classify(*parsed.message);
  }
  (void)nga::mcp::IsInitializeRequest(*parsed.message);
  return 0;
}

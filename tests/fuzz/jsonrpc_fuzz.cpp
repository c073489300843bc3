// The JSON-RPC / MCP dispatcher's front: a message text parsed and each
// element classified, as both transports do before dispatching.
#include <boost/json/parse.hpp>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "mcp/jsonrpc.h"
#include "mcp/raw_id.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  nga::mcp::ParsedText parsed = nga::mcp::ParseMessageText(text);
  if (!parsed.message) {
    if (!parsed.parse_error_response) __builtin_trap();  // a failure always has its answer
    return 0;
  }
  // What we write back is JSON, whatever id text was kept raw.
  auto write = [](const boost::json::object& response) {
    boost::json::error_code ec;
    (void)boost::json::parse(nga::mcp::SerializeMessage(response), ec);
    if (ec) __builtin_trap();
  };
  auto classify = [&write](const boost::json::value& item) {
    nga::mcp::Incoming in = nga::mcp::Classify(item);
    if (in.kind == nga::mcp::Incoming::Kind::kInvalid) {
      write(nga::mcp::MakeErrorResponse(in.id, in.error));
    } else if (in.kind == nga::mcp::Incoming::Kind::kRequest) {
      (void)nga::mcp::IdKey(in.id);
      write(nga::mcp::MakeResult(in.id, {}));
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

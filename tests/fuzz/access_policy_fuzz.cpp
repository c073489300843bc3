// The Host/Origin policy: the input is split at the first newline into a
// Host and an Origin header. Checks the rules that must hold for any input.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "net/access.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto newline = text.find('\n');
  std::string_view host = text.substr(0, newline);
  std::optional<std::string_view> origin;
  if (newline != std::string_view::npos) origin = text.substr(newline + 1);

  nga::net::AccessPolicy policy;
  policy.AllowOrigin("http://allowed.example:8080");
  auto verdict = policy.Check(host, origin);
  std::string name = nga::net::HostName(host);
  // Only loopback names pass without --allow-host.
  if (!verdict && name != "localhost" && name != "127.0.0.1" && name != "[::1]") __builtin_trap();
  // "null" never passes; /mcp's rule is never looser than the browser's.
  if (origin && *origin == "null" && !verdict) __builtin_trap();
  if (!policy.CheckOwnOrigin(host, origin) && !policy.Check(host, std::nullopt) && verdict) {
    __builtin_trap();
  }
  return 0;
}

// The dev server that `serve --proxy URL` fronts: parsed once from the
// command line. Plain types, no Beast.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "util/result.h"

namespace nga::net {

struct Upstream {
  std::string url;          // as shown to people: "http://localhost:4200"
  std::string host;         // what to resolve: "localhost", "::1"
  std::uint16_t port = 80;  // 80 when the URL names none
  std::string host_header;  // what the upstream expects in Host: "localhost:4200"
  std::string origin;       // the upstream's own origin: "http://localhost:4200"
};

// Accepts "http://host[:port][/]" and "host:port" (http assumed). Refuses
// https (the dev server is local: point --proxy at its plain-HTTP address),
// paths, user info, queries and bad ports, with a message saying which.
Result<Upstream> ParseUpstream(std::string_view text);

}  // namespace nga::net

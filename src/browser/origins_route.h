// POST /__annotate/origins (C1): a dev-server integration that reuses a
// running daemon registers the origins its pages are served from.
//
//   request  {"origins":["http://localhost:5173", ...]}
//   answer   {"origins":[...the request's, normalised...],"registered":N,"limit":256}
//
// The registry keeps at most its limit (OriginRegistry::kMaxOrigins): the
// least recently registered make room, and a line on stderr says which. A
// request naming more than the limit gets 400.
//
// Only for tools, never for pages: a request carrying an Origin header (every
// browser POST does) gets 403; the Host was already checked by the server's
// AccessPolicy. Malformed JSON or an origin that is not http(s)://host[:port]
// gets 400 and registers nothing.
#pragma once

#include <memory>

#include "net/origin_registry.h"
#include "net/server.h"

namespace nga::browser {

inline constexpr std::string_view kOriginsPath = "/__annotate/origins";

// `registry` is the one the server's AccessPolicy reads (UseRegistry).
void AddOriginsRoute(net::HttpServer& server, std::shared_ptr<net::OriginRegistry> registry);

}  // namespace nga::browser

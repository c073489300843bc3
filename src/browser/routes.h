// The HTTP side of /__annotate (SPEC §6): health, the overlay script, the
// manifest, and the WebSocket that speaks the browser protocol through a Hub.
#pragma once

#include <boost/json/object.hpp>
#include <functional>

#include "auth/open_credentials.h"
#include "browser/hub.h"
#include "net/server.h"
#include "store/root.h"
#include "store/store.h"

namespace nga::browser {

inline constexpr std::string_view kSocketPath = "/__annotate";

// Registers on `server`:
//   WS  /__annotate               the browser protocol, handled by `hub`
//   GET /__annotate/health        {version, root, store, sessionsConnected,
//                                  socketsConnected, lastAgentHeartbeat}
//       ?challenge=C              adds "proof": HMAC-SHA-256(daemon_token, C) in
//                                 hex, the daemon's proof of identity
//                                 (cli/daemon_file.h); C: 32 to 256 lowercase
//                                 hex digits, else 400; no proof without a token
//   GET /__annotate/client.js     the embedded overlay, with ETag / 304
//   GET /__annotate/capture.js    the rest of it, which client.js loads on
//                                 first use (client/build.mjs), ETag / 304
//   GET /__annotate/manifest      the component manifest, from `manifest`
//                                 (an empty object when it is not set)
// Team mode: a socket admitted with a token (HttpRequest::caller) is
// recorded in `credentials`, so that revoking the token closes it (1008).
// Everything referenced must outlive the server's connections.
void AddBrowserRoutes(net::HttpServer& server, Hub& hub, Store& store, const ProjectPaths& paths,
                      std::function<boost::json::object()> manifest = {},
                      std::string daemon_token = {}, auth::OpenCredentials* credentials = nullptr);

// The ETag served with an embedded script: a strong validator of its bytes.
std::string AssetEtag(std::string_view bytes);
// The overlay's (client.js).
std::string ClientJsEtag();

}  // namespace nga::browser

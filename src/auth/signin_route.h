// The overlay's sign-in (issue 20), at /__annotate/signin on a team server.
//
// `ng-annotate token link` prints <server>/__annotate/signin#token=<token>.
// The token travels in the fragment, which browsers never send, so it is in
// no request line, access log or Referer. The page this GET serves reads
// the fragment, wipes it from the address bar and history, and POSTs the
// token in a JSON body to the same path; the answer sets it as the
// `nga_token` cookie: HttpOnly (no script of any page can read it),
// SameSite=Lax, Path=/, Max-Age up to the token's expiry (at most 30 days),
// and Secure when the browser came over https (auth/forwarded.h). From then
// on the overlay's requests and WebSocket carry it by themselves.
//
//   GET  /__annotate/signin         the page (no token needed)
//   POST /__annotate/signin         {"token": "..."} -> 200 {"name","role",
//                                   "project"} + Set-Cookie; an agent token
//                                   403 (agents use /mcp); a bad one 401
//   POST /__annotate/signin         {"signOut": true} -> 200, cookie cleared
#pragma once

#include "auth/forwarded.h"
#include "net/server.h"
#include "store/store.h"
#include "util/time.h"

namespace nga::auth {

void AddSignInRoute(net::HttpServer& server, Store& store, Clock clock, TrustedProxies proxies);

}  // namespace nga::auth

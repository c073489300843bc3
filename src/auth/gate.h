// Team mode's gate (issue 20): every request and WebSocket upgrade must carry
// a live token of this server's project, loopback included; which role may
// use what is decided here, by path, before anything is routed.
//
// Where a token is read from:
//   Authorization: Bearer <token>   any client; the only way in on /mcp
//   Cookie: nga_token=<token>       the overlay's browser, after the sign-in
//                                   page set it (auth/signin_route.h); not
//                                   on /mcp, so no page can drive an agent's
//                                   endpoint with a reviewer's cookie
//
// Roles, by path:
//   /__annotate/signin              no token (the sign-in page and its POST
//                                   check the token themselves)
//   /mcp                            agent, admin (a reviewer's token: 403)
//   the /__annotate WebSocket       reviewer, admin (an agent's token: 403)
//   Require()d prefixes             the roles named there
//   every other path                any live token
//
// No token: 401 with WWW-Authenticate: Bearer. A malformed, unknown, revoked
// or expired one: 401, with a reason that never quotes the token.
//
// Thread rules: the server's thread (it reads the store).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "net/http.h"
#include "store/store.h"
#include "store/token.h"
#include "util/time.h"

namespace nga::auth {

inline constexpr const char* kTokenCookie = "nga_token";
inline constexpr const char* kSignInPath = "/__annotate/signin";

// The token a request presents, from Authorization: Bearer, else (when
// `cookie_allowed`) the nga_token cookie.
std::optional<std::string> PresentedToken(const net::HttpRequest& request, bool cookie_allowed);

class TeamGate {
 public:
  TeamGate(Store& store, Clock clock);

  // Only these roles may use `prefix` and what is under it (HTTP requests;
  // with `upgrade`, WebSocket upgrades on exactly that path).
  void Require(std::string prefix, std::vector<TokenRole> roles, bool upgrade = false);

  // nullopt: admitted, request.caller set. Else the 401/403 to send.
  std::optional<net::GateRefusal> Admit(net::HttpRequest& request, bool upgrade);

  // For ServerOptions::gate. The gate must outlive the server.
  net::RequestGate AsRequestGate();

 private:
  struct Rule {
    std::string prefix;
    std::vector<TokenRole> roles;
    bool upgrade;
  };
  const Rule* RuleFor(const std::string& path, bool upgrade) const;

  Store& store_;
  Clock clock_;
  std::vector<Rule> rules_;
};

}  // namespace nga::auth

#include "auth/signin_route.h"

#include <fmt/format.h>

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "auth/gate.h"
#include "auth/token.h"

namespace nga::auth {

namespace {

namespace json = boost::json;

constexpr Millis kMaxCookieAge = 30LL * 24 * 3600 * 1000;

// No token in it: the page takes it from its own fragment.
constexpr const char* kPage = R"html(<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>ng-annotate sign-in</title>
<meta name="referrer" content="no-referrer">
<style>body{font:16px system-ui,sans-serif;margin:4rem auto;max-width:36rem;padding:0 1rem}</style>
</head><body><h1>ng-annotate</h1><p id="status">Signing in…</p>
<script>
(async () => {
  const status = document.getElementById('status');
  const params = new URLSearchParams(location.hash.slice(1));
  const token = params.get('token');
  // The token leaves the address bar and the history entry at once.
  history.replaceState(null, '', location.pathname);
  if (!token) { status.textContent = 'This link holds no token: ask an admin for a new one (ng-annotate token link).'; return; }
  try {
    const res = await fetch(location.pathname, {
      method: 'POST', credentials: 'same-origin', cache: 'no-store',
      headers: {'Content-Type': 'application/json'}, body: JSON.stringify({token}),
    });
    const body = await res.json().catch(() => ({}));
    if (!res.ok) { status.textContent = 'Not signed in: ' + (body.error || res.status); return; }
    status.textContent = 'Signed in as ' + body.name + ' (' + body.role + ') for project ' +
      body.project + '. Open the preview and press Alt+Shift+A.';
    document.body.dataset.signedIn = body.name;
  } catch (e) { status.textContent = 'Not signed in: ' + e.message; }
})();
</script></body></html>
)html";

void Answer(net::HttpResponder& responder, unsigned status, json::object body,
            net::HeaderList headers = {}) {
  headers.emplace_back("Cache-Control", "no-store");
  responder.Respond(status, "application/json", json::serialize(body), std::move(headers));
}

std::string Cookie(const std::string& value, Millis max_age_ms, bool secure) {
  return fmt::format("{}={}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{}", kTokenCookie, value,
                     max_age_ms / 1000, secure ? "; Secure" : "");
}

}  // namespace

void AddSignInRoute(net::HttpServer& server, Store& store, Clock clock, TrustedProxies proxies) {
  server.Route(kSignInPath, [&store, clock, proxies](
                                const net::HttpRequest& request,
                                std::shared_ptr<net::HttpResponder> responder) {
    if (request.path != kSignInPath) {
      return responder->Respond(404, "text/plain", "not found\n");
    }
    if (request.method == "GET" || request.method == "HEAD") {
      return responder->Respond(
          200, "text/html; charset=utf-8", kPage,
          {{"Cache-Control", "no-store"},
           {"Referrer-Policy", "no-referrer"},
           {"Content-Security-Policy",
            "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
            "connect-src 'self'"}});
    }
    if (request.method != "POST") {
      return responder->Respond(405, "text/plain", "GET or POST\n", {{"Allow", "GET, POST"}});
    }
    const bool secure = proxies.Scheme(request) == "https";
    boost::system::error_code ec;
    json::value body = json::parse(request.body, ec);
    if (ec || !body.is_object()) {
      return Answer(*responder, 400, {{"error", "the body must be a JSON object"}});
    }
    const json::object& fields = body.as_object();
    if (const auto* out = fields.if_contains("signOut"); out && out->is_bool() && out->as_bool()) {
      return Answer(*responder, 200, {{"signedOut", true}},
                    {{"Set-Cookie", Cookie("", 0, secure)}});
    }
    const auto* token_field = fields.if_contains("token");
    if (!token_field || !token_field->is_string()) {
      return Answer(*responder, 400, {{"error", "\"token\" (a string) is required"}});
    }
    const std::string text(token_field->as_string());
    const Millis now = clock();
    TokenCheck check = CheckToken(store, text, now);
    if (!check.token) {
      return Answer(*responder, check.refused == Refused::kStorage ? 503 : 401,
                    {{"error", check.message}});
    }
    const TokenRecord& token = *check.token;
    if (token.role == TokenRole::kAgent) {
      return Answer(*responder, 403,
                    {{"error",
                      "agent tokens are for /mcp, not the overlay: ask for a reviewer "
                      "link"}});
    }
    Millis age = kMaxCookieAge;
    if (token.expires_at) age = std::min(age, *token.expires_at - now);
    return Answer(
        *responder, 200,
        {{"name", token.name}, {"role", TokenRoleName(token.role)}, {"project", store.project()}},
        {{"Set-Cookie", Cookie(text, age, secure)}});
  });
}

}  // namespace nga::auth

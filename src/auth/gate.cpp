#include "auth/gate.h"

#include <algorithm>

#include "auth/token.h"

namespace nga::auth {

namespace {

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

bool UnderPrefix(std::string_view prefix, std::string_view path) {
  if (path.substr(0, prefix.size()) != prefix) return false;
  return path.size() == prefix.size() || path[prefix.size()] == '/';
}

std::string RoleList(const std::vector<TokenRole>& roles) {
  std::string out;
  for (TokenRole role : roles) {
    if (!out.empty()) out += " or ";
    out += TokenRoleName(role);
  }
  return out;
}

net::GateRefusal Unauthorized(std::string reason) {
  return net::GateRefusal{.status = 401,
                          .reason = "unauthorized: " + reason,
                          .headers = {{"WWW-Authenticate", "Bearer realm=\"ng-annotate\""},
                                      {"Cache-Control", "no-store"}}};
}

}  // namespace

std::optional<std::string> PresentedToken(const net::HttpRequest& request, bool cookie_allowed) {
  for (const auto& [name, value] : request.headers) {
    if (name != "authorization") continue;
    std::string_view text = Trim(value);
    constexpr std::string_view kBearer = "bearer ";
    if (text.size() > kBearer.size()) {
      std::string scheme(text.substr(0, kBearer.size()));
      std::transform(scheme.begin(), scheme.end(), scheme.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      if (scheme == kBearer) return std::string(Trim(text.substr(kBearer.size())));
    }
  }
  if (!cookie_allowed) return std::nullopt;
  for (const auto& [name, value] : request.headers) {
    if (name != "cookie") continue;
    std::string_view rest = value;
    while (!rest.empty()) {
      auto semi = rest.find(';');
      std::string_view pair = Trim(rest.substr(0, semi));
      rest = semi == std::string_view::npos ? std::string_view() : rest.substr(semi + 1);
      auto eq = pair.find('=');
      if (eq != std::string_view::npos && Trim(pair.substr(0, eq)) == kTokenCookie) {
        return std::string(Trim(pair.substr(eq + 1)));
      }
    }
  }
  return std::nullopt;
}

TeamGate::TeamGate(Store& store, Clock clock) : store_(store), clock_(std::move(clock)) {
  Require("/mcp", {TokenRole::kAgent, TokenRole::kAdmin});
  Require("/__annotate", {TokenRole::kReviewer, TokenRole::kAdmin}, /*upgrade=*/true);
}

void TeamGate::Require(std::string prefix, std::vector<TokenRole> roles, bool upgrade) {
  rules_.push_back(Rule{std::move(prefix), std::move(roles), upgrade});
  // The longest prefix decides.
  std::stable_sort(rules_.begin(), rules_.end(),
                   [](const Rule& a, const Rule& b) { return a.prefix.size() > b.prefix.size(); });
}

const TeamGate::Rule* TeamGate::RuleFor(const std::string& path, bool upgrade) const {
  for (const Rule& rule : rules_) {
    if (rule.upgrade != upgrade) continue;
    if (upgrade ? path == rule.prefix : UnderPrefix(rule.prefix, path)) return &rule;
  }
  return nullptr;
}

std::optional<net::GateRefusal> TeamGate::Admit(net::HttpRequest& request, bool upgrade) {
  if (!upgrade && request.path == kSignInPath) return std::nullopt;
  const bool mcp = UnderPrefix("/mcp", request.path);
  auto text = PresentedToken(request, /*cookie_allowed=*/!mcp);
  if (!text || text->empty()) {
    return Unauthorized(
        mcp ? "this server is in team mode: send Authorization: Bearer <token> (ng-annotate "
              "token create --role agent)"
            : "this server is in team mode: sign in with the link from `ng-annotate token link`, "
              "or send Authorization: Bearer <token>");
  }
  TokenCheck check = CheckToken(store_, *text, clock_());
  if (!check.token) {
    if (check.refused == Refused::kStorage) {
      return net::GateRefusal{.status = 503, .reason = "cannot check the token: " + check.message};
    }
    return Unauthorized(check.message);
  }
  const TokenRecord& token = *check.token;
  if (const Rule* rule = RuleFor(request.path, upgrade)) {
    if (std::find(rule->roles.begin(), rule->roles.end(), token.role) == rule->roles.end()) {
      return net::GateRefusal{.status = 403,
                              .reason = "forbidden: " + request.path + " is for " +
                                        RoleList(rule->roles) + " tokens; this one is " +
                                        TokenRoleName(token.role)};
    }
  }
  request.caller = net::Caller{token.id, token.name, TokenRoleName(token.role)};
  return std::nullopt;
}

net::RequestGate TeamGate::AsRequestGate() {
  return [this](net::HttpRequest& request, bool upgrade) { return Admit(request, upgrade); };
}

}  // namespace nga::auth

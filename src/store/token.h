// A team-mode access token as the store keeps it (issue 20). The store
// never sees the secret: only its SHA-256 (auth/token.h says why that is
// enough), so a copy of the database hands out no credential.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "util/time.h"

namespace nga {

// What a token may do (auth/gate.h has the rules per route).
enum class TokenRole {
  kReviewer,  // the browser protocol: create, reply, delete own, answer diffs
  kAgent,     // MCP only
  kAdmin,     // both, and token management
};
const char* TokenRoleName(TokenRole role);
std::optional<TokenRole> ParseTokenRole(std::string_view name);

struct TokenRecord {
  std::string id;    // public: the part of the token that finds its row
  std::string name;  // who holds it: recorded as the author of what it does
  TokenRole role = TokenRole::kReviewer;
  std::string secret_hash;  // lowercase hex SHA-256 of the secret part
  Millis created_at = 0;
  std::optional<Millis> expires_at;
  std::optional<Millis> revoked_at;

  // Neither revoked nor past its expiry at `now`.
  bool LiveAt(Millis now) const { return !revoked_at && (!expires_at || now < *expires_at); }
};

}  // namespace nga

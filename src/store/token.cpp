#include "store/token.h"

namespace nga {

const char* TokenRoleName(TokenRole role) {
  switch (role) {
    case TokenRole::kReviewer:
      return "reviewer";
    case TokenRole::kAgent:
      return "agent";
    case TokenRole::kAdmin:
      return "admin";
  }
  return "reviewer";
}

std::optional<TokenRole> ParseTokenRole(std::string_view name) {
  for (TokenRole role : {TokenRole::kReviewer, TokenRole::kAgent, TokenRole::kAdmin}) {
    if (name == TokenRoleName(role)) return role;
  }
  return std::nullopt;
}

}  // namespace nga

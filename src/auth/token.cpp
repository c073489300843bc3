#include "auth/token.h"

#include <cctype>
#include <charconv>

#include "cli/daemon_file.h"
#include "util/hmac_sha256.h"

namespace nga::auth {

namespace {

constexpr std::string_view kPrefix = "nga_";
constexpr std::size_t kIdDigits = 16;
constexpr std::size_t kSecretDigits = 64;

bool AllHex(std::string_view text) {
  for (char c : text) {
    if (!std::isxdigit(static_cast<unsigned char>(c)) ||
        std::isupper(static_cast<unsigned char>(c))) {
      return false;
    }
  }
  return true;
}

}  // namespace

Result<MintedToken> MintToken(std::string name, TokenRole role, Millis now,
                              std::optional<Millis> expires_at) {
  // The daemon's secret generator: 32 bytes from the OS's CSPRNG as hex.
  auto id_bytes = cli::NewDaemonToken();
  if (!id_bytes) return id_bytes.error();
  auto secret = cli::NewDaemonToken();
  if (!secret) return secret.error();
  MintedToken minted;
  std::string id = id_bytes->substr(0, kIdDigits);
  minted.text = std::string(kPrefix) + id + "_" + *secret;
  minted.record = TokenRecord{.id = std::move(id),
                              .name = std::move(name),
                              .role = role,
                              .secret_hash = Sha256Hex(*secret),
                              .created_at = now,
                              .expires_at = expires_at};
  return minted;
}

std::optional<TokenParts> ParseToken(std::string_view text) {
  if (text.size() != kPrefix.size() + kIdDigits + 1 + kSecretDigits) return std::nullopt;
  if (text.substr(0, kPrefix.size()) != kPrefix) return std::nullopt;
  std::string_view id = text.substr(kPrefix.size(), kIdDigits);
  if (text[kPrefix.size() + kIdDigits] != '_') return std::nullopt;
  std::string_view secret = text.substr(kPrefix.size() + kIdDigits + 1);
  if (!AllHex(id) || !AllHex(secret)) return std::nullopt;
  return TokenParts{std::string(id), std::string(secret)};
}

std::optional<Millis> ParseDuration(std::string_view text) {
  if (text.size() < 2) return std::nullopt;
  Millis unit = 0;
  switch (text.back()) {
    case 'd':
      unit = 24LL * 3600 * 1000;
      break;
    case 'h':
      unit = 3600LL * 1000;
      break;
    case 'm':
      unit = 60LL * 1000;
      break;
    case 's':
      unit = 1000;
      break;
    default:
      return std::nullopt;
  }
  std::string_view digits = text.substr(0, text.size() - 1);
  long long count = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), count);
  if (ec != std::errc() || end != digits.data() + digits.size() || count <= 0 ||
      count > 100LL * 365 * 24 * 3600) {
    return std::nullopt;
  }
  return count * unit;
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  }
  return diff == 0;
}

TokenCheck CheckToken(Store& store, std::string_view text, Millis now) {
  TokenCheck check;
  auto refuse = [&check](Refused why, std::string message) {
    check.refused = why;
    check.message = std::move(message);
    return check;
  };
  auto parts = ParseToken(text);
  if (!parts) {
    return refuse(Refused::kMalformed,
                  "not an ng-annotate token (they read nga_<16 hex>_<64 hex>)");
  }
  auto found = store.FindToken(parts->id);
  if (!found) return refuse(Refused::kStorage, found.error().message);
  // An unknown id and a wrong secret get the same answer: a guesser learns
  // nothing about which ids exist.
  if (!found->has_value() || !ConstantTimeEquals(Sha256Hex(parts->secret), (*found)->secret_hash)) {
    return refuse(Refused::kUnknown, "unknown token for this project");
  }
  const TokenRecord& token = **found;
  if (token.revoked_at) return refuse(Refused::kRevoked, "this token was revoked");
  if (token.expires_at && now >= *token.expires_at) {
    return refuse(Refused::kExpired, "this token expired on " + FormatIso8601(*token.expires_at));
  }
  check.token = token;
  return check;
}

}  // namespace nga::auth

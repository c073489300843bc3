// Team-mode access tokens (issue 20): minting, parsing, checking.
//
// A token reads `nga_<id>_<secret>`: `id` is 16 hex digits that find the
// token's row (public: `token list` shows it, revoking closes what it
// opened), `secret` 64 hex digits from the OS's CSPRNG. The store keeps only
// SHA-256(secret). A plain hash, not a slow password hash (bcrypt, argon2),
// because the secret is 256 random bits, not something a person chose: no
// dictionary to try, and a preimage of SHA-256 is out of reach, so a stolen
// database hands out no usable token, while each request costs one fast hash.
// The hashes are compared in constant time, so the time an answer takes says
// nothing about how much of a guessed secret was right.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "store/store.h"
#include "store/token.h"
#include "util/result.h"
#include "util/time.h"

namespace nga::auth {

struct MintedToken {
  std::string text;    // the token itself: shown once, never stored
  TokenRecord record;  // what the store keeps
};

// A new token with fresh random id and secret.
Result<MintedToken> MintToken(std::string name, TokenRole role, Millis now,
                              std::optional<Millis> expires_at);

struct TokenParts {
  std::string id;
  std::string secret;
};
// Splits `nga_<id>_<secret>`; nullopt for anything else.
std::optional<TokenParts> ParseToken(std::string_view text);

// "30d", "12h", "45m", "90s" -> milliseconds; nullopt for anything else
// (zero included).
std::optional<Millis> ParseDuration(std::string_view text);

// True when a and b are equal, in time that depends only on their lengths.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

// Why a token was refused. The messages never quote the token.
enum class Refused { kMalformed, kUnknown, kRevoked, kExpired, kStorage };
struct TokenCheck {
  std::optional<TokenRecord> token;  // set when live
  Refused refused = Refused::kUnknown;
  std::string message;  // when refused: one line for the client
};

// Finds the token in the store (of the server's project: a token of another
// project is unknown here) and checks it is genuine, unrevoked and unexpired.
TokenCheck CheckToken(Store& store, std::string_view text, Millis now);

}  // namespace nga::auth

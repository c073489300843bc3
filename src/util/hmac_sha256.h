// HMAC-SHA-256 (RFC 2104 over FIPS 180-4), for the daemon's proof of
// identity (cli/daemon_file.h): the binary links no crypto library, and this
// is the only place it needs one. Not for bulk data: it is simple, not fast.
#pragma once

#include <string>
#include <string_view>

namespace nga {

// The 64 lowercase hex digits of HMAC-SHA-256(key, message).
std::string HmacSha256Hex(std::string_view key, std::string_view message);

// The 64 lowercase hex digits of SHA-256(data).
std::string Sha256Hex(std::string_view data);

}  // namespace nga

// Base64 (RFC 4648 §4, with padding): screenshots travel as base64 text in a
// browser frame and in MCP image content, and are stored as bytes.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace nga {

std::string Base64Encode(std::string_view bytes);

// The bytes, or nullopt for text that is not canonical padded base64 (a
// character outside the alphabet, a length not a multiple of 4, misplaced
// padding). Whitespace is not accepted.
std::optional<std::string> Base64Decode(std::string_view text);

}  // namespace nga

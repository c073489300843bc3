// UTF-8 checks. Limits in SPEC §3 count characters (code points), not bytes.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace nga {

bool IsValidUtf8(std::string_view text);

// Number of code points in valid UTF-8 text.
std::size_t CountCodePoints(std::string_view text);

// The first max_code_points code points of valid UTF-8 text.
std::string_view TruncateCodePoints(std::string_view text, std::size_t max_code_points);

}  // namespace nga

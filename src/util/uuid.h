// Random identifiers for sessions, annotations and replies.
#pragma once

#include <string>
#include <string_view>

namespace nga {

// A fresh UUID v4 in its lowercase 36-character form.
std::string NewUuidV4();

// True for the 8-4-4-4-12 hexadecimal form (any version, any case).
bool LooksLikeUuid(std::string_view text);

}  // namespace nga

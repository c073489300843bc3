// MCP protocol versions this server speaks, and how one is chosen.
#pragma once

#include <array>
#include <string_view>

namespace nga::mcp {

// Newest first.
inline constexpr std::array<std::string_view, 4> kProtocolVersions = {"2025-11-25", "2025-06-18",
                                                                      "2025-03-26", "2024-11-05"};
inline constexpr std::string_view kLatestProtocolVersion = kProtocolVersions[0];

inline bool IsSupportedProtocolVersion(std::string_view version) {
  for (std::string_view v : kProtocolVersions) {
    if (v == version) return true;
  }
  return false;
}

// initialize: the client's version if we speak it, else our latest (the
// client then decides whether it can go on).
// Returns one of kProtocolVersions (never a view into `requested`).
inline std::string_view NegotiateProtocolVersion(std::string_view requested) {
  for (std::string_view v : kProtocolVersions) {
    if (v == requested) return v;
  }
  return kLatestProtocolVersion;
}

}  // namespace nga::mcp

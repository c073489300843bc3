// The manifest of a preview build (issue 20): which source location each
// stable short source id (`data-nga-id` on the built page's elements) stands
// for. The build plugins write it beside the build output (never among the
// served files); `ng-annotate manifest push` sends it to the team server,
// which stores it (Store::PutBuildManifest) and turns the id an annotation
// from that build carries back into file and line (browser/preview_source.h).
//
//   {"version": 1, "project": "shop", "build": "5f0c2a9e1b7d",
//    "ids": {"k3f9a2c1": "src/components/Price.tsx:12:5", ...}}
//
// It holds locations only, never source text: root-relative paths with
// forward slashes, 1-based line and column.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "util/result.h"

namespace nga {

inline constexpr int kBuildManifestVersion = 1;
// Bounds of one manifest: a large app has tens of thousands of elements.
inline constexpr std::size_t kMaxBuildSources = 200000;
inline constexpr std::size_t kMaxBuildIdChars = 128;
inline constexpr std::size_t kMaxSourceIdChars = 32;
inline constexpr std::size_t kMaxSourceLocationChars = 1024;

struct BuildManifest {
  std::string project;  // as the manifest names it ("" when it names none)
  std::string build;
  // (source id, "file:line:col"), in the manifest's order.
  std::vector<std::pair<std::string, std::string>> sources;
};

// True for a build id or a source id: letters, digits, '.', '_' and '-'
// (what a build id from CI, a commit hash or a hash of the sources is).
bool IsBuildId(std::string_view id);
bool IsSourceId(std::string_view id);

// A root-relative "file:line:col": no absolute path, no backslash, no `..`
// segment, positive line and column.
bool IsSourceLocation(std::string_view location);

// Parses and checks a manifest; the error names what is wrong and where
// (the first bad id), so the author of the build can fix it.
Result<BuildManifest> ParseBuildManifest(std::string_view text);

}  // namespace nga

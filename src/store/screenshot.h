// Screenshots of an annotation's element (issue 18): what the overlay
// captured when the user sent it ("before") and once the agent's change had
// landed ("after"). Stored as blobs beside the annotation, never in its JSON
// nor in any list; served at GET /__annotate/annotations/ID/screenshot and
// returned by get_annotation as MCP image content.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "util/result.h"
#include "util/time.h"

namespace nga::limits {

// An image's bytes (WebP or PNG, as the overlay encodes it).
inline constexpr std::size_t kScreenshotBytes = 300 * 1024;
// Its longest side, in pixels (the overlay scales down to this).
inline constexpr int kScreenshotLongSide = 1600;

}  // namespace nga::limits

namespace nga {

enum class ScreenshotKind { kBefore, kAfter };

std::string_view ScreenshotKindName(ScreenshotKind kind);  // "before" | "after"
std::optional<ScreenshotKind> ParseScreenshotKind(std::string_view name);

struct Screenshot {
  ScreenshotKind kind = ScreenshotKind::kBefore;
  std::string mime_type;  // "image/webp" | "image/png"
  int width = 0;
  int height = 0;
  std::string bytes;
  Millis created_at = 0;
};

// A screenshot of `kind` from the image's own bytes: its format and size
// read from its header (util/image_info.h), within the limits above. An
// image that is not one, or over a limit, is an error the overlay can show.
Result<Screenshot> MakeScreenshot(ScreenshotKind kind, std::string bytes);

}  // namespace nga

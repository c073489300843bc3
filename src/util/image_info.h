// What an image says it is, read from its header alone: the format and its
// size in pixels. Screenshots (issue 18) are checked with this before they
// are stored, so a frame that claims a PNG is one, within the size bounds.
#pragma once

#include <string>
#include <string_view>

#include "util/result.h"

namespace nga {

struct ImageInfo {
  std::string mime_type;  // "image/png" or "image/webp"
  int width = 0;
  int height = 0;
};

// PNG (signature + IHDR) or WebP (RIFF/WEBP with a VP8, VP8L or VP8X
// chunk); anything else, or a header cut short, is an invalid_argument error.
Result<ImageInfo> ReadImageInfo(std::string_view bytes);

}  // namespace nga

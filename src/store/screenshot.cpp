#include "store/screenshot.h"

#include "util/image_info.h"

namespace nga {

std::string_view ScreenshotKindName(ScreenshotKind kind) {
  return kind == ScreenshotKind::kAfter ? "after" : "before";
}

std::optional<ScreenshotKind> ParseScreenshotKind(std::string_view name) {
  if (name == "before") return ScreenshotKind::kBefore;
  if (name == "after") return ScreenshotKind::kAfter;
  return std::nullopt;
}

Result<Screenshot> MakeScreenshot(ScreenshotKind kind, std::string bytes) {
  if (bytes.size() > limits::kScreenshotBytes) {
    return MakeError(ErrorCode::kLimitExceeded,
                     "the screenshot is " + std::to_string(bytes.size()) + " bytes; the limit is " +
                         std::to_string(limits::kScreenshotBytes));
  }
  auto info = ReadImageInfo(bytes);
  if (!info) return info.error();
  if (info->width > limits::kScreenshotLongSide || info->height > limits::kScreenshotLongSide) {
    return MakeError(ErrorCode::kLimitExceeded, "the screenshot is " + std::to_string(info->width) +
                                                    "x" + std::to_string(info->height) +
                                                    " pixels; its longest side may be " +
                                                    std::to_string(limits::kScreenshotLongSide));
  }
  Screenshot shot;
  shot.kind = kind;
  shot.mime_type = std::move(info->mime_type);
  shot.width = info->width;
  shot.height = info->height;
  shot.bytes = std::move(bytes);
  return shot;
}

}  // namespace nga

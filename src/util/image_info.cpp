#include "util/image_info.h"

#include <cstdint>

namespace nga {
namespace {

std::uint32_t Byte(std::string_view b, std::size_t i) { return static_cast<unsigned char>(b[i]); }
std::uint32_t BigEndian32(std::string_view b, std::size_t i) {
  return (Byte(b, i) << 24) | (Byte(b, i + 1) << 16) | (Byte(b, i + 2) << 8) | Byte(b, i + 3);
}
std::uint32_t LittleEndian(std::string_view b, std::size_t i, int bytes) {
  std::uint32_t n = 0;
  for (int k = bytes - 1; k >= 0; --k) n = (n << 8) | Byte(b, i + static_cast<std::size_t>(k));
  return n;
}

Error NotAnImage(std::string_view why) {
  return MakeError(ErrorCode::kInvalidArgument,
                   "the screenshot is not a PNG or WebP image: " + std::string(why));
}

Result<ImageInfo> Sized(std::string_view mime, std::uint32_t width, std::uint32_t height) {
  if (width == 0 || height == 0 || width > 1u << 16 || height > 1u << 16) {
    return NotAnImage("its header gives no usable size");
  }
  return ImageInfo{std::string(mime), static_cast<int>(width), static_cast<int>(height)};
}

}  // namespace

Result<ImageInfo> ReadImageInfo(std::string_view b) {
  constexpr std::string_view kPng = "\x89PNG\r\n\x1a\n";
  if (b.starts_with(kPng)) {
    // The first chunk is IHDR: length (13), "IHDR", width, height.
    if (b.size() < 24 || b.substr(12, 4) != "IHDR") return NotAnImage("a PNG without its IHDR");
    return Sized("image/png", BigEndian32(b, 16), BigEndian32(b, 20));
  }
  if (b.size() >= 12 && b.substr(0, 4) == "RIFF" && b.substr(8, 4) == "WEBP") {
    if (b.size() < 30) return NotAnImage("a WebP cut short");
    std::string_view chunk = b.substr(12, 4);
    if (chunk == "VP8X") {  // canvas size minus one, 24 bits each
      return Sized("image/webp", LittleEndian(b, 24, 3) + 1, LittleEndian(b, 27, 3) + 1);
    }
    if (chunk == "VP8L") {  // signature 0x2f, then 14 bits each, minus one
      if (Byte(b, 20) != 0x2f) return NotAnImage("a lossless WebP without its signature");
      std::uint32_t bits = LittleEndian(b, 21, 4);
      return Sized("image/webp", (bits & 0x3fff) + 1, ((bits >> 14) & 0x3fff) + 1);
    }
    if (chunk == "VP8 ") {  // key frame start code, then 14-bit sizes
      if (Byte(b, 23) != 0x9d || Byte(b, 24) != 0x01 || Byte(b, 25) != 0x2a) {
        return NotAnImage("a lossy WebP without its start code");
      }
      return Sized("image/webp", LittleEndian(b, 26, 2) & 0x3fff, LittleEndian(b, 28, 2) & 0x3fff);
    }
    return NotAnImage("a WebP of an unknown kind");
  }
  return NotAnImage("unknown signature");
}

}  // namespace nga

// Base64 and the image header reader behind screenshots (issue 18). The
// images are Chromium's own canvas encodings (37 x 23 pixels).
#include <gtest/gtest.h>

#include "util/base64.h"
#include "util/image_info.h"

namespace nga {
namespace {

constexpr std::string_view kPng =
    "iVBORw0KGgoAAAANSUhEUgAAACUAAAAXCAYAAACMLIalAAAARklEQVR4AezSsQkAQAgEwce2vjuLNtUWNlRYwewCGS9+"
    "Vm/"
    "beAvHo+hTlFKKCtCcnVKKCtCcnVKKCtCcnVKKCtCcnTotNQAAAP//HecRxQAAAAZJREFUAwBlrWPp/"
    "DzA1AAAAABJRU5ErkJggg==";
// toDataURL('image/webp', 0.8): VP8X (an ICC profile) around a lossy VP8 frame.
constexpr std::string_view kWebpLossy =
    "UklGRjACAABXRUJQVlA4WAoAAAAgAAAAJAAAFgAASUNDUMgBAAAAAAHIAAAAAAQwAABtbnRyUkdCIFhZWiAH4AABAAEAAA"
    "AAAABh"
    "Y3NwAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAQAA9tYAAQAAAADTLQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
    "AAAAAA"
    "AAAAAAAAAAAAAAAAAAAAAAAAAAlkZXNjAAAA8AAAACRyWFlaAAABFAAAABRnWFlaAAABKAAAABRiWFlaAAABPAAAABR3dH"
    "B0AAAB"
    "UAAAABRyVFJDAAABZAAAAChnVFJDAAABZAAAAChiVFJDAAABZAAAAChjcHJ0AAABjAAAADxtbHVjAAAAAAAAAAEAAAAMZW"
    "5VUwAA"
    "AAgAAAAcAHMAUgBHAEJYWVogAAAAAAAAb6IAADj1AAADkFhZWiAAAAAAAABimQAAt4UAABjaWFlaIAAAAAAAACSgAAAPhA"
    "AAts9Y"
    "WVogAAAAAAAA9tYAAQAAAADTLXBhcmEAAAAAAAQAAAACZmYAAPKnAAANWQAAE9AAAApbAAAAAAAAAABtbHVjAAAAAAAAAA"
    "EAAAAM"
    "ZW5VUwAAACAAAAAcAEcAbwBvAGcAbABlACAASQBuAGMALgAgADIAMAAxADZWUDggQgAAAJADAJ0BKiUAFwA+"
    "bTaXSKQjIiElaACA"
    "DYlnAMqmgH4AACv3w3AA/su3//UGfIM+QZ+ql//IL1b5tmpEYH+dFAAAAA==";
// toDataURL('image/webp', 1): VP8X around a lossless VP8L frame.
constexpr std::string_view kWebpLossless =
    "UklGRgACAABXRUJQVlA4WAoAAAAgAAAAJAAAFgAASUNDUMgBAAAAAAHIAAAAAAQwAABtbnRyUkdCIFhZWiAH4AABAAEAAA"
    "AAAABh"
    "Y3NwAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAQAA9tYAAQAAAADTLQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
    "AAAAAA"
    "AAAAAAAAAAAAAAAAAAAAAAAAAAlkZXNjAAAA8AAAACRyWFlaAAABFAAAABRnWFlaAAABKAAAABRiWFlaAAABPAAAABR3dH"
    "B0AAAB"
    "UAAAABRyVFJDAAABZAAAAChnVFJDAAABZAAAAChiVFJDAAABZAAAAChjcHJ0AAABjAAAADxtbHVjAAAAAAAAAAEAAAAMZW"
    "5VUwAA"
    "AAgAAAAcAHMAUgBHAEJYWVogAAAAAAAAb6IAADj1AAADkFhZWiAAAAAAAABimQAAt4UAABjaWFlaIAAAAAAAACSgAAAPhA"
    "AAts9Y"
    "WVogAAAAAAAA9tYAAQAAAADTLXBhcmEAAAAAAAQAAAACZmYAAPKnAAANWQAAE9AAAApbAAAAAAAAAABtbHVjAAAAAAAAAA"
    "EAAAAM"
    "ZW5VUwAAACAAAAAcAEcAbwBvAGcAbABlACAASQBuAGMALgAgADIAMAAxADZWUDhMEQAAAC8kgAUAB1DB7tS+/"
    "4GI6H8AAA==";

std::string Decoded(std::string_view text) {
  auto bytes = Base64Decode(text);
  EXPECT_TRUE(bytes) << text.substr(0, 20);
  return bytes ? *bytes : std::string();
}

// The simple-format file an encoder without metadata writes: RIFF, WEBP and
// the one image chunk (`fourcc`) taken out of `extended`.
std::string SimpleWebp(const std::string& extended, std::string_view fourcc) {
  std::size_t at = extended.find(fourcc);
  EXPECT_NE(at, std::string::npos);
  std::string chunk = extended.substr(at);
  std::string out = "RIFF";
  std::uint32_t size = static_cast<std::uint32_t>(4 + chunk.size());
  for (int i = 0; i < 4; ++i) out += static_cast<char>((size >> (8 * i)) & 0xff);
  return out + "WEBP" + chunk;
}

TEST(Base64, RoundTripsEveryRemainder) {
  EXPECT_EQ(Base64Encode(""), "");
  EXPECT_EQ(Base64Encode("f"), "Zg==");
  EXPECT_EQ(Base64Encode("fo"), "Zm8=");
  EXPECT_EQ(Base64Encode("foo"), "Zm9v");
  EXPECT_EQ(Base64Encode("foobar"), "Zm9vYmFy");
  std::string all;
  for (int i = 0; i < 256; ++i) all += static_cast<char>(i);
  for (std::size_t n : {0u, 1u, 2u, 3u, 254u, 255u, 256u}) {
    EXPECT_EQ(Base64Decode(Base64Encode(all.substr(0, n))), all.substr(0, n)) << n;
  }
}

TEST(Base64, RefusesWhatIsNotCanonical) {
  for (std::string_view bad : {"Zg", "Zg=", "Z===", "Zm9v\n", "Zm 9", "Zm9-", "=Zm9", "Zg==Zg=="}) {
    EXPECT_FALSE(Base64Decode(bad)) << bad;
  }
}

TEST(ImageInfo, ReadsPngAndEveryWebpKindChromiumWrites) {
  auto png = ReadImageInfo(Decoded(kPng));
  ASSERT_TRUE(png) << png.error().message;
  EXPECT_EQ(png->mime_type, "image/png");
  EXPECT_EQ(png->width, 37);
  EXPECT_EQ(png->height, 23);

  std::string lossy = Decoded(kWebpLossy), lossless = Decoded(kWebpLossless);
  for (const std::string& webp :
       {lossy, lossless, SimpleWebp(lossy, "VP8 "), SimpleWebp(lossless, "VP8L")}) {
    auto info = ReadImageInfo(webp);
    ASSERT_TRUE(info) << info.error().message;
    EXPECT_EQ(info->mime_type, "image/webp");
    EXPECT_EQ(info->width, 37);
    EXPECT_EQ(info->height, 23);
  }
}

TEST(ImageInfo, RefusesWhatIsNoImageOrCutShort) {
  std::string png = Decoded(kPng);
  for (const std::string& bad : {std::string("GIF89a..."), png.substr(0, 20),
                                 Decoded(kWebpLossy).substr(0, 20), std::string()}) {
    auto info = ReadImageInfo(bad);
    ASSERT_FALSE(info);
    EXPECT_EQ(info.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(info.error().message.find("not a PNG or WebP"), std::string::npos);
  }
  std::string zero = png;
  for (int i = 16; i < 20; ++i) zero[static_cast<std::size_t>(i)] = 0;  // width 0
  EXPECT_FALSE(ReadImageInfo(zero));
}

}  // namespace
}  // namespace nga

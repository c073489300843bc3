#include <gtest/gtest.h>

#include "util/time.h"
#include "util/utf8.h"
#include "util/uuid.h"

namespace nga {
namespace {

TEST(Time, FormatsIsoWithMillisAndZ) {
  EXPECT_EQ(FormatIso8601(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(FormatIso8601(1'764'170'438'123), "2025-11-26T15:20:38.123Z");
}

TEST(Time, ParsesWhatItFormatsAndOffsets) {
  EXPECT_EQ(ParseIso8601("2025-11-26T15:20:38.123Z"), 1'764'170'438'123);
  EXPECT_EQ(ParseIso8601("2025-11-26T15:20:38Z"), 1'764'170'438'000);
  EXPECT_EQ(ParseIso8601("2025-11-26T16:20:38.123+01:00"), 1'764'170'438'123);
  EXPECT_EQ(ParseIso8601("2025-11-26T15:20:38.1234567Z"), 1'764'170'438'123);
  EXPECT_FALSE(ParseIso8601("yesterday"));
  EXPECT_FALSE(ParseIso8601("2025-13-26T15:20:38Z"));
  EXPECT_FALSE(ParseIso8601("2025-11-26T15:20:38"));
  EXPECT_FALSE(ParseIso8601(""));
}

TEST(Uuid, IsVersion4AndUnique) {
  std::string a = NewUuidV4();
  std::string b = NewUuidV4();
  EXPECT_TRUE(LooksLikeUuid(a));
  EXPECT_NE(a, b);
  EXPECT_EQ(a[14], '4');
  EXPECT_FALSE(LooksLikeUuid("not-a-uuid"));
}

TEST(Utf8, RejectsMalformedSequences) {
  EXPECT_TRUE(IsValidUtf8("plain"));
  EXPECT_TRUE(IsValidUtf8("h\xC3\xA9llo \xF0\x9F\x98\x80"));
  EXPECT_FALSE(IsValidUtf8("\xC3"));              // cut short
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));          // overlong
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));      // surrogate
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // past U+10FFFF
  EXPECT_FALSE(IsValidUtf8("\xFF"));
}

TEST(Utf8, CountsAndCutsByCodePoint) {
  std::string text = "h\xC3\xA9llo";  // 5 code points, 6 bytes
  EXPECT_EQ(CountCodePoints(text), 5u);
  EXPECT_EQ(TruncateCodePoints(text, 2), "h\xC3\xA9");
  EXPECT_EQ(TruncateCodePoints(text, 10), text);
}

}  // namespace
}  // namespace nga

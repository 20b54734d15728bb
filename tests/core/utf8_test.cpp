#include "pavilion/core/utf8.h"

#include <gtest/gtest.h>

namespace pavilion {
namespace {

TEST(CoreUtf8, DecodesEveryLengthAndEncodesItBack) {
  const std::string text = "a·静😀";  // one, two, three and four bytes
  auto decoded = decode_utf8(text);
  ASSERT_TRUE(decoded.ok()) << decoded.error().describe();
  EXPECT_EQ(*decoded, U"a·静😀");
  std::string encoded;
  for (const char32_t c : *decoded) append_utf8(encoded, c);
  EXPECT_EQ(encoded, text);
}

TEST(CoreUtf8, MalformedBytesAreRefusedWithTheirOffset) {
  const struct {
    std::string bytes;
    std::string offset;
  } cases[] = {
      {"ab\xC0\xAF", "byte 2 "},        // overlong '/'
      {"\xED\xA0\x80", "byte 0 "},      // a surrogate
      {"x\xF4\x90\x80\x80", "byte 1 "},  // past U+10FFFF
      {"静\xE9\x9D", "byte 3 "},         // truncated
      {"\x80", "byte 0 "},              // a lone continuation byte
  };
  for (const auto& [bytes, offset] : cases) {
    auto decoded = decode_utf8(bytes);
    ASSERT_FALSE(decoded.ok());
    EXPECT_NE(decoded.error().why().find(offset), std::string::npos) << decoded.error().why();
  }
}

}  // namespace
}  // namespace pavilion

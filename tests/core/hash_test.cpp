#include "pavilion/core/hash.h"

#include <gtest/gtest.h>

#include <array>
#include <cctype>
#include <string>

namespace pavilion {
namespace {

std::span<const std::byte> bytes_of(std::string_view text) { return std::as_bytes(std::span(text.data(), text.size())); }

TEST(CoreHash, Blake2b256MatchesTheReferenceVectors) {
  // BLAKE2b-256 test vectors (RFC 7693's algorithm with a 32-byte digest).
  EXPECT_EQ(hash_content({}).to_hex(), "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8");
  EXPECT_EQ(hash_content(bytes_of("abc")).to_hex(), "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319");
}

TEST(CoreHash, PiecewiseHashingEqualsWholeHashing) {
  const std::string text = "The bright moon shines before my bed; 床前明月光";
  ContentHasher hasher;
  hasher.update(bytes_of(std::string_view(text).substr(0, 7)));
  hasher.update(bytes_of(std::string_view(text).substr(7)));
  EXPECT_EQ(hasher.finish(), hash_content(bytes_of(text)));
}

TEST(CoreHash, HexRoundTripsAndRejectsMalformedText) {
  const ContentHash hash = hash_content(bytes_of("blob"));
  EXPECT_EQ(ContentHash::from_hex(hash.to_hex()), hash);
  EXPECT_EQ(ContentHash::from_hex("00"), std::nullopt);
  std::string wrong = hash.to_hex();
  wrong[5] = 'g';
  EXPECT_EQ(ContentHash::from_hex(wrong), std::nullopt);
}

TEST(CoreHash, HexReadsEitherCaseUnlessLowerCaseOnlyIsAsked) {
  const std::array<uint8_t, 3> bytes{0xab, 0x01, 0xff};
  EXPECT_EQ(to_hex(bytes), "ab01ff");
  std::array<uint8_t, 3> read{};
  ASSERT_TRUE(from_hex("AB01Ff", read));
  EXPECT_EQ(read, bytes);
  EXPECT_FALSE(from_hex("AB01Ff", read, HexLetters::lower_case_only)) << "a signed file spells each value once";
  EXPECT_TRUE(from_hex("ab01ff", read, HexLetters::lower_case_only));
  EXPECT_FALSE(from_hex("ab01f", read)) << "too short";
  EXPECT_FALSE(from_hex("ab01ff00", read)) << "too long";
  const ContentHash hash = hash_content(bytes_of("blob"));
  std::string upper = hash.to_hex();
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_EQ(ContentHash::from_hex(upper), hash);
  EXPECT_EQ(ContentHash::from_hex(upper, HexLetters::lower_case_only), std::nullopt);
}

TEST(CoreHash, Hash64IsXxh3AndSeedsDiffer) {
  EXPECT_EQ(hash64(std::string_view("")), 0x2d06800538d394c2ull);  // XXH3_64bits("")
  EXPECT_NE(hash64("pipeline", 1), hash64("pipeline", 2));
  EXPECT_EQ(hash64("pipeline", 7), hash64("pipeline", 7));
}

}  // namespace
}  // namespace pavilion

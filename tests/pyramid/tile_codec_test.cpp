// Tile encodings round-trip within the quality each promises; bad bytes are errors.
#include "pavilion/pyramid/tile_codec.h"
#include "pavilion/support/synthetic_scan.h"

#include <gtest/gtest.h>

#include <cmath>

namespace pavilion::pyramid {
namespace {

TEST(PyramidTileCodec, EachEncodingRoundTripsWithinItsQuality) {
  const ImageRgba8 tile = support::synthetic_page(1, 100, 50, 256, 256);
  struct Expectation {
    TileEncoding encoding;
    double min_psnr;
    size_t max_bytes;
  };
  for (const auto& [encoding, min_psnr, max_bytes] : {Expectation{TileEncoding::rgba8, INFINITY, 256 * 256 * 4},
                                                       Expectation{TileEncoding::bc1, 30.0, 256 * 256 / 2},
                                                       Expectation{TileEncoding::jpeg, 34.0, 256 * 256},
                                                       Expectation{TileEncoding::webp, 32.0, 256 * 256}}) {
    auto bytes = encode_tile(tile, encoding, 90);
    ASSERT_TRUE(bytes.ok()) << to_string(encoding);
    EXPECT_LE(bytes->size(), max_bytes) << to_string(encoding);
    auto decoded = decode_tile(*bytes, encoding, 256, 256);
    ASSERT_TRUE(decoded.ok()) << to_string(encoding) << ": " << decoded.error().describe();
    EXPECT_GE(psnr(*decoded, tile), min_psnr) << to_string(encoding);
    // Deterministic: the same pixels give the same bytes.
    EXPECT_EQ(*encode_tile(tile, encoding, 90), *bytes) << to_string(encoding);
  }
}

TEST(PyramidTileCodec, BadBytesAreErrors) {
  const ImageRgba8 tile = support::synthetic_page(1, 0, 0, 64, 64);
  for (const TileEncoding encoding : {TileEncoding::rgba8, TileEncoding::bc1, TileEncoding::jpeg, TileEncoding::webp}) {
    auto bytes = *encode_tile(tile, encoding, 90);
    bytes.resize(bytes.size() / 3);
    EXPECT_FALSE(decode_tile(bytes, encoding, 64, 64).ok()) << to_string(encoding);
    // The right bytes for another size.
    EXPECT_FALSE(decode_tile(*encode_tile(tile, encoding, 90), encoding, 32, 64).ok()) << to_string(encoding);
  }
}

}  // namespace
}  // namespace pavilion::pyramid

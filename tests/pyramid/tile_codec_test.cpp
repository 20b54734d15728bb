// Tile encodings round-trip within the quality each promises; bad bytes are errors.
#include "pavilion/pyramid/tile_codec.h"
#include "pavilion/scene/page_tiles.h"
#include "pavilion/support/synthetic_scan.h"

#include <gtest/gtest.h>
#include <squish.h>

#include <cmath>
#include <cstring>
#include <random>

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

ImageRgba8 random_tile(uint32_t width, uint32_t height, uint32_t seed) {
  std::mt19937 random(seed);
  ImageRgba8 tile(width, height);
  for (size_t index = 0; index < tile.pixels.size(); ++index) {
    tile.pixels[index] = index % 4 == 3 ? 255 : static_cast<uint8_t>(random());
  }
  return tile;
}

// libsquish's range fit, the encoder tiles were made with before (and the fit of the same family).
ImageRgba8 squish_range_fit_round_trip(const ImageRgba8& tile) {
  std::vector<std::byte> blocks(scene::page_tile_bytes(scene::PageTileFormat::bc1, tile.width, tile.height));
  squish::CompressImage(tile.pixels.data(), static_cast<int>(tile.width), static_cast<int>(tile.height), blocks.data(),
                        squish::kDxt1 | squish::kColourRangeFit);
  return *decode_tile(blocks, TileEncoding::bc1, tile.width, tile.height);
}

TEST(PyramidTileCodec, Bc1IsCloserToTheScanThanLibsquishsRangeFit) {
  // Page tiles from margins, text, rules and the seal, and noise, the worst case for any fit.
  std::vector<ImageRgba8> tiles;
  for (uint32_t index = 0; index < 6; ++index) {
    tiles.push_back(support::synthetic_page(7, index * 1733 % 9500, index * 2897 % 9500, 256, 256));
  }
  tiles.push_back(random_tile(64, 64, 3));
  for (size_t index = 0; index < tiles.size(); ++index) {
    const ImageRgba8& tile = tiles[index];
    const double ours = psnr(*decode_tile(*encode_tile(tile, TileEncoding::bc1, 90), TileEncoding::bc1, tile.width,
                                          tile.height), tile);
    const double range_fit = psnr(squish_range_fit_round_trip(tile), tile);
    EXPECT_GT(ours, range_fit + 0.5) << "tile " << index;
  }
}

std::array<uint8_t, 3> decoded_texel(const std::vector<std::byte>& blocks, uint32_t width, uint32_t height, uint32_t x,
                                     uint32_t y) {
  const ImageRgba8 decoded = *decode_tile(blocks, TileEncoding::bc1, width, height);
  return {decoded.at(x, y)[0], decoded.at(x, y)[1], decoded.at(x, y)[2]};
}

TEST(PyramidTileCodec, Bc1KeepsWhatItsModesCanHoldExactly) {
  // Two colours that 5:6:5 holds: each texel exactly one of them.
  ImageRgba8 two(4, 4);
  // Ink, paper, and the grey between them: three colours with their midpoint exact.
  ImageRgba8 three(4, 4);
  for (uint32_t texel = 0; texel < 16; ++texel) {
    const uint8_t two_tone = texel % 3 == 0 ? 0 : 255;
    std::memcpy(two.at(texel % 4, texel / 4), std::array<uint8_t, 4>{two_tone, two_tone, two_tone, 255}.data(), 4);
    const uint8_t three_tone = std::array<uint8_t, 3>{16, 65, 115}[texel % 3];  // 5:6:5 expands 2 and 14 to 16 and 115
    const uint8_t green = std::array<uint8_t, 3>{8, 69, 130}[texel % 3];         // and 2 and 32 to 8 and 130
    std::memcpy(three.at(texel % 4, texel / 4), std::array<uint8_t, 4>{three_tone, green, three_tone, 255}.data(), 4);
  }
  for (const ImageRgba8* tile : {&two, &three}) {
    const auto blocks = *encode_tile(*tile, TileEncoding::bc1, 90);
    EXPECT_TRUE(std::isinf(psnr(*decode_tile(blocks, TileEncoding::bc1, 4, 4), *tile)));
  }
  // Every flat colour within one level: a blend of two endpoints, not both rounded alike.
  for (int value = 0; value < 256; ++value) {
    ImageRgba8 flat(4, 4);
    for (uint32_t texel = 0; texel < 16; ++texel) {
      const std::array<uint8_t, 4> colour{static_cast<uint8_t>(value), static_cast<uint8_t>(255 - value),
                                          static_cast<uint8_t>(value * 7), 255};
      std::memcpy(flat.at(texel % 4, texel / 4), colour.data(), 4);
    }
    const auto decoded = decoded_texel(*encode_tile(flat, TileEncoding::bc1, 90), 4, 4, 2, 1);
    for (size_t channel = 0; channel < 3; ++channel) EXPECT_NEAR(decoded[channel], flat.at(2, 1)[channel], 1) << value;
  }
}

TEST(PyramidTileCodec, Bc1NeverUsesTheThreeColourModesBlack) {
  // Index 3 of a three-colour block is black, and transparent where the GPU reads BC1 with alpha:
  // a scan's texel must never land there.
  for (const ImageRgba8& tile : {support::synthetic_page(7, 4000, 3000, 256, 256), random_tile(64, 64, 5)}) {
    const auto blocks = *encode_tile(tile, TileEncoding::bc1, 90);
    size_t three_colour_blocks = 0;
    for (size_t offset = 0; offset < blocks.size(); offset += 8) {
      uint16_t first = 0;
      uint16_t second = 0;
      uint32_t indices = 0;
      std::memcpy(&first, &blocks[offset], 2);
      std::memcpy(&second, &blocks[offset + 2], 2);
      std::memcpy(&indices, &blocks[offset + 4], 4);
      if (first > second) continue;
      ++three_colour_blocks;
      for (uint32_t texel = 0; texel < 16; ++texel) ASSERT_NE(indices >> (2 * texel) & 3, 3u) << offset / 8;
    }
    EXPECT_GT(three_colour_blocks, 0u);  // the mode is in use, so the check above checked something
  }
}

TEST(PyramidTileCodec, Bc1BlocksPastTheEdgeRepeatIt) {
  // 7 × 5: the last column and row of blocks are partial; what lies inside decodes like a full block.
  const ImageRgba8 tile = random_tile(7, 5, 9);
  const auto blocks = *encode_tile(tile, TileEncoding::bc1, 90);
  ASSERT_EQ(blocks.size(), 2u * 2u * 8u);
  EXPECT_GT(psnr(*decode_tile(blocks, TileEncoding::bc1, 7, 5), tile), psnr(squish_range_fit_round_trip(tile), tile));
  // A flat image of odd size stays flat to its edge.
  ImageRgba8 flat(5, 3);
  for (size_t index = 0; index < flat.pixels.size(); ++index) flat.pixels[index] = index % 4 == 3 ? 255 : 200;
  EXPECT_EQ(decoded_texel(*encode_tile(flat, TileEncoding::bc1, 90), 5, 3, 4, 2),
            decoded_texel(*encode_tile(flat, TileEncoding::bc1, 90), 5, 3, 0, 0));
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

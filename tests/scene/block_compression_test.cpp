#include "pavilion/scene/block_compression.h"

#include <gtest/gtest.h>

#include <cstdlib>

namespace pavilion::scene {
namespace {

ImageRgba8 gradient(uint32_t width, uint32_t height) {
  ImageRgba8 image(width, height);
  for (uint32_t y = 0; y < height; ++y) {
    for (uint32_t x = 0; x < width; ++x) {
      uint8_t* texel = image.at(x, y);
      texel[0] = static_cast<uint8_t>(20 + x * 7);
      texel[1] = static_cast<uint8_t>(220 - y * 9);
      texel[2] = 128;
      texel[3] = 255;
    }
  }
  return image;
}

int largest_error(const ImageRgba8& a, const ImageRgba8& b, int channels) {
  int largest = 0;
  for (size_t texel = 0; texel < a.pixels.size(); texel += 4) {
    for (int channel = 0; channel < channels; ++channel) {
      largest = std::max(largest, std::abs(a.pixels[texel + channel] - b.pixels[texel + channel]));
    }
  }
  return largest;
}

// BC5 keeps each 4×4 block's range in 8 steps: on smooth normal maps the error stays small.
TEST(SceneBlockCompression, Bc5KeepsSmoothNormalsClose) {
  const ImageRgba8 normals = gradient(13, 10);  // edges that cut blocks
  const auto blocks = compress_level(normals, TextureFormat::bc5_unorm);
  EXPECT_EQ(blocks.size(), texture_mip_bytes(TextureFormat::bc5_unorm, 13, 10, 0));
  const ImageRgba8 decoded = decompress_level(blocks, 13, 10, TextureFormat::bc5_unorm);
  EXPECT_LE(largest_error(normals, decoded, 2), 3);
  EXPECT_EQ(decoded.at(5, 5)[3], 255);
}

TEST(SceneBlockCompression, FlatBlocksAreExact) {
  ImageRgba8 flat(4, 4);
  for (size_t texel = 0; texel < flat.pixels.size(); texel += 4) {
    flat.pixels[texel] = 128;
    flat.pixels[texel + 1] = 128;
  }
  const ImageRgba8 decoded = decompress_level(compress_level(flat, TextureFormat::bc5_unorm), 4, 4, TextureFormat::bc5_unorm);
  EXPECT_EQ(largest_error(flat, decoded, 2), 0);
}

TEST(SceneBlockCompression, Bc1KeepsColoursRecognisable) {
  const ImageRgba8 colour = gradient(8, 8);
  const ImageRgba8 decoded =
      decompress_level(compress_level(colour, TextureFormat::bc1_srgb), 8, 8, TextureFormat::bc1_srgb);
  EXPECT_LE(largest_error(colour, decoded, 3), 24);
}

}  // namespace
}  // namespace pavilion::scene

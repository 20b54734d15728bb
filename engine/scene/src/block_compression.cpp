#include "pavilion/scene/block_compression.h"

#include <squish.h>

#include <algorithm>
#include <array>
#include <cstring>

namespace pavilion::scene {
namespace {

// BC4: two 8-bit endpoints and a 3-bit index per texel. With endpoint0 > endpoint1 the palette
// has six interpolated steps between them, which suits smooth data such as normals.
void encode_bc4(const std::array<uint8_t, 16>& values, std::byte* block) {
  const uint8_t high = *std::max_element(values.begin(), values.end());
  const uint8_t low = *std::min_element(values.begin(), values.end());
  std::array<int, 8> palette{high, low};
  for (int step = 1; step <= 6; ++step) palette[static_cast<size_t>(step + 1)] = ((7 - step) * high + step * low + 3) / 7;
  uint64_t bits = uint64_t{high} | uint64_t{low} << 8;
  for (size_t texel = 0; texel < 16; ++texel) {
    size_t best = 0;
    for (size_t entry = 1; entry < 8; ++entry) {
      if (std::abs(palette[entry] - values[texel]) < std::abs(palette[best] - values[texel])) best = entry;
    }
    if (high == low) best = 0;  // endpoint0 > endpoint1 fails on a flat block, where any index is exact
    bits |= uint64_t{best} << (16 + 3 * texel);
  }
  std::memcpy(block, &bits, 8);
}

std::array<uint8_t, 16> decode_bc4(const std::byte* block) {
  uint64_t bits = 0;
  std::memcpy(&bits, block, 8);
  const int first = static_cast<int>(bits & 0xff);
  const int second = static_cast<int>(bits >> 8 & 0xff);
  std::array<int, 8> palette{first, second};
  if (first > second) {
    for (int step = 1; step <= 6; ++step) palette[static_cast<size_t>(step + 1)] = ((7 - step) * first + step * second + 3) / 7;
  } else {
    for (int step = 1; step <= 4; ++step) palette[static_cast<size_t>(step + 1)] = ((5 - step) * first + step * second + 2) / 5;
    palette[6] = 0;
    palette[7] = 255;
  }
  std::array<uint8_t, 16> values{};
  for (size_t texel = 0; texel < 16; ++texel) values[texel] = static_cast<uint8_t>(palette[bits >> (16 + 3 * texel) & 7]);
  return values;
}

int squish_flags(TextureFormat format) {
  return format == TextureFormat::bc3_srgb ? squish::kDxt5 : squish::kDxt1;
}

}  // namespace

std::vector<std::byte> compress_level(const ImageRgba8& level, TextureFormat format) {
  std::vector<std::byte> blocks(texture_mip_bytes(format, level.width, level.height, 0));
  if (format != TextureFormat::bc5_unorm) {
    squish::CompressImage(level.pixels.data(), static_cast<int>(level.width), static_cast<int>(level.height),
                          blocks.data(), squish_flags(format) | squish::kColourClusterFit);
    return blocks;
  }
  const uint32_t blocks_wide = (level.width + 3) / 4;
  for (uint32_t by = 0; by < (level.height + 3) / 4; ++by) {
    for (uint32_t bx = 0; bx < blocks_wide; ++bx) {
      std::array<uint8_t, 16> red{};
      std::array<uint8_t, 16> green{};
      for (uint32_t texel = 0; texel < 16; ++texel) {
        // Texels past the edge repeat the last row or column, so they do not widen the range.
        const uint8_t* source = level.at(std::min(bx * 4 + texel % 4, level.width - 1), std::min(by * 4 + texel / 4, level.height - 1));
        red[texel] = source[0];
        green[texel] = source[1];
      }
      std::byte* block = blocks.data() + (size_t{by} * blocks_wide + bx) * 16;
      encode_bc4(red, block);
      encode_bc4(green, block + 8);
    }
  }
  return blocks;
}

ImageRgba8 decompress_level(std::span<const std::byte> blocks, uint32_t width, uint32_t height, TextureFormat format) {
  ImageRgba8 image(width, height);
  if (format != TextureFormat::bc5_unorm) {
    squish::DecompressImage(image.pixels.data(), static_cast<int>(width), static_cast<int>(height), blocks.data(),
                            squish_flags(format));
    return image;
  }
  const uint32_t blocks_wide = (width + 3) / 4;
  for (uint32_t by = 0; by < (height + 3) / 4; ++by) {
    for (uint32_t bx = 0; bx < blocks_wide; ++bx) {
      const std::byte* block = blocks.data() + (size_t{by} * blocks_wide + bx) * 16;
      const auto red = decode_bc4(block);
      const auto green = decode_bc4(block + 8);
      for (uint32_t texel = 0; texel < 16; ++texel) {
        const uint32_t x = bx * 4 + texel % 4;
        const uint32_t y = by * 4 + texel / 4;
        if (x >= width || y >= height) continue;
        uint8_t* out = image.at(x, y);
        out[0] = red[texel];
        out[1] = green[texel];
        out[2] = 0;
        out[3] = 255;
      }
    }
  }
  return image;
}

}  // namespace pavilion::scene

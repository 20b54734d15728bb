#include "pavilion/core/image.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>

namespace pavilion {
namespace {

const std::array<float, 256>& srgb_decode_table() {
  static const std::array<float, 256> table = [] {
    std::array<float, 256> values{};
    for (int i = 0; i < 256; ++i) {
      const float c = static_cast<float>(i) / 255.0f;
      values[static_cast<size_t>(i)] = c <= 0.04045f ? c / 12.92f : std::pow((c + 0.055f) / 1.055f, 2.4f);
    }
    return values;
  }();
  return table;
}

uint8_t to_unorm8(float value) {
  return static_cast<uint8_t>(std::lround(std::clamp(value, 0.0f, 1.0f) * 255.0f));
}

}  // namespace

float srgb_to_linear(uint8_t encoded) { return srgb_decode_table()[encoded]; }

uint8_t linear_to_srgb(float linear) {
  const float c = std::clamp(linear, 0.0f, 1.0f);
  return to_unorm8(c <= 0.0031308f ? c * 12.92f : 1.055f * std::pow(c, 1.0f / 2.4f) - 0.055f);
}

ImageRgba8 downsample(const ImageRgba8& source, ColorSpace space) {
  ImageRgba8 target(std::max(1u, source.width / 2), std::max(1u, source.height / 2));
  const auto& decode = srgb_decode_table();
  for (uint32_t y = 0; y < target.height; ++y) {
    for (uint32_t x = 0; x < target.width; ++x) {
      float color[3] = {0, 0, 0};
      float alpha_sum = 0;
      for (uint32_t dy = 0; dy < 2; ++dy) {
        for (uint32_t dx = 0; dx < 2; ++dx) {
          const uint8_t* texel = source.at(std::min(2 * x + dx, source.width - 1),
                                           std::min(2 * y + dy, source.height - 1));
          const float alpha = static_cast<float>(texel[3]) / 255.0f;
          for (int c = 0; c < 3; ++c) {
            const float value = space == ColorSpace::srgb ? decode[texel[c]] : static_cast<float>(texel[c]) / 255.0f;
            color[c] += value * alpha;
          }
          alpha_sum += alpha;
        }
      }
      uint8_t* out = target.at(x, y);
      for (int c = 0; c < 3; ++c) {
        const float average = alpha_sum > 0 ? color[c] / alpha_sum : 0.0f;
        out[c] = space == ColorSpace::srgb ? linear_to_srgb(average) : to_unorm8(average);
      }
      out[3] = to_unorm8(alpha_sum / 4.0f);
    }
  }
  return target;
}

uint32_t mip_level_count(uint32_t width, uint32_t height) {
  return static_cast<uint32_t>(std::bit_width(std::max({width, height, 1u})));
}

std::vector<ImageRgba8> build_mip_chain(const ImageRgba8& base, ColorSpace space) {
  std::vector<ImageRgba8> levels;
  const uint32_t count = mip_level_count(base.width, base.height);
  levels.reserve(count - 1);
  const ImageRgba8* previous = &base;
  for (uint32_t level = 1; level < count; ++level) {
    levels.push_back(downsample(*previous, space));
    previous = &levels.back();
  }
  return levels;
}

}  // namespace pavilion

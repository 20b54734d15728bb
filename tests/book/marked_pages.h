// Pages for the tests of the turning leaf and of half-leaves, made in memory: small woodblock-like
// pictures (aged paper, a frame, column rules, columns of strokes) each with a block of its own
// colour, so that a frame tells which page shows where. A picture of a whole leaf has a different
// colour on each side of its fold. Tiles are cut at each level from the picture sampled there, as
// scene::PageTileSource describes them.
#pragma once

#include "pavilion/scene/page_tiles.h"

#include <glm/vec3.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <vector>

namespace pavilion::testing {

struct MarkedPage {
  glm::u8vec3 left_mark{178, 34, 30};
  glm::u8vec3 right_mark{178, 34, 30};
  float fold = 0.5f;  // where the marks change colour, as a fraction of the width
};

inline constexpr uint32_t marked_page_width = 384;
inline constexpr uint32_t marked_page_height = 512;

class MarkedPages final : public scene::PageTileSource {
 public:
  explicit MarkedPages(std::vector<MarkedPage> pages) : pages_(std::move(pages)) {}

  uint32_t page_count() const override { return static_cast<uint32_t>(pages_.size()); }
  scene::PageShape page_shape(uint32_t) const override {
    return {marked_page_width, marked_page_height, 254, 1, scene::PageTileFormat::rgba8};
  }
  Result<void> read_tile(const scene::PageTileKey& key, std::span<std::byte> destination) const override {
    const scene::PageTileRect rect = scene::page_tile_rect(page_shape(key.page), key.level, key.column, key.row);
    const uint32_t scale = 1u << key.level;
    for (uint32_t y = 0; y < rect.height; ++y) {
      for (uint32_t x = 0; x < rect.width; ++x) {
        // Sampled at the middle of the level's pixel.
        const glm::u8vec3 colour =
            pixel(pages_[key.page], (rect.x + x) * scale + scale / 2, (rect.y + y) * scale + scale / 2);
        const std::array<uint8_t, 4> rgba{colour.r, colour.g, colour.b, 255};
        std::memcpy(&destination[(size_t{y} * rect.width + x) * 4], rgba.data(), 4);
      }
    }
    return {};
  }

  static glm::u8vec3 pixel(const MarkedPage& page, uint32_t x, uint32_t y) {
    constexpr uint32_t w = marked_page_width;
    constexpr uint32_t h = marked_page_height;
    const bool frame = x < 12 || x >= w - 12 || y < 12 || y >= h - 12;
    const bool in_frame = x >= 20 && x < w - 20 && y >= 20 && y < h - 20;
    const bool rule = in_frame && x % 32 == 8;
    const bool stroke = in_frame && x % 32 >= 16 && x % 32 < 26 && y % 20 >= 4 && (y / 20 + x / 32) % 4 != 0;
    const bool mark = y >= 40 && y < 160 && x >= 48 && x < w - 48;
    if (mark) return x < static_cast<uint32_t>(page.fold * w) ? page.left_mark : page.right_mark;
    if (frame || rule || stroke) return {44, 34, 28};
    return {232, 216, 178};  // aged paper
  }

 private:
  std::vector<MarkedPage> pages_;
};

// Whether a pixel of a frame shows a mark of `colour`, lit however brightly: its channels in the
// same order and proportions, within a tolerance.
inline bool shows_mark(const uint8_t* rgba, glm::u8vec3 colour) {
  const float brightest = static_cast<float>(std::max({colour.r, colour.g, colour.b}));
  const float seen = static_cast<float>(std::max({rgba[0], rgba[1], rgba[2]}));
  if (seen < 40.0f) return false;
  for (int channel = 0; channel < 3; ++channel) {
    const float expected = static_cast<float>(colour[channel]) / brightest;
    if (std::abs(static_cast<float>(rgba[channel]) / seen - expected) > 0.22f) return false;
  }
  return true;
}

}  // namespace pavilion::testing

// A sheet of old paper being printed on: the paper itself (its tone, fibres, laid lines, foxing
// and darkened edges, all from seeded noise) and up to three inks laid on it as coverage masks
// (black, red, blue), composed into sRGB only when the picture is written, band by band on two
// threads, straight into a JPEG. Private to the rare books' generator (rare_books.h).
//
// Masks are one byte a pixel: a 7 900 × 6 000 leaf holds about 47 MB per ink plus the fibre and
// stain masks, and nothing else of its size.
#pragma once

#include "pavilion/core/error.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <span>
#include <vector>

namespace pavilion::procedural::leaf {

// Seeded hash noise: the same numbers on every machine and every run.
inline uint32_t hash(uint32_t x, uint32_t y, uint32_t seed) {
  uint32_t h = x * 0x8da6b343u ^ y * 0xd8163841u ^ seed * 0xcb1ab31fu;
  h ^= h >> 13;
  h *= 0x5bd1e995u;
  h ^= h >> 15;
  h *= 0x27d4eb2du;
  h ^= h >> 16;
  return h;
}
inline float hash01(uint32_t x, uint32_t y, uint32_t seed) { return static_cast<float>(hash(x, y, seed) >> 8) * (1.0f / 16777216.0f); }
// Smooth value noise in [0, 1], one feature per unit.
float value_noise(float x, float y, uint32_t seed);
// Octaves of value noise, each twice the frequency and half the weight; in [0, 1].
float fractal_noise(float x, float y, uint32_t seed, int octaves);

inline float smoothstep(float low, float high, float x) {
  const float t = std::clamp((x - low) / (high - low), 0.0f, 1.0f);
  return t * t * (3 - 2 * t);
}

using Rgb = std::array<float, 3>;  // sRGB, 0–255

struct Paper {
  Rgb colour{224, 206, 168};
  float tone_variation = 0.07f;    // slow unevenness of the tone, as a fraction of it
  float mottle = 0.03f;            // the sheet's cloudy formation, a few millimetres across
  float grain = 0.025f;            // pixel-scale roughness
  float fibres_per_megapixel = 380;
  float fibre_length = 0.02f;      // longest fibre, as a fraction of the sheet's height
  float laid_line_spacing = 0;     // pixels between the mould's laid lines (帘纹); 0: none
  float chain_line_spacing = 0;    // pixels between its chain lines, across them; 0: none
  int foxing_spots = 30;
  int tide_stains = 1;
  float edge_darkening = 0.06f;    // how much darker the outermost edge is
  Rgb stain_colour{150, 96, 48};
  float fold_x = -1;               // where the sheet was folded (a crease), in pixels; < 0: never
  uint32_t seed = 1;
};

enum class InkLayer { black, red, blue };
inline constexpr size_t ink_layers = 3;

struct Ink {
  Rgb colour{28, 24, 22};
  float density_variation = 0.18f;  // uneven inking across the block
  float starved = 0.2f;             // how much paper shows through where the ink was thin
};

class Sheet {
 public:
  Sheet(uint32_t width, uint32_t height, const Paper& paper, std::array<Ink, ink_layers> inks);

  uint32_t width() const { return width_; }
  uint32_t height() const { return height_; }
  const Paper& paper() const { return paper_; }

  // Ink coverage laid so far, 0–255; covering twice keeps the larger.
  void cover(InkLayer layer, int32_t x, int32_t y, float coverage) {
    if (x < 0 || y < 0 || static_cast<uint32_t>(x) >= width_ || static_cast<uint32_t>(y) >= height_) return;
    std::vector<uint8_t>& mask = masks_[static_cast<size_t>(layer)];
    if (mask.empty()) mask.assign(size_t{width_} * height_, 0);
    const auto value = static_cast<uint8_t>(std::clamp(coverage, 0.0f, 1.0f) * 255.0f + 0.5f);
    uint8_t& at = mask[size_t(y) * width_ + size_t(x)];
    at = std::max(at, value);
  }

  // A stroke of a woodblock's rule: a straight line from (x0, y0) to (x1, y1) (horizontal or
  // vertical) `thickness` pixels wide that wavers by up to `waver` pixels and, where `breaks` > 0,
  // is worn through in places (a fraction of its length).
  void rule(InkLayer layer, float x0, float y0, float x1, float y1, float thickness, float waver, float breaks, uint32_t seed);
  // A filled polygon with edges roughened as a carved and inked block leaves them.
  void polygon(InkLayer layer, std::span<const std::array<float, 2>> points, float roughness, uint32_t seed);
  // A ring (a reader's 句读 circle) or, with `width` ≥ radius, a dot; brushed, so a little uneven.
  void ring(InkLayer layer, float cx, float cy, float radius, float width, uint32_t seed);
  // A coverage bitmap (rows top first) laid with its top-left corner at (x, y).
  void stamp(InkLayer layer, int32_t x, int32_t y, uint32_t bitmap_width, uint32_t bitmap_height, std::span<const float> coverage);

  // The paper's fibres, foxing and stains; call once, before writing.
  void age();

  // Composes paper and inks into 8-bit sRGB and writes a baseline JPEG (4:2:0) atomically.
  Result<void> write_jpeg(const std::filesystem::path& file, int quality) const;

 private:
  void compose_rows(uint32_t first_row, uint32_t rows, uint8_t* out) const;
  float tone_at(uint32_t x, uint32_t y) const;

  uint32_t width_;
  uint32_t height_;
  Paper paper_;
  std::array<Ink, ink_layers> inks_;
  std::array<std::vector<uint8_t>, ink_layers> masks_;
  std::vector<uint8_t> fibres_;  // 128: none; above lighter, below darker
  std::vector<uint8_t> stains_;
  // Slow fields sampled on a coarse grid and interpolated: the tone every 16 pixels, the
  // mottle every 4.
  std::vector<float> tone_grid_;
  uint32_t tone_columns_ = 0;
  std::vector<float> mottle_grid_;
  uint32_t mottle_columns_ = 0;
};

// Roughens a glyph's antialiased coverage the way a carved block prints it: blurred by `radius`
// pixels, then cut at a threshold that wanders with noise at absolute sheet position (x, y), so
// edges are irregular by a few pixels and thin hairlines thicken slightly (ink spreads).
std::vector<float> inked(std::span<const float> coverage, uint32_t width, uint32_t height, int32_t x, int32_t y, float radius,
                         float spread, uint32_t seed);

}  // namespace pavilion::procedural::leaf

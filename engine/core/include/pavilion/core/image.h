// CPU images in RGBA8 and the operations the tools and tests need on them.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace pavilion {

// Row-major, top row first, four bytes per pixel (R, G, B, A).
struct ImageRgba8 {
  uint32_t width = 0;
  uint32_t height = 0;
  std::vector<uint8_t> pixels;

  ImageRgba8() = default;
  ImageRgba8(uint32_t w, uint32_t h) : width(w), height(h), pixels(size_t{w} * h * 4, 0) {}

  uint8_t* at(uint32_t x, uint32_t y) { return &pixels[(size_t{y} * width + x) * 4]; }
  const uint8_t* at(uint32_t x, uint32_t y) const { return &pixels[(size_t{y} * width + x) * 4]; }
};

// How the stored numbers relate to light: colour textures are sRGB-encoded, data textures
// (normals, roughness) are linear.
enum class ColorSpace { srgb, linear };

float srgb_to_linear(uint8_t encoded);
uint8_t linear_to_srgb(float linear);

// Number of levels in a full mip chain down to 1×1.
uint32_t mip_level_count(uint32_t width, uint32_t height);

// Half the size (rounding down, at least 1), each texel the 2×2 box average of the source, in
// linear light for sRGB images and weighted by alpha (see build_mip_chain).
ImageRgba8 downsample(const ImageRgba8& source, ColorSpace space);

// Levels 1… of a full mip chain below `base` (which is level 0 and not repeated). Each level
// halves the previous one (rounding down, at least 1) with a 2×2 box filter. For sRGB images the
// averaging happens in linear light, so mips do not darken; colour is weighted by alpha, so
// transparent texels do not bleed their (meaningless) colour into visible ones.
std::vector<ImageRgba8> build_mip_chain(const ImageRgba8& base, ColorSpace space);

}  // namespace pavilion

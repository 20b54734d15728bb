#include "pavilion/procedural/textures.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace pavilion::procedural {
namespace {

uint8_t to_byte(float value) { return static_cast<uint8_t>(std::lround(std::clamp(value, 0.0f, 1.0f) * 255.0f)); }

uint32_t hash_cell(int x, int y, uint32_t seed) {
  uint32_t h = static_cast<uint32_t>(x) * 374761393u + static_cast<uint32_t>(y) * 668265263u + seed * 2246822519u;
  h = (h ^ (h >> 13)) * 1274126177u;
  return h ^ (h >> 16);
}

float smooth(float t) { return t * t * (3.0f - 2.0f * t); }

}  // namespace

scene::TextureData make_texture(std::string name, const ImageRgba8& base, scene::TextureFormat format) {
  const ColorSpace space = format == scene::TextureFormat::rgba8_srgb ? ColorSpace::srgb : ColorSpace::linear;
  const std::vector<ImageRgba8> mips = build_mip_chain(base, space);
  scene::TextureData texture;
  texture.name = std::move(name);
  texture.format = format;
  texture.width = base.width;
  texture.height = base.height;
  texture.mip_levels = static_cast<uint32_t>(mips.size() + 1);
  auto append = [&](const ImageRgba8& level) {
    const auto* bytes = reinterpret_cast<const std::byte*>(level.pixels.data());
    texture.bytes.insert(texture.bytes.end(), bytes, bytes + level.pixels.size());
  };
  append(base);
  for (const ImageRgba8& level : mips) append(level);
  return texture;
}

ImageRgba8 generate_image(uint32_t size, const std::function<glm::vec4(float u, float v)>& texel) {
  ImageRgba8 image(size, size);
  for (uint32_t y = 0; y < size; ++y) {
    for (uint32_t x = 0; x < size; ++x) {
      const glm::vec4 value = texel((static_cast<float>(x) + 0.5f) / static_cast<float>(size),
                                    (static_cast<float>(y) + 0.5f) / static_cast<float>(size));
      uint8_t* out = image.at(x, y);
      for (int c = 0; c < 4; ++c) out[c] = to_byte(value[c]);
    }
  }
  return image;
}

ImageRgba8 normal_map_from_heights(uint32_t size, const std::function<float(float u, float v)>& height, float strength) {
  std::vector<float> heights(size_t{size} * size);
  for (uint32_t y = 0; y < size; ++y) {
    for (uint32_t x = 0; x < size; ++x) {
      heights[size_t{y} * size + x] = height((static_cast<float>(x) + 0.5f) / static_cast<float>(size),
                                             (static_cast<float>(y) + 0.5f) / static_cast<float>(size));
    }
  }
  auto at = [&](uint32_t x, uint32_t y) { return heights[size_t{(y + size) % size} * size + (x + size) % size]; };
  ImageRgba8 image(size, size);
  const float scale = strength * static_cast<float>(size) * 0.5f;
  for (uint32_t y = 0; y < size; ++y) {
    for (uint32_t x = 0; x < size; ++x) {
      const float dx = (at(x + 1, y) - at(x - 1, y)) * scale;
      const float dy = (at(x, y + 1) - at(x, y - 1)) * scale;
      // Image rows grow downwards while the map's +Y is up, hence +dy.
      const glm::vec3 normal = glm::normalize(glm::vec3(-dx, dy, 1.0f));
      uint8_t* out = image.at(x, y);
      out[0] = to_byte(normal.x * 0.5f + 0.5f);
      out[1] = to_byte(normal.y * 0.5f + 0.5f);
      out[2] = to_byte(normal.z * 0.5f + 0.5f);
      out[3] = 255;
    }
  }
  return image;
}

float tiling_noise(float u, float v, int period, uint32_t seed) {
  const float x = u * static_cast<float>(period);
  const float y = v * static_cast<float>(period);
  const int x0 = static_cast<int>(std::floor(x));
  const int y0 = static_cast<int>(std::floor(y));
  const float fx = smooth(x - static_cast<float>(x0));
  const float fy = smooth(y - static_cast<float>(y0));
  auto corner = [&](int cx, int cy) {
    const int wrapped_x = ((cx % period) + period) % period;
    const int wrapped_y = ((cy % period) + period) % period;
    return static_cast<float>(hash_cell(wrapped_x, wrapped_y, seed) & 0xffff) / 65535.0f;
  };
  const float top = corner(x0, y0) + (corner(x0 + 1, y0) - corner(x0, y0)) * fx;
  const float bottom = corner(x0, y0 + 1) + (corner(x0 + 1, y0 + 1) - corner(x0, y0 + 1)) * fx;
  return top + (bottom - top) * fy;
}

}  // namespace pavilion::procedural

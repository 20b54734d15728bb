// The festival courtyard and its lantern: boxes, quads and lathed solids, and textures painted
// texel by texel from formulas (bricks, plaster, lattice, paper-cuts, characters from a Kai face
// baked into a distance-field atlas), with the lanterns' light baked into the emissive textures.
#include "pavilion/procedural/festival_courtyard.h"
#include "pavilion/text/atlas.h"
#include "pavilion/text/font.h"

#include <fmt/format.h>
#include <glm/gtc/constants.hpp>

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <string_view>

namespace pavilion::procedural {

namespace {

constexpr float pi = glm::pi<float>();

// ---- Geometry ----

// A quad from `origin` spanning `along_u` and `along_v`, facing cross(along_u, along_v);
// texture coordinates run from `uv_origin` at the origin to `uv_far` at the opposite corner.
void quad(StaticPart& part, glm::vec3 origin, glm::vec3 along_u, glm::vec3 along_v, glm::vec2 uv_origin,
    glm::vec2 uv_far) {
  const glm::vec3 normal = glm::normalize(glm::cross(along_u, along_v));
  const auto first = static_cast<uint32_t>(part.vertices.size());
  part.vertices.push_back({origin, normal, uv_origin});
  part.vertices.push_back({origin + along_u, normal, {uv_far.x, uv_origin.y}});
  part.vertices.push_back({origin + along_u + along_v, normal, uv_far});
  part.vertices.push_back({origin + along_v, normal, {uv_origin.x, uv_far.y}});
  part.indices.insert(part.indices.end(), {first, first + 1, first + 2, first, first + 2, first + 3});
}

// An axis-aligned box; each face's texture coordinates are its size in metres times `uv_scale`.
void box(StaticPart& part, glm::vec3 low, glm::vec3 high, float uv_scale = 1.0f) {
  const glm::vec3 size = high - low;
  auto face = [&](glm::vec3 origin, glm::vec3 u, glm::vec3 v) {
    quad(part, origin, u, v, {0.0f, glm::length(v) * uv_scale}, {glm::length(u) * uv_scale, 0.0f});
  };
  face({low.x, low.y, high.z}, {size.x, 0, 0}, {0, size.y, 0});
  face({high.x, low.y, low.z}, {-size.x, 0, 0}, {0, size.y, 0});
  face({high.x, low.y, high.z}, {0, 0, -size.z}, {0, size.y, 0});
  face({low.x, low.y, low.z}, {0, 0, size.z}, {0, size.y, 0});
  face({low.x, high.y, high.z}, {size.x, 0, 0}, {0, 0, -size.z});
  face({low.x, low.y, low.z}, {size.x, 0, 0}, {0, 0, size.z});
}

// A solid of revolution about the vertical through `centre`: `profile` holds (radius, height)
// from the bottom up. u runs around (0.5 facing +Z), v from the top (0) to the bottom (1).
void lathe(StaticPart& part, glm::vec3 centre, const std::vector<glm::vec2>& profile, int segments) {
  const auto first = static_cast<uint32_t>(part.vertices.size());
  const size_t rings = profile.size();
  for (size_t ring = 0; ring < rings; ++ring) {
    const glm::vec2 tangent = profile[std::min(ring + 1, rings - 1)] - profile[ring == 0 ? 0 : ring - 1];
    const glm::vec2 outward = glm::normalize(glm::vec2(tangent.y, -tangent.x));
    for (int step = 0; step <= segments; ++step) {
      const float u = static_cast<float>(step) / static_cast<float>(segments);
      const float angle = 2.0f * pi * u + pi;
      const glm::vec3 around(std::sin(angle), 0.0f, std::cos(angle));
      part.vertices.push_back({centre + around * profile[ring].x + glm::vec3(0.0f, profile[ring].y, 0.0f),
                               glm::normalize(around * outward.x + glm::vec3(0.0f, outward.y, 0.0f)),
                               {u, 1.0f - static_cast<float>(ring) / static_cast<float>(rings - 1)}});
    }
  }
  const auto row = static_cast<uint32_t>(segments + 1);
  for (uint32_t ring = 0; ring + 1 < rings; ++ring) {
    for (uint32_t step = 0; step < static_cast<uint32_t>(segments); ++step) {
      const uint32_t a = first + ring * row + step;
      const uint32_t b = a + row;
      part.indices.insert(part.indices.end(), {a, a + 1, b + 1, a, b + 1, b});
    }
  }
}

void cylinder(StaticPart& part, glm::vec3 base, float radius, float height, int segments) {
  lathe(part, base,
      {{0.0f, 0.0f}, {radius, 0.0f}, {radius, 0.0f}, {radius, height}, {radius, height}, {0.0f, height}}, segments);
}

// ---- Painting ----

glm::vec3 hex(uint32_t value) {
  return glm::vec3(static_cast<float>((value >> 16) & 0xff), static_cast<float>((value >> 8) & 0xff),
                   static_cast<float>(value & 0xff)) /
         255.0f;
}

float smooth(float edge0, float edge1, float x) {
  const float t = std::clamp((x - edge0) / (edge1 - edge0), 0.0f, 1.0f);
  return t * t * (3.0f - 2.0f * t);
}

// Value noise from an integer hash: the same everywhere, every run.
float hash(int32_t x, int32_t y, uint32_t seed) {
  uint32_t h = static_cast<uint32_t>(x) * 374761393u + static_cast<uint32_t>(y) * 668265263u + seed * 2246822519u;
  h = (h ^ (h >> 13)) * 1274126177u;
  return static_cast<float>((h ^ (h >> 16)) & 0xffffu) / 65535.0f;
}

float noise(float x, float y, uint32_t seed) {
  const float fx = std::floor(x);
  const float fy = std::floor(y);
  const auto ix = static_cast<int32_t>(fx);
  const auto iy = static_cast<int32_t>(fy);
  const float tx = smooth(0.0f, 1.0f, x - fx);
  const float ty = smooth(0.0f, 1.0f, y - fy);
  const float top = glm::mix(hash(ix, iy, seed), hash(ix + 1, iy, seed), tx);
  const float bottom = glm::mix(hash(ix, iy + 1, seed), hash(ix + 1, iy + 1, seed), tx);
  return glm::mix(top, bottom, ty);
}

float fractal(float x, float y, uint32_t seed) {
  return 0.5f * noise(x, y, seed) + 0.3f * noise(2.1f * x, 2.1f * y, seed + 1) +
         0.2f * noise(4.3f * x, 4.3f * y, seed + 2);
}

void put(ImageRgba8& image, uint32_t x, uint32_t y, glm::vec3 srgb) {
  uint8_t* texel = image.at(x, y);
  for (int channel = 0; channel < 3; ++channel) {
    texel[channel] = static_cast<uint8_t>(std::lround(std::clamp(srgb[channel], 0.0f, 1.0f) * 255.0f));
  }
  texel[3] = 255;
}

glm::vec3 get(const ImageRgba8& image, uint32_t x, uint32_t y) {
  const uint8_t* texel = image.at(x, y);
  return glm::vec3(texel[0], texel[1], texel[2]) / 255.0f;
}

// Paints every texel from (u, v) in [0, 1] at its centre.
ImageRgba8 paint(uint32_t width, uint32_t height, const std::function<glm::vec3(float u, float v)>& colour) {
  ImageRgba8 image(width, height);
  for (uint32_t y = 0; y < height; ++y) {
    for (uint32_t x = 0; x < width; ++x) {
      put(image, x, y,
          colour((static_cast<float>(x) + 0.5f) / static_cast<float>(width),
              (static_cast<float>(y) + 0.5f) / static_cast<float>(height)));
    }
  }
  return image;
}

glm::vec3 to_linear(glm::vec3 srgb) {
  glm::vec3 linear;
  for (int channel = 0; channel < 3; ++channel) {
    linear[channel] = srgb_to_linear(static_cast<uint8_t>(std::lround(srgb[channel] * 255.0f)));
  }
  return linear;
}

glm::vec3 to_srgb(glm::vec3 linear) {
  glm::vec3 srgb;
  for (int channel = 0; channel < 3; ++channel) {
    srgb[channel] = static_cast<float>(linear_to_srgb(linear[channel])) / 255.0f;
  }
  return srgb;
}

// ---- Characters ----

// The characters of one face baked into a distance field, drawn into textures at any size.
class Calligraphy {
 public:
  static Result<Calligraphy> open(const std::filesystem::path& font_file, std::u32string_view characters) {
    PV_TRY_ASSIGN(auto font, text::Font::open(font_file));
    std::vector<text::GlyphKey> keys;
    std::map<char32_t, uint32_t> glyphs;
    for (const char32_t character : characters) {
      const uint32_t glyph = font->glyph_for(character);
      if (glyph == 0) {
        return Error(ErrorCode::not_found, "setting the courtyard's characters",
                     fmt::format("{} has no glyph for U+{:04X}", font_file.string(), static_cast<uint32_t>(character)));
      }
      glyphs[character] = glyph;
      keys.push_back({0, glyph});
    }
    std::sort(keys.begin(), keys.end());
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    const text::Font* fonts[] = {font.get()};
    PV_TRY_ASSIGN(text::GlyphAtlas atlas,
        text::build_atlas(fonts, keys, {.em_pixels = 128, .spread_pixels = 12, .max_width = 2048}));
    return Calligraphy(std::move(atlas), std::move(glyphs));
  }

  // How much ink covers the point `offset` ems from the character's centre (x right, y down),
  // smoothed over `ems_per_texel` (the texture's texel size in ems).
  float ink(char32_t character, glm::vec2 offset, float ems_per_texel) const {
    const text::AtlasGlyph* glyph = atlas_.find({0, glyphs_.at(character)});
    if (glyph == nullptr || glyph->width == 0) return 0.0f;
    const glm::vec2 centre((glyph->left + glyph->right) * 0.5f, (glyph->top + glyph->bottom) * 0.5f);
    const float em_x = centre.x + offset.x;
    const float em_y = centre.y - offset.y;
    const float x = (em_x - glyph->left) / (glyph->right - glyph->left) * static_cast<float>(glyph->width) - 0.5f;
    const float y = (glyph->top - em_y) / (glyph->top - glyph->bottom) * static_cast<float>(glyph->height) - 0.5f;
    if (x < 0.0f || y < 0.0f || x > static_cast<float>(glyph->width - 1) || y > static_cast<float>(glyph->height - 1)) {
      return 0.0f;
    }
    const auto x0 = static_cast<uint32_t>(x);
    const auto y0 = static_cast<uint32_t>(y);
    const uint32_t x1 = std::min(x0 + 1, glyph->width - 1);
    const uint32_t y1 = std::min(y0 + 1, glyph->height - 1);
    auto at = [&](uint32_t column, uint32_t row) {
      return static_cast<float>(atlas_.distances[size_t{glyph->y + row} * atlas_.width + glyph->x + column]);
    };
    const float tx = x - static_cast<float>(x0);
    const float ty = y - static_cast<float>(y0);
    const float distance = glm::mix(glm::mix(at(x0, y0), at(x1, y0), tx), glm::mix(at(x0, y1), at(x1, y1), tx), ty);
    // Distance in atlas texels, then in the target's texels.
    const float inside = (distance - 128.0f) / (127.0f / static_cast<float>(atlas_.spread_pixels));
    const float texels = inside / static_cast<float>(atlas_.em_pixels) / ems_per_texel;
    return std::clamp(texels + 0.5f, 0.0f, 1.0f);
  }

 private:
  Calligraphy(text::GlyphAtlas atlas, std::map<char32_t, uint32_t> glyphs)
      : atlas_(std::move(atlas)), glyphs_(std::move(glyphs)) {}

  text::GlyphAtlas atlas_;
  std::map<char32_t, uint32_t> glyphs_;
};

std::u32string utf32(std::string_view utf8) {
  std::u32string out;
  for (size_t index = 0; index < utf8.size();) {
    const auto lead = static_cast<uint8_t>(utf8[index]);
    const size_t length = lead < 0x80 ? 1 : lead < 0xe0 ? 2 : lead < 0xf0 ? 3 : 4;
    char32_t code = length == 1 ? lead : lead & (0x7f >> length);
    for (size_t next = 1; next < length; ++next) code = (code << 6) | (static_cast<uint8_t>(utf8[index + next]) & 0x3f);
    out.push_back(code);
    index += length;
  }
  return out;
}

// ---- The lanterns' light, baked ----

// Light from the lanterns (and a little from the windows) arriving at a surface, in linear units
// a surface's linear albedo is multiplied by to glow.
glm::vec3 baked_light(glm::vec3 point, glm::vec3 normal) {
  constexpr glm::vec3 warm(1.0f, 0.52f, 0.22f);
  float received = 0.0f;
  for (const LanternHook& hook : lantern_hooks) {
    const glm::vec3 lantern = hook.position - glm::vec3(0.0f, lantern_drop * hook.scale, 0.0f);
    const glm::vec3 to_lantern = lantern - point;
    const float distance_squared = glm::dot(to_lantern, to_lantern);
    const float facing = std::max(glm::dot(normal, glm::normalize(to_lantern)), 0.0f);
    received += 0.55f * hook.scale * hook.scale * facing / (distance_squared + 0.08f);
  }
  return warm * received;
}

// ---- Textures ----

constexpr float court_left = -8.0f;
constexpr float court_right = 8.0f;
constexpr float court_back = -4.4f;   // the back wall's face
constexpr float court_front = 7.6f;
constexpr float wall_height = 4.3f;
constexpr float veranda_z = -2.8f;    // the pillars' line
constexpr float pillar_radius = 0.14f;
constexpr float pillar_xs[] = {-6.0f, -3.6f, -1.3f, 1.3f, 3.6f, 6.0f};
constexpr float window_xs[] = {-4.8f, -2.45f, 2.45f, 4.8f};
constexpr float window_size = 1.1f;
constexpr float window_centre_y = 1.55f;
constexpr float door_half_width = 0.8f;
constexpr float door_height = 2.45f;

// 方砖: square grey bricks half a metre across, each a shade of its own, with mortar joints.
glm::vec3 brick_floor(float x, float z) {
  const float brick = 0.5f;
  const float bx = x / brick;
  const float bz = z / brick;
  const float fx = bx - std::floor(bx);
  const float fz = bz - std::floor(bz);
  const float shade = hash(static_cast<int32_t>(std::floor(bx)), static_cast<int32_t>(std::floor(bz)), 7);
  const float joint = std::min(std::min(fx, 1.0f - fx), std::min(fz, 1.0f - fz)) * brick;
  const float mortar = 1.0f - smooth(0.004f, 0.012f, joint);
  const float grain = fractal(x * 9.0f, z * 9.0f, 11);
  glm::vec3 colour = glm::mix(hex(0x5e5c58), hex(0x77746d), shade) * (0.86f + 0.22f * grain);
  colour = glm::mix(colour, hex(0x3a3835), mortar);
  return colour;
}

// 粉墙: whitewashed plaster, weathered, over a plinth of grey bricks in running bond.
glm::vec3 plaster_wall(float x, float height) {
  const float stain = fractal(x * 1.3f, height * 2.2f, 21);
  glm::vec3 colour = hex(0xd8d2c4) * (0.9f + 0.12f * stain);
  colour = glm::mix(colour, hex(0xa9a294), smooth(0.55f, 0.9f, fractal(x * 0.6f, height * 0.4f, 23)) * 0.35f);
  if (height < 0.62f) {
    const float course = height / 0.09f;
    const float row = std::floor(course);
    const float offset = std::fmod(row, 2.0f) * 0.12f;
    const float along = (x + offset) / 0.24f;
    const float fx = along - std::floor(along);
    const float fy = course - row;
    const float shade = hash(static_cast<int32_t>(std::floor(along)), static_cast<int32_t>(row), 29);
    const float joint = std::min(std::min(fx * 0.24f, (1.0f - fx) * 0.24f), std::min(fy, 1.0f - fy) * 0.09f);
    colour = glm::mix(glm::mix(hex(0x55534f), hex(0x6c6963), shade), hex(0xb0aba0),
        1.0f - smooth(0.003f, 0.008f, joint));
  } else if (height < 0.66f) {
    colour = hex(0x4b4945);
  }
  return colour;
}

// 小青瓦: rows of grey tiles; u across the ridges of tiles, v down the slope, a metre each.
glm::vec3 roof_tiles(float u, float v) {
  const float across = u * 5.0f;
  const float ridge = std::abs(std::sin(across * pi));
  const float course = v * 6.0f;
  const float lap = course - std::floor(course);
  const float shade = hash(static_cast<int32_t>(std::floor(across)), static_cast<int32_t>(std::floor(course)), 41);
  return hex(0x3c3e42) * (0.55f + 0.45f * ridge) * (0.75f + 0.25f * smooth(0.0f, 0.25f, lap)) * (0.9f + 0.2f * shade);
}

// What a paper-cut covers at (x, y) in [-1, 1]² (y down): 1 red paper, 0 cut away or outside.
using PaperCut = std::function<float(glm::vec2 point)>;

// The round frame every window flower shares: a scalloped rim, a ring of dots and a sawtooth ring
// (锯齿), cut around a centre of its own.
float round_frame(glm::vec2 point, float centre) {
  const float radius = glm::length(point);
  const float angle = std::atan2(point.y, point.x);
  const float rim = 0.86f + 0.035f * std::cos(24.0f * angle);
  if (radius > rim) return 0.0f;
  if (radius < 0.56f) return centre;
  const float slot = std::floor((angle + pi) / (2.0f * pi) * 20.0f);
  const float dot_angle = (slot + 0.5f) / 20.0f * 2.0f * pi - pi;
  const glm::vec2 dot = 0.74f * glm::vec2(std::cos(dot_angle), std::sin(dot_angle));
  if (glm::length(point - dot) < 0.045f) return 0.0f;
  const float tooth = (angle + pi) / (2.0f * pi) * 32.0f;
  if (radius < 0.56f + 0.08f * (1.0f - 2.0f * std::abs(tooth - std::floor(tooth) - 0.5f))) return 0.0f;
  return 1.0f;
}

// 梅花: a five-petalled plum blossom, its veins and heart cut out, with buds between the petals.
float plum_centre(glm::vec2 point, float turn) {
  const float radius = glm::length(point);
  const float angle = std::atan2(point.y, point.x) + turn;
  const float petal = 0.36f + 0.14f * std::pow(std::abs(std::cos(2.5f * angle)), 0.6f);
  if (radius < 0.07f) return 1.0f;
  if (radius < 0.11f) return 0.0f;
  if (radius < petal) {
    const float vein = std::abs(std::sin(5.0f * angle));
    return (vein < 0.06f && radius > 0.16f) || (std::abs(radius - 0.25f) < 0.012f && vein > 0.4f) ? 0.0f : 1.0f;
  }
  for (int bud = 0; bud < 5; ++bud) {
    const float bud_angle = (static_cast<float>(bud) + 0.5f) * 2.0f * pi / 5.0f - turn;
    if (glm::length(point - 0.47f * glm::vec2(std::cos(bud_angle), std::sin(bud_angle))) < 0.05f) return 1.0f;
  }
  return 0.0f;
}

// A character cut out of a red disc.
float character_centre(glm::vec2 point, const Calligraphy& calligraphy, char32_t character, bool upside_down,
    float ems_per_unit) {
  if (glm::length(point) > 0.56f) return 0.0f;
  const glm::vec2 at = (upside_down ? -point : point) / 0.8f;
  return 1.0f - calligraphy.ink(character, at, ems_per_unit / 0.8f);
}

// The four lattice windows side by side, each with its window flower: colour and glow.
std::pair<ImageRgba8, ImageRgba8> window_textures(const Calligraphy& calligraphy) {
  constexpr uint32_t side = 256;
  ImageRgba8 colour(side * 4, side);
  ImageRgba8 glow(side * 4, side);
  const float texel = 2.0f / static_cast<float>(side);
  const std::array<PaperCut, 4> cuts = {
      [&](glm::vec2 p) { return round_frame(p, plum_centre(p, 0.0f)); },
      [&](glm::vec2 p) { return round_frame(p, character_centre(p, calligraphy, U'福', true, texel)); },
      [&](glm::vec2 p) { return round_frame(p, character_centre(p, calligraphy, U'春', false, texel)); },
      [&](glm::vec2 p) { return round_frame(p, plum_centre(p, pi / 5.0f)); }};
  for (uint32_t window = 0; window < 4; ++window) {
    for (uint32_t y = 0; y < side; ++y) {
      for (uint32_t x = 0; x < side; ++x) {
        const glm::vec2 p((static_cast<float>(x) + 0.5f) * texel - 1.0f, (static_cast<float>(y) + 0.5f) * texel - 1.0f);
        // 方格: a lattice of square panes, its bars in dark lacquered wood, and the frame.
        const glm::vec2 cell = (p + 1.0f) * 3.0f;
        const glm::vec2 in_cell = cell - glm::floor(cell);
        const float bar_distance =
            std::min(std::min(in_cell.x, 1.0f - in_cell.x), std::min(in_cell.y, 1.0f - in_cell.y)) / 3.0f;
        const float frame = std::max(std::abs(p.x), std::abs(p.y));
        const bool wood = bar_distance < 0.022f || frame > 0.94f;
        const float paper_shade = 0.92f + 0.08f * fractal(p.x * 6.0f, p.y * 6.0f, 51 + window);
        // Four samples across the texel, so the cut edges are smooth.
        float red = 0.0f;
        for (const glm::vec2 offset :
             {glm::vec2(-0.25f, -0.25f), glm::vec2(0.25f, -0.25f), glm::vec2(-0.25f, 0.25f), glm::vec2(0.25f, 0.25f)}) {
          red += 0.25f * cuts[window](p + offset * texel);
        }
        glm::vec3 base = glm::mix(hex(0xeadbb8) * paper_shade, hex(0xc4121b), red);
        glm::vec3 light = glm::mix(glm::vec3(1.0f, 0.66f, 0.32f) * 0.62f * paper_shade,
            glm::vec3(0.42f, 0.02f, 0.015f), red);
        if (wood && red < 0.5f) {
          base = hex(0x3b1c12);
          light = glm::vec3(0.0f);
        }
        put(colour, window * side + x, y, base);
        put(glow, window * side + x, y, to_srgb(light));
      }
    }
  }
  return {std::move(colour), std::move(glow)};
}

// 春联: red paper flecked with gold, the characters in black ink; the two lines stand side by side
// in the texture's left half, the horizontal scroll across the top of its right half.
ImageRgba8 couplet_texture(const Calligraphy& calligraphy) {
  constexpr uint32_t size = 1024;
  constexpr float cell = 128.0f;  // texels a character
  ImageRgba8 image(size, size);
  const std::u32string first = utf32(couplet_first);
  const std::u32string second = utf32(couplet_second);
  const std::u32string scroll = utf32(couplet_scroll);
  const float ems_per_texel = 1.0f / (cell * 0.8f);
  for (uint32_t y = 0; y < size; ++y) {
    for (uint32_t x = 0; x < size; ++x) {
      const float fx = static_cast<float>(x) + 0.5f;
      const float fy = static_cast<float>(y) + 0.5f;
      const float fleck = hash(static_cast<int32_t>(x / 3), static_cast<int32_t>(y / 3), 61);
      glm::vec3 paper = hex(0xb3131b) * (0.93f + 0.1f * fractal(fx * 0.05f, fy * 0.05f, 63));
      if (fleck > 0.985f) paper = hex(0xd9a441);
      float ink = 0.0f;
      float border = 0.0f;
      if (x < 256) {
        // The strips: 64 texels of margin above and below seven characters.
        const std::u32string& line = x < 128 ? first : second;
        const float column_x = fx - (x < 128 ? 64.0f : 192.0f);
        const float row = (fy - 64.0f) / cell;
        if (row >= 0.0f && row < 7.0f) {
          const auto index = static_cast<size_t>(row);
          const glm::vec2 offset(column_x / (cell * 0.8f),
              (row - static_cast<float>(index) - 0.5f) * cell / (cell * 0.8f));
          ink = calligraphy.ink(line[index], offset, ems_per_texel);
        }
        const float inset = std::min(64.0f - std::abs(column_x), std::min(fy, 1024.0f - fy));
        border = inset > 6.0f && inset < 9.0f ? 1.0f : 0.0f;
      } else if (y < 192) {
        // The scroll: 768 × 192 texels, four characters across.
        const float column = (fx - 256.0f - 128.0f) / cell;
        if (column >= 0.0f && column < 4.0f) {
          const auto index = static_cast<size_t>(column);
          const glm::vec2 offset((column - static_cast<float>(index) - 0.5f) * cell / (cell * 0.8f),
              (fy - 96.0f) / (cell * 0.8f));
          ink = calligraphy.ink(scroll[index], offset, ems_per_texel);
        }
        const float inset = std::min(std::min(fx - 256.0f, 1024.0f - fx), std::min(fy, 192.0f - fy));
        border = inset > 10.0f && inset < 13.0f ? 1.0f : 0.0f;
      }
      glm::vec3 colour = glm::mix(paper, hex(0xd9a441), border);
      colour = glm::mix(colour, hex(0x161010), ink);
      put(image, x, y, colour);
    }
  }
  return image;
}

// The double doors (1.6 × 2.45 m): red lacquer, five rows of four gold studs (门钉) a leaf,
// bronze knockers (铺首) by the seam, and a 福 on red paper turned on its corner (斗方).
ImageRgba8 door_texture(const Calligraphy& calligraphy) {
  constexpr uint32_t width = 512;
  constexpr uint32_t height = 784;
  const float metres_per_texel = 2.0f * door_half_width / static_cast<float>(width);
  ImageRgba8 image(width, height);
  for (uint32_t y = 0; y < height; ++y) {
    for (uint32_t x = 0; x < width; ++x) {
      const float mx = (static_cast<float>(x) + 0.5f) * metres_per_texel;  // from the left edge
      const float my = (static_cast<float>(y) + 0.5f) * metres_per_texel;  // from the top
      const float leaf_x = mx < door_half_width ? mx : mx - door_half_width;
      const bool left_leaf = mx < door_half_width;
      glm::vec3 colour = hex(0x8f1712) * (0.9f + 0.14f * fractal(mx * 2.0f, my * 30.0f, 71));
      // Each leaf's frame and the seam.
      const float inset = std::min(std::min(leaf_x, door_half_width - leaf_x), std::min(my, door_height - my));
      if (inset < 0.05f) colour *= 0.72f;
      // Studs: five rows below the 斗方, four columns from the leaf's outer edge, clear of the knocker.
      const float from_outer = left_leaf ? leaf_x : door_half_width - leaf_x;
      for (int row = 0; row < 5; ++row) {
        for (int column = 0; column < 4; ++column) {
          const glm::vec2 stud(0.1f + 0.14f * static_cast<float>(column), 0.84f + 0.3f * static_cast<float>(row));
          const float distance = glm::length(glm::vec2(from_outer, my) - stud);
          if (distance < 0.035f) colour = glm::mix(hex(0xf2cf6b), hex(0x9c6b1f), distance / 0.035f);
        }
      }
      // Knockers by the seam, between the second and third rows: a ring below a round plate.
      const glm::vec2 plate(left_leaf ? door_half_width - 0.12f : 0.12f, 1.2f);
      const float to_plate = glm::length(glm::vec2(leaf_x, my) - plate);
      if (to_plate < 0.075f) colour = glm::mix(hex(0xc89a3c), hex(0x6d4a18), to_plate / 0.075f);
      const float to_ring = glm::length(glm::vec2(leaf_x, my) - (plate + glm::vec2(0.0f, 0.1f)));
      if (std::abs(to_ring - 0.07f) < 0.011f) colour = hex(0xb98a34);
      // 斗方: a 0.42 m square of red paper on its corner, centred 0.42 m from the top.
      const glm::vec2 diamond_centre(door_half_width * 0.5f, 0.42f);
      const glm::vec2 local = glm::vec2(leaf_x, my) - diamond_centre;
      const float diamond = std::abs(local.x) + std::abs(local.y);
      if (diamond < 0.3f) {
        colour = diamond > 0.285f ? hex(0xd9a441) : hex(0xc8141c);
        const float ink = calligraphy.ink(U'福', local / 0.26f, metres_per_texel / 0.26f);
        colour = glm::mix(colour, hex(0x121010), ink);
      }
      put(image, x, y, colour);
    }
  }
  return image;
}

StaticMaterial material(std::string name, glm::vec3 srgb, float roughness, float metallic = 0.0f) {
  StaticMaterial made;
  made.name = std::move(name);
  made.base_color = glm::vec4(to_linear(srgb), 1.0f);
  made.roughness = roughness;
  made.metallic = metallic;
  return made;
}

StaticMaterial textured(std::string name, ImageRgba8 colour, float roughness, bool repeat) {
  StaticMaterial made;
  made.name = std::move(name);
  made.base_color_texture = std::move(colour);
  made.roughness = roughness;
  made.repeat = repeat;
  return made;
}

// A surface's colour texture and its glow: its linear albedo times the light baked from the
// lanterns at the point `where(u, v)` facing `normal`.
void bake_glow(StaticMaterial& surface, const std::function<glm::vec3(float u, float v)>& where, glm::vec3 normal) {
  const ImageRgba8& colour = surface.base_color_texture;
  ImageRgba8 glow(colour.width, colour.height);
  for (uint32_t y = 0; y < colour.height; ++y) {
    for (uint32_t x = 0; x < colour.width; ++x) {
      const glm::vec3 point = where((static_cast<float>(x) + 0.5f) / static_cast<float>(colour.width),
                                    (static_cast<float>(y) + 0.5f) / static_cast<float>(colour.height));
      put(glow, x, y, to_srgb(to_linear(get(colour, x, y)) * baked_light(point, normal)));
    }
  }
  surface.emissive_texture = std::move(glow);
}

}  // namespace

Result<StaticModel> make_courtyard(const std::filesystem::path& calligraphy_font) {
  PV_TRY_ASSIGN(const Calligraphy calligraphy,
                Calligraphy::open(calligraphy_font,
                    utf32(std::string(couplet_first) + couplet_second + couplet_scroll + "福春")));
  enum Part : uint32_t {
    ground, back_wall, side_wall, lacquer, doors, tiles, windows, couplet, dark_wood, stone, part_count
  };
  StaticModel model;
  model.name = "courtyard";
  model.materials.resize(part_count);
  model.parts.resize(part_count);

  const float court_width = court_right - court_left;
  const float court_depth = court_front - court_back;
  model.materials[ground] = textured("ground", paint(1024, 768, [&](float u, float v) {
                                       return brick_floor(court_left + u * court_width, court_back + v * court_depth);
                                     }), 0.85f, false);
  bake_glow(model.materials[ground],
      [&](float u, float v) { return glm::vec3(court_left + u * court_width, 0.0f, court_back + v * court_depth); },
      {0.0f, 1.0f, 0.0f});
  quad(model.parts[ground], {court_left, 0.0f, court_front}, {court_width, 0.0f, 0.0f}, {0.0f, 0.0f, -court_depth},
      {0.0f, 1.0f}, {1.0f, 0.0f});

  model.materials[back_wall] = textured("back_wall", paint(1024, 288, [&](float u, float v) {
                                          return plaster_wall(court_left + u * court_width, (1.0f - v) * wall_height);
                                        }), 0.9f, false);
  bake_glow(model.materials[back_wall],
      [&](float u, float v) { return glm::vec3(court_left + u * court_width, (1.0f - v) * wall_height, court_back); },
      {0.0f, 0.0f, 1.0f});
  quad(model.parts[back_wall], {court_left, 0.0f, court_back}, {court_width, 0.0f, 0.0f}, {0.0f, wall_height, 0.0f},
      {0.0f, 1.0f}, {1.0f, 0.0f});

  // The side walls, 3.4 m high, tiling a plastered stretch of 4 m.
  model.materials[side_wall] = textured("side_wall",
      paint(512, 384, [](float u, float v) { return plaster_wall(u * 4.0f, (1.0f - v) * 3.4f); }), 0.9f, true);
  const float side_depth = 4.2f - court_back;
  quad(model.parts[side_wall], {court_left, 0.0f, court_back}, {0.0f, 0.0f, side_depth}, {0.0f, 3.4f, 0.0f},
      {0.0f, 1.0f}, {side_depth / 4.0f, 0.0f});
  quad(model.parts[side_wall], {court_right, 0.0f, court_back + side_depth}, {0.0f, 0.0f, -side_depth},
      {0.0f, 3.4f, 0.0f}, {0.0f, 1.0f}, {side_depth / 4.0f, 0.0f});

  // Tiles: the copings of the walls, and the veranda's roof sloping from the beam up to the wall.
  model.materials[tiles] = textured("tiles", paint(256, 256, roof_tiles), 0.6f, true);
  box(model.parts[tiles], {court_left - 0.1f, wall_height, court_back - 0.45f},
      {court_right + 0.1f, wall_height + 0.16f, court_back + 0.15f});
  box(model.parts[tiles], {court_left - 0.2f, 3.4f, court_back}, {court_left + 0.2f, 3.55f, 4.2f});
  box(model.parts[tiles], {court_right - 0.2f, 3.4f, court_back}, {court_right + 0.2f, 3.55f, 4.2f});
  const glm::vec3 eave(0.0f, 3.12f, veranda_z + 0.75f);
  const glm::vec3 ridge(0.0f, 3.85f, court_back);
  const float roof_width = 2.0f * 6.6f;
  const glm::vec3 slope = ridge - eave;
  quad(model.parts[tiles], {-6.6f, eave.y, eave.z}, {roof_width, 0.0f, 0.0f}, slope, {0.0f, glm::length(slope)},
      {roof_width, 0.0f});
  // Under the roof, rafters' dark wood; the eave's board in red.
  model.materials[dark_wood] = material("dark_wood", hex(0x3d2217), 0.7f);
  quad(model.parts[dark_wood], {6.6f, eave.y - 0.04f, eave.z}, {-roof_width, 0.0f, 0.0f}, slope, {0.0f, 0.0f},
      {1.0f, 1.0f});
  model.materials[lacquer] = material("lacquer", hex(0x9a1c16), 0.38f);
  box(model.parts[lacquer], {-6.6f, eave.y - 0.12f, eave.z - 0.04f}, {6.6f, eave.y + 0.02f, eave.z + 0.02f});

  // Pillars on stone bases, the beam they carry, and the frames of the doors and windows.
  model.materials[stone] = material("stone", hex(0x8b8780), 0.8f);
  for (const float x : pillar_xs) {
    cylinder(model.parts[lacquer], {x, 0.0f, veranda_z}, pillar_radius, 3.1f, 24);
    cylinder(model.parts[stone], {x, 0.0f, veranda_z}, pillar_radius + 0.08f, 0.14f, 24);
  }
  box(model.parts[lacquer], {-6.3f, 2.75f, veranda_z - 0.1f}, {6.3f, 3.0f, veranda_z + 0.1f});
  box(model.parts[lacquer], {-6.3f, 3.0f, veranda_z - 0.06f}, {6.3f, 3.12f, veranda_z + 0.75f});
  box(model.parts[lacquer], {-door_half_width - 0.12f, 0.0f, court_back},
      {-door_half_width, door_height + 0.12f, court_back + 0.08f});
  box(model.parts[lacquer], {door_half_width, 0.0f, court_back},
      {door_half_width + 0.12f, door_height + 0.12f, court_back + 0.08f});
  box(model.parts[lacquer], {-door_half_width - 0.12f, door_height, court_back},
      {door_half_width + 0.12f, door_height + 0.14f, court_back + 0.08f});
  box(model.parts[stone], {-door_half_width - 0.2f, 0.0f, court_back},
      {door_half_width + 0.2f, 0.1f, court_back + 0.35f});

  model.materials[doors] = textured("doors", door_texture(calligraphy), 0.4f, false);
  quad(model.parts[doors], {-door_half_width, 0.1f, court_back + 0.02f}, {2.0f * door_half_width, 0.0f, 0.0f},
      {0.0f, door_height - 0.1f, 0.0f}, {0.0f, 1.0f}, {1.0f, 0.0f});

  auto [window_colour, window_glow] = window_textures(calligraphy);
  model.materials[windows] = textured("windows", std::move(window_colour), 0.7f, false);
  model.materials[windows].emissive_texture = std::move(window_glow);
  for (size_t index = 0; index < 4; ++index) {
    const float x = window_xs[index];
    const float half = window_size * 0.5f;
    const auto left = static_cast<float>(index) / 4.0f;
    quad(model.parts[windows], {x - half, window_centre_y - half, court_back + 0.015f}, {window_size, 0.0f, 0.0f},
        {0.0f, window_size, 0.0f}, {left, 1.0f}, {left + 0.25f, 0.0f});
    box(model.parts[lacquer], {x - half - 0.08f, window_centre_y - half - 0.08f, court_back},
        {x + half + 0.08f, window_centre_y - half, court_back + 0.07f});
    box(model.parts[lacquer], {x - half - 0.08f, window_centre_y + half, court_back},
        {x + half + 0.08f, window_centre_y + half + 0.08f, court_back + 0.07f});
    box(model.parts[lacquer], {x - half - 0.08f, window_centre_y - half, court_back},
        {x - half, window_centre_y + half, court_back + 0.07f});
    box(model.parts[lacquer], {x + half, window_centre_y - half, court_back},
        {x + half + 0.08f, window_centre_y + half, court_back + 0.07f});
  }

  // The couplet on the central pillars' fronts and its scroll on the beam (couplet_texture's layout).
  model.materials[couplet] = textured("couplet", couplet_texture(calligraphy), 0.75f, false);
  // The central lanterns hang level with the couplet, just beside it, lighting the paper at a
  // graze; taken 0.4 m behind the pillars' line, they count as in front of it, and that light at
  // the couplet's middle stands for the whole sheet.
  bake_glow(model.materials[couplet], [](float, float) { return glm::vec3(-1.3f, 1.6f, veranda_z - 0.4f); },
      {0.0f, 0.0f, 1.0f});
  const float strip_z = veranda_z + pillar_radius + 0.015f;
  quad(model.parts[couplet], {-1.3f - 0.13f, 0.62f, strip_z}, {0.26f, 0.0f, 0.0f}, {0.0f, 2.03f, 0.0f}, {0.0f, 1.0f},
      {0.125f, 0.0f});
  quad(model.parts[couplet], {1.3f - 0.13f, 0.62f, strip_z}, {0.26f, 0.0f, 0.0f}, {0.0f, 2.03f, 0.0f}, {0.125f, 1.0f},
      {0.25f, 0.0f});
  quad(model.parts[couplet], {-0.62f, 2.7f, veranda_z + 0.115f}, {1.24f, 0.0f, 0.0f}, {0.0f, 0.31f, 0.0f},
      {0.25f, 0.1875f}, {1.0f, 0.0f});
  return model;
}

Result<StaticModel> make_lantern(const std::filesystem::path& calligraphy_font) {
  PV_TRY_ASSIGN(const Calligraphy calligraphy, Calligraphy::open(calligraphy_font, U"福"));
  enum Part : uint32_t { silk, gold, cord, part_count };
  StaticModel model;
  model.name = "lantern";
  model.materials.resize(part_count);
  model.parts.resize(part_count);

  // The body: u around (0.5 facing the visitor), v from the top down. Sixteen ribs of bamboo
  // show through the silk; a 福 in dark gold faces the front and the back.
  constexpr float body_radius = 0.3f;
  constexpr float body_half_height = 0.25f;
  constexpr uint32_t width = 512;
  constexpr uint32_t height = 256;
  ImageRgba8 colour(width, height);
  ImageRgba8 glow(width, height);
  const float arc = 2.0f * body_half_height * 1.3f;  // the profile's length, near enough
  for (uint32_t y = 0; y < height; ++y) {
    for (uint32_t x = 0; x < width; ++x) {
      const float u = (static_cast<float>(x) + 0.5f) / static_cast<float>(width);
      const float v = (static_cast<float>(y) + 0.5f) / static_cast<float>(height);
      const float rib = std::abs(std::fmod(u * 16.0f + 0.5f, 1.0f) - 0.5f);
      const float rib_shade = 0.55f + 0.45f * smooth(0.015f, 0.05f, rib);
      const float middle = std::sin(pi * v);
      glm::vec3 base = hex(0xd11a1f) * (0.85f + 0.15f * middle);
      glm::vec3 light = glm::vec3(0.95f, 0.17f, 0.035f) * (0.3f + 0.7f * middle) * rib_shade;
      base *= 0.85f + 0.15f * rib_shade;
      // Gold bands near the caps.
      if (std::abs(v - 0.12f) < 0.012f || std::abs(v - 0.88f) < 0.012f) {
        base = hex(0xe0b04a);
        light *= 0.4f;
      }
      float ink = 0.0f;
      for (const float centre : {0.5f, 0.0f, 1.0f}) {
        const glm::vec2 metres((u - centre) * 2.0f * pi * body_radius, (v - 0.5f) * arc);
        ink = std::max(ink,
            calligraphy.ink(U'福', metres / 0.2f, 2.0f * pi * body_radius / static_cast<float>(width) / 0.2f));
      }
      base = glm::mix(base, hex(0x8a5a14), ink);
      light *= 1.0f - 0.75f * ink;
      put(colour, x, y, base);
      put(glow, x, y, to_srgb(light));
    }
  }
  model.materials[silk] = textured("silk", std::move(colour), 0.6f, false);
  model.materials[silk].emissive_texture = std::move(glow);
  model.materials[gold] = material("gold", hex(0xd9a94a), 0.35f, 1.0f);
  model.materials[cord] = material("cord", hex(0xb0141b), 0.7f);
  model.materials[cord].emissive = glm::vec3(0.08f, 0.0f, 0.0f);

  const glm::vec3 centre(0.0f, -lantern_drop, 0.0f);
  std::vector<glm::vec2> profile;
  for (int ring = 0; ring <= 20; ++ring) {
    const float angle = pi * static_cast<float>(ring) / 20.0f;  // bottom (0) to top (pi)
    profile.push_back({0.09f + (body_radius - 0.09f) * std::sin(angle), -body_half_height * std::cos(angle)});
  }
  lathe(model.parts[silk], centre, profile, 48);
  lathe(model.parts[gold], centre + glm::vec3(0.0f, body_half_height - 0.02f, 0.0f),
        {{0.0f, 0.0f}, {0.11f, 0.0f}, {0.11f, 0.0f}, {0.12f, 0.05f}, {0.12f, 0.05f}, {0.0f, 0.07f}}, 24);
  lathe(model.parts[gold], centre - glm::vec3(0.0f, body_half_height + 0.05f, 0.0f),
        {{0.0f, 0.0f}, {0.12f, 0.02f}, {0.12f, 0.02f}, {0.11f, 0.07f}, {0.11f, 0.07f}, {0.0f, 0.07f}}, 24);
  const float cord_bottom = -lantern_drop + body_half_height + 0.05f;
  box(model.parts[cord], {-0.008f, cord_bottom, -0.008f}, {0.008f, 0.0f, 0.008f});
  // The tassel (流苏): a knot, then threads spreading as they fall.
  const glm::vec3 tassel_top = centre - glm::vec3(0.0f, body_half_height + 0.05f, 0.0f);
  lathe(model.parts[gold], tassel_top - glm::vec3(0.0f, 0.08f, 0.0f),
        {{0.0f, 0.0f}, {0.03f, 0.03f}, {0.0f, 0.06f}}, 12);
  lathe(model.parts[cord], tassel_top - glm::vec3(0.0f, 0.42f, 0.0f),
        {{0.0f, 0.0f}, {0.055f, 0.0f}, {0.05f, 0.12f}, {0.03f, 0.28f}, {0.018f, 0.34f}}, 16);
  return model;
}

StaticModel make_stone_drum() {
  StaticModel model;
  model.name = "stone_drum";
  StaticMaterial surface = textured("stone", paint(256, 128, [](float u, float v) {
                                      const bool groove = std::abs(v - 0.14f) < 0.02f || std::abs(v - 0.86f) < 0.02f;
                                      const float band = groove ? 0.75f : 1.0f;
                                      return hex(0x9a958c) * (0.78f + 0.3f * fractal(u * 40.0f, v * 20.0f, 81)) * band;
                                    }), 0.85f, false);
  model.materials.push_back(std::move(surface));
  model.parts.resize(1);
  std::vector<glm::vec2> profile{{0.0f, 0.0f}};
  for (int ring = 0; ring <= 12; ++ring) {
    const float t = static_cast<float>(ring) / 12.0f;
    profile.push_back({0.23f + 0.06f * std::sin(pi * t), 0.42f * t});
  }
  profile.push_back({0.0f, 0.42f});
  lathe(model.parts[0], glm::vec3(0.0f), profile, 32);
  return model;
}

}  // namespace pavilion::procedural

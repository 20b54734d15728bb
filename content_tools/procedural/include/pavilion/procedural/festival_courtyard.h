// The Spring Festival's courtyard (scenes/spring_festival), made from formulas: a grey-brick
// court before a whitewashed wall under a tiled veranda on red pillars, red doors with gold studs
// and 福 turned upside down (福到, "luck arrives"), lattice windows glowing with paper-cut window
// flowers (窗花), a couplet (春联) on the central pillars with its horizontal scroll, set in
// LXGW WenKai, and a red silk lantern (灯笼) that the scene hangs from the veranda's beam.
//
// Metres, +Y up, the visitor looking towards -Z. The lanterns do not light the court in the
// renderer (it has one light, the sun), so their warm light on the ground and the wall is baked
// into those surfaces' emissive textures, from the hooks in `lantern_hooks`; the scene hangs a
// lantern at each (its exhibit position) with the lantern's origin at the hook.
#pragma once

#include "pavilion/core/error.h"
#include "pavilion/core/image.h"

#include <glm/glm.hpp>

#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace pavilion::procedural {

struct StaticVertex {
  glm::vec3 position{0.0f};
  glm::vec3 normal{0.0f, 1.0f, 0.0f};
  glm::vec2 uv{0.0f};
};

// glTF 2.0 metallic-roughness; an empty image means the factor alone.
struct StaticMaterial {
  std::string name;  // also names its PNGs: <model>_<name>_color.png, <model>_<name>_glow.png
  glm::vec4 base_color{1.0f};
  ImageRgba8 base_color_texture;  // sRGB
  glm::vec3 emissive{0.0f};
  ImageRgba8 emissive_texture;    // sRGB; glows as painted
  float metallic = 0.0f;
  float roughness = 0.8f;
  bool repeat = false;            // texture coordinates beyond [0, 1] tile the texture
};

// One primitive per material: parts[i] is drawn with materials[i].
struct StaticPart {
  std::vector<StaticVertex> vertices;
  std::vector<uint32_t> indices;  // triangles, counter-clockwise front faces
};

struct StaticModel {
  std::string name;  // file stem: <name>.gltf, <name>.bin
  std::vector<StaticMaterial> materials;
  std::vector<StaticPart> parts;
};

// Where the veranda's beam holds each lantern (the scene's lantern exhibits stand there), and the
// scale each is hung at: a larger pair flanks the doors.
struct LanternHook {
  glm::vec3 position{0.0f};
  float scale = 1.0f;
};
inline constexpr std::array<LanternHook, 6> lantern_hooks = {{{{-4.8f, 2.75f, -2.8f}, 1.0f},
                                                               {{-2.45f, 2.75f, -2.8f}, 1.0f},
                                                               {{-0.72f, 2.75f, -2.8f}, 1.15f},
                                                               {{0.72f, 2.75f, -2.8f}, 1.15f},
                                                               {{2.45f, 2.75f, -2.8f}, 1.0f},
                                                               {{4.8f, 2.75f, -2.8f}, 1.0f}}};
// How far below its hook a lantern's glowing body is centred, at scale 1.
inline constexpr float lantern_drop = 0.62f;

// The courtyard's couplet and its horizontal scroll (横批), which reads left to right, so the
// first line (上联, ending on a falling tone) hangs on the left pillar and the second (下联,
// ending on a level tone) on the right.
inline constexpr const char* couplet_first = "丹凤呈祥添瑞气";
inline constexpr const char* couplet_second = "金鸡报晓闹新春";
inline constexpr const char* couplet_scroll = "春回大地";

// The court, with its couplet set in `calligraphy_font` (a Kai face, e.g. LXGW WenKai Bold).
Result<StaticModel> make_courtyard(const std::filesystem::path& calligraphy_font);
// A lantern hanging from its cord, the hook at the origin.
Result<StaticModel> make_lantern(const std::filesystem::path& calligraphy_font);
// A stone drum seat (石鼓), 0.42 m high, for the rooster to stand on.
StaticModel make_stone_drum();

// Writes <name>.gltf, <name>.bin and a PNG per texture into `folder`. Byte-identical for the
// same model.
Result<void> write_static_gltf(const StaticModel& model, const std::filesystem::path& folder);

}  // namespace pavilion::procedural

// The pieces the festival birds are built from: lofted bodies (ellipse sections swept along a
// smooth spine), feathers (tapered two-sided strips with a raised shaft), a colour texture of
// painted regions, skin weights along bone chains, and clips sampled from formulas.
#pragma once

#include "pavilion/procedural/rigged_model.h"

#include <functional>
#include <initializer_list>
#include <string_view>
#include <utility>

namespace pavilion::procedural::birds {

// Influences of joints on a vertex before they are cut to four and normalised.
using Influences = std::vector<std::pair<uint16_t, float>>;

// Blends smoothly along a chain of joints (listed in space order, not necessarily parent to
// child): `along` 0 is the start of the first joint's bone, n the end of the last's.
Influences chain_influences(std::initializer_list<uint16_t> chain, float along);
Influences rigid(uint16_t joint);

// The colour texture is painted in horizontal regions; a part's (u, v) in [0, 1] inside its
// region becomes a texture coordinate that stays clear of the neighbours' texels.
struct TextureRegion {
  uint32_t first_row = 0;
  uint32_t rows = 0;
  std::function<glm::vec3(float u, float v)> paint;  // sRGB in [0, 1]
};

glm::vec2 region_uv(const TextureRegion& region, float u, float v, uint32_t texture_size);
ImageRgba8 paint_texture(const std::vector<TextureRegion>& regions, uint32_t size);

// Piecewise-linear colour through stops at increasing positions.
glm::vec3 ramp(float t, std::initializer_list<std::pair<float, glm::vec3>> stops);
glm::vec3 rgb(uint32_t hex);

// One section of a loft: a centre, the ellipse's half-width (across the side axis) and
// half-height, where the section lies in its texture region (u), and its place along the
// skin's chain.
struct LoftKey {
  glm::vec3 centre{0.0f};
  float half_width = 0.0f;
  float half_height = 0.0f;
  float u = 0.0f;
  float along = 0.0f;
};

struct FeatherShape {
  std::function<glm::vec3(float t)> spine;    // root (t = 0) to tip (t = 1)
  std::function<glm::vec3(float t)> across;   // unit, across the vane, perpendicular to the spine
  std::function<float(float t)> width;        // full width of the vane
  float shaft_height = 0.004f;                // the shaft stands above the vane along the normal
  int segments = 12;
};

class BirdBuilder {
 public:
  explicit BirdBuilder(uint32_t texture_size) : texture_size_(texture_size) {}

  // A smooth closed body through `keys` (Catmull-Rom), `rings` sections of `around` vertices,
  // capped at both ends. `side` is the axis sections are measured across (the spine must not
  // run along it); v in the region runs from the top (0) to the bottom (1) of a section.
  // `influences` maps a section's `along` to its joints.
  void loft(const std::vector<LoftKey>& keys, const TextureRegion& region, const std::function<Influences(float along)>& influences,
            glm::vec3 side = {1.0f, 0.0f, 0.0f}, int rings = 32, int around = 20);
  // An ellipsoid as a loft of a given length along `axis` through `centre`.
  // u runs from `u_range.x` at the back end to `u_range.y` at the front.
  void ellipsoid(glm::vec3 centre, glm::vec3 axis, float length, float half_width, float half_height, const TextureRegion& region,
                 glm::vec2 u_range, const Influences& influences, glm::vec3 side = {1.0f, 0.0f, 0.0f});
  // A feather seen from both faces; u runs root to tip and v across the vane in its region.
  void feather(const FeatherShape& shape, const TextureRegion& region, const std::function<Influences(float t)>& influences);

  RiggedModel finish(std::string name, std::vector<Joint> joints, ImageRgba8 color, std::vector<Clip> clips) &&;

 private:
  struct Vertex {
    glm::vec3 position;
    glm::vec2 uv;
    Influences influences;
  };
  // Appends a part with normals averaged over its own faces.
  void add_part(const std::vector<Vertex>& vertices, const std::vector<uint32_t>& triangles, float flip);

  uint32_t texture_size_;
  std::vector<SkinnedVertex> vertices_;
  std::vector<uint32_t> indices_;
};

// A joint's pose at a time: a rotation (and, for the root, a translation) from its rest.
struct JointMotion {
  uint16_t joint = 0;
  std::function<glm::quat(float t)> rotation;
  std::function<glm::vec3(float t)> translation;  // empty: the joint keeps its rest offset
};

// Samples each motion at `rate` keys a second from 0 to `duration` inclusive. Quaternions keep
// one hemisphere from key to key so the player never turns the long way.
Clip sample_clip(std::string name, float duration, bool loops, float rate, const std::vector<JointMotion>& motions);

// The same rotation seen in the mirror x → -x: the left side's motion made the right side's.
glm::quat mirror_x(const glm::quat& q);
glm::vec3 rotate_about(glm::vec3 vector, glm::vec3 axis, float degrees);
// A feather's width along it: narrow at the quill, full through the middle, rounded at the tip.
float feather_width(float t, float full);
// Fine barbs running obliquely from the shaft, and the shaft itself, over a vane's colour
// (u along the feather, v across it).
glm::vec3 vane(glm::vec3 colour, glm::vec3 shaft, float u, float v);
glm::quat euler_degrees(float pitch_x, float yaw_y, float roll_z);
float smooth_step(float edge0, float edge1, float x);
constexpr float pi = 3.14159265358979f;

}  // namespace pavilion::procedural::birds

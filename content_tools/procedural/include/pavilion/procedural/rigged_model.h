// A skinned model made from formulas (its skeleton, skinned triangles, a colour texture and
// animation clips), its poses, and its glTF 2.0 form (.gltf + .bin + .png) that pavilion-pack
// imports like any authored model.
#pragma once

#include "pavilion/core/error.h"
#include "pavilion/core/image.h"

#include <glm/glm.hpp>
#include <glm/gtc/quaternion.hpp>

#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace pavilion::procedural {

// Joints rest unrotated and unscaled: a joint's rest pose is its offset from its parent, so its
// inverse bind matrix is the translation by minus its rest position.
struct Joint {
  std::string name;
  int32_t parent = -1;  // an earlier joint, or -1 for the skeleton's root
  glm::vec3 translation{0.0f};
};

struct SkinnedVertex {
  glm::vec3 position{0.0f};
  glm::vec3 normal{0.0f, 1.0f, 0.0f};
  glm::vec2 uv{0.0f};
  std::array<uint16_t, 4> joints{};
  glm::vec4 weights{1.0f, 0.0f, 0.0f, 0.0f};  // sums to 1; unused slots have weight 0
};

enum class ClipPath : uint8_t { translation, rotation };

// Keys sampled densely from the clip's formulas, played linearly (rotations spherically).
struct ClipChannel {
  uint32_t joint = 0;
  ClipPath path = ClipPath::rotation;
  std::vector<float> times;        // seconds from 0, increasing
  std::vector<glm::vec4> values;   // translation xyz, or rotation quaternion xyzw
};

struct Clip {
  std::string name;
  bool loops = false;  // the last key equals the first
  std::vector<ClipChannel> channels;
  float duration() const;
};

struct RiggedModel {
  std::string name;  // file stem: <name>.gltf, <name>.bin, <name>_color.png
  std::vector<Joint> joints;
  std::vector<SkinnedVertex> vertices;
  std::vector<uint32_t> indices;  // triangles, counter-clockwise front faces
  ImageRgba8 color;               // base colour, sRGB
  float roughness = 0.5f;
  std::vector<Clip> clips;
};

// Rest-pose world position of every joint.
std::vector<glm::vec3> joint_rest_positions(const RiggedModel& model);

// Joint world matrices of `clip` at `time` (clamped to the clip), rest values where no channel.
std::vector<glm::mat4> joint_world_matrices(const RiggedModel& model, const Clip& clip, float time);

// The model's vertices moved as a skinning renderer would at `time` of `clip` (normals too);
// the skeleton stays at rest and the clips are dropped, so any viewer shows the pose.
RiggedModel bake_pose(const RiggedModel& model, const Clip& clip, float time, std::string name);

// Writes <name>.gltf, <name>.bin and <name>_color.png into `folder`. Byte-identical for the same
// model: no time stamps, keys in a fixed order.
Result<void> write_gltf(const RiggedModel& model, const std::filesystem::path& folder);

}  // namespace pavilion::procedural

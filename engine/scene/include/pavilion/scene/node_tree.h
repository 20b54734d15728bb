// The authored structure of a scene's models: their node trees, skeletons and animations, kept
// from the source files so that animation can play them. Render instances hang from nodes; a
// node's world transform is its parents' transforms and its own, composed.
#pragma once

#include "pavilion/core/error.h"
#include "pavilion/scene/render_scene.h"

#include <glm/glm.hpp>
#include <glm/gtc/quaternion.hpp>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace pavilion::scene {

// A node's place relative to its parent, in the form glTF and animations give it.
struct NodeTransform {
  glm::vec3 translation{0.0f};
  glm::quat rotation{1.0f, 0.0f, 0.0f, 0.0f};  // unit length
  glm::vec3 scale{1.0f};
  glm::mat4 matrix() const;  // translation × rotation × scale
  friend bool operator==(const NodeTransform&, const NodeTransform&) = default;
};

inline constexpr int32_t no_parent = -1;

struct Node {
  std::string name;
  int32_t parent = no_parent;  // an earlier node (parents come before their children), or none
  NodeTransform local;
};

// Binds a skinned mesh's vertices to nodes (its joints): VertexSkin::joints index `joints`.
struct Skin {
  std::string name;
  std::vector<uint32_t> joints;                  // node indices
  std::vector<glm::mat4> inverse_bind_matrices;  // one per joint: from the mesh's space to the joint's at bind time
};

inline constexpr int32_t no_skin = -1;
inline constexpr int32_t no_morph = -1;

// Where a render instance hangs: its transform is its node's world transform.
struct InstanceNode {
  uint32_t node = 0;
  int32_t skin = no_skin;  // for an instance of a skinned mesh
  int32_t morph = no_morph;  // for an instance of a mesh with morph targets: its node's Morph
};

// The morph target weights of one node's meshes (glTF's: a node's meshes share its weights, so
// each has one target per weight). Animations key them as a whole.
struct Morph {
  uint32_t node = 0;
  std::vector<float> weights;  // at rest (the mesh's default weights), one per target
};

enum class AnimatedProperty : uint32_t { translation = 0, rotation = 1, scale = 2 };
std::string_view to_string(AnimatedProperty property);

// How a channel's value goes from one key to the next, as glTF defines it (its Appendix C).
enum class Interpolation : uint32_t {
  linear = 0,        // rotations spherically, the short way round
  step = 1,          // each key's value holds until the next key
  cubic_spline = 2,  // a cubic Hermite curve through the keys, with a tangent on each side of each
};

std::string_view to_string(Interpolation interpolation);

// Values a channel keeps per key: cubic spline keeps in-tangent, value and out-tangent.
constexpr size_t values_per_key(Interpolation interpolation) {
  return interpolation == Interpolation::cubic_spline ? 3 : 1;
}

// Keys for one property of one node.
struct AnimationChannel {
  uint32_t node = 0;
  AnimatedProperty property = AnimatedProperty::translation;
  std::vector<float> times;  // seconds from the animation's start, increasing
  // values_per_key(interpolation) per time, each (x, y, z, 0) or a rotation's quaternion as
  // (x, y, z, w); a cubic spline's tangents are per second, as glTF stores them.
  std::vector<glm::vec4> values;
  Interpolation interpolation = Interpolation::linear;
};

// Keys for every weight of one Morph (glTF's `weights` path).
struct WeightChannel {
  uint32_t morph = 0;
  std::vector<float> times;  // seconds from the animation's start, increasing
  // Per time, values_per_key(interpolation) runs of one weight per target: a cubic spline's
  // in-tangents, weights and out-tangents (per second), as glTF stores them.
  std::vector<float> values;
  Interpolation interpolation = Interpolation::linear;
};

struct Animation {
  std::string name;
  float duration = 0.0f;  // seconds
  std::vector<AnimationChannel> channels;
  std::vector<WeightChannel> weight_channels;
};

struct NodeTree {
  std::vector<Node> nodes;
  std::vector<Skin> skins;
  std::vector<InstanceNode> instances;  // one per render instance, in the same order
  std::vector<Animation> animations;
  std::vector<Morph> morphs;
};

// How many morph weights the tree has: every Morph's, morph after morph.
size_t morph_weight_count(const NodeTree& tree);

// Each node's world transform, in node order.
std::vector<glm::mat4> world_transforms(std::span<const Node> nodes);

// Checks every index and ordering rule above (not the instance count: see the caller).
Result<void> validate(const NodeTree& tree);

// Checks that `tree` has one entry per instance, that each skinned instance's mesh has weights
// naming only its skin's joints, and that each morphed instance's mesh has one target per weight
// of its Morph. The instances' mesh indices must already be checked.
Result<void> validate_skinning(const NodeTree& tree, std::span<const MeshData> meshes,
                               std::span<const InstanceData> instances);

}  // namespace pavilion::scene

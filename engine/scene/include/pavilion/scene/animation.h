// Playing a node tree's animation clips: sampling a clip at a time with glTF's interpolation
// rules, and a player that plays, loops, clamps, cross-fades and blends clips, then poses the
// tree and its skins. Everything here runs on the calling thread; after an AnimationPlayer is
// made, nothing allocates.
#pragma once

#include "pavilion/scene/node_tree.h"

#include <glm/glm.hpp>

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace pavilion::scene {

// Writes into `pose` (one transform per node) the properties `animation` animates, at `seconds`
// from its start; every other property is left as it was. Before a channel's first key it holds
// the first key's value, after its last the last's. Rotations come out unit length. `animation`
// must be valid (validate) for a tree of pose.size() nodes.
void sample(const Animation& animation, float seconds, std::span<NodeTransform> pose);

// Writes into `weights` (morph_weight_count(tree) of them, the tree's morphs in turn) the morph
// weights `animation` keys at `seconds`, by the same rules as sample (each weight on its own);
// every other weight is left as it was. `animation` must be one of `tree`'s, valid.
void sample_weights(const NodeTree& tree, const Animation& animation, float seconds, std::span<float> weights);

// Each node's world transform from its local `pose`, into `world` (both one per node, parents
// before children as validate checks).
void world_transforms(std::span<const Node> nodes, std::span<const NodeTransform> pose, std::span<glm::mat4> world);

// Each skin's joint matrices, world(joint) × inverse bind, skin after skin into `joints`
// (joint_matrix_count(tree) of them): what moves a skinned vertex from the mesh's space at bind
// time to the tree's space now.
size_t joint_matrix_count(const NodeTree& tree);
void joint_matrices(const NodeTree& tree, std::span<const glm::mat4> world, std::span<glm::mat4> joints);

enum class PlayEnd : uint8_t {
  loop,   // wraps to the start
  clamp,  // holds the last pose
};

// One clip to blend, by its index in the tree's animations.
struct WeightedClip {
  uint32_t animation = 0;
  float weight = 1.0f;  // relative: the weights in play are normalised
  PlayEnd end = PlayEnd::loop;
  float speed = 1.0f;  // seconds of the clip per second played
};

// Plays one instance tree's clips. The tree must outlive the player. It holds up to `max_clips`
// clips at once (what a cross-fade or blend may have in play); a clip started beyond that replaces
// the one of least weight. Setting up allocates; play, blend, advance and evaluate do not.
class AnimationPlayer {
 public:
  explicit AnimationPlayer(const NodeTree& tree, size_t max_clips = 4);

  // Plays `animation` from its start, alone once `fade_seconds` have passed: over them the clips
  // in play fade out from their present weights as it fades in (0: at once).
  void play(uint32_t animation, PlayEnd end = PlayEnd::loop, float fade_seconds = 0.0f, float speed = 1.0f);
  // Plays these clips together from their starts, weighted; at most max_clips of them.
  void blend(std::span<const WeightedClip> clips);
  void stop();  // the rest pose

  void advance(float seconds);

  // Poses the tree at the present time: the clips in play sampled and blended (translation and
  // scale linearly, rotations normalised after summing on one hemisphere) over the rest pose,
  // then every node's world transform into `world` (one per node) and every skin's joint matrices
  // into `joints` (joint_matrix_count of them). With `weights` (morph_weight_count of them), the
  // morph weights too, blended linearly over their rest values like translations.
  void evaluate(std::span<glm::mat4> world, std::span<glm::mat4> joints, std::span<float> weights = {});

  // The local pose the last evaluate produced.
  std::span<const NodeTransform> pose() const { return pose_; }
  size_t clips_in_play() const { return clips_.size(); }

 private:
  struct Clip {
    uint32_t animation = 0;
    PlayEnd end = PlayEnd::loop;
    float speed = 1.0f;
    float time = 0.0f;  // seconds into the clip, before wrapping or clamping
    float weight_from = 1.0f;  // over the fade, the weight goes from this to weight_to
    float weight_to = 1.0f;
  };
  float weight(const Clip& clip) const;
  void add(Clip clip);

  const NodeTree& tree_;
  size_t max_clips_;
  std::vector<Clip> clips_;
  float fade_elapsed_ = 0.0f;
  float fade_seconds_ = 0.0f;
  std::vector<NodeTransform> pose_;
  std::vector<NodeTransform> clip_pose_;
  std::vector<glm::vec4> rotation_sum_;
  std::vector<float> clip_weights_;  // one clip's morph weights, then the blend's
};

}  // namespace pavilion::scene

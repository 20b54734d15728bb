// Playing animation is safe every frame: after the player is made, playing, cross-fading,
// blending, advancing and evaluating (morph weights too) allocate nothing (counted by replacing the global operator
// new in this binary).
#include "counting_new.h"
#include "pavilion/scene/animation.h"

#include <gtest/gtest.h>

#include <glm/gtc/quaternion.hpp>

#include <algorithm>
#include <array>
#include <vector>

namespace pavilion::scene {
namespace {

// A chain of `bones` nodes under a root, one skin over them, and two clips: a cubic spline sway
// and a linear nod with stepped translations.
NodeTree skinned_chain(uint32_t bones) {
  NodeTree tree;
  tree.nodes.push_back({"root", no_parent, {}});
  Skin skin{"body", {}, {}};
  for (uint32_t bone = 0; bone < bones; ++bone) {
    tree.nodes.push_back({"bone", static_cast<int32_t>(bone), {{0, 1, 0}, glm::quat(1, 0, 0, 0), glm::vec3(1)}});
    skin.joints.push_back(bone + 1);
    skin.inverse_bind_matrices.emplace_back(1.0f);
  }
  tree.skins.push_back(skin);
  Animation sway{"sway", 2.0f, {}};
  Animation nod{"nod", 1.5f, {}};
  for (uint32_t node = 1; node <= bones; ++node) {
    const glm::vec4 tangent(0.0f, 0.0f, 0.3f, 0.0f);
    AnimationChannel curve{node, AnimatedProperty::rotation, {}, {}, Interpolation::cubic_spline};
    AnimationChannel turn{node, AnimatedProperty::rotation, {}, {}};
    AnimationChannel hop{node, AnimatedProperty::translation, {}, {}, Interpolation::step};
    for (int key = 0; key <= 8; ++key) {
      const float angle = 0.2f * static_cast<float>(key % 3);
      const glm::quat q = glm::angleAxis(angle, glm::vec3(0, 0, 1));
      curve.times.push_back(0.25f * static_cast<float>(key));
      curve.values.insert(curve.values.end(), {tangent, glm::vec4(q.x, q.y, q.z, q.w), tangent});
      turn.times.push_back(0.1875f * static_cast<float>(key));
      turn.values.emplace_back(q.y, q.x, q.z, q.w);
      hop.times.push_back(0.1875f * static_cast<float>(key));
      hop.values.emplace_back(0.0f, 1.0f + 0.1f * static_cast<float>(key), 0.0f, 0.0f);
    }
    sway.channels.push_back(curve);
    nod.channels.push_back(turn);
    nod.channels.push_back(hop);
  }
  // A face of eight morph targets on the root, whose weights the sway keys by cubic spline.
  tree.morphs.push_back({0, std::vector<float>(8, 0.0f)});
  WeightChannel blink{0, {}, {}, Interpolation::cubic_spline};
  for (int key = 0; key <= 8; ++key) {
    blink.times.push_back(0.25f * static_cast<float>(key));
    for (int run = 0; run < 3; ++run) {
      for (int target = 0; target < 8; ++target) blink.values.push_back(0.1f * static_cast<float>((key + target) % 4));
    }
  }
  sway.weight_channels.push_back(blink);
  tree.animations = {sway, nod};
  return tree;
}

TEST(SceneAnimationAllocations, PlayingAllocatesNothingAfterSetUp) {
  const NodeTree tree = skinned_chain(60);
  ASSERT_TRUE(validate(tree).ok());
  AnimationPlayer player(tree, 2);
  std::vector<glm::mat4> world(tree.nodes.size());
  std::vector<glm::mat4> joints(joint_matrix_count(tree));
  std::vector<float> weights(morph_weight_count(tree));
  const std::array<WeightedClip, 2> clips{WeightedClip{0, 0.7f}, WeightedClip{1, 0.3f, PlayEnd::clamp}};

  bool keyed = false;  // the sway keys the weights
  testing::reset_counted_allocations();
  testing::count_allocations(true);
  player.play(0);
  for (int frame = 0; frame < 600; ++frame) {
    if (frame == 100) player.play(1, PlayEnd::clamp, 0.5f);
    if (frame == 130) player.play(0, PlayEnd::loop, 0.5f);  // a fade begun during a fade
    if (frame == 160) player.play(1, PlayEnd::loop, 0.5f);  // a third clip: it replaces the faintest
    if (frame == 300) player.blend(clips);
    if (frame == 500) player.stop();
    player.advance(1.0f / 90.0f);
    player.evaluate(world, joints, weights);
    if (frame == 50) keyed = std::any_of(weights.begin(), weights.end(), [](float weight) { return weight != 0.0f; });
  }
  testing::count_allocations(false);
  EXPECT_EQ(testing::counted_allocations(), 0u);
  // Something was posed: the frames above were not skipped.
  EXPECT_NE(joints.back(), glm::mat4(1.0f));
  EXPECT_TRUE(keyed);
}

}  // namespace
}  // namespace pavilion::scene

// Morph targets in the scene module: their deltas in a mesh's blob, their weights and weight
// channels in the node tree's binary form (version 12, and read without them before), and the
// player's weights at set times against values worked out by hand for each interpolation.
#include "pavilion/core/bytes.h"
#include "pavilion/core/hash.h"
#include "pavilion/scene/animation.h"
#include "pavilion/scene/scene_tables.h"

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

namespace pavilion::scene {
namespace {

// One node with a mesh of two targets, resting at (0.25, 0), and three clips keying its weights:
// linear from (0, 0) at 0 s to (1, 0.5) at 1 s; stepped, (0.1, 0.2) then (0.9, 0.8) from 1 s; a
// cubic spline from (0, 1) at 0 s, out-tangents (1, 0) per second, to (1, 0) at 2 s, tangents 0.
NodeTree morphed_node() {
  NodeTree tree;
  tree.nodes.push_back({"face", no_parent, {}});
  tree.instances.push_back({0, no_skin, 0});
  tree.morphs.push_back({0, {0.25f, 0.0f}});
  Animation linear{"linear", 1.0f, {}, {}};
  linear.weight_channels.push_back({0, {0.0f, 1.0f}, {0.0f, 0.0f, 1.0f, 0.5f}, Interpolation::linear});
  Animation step{"step", 2.0f, {}, {}};
  step.weight_channels.push_back({0, {0.0f, 1.0f}, {0.1f, 0.2f, 0.9f, 0.8f}, Interpolation::step});
  Animation cubic{"cubic", 2.0f, {}, {}};
  cubic.weight_channels.push_back(
      {0, {0.0f, 2.0f}, {0, 0, 0, 1, 1, 0, /* key 1: */ 0, 0, 1, 0, 0, 0}, Interpolation::cubic_spline});
  Animation still{"still", 1.0f, {}, {}};  // keys no weights
  tree.animations = {linear, step, cubic, still};
  return tree;
}

std::vector<float> weights_at(const NodeTree& tree, uint32_t animation, float seconds) {
  std::vector<float> weights = tree.morphs[0].weights;
  sample_weights(tree, tree.animations[animation], seconds, weights);
  return weights;
}

TEST(SceneMorph, WeightsAreSampledByEachInterpolation) {
  const NodeTree tree = morphed_node();
  ASSERT_TRUE(validate(tree).ok());
  auto expect = [&](uint32_t animation, float seconds, float first, float second) {
    const std::vector<float> weights = weights_at(tree, animation, seconds);
    EXPECT_NEAR(weights[0], first, 1e-6f) << tree.animations[animation].name << " at " << seconds;
    EXPECT_NEAR(weights[1], second, 1e-6f) << tree.animations[animation].name << " at " << seconds;
  };
  expect(0, 0.25f, 0.25f, 0.125f);  // a quarter of the way
  expect(0, 3.0f, 1.0f, 0.5f);      // after the last key: the last
  expect(1, 0.5f, 0.1f, 0.2f);      // a step holds until the next key
  expect(1, 1.0f, 0.9f, 0.8f);
  // Halfway (t = 0.5) of a 2 s interval: h00 = h01 = 0.5, h10 = 0.125, h11 = −0.125, tangents × 2 s:
  // 0.5 × 0 + 0.125 × 2 + 0.5 × 1 = 0.75 and 0.5 × 1 + 0.5 × 0 = 0.5.
  expect(2, 1.0f, 0.75f, 0.5f);
  expect(3, 0.5f, 0.25f, 0.0f);  // a clip without weight channels leaves them as they were
}

TEST(SceneMorph, ThePlayerBlendsWeightsOverTheirRestValues) {
  const NodeTree tree = morphed_node();
  AnimationPlayer player(tree);
  std::vector<glm::mat4> world(1);
  std::vector<float> weights(morph_weight_count(tree));
  player.evaluate(world, {}, weights);
  EXPECT_EQ(weights, (std::vector<float>{0.25f, 0.0f}));  // nothing in play: at rest
  // Linear at 0.5 s weighted 1 (0.5, 0.25), blended with a clip keying none weighted 3 (rest).
  const std::array<WeightedClip, 2> clips{WeightedClip{0, 1.0f}, WeightedClip{3, 3.0f}};
  player.blend(clips);
  player.advance(0.5f);
  player.evaluate(world, {}, weights);
  EXPECT_NEAR(weights[0], 0.25f * 0.5f + 0.75f * 0.25f, 1e-6f);
  EXPECT_NEAR(weights[1], 0.25f * 0.25f, 1e-6f);
  // A cross-fade from the stepped clip to the linear one, halfway through a 1 s fade at 0.5 s.
  player.play(1);
  player.advance(0.25f);
  player.play(0, PlayEnd::clamp, 1.0f);
  player.advance(0.5f);
  player.evaluate(world, {}, weights);
  EXPECT_NEAR(weights[0], 0.5f * 0.1f + 0.5f * 0.5f, 1e-6f);
  EXPECT_NEAR(weights[1], 0.5f * 0.2f + 0.5f * 0.25f, 1e-6f);
}

TEST(SceneMorph, TheTreesMorphsSurviveTheTablesAndOlderTablesHaveNone) {
  SceneTables tables;
  tables.id = "face";
  tables.version = "1";
  tables.meshes.push_back({hash_content(std::as_bytes(std::span("face", 4))), "face"});
  tables.materials.emplace_back();
  tables.instances.push_back({glm::mat4(1.0f), 0, 0});
  tables.tree = morphed_node();
  std::vector<std::byte> bytes = encode_scene_tables(tables);
  const auto read = decode_scene_tables(bytes);
  ASSERT_TRUE(read.ok()) << read.error().describe();
  ASSERT_EQ(read->tree.morphs.size(), 1u);
  EXPECT_EQ(read->tree.morphs[0].weights, tables.tree.morphs[0].weights);
  EXPECT_EQ(read->tree.instances[0].morph, 0);
  ASSERT_EQ(read->tree.animations[2].weight_channels.size(), 1u);
  EXPECT_EQ(read->tree.animations[2].weight_channels[0].values, tables.tree.animations[2].weight_channels[0].values);
  EXPECT_EQ(read->tree.animations[2].weight_channels[0].interpolation, Interpolation::cubic_spline);

  // Version 11 ended before them: the same bytes less the morphs, read as version 11, have none.
  ByteWriter morphs;
  write_morphs(morphs, tables.tree);
  bytes.resize(bytes.size() - morphs.take().size());
  const uint32_t eleven = 11;
  std::memcpy(bytes.data() + 4, &eleven, 4);
  const auto old = decode_scene_tables(bytes);
  ASSERT_TRUE(old.ok()) << old.error().describe();
  EXPECT_TRUE(old->tree.morphs.empty());
  EXPECT_EQ(old->tree.instances[0].morph, no_morph);
  EXPECT_TRUE(old->tree.animations[2].weight_channels.empty());
}

TEST(SceneMorph, AChannelWithTheWrongNumberOfWeightsIsRefusedNamingIt) {
  NodeTree tree = morphed_node();
  tree.animations[0].weight_channels[0].values.pop_back();
  const auto checked = validate(tree);
  ASSERT_FALSE(checked.ok());
  EXPECT_NE(checked.error().why().find("animation 'linear', weight channel 0"), std::string::npos)
      << checked.error().why();
}

TEST(SceneMorph, AMeshsTargetsSurviveItsBlobAndAMeshWithoutThemIsUnchanged) {
  MeshData mesh;
  mesh.name = "cube";
  mesh.vertices = {pack_vertex({0, 0, 0}, {0, 0, 1}, {1, 0, 0, 1}, {0, 0}),
                   pack_vertex({1, 0, 0}, {0, 0, 1}, {1, 0, 0, 1}, {1, 0}),
                   pack_vertex({0, 1, 0}, {0, 0, 1}, {1, 0, 0, 1}, {0, 1})};
  mesh.indices = {0, 1, 2};
  const std::vector<std::byte> plain = encode_mesh(mesh);
  mesh.morph_weights = {0.5f};
  for (int vertex = 0; vertex < 3; ++vertex) {
    mesh.morph_deltas.push_back(pack_morph_delta({0.0f, 0.0189325f, 0.0f}, {0.0f, 0.29096f, -0.70517f}));
  }
  const std::vector<std::byte> morphed = encode_mesh(mesh);
  EXPECT_EQ(std::vector<std::byte>(morphed.begin(), morphed.begin() + static_cast<ptrdiff_t>(plain.size())), plain);
  const auto decoded = decode_mesh(morphed, "cube");
  ASSERT_TRUE(decoded.ok()) << decoded.error().what();
  EXPECT_EQ(decoded->morph_weights, mesh.morph_weights);
  ASSERT_EQ(decoded->morph_deltas.size(), 3u);
  // Halves: within 1/2048 of each delta.
  EXPECT_NEAR(morph_position_delta(decoded->morph_deltas[1]).y, 0.0189325f, 0.0189325f / 2048.0f);
  EXPECT_NEAR(morph_normal_delta(decoded->morph_deltas[1]).z, -0.70517f, 0.70517f / 2048.0f);
  const auto without = decode_mesh(plain, "cube");
  ASSERT_TRUE(without.ok());
  EXPECT_EQ(without->morph_target_count(), 0u);
}

}  // namespace
}  // namespace pavilion::scene

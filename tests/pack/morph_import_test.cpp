// Morph targets packed by pavilion-pack's model import, from Debian's assimp-testmodels glTF
// sample AnimatedMorphCube. The expected deltas and keys are read by hand from the file's own
// buffer (AnimatedMorphCube.bin: accessors 4 and 6–7 hold the targets' position and normal
// deltas, 10 and 11 the 'Square' animation's 127 times and 254 weights), not from Assimp.
#include "pavilion/pack/model_import.h"
#include "pavilion/scene/animation.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <cmath>
#include <fstream>
#include <string>
#include <optional>

namespace pavilion::pack {
namespace {

const std::filesystem::path cube =
    "/usr/share/assimp/models/glTF2/glTF-Sample-Models/AnimatedMorphCube-glTF/AnimatedMorphCube.gltf";

// The packed vertex at `position` with a normal near `normal` (the cube's corners each have three).
std::optional<size_t> vertex_at(const scene::MeshData& mesh, glm::vec3 position, glm::vec3 normal) {
  for (size_t vertex = 0; vertex < mesh.vertices.size(); ++vertex) {
    const float* p = mesh.vertices[vertex].position;
    if (glm::distance(glm::vec3(p[0], p[1], p[2]), position) < 1e-6f &&
        glm::distance(scene::unpack_normal(mesh.vertices[vertex]), normal) < 1e-3f) {
      return vertex;
    }
  }
  return std::nullopt;
}

void expect_near(glm::vec3 actual, glm::vec3 expected, const char* what) {
  // Half floats: within 1/2048 of the largest component, and a little more for rounding.
  const float tolerance = std::max({std::abs(expected.x), std::abs(expected.y), std::abs(expected.z)}) / 1024.0f + 1e-7f;
  for (glm::length_t axis = 0; axis < 3; ++axis) EXPECT_NEAR(actual[axis], expected[axis], tolerance) << what << " axis " << axis;
}

TEST(PackMorph, TheCubesTargetsAndWeightKeysAreThoseInItsFile) {
  if (!std::filesystem::exists(cube)) GTEST_SKIP() << "assimp-testmodels is not installed";
  const auto model = import_model(cube);
  ASSERT_TRUE(model.ok()) << model.error().what();
  EXPECT_TRUE(model->unplayable_morphs.empty());
  ASSERT_EQ(model->meshes.size(), 1u);
  const scene::MeshData& mesh = model->meshes[0];
  // mesh.weights: [0, 0]; 24 vertices (four per face), none shared.
  ASSERT_EQ(mesh.morph_target_count(), 2u);
  EXPECT_EQ(mesh.morph_weights, (std::vector<float>{0.0f, 0.0f}));
  ASSERT_EQ(mesh.vertices.size(), 24u);
  const size_t vertices = mesh.vertices.size();
  auto delta = [&](size_t target, size_t vertex) { return mesh.morph_deltas[target * vertices + vertex]; };

  // glTF vertex 2, (0.01, −0.01, 0.01) facing +z: 'thin' moves it 0.018932531 up y; 'angle' not at all.
  const auto front = vertex_at(mesh, {0.0100000007f, -0.0099999979f, 0.0099999998f}, {0, 0, 1});
  ASSERT_TRUE(front.has_value());
  expect_near(scene::morph_position_delta(delta(0, *front)), {0.0f, 0.018932531f, 0.0f}, "thin, vertex 2");
  expect_near(scene::morph_position_delta(delta(1, *front)), {0.0f, 0.0f, 0.0f}, "angle, vertex 2");
  // glTF vertex 14, (0.01, −0.01, −0.01) facing −y: 'thin' 0.018932531 and 'angle' 0.019890836 up
  // y, and 'angle' tilts its normal by (0, 0.29096079, −0.70516908).
  const auto bottom = vertex_at(mesh, {0.0100000035f, -0.0099999961f, -0.0099999998f}, {0, -1, 0});
  ASSERT_TRUE(bottom.has_value());
  expect_near(scene::morph_position_delta(delta(0, *bottom)), {0.0f, 0.018932531f, 0.0f}, "thin, vertex 14");
  expect_near(scene::morph_position_delta(delta(1, *bottom)), {0.0f, 0.019890836f, 0.0f}, "angle, vertex 14");
  expect_near(scene::morph_normal_delta(delta(1, *bottom)), {0.0f, 0.29096079f, -0.70516908f}, "angle's normal");
  expect_near(scene::morph_normal_delta(delta(0, *bottom)), {0.0f, 0.0f, 0.0f}, "thin's normal");

  // The node 'AnimatedMorphCube' holds the mesh and its two weights.
  const scene::NodeTree& tree = model->tree;
  ASSERT_EQ(tree.morphs.size(), 1u);
  EXPECT_EQ(tree.nodes[tree.morphs[0].node].name, "AnimatedMorphCube");
  ASSERT_EQ(tree.instances.size(), 1u);
  EXPECT_EQ(tree.instances[0].morph, 0);

  // 'Square': LINEAR, 127 keys from 0 to 4.19999743 s.
  ASSERT_EQ(tree.animations.size(), 1u);
  const scene::Animation& square = tree.animations[0];
  EXPECT_EQ(square.name, "Square");
  EXPECT_NEAR(square.duration, 4.19999743f, 1e-5f);
  ASSERT_EQ(square.weight_channels.size(), 1u);
  const scene::WeightChannel& channel = square.weight_channels[0];
  EXPECT_EQ(channel.interpolation, scene::Interpolation::linear);
  ASSERT_EQ(channel.times.size(), 127u);
  ASSERT_EQ(channel.values.size(), 254u);
  EXPECT_NEAR(channel.times[24], 0.80000025f, 1e-5f);
  EXPECT_NEAR(channel.values[48], 0.50000024f, 1e-6f);  // key 24: (0.5, 0)
  EXPECT_NEAR(channel.values[49], 0.0f, 1e-6f);
  EXPECT_NEAR(channel.times[60], 1.9999994f, 1e-5f);  // key 60: (0.80555612, 0.19444391)
  EXPECT_NEAR(channel.values[120], 0.80555612f, 1e-6f);
  EXPECT_NEAR(channel.values[121], 0.19444391f, 1e-6f);
  EXPECT_NEAR(channel.times[126], 4.19999743f, 1e-5f);

  // Played halfway between keys 60 (1.9999994 s) and 61 (2.0333328 s, (0.77859002, 0.22140998)).
  scene::AnimationPlayer player(tree);
  player.play(0, scene::PlayEnd::clamp);
  player.advance(0.5f * (1.9999994f + 2.0333328f));
  std::vector<glm::mat4> world(tree.nodes.size());
  std::vector<float> weights(scene::morph_weight_count(tree));
  player.evaluate(world, {}, weights);
  EXPECT_NEAR(weights[0], 0.5f * (0.80555612f + 0.77859002f), 1e-4f);
  EXPECT_NEAR(weights[1], 0.5f * (0.19444391f + 0.22140998f), 1e-4f);
}

// A triangle with 65 morph targets (one more than a mesh may have), all the same delta, and a
// clip keying their weights, written as glTF with its buffer inline.
std::string triangle_of_too_many_targets() {
  std::vector<float> data = {0, 0, 0, 1, 0, 0, 0, 1, 0,         // positions
                             0, 0.1f, 0, 0, 0.1f, 0, 0, 0.1f, 0,  // every target's delta
                             0, 1};                              // key times
  for (int key = 0; key < 2; ++key) {
    for (int target = 0; target < 65; ++target) data.push_back(static_cast<float>(key));
  }
  std::string bytes(reinterpret_cast<const char*>(data.data()), data.size() * sizeof(float));
  static constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string base64;
  for (size_t at = 0; at < bytes.size(); at += 3) {
    uint32_t group = uint32_t{static_cast<uint8_t>(bytes[at])} << 16;
    if (at + 1 < bytes.size()) group |= uint32_t{static_cast<uint8_t>(bytes[at + 1])} << 8;
    if (at + 2 < bytes.size()) group |= static_cast<uint8_t>(bytes[at + 2]);
    for (size_t digit = 0; digit < 4; ++digit) {
      base64 += at + digit <= bytes.size() ? alphabet[(group >> (18 - 6 * digit)) & 63] : '=';
    }
  }
  std::string targets;
  for (int target = 0; target < 65; ++target) targets += std::string(target ? "," : "") + R"({"POSITION":1})";
  return R"({"asset":{"version":"2.0"},"scene":0,"scenes":[{"nodes":[0]}],"nodes":[{"name":"leaf","mesh":0}],)"
         R"("meshes":[{"name":"leaf","primitives":[{"attributes":{"POSITION":0},"targets":[)" + targets + R"(]}]}],)"
         R"("buffers":[{"byteLength":)" + std::to_string(bytes.size()) + R"(,"uri":"data:application/octet-stream;base64,)" +
         base64 + R"("}],"bufferViews":[{"buffer":0,"byteLength":36},{"buffer":0,"byteOffset":36,"byteLength":36},)"
         R"({"buffer":0,"byteOffset":72,"byteLength":8},{"buffer":0,"byteOffset":80,"byteLength":520}],)"
         R"("accessors":[{"bufferView":0,"componentType":5126,"count":3,"type":"VEC3","min":[0,0,0],"max":[1,1,0]},)"
         R"({"bufferView":1,"componentType":5126,"count":3,"type":"VEC3","min":[0,0.1,0],"max":[0,0.1,0]},)"
         R"({"bufferView":2,"componentType":5126,"count":2,"type":"SCALAR","min":[0],"max":[1]},)"
         R"({"bufferView":3,"componentType":5126,"count":130,"type":"SCALAR"}],)"
         R"("animations":[{"name":"rustle","samplers":[{"input":2,"output":3}],)"
         R"("channels":[{"sampler":0,"target":{"node":0,"path":"weights"}}]}]})";
}

TEST(PackMorph, TooManyTargetsAndTheirChannelAreLeftOutInSentencesInBothLanguages) {
  const std::filesystem::path folder = std::filesystem::temp_directory_path() /
                                       ("pavilion-morph-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
                                        "-" + std::to_string(static_cast<long>(getpid())));
  std::filesystem::create_directories(folder);
  const std::filesystem::path file = folder / "leaf.gltf";
  std::ofstream(file) << triangle_of_too_many_targets();
  const auto model = import_model(file);
  std::filesystem::remove_all(folder);
  ASSERT_TRUE(model.ok()) << model.error().what();
  ASSERT_EQ(model->meshes.size(), 1u);
  EXPECT_EQ(model->meshes[0].morph_target_count(), 0u);  // drawn in its base shape
  EXPECT_TRUE(model->tree.morphs.empty());
  ASSERT_EQ(model->tree.animations.size(), 1u);
  EXPECT_TRUE(model->tree.animations[0].weight_channels.empty());
  ASSERT_EQ(model->unplayable_morphs.size(), 2u);
  const UnplayableMorph& targets = model->unplayable_morphs[0];
  EXPECT_NE(targets.en.find("leaf.gltf: mesh 'leaf' has 65 morph targets, more than the 64"), std::string::npos)
      << targets.en;
  EXPECT_NE(targets.zh_cn.find("有 65 个形变目标，超过每个网格最多 64 个"), std::string::npos) << targets.zh_cn;
  const UnplayableMorph& channel = model->unplayable_morphs[1];
  EXPECT_NE(channel.en.find("animation 'rustle' changes the morph weights of 'leaf'"), std::string::npos) << channel.en;
  EXPECT_NE(channel.zh_cn.find("动画“rustle”改变“leaf”的形变权重"), std::string::npos) << channel.zh_cn;
}

}  // namespace
}  // namespace pavilion::pack

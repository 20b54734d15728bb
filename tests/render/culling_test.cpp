#include "culling.h"
#include "pavilion/render/view.h"
#include "skinning.h"

#include <glm/gtc/matrix_transform.hpp>

#include <gtest/gtest.h>

namespace pavilion::render {
namespace {

Frustum looking_down_negative_z() {
  const View view = look_at_view({0, 0, 0}, {0, 0, -1}, symmetric_field_of_view(glm::radians(90.0f), 1.0f), 0.1f);
  return frustum_from_view_projection(view.projection * view.view);
}

TEST(RenderCulling, SpheresInFrontAreVisibleAtAnyDistance) {
  const Frustum frustum = looking_down_negative_z();
  EXPECT_TRUE(sphere_in_frustum(frustum, {0, 0, -10, 1}));
  EXPECT_TRUE(sphere_in_frustum(frustum, {0, 0, -1e6f, 1})) << "there is no far plane";
}

TEST(RenderCulling, SpheresBehindOrBesideAreCulled) {
  const Frustum frustum = looking_down_negative_z();
  EXPECT_FALSE(sphere_in_frustum(frustum, {0, 0, 10, 1}));
  EXPECT_FALSE(sphere_in_frustum(frustum, {30, 0, -10, 1}));   // 90° field: x beyond |z| is outside
  EXPECT_FALSE(sphere_in_frustum(frustum, {0, -30, -10, 1}));
  EXPECT_FALSE(sphere_in_frustum(frustum, {0, 0, -0.05f, 0.01f})) << "in front of the near plane";
}

TEST(RenderCulling, SpheresStraddlingAPlaneAreVisible) {
  const Frustum frustum = looking_down_negative_z();
  EXPECT_TRUE(sphere_in_frustum(frustum, {11, 0, -10, 1.5f}));
  EXPECT_FALSE(sphere_in_frustum(frustum, {12, 0, -10, 1.0f}));
}

// A caster behind the camera whose shadow falls in front of it may be seen (by its shadow); swept
// away from the view, it may not.
TEST(RenderCulling, SweptSpheresReachTheFrustumAlongTheirSweep) {
  const Frustum frustum = looking_down_negative_z();
  EXPECT_FALSE(sphere_in_frustum(frustum, {0, 0, 5, 1}));
  EXPECT_TRUE(swept_sphere_in_frustum(frustum, {0, 0, 5, 1}, {0, 0, -20}));
  EXPECT_FALSE(swept_sphere_in_frustum(frustum, {0, 0, 5, 1}, {0, 0, 20}));
  EXPECT_FALSE(swept_sphere_in_frustum(frustum, {0, 0, 5, 1}, {0, -3, 0}));
}

// A two-joint mesh: the bounds of its pose follow each joint, and cover every vertex posed.
TEST(RenderSkinning, BoundsFollowTheJoints) {
  scene::MeshData mesh;
  for (float y : {0.0f, 1.0f, 2.0f}) {
    for (float x : {0.0f, 1.0f}) {
      mesh.vertices.push_back(scene::pack_vertex({x, y, 0}, {0, 0, 1}, {1, 0, 0, 1}, {0, 0}));
      const float upper = y / 2.0f;
      mesh.skin.push_back(scene::pack_vertex_skin({0, 1, 0, 0}, {1.0f - upper, upper, 0, 0}));
    }
  }
  ASSERT_EQ(joint_count(mesh), 2u);
  const std::vector<glm::vec4> spheres = joint_spheres(mesh);
  ASSERT_EQ(spheres.size(), 2u);
  EXPECT_NEAR(spheres[0].y, 0.5f, 1e-6f) << "joint 0 moves the lower two rows";
  EXPECT_NEAR(spheres[1].y, 1.5f, 1e-6f) << "joint 1 the upper two";
  const std::array<glm::mat4, 2> rest{glm::mat4(1.0f), glm::mat4(1.0f)};
  const glm::vec4 at_rest = skinned_bounds(spheres, rest);
  EXPECT_NEAR(at_rest.y, 1.0f, 1e-5f);
  const std::array<glm::mat4, 2> reaching{glm::mat4(1.0f), glm::translate(glm::mat4(1.0f), {10.0f, 0.0f, 0.0f})};
  const glm::vec4 posed = skinned_bounds(spheres, reaching);
  EXPECT_GT(posed.x, 5.0f) << "the sphere moves towards the joint that went away";
  for (size_t vertex = 0; vertex < mesh.vertices.size(); ++vertex) {
    const float* p = mesh.vertices[vertex].position;
    const float upper = mesh.skin[vertex].weights[1] / 65535.0f;
    const glm::vec3 skinned = glm::vec3(p[0], p[1], p[2]) + glm::vec3(10.0f * upper, 0.0f, 0.0f);
    EXPECT_LE(glm::distance(skinned, glm::vec3(posed)), posed.w + 1e-4f) << "vertex " << vertex;
  }
}

// Morph targets move vertices before they are skinned: a joint's sphere grown by their reach holds
// every vertex moved that far in any direction, then carried by the joint.
TEST(RenderSkinning, BoundsGrowByTheReachOfMorphTargets) {
  const std::vector<glm::vec4> spheres{{0.0f, 0.5f, 0.0f, 0.5f}, {0.0f, 1.5f, 0.0f, 0.5f}};
  const std::array<glm::mat4, 2> joints{glm::mat4(1.0f), glm::scale(glm::mat4(1.0f), glm::vec3(2.0f))};
  const glm::vec4 plain = skinned_bounds(spheres, joints);
  const glm::vec4 grown = skinned_bounds(spheres, joints, 3.0f);
  // Joint 1 doubles: carried, its sphere is (0, 3, 0) of radius 1, grown (0.5 + 3) × 2 = 7, which
  // the bounds are then centred on.
  EXPECT_NEAR(plain.w, 2.0f, 1e-4f);
  EXPECT_NEAR(grown.w, 7.0f, 1e-4f);
  const glm::vec3 far_vertex = glm::vec3(joints[1] * glm::vec4(0.0f, 2.0f + 3.0f, 0.0f, 1.0f));
  EXPECT_LE(glm::distance(far_vertex, glm::vec3(grown)), grown.w + 1e-4f);
  EXPECT_GT(glm::distance(far_vertex, glm::vec3(plain)), plain.w);
}

TEST(RenderCulling, VisibleInstancesFormBatchesOfEqualKeys) {
  const Frustum frustum = looking_down_negative_z();
  const std::vector<glm::vec4> spheres{{0, 0, -5, 1}, {0, 0, 5, 1}, {1, 0, -5, 1}, {0, 1, -5, 1},
                                       {0, 0, 50, 1}, {0, 2, -5, 1}};
  const std::vector<DrawKey> keys{{0, 0, 0}, {0, 0, 0}, {0, 0, 0}, {0, 1, 0}, {0, 1, 1}, {1, 1, 1}};
  const std::vector<MeshDetail> meshes(2);
  std::vector<uint32_t> visible(spheres.size());
  std::vector<uint8_t> scratch(spheres.size());
  std::vector<DrawBatch> batches;
  const uint32_t count = cull_and_batch({&frustum, 1}, spheres, keys, meshes, {}, visible.data(), scratch, batches);
  EXPECT_EQ(count, 4u);
  EXPECT_EQ(std::vector<uint32_t>(visible.begin(), visible.begin() + count), (std::vector<uint32_t>{0, 2, 3, 5}));
  ASSERT_EQ(batches.size(), 3u);
  EXPECT_EQ(batches[0].first, 0u);
  EXPECT_EQ(batches[0].count, 2u);
  EXPECT_EQ(batches[1].key, (DrawKey{0, 1, 0}));
  EXPECT_EQ(batches[2].first, 3u);
  EXPECT_EQ(batches[2].key, (DrawKey{1, 1, 1}));
}

TEST(RenderCulling, AnInstanceSeenByEitherEyeIsDrawnOnce) {
  const View left = look_at_view({-1, 0, 0}, {-1, 0, -1}, symmetric_field_of_view(glm::radians(60.0f), 1.0f));
  const View right = look_at_view({1, 0, 0}, {1, 0, -1}, symmetric_field_of_view(glm::radians(60.0f), 1.0f));
  const Frustum frusta[2] = {frustum_from_view_projection(left.projection * left.view),
                             frustum_from_view_projection(right.projection * right.view)};
  const std::vector<glm::vec4> spheres{{-1.5f, 0, -3, 0.1f}, {1.5f, 0, -3, 0.1f}, {0, 0, -5, 0.1f}};
  const std::vector<DrawKey> keys(3);
  const std::vector<MeshDetail> meshes(1);
  std::vector<uint32_t> visible(3);
  std::vector<uint8_t> scratch(3);
  std::vector<DrawBatch> batches;
  EXPECT_EQ(cull_and_batch(frusta, spheres, keys, meshes, {}, visible.data(), scratch, batches), 3u);
  EXPECT_EQ(cull_and_batch({&frusta[0], 1}, spheres, keys, meshes, {}, visible.data(), scratch, batches), 2u);
}

// A mesh with four levels, each twice as coarse: error 0, 0.5 %, 1 % and 2 % of its radius.
MeshDetail four_levels() { return MeshDetail{4, {0.0f, 0.005f, 0.01f, 0.02f}}; }

TEST(RenderLevelsOfDetail, FarObjectsGetCoarserLevels) {
  LodChoice choice;
  choice.eye = glm::vec3(0.0f);
  choice.pixels_per_radian = 1000.0f;  // about a 1000-pixel-high view with a 53° field
  const MeshDetail detail = four_levels();
  EXPECT_EQ(choose_lod(detail, {0, 0, -2, 1}, choice), 0u) << "near: any simplification would show";
  EXPECT_EQ(choose_lod(detail, {0, 0, -11, 1}, choice), 2u) << "10 m: 1 % of 1 m is a pixel";
  EXPECT_EQ(choose_lod(detail, {0, 0, -100, 1}, choice), 3u) << "far: the coarsest";
  choice.tolerated_pixels = 0.1f;
  EXPECT_EQ(choose_lod(detail, {0, 0, -11, 1}, choice), 0u) << "a stricter tolerance keeps detail";
  EXPECT_EQ(choose_lod(MeshDetail{}, {0, 0, -1000, 1}, choice), 0u) << "a mesh without levels has only one";
}

TEST(RenderLevelsOfDetail, AGroupSplitsIntoOneBatchPerLevel) {
  const Frustum frustum = looking_down_negative_z();
  // Alternating near and far copies of one mesh and material.
  const std::vector<glm::vec4> spheres{{0, 0, -2, 1}, {0, 0, -200, 1}, {1, 0, -2, 1}, {0, 1, -200, 1}, {0, 0, 5, 1}};
  const std::vector<DrawKey> keys(5);
  const std::vector<MeshDetail> meshes{four_levels()};
  LodChoice choice;
  choice.pixels_per_radian = 1000.0f;
  std::vector<uint32_t> visible(5);
  std::vector<uint8_t> scratch(5);
  std::vector<DrawBatch> batches;
  EXPECT_EQ(cull_and_batch({&frustum, 1}, spheres, keys, meshes, choice, visible.data(), scratch, batches), 4u);
  ASSERT_EQ(batches.size(), 2u);
  EXPECT_EQ(batches[0].key.lod, 0u);
  EXPECT_EQ(batches[0].count, 2u);
  EXPECT_EQ(batches[1].key.lod, 3u);
  EXPECT_EQ(batches[1].first, 2u);
  EXPECT_EQ((std::vector<uint32_t>(visible.begin(), visible.begin() + 4)), (std::vector<uint32_t>{0, 2, 1, 3}));
}

}  // namespace
}  // namespace pavilion::render

#include "pavilion/scene/render_scene.h"

#include <glm/gtc/packing.hpp>
#include <gtest/gtest.h>

#include <cmath>

namespace pavilion::scene {
namespace {

TEST(ScenePacking, NormalsSurviveOctahedralEncodingEverywhere) {
  float worst = 0.0f;
  for (int i = 0; i < 64; ++i) {
    for (int j = 0; j <= 32; ++j) {
      const float phi = static_cast<float>(i) / 64.0f * 6.2831853f;
      const float theta = static_cast<float>(j) / 32.0f * 3.14159265f;
      const glm::vec3 normal(std::sin(theta) * std::cos(phi), std::cos(theta), std::sin(theta) * std::sin(phi));
      const glm::vec3 decoded = unpack_normal(pack_vertex({}, normal, {1, 0, 0, 1}, {}));
      worst = std::max(worst, glm::distance(normal, decoded));
    }
  }
  EXPECT_LT(worst, 2e-4f) << "16-bit octahedral normals are accurate to a hundredth of a degree";
}

TEST(ScenePacking, NormalsNeedNotBeUnitLength) {
  const glm::vec3 decoded = unpack_normal(pack_vertex({}, {0, 0, -5}, {1, 0, 0, 1}, {}));
  EXPECT_NEAR(decoded.z, -1.0f, 1e-4f);
}

TEST(ScenePacking, PositionsStayExactAndTexCoordsAreHalfFloats) {
  const PackedVertex vertex = pack_vertex({1.25f, -3.5f, 1e4f}, {0, 1, 0}, {1, 0, 0, -1}, {0.5f, 3.0f});
  EXPECT_EQ(vertex.position[0], 1.25f);
  EXPECT_EQ(vertex.position[2], 1e4f);
  const glm::vec2 uv = glm::unpackHalf2x16(uint32_t{vertex.uv[0]} | uint32_t{vertex.uv[1]} << 16);
  EXPECT_EQ(uv, glm::vec2(0.5f, 3.0f));
  EXPECT_LT(vertex.tangent[3], 0) << "the bitangent's handedness is kept";
  EXPECT_EQ(vertex.tangent[0], 32767);
}

TEST(ScenePacking, MipSizesFollowTheLevels) {
  EXPECT_EQ(texture_mip_bytes(TextureFormat::rgba8_srgb, 256, 64, 0), 256u * 64 * 4);
  EXPECT_EQ(texture_mip_bytes(TextureFormat::rgba8_srgb, 256, 64, 3), 32u * 8 * 4);
  EXPECT_EQ(texture_mip_bytes(TextureFormat::rgba8_unorm, 256, 64, 8), 4u) << "the smallest level is 1×1";
}

}  // namespace
}  // namespace pavilion::scene

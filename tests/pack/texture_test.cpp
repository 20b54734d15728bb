#include "pavilion/pack/mesh_processing.h"
#include "pavilion/pack/texture_import.h"

#include <gtest/gtest.h>

#include <cmath>

namespace pavilion::pack {
namespace {

ImageRgba8 filled(uint32_t width, uint32_t height, uint8_t alpha) {
  ImageRgba8 image(width, height);
  for (size_t i = 0; i < image.pixels.size(); i += 4) {
    image.pixels[i] = 200;
    image.pixels[i + 3] = alpha;
  }
  return image;
}

TEST(PackTextures, TheUseChoosesTheBlockFormat) {
  const TextureSettings settings;
  EXPECT_EQ(build_texture("opaque", filled(16, 16, 255), TextureUse::color, settings).format, scene::TextureFormat::bc1_srgb);
  EXPECT_EQ(build_texture("cut-out", filled(16, 16, 128), TextureUse::color, settings).format, scene::TextureFormat::bc3_srgb);
  EXPECT_EQ(build_texture("normals", filled(16, 16, 255), TextureUse::normal, settings).format, scene::TextureFormat::bc5_unorm);
  EXPECT_EQ(build_texture("rough", filled(16, 16, 255), TextureUse::surface, settings).format, scene::TextureFormat::bc1_unorm);
  EXPECT_EQ(build_texture("raw", filled(16, 16, 255), TextureUse::color, {4096, false}).format, scene::TextureFormat::rgba8_srgb);
}

TEST(PackTextures, LargeImagesAreHalvedToTheLimitAndGetFullMipChains) {
  const auto texture = build_texture("large", filled(300, 100, 255), TextureUse::color, {64, true});
  EXPECT_EQ(texture.width, 37u);  // 300 → 150 → 75 → 37
  EXPECT_EQ(texture.height, 12u);
  EXPECT_EQ(texture.mip_levels, 6u);
  size_t expected = 0;
  for (uint32_t size : scene::texture_level_sizes(texture)) expected += size;
  EXPECT_EQ(texture.bytes.size(), expected);
  EXPECT_TRUE(scene::validate({{}, {}, {texture}, {}, {}, {}}).ok());
}

TEST(PackTextures, UndecodableImagesAreNamedInTheError) {
  const std::string junk = "not an image at all";
  const auto decoded = decode_image_bytes(std::as_bytes(std::span(junk.data(), junk.size())), "poster.png");
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.error().code(), ErrorCode::invalid_input);
  EXPECT_NE(decoded.error().what().find("poster.png"), std::string::npos);
}

// A quad whose texture runs with u to the right and v downwards, as glTF's images do.
RawMesh quad(float u_direction) {
  RawMesh mesh;
  mesh.positions = {{-1, -1, 0}, {1, -1, 0}, {1, 1, 0}, {-1, 1, 0}, {-1, -1, 0}};
  mesh.normals.assign(5, glm::vec3(0, 0, 1));
  mesh.uvs = {{0, 1}, {u_direction, 1}, {u_direction, 0}, {0, 0}, {0, 1}};
  mesh.indices = {0, 1, 2, 0, 2, 3, 4, 1, 2};  // vertex 4 repeats vertex 0
  return mesh;
}

TEST(PackMeshes, TangentsFollowTheTextureAndKeepTheirHandedness) {
  const scene::MeshData upright = optimize_and_pack(quad(1.0f));
  EXPECT_EQ(upright.vertices.size(), 4u) << "identical vertices are shared";
  EXPECT_EQ(upright.indices.size(), 9u);
  for (const auto& vertex : upright.vertices) {
    EXPECT_GT(vertex.tangent[0], 32000) << "the tangent points along +u, to the right";
    EXPECT_GT(vertex.tangent[3], 0) << "unmirrored: bitangent = cross(normal, tangent)";
  }
  const scene::MeshData mirrored = optimize_and_pack(quad(-1.0f));
  for (const auto& vertex : mirrored.vertices) {
    EXPECT_LT(vertex.tangent[0], -32000) << "the tangent still points along +u, now to the left";
    EXPECT_LT(vertex.tangent[3], 0) << "a mirrored texture flips the bitangent's handedness";
  }
}

TEST(PackMeshes, DenseMeshesGetSimplerLevelsOfDetail) {
  RawMesh grid;
  constexpr uint32_t side = 40;
  for (uint32_t y = 0; y <= side; ++y) {
    for (uint32_t x = 0; x <= side; ++x) {
      const float u = static_cast<float>(x) / side;
      const float v = static_cast<float>(y) / side;
      // A gentle dome: simplification has curvature to trade away.
      grid.positions.emplace_back(u, 0.1f * std::sin(u * 3.14159f) * std::sin(v * 3.14159f), v);
      grid.normals.emplace_back(0, 1, 0);
      grid.uvs.emplace_back(u, v);
    }
  }
  for (uint32_t y = 0; y < side; ++y) {
    for (uint32_t x = 0; x < side; ++x) {
      const uint32_t a = y * (side + 1) + x;
      grid.indices.insert(grid.indices.end(), {a, a + side + 1, a + 1, a + 1, a + side + 1, a + side + 2});
    }
  }
  const scene::MeshData mesh = optimize_and_pack(grid);
  ASSERT_GE(mesh.lods.size(), 3u);
  EXPECT_EQ(mesh.lods[0].index_count, side * side * 6);
  for (size_t lod = 1; lod < mesh.lods.size(); ++lod) {
    EXPECT_LE(mesh.lods[lod].index_count, mesh.lods[lod - 1].index_count * 3 / 4) << "level " << lod;
    EXPECT_GE(mesh.lods[lod].error, mesh.lods[lod - 1].error) << "coarser levels stray further";
    EXPECT_LT(mesh.lods[lod].error, 0.1f) << "but stay close to the full mesh";
  }
  scene::RenderScene check;
  check.meshes = {mesh};
  EXPECT_TRUE(scene::validate(check).ok());
  EXPECT_TRUE(optimize_and_pack(quad(1.0f)).lods.size() == 1) << "small meshes are not simplified";
}

}  // namespace
}  // namespace pavilion::pack

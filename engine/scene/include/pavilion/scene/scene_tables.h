// The scene blob of a package: the scene's tables, with meshes and textures named by the hashes
// of their own blobs. pavilion-pack encodes it; the loader decodes it.
#pragma once

#include "pavilion/core/bytes.h"
#include "pavilion/core/error.h"
#include "pavilion/core/hash.h"
#include "pavilion/scene/scene.h"

#include <cstddef>
#include <span>
#include <vector>

namespace pavilion::scene {

inline constexpr uint32_t scene_tables_version = 1;

struct MeshReference {
  ContentHash blob;
  std::string name;
};

struct TextureReference {
  ContentHash blob;
  std::string name;
  scene::TextureFormat format = scene::TextureFormat::rgba8_srgb;
  uint32_t width = 0;
  uint32_t height = 0;
  uint32_t mip_levels = 1;
};

// A RenderScene with the mesh and texture data replaced by references to blobs.
struct SceneTables {
  std::string id;
  std::string version;
  LocalizedText title;
  std::vector<MeshReference> meshes;
  std::vector<TextureReference> textures;
  std::vector<scene::MaterialData> materials;
  std::vector<scene::InstanceData> instances;
  scene::DirectionalLight light;
  scene::Environment environment;
  std::vector<Exhibit> exhibits;
  std::vector<Viewpoint> viewpoints;
  std::vector<CameraPath> camera_paths;
  std::vector<AudioSource> audio;
};

std::vector<std::byte> encode_scene_tables(const SceneTables& tables);
// Checks every count and string against the bytes that remain, and every index against its table.
Result<SceneTables> decode_scene_tables(std::span<const std::byte> bytes);

// The binary form of one material, as the scene tables (and pavilion-pack's cache) store it.
void write_material(ByteWriter& out, const MaterialData& material);
// Texture references are not checked here: the caller knows how many textures there are.
Result<MaterialData> read_material(ByteReader& in);

// A mesh blob: vertex count, index count, then the packed vertices and the 32-bit indices.
std::vector<std::byte> encode_mesh(const scene::MeshData& mesh);
Result<scene::MeshData> decode_mesh(std::span<const std::byte> bytes, std::string name);

}  // namespace pavilion::scene

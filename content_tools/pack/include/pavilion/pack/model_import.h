// Models in any format Assimp reads (glTF 2.0 first) to meshes, PBR materials, instances and the
// node tree with its skins and animations. Spec-gloss and Phong materials are converted to
// metallic-roughness.
#pragma once

#include "pavilion/core/error.h"
#include "pavilion/pack/texture_import.h"
#include "pavilion/scene/node_tree.h"
#include "pavilion/scene/render_scene.h"

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

namespace pavilion::pack {

// A texture a material uses: a file beside the model, or an image embedded in it.
struct TextureSource {
  std::filesystem::path file;         // empty for an embedded image
  std::vector<std::byte> embedded;    // encoded (PNG, JPEG) or, from raw texels, left empty with `pixels` set
  ImageRgba8 pixels;                  // an embedded uncompressed image
  std::string name;                   // for messages and the package's blob table
  TextureUse use = TextureUse::color;
};

struct ImportedModel {
  std::vector<scene::MeshData> meshes;
  // Texture fields index `textures` (or are scene::no_texture).
  std::vector<scene::MaterialData> materials;
  std::vector<TextureSource> textures;
  // Model-space placements of meshes with their materials (indices into the two vectors above),
  // each at its node's world transform.
  std::vector<scene::InstanceData> instances;
  // The model's nodes (its root first), skins and animations; one tree.instances entry per instance.
  scene::NodeTree tree;
  // Every file the importer read (the model, its buffers, its material libraries): a cached
  // import stays valid while none of them changes.
  std::vector<std::filesystem::path> files_read;
};

Result<ImportedModel> import_model(const std::filesystem::path& path);

// The import in a form the build cache stores, and back.
std::vector<std::byte> encode_imported_model(const ImportedModel& model);
Result<ImportedModel> decode_imported_model(std::span<const std::byte> bytes);

}  // namespace pavilion::pack

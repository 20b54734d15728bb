// Models in any format Assimp reads (glTF 2.0 first) to meshes, PBR materials, instances and the
// node tree with its skins and animations. Spec-gloss and Phong materials are converted to
// metallic-roughness. Texture paths written on another machine are resolved as modelling tools
// do; a texture still not found is left out and named.
#pragma once

#include "pavilion/core/error.h"
#include "pavilion/pack/texture_import.h"
#include "pavilion/scene/node_tree.h"
#include "pavilion/scene/render_scene.h"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <span>
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

// A texture a material names that is neither where its path says nor anywhere under the model's
// folder: the model is imported without it.
struct MissingTexture {
  std::string path;      // as the model writes it
  std::string material;  // the material's name
};

// A morph target or weight channel the model holds that cannot be played, and what became of it
// (left out), in a sentence for the curator in both languages.
struct UnplayableMorph {
  std::string en;
  std::string zh_cn;
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
  std::vector<MissingTexture> missing_textures;
  std::vector<UnplayableMorph> unplayable_morphs;
};

// What one model's import may use. A damaged file can make the importer allocate and work
// without end (an OFF or PLY header announcing billions of vertices), so every import runs in a
// child process held to these. A model of the largest size a kiosk's budget allows imports in a
// few hundred megabytes and seconds.
struct ImportLimits {
  uint64_t memory_bytes = uint64_t{4} << 30;  // beyond what pavilion-pack itself holds
  std::chrono::seconds cpu_time{120};
  std::chrono::seconds wall_time{300};
};

// Refused with a reason: a file Assimp cannot read, a model without surfaces (only points, lines
// or cameras), one whose import goes past a limit (the limit named), or one the importer crashes on.
Result<ImportedModel> import_model(const std::filesystem::path& path, const ImportLimits& limits = {});

// As import_model for each path, up to `jobs` imports at a time (0: one per processor); `ended`
// is called with a path's index as its import ends. One result per path, in order. The imports'
// child processes are started from the calling thread: call it while no other thread of the
// process is at work (a thread that allocates during a fork can leave a sanitizer's allocator
// locked in the child).
std::vector<Result<ImportedModel>> import_models(std::span<const std::filesystem::path> paths, const ImportLimits& limits,
                                                 uint32_t jobs, const std::function<void(size_t)>& ended = {});

// The import in a form the build cache stores, and back.
std::vector<std::byte> encode_imported_model(const ImportedModel& model);
Result<ImportedModel> decode_imported_model(std::span<const std::byte> bytes);

}  // namespace pavilion::pack

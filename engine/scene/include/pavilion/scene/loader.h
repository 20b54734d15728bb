// Builds the runtime Scene from an opened package: decodes the scene tables, then reads, checks
// and decompresses the mesh and texture blobs on worker threads.
#pragma once

#include "pavilion/core/error.h"
#include "pavilion/package/reader.h"
#include "pavilion/scene/scene.h"

#include <filesystem>

namespace pavilion::scene {

struct LoadOptions {
  // Reads only the small levels of each texture, so the first frame can be drawn sooner; the
  // large ones follow with load_pending_textures.
  bool progressive = false;
  // Block-compressed (BC) textures are kept as they are when the device samples them, and
  // decoded to RGBA8 when it cannot (render::DeviceCapabilities::bc_texture_compression).
  bool bc_textures_supported = true;
  // Leaves texture bytes in the package (TextureData::deferred) for the renderer to read straight
  // into its upload memory through a PackageTextureReader. Textures that must be decoded for the
  // device are read at once all the same.
  bool defer_texture_bytes = false;
  uint32_t worker_threads = 0;  // 0: one per processor
};

Result<Scene> load_scene(const package::PackageReader& package, const LoadOptions& options = {});

struct LoadedTexture {
  uint32_t texture = 0;  // index into Scene::render.textures
  TextureData data;      // every level
};

// The textures a progressive load left at their small levels, now whole. Safe to call on another
// thread while the scene is being drawn; hand the result to Renderer::update_textures.
Result<std::vector<LoadedTexture>> load_pending_textures(const package::PackageReader& package, const Scene& scene,
                                                         const LoadOptions& options = {});

// Reads deferred textures' bytes from the package, checking each blob's hash. The package and the
// scene must outlive it.
class PackageTextureReader final : public TextureReader {
 public:
  PackageTextureReader(const package::PackageReader& package, const Scene& scene) : package_(package), scene_(scene) {}
  Result<void> read(uint32_t index, std::span<std::byte> destination) const override;

 private:
  const package::PackageReader& package_;
  const Scene& scene_;
};

// Opens the package at `path` under `trust` and loads its scene.
Result<Scene> load_scene_file(const std::filesystem::path& path, const package::TrustPolicy& trust,
                              const LoadOptions& options = {});

}  // namespace pavilion::scene

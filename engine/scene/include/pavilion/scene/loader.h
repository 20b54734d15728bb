// Builds the runtime Scene from an opened package: decodes the scene tables, then reads, checks
// and decompresses the mesh and texture blobs on worker threads.
#pragma once

#include "pavilion/core/error.h"
#include "pavilion/package/reader.h"
#include "pavilion/scene/scene.h"

#include <filesystem>
#include <utility>
#include <vector>

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

// Reads a book's page tiles (Scene::books) from the package one at a time, as a deep-zoom view
// asks for them: nothing is read when the scene loads. Each tile's bytes are as stored
// (Book::tile_format; BC1 blocks ready to upload, rows of blocks top first), checked against its
// hash when read. Thread-safe: any number of threads may read at once. The package and the scene
// must outlive the reader.
class BookTileReader {
 public:
  BookTileReader(const package::PackageReader& package, const Scene& scene);
  // Preconditions: the book, page, level, column and row exist (Book::pages, BookPage::levels).
  // Fails (invalid_input) when the package lacks the tile's blob or the blob is damaged or of the
  // wrong size for its rectangle (tile_rect).
  Result<size_t> byte_count(const TileKey& key) const;
  // `destination` holds exactly byte_count(key) bytes; on failure its bytes mean nothing.
  Result<void> read_into(const TileKey& key, std::span<std::byte> destination) const;
  Result<std::vector<std::byte>> read(const TileKey& key) const;

 private:
  Result<uint32_t> find_blob(const TileKey& key, TileRect& rect) const;

  const package::PackageReader& package_;
  const Scene& scene_;
  // The package's page tiles by hash, sorted: PackageReader::find walks the whole index, and a
  // book may hold a hundred thousand tiles.
  std::vector<std::pair<ContentHash, uint32_t>> tiles_;
};

// Opens the package at `path` under `trust` and loads its scene.
Result<Scene> load_scene_file(const std::filesystem::path& path, const package::TrustPolicy& trust,
                              const LoadOptions& options = {});

}  // namespace pavilion::scene

// The build cache: processed textures and sounds, keyed by a hash of their source bytes, the
// tool's version and its settings, so an unchanged asset is not processed again. Entries carry a
// checksum; a damaged or unreadable one is a miss, and a failed store only costs the next build.
#pragma once

#include "pavilion/core/hash.h"
#include "pavilion/pack/model_import.h"
#include "pavilion/package/writer.h"
#include "pavilion/scene/scene.h"
#include "pavilion/scene/scene_tables.h"
#include "pavilion/scene/thumbnail.h"

#include <filesystem>
#include <optional>
#include <span>
#include <string_view>

namespace pavilion::pack {

ContentHash cache_key(std::string_view kind, std::span<const std::byte> source, std::string_view settings);

using CachedTexture = scene::TextureBlobs;

struct CachedAudio {
  scene::AudioSource audio;  // format fields only; placement comes from the scene
  package::PreparedBlob blob;
};

// One page's tile pyramid: its size, levels, tiles (book.h's order) and their blobs.
struct CachedPageTiles {
  uint32_t width = 0;
  uint32_t height = 0;
  std::vector<scene::PageLevel> levels;
  std::vector<ContentHash> tiles;
  std::vector<package::PreparedBlob> blobs;  // one per tile, in the same order
};

class AssetCache {
 public:
  // Imported models are stored with the hashes of every file the import read; a change to any of
  // them (a .bin buffer, a material library), or a texture file gone, is a miss.
  explicit AssetCache(std::filesystem::path directory) : directory_(std::move(directory)) {}

  std::optional<CachedTexture> load_texture(const ContentHash& key) const;
  void store_texture(const ContentHash& key, const CachedTexture& entry) const;
  std::optional<CachedAudio> load_audio(const ContentHash& key) const;
  void store_audio(const ContentHash& key, const CachedAudio& entry) const;
  std::optional<std::vector<scene::Thumbnail>> load_thumbnails(const ContentHash& key) const;
  void store_thumbnails(const ContentHash& key, std::span<const scene::Thumbnail> thumbnails) const;

  std::optional<CachedPageTiles> load_page_tiles(const ContentHash& key) const;
  void store_page_tiles(const ContentHash& key, const CachedPageTiles& entry) const;

  // A page's text lines as Tesseract recognised them.
  std::optional<std::vector<scene::PageTextLine>> load_page_lines(const ContentHash& key) const;
  void store_page_lines(const ContentHash& key, std::span<const scene::PageTextLine> lines) const;

  std::optional<ImportedModel> load_model(const ContentHash& key) const;
  void store_model(const ContentHash& key, const ImportedModel& model) const;

 private:
  std::optional<std::vector<std::byte>> load(const ContentHash& key) const;
  void store(const ContentHash& key, std::span<const std::byte> payload) const;

  std::filesystem::path directory_;  // empty: caching is off
};

}  // namespace pavilion::pack

// The pyramid's own output as a deep-zoom tile source: pages tiled by tile_page into a TileStore
// folder, read back blob by blob when engine/render's workers ask (scene::PageTileSource). What
// a package's book reader does for a kiosk, this does for the tools, tests and benchmarks.
#pragma once

#include "pavilion/core/error.h"
#include "pavilion/pyramid/pyramid.h"
#include "pavilion/pyramid/tile_store.h"
#include "pavilion/scene/page_tiles.h"

#include <filesystem>
#include <vector>

namespace pavilion::pyramid {

class StoredPageTileSource final : public scene::PageTileSource {
 public:
  // `pages` as tile_page returned them with `options`, their blobs in the TileStore at `folder`.
  // BC1 and RGBA8 tiles are handed on as stored; JPEG and WebP tiles are decoded to RGBA8 by
  // read_tile, on the reader's thread. Fails when a page lacks a tile of its levels.
  static Result<StoredPageTileSource> create(std::filesystem::path folder, std::vector<PageTiles> pages,
                                             const PyramidOptions& options);

  uint32_t page_count() const override { return static_cast<uint32_t>(pages_.size()); }
  scene::PageShape page_shape(uint32_t page) const override;
  // Safe to call from any number of threads at once. Reads and checks the size of one blob file.
  Result<void> read_tile(const scene::PageTileKey& key, std::span<std::byte> destination) const override;

 private:
  struct Page {
    PageTiles tiles;
    std::vector<scene::PageLevelGrid> levels;  // tiles.levels, as scene::page_tile_index numbers their tiles
    std::vector<uint32_t> order;  // index into tiles.tiles, in page_tile_index's order
  };
  StoredPageTileSource() = default;

  std::filesystem::path folder_;
  PyramidOptions options_;
  std::vector<Page> pages_;
};

}  // namespace pavilion::pyramid

#include "pavilion/pyramid/page_tile_source.h"

#include "pavilion/core/file.h"

#include <fmt/format.h>

#include <cstring>
#include <limits>

namespace pavilion::pyramid {

Result<StoredPageTileSource> StoredPageTileSource::create(std::filesystem::path folder, std::vector<PageTiles> pages,
                                                          const PyramidOptions& options) {
  StoredPageTileSource source;
  source.folder_ = std::move(folder);
  source.options_ = options;
  for (size_t index = 0; index < pages.size(); ++index) {
    Page page;
    page.tiles = std::move(pages[index]);
    uint32_t count = 0;
    for (const LevelShape& level : page.tiles.levels) {
      page.levels.push_back({level.width, level.height, level.columns, level.rows});
      count += level.columns * level.rows;
    }
    constexpr uint32_t missing = std::numeric_limits<uint32_t>::max();
    page.order.assign(count, missing);
    for (uint32_t tile = 0; tile < page.tiles.tiles.size(); ++tile) {
      const TileId& id = page.tiles.tiles[tile].id;
      page.order[scene::page_tile_index(page.levels, id.level, id.column, id.row)] = tile;
    }
    for (uint32_t entry = 0; entry < count; ++entry) {
      if (page.order[entry] == missing) {
        return Error(ErrorCode::invalid_input, fmt::format("reading page {}'s tiles for deep zoom", index),
                     fmt::format("tile {} of its levels is missing; tile the page again", entry));
      }
    }
    source.pages_.push_back(std::move(page));
  }
  return source;
}

scene::PageShape StoredPageTileSource::page_shape(uint32_t page) const {
  const PageTiles& tiles = pages_[page].tiles;
  scene::PageShape shape;
  shape.width = tiles.levels.front().width;
  shape.height = tiles.levels.front().height;
  shape.tile_size = options_.tile_size;
  shape.overlap = options_.overlap;
  shape.format = options_.encoding == TileEncoding::bc1 ? scene::PageTileFormat::bc1 : scene::PageTileFormat::rgba8;
  return shape;
}

Result<void> StoredPageTileSource::read_tile(const scene::PageTileKey& key, std::span<std::byte> destination) const {
  const Page& page = pages_[key.page];
  const StoredTile& tile = page.tiles.tiles[page.order[scene::page_tile_index(page.levels, key.level, key.column, key.row)]];
  const std::filesystem::path path = folder_ / tile.blob.to_hex();
  PV_TRY_ASSIGN(const std::vector<std::byte> bytes, read_file(path));
  if (options_.encoding == TileEncoding::jpeg || options_.encoding == TileEncoding::webp) {
    PV_TRY_ASSIGN(const ImageRgba8 pixels, decode_tile(bytes, options_.encoding, tile.width, tile.height));
    if (pixels.pixels.size() != destination.size()) {
      return Error(ErrorCode::invalid_input, fmt::format("reading tile {}", path.string()), "its size is not its place's");
    }
    std::memcpy(destination.data(), pixels.pixels.data(), destination.size());
    return {};
  }
  if (bytes.size() != destination.size()) {
    return Error(ErrorCode::invalid_input, fmt::format("reading tile {}", path.string()),
                 fmt::format("{} bytes where its place holds {}", bytes.size(), destination.size()));
  }
  std::memcpy(destination.data(), bytes.data(), bytes.size());
  return {};
}

}  // namespace pavilion::pyramid

// Where the renderer's deep zoom reads a book's page tiles from: a PageTileSource, implemented by
// whoever holds the tiles (a package's book blobs, content_tools/pyramid's own output), read by
// engine/render on its worker threads. No graphics-API type appears here.
//
// A page is a pyramid of levels as content_tools/pyramid cuts it: level 0 is the scan's own size,
// level k is ceil(side / 2^k) on each side, down to the first level that fits one tile. Tile
// (column, row) of a level covers [column × tile_size − overlap, (column + 1) × tile_size + overlap)
// × the same for rows, clipped to the level, so an edge tile has overlap only on its inner sides.
// This header is that geometry's one definition: the pyramid that cuts the tiles, the book tables
// that list them, the renderer that places them and the kiosk use these functions, and the page
// shader (engine/render/shaders/page_sample.glsl) follows page_tile_span in GLSL.
#pragma once

#include "pavilion/core/error.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>

namespace pavilion::scene {

// Tiles as the GPU takes them, so the renderer never decodes a JPEG on its own: a source of JPEG
// or WebP tiles decodes them to RGBA8 in read_tile, which runs on the renderer's worker threads.
enum class PageTileFormat : uint8_t {
  bc1,    // BC1 blocks (sRGB), 4 × 4 pixels in 8 bytes, rows of blocks top to bottom
  rgba8,  // sRGB-encoded RGBA8 pixels, rows top to bottom
};

struct PageShape {
  uint32_t width = 0;  // level 0, in pixels
  uint32_t height = 0;
  uint32_t tile_size = 254;
  uint32_t overlap = 1;
  PageTileFormat format = PageTileFormat::bc1;
};

struct PageTileKey {
  uint32_t page = 0;
  uint32_t level = 0;
  uint32_t column = 0;
  uint32_t row = 0;
  friend bool operator==(const PageTileKey&, const PageTileKey&) = default;
};

// One level of a page's pyramid (the scene tables store it as a book page's PageLevel).
struct PageLevelGrid {
  uint32_t width = 0;
  uint32_t height = 0;
  uint32_t columns = 0;
  uint32_t rows = 0;
  friend bool operator==(const PageLevelGrid&, const PageLevelGrid&) = default;
};

// A tile's pixels in its level, overlap included.
struct PageTileRect {
  uint32_t x = 0;
  uint32_t y = 0;
  uint32_t width = 0;
  uint32_t height = 0;
  friend bool operator==(const PageTileRect&, const PageTileRect&) = default;
};

// Tile `index` along one side of a level `extent` pixels long: where its pixels start and how
// many it holds, overlap included (none beyond the level's edges).
struct PageTileSpan {
  uint32_t start = 0;
  uint32_t length = 0;
};

inline PageTileSpan page_tile_span(uint32_t index, uint32_t extent, uint32_t tile_size, uint32_t overlap) {
  const uint64_t begin = uint64_t{index} * tile_size;
  const uint64_t start = begin > overlap ? begin - overlap : 0;
  const uint64_t end = std::min<uint64_t>(begin + tile_size + overlap, extent);
  return {static_cast<uint32_t>(start), static_cast<uint32_t>(end - start)};
}

// The overlap does not change a level's size or grid: `shape.overlap` is not read.
inline PageLevelGrid page_level(const PageShape& shape, uint32_t level) {
  const uint64_t scale = uint64_t{1} << level;
  PageLevelGrid result;
  result.width = static_cast<uint32_t>((shape.width + scale - 1) / scale);
  result.height = static_cast<uint32_t>((shape.height + scale - 1) / scale);
  result.columns = (result.width + shape.tile_size - 1) / shape.tile_size;
  result.rows = (result.height + shape.tile_size - 1) / shape.tile_size;
  return result;
}

// Levels down to and including the first that is one tile. Preconditions: a non-empty shape.
inline uint32_t page_level_count(const PageShape& shape) {
  uint32_t count = 1;
  while (std::max(page_level(shape, count - 1).width, page_level(shape, count - 1).height) > shape.tile_size) ++count;
  return count;
}

inline PageTileRect page_tile_rect(const PageShape& shape, uint32_t level, uint32_t column, uint32_t row) {
  const PageLevelGrid size = page_level(shape, level);
  const PageTileSpan across = page_tile_span(column, size.width, shape.tile_size, shape.overlap);
  const PageTileSpan down = page_tile_span(row, size.height, shape.tile_size, shape.overlap);
  return {across.start, down.start, across.length, down.length};
}

// A tile's place among all its page's tiles: level 0's rows top first, each row left to right,
// then level 1's, …; `levels` finest first, as page_level gives them.
inline size_t page_tile_index(std::span<const PageLevelGrid> levels, uint32_t level, uint32_t column, uint32_t row) {
  size_t index = 0;
  for (uint32_t finer = 0; finer < level; ++finer) index += size_t{levels[finer].columns} * levels[finer].rows;
  return index + size_t{row} * levels[level].columns + column;
}

// The bytes read_tile writes for a tile of `width` × `height` pixels.
inline size_t page_tile_bytes(PageTileFormat format, uint32_t width, uint32_t height) {
  if (format == PageTileFormat::bc1) return size_t{(width + 3) / 4} * ((height + 3) / 4) * 8;
  return size_t{width} * height * 4;
}

class PageTileSource {
 public:
  virtual ~PageTileSource() = default;

  virtual uint32_t page_count() const = 0;
  // Constant for the source's lifetime. Every page's tiles are at most tile_size + 2 × overlap
  // (256 with the pyramid's defaults) on a side.
  virtual PageShape page_shape(uint32_t page) const = 0;
  // Writes the tile's pixels (page_tile_rect's, overlap included) in its page's format into
  // `destination`, which holds exactly page_tile_bytes() bytes. Called on worker threads, several
  // at once: it must be safe to call concurrently. An error leaves the tile out (the page shows a
  // coarser level there, or blank paper where no level is left) and is logged once by the
  // renderer; it is not retried.
  virtual Result<void> read_tile(const PageTileKey& key, std::span<std::byte> destination) const = 0;
};

}  // namespace pavilion::scene

// A page scan cut into a mip pyramid of tiles, streamed: rows come from a ScanReader a few at a
// time, each level keeps only the band of rows its current row of tiles needs (tile size plus the
// overlap above and below), and each halving is averaged in linear light as the rows arrive. Tiles
// are encoded on worker threads while reading goes on, at most about a row of level 0's tiles
// waiting. Peak memory is about 3 × (tile_size + 2 × overlap) × width × 4 bytes, whatever the height.
//
// Levels: 0 is the scan's own size; level k is 2^k smaller, each side ceil(side / 2^k) (as IIIF's
// scale factors size them); the last level fits in one tile. Tile (column, row) of a level covers
// [column × tile_size − overlap, (column + 1) × tile_size + overlap) × the same for rows, clipped
// to the level, so a tile at the edge has overlap only on its inner sides.
#pragma once

#include "pavilion/core/error.h"
#include "pavilion/pyramid/scan.h"
#include "pavilion/pyramid/tile_codec.h"

#include <cstdint>
#include <functional>
#include <vector>

namespace pavilion::pyramid {

struct PyramidOptions {
  // 254 + 1 px on each side: interior tiles are 256 × 256, one slot of a GPU page atlas, BC1's
  // 4 × 4 blocks fit them exactly, and bilinear sampling at a tile's edge reads its neighbour's
  // pixel from the border, so the seams vanish (README.md).
  uint32_t tile_size = 254;
  uint32_t overlap = 1;
  // BC1: the best quality per package byte once zstd has packed it, no decoding on the kiosk and
  // an eighth of RGBA8's GPU memory per resident tile (README.md, bench/pyramid_bench).
  TileEncoding encoding = TileEncoding::bc1;
  int quality = 90;
  uint32_t threads = 0;  // encoding threads; 0: one per processor. The output never depends on it.
};

struct LevelShape {
  uint32_t width = 0;
  uint32_t height = 0;
  uint32_t columns = 0;
  uint32_t rows = 0;
  uint32_t scale = 1;  // 2^level
};

// The levels for a width × height scan, from the full size down to one tile.
std::vector<LevelShape> pyramid_levels(uint32_t width, uint32_t height, uint32_t tile_size);

struct TileId {
  uint32_t level = 0;
  uint32_t column = 0;
  uint32_t row = 0;
  friend bool operator==(const TileId&, const TileId&) = default;
};

struct EncodedTile {
  TileId id;
  // The pixels the tile holds, overlap included, and where they start in their level.
  uint32_t x = 0;
  uint32_t y = 0;
  uint32_t width = 0;
  uint32_t height = 0;
  std::vector<std::byte> bytes;
};

// Receives every tile, one call at a time (never two at once, so it needs no lock of its own), on
// any of the build's threads (so a slow sink, writing files, runs beside the decoding), in one
// order that depends only on the scan and the options: level 0's first row of tiles left to right,
// then whatever rows of tiles the rows read so far complete, coarser levels as they fill. All
// calls have returned when build_pyramid does. A failure stops the build.
using TileSink = std::function<Result<void>(EncodedTile&&)>;

// Reads the whole scan from `scan` (which must be at its first row) and hands out its tiles.
Result<std::vector<LevelShape>> build_pyramid(ScanReader& scan, const PyramidOptions& options, const TileSink& sink);

}  // namespace pavilion::pyramid

#include "pavilion/pyramid/pyramid.h"

#include "pavilion/core/parallel.h"
#include "pavilion/scene/page_tiles.h"

#include "scan_error.h"
#include "tile_encoder.h"

#include <fmt/format.h>
#include <fmt/std.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>

namespace pavilion::pyramid {
namespace {

// Halving in linear light through two tables: sRGB byte → 16-bit linear, and the mean of four
// 16-bit linear values → sRGB byte. 16 bits keep the darkest step below a twentieth of a code.
struct LinearTables {
  std::array<uint32_t, 256> to_linear{};
  std::vector<uint8_t> to_srgb = std::vector<uint8_t>(65536);
  LinearTables() {
    for (uint32_t value = 0; value < 256; ++value) {
      to_linear[value] = static_cast<uint32_t>(std::lround(srgb_to_linear(static_cast<uint8_t>(value)) * 65535.0f));
    }
    for (uint32_t value = 0; value < 65536; ++value) to_srgb[value] = linear_to_srgb(static_cast<float>(value) / 65535.0f);
  }
};

const LinearTables& linear_tables() {
  static const LinearTables tables;
  return tables;
}

// Colour averaged in linear light; alpha (opaque in every scan we have seen) averaged as stored.
void halve_rows(const uint8_t* upper, const uint8_t* lower, uint32_t width, uint8_t* out) {
  const LinearTables& tables = linear_tables();
  const uint32_t half = (width + 1) / 2;
  for (uint32_t x = 0; x < half; ++x) {
    const size_t left = size_t{2 * x} * 4;
    const size_t right = size_t{std::min(2 * x + 1, width - 1)} * 4;
    for (size_t channel = 0; channel < 3; ++channel) {
      const uint32_t sum = tables.to_linear[upper[left + channel]] + tables.to_linear[upper[right + channel]] +
                           tables.to_linear[lower[left + channel]] + tables.to_linear[lower[right + channel]];
      out[size_t{x} * 4 + channel] = tables.to_srgb[(sum + 2) / 4];
    }
    out[size_t{x} * 4 + 3] =
        static_cast<uint8_t>((uint32_t{upper[left + 3]} + upper[right + 3] + lower[left + 3] + lower[right + 3] + 2) / 4);
  }
}

// One level's rows on their way to tiles: the band the current row of tiles needs, the row
// waiting for its partner to be halved, and where the halved row goes.
struct Level {
  LevelShape shape;
  std::vector<uint8_t> window;  // rows [window_first, window_first + window_rows)
  uint32_t window_first = 0;
  uint32_t window_rows = 0;
  uint32_t rows_received = 0;
  uint32_t next_band = 0;
  std::vector<uint8_t> upper;   // an even row, kept until the odd one below it arrives
  std::vector<uint8_t> halved;  // one row of the next level

  size_t stride() const { return size_t{shape.width} * 4; }
};

class Builder {
 public:
  Builder(const std::vector<LevelShape>& shapes, const PyramidOptions& options, TileEncoder& encoder)
      : options_(options), encoder_(encoder) {
    for (size_t index = 0; index < shapes.size(); ++index) {
      Level& level = levels_.emplace_back();
      level.shape = shapes[index];
      level.window.resize(size_t{options.tile_size + 2 * options.overlap} * level.stride());
      if (index + 1 < shapes.size()) {
        level.upper.resize(level.stride());
        level.halved.resize(size_t{shapes[index + 1].width} * 4);
      }
    }
  }

  Result<void> push_row(size_t index, const uint8_t* row) {
    Level& level = levels_[index];
    std::memcpy(level.window.data() + level.window_rows * level.stride(), row, level.stride());
    ++level.window_rows;
    ++level.rows_received;
    while (level.next_band < level.shape.rows && level.rows_received == band_end(level, level.next_band)) {
      PV_TRY(cut_band(level));
    }
    if (index + 1 == levels_.size()) return {};
    const bool last = level.rows_received == level.shape.height;
    if (level.rows_received % 2 == 1 && !last) {
      std::memcpy(level.upper.data(), row, level.stride());
      return {};
    }
    // An odd last row is halved with itself, as ceil(height / 2) rows need.
    const uint8_t* upper = level.rows_received % 2 == 1 ? row : level.upper.data();
    halve_rows(upper, row, level.shape.width, level.halved.data());
    return push_row(index + 1, level.halved.data());
  }

 private:
  scene::PageTileSpan span(uint32_t index, uint32_t extent) const {
    return scene::page_tile_span(index, extent, options_.tile_size, options_.overlap);
  }
  uint32_t band_end(const Level& level, uint32_t band) const {
    const scene::PageTileSpan rows = span(band, level.shape.height);
    return rows.start + rows.length;
  }

  // Sends the tiles of the level's next band to the encoder, in column order, and keeps only the
  // rows the next band shares with this one.
  Result<void> cut_band(Level& level) {
    const uint32_t band = level.next_band;
    const scene::PageTileSpan rows = span(band, level.shape.height);
    const uint32_t level_index = static_cast<uint32_t>(&level - levels_.data());
    for (uint32_t column = 0; column < level.shape.columns; ++column) {
      const scene::PageTileSpan columns = span(column, level.shape.width);
      ImageRgba8 pixels(columns.length, rows.length);
      for (uint32_t y = rows.start; y < rows.start + rows.length; ++y) {
        std::memcpy(pixels.at(0, y - rows.start),
                    level.window.data() + (y - level.window_first) * level.stride() + size_t{columns.start} * 4,
                    size_t{pixels.width} * 4);
      }
      PV_TRY(encoder_.submit(
          EncodedTile{{level_index, column, band}, columns.start, rows.start, pixels.width, pixels.height, {}},
          std::move(pixels)));
    }

    ++level.next_band;
    // The next band's first row (its overlap above included) is the first still needed.
    const uint32_t keep_from = std::max(level.window_first, span(level.next_band, level.shape.height).start);
    const uint32_t dropped = std::min(keep_from - level.window_first, level.window_rows);
    std::memmove(level.window.data(), level.window.data() + dropped * level.stride(),
                 (level.window_rows - dropped) * level.stride());
    level.window_rows -= dropped;
    level.window_first += dropped;
    return {};
  }

  const PyramidOptions& options_;
  TileEncoder& encoder_;
  std::vector<Level> levels_;
};

}  // namespace

std::vector<LevelShape> pyramid_levels(uint32_t width, uint32_t height, uint32_t tile_size) {
  expects(width > 0 && height > 0 && tile_size > 0, "a scan and a tile size");
  const scene::PageShape shape{.width = width, .height = height, .tile_size = tile_size};
  std::vector<LevelShape> levels(scene::page_level_count(shape));
  for (uint32_t index = 0; index < levels.size(); ++index) {
    const scene::PageLevelGrid grid = scene::page_level(shape, index);
    levels[index] = {grid.width, grid.height, grid.columns, grid.rows, uint32_t{1} << index};
  }
  return levels;
}

Result<std::vector<LevelShape>> build_pyramid(ScanReader& scan, const PyramidOptions& options, const TileSink& sink) {
  expects(options.tile_size >= 16 && options.overlap < options.tile_size / 2, "a tile of 16 px or more, a smaller overlap");
  expects(scan.rows_read() == 0, "a scan at its first row");
  // Each level keeps a band of a tile's height across the scan: refused beyond a budget before any
  // is allocated (a 2^20 px wide scan at 254 px tiles would need a gigabyte a level).
  const uint64_t band_bytes = uint64_t{options.tile_size + 2 * options.overlap} * scan.width() * 4;
  if (band_bytes > max_band_bytes) {
    return scan_error(ErrorCode::unsupported, scan.path(),
                      fmt::format("The scan {} is {} px wide: tiling it {} px at a time needs {} MiB a level, over "
                                  "the {} MiB this tool allows; choose smaller tiles or split the scan.",
                                  scan.path(), scan.width(), options.tile_size, band_bytes >> 20, max_band_bytes >> 20),
                      fmt::format("扫描图像 {} 宽 {} 像素：按 {} 像素切片，每一层需要 {} MiB，超过本工具允许的 {} MiB；"
                                  "请选用更小的切片或把扫描图像分开。",
                                  scan.path(), scan.width(), options.tile_size, band_bytes >> 20, max_band_bytes >> 20));
  }
  const auto levels = pyramid_levels(scan.width(), scan.height(), options.tile_size);
  // Tiles may wait for encoding up to about one row of level 0's tiles (with the workers' share),
  // so decoding and halving go on while the workers encode.
  TileEncoder encoder(options, levels[0].columns + 2 * size_t{processor_count()}, sink);
  Builder builder(levels, options, encoder);
  // A few rows at a time: the decoder's buffer stays small next to the levels' bands.
  constexpr uint32_t chunk_rows = 16;
  std::vector<uint8_t> chunk(size_t{chunk_rows} * scan.width() * 4);
  while (scan.rows_read() < scan.height()) {
    const uint32_t rows = std::min(chunk_rows, scan.height() - scan.rows_read());
    PV_TRY(scan.read_rows(rows, chunk));
    for (uint32_t row = 0; row < rows; ++row) PV_TRY(builder.push_row(0, chunk.data() + size_t{row} * scan.width() * 4));
  }
  PV_TRY(encoder.finish());
  return levels;
}

}  // namespace pavilion::pyramid

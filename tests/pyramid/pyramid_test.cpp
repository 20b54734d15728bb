// Tiling into a mip pyramid: the levels, pixels against a reference downsample in linear light,
// the same bytes whatever the thread count, and peak memory bounded by a band, not the scan.
#include "pavilion/core/sanitizers.h"
#include "pavilion/pyramid/pyramid.h"
#include "pavilion/scene/book.h"
#include "pavilion/scene/page_tiles.h"
#include "pavilion/support/synthetic_scan.h"
#include "temporary_folder.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>

namespace pavilion::pyramid {
namespace {

namespace fs = std::filesystem;
using support::ScanFile;

fs::path scratch(const std::string& name) {
  // A folder of this test process's own, removed at its end: runs beside each other (or one
  // before) leave it nothing.
  static const testing::TemporaryFolder folder;
  return folder / name;
}

TEST(Pyramid, LevelsHalveByCeilingDownToOneTile) {
  const auto levels = pyramid_levels(1001, 700, 254);
  ASSERT_EQ(levels.size(), 3u);
  EXPECT_EQ(levels[0].width, 1001u);
  EXPECT_EQ(levels[0].columns, 4u);
  EXPECT_EQ(levels[0].rows, 3u);
  EXPECT_EQ(levels[1].width, 501u);
  EXPECT_EQ(levels[1].height, 350u);
  EXPECT_EQ(levels[2].width, 251u);
  EXPECT_EQ(levels[2].height, 175u);
  EXPECT_EQ(levels[2].scale, 4u);
  EXPECT_EQ(levels[2].columns * levels[2].rows, 1u);
  EXPECT_EQ(pyramid_levels(200, 100, 254).size(), 1u);
}

// Each level in double precision: sRGB → linear → 2 × 2 mean (an odd edge with itself) → sRGB.
std::vector<ImageRgba8> reference_levels(const ImageRgba8& source, size_t count) {
  const auto decode = [](uint8_t v) {
    const double c = v / 255.0;
    return c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
  };
  const auto encode = [](double l) {
    const double c = l <= 0.0031308 ? l * 12.92 : 1.055 * std::pow(l, 1.0 / 2.4) - 0.055;
    return static_cast<uint8_t>(std::lround(std::clamp(c, 0.0, 1.0) * 255.0));
  };
  std::vector<ImageRgba8> levels{source};
  while (levels.size() < count) {
    const ImageRgba8& above = levels.back();
    ImageRgba8 below((above.width + 1) / 2, (above.height + 1) / 2);
    for (uint32_t y = 0; y < below.height; ++y) {
      for (uint32_t x = 0; x < below.width; ++x) {
        const uint32_t x1 = std::min(2 * x + 1, above.width - 1);
        const uint32_t y1 = std::min(2 * y + 1, above.height - 1);
        for (int c = 0; c < 3; ++c) {
          below.at(x, y)[c] = encode((decode(above.at(2 * x, 2 * y)[c]) + decode(above.at(x1, 2 * y)[c]) +
                                      decode(above.at(2 * x, y1)[c]) + decode(above.at(x1, y1)[c])) / 4.0);
        }
        below.at(x, y)[3] = 255;
      }
    }
    levels.push_back(std::move(below));
  }
  return levels;
}

TEST(Pyramid, TilesEqualAReferenceDownsampleInLinearLight) {
  const fs::path path = scratch("reference.png");
  ASSERT_TRUE(support::write_synthetic_scan(path, ScanFile::png, 777, 555, 2).ok());
  auto scan = open_scan(path);
  ASSERT_TRUE(scan.ok());
  const PyramidOptions options{.tile_size = 128, .overlap = 1, .encoding = TileEncoding::rgba8, .threads = 2};
  std::vector<EncodedTile> tiles;
  auto levels = build_pyramid(**scan, options, [&](EncodedTile&& tile) -> Result<void> {
    tiles.push_back(std::move(tile));
    return {};
  });
  ASSERT_TRUE(levels.ok()) << levels.error().describe();
  const auto reference = reference_levels(support::synthetic_page(2, 0, 0, 777, 555), levels->size());

  size_t expected_tiles = 0;
  for (const LevelShape& level : *levels) expected_tiles += size_t{level.columns} * level.rows;
  ASSERT_EQ(tiles.size(), expected_tiles);
  for (const EncodedTile& tile : tiles) {
    const LevelShape& level = (*levels)[tile.id.level];
    // Place and size: the tile's square plus one pixel of overlap on each inner side.
    const uint32_t left = tile.id.column == 0 ? 0 : tile.id.column * 128 - 1;
    const uint32_t top = tile.id.row == 0 ? 0 : tile.id.row * 128 - 1;
    EXPECT_EQ(tile.x, left);
    EXPECT_EQ(tile.y, top);
    EXPECT_EQ(tile.width, std::min((tile.id.column + 1) * 128 + 1, level.width) - left);
    EXPECT_EQ(tile.height, std::min((tile.id.row + 1) * 128 + 1, level.height) - top);
    const ImageRgba8& expected = reference[tile.id.level];
    int worst = 0;
    for (uint32_t y = 0; y < tile.height; ++y) {
      for (uint32_t x = 0; x < tile.width; ++x) {
        for (size_t c = 0; c < 4; ++c) {
          const auto got = static_cast<int>(tile.bytes[(size_t{y} * tile.width + x) * 4 + c]);
          worst = std::max(worst, std::abs(got - expected.at(tile.x + x, tile.y + y)[c]));
        }
      }
    }
    // Level 0 is the scan itself; below it, the 16-bit linear tables round within one code.
    EXPECT_LE(worst, tile.id.level == 0 ? 0 : 1) << "level " << tile.id.level << " tile " << tile.id.column << ","
                                                 << tile.id.row;
  }
}

std::vector<EncodedTile> tiles_with_threads(const fs::path& path, uint32_t threads, TileEncoding encoding) {
  auto scan = open_scan(path);
  EXPECT_TRUE(scan.ok());
  std::vector<EncodedTile> tiles;
  const PyramidOptions options{.tile_size = 254, .overlap = 1, .encoding = encoding, .quality = 85, .threads = threads};
  const auto built = build_pyramid(**scan, options, [&](EncodedTile&& tile) -> Result<void> {
    tiles.push_back(std::move(tile));
    return {};
  });
  EXPECT_TRUE(built.ok());
  return tiles;
}

TEST(Pyramid, SameTilesInTheSameOrderWhateverTheThreadCount) {
  const fs::path path = scratch("threads.jpg");
  ASSERT_TRUE(support::write_synthetic_scan(path, ScanFile::jpeg, 1500, 1100, 4).ok());
  for (const TileEncoding encoding : {TileEncoding::jpeg, TileEncoding::webp, TileEncoding::bc1}) {
    const auto one = tiles_with_threads(path, 1, encoding);
    ASSERT_GT(one.size(), 30u);
    for (const uint32_t threads : {2u, 5u}) {
      const auto many = tiles_with_threads(path, threads, encoding);
      ASSERT_EQ(many.size(), one.size());
      for (size_t index = 0; index < one.size(); ++index) {
        EXPECT_EQ(many[index].id, one[index].id) << to_string(encoding) << " with " << threads << " threads";
        EXPECT_EQ(many[index].bytes, one[index].bytes) << to_string(encoding) << " with " << threads << " threads";
      }
    }
  }
}

double status_kb(const std::string& field) {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.starts_with(field + ":")) return std::stod(line.substr(field.size() + 1));
  }
  return 0.0;
}

// A 12 000 × 2 000 scan is 96 MB as RGBA; its pyramid is built in about one band per level.
TEST(Pyramid, PeakMemoryIsBoundedByABandNotTheScan) {
  constexpr uint32_t width = 12000;
  constexpr uint32_t height = 2000;
  const fs::path path = scratch("wide.jpg");
  ASSERT_TRUE(support::write_synthetic_scan(path, ScanFile::jpeg, width, height, 6, 80).ok());
  auto scan = open_scan(path);
  ASSERT_TRUE(scan.ok());
  std::ofstream("/proc/self/clear_refs") << "5";  // the peak starts again from what is resident now
  const double before_kb = status_kb("VmRSS");
  size_t tiles = 0;
  const PyramidOptions options{.tile_size = 254, .overlap = 1, .encoding = TileEncoding::jpeg, .threads = 2};
  const auto built = build_pyramid(**scan, options, [&](EncodedTile&&) -> Result<void> {
    ++tiles;
    return {};
  });
  ASSERT_TRUE(built.ok()) << built.error().describe();
  const double peak_mb = (status_kb("VmHWM") - before_kb) / 1024.0;
  const double band_mb = (254.0 + 2.0) * width * 4.0 / (1024.0 * 1024.0);
  const double scan_mb = double{width} * height * 4.0 / (1024.0 * 1024.0);
  std::printf("[ info     ] %zu tiles; peak growth %.1f MB; one band %.1f MB; the whole scan %.1f MB\n", tiles, peak_mb,
              band_mb, scan_mb);
  if (address_sanitizer) GTEST_SKIP() << "AddressSanitizer's shadow and quarantine make resident memory meaningless";
  // Every level's band (the levels add up to twice the first), a band of tiles waiting for the
  // encoders, the decoder's chunk.
  EXPECT_LT(peak_mb, 4.0 * band_mb);
  EXPECT_LT(peak_mb, scan_mb / 2.0);
}

// Pixels 0, 7, 14, … along a side of `extent`, and its last.
std::vector<uint32_t> every_seventh_and_the_last(uint32_t extent) {
  std::vector<uint32_t> out;
  for (uint32_t at = 0; at < extent; at += 7) out.push_back(at);
  if (out.back() != extent - 1) out.push_back(extent - 1);
  return out;
}

// The tiles the packer cuts are the ones the renderer and the book tables look up (page_tiles.h is
// the one definition of the geometry): on an odd-sized scan, odd at every level, each tile is at
// page_tile_rect's place under page_tile_index's number, and the tile the page shader picks for a
// pixel (page_sample.glsl: column min(x / tile_size, columns − 1)) holds that pixel's colour.
TEST(Pyramid, TheTilesCutAreTheTilesTheRendererLooksUp) {
  constexpr uint32_t width = 1001, height = 1503;
  const fs::path path = scratch("odd.png");
  ASSERT_TRUE(support::write_synthetic_scan(path, ScanFile::png, width, height, 3).ok());
  auto scan = open_scan(path);
  ASSERT_TRUE(scan.ok());
  const PyramidOptions options{.tile_size = 30, .overlap = 3, .encoding = TileEncoding::rgba8, .threads = 2};
  const scene::PageShape shape{width, height, options.tile_size, options.overlap, scene::PageTileFormat::rgba8};
  std::vector<scene::PageLevelGrid> grids(scene::page_level_count(shape));
  for (uint32_t level = 0; level < grids.size(); ++level) grids[level] = scene::page_level(shape, level);
  std::vector<EncodedTile> tiles;
  const auto levels = build_pyramid(**scan, options, [&](EncodedTile&& tile) -> Result<void> {
    const size_t index = scene::page_tile_index(grids, tile.id.level, tile.id.column, tile.id.row);
    if (tiles.size() <= index) tiles.resize(index + 1);
    tiles[index] = std::move(tile);
    return {};
  });
  ASSERT_TRUE(levels.ok()) << levels.error().describe();
  ASSERT_EQ(levels->size(), grids.size());
  size_t count = 0;
  for (uint32_t level = 0; level < grids.size(); ++level) {
    const LevelShape& cut = (*levels)[level];
    EXPECT_EQ((scene::PageLevelGrid{cut.width, cut.height, cut.columns, cut.rows}), grids[level]) << "level " << level;
    count += size_t{grids[level].columns} * grids[level].rows;
  }
  ASSERT_EQ(tiles.size(), count);
  for (size_t index = 0; index < tiles.size(); ++index) {
    const EncodedTile& tile = tiles[index];
    ASSERT_EQ(scene::page_tile_index(grids, tile.id.level, tile.id.column, tile.id.row), index) << "a tile was never cut";
    EXPECT_EQ(scene::page_tile_rect(shape, tile.id.level, tile.id.column, tile.id.row),
              (scene::PageTileRect{tile.x, tile.y, tile.width, tile.height}))
        << "level " << tile.id.level << " tile " << tile.id.column << "," << tile.id.row;
    EXPECT_EQ(tile.bytes.size(), scene::page_tile_bytes(shape.format, tile.width, tile.height));
  }
  const auto reference = reference_levels(support::synthetic_page(3, 0, 0, width, height), grids.size());
  for (uint32_t level = 0; level < grids.size(); ++level) {
    const scene::PageLevelGrid& grid = grids[level];
    int worst = 0;
    for (const uint32_t y : every_seventh_and_the_last(grid.height)) {
      for (const uint32_t x : every_seventh_and_the_last(grid.width)) {
        const uint32_t column = std::min(x / shape.tile_size, grid.columns - 1);
        const uint32_t row = std::min(y / shape.tile_size, grid.rows - 1);
        const EncodedTile& tile = tiles[scene::page_tile_index(grids, level, column, row)];
        ASSERT_TRUE(x >= tile.x && x < tile.x + tile.width && y >= tile.y && y < tile.y + tile.height)
            << "pixel " << x << "," << y << " of level " << level << " is not in the tile the shader picks";
        for (size_t c = 0; c < 3; ++c) {
          const auto got = static_cast<int>(tile.bytes[(size_t{y - tile.y} * tile.width + (x - tile.x)) * 4 + c]);
          worst = std::max(worst, std::abs(got - reference[level].at(x, y)[c]));
        }
      }
    }
    EXPECT_LE(worst, level == 0 ? 0 : 1) << "level " << level;
  }
}

// The same agreement at a 30 001 × 40 003 scan's size, in geometry alone (its pixels would take
// minutes): the packer's levels, the book tables' levels, rectangles and numbering, and the
// renderer's page_level and page_tile_rect for every one of its tiles.
TEST(Pyramid, ALargeOddScansTilesAreNumberedAndPlacedAlikeEverywhere) {
  constexpr uint32_t width = 30001, height = 40003;
  const scene::PageShape shape{width, height, 254, 1, scene::PageTileFormat::bc1};
  const auto cut = pyramid_levels(width, height, shape.tile_size);
  scene::Book book;
  book.tile_size = shape.tile_size;
  book.overlap = shape.overlap;
  scene::BookPage page;
  page.width = width;
  page.height = height;
  page.levels = scene::page_levels(width, height, shape.tile_size);
  ASSERT_EQ(cut.size(), 9u);
  ASSERT_EQ(page.levels.size(), cut.size());
  ASSERT_EQ(scene::page_level_count(shape), cut.size());
  size_t next = 0;
  for (uint32_t level = 0; level < cut.size(); ++level) {
    const scene::PageLevelGrid grid = scene::page_level(shape, level);
    EXPECT_EQ((scene::PageLevelGrid{cut[level].width, cut[level].height, cut[level].columns, cut[level].rows}), grid);
    EXPECT_EQ(page.levels[level], grid);
    for (uint32_t row = 0; row < grid.rows; ++row) {
      for (uint32_t column = 0; column < grid.columns; ++column, ++next) {
        ASSERT_EQ(scene::tile_index(page, level, column, row), next);
        const scene::PageTileRect rect = scene::page_tile_rect(shape, level, column, row);
        ASSERT_EQ(scene::tile_rect(book, page, level, column, row), rect);
        // Inner tiles are 256 px with their overlap, a slot of the renderer's atlas; the last ones end at the edge.
        ASSERT_EQ(rect.x + rect.width, std::min((column + 1) * 254 + 1, grid.width));
        ASSERT_EQ(rect.y + rect.height, std::min((row + 1) * 254 + 1, grid.height));
        ASSERT_LE(rect.width, 256u);
      }
    }
  }
  EXPECT_EQ(cut[0].columns * cut[0].rows, 119u * 158u);
}

}  // namespace
}  // namespace pavilion::pyramid

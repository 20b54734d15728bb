// Content addressing: re-tiling a book after one page changed rewrites that page's tiles only.
#include "pavilion/pyramid/tile_store.h"
#include "pavilion/support/synthetic_scan.h"
#include "temporary_folder.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <set>

namespace pavilion::pyramid {
namespace {

namespace fs = std::filesystem;

TEST(PyramidTileStore, OnlyTheChangedPageGetsNewTiles) {
  const testing::TemporaryFolder scratch;
  const fs::path& folder = scratch.path();
  const PyramidOptions options{.tile_size = 254, .overlap = 1, .encoding = TileEncoding::jpeg, .threads = 2};
  std::vector<fs::path> pages;
  for (uint32_t page = 0; page < 3; ++page) {
    pages.push_back(folder / ("page" + std::to_string(page) + ".png"));
    ASSERT_TRUE(support::write_synthetic_scan(pages.back(), support::ScanFile::png, 600, 900, 10 + page).ok());
  }
  const auto tile_book = [&](TileStore& store) {
    std::vector<PageTiles> book;
    for (const fs::path& page : pages) {
      auto tiles = tile_page(page, options, store);
      EXPECT_TRUE(tiles.ok()) << tiles.error().describe();
      book.push_back(std::move(*tiles));
    }
    return book;
  };
  TileStore first_store(folder / "blobs");
  const auto first = tile_book(first_store);
  EXPECT_GT(first_store.blobs_written(), 20u);

  // The middle page is scanned again: another seed is another page's pixels.
  ASSERT_TRUE(support::write_synthetic_scan(pages[1], support::ScanFile::png, 600, 900, 99).ok());
  TileStore second_store(folder / "blobs");
  const auto second = tile_book(second_store);

  EXPECT_EQ(second[0].tiles, first[0].tiles);
  EXPECT_EQ(second[0].tile_set, first[0].tile_set);
  EXPECT_EQ(second[2].tiles, first[2].tiles);
  EXPECT_EQ(second[2].tile_set, first[2].tile_set);
  EXPECT_NE(second[1].tile_set, first[1].tile_set);

  // Every blob the second run wrote is one of the changed page's, and it wrote each of them.
  std::set<std::string> unchanged;
  for (const size_t page : {size_t{0}, size_t{2}}) {
    for (const StoredTile& tile : first[page].tiles) unchanged.insert(tile.blob.to_hex());
  }
  std::set<std::string> changed_page_new;
  std::set<std::string> first_run;
  for (const auto& page : first) {
    for (const StoredTile& tile : page.tiles) first_run.insert(tile.blob.to_hex());
  }
  for (const StoredTile& tile : second[1].tiles) {
    if (!first_run.contains(tile.blob.to_hex())) changed_page_new.insert(tile.blob.to_hex());
  }
  EXPECT_GT(changed_page_new.size(), 0u);
  EXPECT_EQ(second_store.blobs_written(), changed_page_new.size());
  size_t blobs = 0;
  for ([[maybe_unused]] const auto& entry : fs::directory_iterator(folder / "blobs")) ++blobs;
  EXPECT_EQ(blobs, first_run.size() + changed_page_new.size());
}

}  // namespace
}  // namespace pavilion::pyramid

// Deep zoom into page scans (engine/render page_tiles): the tiles the views need, chosen on the
// CPU; a spread seen whole and a page at 1:1, golden-compared once converged; convergence within a
// bound; a page never blank; the budget kept, by eviction; the RGBA8 fallback. Workers are waited
// for between frames (Renderer::wait_for_page_reads), so every run draws the same frames.
#include "golden.h"
#include "gpu_test.h"
#include "page_tile_choice.h"
#include "page_tiles_scene.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <optional>
#include <thread>

namespace pavilion::render {
namespace {

constexpr uint32_t width = 256;
constexpr uint32_t height = 192;

class PageTilesTest : public testing::GpuTest {
 protected:
  static void SetUpTestSuite() {
    auto made = testing::make_spread_source(testing::page_tiles_folder("page-tiles"));
    ASSERT_TRUE(made.ok()) << made.error().describe();
    source_ = std::move(*made);
  }
  static void TearDownTestSuite() {
    source_.reset();
    std::filesystem::remove_all(testing::page_tiles_folder("page-tiles"));
  }

  std::unique_ptr<Renderer> make_renderer(const RendererConfig& config, uint32_t pages_shown = 2) {
    auto renderer = Renderer::create(context(), config);
    EXPECT_TRUE(renderer.ok()) << renderer.error().describe();
    if (!renderer.ok()) return nullptr;
    const auto loaded = (*renderer)->load_pages(source_);
    EXPECT_TRUE(loaded.ok()) << loaded.error().describe();
    for (uint32_t page = 0; page < pages_shown; ++page) (*renderer)->show_page(page, testing::spread_placement(page));
    return std::move(*renderer);
  }

  std::unique_ptr<OffscreenTarget> make_target(uint32_t layers = 1) {
    auto target = OffscreenTarget::create(context(), {width, height, layers});
    EXPECT_TRUE(target.ok()) << target.error().describe();
    return target.ok() ? std::move(*target) : nullptr;
  }

  // Draws frames of `views`, waiting for the workers after each, until a frame shows every tile
  // its views need; returns how many frames that took (limit + 1 when none did).
  static uint32_t frames_to_converge(Renderer& renderer, OffscreenTarget& target, std::span<const View> views,
                                     uint32_t limit) {
    for (uint32_t frame = 1; frame <= limit; ++frame) {
      const auto outcome = renderer.render(target, views);
      EXPECT_TRUE(outcome.ok()) << outcome.error().describe();
      const PageTileStats stats = renderer.page_tile_stats();
      EXPECT_LE(stats.gpu_bytes, stats.budget_bytes);
      EXPECT_LE(stats.resident_tiles, stats.slots);
      if (stats.converged()) {
        EXPECT_TRUE(renderer.wait_idle().ok());
        return frame;
      }
      renderer.wait_for_page_reads();
    }
    EXPECT_TRUE(renderer.wait_idle().ok());
    return limit + 1;
  }

  static std::shared_ptr<const pyramid::StoredPageTileSource> source_;
};

std::shared_ptr<const pyramid::StoredPageTileSource> PageTilesTest::source_;

// The spread from 3.2 m: one texel of the 254-pixel top level spans about a pixel, so the top
// tile alone; at 1:1, level 0 under the view and the tiles above them, nothing else.
TEST(PageTileChoice, TheSpreadNeedsTheTopLevelAndOneToOneLevelZeroUnderTheView) {
  const scene::PageShape shape{testing::page_pixels, testing::page_pixels, 254, 1, scene::PageTileFormat::bc1};
  const uint32_t levels = scene::page_level_count(shape);
  ASSERT_EQ(levels, 5u);  // 2048, 1024, 512, 256 (2 × 2 tiles), 128
  std::vector<NeededTile> needed;
  needed.reserve(200);
  const PageViewScale spread = page_view_scale(testing::spread_view(width, height), width, height);
  choose_page_tiles(shape, levels, testing::spread_placement(0), {&spread, 1}, needed);
  ASSERT_EQ(needed.size(), 1u);
  EXPECT_EQ(needed[0].level, 4u);

  // Straight on at 1:1, 256 × 192 pixels span at most 3 × 2 level-0 tiles (a tile is 254).
  needed.clear();
  const PageViewScale close = page_view_scale(testing::one_to_one_view(width, height, {-1.3f, 0.2f}), width, height);
  choose_page_tiles(shape, levels, testing::spread_placement(0), {&close, 1}, needed);
  const auto at_level = [&](uint32_t level) {
    return std::count_if(needed.begin(), needed.end(), [&](const NeededTile& tile) { return tile.level == level; });
  };
  EXPECT_GE(at_level(0), 1);
  EXPECT_LE(at_level(0), 6);
  for (uint32_t level = 1; level < levels; ++level) EXPECT_GE(at_level(level), 1) << "level " << level;
  EXPECT_LE(needed.size(), 6u + 4u + 4u + 4u + 1u);
  // The other page is out of view: nothing of it.
  needed.clear();
  choose_page_tiles(shape, levels, testing::spread_placement(1), {&close, 1}, needed);
  EXPECT_TRUE(needed.empty());
}

// A half-leaf shows the left half of its scan (a crop), at the full page's texel size: seen whole
// on a large target, every needed tile lies over that half (level 0: the 5 columns of 9 that reach
// x < 1024), and none over the other.
TEST(PageTileChoice, ACropsHiddenPartNeedsNoTiles) {
  const scene::PageShape shape{testing::page_pixels, testing::page_pixels, 254, 1, scene::PageTileFormat::bc1};
  const uint32_t levels = scene::page_level_count(shape);
  render::PagePlacement half = testing::spread_placement(0);
  half.size.x *= 0.5f;
  half.crop = {{0.0f, 0.0f}, {0.5f, 1.0f}};
  // 1 663 pixels a metre at 3.2 m: a level-0 texel (1 024 a metre) spans more than a pixel.
  const PageViewScale view = page_view_scale(testing::spread_view(8192, 6144), 8192, 6144);
  std::vector<NeededTile> needed;
  needed.reserve(400);
  choose_page_tiles(shape, levels, half, {&view, 1}, needed);
  uint32_t level_zero = 0;
  for (const NeededTile& tile : needed) {
    EXPECT_LT(tile.column * (uint64_t{shape.tile_size} << tile.level), testing::page_pixels / 2)
        << "level " << tile.level << " column " << tile.column;
    level_zero += tile.level == 0 ? 1 : 0;
  }
  EXPECT_EQ(level_zero, 5u * 9u);
  needed.clear();
  half.crop = {};
  half.size.x *= 2.0f;
  choose_page_tiles(shape, levels, half, {&view, 1}, needed);
  EXPECT_EQ(std::count_if(needed.begin(), needed.end(), [](const NeededTile& tile) { return tile.level == 0; }), 81);
}

TEST(PageTileChoice, LevelsFollowPixelsPerTexel) {
  EXPECT_EQ(level_for_pixels_per_texel(1.0f, 5), 0u);
  EXPECT_EQ(level_for_pixels_per_texel(3.0f, 5), 0u);
  EXPECT_EQ(level_for_pixels_per_texel(0.6f, 5), 0u);   // 1.7 texels a pixel: level 0 still
  EXPECT_EQ(level_for_pixels_per_texel(0.5f, 5), 1u);   // 2 texels a pixel: one texel of level 1
  EXPECT_EQ(level_for_pixels_per_texel(0.2f, 5), 2u);
  EXPECT_EQ(level_for_pixels_per_texel(0.001f, 5), 4u);  // never past the top
}

TEST_F(PageTilesTest, TheSpreadAndOneToOneConvergeToTheirGoldenImages) {
  auto renderer = make_renderer({.shadow_map_size = 256});
  auto target = make_target();
  ASSERT_TRUE(renderer && target);
  const View spread = testing::spread_view(width, height);
  EXPECT_LE(frames_to_converge(*renderer, *target, {&spread, 1}, 10), 10u);
  EXPECT_TRUE(testing::matches_golden(render_frame(*renderer, *target, {&spread, 1}), "page_tiles_spread"));

  const View close = testing::one_to_one_view(width, height, {-1.3f, 0.2f});
  EXPECT_LE(frames_to_converge(*renderer, *target, {&close, 1}, 10), 10u);
  const ImageRgba8 one_to_one = render_frame(*renderer, *target, {&close, 1});
  EXPECT_TRUE(testing::matches_golden(one_to_one, "page_tiles_one_to_one"));
  EXPECT_EQ(renderer->page_tile_stats().read_failures, 0u);
}

// The bound: the first frame asks for every needed tile (the staging holds four frames' worth of
// uploads), and each later frame copies up to page_uploads_per_frame of them, so a frame at
// 1 + ceil(needed / uploads per frame) shows them all. With 4 a frame, in mono and in stereo.
TEST_F(PageTilesTest, FromTheSpreadToOneToOneConvergesWithinTheBound) {
  for (const uint32_t layers : {1u, 2u}) {
    SCOPED_TRACE(layers == 1 ? "mono" : "stereo");
    auto renderer = make_renderer({.shadow_map_size = 256, .page_uploads_per_frame = 4});
    auto target = make_target(layers);
    ASSERT_TRUE(renderer && target);
    const std::array<View, 2> spread{testing::spread_view(width, height), testing::spread_view(width, height)};
    ASSERT_LE(frames_to_converge(*renderer, *target, {spread.data(), layers}, 10), 10u);
    const std::array<View, 2> close{testing::one_to_one_view(width, height, {-0.6f, -0.4f}, -0.032f),
                                    testing::one_to_one_view(width, height, {-0.6f, -0.4f}, 0.032f)};
    const uint32_t frames = frames_to_converge(*renderer, *target, {close.data(), layers}, 40);
    const uint32_t needed = renderer->page_tile_stats().needed_tiles;
    EXPECT_GT(needed, 8u);
    EXPECT_LE(frames, 1 + (needed + 3) / 4) << needed << " tiles needed";
  }
}

// Before any tile beyond the coarsest has arrived, the page already shows, blurred, in both eyes:
// not the sky behind it (which only a few dark pixels of blur happen to match, against the ground),
// nor the shader's magenta for a missing tile, and on average the colours of the sharp page.
glm::dvec3 mean_colour(const ImageRgba8& image) {
  glm::dvec3 sum(0.0);
  for (uint32_t y = 0; y < image.height; ++y) {
    for (uint32_t x = 0; x < image.width; ++x) sum += glm::dvec3(image.at(x, y)[0], image.at(x, y)[1], image.at(x, y)[2]);
  }
  return sum / static_cast<double>(uint64_t{image.width} * image.height);
}

TEST_F(PageTilesTest, APageIsNeverBlankEvenOnItsFirstFrame) {
  auto renderer = make_renderer({.shadow_map_size = 256});
  auto target = make_target(2);
  ASSERT_TRUE(renderer && target);
  const std::array<View, 2> close{testing::one_to_one_view(width, height, {-1.3f, 0.2f}, -0.032f),
                                  testing::one_to_one_view(width, height, {-1.3f, 0.2f}, 0.032f)};
  const uint32_t pinned_at_load = renderer->page_tile_stats().pinned_tiles;
  const std::array<ImageRgba8, 2> first{render_frame(*renderer, *target, close, 0), target->read_pixels(1)};
  // The first frame copies in only what load_pages read: no finer tile has come from the workers.
  EXPECT_EQ(renderer->page_tile_stats().uploads_last_frame, pinned_at_load);
  EXPECT_LT(renderer->page_tile_stats().needed_resident, renderer->page_tile_stats().needed_tiles);
  ASSERT_LE(frames_to_converge(*renderer, *target, close, 20), 20u);
  const std::array<ImageRgba8, 2> sharp{render_frame(*renderer, *target, close, 0), target->read_pixels(1)};
  renderer->hide_page(0);
  renderer->hide_page(1);
  const ImageRgba8 sky = render_frame(*renderer, *target, close, 0);
  for (uint32_t eye = 0; eye < 2; ++eye) {
    const auto difference = testing::compare_images(first[eye], sky, 8);
    EXPECT_GT(difference.differing_pixels, uint64_t{width} * height * 99 / 100) << "the sky shows through the page";
    for (uint32_t y = 0; y < height; ++y) {
      for (uint32_t x = 0; x < width; ++x) {
        const uint8_t* pixel = first[eye].at(x, y);
        ASSERT_FALSE(pixel[0] > 200 && pixel[1] < 60 && pixel[2] > 200) << "magenta at " << x << ", " << y;
      }
    }
    const glm::dvec3 blurred = mean_colour(first[eye]);
    const glm::dvec3 converged = mean_colour(sharp[eye]);
    // Within 20 codes: levels average in linear light, so thin dark strokes blur lighter in sRGB.
    for (int channel = 0; channel < 3; ++channel) EXPECT_NEAR(blurred[channel], converged[channel], 20.0) << eye;
  }
}

// A budget of 48 slots against a page of 81 level-0 tiles: panning across it at 1:1 converges at
// every stop, evicting least recently used tiles, never holding more than the budget.
TEST_F(PageTilesTest, TheBudgetIsKeptByEvictingTheLeastRecentlyUsed) {
  const uint64_t budget = 48 * (uint64_t{32} << 10) * 16 / 15 + 4096;
  auto renderer = make_renderer({.shadow_map_size = 256, .page_texture_bytes = budget}, 1);
  auto target = make_target();
  ASSERT_TRUE(renderer && target);
  ASSERT_TRUE(renderer->page_tile_stats().block_compressed) << "lavapipe samples BC1";
  EXPECT_EQ(renderer->page_tile_stats().slots, 48u);  // one layer of 16 × 3 slots
  for (float x = -1.9f; x <= -0.1f; x += 0.3f) {
    for (float y : {0.8f, -0.8f}) {
      const View close = testing::one_to_one_view(width, height, {x, y});
      EXPECT_LE(frames_to_converge(*renderer, *target, {&close, 1}, 10), 10u) << x << ", " << y;
    }
  }
  const PageTileStats stats = renderer->page_tile_stats();
  EXPECT_GT(stats.evictions, 0u);
  EXPECT_LE(stats.gpu_bytes, budget);
  EXPECT_EQ(stats.resident_tiles, stats.slots) << "a full atlas after the pan";
  EXPECT_EQ(stats.pinned_tiles, 10u);  // per page of the two loaded, the top tile and the 2 × 2 below it
}

// A device without BC1 (forced here) gets RGBA8 tiles decoded on the workers: the same picture.
TEST_F(PageTilesTest, TheRgba8FallbackShowsTheSamePage) {
  auto renderer = make_renderer({.shadow_map_size = 256, .page_tiles_block_compressed = false});
  auto target = make_target();
  ASSERT_TRUE(renderer && target);
  EXPECT_FALSE(renderer->page_tile_stats().block_compressed);
  const View close = testing::one_to_one_view(width, height, {-1.3f, 0.2f});
  EXPECT_LE(frames_to_converge(*renderer, *target, {&close, 1}, 10), 10u);
  EXPECT_TRUE(testing::matches_golden(render_frame(*renderer, *target, {&close, 1}), "page_tiles_one_to_one"));
}

// Pages of 2048 × 2048 whose tiles cannot be read.
class UnreadablePages final : public scene::PageTileSource {
 public:
  explicit UnreadablePages(uint32_t count) : count_(count) {}
  uint32_t page_count() const override { return count_; }
  scene::PageShape page_shape(uint32_t) const override {
    return {testing::page_pixels, testing::page_pixels, 254, 1, scene::PageTileFormat::bc1};
  }
  Result<void> read_tile(const scene::PageTileKey& key, std::span<std::byte>) const override {
    return Error(ErrorCode::io, "reading a tile", fmt::format("page {} is not there", key.page));
  }

 private:
  uint32_t count_;
};

// The spread with page 1's tiles unreadable, as a placeholder page (a scan pack did not find) reads.
class WithoutPageOne final : public scene::PageTileSource {
 public:
  explicit WithoutPageOne(std::shared_ptr<const scene::PageTileSource> pages) : pages_(std::move(pages)) {}
  uint32_t page_count() const override { return pages_->page_count(); }
  scene::PageShape page_shape(uint32_t page) const override { return pages_->page_shape(page); }
  Result<void> read_tile(const scene::PageTileKey& key, std::span<std::byte> destination) const override {
    if (key.page == 1) return Error(ErrorCode::io, "reading a tile", "page 1 is a placeholder");
    return pages_->read_tile(key, destination);
  }

 private:
  std::shared_ptr<const scene::PageTileSource> pages_;
};

// One page's coarsest tiles failing leaves the book open: the other page draws, and the failed
// one is blank paper (one warm colour over its whole face), neither magenta nor the sky.
TEST_F(PageTilesTest, APageWhoseTilesFailOpensAsPaper) {
  auto renderer = make_renderer({.shadow_map_size = 256}, 0);
  auto target = make_target();
  ASSERT_TRUE(renderer && target);
  const auto loaded = renderer->load_pages(std::make_shared<WithoutPageOne>(source_));
  ASSERT_TRUE(loaded.ok()) << loaded.error().describe();
  PageTileStats stats = renderer->page_tile_stats();
  EXPECT_EQ(stats.read_failures, 5u) << "page 1's top tile and the 2 × 2 below it";
  EXPECT_EQ(stats.pinned_tiles, 5u) << "page 0's";
  EXPECT_EQ(stats.resident_tiles, 5u);
  renderer->show_page(0, testing::spread_placement(0));
  renderer->show_page(1, testing::spread_placement(1));
  const View spread = testing::spread_view(width, height);
  for (int frame = 0; frame < 3; ++frame) {
    ASSERT_TRUE(renderer->render(*target, {&spread, 1}).ok());
    renderer->wait_for_page_reads();
  }
  const ImageRgba8 image = render_frame(*renderer, *target, {&spread, 1});
  renderer->hide_page(0);
  renderer->hide_page(1);
  const ImageRgba8 sky = render_frame(*renderer, *target, {&spread, 1});

  // Page 1 spans pixels 128–232 × 44–148 from 3.2 m; inside it, away from its edges.
  const uint8_t* centre = image.at(180, 96);
  EXPECT_GT(centre[0], centre[1]);
  EXPECT_GT(centre[1], centre[2]);
  EXPECT_FALSE(centre[0] > 200 && centre[1] < 60 && centre[2] > 200) << "magenta";
  EXPECT_GT(std::abs(int{centre[0]} - int{sky.at(180, 96)[0]}) + std::abs(int{centre[2]} - int{sky.at(180, 96)[2]}), 20)
      << "the sky shows through the page";
  for (uint32_t y = 56; y < 136; y += 4) {
    for (uint32_t x = 140; x < 220; x += 4) {
      for (int channel = 0; channel < 3; ++channel) {
        ASSERT_NEAR(image.at(x, y)[channel], centre[channel], 2) << x << ", " << y;
      }
    }
  }
  // Page 0 still shows its scan: strokes and rules, not one colour.
  const auto page_zero = testing::compare_images(image, sky, 8);
  EXPECT_GT(page_zero.differing_pixels, uint64_t{104} * 104);
  EXPECT_GE(renderer->page_tile_stats().read_failures, 5u);
}

// Tiles that fail are settled: a view of the failing page at 1:1, and one across both pages,
// converge once every needed tile is on the GPU or has failed (a wait for them would never end).
TEST_F(PageTilesTest, TilesThatFailCountAsSettledForConvergence) {
  auto renderer = make_renderer({.shadow_map_size = 256}, 0);
  auto target = make_target();
  ASSERT_TRUE(renderer && target);
  ASSERT_TRUE(renderer->load_pages(std::make_shared<WithoutPageOne>(source_)).ok());
  renderer->show_page(0, testing::spread_placement(0));
  renderer->show_page(1, testing::spread_placement(1));
  const View close = testing::one_to_one_view(width, height, {1.3f, 0.2f});
  EXPECT_LE(frames_to_converge(*renderer, *target, {&close, 1}, 10), 10u);
  PageTileStats stats = renderer->page_tile_stats();
  EXPECT_GT(stats.needed_tiles, 5u);
  EXPECT_EQ(stats.needed_failed, stats.needed_tiles) << "every tile of page 1 fails";
  EXPECT_EQ(stats.needed_resident, 0u);

  const View across = testing::one_to_one_view(width, height, {0.0f, 0.2f});
  EXPECT_LE(frames_to_converge(*renderer, *target, {&across, 1}, 10), 10u);
  stats = renderer->page_tile_stats();
  EXPECT_GT(stats.needed_failed, 0u);
  EXPECT_GT(stats.needed_resident, 0u);
  EXPECT_EQ(stats.needed_resident + stats.needed_failed, stats.needed_tiles);
}

TEST_F(PageTilesTest, PagesTheBudgetCannotHoldAreRefusedWithASentence) {
  // 2 MiB: tables for about twenty pages of 2048 × 2048 (120 tiles each) beside 48 slots.
  auto renderer = make_renderer({.shadow_map_size = 256, .page_texture_bytes = 2 << 20}, 1);
  ASSERT_TRUE(renderer);
  const auto too_many = renderer->load_pages(std::make_shared<UnreadablePages>(1000));
  ASSERT_FALSE(too_many.ok());
  const std::string sentence = too_many.error().describe();
  EXPECT_NE(sentence.find("page_texture_bytes"), std::string::npos) << sentence;
  EXPECT_NE(sentence.find("请一次加载更少的页"), std::string::npos) << sentence;
  EXPECT_EQ(renderer->page_tile_stats().pinned_tiles, 0u) << "nothing stays loaded";

  // The renderer goes on, and takes good pages again.
  ASSERT_TRUE(renderer->load_pages(source_).ok());
  renderer->show_page(0, testing::spread_placement(0));
  auto target = make_target();
  const View spread = testing::spread_view(width, height);
  EXPECT_LE(frames_to_converge(*renderer, *target, {&spread, 1}, 10), 10u);
}

// A thousand small pages of 96 × 128 pixels in tiles of 62 (2 × 3, 1 × 2 and 1 tile a level),
// every tile solid green, generated rather than read.
class ThousandGreenPages final : public scene::PageTileSource {
 public:
  uint32_t page_count() const override { return 1000; }
  scene::PageShape page_shape(uint32_t) const override { return {96, 128, 62, 1, scene::PageTileFormat::bc1}; }
  Result<void> read_tile(const scene::PageTileKey&, std::span<std::byte> destination) const override {
    // BC1 blocks whose two colours are RGB565 pure green and whose texels all take the first.
    constexpr std::array<uint8_t, 8> green{0xE0, 0x07, 0xE0, 0x07, 0, 0, 0, 0};
    for (size_t offset = 0; offset + green.size() <= destination.size(); offset += green.size()) {
      std::memcpy(destination.data() + offset, green.data(), green.size());
    }
    return {};
  }
};

bool green_at(const ImageRgba8& image, uint32_t x, uint32_t y) {
  const uint8_t* pixel = image.at(x, y);
  return pixel[1] > pixel[0] + 60 && pixel[1] > pixel[2] + 60;
}

// Paper: warm (red over green over blue), neither magenta nor the sky behind the page.
void expect_paper_at(const ImageRgba8& image, const ImageRgba8& sky, uint32_t x, uint32_t y) {
  const uint8_t* pixel = image.at(x, y);
  EXPECT_GT(pixel[0], pixel[1]) << x << ", " << y;
  EXPECT_GT(pixel[1], pixel[2]) << x << ", " << y;
  EXPECT_FALSE(pixel[0] > 200 && pixel[1] < 60 && pixel[2] > 200) << "magenta at " << x << ", " << y;
  EXPECT_GT(std::abs(int{pixel[0]} - int{sky.at(x, y)[0]}) + std::abs(int{pixel[2]} - int{sky.at(x, y)[2]}), 20)
      << "the sky shows through the page at " << x << ", " << y;
}

// The kiosk opens a book without waiting for the frames in flight: load_pages leaves them the
// last book's tables, and the next frame draws the new book from its first frame on, with
// nothing the validation layer objects to (a buffer destroyed or a descriptor set rewritten
// under a pending frame). Loaded again the same way, the first book's first frame is what a
// fresh renderer's first frame of it is.
TEST_F(PageTilesTest, ABookLoadedWhileFramesAreInFlightShowsOnItsFirstFrame) {
  const View spread = testing::spread_view(width, height);
  auto fresh = make_renderer({.shadow_map_size = 256});
  auto target = make_target();
  ASSERT_TRUE(fresh && target);
  const ImageRgba8 fresh_first = render_frame(*fresh, *target, {&spread, 1});
  fresh.reset();

  auto renderer = make_renderer({.shadow_map_size = 256});
  ASSERT_TRUE(renderer);
  ASSERT_LE(frames_to_converge(*renderer, *target, {&spread, 1}, 20), 20u);
  const auto frames_in_flight_then_load = [&](std::shared_ptr<const scene::PageTileSource> source) {
    for (int frame = 0; frame < 3; ++frame) ASSERT_TRUE(renderer->render(*target, {&spread, 1}).ok());
    const auto loaded = renderer->load_pages(std::move(source));
    ASSERT_TRUE(loaded.ok()) << loaded.error().describe();
    renderer->show_page(0, testing::spread_placement(0));
    renderer->show_page(1, testing::spread_placement(1));
  };
  frames_in_flight_then_load(std::make_shared<ThousandGreenPages>());
  const ImageRgba8 green = render_frame(*renderer, *target, {&spread, 1});
  EXPECT_TRUE(green_at(green, 76, 96) && green_at(green, 180, 96)) << "the new book's pages on its first frame";

  frames_in_flight_then_load(source_);
  const ImageRgba8 again = render_frame(*renderer, *target, {&spread, 1});
  EXPECT_EQ(testing::compare_images(again, fresh_first, 2).differing_pixels, 0u);
  EXPECT_EQ(take_validation_report().errors, 0u);
}

// Pages prepared on another thread (as the kiosk's loading thread does) load into the same first
// frame as load_pages gives, and again after another book (a prepared book is not used up);
// prepared for a renderer of another budget they are prepared again as they load. A book the
// budget cannot hold is refused by prepare_pages, and what is loaded stays.
TEST_F(PageTilesTest, PagesPreparedOnAnotherThreadLoadAsLoadPagesDoes) {
  const View spread = testing::spread_view(width, height);
  auto target = make_target();
  auto direct = make_renderer({.shadow_map_size = 256});
  ASSERT_TRUE(direct && target);
  const ImageRgba8 direct_first = render_frame(*direct, *target, {&spread, 1});
  ASSERT_TRUE(direct->wait_idle().ok());
  direct.reset();

  auto renderer = Renderer::create(context(), {.shadow_map_size = 256});
  ASSERT_TRUE(renderer.ok()) << renderer.error().describe();
  const auto preparation = (*renderer)->page_preparation();
  ASSERT_TRUE(preparation.ok()) << preparation.error().describe();
  std::optional<Result<std::shared_ptr<const PreparedPages>>> prepared;
  std::thread([&] { prepared.emplace(Renderer::prepare_pages(*preparation, source_)); }).join();
  ASSERT_TRUE(prepared->ok()) << prepared->error().describe();
  const std::shared_ptr<const PreparedPages> book = prepared->value();
  const auto show_spread = [&](Renderer& on) {
    for (uint32_t page = 0; page < 2; ++page) on.show_page(page, testing::spread_placement(page));
  };
  ASSERT_TRUE((*renderer)->load_prepared_pages(book).ok());
  show_spread(**renderer);
  EXPECT_EQ(testing::compare_images(render_frame(**renderer, *target, {&spread, 1}), direct_first, 2).differing_pixels, 0u);

  ASSERT_TRUE((*renderer)->load_pages(std::make_shared<ThousandGreenPages>()).ok());
  ASSERT_TRUE((*renderer)->load_prepared_pages(book).ok());
  show_spread(**renderer);
  EXPECT_EQ(testing::compare_images(render_frame(**renderer, *target, {&spread, 1}), direct_first, 2).differing_pixels, 0u);
  ASSERT_TRUE((*renderer)->wait_idle().ok());

  // Another budget, another preparation: prepared again on load, the same first frame.
  auto smaller = Renderer::create(context(), {.shadow_map_size = 256, .page_texture_bytes = 16 << 20});
  ASSERT_TRUE(smaller.ok()) << smaller.error().describe();
  ASSERT_NE(*(*smaller)->page_preparation(), *preparation);
  ASSERT_TRUE((*smaller)->load_prepared_pages(book).ok());
  show_spread(**smaller);
  EXPECT_EQ(testing::compare_images(render_frame(**smaller, *target, {&spread, 1}), direct_first, 2).differing_pixels, 0u);

  const auto too_many = Renderer::prepare_pages(PagePreparation{preparation->slot_count, 1024, preparation->bc1_atlas, 1, 1},
                                                std::make_shared<ThousandGreenPages>());
  ASSERT_FALSE(too_many.ok());
  EXPECT_NE(too_many.error().describe().find("page_texture_bytes"), std::string::npos) << too_many.error().describe();
  EXPECT_GT((*smaller)->page_tile_stats().pinned_tiles, 0u) << "what was loaded stays";
  ASSERT_TRUE((*smaller)->wait_idle().ok());
  EXPECT_EQ(take_validation_report().errors, 0u);
}

// A thousand-page book loads at the default budget, pinning one coarsest tile a page for the
// first quarter-atlas of pages (a frame's worth at load, the rest by the workers). A jump to page
// 900, beyond the pins, shows paper on its first frame and its picture within three; the pages
// beside it are asked for too, so turning to one of them shows it on its first frame. The pinned
// window then follows the opening: once its pins have landed, turning on page by page and a jump
// to page 700 (never shown, nor beside a shown page) show their pictures on their first frame.
TEST_F(PageTilesTest, AThousandPageBookOpensAndAJumpShowsPaperThenThePage) {
  auto renderer = make_renderer({.shadow_map_size = 256}, 0);
  auto target = make_target();
  ASSERT_TRUE(renderer && target);
  const View spread = testing::spread_view(width, height);
  const ImageRgba8 sky = render_frame(*renderer, *target, {&spread, 1});
  const RendererConfig defaults;
  const auto loaded = renderer->load_pages(std::make_shared<ThousandGreenPages>());
  ASSERT_TRUE(loaded.ok()) << loaded.error().describe();
  PageTileStats stats = renderer->page_tile_stats();
  const uint32_t pin_share = stats.slots / 4;
  EXPECT_EQ(stats.pinned_tiles, defaults.page_uploads_per_frame) << "a frame's worth of pins read by load_pages";
  EXPECT_EQ(stats.budget_bytes, defaults.page_texture_bytes);
  EXPECT_LE(stats.gpu_bytes, stats.budget_bytes);

  // The book's first page, pinned at load, shows its picture on the first frame.
  renderer->show_page(0, testing::spread_placement(1));
  EXPECT_TRUE(green_at(render_frame(*renderer, *target, {&spread, 1}), 180, 96));
  // The frames bring in the other pins, a quarter of the atlas, and no more.
  for (int frame = 0; frame < 40 && renderer->page_tile_stats().pinned_tiles < pin_share; ++frame) {
    ASSERT_TRUE(renderer->render(*target, {&spread, 1}).ok());
    renderer->wait_for_page_reads();
  }
  EXPECT_EQ(renderer->page_tile_stats().pinned_tiles, pin_share);
  renderer->hide_page(0);

  // The opening of pages 899 and 900: paper, then the pages.
  renderer->show_page(899, testing::spread_placement(0));
  renderer->show_page(900, testing::spread_placement(1));
  const ImageRgba8 first = render_frame(*renderer, *target, {&spread, 1});
  for (const uint32_t x : {76u, 180u}) expect_paper_at(first, sky, x, 96);
  uint32_t frames = 1;
  ImageRgba8 image = first;
  while (frames < 3 && !(green_at(image, 76, 96) && green_at(image, 180, 96))) {
    renderer->wait_for_page_reads();
    image = render_frame(*renderer, *target, {&spread, 1});
    ++frames;
    for (const uint32_t x : {76u, 180u}) {
      if (!green_at(image, x, 96)) expect_paper_at(image, sky, x, 96);
    }
  }
  EXPECT_TRUE(green_at(image, 76, 96) && green_at(image, 180, 96)) << "the pages within " << frames << " frames";
  stats = renderer->page_tile_stats();
  EXPECT_LE(stats.gpu_bytes, stats.budget_bytes);
  EXPECT_LE(stats.resident_tiles, stats.slots);
  EXPECT_LE(stats.pinned_tiles, pin_share) << "never more pins than a quarter of the atlas";
  EXPECT_EQ(stats.pin_window_pages, pin_share);
  EXPECT_LE(stats.pin_window_first, 899u) << "the pins followed the opening";
  EXPECT_GT(stats.pin_window_first + stats.pin_window_pages, 900u);
  EXPECT_EQ(stats.read_failures, 0u);

  // Two openings on, page 904 was asked for beside the shown ones: its picture on its first frame.
  renderer->wait_for_page_reads();
  ASSERT_TRUE(renderer->render(*target, {&spread, 1}).ok());
  renderer->hide_page(899);
  renderer->show_page(904, testing::spread_placement(1));
  EXPECT_TRUE(green_at(render_frame(*renderer, *target, {&spread, 1}), 180, 96));

  // The window's pins land over the next frames, the nearest pages first, and no more of them
  // than a quarter of the atlas.
  for (int frame = 0; frame < 40 && renderer->page_tile_stats().pinned_tiles < pin_share; ++frame) {
    ASSERT_TRUE(renderer->render(*target, {&spread, 1}).ok());
    renderer->wait_for_page_reads();
  }
  stats = renderer->page_tile_stats();
  EXPECT_EQ(stats.pinned_tiles, pin_share);
  // Turning on opening by opening, and jumping back to 700, without waiting for the workers:
  // every page's picture on its first frame.
  renderer->hide_page(900);
  renderer->hide_page(904);
  for (uint32_t left = 905; left < 925; left += 2) {
    renderer->show_page(left, testing::spread_placement(0));
    renderer->show_page(left + 1, testing::spread_placement(1));
    const ImageRgba8 turned = render_frame(*renderer, *target, {&spread, 1});
    EXPECT_TRUE(green_at(turned, 76, 96) && green_at(turned, 180, 96)) << "pages " << left << " and " << left + 1;
    renderer->hide_page(left);
    renderer->hide_page(left + 1);
  }
  renderer->show_page(700, testing::spread_placement(0));
  renderer->show_page(701, testing::spread_placement(1));
  const ImageRgba8 jumped = render_frame(*renderer, *target, {&spread, 1});
  EXPECT_TRUE(green_at(jumped, 76, 96) && green_at(jumped, 180, 96)) << "pages 700 and 701, pinned before they were shown";
  stats = renderer->page_tile_stats();
  EXPECT_LE(stats.pinned_tiles, pin_share);
  EXPECT_LE(stats.pin_window_first, 700u);
  EXPECT_GT(stats.pin_window_first + stats.pin_window_pages, 701u);
  EXPECT_EQ(stats.read_failures, 0u);
}

}  // namespace
}  // namespace pavilion::render

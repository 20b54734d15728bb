// Foldouts opening out (kiosk/src/exhibits/book/book_foldout.h; #17 item 4): how a foldout folds
// onto its page in both reading directions and which part of the scan each panel shows, how its
// panels lie folded, opening and open (swinging out from beneath, never showing a back), the view
// widening to keep it all in sight; and drawn by the renderer (Renderer::show_foldout) on
// lavapipe with the validation layer on: folded it shows only its first panel, mid-opening the
// second swings out tilted, open all three lie side by side (golden book_foldout: opening, open);
// its commentary and seals on its panels as they come out, under their switches.
#include "exhibits/book/book_foldout.h"
#include "exhibits/book/book_layers.h"
#include "exhibits/book/book_zoom.h"
#include "exhibits/exhibit_player.h"
#include "exhibits/book/turning_leaf.h"
#include "foldout_pages.h"
#include "touch/controls.h"
#include "golden.h"
#include "gpu_test.h"
#include "marked_pages.h"

#include "pavilion/core/png.h"
#include "pavilion/procedural/primitives.h"
#include "pavilion/render/offscreen_target.h"
#include "pavilion/render/renderer.h"
#include "pavilion/render/view.h"

#include <glm/geometric.hpp>
#include <glm/gtc/matrix_transform.hpp>
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <numbers>
#include <optional>
#include <vector>

namespace pavilion::kiosk {
namespace {

constexpr float pi = std::numbers::pi_v<float>;

void expect_crop(const render::PageCrop& crop, float from, float to) {
  EXPECT_NEAR(crop.min.x, from, 1e-5f);
  EXPECT_NEAR(crop.max.x, to, 1e-5f);
  EXPECT_EQ(crop.min.y, 0.0f);
  EXPECT_EQ(crop.max.y, 1.0f);
}

// Two and a half pages wide: panels as wide as the page from the bound edge, the last what is
// left; read left to right the bound edge is the picture's left, read right to left its right.
TEST(BookFoldout, FoldsIntoPageWidePanelsFromItsBoundEdge) {
  const FoldoutFolding rightwards = fold_foldout(0.5f, 0.2f, false);
  ASSERT_EQ(rightwards.count, 3u);
  EXPECT_TRUE(rightwards.opens());
  EXPECT_NEAR(rightwards.panels[0].width, 0.2f, 1e-6f);
  EXPECT_NEAR(rightwards.panels[1].width, 0.2f, 1e-6f);
  EXPECT_NEAR(rightwards.panels[2].width, 0.1f, 1e-6f);
  expect_crop(rightwards.panels[0].crop, 0.0f, 0.4f);
  expect_crop(rightwards.panels[1].crop, 0.4f, 0.8f);
  expect_crop(rightwards.panels[2].crop, 0.8f, 1.0f);

  const FoldoutFolding leftwards = fold_foldout(0.5f, 0.2f, true);
  ASSERT_EQ(leftwards.count, 3u);
  expect_crop(leftwards.panels[0].crop, 0.6f, 1.0f);
  expect_crop(leftwards.panels[1].crop, 0.2f, 0.6f);
  expect_crop(leftwards.panels[2].crop, 0.0f, 0.2f);
  EXPECT_NEAR(leftwards.panels[2].width, 0.1f, 1e-6f);

  // Exactly two pages (give or take a float) is two panels; no wider than the page is none to open.
  EXPECT_EQ(fold_foldout(0.2f * 2.0f + 1e-6f, 0.2f, false).count, 2u);
  EXPECT_FALSE(fold_foldout(0.19f, 0.2f, false).opens());
  // Wider than the most panels: that many equal panels, each wider than the page.
  const FoldoutFolding long_map = fold_foldout(4.0f, 0.2f, false);
  ASSERT_EQ(long_map.count, render::max_foldout_panels);
  EXPECT_NEAR(long_map.panels[render::max_foldout_panels - 1].width, 0.5f, 1e-5f);
  expect_crop(long_map.panels[render::max_foldout_panels - 1].crop, 1.0f - 1.0f / render::max_foldout_panels, 1.0f);
}

TEST(BookFoldout, CreasesOpenOneAfterAnother) {
  EXPECT_EQ(crease_openness(0, 2, 0.0f), 0.0f);
  EXPECT_EQ(crease_openness(0, 2, 0.5f), 1.0f);
  EXPECT_EQ(crease_openness(1, 2, 0.5f), 0.0f);
  EXPECT_NEAR(crease_openness(1, 2, 0.75f), 0.5f, 1e-6f);
  EXPECT_EQ(crease_openness(1, 2, 1.0f), 1.0f);
}

// Folded, every panel lies on the page (within [0, P] of the spine), the first on top and flat,
// the second turned over beneath it; open, all lie flat side by side out to the foldout's width;
// halfway through the first crease the second panel hangs straight down from the page's edge. Read
// right to left it is the mirror image. At any moment a panel out beyond the page faces the visitor.
TEST(BookFoldout, PanelsLieFoldedOpeningAndOpenInBothDirections) {
  constexpr float page = 0.2f;
  constexpr float height = 0.3f;
  constexpr float lift = 0.001f;
  constexpr float thickness = 0.0005f;
  for (const bool leftwards : {false, true}) {
    SCOPED_TRACE(leftwards ? "right to left" : "left to right");
    const float side = leftwards ? -1.0f : 1.0f;
    const FoldoutFolding folding = fold_foldout(0.5f, page, leftwards);
    std::array<FoldoutPanelPose, render::max_foldout_panels> poses;

    EXPECT_NEAR(lay_foldout(folding, 0.0f, leftwards, height, lift, thickness, poses), page, 1e-5f);
    EXPECT_NEAR(poses[0].centre.x, side * 0.1f, 1e-5f);
    EXPECT_NEAR(poses[0].centre.z, lift, 1e-6f);
    EXPECT_NEAR(poses[0].turn, 0.0f, 1e-6f);
    EXPECT_NEAR(std::abs(poses[1].turn), pi, 1e-5f);
    for (uint32_t panel = 0; panel < folding.count; ++panel) {
      EXPECT_LE(side * poses[panel].centre.x, page) << "panel " << panel << " lies on the page";
      EXPECT_GE(side * poses[panel].centre.x, 0.0f);
      EXPECT_NEAR(poses[panel].centre.y, 0.5f * height, 1e-6f);
      if (panel > 0) {
        EXPECT_LT(poses[panel].centre.z, poses[0].centre.z) << "beneath the first";
      }
    }

    // A quarter of the way: the first crease half open, the second panel hanging down.
    lay_foldout(folding, 0.25f, leftwards, height, lift, thickness, poses);
    EXPECT_NEAR(poses[1].centre.x, side * page, 1e-5f);
    EXPECT_NEAR(poses[1].centre.z, lift - 0.1f - thickness, 1e-5f);
    EXPECT_NEAR(std::abs(poses[1].turn), 0.5f * pi, 1e-5f);

    // Halfway: the second panel flat beyond the page, the third still folded beneath it.
    EXPECT_NEAR(lay_foldout(folding, 0.5f, leftwards, height, lift, thickness, poses), 2 * page, 1e-5f);
    EXPECT_NEAR(poses[1].centre.x, side * 0.3f, 1e-5f);
    EXPECT_NEAR(std::cos(poses[1].turn), 1.0f, 1e-5f);
    EXPECT_NEAR(std::cos(poses[2].turn), -1.0f, 1e-5f);

    EXPECT_NEAR(lay_foldout(folding, 1.0f, leftwards, height, lift, thickness, poses), 0.5f, 1e-5f);
    const std::array<float, 3> centres{0.1f, 0.3f, 0.45f};
    for (uint32_t panel = 0; panel < folding.count; ++panel) {
      EXPECT_NEAR(poses[panel].centre.x, side * centres[panel], 1e-5f) << "panel " << panel;
      EXPECT_NEAR(std::cos(poses[panel].turn), 1.0f, 1e-5f);
    }

    // A panel facing away from the visitor (its front, +z turned by its turn about y, facing into
    // the page) lies behind the panel before it and within its outline, so it is never seen.
    const auto normal = [](const FoldoutPanelPose& pose) { return glm::vec3(std::sin(pose.turn), 0.0f, std::cos(pose.turn)); };
    const auto across = [&](uint32_t panel) {
      const float half = 0.5f * folding.panels[panel].width * std::abs(std::cos(poses[panel].turn));
      return glm::vec2(poses[panel].centre.x - half, poses[panel].centre.x + half);
    };
    for (float openness = 0.0f; openness <= 1.0f; openness += 1.0f / 64.0f) {
      lay_foldout(folding, openness, leftwards, height, lift, thickness, poses);
      for (uint32_t panel = 1; panel < folding.count; ++panel) {
        if (normal(poses[panel]).z >= -1e-4f) continue;
        EXPECT_LT(glm::dot(poses[panel].centre - poses[panel - 1].centre, normal(poses[panel - 1])), 0.0f)
            << "panel " << panel << " at " << openness << " behind the one before";
        EXPECT_GE(across(panel).x, across(panel - 1).x - 1e-4f) << "panel " << panel << " at " << openness;
        EXPECT_LE(across(panel).y, across(panel - 1).y + 1e-4f) << "panel " << panel << " at " << openness;
      }
    }
  }
}

// The opening [−P, P] with a foldout reaching 3P on the right is drawn half as large about its
// centre: the foldout's far edge lands where the right page's edge was, the left page's edge
// stays put. Read right to left, the mirror.
TEST(BookFoldout, TheViewWidensToHoldTheOpenFoldout) {
  const FoldoutFit right = fit_foldout(-0.2f, 0.2f, 0.3f, 0.6f, false);
  EXPECT_NEAR(right.scale, 0.5f, 1e-6f);
  EXPECT_NEAR(right.at({0.6f, 0.15f}).x, 0.2f, 1e-6f);
  EXPECT_NEAR(right.at({-0.2f, 0.15f}).x, -0.2f, 1e-6f);
  EXPECT_NEAR(right.at({0.0f, 0.3f}).y, 0.225f, 1e-6f);
  const FoldoutFit left = fit_foldout(-0.2f, 0.2f, 0.3f, 0.6f, true);
  EXPECT_NEAR(left.at({-0.6f, 0.15f}).x, -0.2f, 1e-6f);
  EXPECT_NEAR(left.at({0.2f, 0.15f}).x, 0.2f, 1e-6f);
  // Folded, nothing changes.
  const FoldoutFit folded = fit_foldout(-0.2f, 0.2f, 0.3f, 0.2f, false);
  EXPECT_EQ(folded.scale, 1.0f);
  EXPECT_NEAR(folded.at({0.2f, 0.1f}).x, 0.2f, 1e-6f);
}

// The player's foldout: bound at the second opening of the test book (foldout_pages.h), opened over
// 0.6 s, folded first when a turn is asked for, which then waits until it lies folded.
TEST(BookFoldout, OpensOverItsTimeAndFoldsBeforeATurn) {
  const scene::Book book = testing::foldout_book();
  const book::Openings openings = book.openings();
  BookFoldout foldout;
  foldout.follow(book, openings, 0, 0.3f);
  EXPECT_FALSE(foldout.present()) << "not bound at the first opening";
  foldout.follow(book, openings, 1, 0.3f);
  ASSERT_TRUE(foldout.present());
  EXPECT_TRUE(foldout.folded());
  foldout.open();
  int frames = 0;
  while (foldout.advance(1.0 / 60.0, false)) ++frames;
  EXPECT_NEAR(frames, 36, 1) << "0.6 s at 60 frames a second";
  EXPECT_EQ(foldout.openness(), 1.0f);
  EXPECT_LT(foldout.fit(book, openings.sequence[1]).scale, 0.7f);
  foldout.fold(+1);
  EXPECT_EQ(foldout.take_turn(), 0) << "not yet folded";
  while (foldout.advance(1.0 / 60.0, false)) {}
  EXPECT_TRUE(foldout.folded());
  EXPECT_EQ(foldout.take_turn(), +1);
  EXPECT_EQ(foldout.take_turn(), 0);
  foldout.follow(book, openings, 1, 0.3f);
  EXPECT_TRUE(foldout.present()) << "the same opening again keeps it";
}

// A hanging book's foldout, as wide as its page and two and a half pages high, folds along its
// height into page-high panels, bands of the picture from the edge bound at the spine: its top in
// a top-to-bottom book, its bottom in a bottom-to-top one; the leaf carrying it shows the first band.
TEST(BookFoldout, AHangingBooksFoldsIntoPageHighBands) {
  for (const auto direction : {book::ViewingDirection::top_to_bottom, book::ViewingDirection::bottom_to_top}) {
    const bool upwards = direction == book::ViewingDirection::bottom_to_top;
    SCOPED_TRACE(upwards ? "bottom to top" : "top to bottom");
    const scene::Book book = testing::foldout_book(direction);
    const book::Openings openings = book.openings();
    const std::optional<FoldedFoldout> folded = foldout_at(book, openings, 1, 0.3f);
    ASSERT_TRUE(folded.has_value());
    EXPECT_EQ(folded->under.page, 3u);
    EXPECT_NEAR(folded->along_spine, 0.3f * testing::plain_page_width / testing::book_page_height, 1e-5f);
    ASSERT_EQ(folded->folding.count, 3u);
    EXPECT_NEAR(folded->folding.panels[0].width, 0.3f, 1e-5f) << "a page high";
    EXPECT_NEAR(folded->folding.panels[2].width, 0.15f, 1e-5f);
    const render::PageCrop& first = folded->folding.panels[0].crop;
    EXPECT_EQ(first.min.x, 0.0f);
    EXPECT_EQ(first.max.x, 1.0f);
    EXPECT_NEAR(first.min.y, upwards ? 0.6f : 0.0f, 1e-5f);
    EXPECT_NEAR(first.max.y, upwards ? 1.0f : 0.4f, 1e-5f);
    render::TurningLeaf leaf;
    carry_folded_foldout(book, openings, 1, +1, leaf);
    EXPECT_EQ(leaf.front.page, testing::foldout_page);
    EXPECT_NEAR(leaf.front.crop.min.y, first.min.y, 1e-6f);
  }
}

// A facing-pages spread fills its opening with one picture, so a foldout bound after it lies on
// the next opening of leaves: with page 1 a spread the test book reads [_ | 0] (1) [3 | 4] [5 | _],
// and its foldout lies folded on page 4, not on the spread.
TEST(BookFoldout, AFoldoutAfterASpreadLiesOnTheNextLeaves) {
  scene::Book book = testing::foldout_book();
  book.pages[1].behavior = book::PageBehavior::facing_pages;
  const book::Openings openings = book.openings();
  ASSERT_EQ(openings.sequence.size(), 4u);
  EXPECT_EQ(openings.sequence[1].kind, book::Opening::Kind::single);
  BookFoldout foldout;
  foldout.follow(book, openings, 1, 0.3f);
  EXPECT_FALSE(foldout.present()) << "nothing lies on the spread";
  foldout.follow(book, openings, 2, 0.3f);
  EXPECT_TRUE(foldout.present());
  const std::optional<FoldedFoldout> folded = foldout_at(book, openings, 2, 0.3f);
  ASSERT_TRUE(folded.has_value());
  EXPECT_EQ(folded->under.page, 4u);
  EXPECT_EQ(openings.opening_for_page(testing::foldout_page), size_t{2}) << "the contents and the strip go there too";
}

// While a leaf turns, the foldout lying in view is that of the opening whose page ahead lies there
// meanwhile; the test book's foldout, on page 3 of the second opening [1 | 3], is carried on the
// leaf whose front is page 3 (turning forward from it, or back to it) and lies in place while the
// other side's leaf turns back.
TEST(BookFoldout, ALeafTurningItsPageCarriesItFolded) {
  const scene::Book book = testing::foldout_book();
  const book::Openings openings = book.openings();
  ASSERT_EQ(openings.sequence.size(), 3u);
  EXPECT_EQ(foldout_lying_at(openings, 1, 0), 1u);
  EXPECT_EQ(foldout_lying_at(openings, 1, +1), 2u) << "page 3 lifts: the next opening's page lies beneath";
  EXPECT_EQ(foldout_lying_at(openings, 1, -1), 1u) << "page 1 lifts: page 3 and its foldout stay";
  EXPECT_EQ(foldout_lying_at(openings, 0, +1), 1u) << "beneath the leaf turning onto it";
  EXPECT_EQ(foldout_lying_at(openings, 2, -1), 2u);

  const auto front_of = [&](size_t opening, int step) {
    render::TurningLeaf leaf;
    leaf.front.page = 99;
    carry_folded_foldout(book, openings, opening, step, leaf);
    return leaf.front;
  };
  for (const auto& [opening, step] : {std::pair{size_t{1}, +1}, std::pair{size_t{2}, -1}}) {
    const render::LeafFace front = front_of(opening, step);
    EXPECT_EQ(front.page, testing::foldout_page) << opening << " turning " << step;
    EXPECT_NEAR(front.crop.min.x, 0.0f, 1e-5f);
    EXPECT_NEAR(front.crop.max.x, 0.4f, 1e-5f) << "its first panel";
  }
  EXPECT_EQ(front_of(1, -1).page, 99u) << "the leaf turning back is page 1's";
  EXPECT_EQ(front_of(0, +1).page, 99u);
}

}  // namespace
}  // namespace pavilion::kiosk

namespace pavilion::testing {
namespace {

constexpr uint32_t width = 160;
constexpr uint32_t height = 96;

// Whether a pixel shows a mark: shows_mark's hue, and brighter than the pages' dark frame, whose
// brown shading passes for amber's.
bool marked(const uint8_t* rgba, glm::u8vec3 colour) {
  return std::max({rgba[0], rgba[1], rgba[2]}) >= 80 && shows_mark(rgba, colour);
}

uint32_t count_mark(const ImageRgba8& image, glm::u8vec3 colour, uint32_t from_x = 0, uint32_t to_x = UINT32_MAX) {
  uint32_t count = 0;
  for (uint32_t y = 0; y < image.height; ++y) {
    for (uint32_t x = from_x; x < std::min(to_x, image.width); ++x) count += marked(&image.pixels[(size_t{y} * image.width + x) * 4], colour) ? 1 : 0;
  }
  return count;
}

// The mean column of a mark's pixels.
float mark_column(const ImageRgba8& image, glm::u8vec3 colour) {
  double sum = 0;
  uint32_t count = 0;
  for (uint32_t y = 0; y < image.height; ++y) {
    for (uint32_t x = 0; x < image.width; ++x) {
      if (!marked(&image.pixels[(size_t{y} * image.width + x) * 4], colour)) continue;
      sum += x;
      ++count;
    }
  }
  return count == 0 ? -1.0f : static_cast<float>(sum / count);
}

// The layers' colours in the frames below: each its own hue, none a page's or a panel's mark.
constexpr glm::u8vec3 seal_mark{0, 255, 255};
constexpr glm::u8vec3 commentary_mark{255, 255, 0};
constexpr uint32_t layer_rgba(glm::u8vec3 colour) { return colour.x | (colour.y << 8) | (colour.z << 16) | (255u << 24); }
constexpr kiosk::LayerColors marked_layers{layer_rgba(commentary_mark), layer_rgba(commentary_mark), 0xff000000u,
                                           layer_rgba(seal_mark),       layer_rgba(seal_mark),       0xff000000u,
                                           0xff000000u};

// The test book with a seal on the foldout's far (third, amber) panel, a commentary on its
// second (blue) one and a seal on page 3, which the foldout lies on.
scene::Book annotated_foldout_book() {
  scene::Book book = foldout_book();
  book.pages[foldout_page].annotations = {
      {"tagging", "far", "en", "text/plain", scene::PageRegion{400, 80, 64, 96}},
      {"commenting", "note", "en", "text/plain", scene::PageRegion{230, 90, 110, 70}},
  };
  book.pages[3].annotations = {{"tagging", "under", "en", "text/plain", scene::PageRegion{40, 80, 110, 96}}};
  return book;
}

class FoldoutRender : public GpuTest {
 protected:
  // The second opening upright before the eye, its foldout opened `openness` (the player's own
  // BookFoldout and BookZoom laying it out and fitting the view), drawn until its tiles are in;
  // with `layers` switched on over its pages and the foldout's panels (BookOverlay, through
  // BookFoldout::with_panels) when given, in marked_layers' colours; `scale` times the golden's size.
  ImageRgba8 render_opening(float openness, std::optional<kiosk::LayerSwitches> layers = {}, uint32_t scale = 1) {
    auto renderer = render::Renderer::create(context(), {.shadow_map_size = 256, .msaa_samples = 1});
    EXPECT_TRUE(renderer.ok()) << renderer.error().describe();
    EXPECT_TRUE((*renderer)->load_scene(scene::RenderScene{}).ok());
    EXPECT_TRUE((*renderer)->load_pages(std::make_shared<FoldoutBookPages>()).ok());
    const scene::Book book = annotated_foldout_book();
    const book::Openings openings = book.openings();
    constexpr float page_height = 0.3f;
    kiosk::BookFoldout foldout;
    foldout.follow(book, openings, 1, page_height);
    foldout.open();
    // 0.6 s is openness 1.
    foldout.advance(openness * kiosk::BookFoldout::unfolding_seconds, false);
    const kiosk::FoldoutFit fit = foldout.fit(book, openings.sequence[1]);
    kiosk::BookZoom zoom;
    zoom.begin_layout();
    const glm::mat4 book_to_world(1.0f);
    foldout.show(**renderer, zoom, fit, book_to_world);
    // The opening's pages as the player lays them: each from the spine outwards, fitted.
    const float page_width = page_height * plain_page_width / book_page_height;
    std::vector<kiosk::ShownPage> shown;
    for (const auto& [page, side] : {std::pair{1u, -1.0f}, std::pair{3u, 1.0f}}) {
      const render::PagePlacement placement =
          zoom.place(book_to_world, fit.at({side * 0.5f * page_width, 0.5f * page_height}), fit.scale * glm::vec2(page_width, page_height),
                     book_page_height / (page_height * fit.scale));
      (*renderer)->show_page(page, placement);
      shown.push_back({page, placement});
    }
    kiosk::BookOverlay overlay;
    std::span<const render::WorldOverlay> world;
    if (layers) {
      ImageRgba8 white(1, 1);
      std::fill(white.pixels.begin(), white.pixels.end(), uint8_t{255});
      const auto texture = (*renderer)->add_overlay_texture(white);
      EXPECT_TRUE(texture.ok());
      world = overlay.build(book, foldout.with_panels(shown), *layers, std::nullopt, marked_layers, *texture, nullptr);
    }
    // From before the opening and a little to the right, so the tilt shows.
    const render::View view = render::look_at_view(
        {0.12f, 0.22f, 0.55f}, {0.0f, 0.15f, 0.0f},
        render::symmetric_field_of_view(glm::radians(50.0f), static_cast<float>(width) / height));
    auto target = render::OffscreenTarget::create(context(), {width * scale, height * scale});
    EXPECT_TRUE(target.ok());
    for (int frame = 0; frame < 8 && !(*renderer)->page_tile_stats().converged(); ++frame) {
      EXPECT_TRUE((*renderer)->render(**target, {&view, 1}).ok());
      (*renderer)->wait_for_page_reads();
    }
    EXPECT_TRUE((*renderer)->render(**target, {&view, 1}, nullptr, world).ok());
    EXPECT_TRUE((*renderer)->wait_idle().ok());
    return (*target)->read_pixels(0);
  }
};

// Folded: the first panel covers the right page (none of its violet shows) and no other panel
// shows. Three tenths of the way open: the second panel swings out past the page's edge, tilted, the
// third still hidden behind it. Open: the three panels side by side from the spine, left to right,
// and the whole of it within the frame, the left page too (the view widened).
TEST_F(FoldoutRender, FoldedOpeningAndOpen) {
  const ImageRgba8 folded = render_opening(0.0f);
  EXPECT_GT(count_mark(folded, first_panel_mark), 200u);
  EXPECT_GT(count_mark(folded, left_page_mark), 200u);
  EXPECT_EQ(count_mark(folded, right_page_mark), 0u) << "the foldout lies over its page";
  EXPECT_EQ(count_mark(folded, second_panel_mark), 0u);
  EXPECT_EQ(count_mark(folded, third_panel_mark), 0u);

  const ImageRgba8 opening = render_opening(0.3f);
  EXPECT_GT(count_mark(opening, second_panel_mark), 30u) << "the second panel swinging out";
  EXPECT_EQ(count_mark(opening, third_panel_mark), 0u) << "the third, behind the second, shows no back";
  EXPECT_GT(mark_column(opening, second_panel_mark), mark_column(opening, first_panel_mark));

  const ImageRgba8 open = render_opening(1.0f);
  const float first = mark_column(open, first_panel_mark);
  const float second = mark_column(open, second_panel_mark);
  const float third = mark_column(open, third_panel_mark);
  EXPECT_GT(count_mark(open, third_panel_mark), 50u);
  EXPECT_LT(mark_column(open, left_page_mark), first);
  EXPECT_LT(first, second);
  EXPECT_LT(second, third);
  // Nothing of the opening touches the frame's sides: all of it is in view.
  for (const glm::u8vec3 mark : {left_page_mark, first_panel_mark, second_panel_mark, third_panel_mark}) {
    EXPECT_EQ(count_mark(open, mark, 0, 4) + count_mark(open, mark, width - 4, width), 0u);
  }

  ImageRgba8 both(width * 2, height);
  for (uint32_t y = 0; y < height; ++y) {
    std::memcpy(&both.pixels[size_t{y} * width * 2 * 4], &opening.pixels[size_t{y} * width * 4], width * 4);
    std::memcpy(&both.pixels[(size_t{y} * width * 2 + width) * 4], &open.pixels[size_t{y} * width * 4], width * 4);
  }
  EXPECT_TRUE(matches_golden(both, "book_foldout"));
}

class FoldoutTurnRender : public FoldoutRender {
 protected:
  // The second opening with a leaf turning `step` from it for `seconds`, laid and drawn as the
  // book player does: the pages lying (beneath the leaf where it lifted), the foldout lying in view
  // meanwhile (foldout_lying_at) and the leaf, carrying the foldout where it lay on its page.
  ImageRgba8 render_turn(int step, float seconds) {
    auto renderer = render::Renderer::create(context(), {.shadow_map_size = 256, .msaa_samples = 1});
    EXPECT_TRUE(renderer.ok()) << renderer.error().describe();
    EXPECT_TRUE((*renderer)->load_scene(scene::RenderScene{}).ok());
    EXPECT_TRUE((*renderer)->load_pages(std::make_shared<FoldoutBookPages>()).ok());
    const scene::Book book = foldout_book();
    const book::Openings openings = book.openings();
    constexpr float page_height = 0.3f;
    constexpr size_t from = 1;
    book::LeafTurn turn = kiosk::leaf_to_turn(book, openings, from, step, page_height);
    turn.turn_over();
    turn.advance(seconds);
    kiosk::BookFoldout foldout;
    foldout.follow(book, openings, kiosk::foldout_lying_at(openings, from, step), page_height);
    kiosk::BookZoom zoom;
    zoom.begin_layout();
    const glm::mat4 book_to_world(1.0f);
    foldout.show(**renderer, zoom, {}, book_to_world);
    const kiosk::LeafPages turning = kiosk::leaf_pages(openings, from, step);
    const book::Opening& opening = openings.sequence[from];
    for (const kiosk::PageSide side : {kiosk::PageSide::left, kiosk::PageSide::right}) {
      const std::optional<book::PagePart> part =
          turning.lifted == side ? turning.beneath : side == kiosk::PageSide::left ? opening.left : opening.right;
      if (!part) continue;
      const glm::vec2 size(kiosk::page_part_width(book, *part, page_height), page_height);
      render::PagePlacement placement = zoom.place(book_to_world, kiosk::lying_page_centre(book, *part, side, page_height),
                                                   size, book_page_height / page_height);
      placement.crop = kiosk::page_crop(book, *part);
      (*renderer)->show_page(static_cast<uint32_t>(part->page), placement);
    }
    std::array<glm::vec3, 13 * 9> positions;
    std::array<glm::vec3, 13 * 9> normals;
    render::TurningLeaf leaf;
    EXPECT_TRUE(kiosk::shape_turning_leaf(book, turning, turn, book_to_world, 0.001f, 12, 8, positions, normals, leaf));
    kiosk::carry_folded_foldout(book, openings, from, step, leaf);
    (*renderer)->show_turning_leaf(leaf);
    const render::View view = render::look_at_view(
        {0.12f, 0.22f, 0.55f}, {0.0f, 0.15f, 0.0f},
        render::symmetric_field_of_view(glm::radians(50.0f), static_cast<float>(width) / height));
    auto target = render::OffscreenTarget::create(context(), {width * 2, height * 2});
    EXPECT_TRUE(target.ok());
    for (int frame = 0; frame < 8 && !(*renderer)->page_tile_stats().converged(); ++frame) {
      EXPECT_TRUE((*renderer)->render(**target, {&view, 1}).ok());
      (*renderer)->wait_for_page_reads();
    }
    return render_frame(**renderer, **target, {&view, 1});
  }
};

// Mid-turn the foldout stays in sight: turning forward, page 3's leaf stands up from the spine
// with the folded foldout's first panel on it (none of page 3's violet under it shows); turning
// back, page 1's leaf lifts and the foldout lies on page 3 as before.
TEST_F(FoldoutTurnRender, TheFoldoutRidesItsTurningLeaf) {
  const ImageRgba8 forward = render_turn(+1, 0.1f);
  EXPECT_GT(count_mark(forward, first_panel_mark), 100u) << "on the leaf's face";
  EXPECT_EQ(count_mark(forward, right_page_mark), 0u);
  EXPECT_EQ(count_mark(forward, second_panel_mark) + count_mark(forward, third_panel_mark), 0u);
  EXPECT_GT(count_mark(forward, left_page_mark), 100u);

  const ImageRgba8 back = render_turn(-1, 0.1f);
  EXPECT_GT(count_mark(back, first_panel_mark), 400u) << "lying on its page";
  EXPECT_EQ(count_mark(back, right_page_mark), 0u);

  // To look at: forward, back.
  ImageRgba8 both(forward.width * 2, forward.height);
  paste(both, forward, 0);
  paste(both, back, forward.width);
  EXPECT_TRUE(write_png(test_output_path("book_foldout_turning.png"), both).ok());
}

// The mean row of a mark's pixels.
float mark_row(const ImageRgba8& image, glm::u8vec3 colour) {
  double sum = 0;
  uint32_t count = 0;
  for (uint32_t y = 0; y < image.height; ++y) {
    for (uint32_t x = 0; x < image.width; ++x) {
      if (!marked(&image.pixels[(size_t{y} * image.width + x) * 4], colour)) continue;
      sum += y;
      ++count;
    }
  }
  return count == 0 ? -1.0f : static_cast<float>(sum / count);
}

uint32_t count_mark_in_rows(const ImageRgba8& image, glm::u8vec3 colour, uint32_t from_y, uint32_t to_y) {
  uint32_t count = 0;
  for (uint32_t y = from_y; y < to_y; ++y) {
    for (uint32_t x = 0; x < image.width; ++x) count += marked(&image.pixels[(size_t{y} * image.width + x) * 4], colour) ? 1 : 0;
  }
  return count;
}

// A hanging book's second opening: page 1 and page 3 on either side of a spine along the x axis
// (above and below it, top to bottom; below and above, bottom to top), its foldout lying on page 3
// opened `openness`, laid and fitted as the player does, upright before the eye.
class HangingFoldoutRender : public GpuTest {
 protected:
  static constexpr uint32_t frame_width = 96;
  static constexpr uint32_t frame_height = 160;

  ImageRgba8 render_hanging(book::ViewingDirection direction, float openness) {
    auto renderer = render::Renderer::create(context(), {.shadow_map_size = 256, .msaa_samples = 1});
    EXPECT_TRUE(renderer.ok()) << renderer.error().describe();
    EXPECT_TRUE((*renderer)->load_scene(scene::RenderScene{}).ok());
    EXPECT_TRUE((*renderer)->load_pages(std::make_shared<FoldoutBookPages>(true)).ok());
    const scene::Book book = foldout_book(direction);
    const book::Openings openings = book.openings();
    constexpr float page_height = 0.3f;
    kiosk::BookFoldout foldout;
    foldout.follow(book, openings, 1, page_height);
    EXPECT_TRUE(foldout.present());
    foldout.open();
    foldout.advance(openness * kiosk::BookFoldout::unfolding_seconds, false);
    const kiosk::FoldoutFit fit = foldout.fit(book, openings.sequence[1]);
    kiosk::BookZoom zoom;
    zoom.begin_layout();
    const glm::mat4 book_to_world(1.0f);
    foldout.show(**renderer, zoom, fit, book_to_world);
    const book::Opening& opening = openings.sequence[1];
    for (const auto& [part, side] : {std::pair{opening.left, kiosk::PageSide::left}, std::pair{opening.right, kiosk::PageSide::right}}) {
      if (!part) continue;
      const glm::vec2 size(kiosk::page_part_width(book, *part, page_height), page_height);
      const render::PagePlacement placement =
          zoom.place(book_to_world, fit.at(kiosk::lying_page_centre(book, *part, side, page_height)), fit.scale * size,
                     book_page_height / (page_height * fit.scale));
      (*renderer)->show_page(static_cast<uint32_t>(part->page), placement);
    }
    // From before the opening and a little below, so the tilt shows.
    const render::View view = render::look_at_view(
        {0.11f, -0.12f, 0.75f}, {0.11f, 0.0f, 0.0f},
        render::symmetric_field_of_view(glm::radians(50.0f), static_cast<float>(frame_width) / frame_height));
    auto target = render::OffscreenTarget::create(context(), {frame_width, frame_height});
    EXPECT_TRUE(target.ok());
    for (int frame = 0; frame < 8 && !(*renderer)->page_tile_stats().converged(); ++frame) {
      EXPECT_TRUE((*renderer)->render(**target, {&view, 1}).ok());
      (*renderer)->wait_for_page_reads();
    }
    return render_frame(**renderer, **target, {&view, 1});
  }
};

// A top-to-bottom book's foldout lies folded on page 3 below the spine, only its first panel
// showing; part open, its second panel swings down past the page's lower edge; open, its three
// panels hang one below another from the spine, the whole of it in view (golden
// book_foldout_hanging: folded, part open, open, and a bottom-to-top book's open). A bottom-to-top
// book's lies on page 3 above the spine, bound at its lower edge, and unfolds upwards.
TEST_F(HangingFoldoutRender, UnfoldsAlongTheReading) {
  const ImageRgba8 folded = render_hanging(book::ViewingDirection::top_to_bottom, 0.0f);
  EXPECT_GT(count_mark(folded, first_panel_mark), 200u);
  EXPECT_GT(count_mark(folded, left_page_mark), 200u);
  EXPECT_EQ(count_mark(folded, right_page_mark), 0u) << "the foldout lies over its page";
  EXPECT_EQ(count_mark(folded, second_panel_mark) + count_mark(folded, third_panel_mark), 0u);
  EXPECT_LT(mark_row(folded, left_page_mark), mark_row(folded, first_panel_mark)) << "below the spine";

  const ImageRgba8 opening = render_hanging(book::ViewingDirection::top_to_bottom, 0.3f);
  EXPECT_GT(count_mark(opening, second_panel_mark), 30u) << "the second panel swinging down";
  EXPECT_EQ(count_mark(opening, third_panel_mark), 0u);
  EXPECT_GT(mark_row(opening, second_panel_mark), mark_row(opening, first_panel_mark));

  const ImageRgba8 open = render_hanging(book::ViewingDirection::top_to_bottom, 1.0f);
  EXPECT_GT(count_mark(open, third_panel_mark), 50u);
  EXPECT_LT(mark_row(open, left_page_mark), mark_row(open, first_panel_mark));
  EXPECT_LT(mark_row(open, first_panel_mark), mark_row(open, second_panel_mark));
  EXPECT_LT(mark_row(open, second_panel_mark), mark_row(open, third_panel_mark));
  for (const glm::u8vec3 mark : {left_page_mark, first_panel_mark, second_panel_mark, third_panel_mark}) {
    EXPECT_EQ(count_mark_in_rows(open, mark, 0, 3) + count_mark_in_rows(open, mark, frame_height - 3, frame_height), 0u)
        << "all of it in view";
  }

  const ImageRgba8 upwards = render_hanging(book::ViewingDirection::bottom_to_top, 1.0f);
  EXPECT_GT(count_mark(upwards, third_panel_mark), 50u);
  // Bound at its lower edge (its bottom band, amber, at the spine), it stands upright above page 1.
  EXPECT_LT(mark_row(upwards, first_panel_mark), mark_row(upwards, second_panel_mark));
  EXPECT_LT(mark_row(upwards, second_panel_mark), mark_row(upwards, third_panel_mark));
  EXPECT_LT(mark_row(upwards, third_panel_mark), mark_row(upwards, left_page_mark)) << "page 1 below the spine";

  ImageRgba8 strip(frame_width * 4, frame_height);
  paste(strip, folded, 0);
  paste(strip, opening, frame_width);
  paste(strip, open, 2 * frame_width);
  paste(strip, upwards, 3 * frame_width);
  EXPECT_TRUE(matches_golden(strip, "book_foldout_hanging"));
}

// A finger on a top-to-bottom book's folded foldout unfolds it by dragging down, not sideways:
// as far open as the finger moved down, all of it for twice its folded height on the screen.
TEST_F(HangingFoldoutRender, ADragDownwardsUnfoldsIt) {
  auto renderer = render::Renderer::create(context(), {.shadow_map_size = 256, .msaa_samples = 1});
  ASSERT_TRUE(renderer.ok());
  ASSERT_TRUE((*renderer)->load_pages(std::make_shared<FoldoutBookPages>(true)).ok());
  const scene::Book book = foldout_book(book::ViewingDirection::top_to_bottom);
  const book::Openings openings = book.openings();
  kiosk::BookFoldout foldout;
  foldout.follow(book, openings, 1, 0.3f);
  kiosk::BookZoom zoom;
  zoom.begin_layout();
  foldout.show(**renderer, zoom, {}, glm::mat4(1.0f));
  const render::View view = render::look_at_view(
      {0.11f, -0.12f, 0.75f}, {0.11f, 0.0f, 0.0f},
      render::symmetric_field_of_view(glm::radians(50.0f), static_cast<float>(frame_width) / frame_height));
  kiosk::TouchControls touch;
  const glm::vec2 screen(frame_width, frame_height);
  foldout.record_target(touch, zoom, view.projection * view.view, screen);
  ASSERT_EQ(touch.count, 1u);
  const kiosk::Control& target = touch.controls[0];
  const glm::vec2 low(target.min_x, target.min_y), high(target.max_x, target.max_y);
  const glm::vec2 middle = 0.5f * (low + high);
  EXPECT_GT(middle.y, 0.5f * frame_height) << "below the spine";
  const float folded_height = high.y - low.y;
  ASSERT_GT(folded_height, 30.0f);
  ASSERT_TRUE(foldout.under(middle));
  foldout.take(middle);
  foldout.drag(middle + glm::vec2(folded_height, 0.0f));
  EXPECT_EQ(foldout.openness(), 0.0f) << "sideways opens nothing";
  foldout.drag(middle + glm::vec2(0.0f, folded_height));
  EXPECT_NEAR(foldout.openness(), 0.5f, 0.02f);
  foldout.release();
  EXPECT_TRUE(foldout.opening_or_open()) << "let go at halfway it opens the rest of the way";
}

// The layers lie on the foldout's panels as on pages, following each panel's crop and tilt, under
// the pages' switches: folded, the seal on the far panel and the commentary on the second are
// beneath the first panel and nothing of them shows, nor the seal on the page the foldout covers;
// part open, the commentary rides the second panel swinging out while the far seal is still
// folded away; open, the seal lies on the far panel and the commentary on the second, and each
// goes with its switch.
TEST_F(FoldoutRender, CommentaryAndSealsLieOnThePanels) {
  const kiosk::LayerSwitches both{true, true};
  const ImageRgba8 folded = render_opening(0.0f, both, 3);
  EXPECT_GT(count_mark(folded, first_panel_mark), 200u);
  EXPECT_EQ(count_mark(folded, seal_mark), 0u) << "the far panel's seal and the covered page's lie under the first panel";
  EXPECT_EQ(count_mark(folded, commentary_mark), 0u);

  const ImageRgba8 opening = render_opening(0.3f, both, 3);
  EXPECT_GT(count_mark(opening, commentary_mark), 10u) << "the commentary swings out with the second panel";
  EXPECT_EQ(count_mark(opening, seal_mark), 0u) << "the far panel is still folded";

  const ImageRgba8 open = render_opening(1.0f, both, 3);
  EXPECT_GT(count_mark(open, seal_mark), 10u);
  EXPECT_GT(count_mark(open, commentary_mark), 50u);
  EXPECT_NEAR(mark_column(open, seal_mark), mark_column(open, third_panel_mark), 15.0f) << "on the far panel";
  EXPECT_NEAR(mark_column(open, commentary_mark), mark_column(open, second_panel_mark), 15.0f) << "on the second panel";

  const ImageRgba8 seals_off = render_opening(1.0f, kiosk::LayerSwitches{true, false}, 3);
  EXPECT_EQ(count_mark(seals_off, seal_mark), 0u);
  EXPECT_GT(count_mark(seals_off, commentary_mark), 50u);
  const ImageRgba8 commentary_off = render_opening(1.0f, kiosk::LayerSwitches{false, true}, 3);
  EXPECT_EQ(count_mark(commentary_off, commentary_mark), 0u);
  EXPECT_GT(count_mark(commentary_off, seal_mark), 10u);

  // To look at: folded, part open, open.
  ImageRgba8 all(folded.width * 3, folded.height);
  paste(all, folded, 0);
  paste(all, opening, folded.width);
  paste(all, open, 2 * folded.width);
  EXPECT_TRUE(write_png(test_output_path("book_foldout_layers.png"), all).ok());
}

// A zoomed opening is seen from the camera come nearer (kiosk/src/exhibits/book/book_zoom.h,
// ExhibitPlayer::camera_closer), not from where it stood over pages drawn larger in their plane: a
// blue plate standing beside the opening, 25 cm in front of its pages, is seen beside them from
// where the camera stands, and zoomed four times about the right page's middle the page fills the
// view, that middle where it was on the screen, with nothing of the plate over it (pages drawn four times larger about that point from the
// camera that stood still would lie behind the plate's right part of the screen). The page's
// tiles are as fine as the nearer camera needs.
TEST_F(FoldoutRender, AZoomedOpeningIsSeenFromTheCameraComeNearerSoNothingBesideItCoversIt) {
  auto renderer = render::Renderer::create(context(), {.shadow_map_size = 256, .msaa_samples = 1});
  ASSERT_TRUE(renderer.ok()) << renderer.error().describe();
  scene::RenderScene room;
  room.meshes.push_back(procedural::make_plane(0.1f));
  scene::MaterialData blue;
  blue.base_color_factor = glm::vec4(0.0f, 0.0f, 0.0f, 1.0f);
  blue.emissive_factor = glm::vec3(0.0f, 0.0f, 3.0f);
  blue.double_sided = true;
  room.materials.push_back(blue);
  // make_plane lies flat: stood up facing the camera, right of the opening and in front of it.
  room.instances.push_back({glm::rotate(glm::translate(glm::mat4(1.0f), glm::vec3(0.2f, 0.15f, 0.25f)), glm::radians(90.0f),
                                        glm::vec3(1.0f, 0.0f, 0.0f)),
                            0, 0});
  ASSERT_TRUE((*renderer)->load_scene(room).ok());
  ASSERT_TRUE((*renderer)->load_pages(std::make_shared<FoldoutBookPages>()).ok());
  constexpr float page_height = 0.3f;
  const float page_width = page_height * plain_page_width / book_page_height;
  kiosk::BookZoom zoom;
  zoom.begin_layout();
  const glm::mat4 book_to_world(1.0f);
  for (const auto& [page, side] : {std::pair{1u, -1.0f}, std::pair{3u, 1.0f}}) {
    (*renderer)->show_page(page, zoom.place(book_to_world, {side * 0.5f * page_width, 0.5f * page_height},
                                            glm::vec2(page_width, page_height), book_page_height / page_height));
  }
  const auto plate = [](const ImageRgba8& image) {
    uint32_t count = 0;
    for (size_t pixel = 0; pixel < image.pixels.size(); pixel += 4) {
      // Tone mapping lightens the glowing blue towards white: (131, 131, 253), bluer than the sky.
      count += image.pixels[pixel + 2] > 240 && image.pixels[pixel] < 170 && image.pixels[pixel + 1] < 170 ? 1 : 0;
    }
    return count;
  };
  const glm::vec3 eye(0.0f, 0.15f, 0.6f), target(0.0f, 0.15f, 0.0f);
  const render::FieldOfView fov = render::symmetric_field_of_view(glm::radians(50.0f), static_cast<float>(width) / height);
  auto frame = render::OffscreenTarget::create(context(), {width, height});
  ASSERT_TRUE(frame.ok());
  const auto draw = [&](const render::View& view) {
    for (int step = 0; step < 8; ++step) {
      EXPECT_TRUE((*renderer)->render(**frame, {&view, 1}).ok());
      (*renderer)->wait_for_page_reads();
    }
    EXPECT_TRUE((*renderer)->render(**frame, {&view, 1}).ok());
    EXPECT_TRUE((*renderer)->wait_idle().ok());
    return (*frame)->read_pixels(0);
  };
  const ImageRgba8 whole = draw(render::look_at_view(eye, target, fov));
  EXPECT_GT(plate(whole), 100u) << "the plate stands in view beside the opening";
  EXPECT_GT(mark_column(whole, right_page_mark), static_cast<float>(width) / 2);
  const uint32_t whole_level = (*renderer)->page_tile_stats().finest_page_level;

  const kiosk::CameraCloser closer{glm::vec3(0.5f * page_width, 0.5f * page_height, 0.0f), 4.0f};
  const ImageRgba8 zoomed = draw(closer.view(eye, target, fov));
  EXPECT_EQ(plate(zoomed), 0u) << "nothing of the plate comes between the camera and the page";
  EXPECT_GT(count_mark(zoomed, right_page_mark), width * height / 4) << "the right page's middle fills the view";
  EXPECT_NEAR(mark_column(zoomed, right_page_mark), mark_column(whole, right_page_mark), 3.0f)
      << "the point zoomed about stays where it was on the screen";
  EXPECT_LT((*renderer)->page_tile_stats().finest_page_level, whole_level) << "finer tiles for the nearer camera";

  ImageRgba8 both(width * 2, height);
  paste(both, whole, 0);
  paste(both, zoomed, width);
  EXPECT_TRUE(write_png(test_output_path("book_zoom_camera_nearer.png"), both).ok());
}

}  // namespace
}  // namespace pavilion::testing

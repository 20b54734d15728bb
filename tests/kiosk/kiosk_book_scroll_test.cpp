// The hand scroll (kiosk/src/exhibits/book/book_scroll.h; kiosk/README.md, "Books"): a
// `continuous` book's canvases as one strip of which a section lies unrolled, each canvas cropped
// at the rolls, in every reading direction, clamped at both ends; the position as a finger moves
// it and as the buttons glide it. Then on the kiosk: a scripted visitor drags a right-to-left
// handscroll open, the reading logged as the canvas in the section's middle changes, the buttons
// unroll a section, and a golden of the section unrolled. Headless, on a virtual clock.
#include "exhibits/book/book_scroll.h"

#include "pavilion/core/png.h"
#include "pavilion/kiosk/kiosk.h"
#include "pavilion/scene/book_body.h"
#include "pavilion/telemetry/book_events.h"
#include "pavilion/telemetry/local_queue.h"
#include "book_package.h"
#include "book_scans.h"
#include "golden.h"
#include "gpu_test.h"
#include "marked_pages.h"
#include "temporary_folder.h"

#include <fmt/format.h>
#include <glm/gtc/matrix_transform.hpp>
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace pavilion::kiosk {
namespace {

namespace fs = std::filesystem;
using testing::TemporaryFolder;

// A continuous book of `count` canvases of 300 × 400 pixels read in `direction`.
scene::Book scroll_book(book::ViewingDirection direction, size_t count) {
  scene::Book book;
  book.direction = direction;
  book.layout = book::Layout::continuous;
  book.pages.resize(count);
  for (scene::BookPage& page : book.pages) {
    page.width = 300;
    page.height = 400;
  }
  return book;
}

struct Laid {
  scene::Book book;
  book::Openings openings;
  ScrollLayout layout;
};

// Pages 1 m high: a sideways scroll 1 m across, its canvases 0.75 m long, its section 1.8 m.
Laid lay(book::ViewingDirection direction, size_t count) {
  Laid laid{scroll_book(direction, count), {}, {}};
  laid.openings = laid.book.openings();
  laid.layout = ScrollLayout(laid.book, laid.openings.sequence.at(0), 1.0f);
  return laid;
}

void expect_crop(const render::PageCrop& crop, glm::vec2 min, glm::vec2 max) {
  EXPECT_NEAR(crop.min.x, min.x, 1e-4f);
  EXPECT_NEAR(crop.min.y, min.y, 1e-4f);
  EXPECT_NEAR(crop.max.x, max.x, 1e-4f);
  EXPECT_NEAR(crop.max.y, max.y, 1e-4f);
}

TEST(KioskBookScroll, ALeftToRightScrollShowsASectionWithTheCanvasesAtItsEdgesCroppedAtTheRolls) {
  const Laid laid = lay(book::ViewingDirection::left_to_right, 4);
  const ScrollLayout& layout = laid.layout;
  EXPECT_NEAR(layout.length(), 3.0f, 1e-5f);
  EXPECT_NEAR(layout.section(), 1.8f, 1e-5f);
  EXPECT_NEAR(layout.most_rolled(), 1.2f, 1e-5f);
  // Rolled up to 0.5 m: the section holds [0.5, 2.3] of the strip.
  const auto [first, last] = layout.visible(0.5f);
  ASSERT_EQ(first, 0u);
  ASSERT_EQ(last, 4u);
  const ScrollPart start = layout.part(0, 0.5f);
  expect_crop(start.crop, {0.5f / 0.75f, 0.0f}, {1.0f, 1.0f});  // its right part, at the left roll
  EXPECT_NEAR(start.size.x, 0.25f, 1e-5f);
  EXPECT_NEAR(start.size.y, 1.0f, 1e-5f);
  EXPECT_NEAR(start.centre.x, -0.9f + 0.125f, 1e-5f) << "against the left roll";
  EXPECT_NEAR(start.centre.y, 0.5f, 1e-5f);
  const ScrollPart whole = layout.part(2, 0.5f);
  expect_crop(whole.crop, {0.0f, 0.0f}, {1.0f, 1.0f});
  EXPECT_NEAR(whole.centre.x, 1.875f - 1.4f, 1e-5f);
  const ScrollPart end = layout.part(3, 0.5f);
  expect_crop(end.crop, {0.0f, 0.0f}, {0.05f / 0.75f, 1.0f});  // its left edge, at the right roll
  EXPECT_NEAR(end.centre.x, 0.9f - 0.025f, 1e-5f);
  EXPECT_EQ(layout.canvas_in_middle(0.5f), 1u) << "the strip's 1.4 m lies on the second canvas";
  EXPECT_NEAR(layout.rolled_before(0.5f), 0.5f, 1e-5f);
  EXPECT_NEAR(layout.rolled_after(0.5f), 0.7f, 1e-5f);
  EXPECT_NEAR(layout.body_state(0.5f).rolled_left, 0.5f, 1e-5f) << "read, wound on the left roller";
  EXPECT_NEAR(layout.body_state(0.5f).rolled_right, 0.7f, 1e-5f);
}

TEST(KioskBookScroll, AScrollIsClampedAtBothEnds) {
  const Laid laid = lay(book::ViewingDirection::left_to_right, 4);
  const ScrollLayout& layout = laid.layout;
  EXPECT_EQ(layout.clamp(-1.0f), 0.0f);
  EXPECT_NEAR(layout.clamp(5.0f), 1.2f, 1e-5f);
  // Past the end, the last section: canvas 1's last 0.3 m, then 2 and 3 whole, nothing beyond.
  const auto [first, last] = layout.visible(5.0f);
  EXPECT_EQ(first, 1u);
  EXPECT_EQ(last, 4u);
  expect_crop(layout.part(1, 5.0f).crop, {0.45f / 0.75f, 0.0f}, {1.0f, 1.0f});
  EXPECT_NEAR(layout.part(3, 5.0f).centre.x, 0.9f - 0.375f, 1e-5f) << "the strip's end at the right roll";
  EXPECT_NEAR(layout.rolled_after(5.0f), 0.0f, 1e-6f);
  // Before the start, the first section: canvas 0 at the left roll, 2 cut at 0.3 m.
  const auto [first_before, last_before] = layout.visible(-1.0f);
  EXPECT_EQ(first_before, 0u);
  EXPECT_EQ(last_before, 3u);
  EXPECT_NEAR(layout.part(0, -1.0f).centre.x, -0.9f + 0.375f, 1e-5f);
  expect_crop(layout.part(2, -1.0f).crop, {0.0f, 0.0f}, {0.3f / 0.75f, 1.0f});
  EXPECT_EQ(layout.canvas_in_middle(-1.0f), 1u);
  EXPECT_EQ(layout.canvas_in_middle(5.0f), 2u);
  EXPECT_NEAR(layout.position_of_page(3), 1.2f, 1e-5f) << "the last page's start lies past the last section's";
  EXPECT_NEAR(layout.position_of_page(1), 0.75f, 1e-5f);
}

// A handscroll read right to left unrolls from the right: the strip runs leftwards, and a canvas
// at the right roll shows its left part (read last), one at the left roll its right part.
TEST(KioskBookScroll, ARightToLeftHandscrollUnrollsFromTheRight) {
  const Laid laid = lay(book::ViewingDirection::right_to_left, 4);
  const ScrollLayout& layout = laid.layout;
  EXPECT_EQ(layout.along(), glm::vec2(-1.0f, 0.0f));
  const ScrollPart start = layout.part(0, 0.5f);
  expect_crop(start.crop, {0.0f, 0.0f}, {1.0f - 0.5f / 0.75f, 1.0f});
  EXPECT_NEAR(start.centre.x, 0.9f - 0.125f, 1e-5f) << "against the right roll";
  const ScrollPart end = layout.part(3, 0.5f);
  expect_crop(end.crop, {1.0f - 0.05f / 0.75f, 0.0f}, {1.0f, 1.0f});
  EXPECT_NEAR(end.centre.x, -0.9f + 0.025f, 1e-5f) << "against the left roll";
  // At the start, page 0 lies against the right roll.
  EXPECT_NEAR(layout.part(0, 0.0f).centre.x, 0.9f - 0.375f, 1e-5f);
  // What was read winds on the right roller, what is to come waits on the left one: posed by the
  // book's body, each roller lies just beyond its end of the section, the fuller one thicker.
  const book::BookBodyState state = layout.body_state(0.5f);
  EXPECT_NEAR(state.unrolled_from, -0.9f, 1e-5f);
  EXPECT_NEAR(state.unrolled_to, 0.9f, 1e-5f);
  EXPECT_NEAR(state.rolled_right, 0.5f, 1e-5f);
  EXPECT_NEAR(state.rolled_left, 0.7f, 1e-5f);
  const book::BookBodyMeasures measures =
      book::measure_book_body(book::BookForm::hand_scroll, book::ViewingDirection::right_to_left, {0.75f, 1.0f}, 0);
  const book::BookBodyPose pose = book::pose_book_body(measures, state);
  const glm::vec3 left_axis(pose.parts[static_cast<size_t>(book::BookBodyPart::roller_left)][3]);
  const glm::vec3 right_axis(pose.parts[static_cast<size_t>(book::BookBodyPart::roller_right)][3]);
  EXPECT_LT(left_axis.x, -0.9f);
  EXPECT_GT(right_axis.x, 0.9f);
  EXPECT_GT(left_axis.z, right_axis.z) << "0.7 m wound on the left, 0.5 m on the right";
  const book::BookBodyState unread = layout.body_state(0.0f);
  EXPECT_EQ(unread.rolled_right, 0.0f) << "nothing read yet";
  EXPECT_NEAR(unread.rolled_left, 1.2f, 1e-5f);
}

// A hanging scroll, top to bottom: half the pages' height wide, a section as high as the pages,
// unrolled downwards; bottom to top is the mirror.
TEST(KioskBookScroll, AVerticalScrollHangsAndUnrollsDownwardsOrUpwards) {
  const Laid down = lay(book::ViewingDirection::top_to_bottom, 3);
  EXPECT_NEAR(down.layout.across(), 0.5f, 1e-5f);
  EXPECT_NEAR(down.layout.section(), 1.0f, 1e-5f);
  const float canvas = 0.5f / 0.75f;
  EXPECT_NEAR(down.layout.length(), 3 * canvas, 1e-5f);
  const auto [first, last] = down.layout.visible(0.0f);
  EXPECT_EQ(first, 0u);
  EXPECT_EQ(last, 2u);
  const ScrollPart top = down.layout.part(0, 0.0f);
  expect_crop(top.crop, {0.0f, 0.0f}, {1.0f, 1.0f});
  EXPECT_NEAR(top.centre.y, 1.0f - 0.5f * canvas, 1e-5f) << "the first canvas at the top";
  EXPECT_NEAR(top.size.x, 0.5f, 1e-5f);
  const ScrollPart below = down.layout.part(1, 0.0f);
  expect_crop(below.crop, {0.0f, 0.0f}, {1.0f, (1.0f - canvas) / canvas});  // its top, at the lower roll
  EXPECT_NEAR(below.centre.y, 0.5f * (1.0f - canvas), 1e-5f);

  // It hangs between its body's rollers: the scene's body for it has rollers as long as the
  // section is wide, running along x from 0 (turned a quarter), and the section spans them.
  EXPECT_NEAR(down.layout.section_min().x, 0.0f, 1e-5f);
  EXPECT_NEAR(down.layout.section_max().x, down.layout.across(), 1e-5f);
  scene::Scene shown;
  shown.exhibits.emplace_back().kind = scene::ExhibitKind::book;
  shown.viewpoints.emplace_back();
  shown.books.push_back(down.book);
  scene::add_book_bodies(shown);
  ASSERT_EQ(shown.book_bodies.size(), 1u);
  const float height = scene::book_page_height(down.book, shown.exhibits[0]);
  const ScrollLayout hung(down.book, down.openings.sequence.at(0), height);
  EXPECT_NEAR(shown.book_bodies[0].measures.page.height, hung.across(), 1e-5f) << "the rollers as long as the paper is wide";
  const book::BookBodyPose posed = book::pose_book_body(shown.book_bodies[0].measures, hung.body_state(0.0f));
  const glm::vec3 roller_end = posed.parts[static_cast<size_t>(book::BookBodyPart::roller_left)] * glm::vec4(0, 0, 0, 1);
  EXPECT_NEAR(roller_end.x, hung.section_min().x, 1e-5f) << "the roller starts where the paper does";
  EXPECT_GT(roller_end.y, hung.section_max().y) << "the left roller above the section";

  const Laid up = lay(book::ViewingDirection::bottom_to_top, 3);
  const ScrollPart bottom = up.layout.part(0, 0.0f);
  EXPECT_NEAR(bottom.centre.y, 0.5f * canvas, 1e-5f) << "the first canvas at the bottom";
  expect_crop(up.layout.part(1, 0.0f).crop, {0.0f, 1.0f - (1.0f - canvas) / canvas}, {1.0f, 1.0f});
}

TEST(KioskBookScroll, AScrollShorterThanASectionLiesWholeAndCentred) {
  const Laid laid = lay(book::ViewingDirection::left_to_right, 2);
  EXPECT_EQ(laid.layout.most_rolled(), 0.0f);
  EXPECT_NEAR(laid.layout.part(0, 0.7f).centre.x, -0.375f, 1e-5f);
  EXPECT_NEAR(laid.layout.part(1, 0.7f).centre.x, 0.375f, 1e-5f);
  EXPECT_NEAR(laid.layout.section_min().x, -0.75f, 1e-5f);
  EXPECT_NEAR(laid.layout.section_max().x, 0.75f, 1e-5f);
}

// The strip follows the hand along the scroll, up to its ends; let go, it drifts on a little and
// stops; a button glides a section.
TEST(KioskBookScroll, TheStripFollowsTheHandDriftsWhenLetGoAndGlidesASectionForAButton) {
  const Laid laid = lay(book::ViewingDirection::right_to_left, 8);  // 6 m, 4.2 m may roll up
  ScrollUnrolling scroll;
  scroll.reset(laid.layout, 0.0f);
  scroll.take({0.0f, 0.5f}, 0.0);
  scroll.drag({0.3f, 0.6f}, 0.1);  // rightwards: a right-to-left scroll rolls up what was read
  EXPECT_NEAR(scroll.position(), 0.3f, 1e-5f);
  EXPECT_TRUE(scroll.advance(0.1f, false));
  scroll.drag({-0.5f, 0.5f}, 0.2);
  EXPECT_EQ(scroll.position(), 0.0f) << "not before the start";
  scroll.drag({9.0f, 0.5f}, 0.3);
  EXPECT_NEAR(scroll.position(), 4.2f, 1e-5f) << "not past the end";
  scroll.drag({1.0f, 0.5f}, 0.4);
  scroll.drag({1.2f, 0.5f}, 0.5);  // 2 m/s as it is let go
  scroll.release();
  const float let_go = scroll.position();
  float drifted = let_go;
  for (int frame = 0; frame < 60 && scroll.moving(); ++frame) {
    scroll.advance(1.0f / 30.0f, false);
    EXPECT_GE(scroll.position(), drifted) << "it drifts on the way it went";
    drifted = scroll.position();
  }
  EXPECT_FALSE(scroll.moving()) << "stopped within two seconds";
  EXPECT_GT(drifted, let_go + 0.2f);
  EXPECT_LT(drifted, let_go + 0.5f);

  ScrollUnrolling buttons;
  buttons.reset(laid.layout, 0.0f);
  EXPECT_FALSE(buttons.can_step(-1));
  ASSERT_TRUE(buttons.can_step(+1));
  buttons.step(+1);
  for (int frame = 0; frame < 60; ++frame) buttons.advance(1.0f / 30.0f, false);
  EXPECT_NEAR(buttons.position(), 1.8f, 1e-3f);
  buttons.step(+1);
  buttons.step(+1);
  buttons.advance(0.1f, true);  // calm: at once
  EXPECT_NEAR(buttons.position(), 4.2f, 1e-5f);
  EXPECT_FALSE(buttons.can_step(+1));
  EXPECT_FALSE(buttons.advance(0.1f, false)) << "nothing moved";
}

// The section drawn by the renderer as the kiosk hands it over (show_page with each part's
// placement and crop): a right-to-left scroll of four canvases, each marked in two colours either
// side of its middle (the fourth blue, as the first's right half), rolled up half a canvas. Against the right roll the first canvas shows only
// its left half (read last), the second lies whole, the third is cut at the left roll, the fourth
// is still rolled up. A golden of the section, and the marks counted.
class ScrollRender : public testing::GpuTest {};

TEST_F(ScrollRender, TheSectionShowsItsCanvasesInReadingOrderCroppedAtTheRolls) {
  constexpr glm::u8vec3 red{200, 30, 30}, blue{40, 70, 200}, green{30, 160, 40}, amber{220, 150, 20};
  constexpr glm::u8vec3 cyan{30, 170, 190};
  const auto pages = std::make_shared<testing::MarkedPages>(
      std::vector<testing::MarkedPage>{{red, blue, 0.5f}, {green, amber, 0.5f}, {cyan, cyan, 0.5f}, {blue, blue, 0.5f}});
  scene::Book book = scroll_book(book::ViewingDirection::right_to_left, 4);
  for (scene::BookPage& page : book.pages) {
    page.width = testing::marked_page_width;
    page.height = testing::marked_page_height;
  }
  const book::Openings openings = book.openings();
  const ScrollLayout layout(book, openings.sequence.at(0), 0.3f);
  const float position = 0.5f * 0.3f * 0.75f;  // half the first canvas rolled up

  constexpr uint32_t width = 160, height = 96;
  auto renderer = render::Renderer::create(context(), {.shadow_map_size = 256, .msaa_samples = 1});
  ASSERT_TRUE(renderer.ok()) << renderer.error().describe();
  scene::RenderScene scene;
  scene.light.direction = glm::vec3(0.3f, -1.0f, -0.5f);
  ASSERT_TRUE((*renderer)->load_scene(scene).ok());
  ASSERT_TRUE((*renderer)->load_pages(pages).ok());
  const glm::mat4 book_to_world = glm::translate(glm::mat4(1.0f), glm::vec3(0.0f, 0.0f, -0.1f));
  const auto [first, last] = layout.visible(position);
  ASSERT_EQ(first, 0u);
  ASSERT_EQ(last, 3u);
  for (size_t canvas = first; canvas < last; ++canvas) {
    const ScrollPart part = layout.part(canvas, position);
    render::PagePlacement placement;
    placement.transform = glm::translate(book_to_world, glm::vec3(part.centre, 0.0f));
    placement.size = part.size;
    placement.crop = part.crop;
    (*renderer)->show_page(static_cast<uint32_t>(part.page), placement);
  }
  const render::View view = render::look_at_view({0.0f, 0.15f, 0.45f}, {0.0f, 0.15f, -0.1f},
                                                 render::symmetric_field_of_view(glm::radians(50.0f), static_cast<float>(width) / height));
  auto target = render::OffscreenTarget::create(context(), {width, height});
  ASSERT_TRUE(target.ok());
  for (int frame = 0; frame < 8 && !(*renderer)->page_tile_stats().converged(); ++frame) {
    ASSERT_TRUE((*renderer)->render(**target, {&view, 1}).ok());
    (*renderer)->wait_for_page_reads();
  }
  const ImageRgba8 image = render_frame(**renderer, **target, {&view, 1});
  // Each mark's pixels and their mean column.
  const auto seen = [&](glm::u8vec3 colour) {
    uint32_t count = 0;
    float columns = 0;
    for (uint32_t y = 0; y < height; ++y) {
      for (uint32_t x = 0; x < width; ++x) {
        if (testing::shows_mark(image.at(x, y), colour)) {
          ++count;
          columns += static_cast<float>(x);
        }
      }
    }
    return std::pair<uint32_t, float>{count, count > 0 ? columns / static_cast<float>(count) : 0.0f};
  };
  const auto [reds, red_x] = seen(red);
  const auto [blues, blue_x] = seen(blue);
  const auto [greens, green_x] = seen(green);
  const auto [ambers, amber_x] = seen(amber);
  const auto [cyans, cyan_x] = seen(cyan);
  EXPECT_GT(reds, 50u) << "the first canvas's left half, against the right roll";
  EXPECT_EQ(blues, 0u) << "its right half, read first, is rolled up, and so is the fourth canvas";
  EXPECT_GT(greens, 50u);
  EXPECT_GT(ambers, 50u);
  EXPECT_GT(cyans, 50u) << "the third canvas, cut at the left roll";
  EXPECT_GT(red_x, amber_x) << "read from the right";
  EXPECT_GT(amber_x, green_x);
  EXPECT_GT(green_x, cyan_x);
  static_cast<void>(blue_x);
  EXPECT_TRUE(testing::matches_golden(image, "kiosk_book_scroll_unrolled"));
}

// On the kiosk: a packed right-to-left handscroll of eight canvases, each its own colour and
// darker towards its left edge, so that which canvas lies where and how it is cropped shows.
ImageRgba8 canvas_scan(uint32_t canvas) {
  static constexpr std::array<std::array<uint8_t, 3>, 8> colours{{{200, 60, 50}, {220, 160, 40}, {90, 170, 70}, {50, 140, 190},
                                                                  {120, 80, 170}, {200, 90, 150}, {90, 90, 90}, {160, 120, 80}}};
  ImageRgba8 image(300, 400);
  const auto& colour = colours[canvas % colours.size()];
  for (uint32_t y = 0; y < image.height; ++y) {
    for (uint32_t x = 0; x < image.width; ++x) {
      const float shade = 0.35f + 0.65f * static_cast<float>(x) / static_cast<float>(image.width);
      const bool band = y > 180 && y < 220;  // a pale band across, where the canvases meet
      uint8_t* pixel = image.at(x, y);
      for (int channel = 0; channel < 3; ++channel) pixel[channel] = band ? 235 : static_cast<uint8_t>(colour[channel] * shade);
      pixel[3] = 255;
    }
  }
  return image;
}

class KioskScroll : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    folder_ = new TemporaryFolder();
    const fs::path source = *folder_ / "source";
    testing::write_text(source / "scene.json", R"({
  "id": "scrolls", "version": "1", "title": {"zh-CN": "手卷", "en": "Handscrolls"},
  "viewpoints": [{"position": [0, 1.6, 2], "target": [0, 1, 0]}],
  "exhibits": [
    {"id": "river", "kind": "book", "position": [0, 1, 0],
     "metadata": {"title": {"zh-CN": "江山图", "en": "Rivers and mountains"}},
     "alt_text": {"zh-CN": "一卷手卷。", "en": "A handscroll."}, "book": {"folder": "river"}}]
})");
    testing::write_text(source / "river" / "book.json",
                        R"({"title": {"zh-CN": "江山图", "en": "Rivers and mountains"}, "viewingDirection": "right-to-left", "behavior": "continuous"})");
    for (uint32_t canvas = 0; canvas < 8; ++canvas) {
      ASSERT_TRUE(write_png(source / "river" / fmt::format("p{}.png", canvas + 1), canvas_scan(canvas)).ok());
    }
    fs::create_directories(*folder_ / "shots");
    ASSERT_TRUE(testing::pack_book_scene(source, *folder_ / "content" / "scrolls.pvpkg", folder_->path()));
  }
  static void TearDownTestSuite() {
    delete folder_;
    folder_ = nullptr;
  }

  struct Run {
    std::vector<std::string> turns;  // page_turn as "SUBJECT>TO"
    std::vector<telemetry::Event> book_events;
    std::map<std::string, std::array<float, 4>> last_seen;
  };

  Run run(std::string_view steps) {
    TemporaryFolder state;
    KioskConfig config;
    config.file = "test kiosk.json";
    config.content = *folder_ / "content";
    config.trusted_keys = {testing::book_package_key(folder_->path())};
    config.operator_pin = "2468";
    config.pixels_per_mm = 3.8 * 360 / 720.0;
    config.telemetry_queue = state / "events.sqlite";
    const std::string visit =
        fmt::format(R"({{"start": "2027-02-08T10:20:00+08:00", "frame_seconds": {}, "steps": [{}]}})", 1.0 / 30.0, steps);
    std::vector<checking::Finding> findings;
    auto script = parse_visit_script(visit, "test visit.json", findings);
    EXPECT_TRUE(script) << (findings.empty() ? "" : findings[0].describe());
    Run out;
    KioskOptions options;
    options.headless = true;
    options.width = 640;
    options.height = 360;
    options.validation = true;
    options.script = script.value_or(VisitScript{});
    options.screenshot_folder = *folder_ / "shots";
    options.after_frame = [&](const KioskReport& frame) {
      for (const Control& control : frame.controls) {
        out.last_seen[control.name] = {control.min_x, control.min_y, control.max_x, control.max_y};
      }
    };
    {
      auto kiosk = Kiosk::create(config, options);
      EXPECT_TRUE(kiosk.ok()) << kiosk.error().describe();
      if (!kiosk.ok()) return out;
      const auto ended = (*kiosk)->run();
      EXPECT_TRUE(ended.ok()) << ended.error().describe();
      for (const std::string& failure : (*kiosk)->report().script_failures) ADD_FAILURE() << failure;
      for (const std::string& message : (*kiosk)->report().validation_messages) ADD_FAILURE() << "validation: " << message;
    }
    auto queue = telemetry::LocalQueue::open(config.telemetry_queue, 1000);
    EXPECT_TRUE(queue.ok()) << queue.error().describe();
    if (!queue.ok()) return out;
    const auto events = (*queue)->oldest(500);
    EXPECT_TRUE(events.ok());
    if (!events.ok()) return out;
    for (const telemetry::Event& event : *events) {
      if (!telemetry::is_book_event(event.type)) continue;
      out.book_events.push_back(event);
      if (event.type == telemetry::EventType::page_turn) out.turns.push_back(fmt::format("{}>{}", event.subject.view(), event.value));
    }
    return out;
  }

  static inline TemporaryFolder* folder_ = nullptr;
};

// The visitor drags the handscroll the wrong way at its start (nothing moves: it is clamped), then
// rightwards, the way a right-to-left scroll unrolls: the strip follows the finger and the canvas
// in the section's middle changes, page_turn logged for each (1 → 2 → 3 …) after its
// opening_dwell; the buttons unroll a section on and roll one back.
TEST_F(KioskScroll, AVisitorDraggingAHandscrollUnrollsItAndTheReadingIsLogged) {
  const Run run = this->run(R"({"wait": 0.5}, {"tap": "begin"}, {"tap": "exhibit:scrolls/river"}, {"wait": 2},
      {"drag": {"from": "book:opening", "by": [-200, 0], "seconds": 0.6}}, {"wait": 1},
      {"drag": {"from": "book:opening", "by": [200, 0], "seconds": 0.6}}, {"wait": 2},
      {"tap": "book:next"}, {"wait": 2}, {"tap": "book:previous"}, {"wait": 2},
      {"tap": "home"}, {"wait": 0.5})");
  ASSERT_TRUE(run.last_seen.contains("book:opening"));
  EXPECT_FALSE(run.last_seen.contains("book:corner-next")) << "a scroll has no leaf to turn";
  ASSERT_GE(run.turns.size(), 3u);
  EXPECT_EQ(run.turns[0], "river#2>3") << "the wrong way first moved nothing; the drag unrolled the next canvas to the middle";
  // Each turn goes from where the last one went, one canvas at a time while dragged.
  int furthest = 0;
  for (size_t turn = 1; turn < run.turns.size(); ++turn) {
    int from = 0, to = 0, previous_to = 0;
    ASSERT_EQ(std::sscanf(run.turns[turn].c_str(), "river#%d>%d", &from, &to), 2) << run.turns[turn];
    ASSERT_EQ(std::sscanf(run.turns[turn - 1].c_str(), "river#%*d>%d", &previous_to), 1);
    EXPECT_EQ(from, previous_to);
    furthest = std::max(furthest, to);
  }
  EXPECT_GE(furthest, 5) << "the button unrolled a whole section further";
  // The button back rolls a section back: the last turn goes back.
  int last_from = 0, last_to = 0;
  ASSERT_EQ(std::sscanf(run.turns.back().c_str(), "river#%d>%d", &last_from, &last_to), 2);
  EXPECT_LT(last_to, last_from);
  ASSERT_FALSE(run.book_events.empty());
  EXPECT_EQ(run.book_events.back().type, telemetry::EventType::book_close);
  const auto dwell = std::ranges::find(run.book_events, telemetry::EventType::opening_dwell, &telemetry::Event::type);
  ASSERT_NE(dwell, run.book_events.end());
  EXPECT_EQ(dwell->subject.view(), "river#2") << "the canvas first in the middle";
}

// How wide the rolls at either end of the unrolled paper show in a screenshot of the kiosk: the
// first and last runs of the rolls' cream paper along the row across the scroll's upper half, left
// of the panel (the scene's backdrop is darker grey, the canvases' colours are saturated there).
std::pair<int, int> roll_widths(const fs::path& shot) {
  const auto image = read_png(shot);
  EXPECT_TRUE(image.ok()) << shot;
  if (!image.ok()) return {0, 0};
  const uint32_t row = image->height * 150 / 360;
  std::vector<std::pair<uint32_t, uint32_t>> runs;  // [from, to) of cream pixels
  for (uint32_t x = 0; x < image->width * 400 / 640; ++x) {
    const uint8_t* p = &image->pixels[(size_t{row} * image->width + x) * 4];
    const bool cream = p[0] > 140 && p[1] > 130 && p[2] > 110 && p[0] >= p[2] && p[0] - p[2] < 60;
    if (!cream) continue;
    if (!runs.empty() && runs.back().second == x) {
      ++runs.back().second;
    } else {
      runs.push_back({x, x + 1});
    }
  }
  EXPECT_GE(runs.size(), 2u) << "a roll at each end of the paper";
  if (runs.size() < 2) return {0, 0};
  return {static_cast<int>(runs.front().second - runs.front().first), static_cast<int>(runs.back().second - runs.back().first)};
}

// The scroll's body follows the unrolling (BookPlayer::pose_body with ScrollLayout::body_state):
// its rollers lie at the section's ends, each roll as thick as the paper wound on it. A
// right-to-left handscroll opened at its start has all that is to come on its left roll; unrolled
// two sections on, the left roll is thinner and the right one, which took up what was read,
// thicker. Unposed, both rolls would lie bare and alike inside the section, at the loader's pose.
TEST_F(KioskScroll, TheRollersLieAtTheSectionsEndsAndTheRollsFollowTheUnrolling) {
  const Run run = this->run(R"({"wait": 0.5}, {"tap": "begin"}, {"tap": "exhibit:scrolls/river"}, {"wait": 2},
      {"screenshot": "scroll_start.png"}, {"tap": "book:next"}, {"wait": 2}, {"tap": "book:next"}, {"wait": 2},
      {"screenshot": "scroll_unrolled.png"}, {"tap": "home"}, {"wait": 0.5})");
  ASSERT_GE(run.turns.size(), 1u) << "the buttons unrolled it";
  const auto [start_left, start_right] = roll_widths(*folder_ / "shots" / "scroll_start.png");
  const auto [later_left, later_right] = roll_widths(*folder_ / "shots" / "scroll_unrolled.png");
  EXPECT_GT(start_left, start_right + 2) << "at the start all the paper is rolled on the left";
  EXPECT_LT(later_left, start_left) << "unrolling takes paper off the left roll";
  EXPECT_GT(later_right, start_right) << "what was read winds on the right roll";
}

}  // namespace
}  // namespace pavilion::kiosk

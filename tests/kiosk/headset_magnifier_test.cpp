// The book's panel in the headset (#17 item 4; kiosk/src/exhibits/book/book_hands.h): a scripted
// visitor in the simulated headset takes the magnifier from the panel under a codex's pages and
// holds it over the collector's seal on its first page (the lens shows it larger in both eyes, a
// golden pair, with finer tiles than the page's around it; with the seal layer on, the layer
// larger in it too), and shows and hides the seal and commentary layers on the pages. pavilion-kiosk --xr's headset mode through the real OpenXR
// loader and its core validation layer, on lavapipe with the Vulkan validation layer. And the
// magnifier moving over the pages, frame after frame, allocates nothing on the frame's thread
// (the global operator new counted in this binary).
#include "exhibits/book/book_hands.h"
#include "pavilion/core/png.h"
#include "pavilion/kiosk/content.h"
#include "pavilion/render/offscreen_target.h"
#include "pavilion/render/view.h"
#include "pavilion/kiosk/headset_mode.h"
#include "pavilion/scene/thumbnail.h"
#include "book_package.h"
#include "book_scans.h"
#include "counting_new.h"
#include "golden.h"
#include "headset_visit.h"
#include "temporary_folder.h"

#include <fmt/format.h>
#include <glm/geometric.hpp>
#include <glm/gtc/matrix_transform.hpp>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>

namespace pavilion::kiosk {
namespace {

namespace fs = std::filesystem;
using testing::TemporaryFolder;

const glm::vec3 book_place(0.0f, 1.2f, 0.0f);
constexpr float book_radius = 0.5f;
const glm::vec3 viewpoint(0.0f, 1.6f, 1.2f);
const glm::vec3 stage_origin = viewpoint - glm::vec3(0.0f, scene::standing_eye_height, 0.0f);
constexpr float page_height = book_radius * 1.1f;
// Scans of 1200 × 1600: a pyramid deep enough (four levels) that the page seen whole and the lens
// take their tiles from different levels.
constexpr uint32_t scan_width = 1200, scan_height = 1600;
constexpr float page_width = page_height * 0.75f;

// The first page (it lies alone, right of the spine): a seal of 64 × 64 scan pixels, red with a
// paper-coloured cross, and a reader's note above it (regions in scan pixels).
constexpr uint32_t seal_x = 800, seal_y = 1040, seal_size = 64;

// The codex's frame (x across from the spine, y up from the pages' bottom edge, z out of the page)
// in the world, as the headset lays the book (book_hands.cpp); made once (framing allocates).
const glm::mat4 book_to_world =
    glm::translate(testing::book_frame(book_place, book_radius, viewpoint), glm::vec3(0.0f, -0.5f * page_height, 0.0f));
glm::vec3 on_book(const glm::vec3& point) { return glm::vec3(book_to_world * glm::vec4(point, 1.0f)); }
const glm::vec3 seal_on_page((seal_x + 0.5f * seal_size) / scan_width * page_width,
                             (1.0f - (seal_y + 0.5f * seal_size) / scan_height) * page_height, 0.0f);

// Page `page`: the book tests' scan four times larger, the first with the seal on it.
ImageRgba8 scan_of(uint32_t page) {
  const ImageRgba8 small = testing::page_scan(page);
  ImageRgba8 scan(scan_width, scan_height);
  for (uint32_t y = 0; y < scan_height; ++y) {
    for (uint32_t x = 0; x < scan_width; ++x) {
      std::copy_n(small.at(x * small.width / scan_width, y * small.height / scan_height), 4, scan.at(x, y));
      if (page != 1 || x < seal_x || x >= seal_x + seal_size || y < seal_y || y >= seal_y + seal_size) continue;
      const bool cross = (x - seal_x) / 4 == seal_size / 8 || (y - seal_y) / 4 == seal_size / 8;
      uint8_t* pixel = scan.at(x, y);
      pixel[0] = cross ? 226 : 190;
      pixel[1] = cross ? 212 : 24;
      pixel[2] = cross ? 180 : 24;
    }
  }
  return scan;
}
// The book's panel under the pages (book_hands.cpp): buttons 15 cm wide, 1.5 cm apart, centred
// under the spine, from 3 cm to 8.5 cm below the pages: Magnifier, Commentary, Seals.
glm::vec3 panel_button(int index) { return {(static_cast<float>(index) - 1.0f) * 0.165f, -0.0575f, 0.0f}; }

std::string stage(const glm::vec3& world) { return testing::stage_position(world, stage_origin); }

// The left hand held still at the visitor's side, pointing at the floor: the visitor uses
// controllers (the eyes alone would select the book by resting on it), and its ray is the same
// in every frame.
std::string idle_left_hand() {
  const glm::vec3 hand = stage_origin + glm::vec3(-0.35f, 0.9f, 0.0f);
  return fmt::format(R"("left": {{"position": {}, {}}})", stage(hand), testing::aim_at(hand, hand + glm::vec3(0.0f, -1.0f, -0.2f)));
}

// Pixels of an eye's picture as red as the seal (strong red, little green or blue) above its
// lowest quarter, where the panel's cinnabar edges lie.
uint64_t red_pixels(const ImageRgba8& image) {
  uint64_t count = 0;
  for (uint32_t y = 0; y < image.height * 3 / 4; ++y) {
    for (uint32_t x = 0; x < image.width; ++x) {
      const uint8_t* pixel = image.at(x, y);
      count += pixel[0] > 90 && pixel[0] > 2 * pixel[1] && pixel[0] > 2 * pixel[2];
    }
  }
  return count;
}

// The right hand comes into view 25 cm in front of the panel's button `index`, points at it and
// presses the trigger at `frame`, letting go two frames later and, when `then_away`, leaving the
// view two frames after that (its ray not in the pictures compared): keyframes for a timeline.
std::string press_button(int index, int frame, bool then_away) {
  const glm::vec3 button = on_book(panel_button(index));
  const glm::vec3 hand = on_book(panel_button(index) + glm::vec3(0.02f, -0.05f, 0.25f));
  return fmt::format(R"({{"frame": {}, "right": {{"tracked": true, "trigger": 1, "position": {}, {}}}}},
                        {{"frame": {}, "right": {{"trigger": 0}}}}{})",
                     frame, stage(hand), testing::aim_at(hand, button), frame + 2,
                     then_away ? fmt::format(R"(, {{"frame": {}, "right": {{"tracked": false}}}})", frame + 4) : "");
}

class HeadsetMagnifierVisit : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    folder_ = new TemporaryFolder();
    const fs::path source = *folder_ / "source";
    testing::write_text(source / "scene.json", fmt::format(R"({{
  "id": "books", "version": "1", "title": {{"zh-CN": "善本", "en": "Rare books"}},
  "viewpoints": [{{"position": [{}, {}, {}], "target": [{}, {}, {}]}}],
  "exhibits": [
    {{"id": "codex", "kind": "book", "position": [{}, {}, {}],
     "metadata": {{"title": {{"zh-CN": "食谱", "en": "A cookbook"}}}},
     "alt_text": {{"zh-CN": "一部书。", "en": "A book."}},
     "book": {{"folder": "codex", "annotations": [
        {{"page": 1, "motivation": "tagging", "region": [{}, {}, {}, {}], "text": "松風閣藏", "language": "lzh"}},
        {{"page": 1, "motivation": "commenting", "region": [160, 160, 800, 360], "text": "眉批", "language": "lzh"}}]}}}}]
}})",
                                                           viewpoint.x, viewpoint.y, viewpoint.z, book_place.x, book_place.y,
                                                           book_place.z, book_place.x, book_place.y, book_place.z, seal_x,
                                                           seal_y, seal_size, seal_size));
    testing::write_text(source / "codex" / "book.json",
                        R"({"title": {"zh-CN": "食谱", "en": "A cookbook"}, "viewingDirection": "left-to-right"})");
    for (uint32_t page = 1; page <= 3; ++page) {
      ASSERT_TRUE(write_png(source / "codex" / fmt::format("p{}.png", page), scan_of(page)).ok());
    }
    ASSERT_TRUE(testing::pack_book_scene(source, *folder_ / "content" / "books.pvpkg", folder_->path()));
  }
  static void TearDownTestSuite() {
    delete folder_;
    folder_ = nullptr;
  }

  // The codex on the simulated headset following `timeline`, each eye 320 × 240, both captured at `frames`.
  HeadsetRunReport visit(const std::string& timeline, const char* frames) {
    HeadsetRunOptions options;
    options.config.file = "test kiosk.json";
    options.config.content = *folder_ / "content";
    options.config.trusted_keys = {testing::book_package_key(folder_->path())};
    options.config.operator_pin = "2468";
    options.config.telemetry_queue = capture_ / "events.sqlite";
    options.package = "books.pvpkg";
    options.validation = true;
    return testing::visit_headset(options, timeline, capture_.path(), frames, "320x240").report;
  }

  ImageRgba8 eye(int frame, const char* side) {
    auto image = read_png(capture_ / fmt::format("frame-{}-{}.png", frame, side));
    EXPECT_TRUE(image.ok()) << image.error().describe();
    return image.ok() ? std::move(*image) : ImageRgba8(1, 1);
  }

  static inline TemporaryFolder* folder_ = nullptr;
  TemporaryFolder capture_;
};

// The visitor takes the magnifier from the panel with the right hand and holds it 5 cm over the
// seal, 32 cm from the eyes: the lens shows the seal 3.5 times larger in both eyes (a golden pair;
// far more of each eye is seal-red than without it), its tiles from a finer level of the scan's
// pyramid than the page's around it. The hand on the magnifier picks nothing up.
TEST_F(HeadsetMagnifierVisit, TheMagnifierHeldOverASealShowsItLargerInBothEyes) {
  const glm::vec3 head = on_book(seal_on_page + glm::vec3(0.0f, 0.03f, 0.32f));
  const glm::vec3 over_seal = on_book(seal_on_page + glm::vec3(0.0f, 0.0f, 0.05f));
  const std::string timeline = fmt::format(
      R"({{"interaction_profile": "/interaction_profiles/oculus/touch_controller", "end_session_at_frame": 60,
          "keyframes": [{{"frame": 1, {left}, "right": {{"tracked": false}},
                                       "head": {{"position": {head}, {look}}}}},
                        {press},
                        {{"frame": 12, "right": {{"position": {over}}}}},
                        {{"frame": 50, "right": {{"position": {over}}}}}]}})",
      fmt::arg("left", idle_left_hand()), fmt::arg("head", stage(head)), fmt::arg("look", testing::aim_at(head, on_book(seal_on_page))),
      fmt::arg("press", press_button(0, 3, false)), fmt::arg("over", stage(over_seal)));
  const HeadsetRunReport report = visit(timeline, "2,48");
  EXPECT_GT(report.magnifier_frames, 30u);
  EXPECT_EQ(report.grabs, 0u);
  EXPECT_TRUE(report.selected_exhibits.empty());
  EXPECT_LT(report.magnified_level, report.page_level) << "the lens draws finer tiles than the page around it";
  for (const char* side : {"left", "right"}) {
    const uint64_t before = red_pixels(eye(2, side));
    const uint64_t magnified = red_pixels(eye(48, side));
    EXPECT_GT(before, 0u) << side;
    EXPECT_GT(magnified, 6 * before) << side << " eye: the seal 3.5 times larger covers about 12 times the pixels";
  }
  const ImageRgba8 left = eye(48, "left");
  const ImageRgba8 right = eye(48, "right");
  ASSERT_EQ(left.width, 320u);
  ImageRgba8 pair(2 * left.width, left.height);
  testing::paste(pair, left, 0);
  testing::paste(pair, right, left.width);
  EXPECT_TRUE(testing::matches_golden(pair, "headset_book_magnifier_on_seal"));
}

// The seal layer is magnified in the lens too, not only drawn on the page: the lens held with its
// centre on the seal's lower edge shows the layer's red outline along that edge and its name's red
// ink below it, 3.5 times larger. Where the lens is in the eye, the layer adds more red with the
// lens held there than it adds to the page alone (all of it lying there, at the page's scale).
TEST_F(HeadsetMagnifierVisit, TheMagnifierShowsTheSealLayerLargerToo) {
  const glm::vec3 head = on_book(seal_on_page + glm::vec3(0.0f, 0.03f, 0.32f));
  const float seal_metres = static_cast<float>(seal_size) / scan_height * page_height;
  const glm::vec3 seal_edge = seal_on_page - glm::vec3(0.0f, 0.5f * seal_metres, 0.0f);
  const glm::vec3 over_edge = on_book(seal_edge + glm::vec3(0.0f, 0.0f, 0.05f));
  // The lens over the edge by frame 12 (seen at 30), the seals switched on at 38 and the lens back
  // by 46 (seen at 64), put back at 70 (the page alone with its layer seen at 84).
  const std::string timeline = fmt::format(
      R"({{"interaction_profile": "/interaction_profiles/oculus/touch_controller", "end_session_at_frame": 90,
          "keyframes": [{{"frame": 1, {left}, "right": {{"tracked": false}},
                                       "head": {{"position": {head}, {look}}}}},
                        {magnifier},
                        {{"frame": 12, "right": {{"position": {over}}}}},
                        {{"frame": 34, "right": {{"position": {over}}}}},
                        {seals},
                        {{"frame": 46, "right": {{"position": {over}}}}},
                        {{"frame": 66, "right": {{"position": {over}}}}},
                        {put_back}]}})",
      fmt::arg("left", idle_left_hand()), fmt::arg("head", stage(head)), fmt::arg("look", testing::aim_at(head, on_book(seal_on_page))),
      fmt::arg("magnifier", press_button(0, 3, false)), fmt::arg("over", stage(over_edge)),
      fmt::arg("seals", press_button(2, 38, false)), fmt::arg("put_back", press_button(0, 70, true)));
  const HeadsetRunReport report = visit(timeline, "2,30,64,84");
  EXPECT_GT(report.magnifier_frames, 40u);
  EXPECT_GT(report.layer_frames, 30u);
  for (const char* side : {"left", "right"}) {
    const ImageRgba8 plain = eye(2, side);
    const ImageRgba8 lens = eye(30, side);
    const ImageRgba8 lens_and_layer = eye(64, side);
    const ImageRgba8 layer = eye(84, side);
    // The lens and its rim in the eye: where holding it changed the picture.
    uint32_t left = lens.width, right = 0, top = lens.height, bottom = 0;
    for (uint32_t y = 0; y < lens.height * 3 / 4; ++y) {
      for (uint32_t x = 0; x < lens.width; ++x) {
        int difference = 0;
        for (int channel = 0; channel < 3; ++channel) difference += std::abs(lens.at(x, y)[channel] - plain.at(x, y)[channel]);
        if (difference < 48) continue;
        left = std::min(left, x), right = std::max(right, x + 1), top = std::min(top, y), bottom = std::max(bottom, y + 1);
      }
    }
    ASSERT_LT(left, right) << side << " eye: the lens is held in view";
    // Pixels as red as the seal's (as red_pixels counts them) in the lens's part of the eye.
    const auto red_in_lens = [&](const ImageRgba8& image) {
      int64_t count = 0;
      for (uint32_t y = top; y < bottom; ++y) {
        for (uint32_t x = left; x < right; ++x) {
          const uint8_t* pixel = image.at(x, y);
          count += pixel[0] > 90 && pixel[0] > 2 * pixel[1] && pixel[0] > 2 * pixel[2];
        }
      }
      return count;
    };
    const int64_t on_page = red_in_lens(layer) - red_in_lens(plain);
    const int64_t magnified = red_in_lens(lens_and_layer) - red_in_lens(lens);
    EXPECT_GT(red_pixels(layer), red_pixels(plain)) << side << " eye: the layer lies on the page";
    // The page's layer lies under the lens: were the lens to show the page alone, the layer would
    // add nothing there. It shows a part of it, yet more red than the whole layer on the page.
    EXPECT_GT(magnified, on_page + on_page / 4) << side << " eye: the layer is magnified in the lens (" << magnified
                                                << " red pixels more, on the page alone " << on_page << ")";
  }
}

// The panel's Seals switch shows the seal layer on the page (its outline and name) and hides it
// again; Commentary its note likewise: each switched on changes what the eye sees, and both
// switched off the picture is as it was.
TEST_F(HeadsetMagnifierVisit, TheLayersAreShownAndHiddenFromThePanel) {
  const glm::vec3 head = on_book({0.5f * page_width, 0.45f * page_height, 0.6f});
  const std::string timeline = fmt::format(
      R"({{"interaction_profile": "/interaction_profiles/oculus/touch_controller", "end_session_at_frame": 72,
          "keyframes": [{{"frame": 1, {left}, "right": {{"tracked": false}},
                                       "head": {{"position": {head}, {look}}}}},
                        {seals_on}, {commentary_on}, {seals_off}, {commentary_off}]}})",
      fmt::arg("left", idle_left_hand()), fmt::arg("head", stage(head)),
      fmt::arg("look", testing::aim_at(head, on_book({0.3f * page_width, 0.4f * page_height, 0.0f}))),
      fmt::arg("seals_on", press_button(2, 20, true)), fmt::arg("commentary_on", press_button(1, 32, true)),
      fmt::arg("seals_off", press_button(2, 44, true)), fmt::arg("commentary_off", press_button(1, 56, true)));
  // Captured between the presses, the hand out of view; the first once the page's tiles have come.
  const HeadsetRunReport report = visit(timeline, "18,30,42,54,70");
  EXPECT_EQ(report.grabs, 0u);
  EXPECT_TRUE(report.selected_exhibits.empty()) << "pressing the panel selected nothing";
  EXPECT_GT(report.layer_frames, 30u);
  const ImageRgba8 plain = eye(18, "left");
  const ImageRgba8 seals = eye(30, "left");
  const ImageRgba8 both = eye(42, "left");
  const ImageRgba8 commentary = eye(54, "left");
  const ImageRgba8 again = eye(70, "left");
  // Pixels that differ on the page: above the book's panel (whose switches change too), which
  // lies below the pages in the lower part of the eye's picture.
  const auto differing = [](const ImageRgba8& a, const ImageRgba8& b) {
    const auto page_rows = [](const ImageRgba8& image) {
      ImageRgba8 rows(image.width, image.height * 7 / 12);
      std::copy_n(image.pixels.begin(), rows.pixels.size(), rows.pixels.begin());
      return rows;
    };
    return testing::compare_images(page_rows(a), page_rows(b), 24).differing_pixels;
  };
  EXPECT_GT(differing(seals, plain), 20u) << "the seal layer drawn";
  EXPECT_GT(differing(both, seals), 200u) << "the commentary drawn";
  EXPECT_GT(differing(commentary, both), 20u) << "the seal layer hidden";
  EXPECT_LT(differing(again, plain), 10u) << "both hidden again";
}

// The book's HeadsetBook driven frame by frame as the headset mode drives it (hands taken, the
// book updated, its overlays hung and the frame drawn, offscreen): the hand takes the magnifier
// from the panel, the seal layer is switched on, and then the lens circles over the seal for 90
// frames, the pages' tiles and the rim following it. No operator new on this thread meanwhile.
TEST_F(HeadsetMagnifierVisit, TheMagnifierMovingAllocatesNothing) {
  // Without the validation layer, whose own bookkeeping allocates per call.
  auto context = render::GpuContext::create({});
  ASSERT_TRUE(context.ok()) << context.error().describe();
  auto renderer = render::Renderer::create(**context, {.shadow_map_size = 256});
  ASSERT_TRUE(renderer.ok()) << renderer.error().describe();
  KioskConfig config;
  config.file = "test kiosk.json";
  config.content = *folder_ / "content";
  config.trusted_keys = {testing::book_package_key(folder_->path())};
  config.playlist = {{"books.pvpkg", std::nullopt, std::nullopt}};
  const ContentLibrary content = ContentLibrary::open(config, {});
  ASSERT_EQ(content.entries().size(), 1u);
  auto shown = content.load(0);
  ASSERT_TRUE(shown.ok()) << shown.error().describe();
  ASSERT_TRUE((*renderer)->load_scene(shown->render).ok());
  ImageRgba8 white(1, 1);
  std::fill(white.pixels.begin(), white.pixels.end(), uint8_t{255});
  auto white_texture = (*renderer)->add_overlay_texture(white);
  ASSERT_TRUE(white_texture.ok());
  interaction::VisitLog log(nullptr);
  HeadsetBook book(content.entries().front(), *shown, shown->book_bodies, **renderer, log, *white_texture, Language::en,
                   /*calm=*/false, /*prepared=*/{});
  auto target = render::OffscreenTarget::create(**context, {160, 120});
  ASSERT_TRUE(target.ok());
  const glm::vec3 head = on_book(seal_on_page + glm::vec3(0.0f, 0.03f, 0.32f));
  const render::View view =
      render::look_at_view(head, on_book(seal_on_page), render::symmetric_field_of_view(glm::radians(90.0f), 160.0f / 120.0f));

  xr::HeadsetInput input;
  input.head_position = head;
  xr::HandInput& hand = input.hands[1];
  hand.tracked = true;
  double now = 0;
  bool failed = false;
  // The hand at `at` (the book's frame), pressing if `press`: one frame.
  const auto frame = [&](const glm::vec3& at, bool press) {
    now += 1.0 / 60.0;
    hand.ray_origin = on_book(at);
    hand.select = hand.select_pressed = press;
    const auto taken = book.take_hands(input, std::nullopt, now);
    book.update(std::nullopt, head, 500.0f, 1.0f / 60.0f, now);
    const std::span<const render::WorldOverlay> world = book.overlays();
    failed = failed || !taken.ok() || !(*renderer)->render(**target, {&view, 1}, nullptr, world).ok();
  };
  frame(panel_button(0) + glm::vec3(0.0f, 0.0f, 0.02f), true);  // the magnifier taken
  frame(panel_button(2) + glm::vec3(0.0f, 0.0f, 0.02f), true);  // the seals shown
  ASSERT_TRUE(book.magnifier_held());
  ASSERT_TRUE(book.layers().seals);
  const auto circling = [&](int step) {
    const float angle = 0.2f * static_cast<float>(step);
    return seal_on_page + glm::vec3(0.02f * std::cos(angle), 0.02f * std::sin(angle), 0.05f);
  };
  // The first frames build the pipelines and grow the buffers; a full circle of the lens.
  for (int step = 0; step < 40; ++step) {
    frame(circling(step), false);
    (*renderer)->wait_for_page_reads();
  }
  testing::reset_counted_allocations();
  testing::count_this_threads_allocations(true);
  for (int step = 0; step < 90; ++step) {
    frame(circling(step), false);
    (*renderer)->wait_for_page_reads();
  }
  testing::count_this_threads_allocations(false);
  ASSERT_FALSE(failed);
  EXPECT_TRUE(book.magnifying());
  ASSERT_TRUE((*renderer)->wait_idle().ok());
  EXPECT_EQ(testing::counted_allocations(), 0u) << "operator new was called while the magnifier moved";
  book.close(now);
}

}  // namespace
}  // namespace pavilion::kiosk

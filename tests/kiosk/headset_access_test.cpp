// The headset for every visitor (kiosk/ACCESSIBILITY.md, "The headset"): a visitor with one hand,
// either one, and a visitor with no controller at all select an exhibit, read its label, turn and
// go back to the start; reduced motion moves only by cuts, each with a comfort vignette; text at
// 200 % grows the label's panel; the captions hang in both eyes. Each runs pavilion-kiosk --xr's
// headset mode on the simulated runtime, through the real OpenXR loader and its core validation
// layer, following a scripted timeline.
#include "pavilion/core/png.h"
#include "pavilion/kiosk/headset_mode.h"
#include "book_package.h"
#include "book_scans.h"
#include "golden.h"
#include "sample_packages.h"
#include "temporary_folder.h"

#include <fmt/format.h>
#include <glm/geometric.hpp>
#include <glm/trigonometric.hpp>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>

namespace pavilion::kiosk {
namespace {

using testing::TemporaryFolder;

// The stage stands under the gallery's entrance viewpoint (0, 1.6, 3.6), looking down −Z.
constexpr float stage_z = 3.6f;
const glm::vec3 vase(-1.6f, 0.9f, -1.0f);

// The yaw and pitch (degrees) that aim a hand held at `hand` (on the stage) at `target` (in the world).
std::pair<float, float> aim(const glm::vec3& hand, const glm::vec3& target) {
  const glm::vec3 to = target - (hand + glm::vec3(0, 0, stage_z));
  return {glm::degrees(std::atan2(-to.x, -to.z)), glm::degrees(std::atan2(to.y, std::hypot(to.x, to.z)))};
}

// Where the ring's button `index` (0 the leftmost) hangs, for a visitor standing at the stage's
// centre looking ahead: seven, 55 cm from the eyes, 32° below the horizon, 10° apart
// (engine/interaction/src/headset.cpp). As yaw and pitch from the head, and in the world.
std::pair<float, float> ring_angles(int index) { return {(3.0f - static_cast<float>(index)) * 10.0f, -32.0f}; }
glm::vec3 ring_button(int index) {
  const auto [yaw, pitch] = ring_angles(index);
  const float y = glm::radians(yaw);
  const float p = glm::radians(pitch);
  return glm::vec3(0, 1.6f, stage_z) + 0.55f * glm::vec3(-std::sin(y) * std::cos(p), std::sin(p), -std::cos(y) * std::cos(p));
}
// A right hand held up on the stage pulls the trigger on the vase (or what stands where it does)
// at frame 3; the session ends at frame 10.
std::string vase_selected_by_the_trigger() {
  const auto [yaw, pitch] = aim({0.2f, 1.3f, -0.3f}, vase);
  return fmt::format(
      R"({{"interaction_profile": "/interaction_profiles/oculus/touch_controller", "end_session_at_frame": 10,
          "keyframes": [{{"frame": 1, "left": {{"tracked": false}}, "right": {{"position": [0.2, 1.3, -0.3], "yaw": {}, "pitch": {}}}}},
                        {{"frame": 3, "right": {{"trigger": 1}}}}]}})",
      yaw, pitch);
}

constexpr int turn_right_button = 6;
constexpr int next_button = 5;
constexpr int toggle_button = 4;
constexpr int go_to_button = 3;
constexpr int back_button = 2;

class HeadsetAccess : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { folder_ = new TemporaryFolder(); }
  void SetUp() override { ASSERT_TRUE(testing::link_sample_package(*folder_ / "content", "gallery.pvpkg")); }
  static void TearDownTestSuite() {
    delete folder_;
    folder_ = nullptr;
  }

  // The gallery on the simulated headset following `timeline`, both eyes captured at `frames`.
  Result<HeadsetRunReport> visit(const std::string& timeline, const char* frames, HeadsetRunOptions options = {},
                                 const char* eye = "160x120") {
    std::ofstream(capture_ / "timeline.json") << timeline;
    setenv("XR_RUNTIME_JSON", PAVILION_XR_RUNTIME_JSON, 1);
    setenv("XR_ENABLE_API_LAYERS", "XR_APILAYER_LUNARG_core_validation", 1);
    setenv("XR_CORE_VALIDATION_EXPORT_TYPE", "text", 1);
    setenv("XR_CORE_VALIDATION_FILE_NAME", (capture_ / "core_validation.txt").c_str(), 1);
    setenv("PAVILION_XR_SIM_EYE", eye, 1);
    setenv("PAVILION_XR_SIM_TIMELINE", (capture_ / "timeline.json").c_str(), 1);
    setenv("PAVILION_XR_SIM_CAPTURE_DIR", capture_.path().c_str(), 1);
    setenv("PAVILION_XR_SIM_CAPTURE_FRAMES", frames, 1);
    options.config.file = "test kiosk.json";
    if (options.package.empty()) {
      options.config.content = *folder_ / "content";
      options.config.trusted_keys = {testing::sample_packages_key};
      options.package = "gallery.pvpkg";
    }
    options.config.operator_pin = "2468";
    options.validation = true;
    auto report = run_on_headset(options);
    for (const char* name : {"XR_RUNTIME_JSON", "XR_ENABLE_API_LAYERS", "PAVILION_XR_SIM_TIMELINE",
                             "PAVILION_XR_SIM_CAPTURE_DIR", "PAVILION_XR_SIM_CAPTURE_FRAMES", "PAVILION_XR_SIM_EYE"}) {
      unsetenv(name);
    }
    std::stringstream core_validation;
    core_validation << std::ifstream(capture_ / "core_validation.txt").rdbuf();
    EXPECT_EQ(core_validation.str().find("VUID"), std::string::npos) << core_validation.str();
    if (report.ok()) {
      EXPECT_EQ(report->validation_messages, 0u);
    }
    return report;
  }

  ImageRgba8 eye(int frame, const char* side) {
    auto image = read_png(capture_ / fmt::format("frame-{}-{}.png", frame, side));
    EXPECT_TRUE(image.ok()) << image.error().describe();
    return image.ok() ? std::move(*image) : ImageRgba8(1, 1);
  }

  // A visitor with one hand on one Touch controller (the other not tracked): the trigger on the
  // vase, the trigger on the ring's "next exhibit" (looking down at it, as one looks at what one
  // presses), a flick of the stick to turn right, and the
  // hand's own "back" button (the left's menu, the right's B).
  // `sitting`: the visitor sits in a wheelchair, eyes 1.15 m above the floor and the hand on the
  // lap, 45 cm lower than a standing visitor's; seated mode shows the scene from standing height,
  // so the same aims reach the same things.
  std::string one_handed(const char* hand, const char* other, float side, const char* back_button_name,
                         bool sitting = false) {
    const float lowered = sitting ? 0.45f : 0.0f;
    const glm::vec3 held(side * 0.2f, 1.3f, -0.3f);
    const auto [vase_yaw, vase_pitch] = aim(held, vase);
    const auto [next_yaw, next_pitch] = aim(held, ring_button(next_button));
    return fmt::format(
        R"({{"interaction_profile": "/interaction_profiles/oculus/touch_controller", "end_session_at_frame": 40,
            "keyframes": [{{"frame": 1, "{other}": {{"tracked": false}},
                            "head": {{"position": [0, {head}, 0], "yaw": 0, "pitch": 0}},
                            "{hand}": {{"position": [{x}, {held}, -0.3], "yaw": {vy}, "pitch": {vp}}}}},
                          {{"frame": 6, "{hand}": {{"trigger": 1}}}},
                          {{"frame": 9, "{hand}": {{"trigger": 0, "position": [{x}, {held}, -0.3], "yaw": {vy}, "pitch": {vp}}},
                                        "head": {{"position": [0, {head}, 0], "yaw": 0, "pitch": 0}}}},
                          {{"frame": 12, "{hand}": {{"position": [{x}, {held}, -0.3], "yaw": {ny}, "pitch": {np}}},
                                         "head": {{"position": [0, {head}, 0], "yaw": {ry}, "pitch": {rp}}}}},
                          {{"frame": 16, "{hand}": {{"trigger": 1}}}},
                          {{"frame": 19, "{hand}": {{"trigger": 0, "position": [{x}, {held}, -0.3], "yaw": {ny}, "pitch": {np}}},
                                         "head": {{"position": [0, {head}, 0], "yaw": {ry}, "pitch": {rp}}}}},
                          {{"frame": 21, "head": {{"position": [0, {head}, 0], "yaw": 0, "pitch": 0}}}},
                          {{"frame": 22, "{hand}": {{"thumbstick": [0.9, 0]}}}}, {{"frame": 25, "{hand}": {{"thumbstick": [0, 0]}}}},
                          {{"frame": 30, "{hand}": {{"{back}": true}}}}, {{"frame": 33, "{hand}": {{"{back}": false}}}}]}})",
        fmt::arg("hand", hand), fmt::arg("other", other), fmt::arg("x", held.x), fmt::arg("vy", vase_yaw),
        fmt::arg("vp", vase_pitch), fmt::arg("ny", next_yaw), fmt::arg("np", next_pitch), fmt::arg("back", back_button_name),
        fmt::arg("ry", ring_angles(next_button).first), fmt::arg("rp", ring_angles(next_button).second),
        fmt::arg("head", 1.6f - lowered), fmt::arg("held", held.y - lowered));
  }

  static TemporaryFolder* folder_;
  TemporaryFolder capture_;
};

TemporaryFolder* HeadsetAccess::folder_ = nullptr;

void expect_one_handed_visit(const HeadsetRunReport& report, const char* hand) {
  EXPECT_EQ(report.selected_exhibits, (std::vector<std::string>{"celadon-vase", "bronze-ding"})) << hand;
  EXPECT_GT(report.label_frames, 20u) << hand << ": the label shows from the first selection on";
  EXPECT_EQ(report.ring_presses, 1u) << hand;
  EXPECT_EQ(report.turns, 1u) << hand;
  EXPECT_EQ(report.returns_to_start, 1u) << hand;
  EXPECT_EQ(report.haptic_pulses, 2u) << hand << ": each press that did something buzzes";
}

TEST_F(HeadsetAccess, AVisitorWithTheLeftHandAloneSelectsReadsTurnsAndGoesBack) {
  const auto report = visit(one_handed("left", "right", -1.0f, "menu"), "8");
  ASSERT_TRUE(report.ok()) << report.error().describe();
  expect_one_handed_visit(*report, "left");
}

TEST_F(HeadsetAccess, AVisitorWithTheRightHandAloneSelectsReadsTurnsAndGoesBack) {
  const auto report = visit(one_handed("right", "left", 1.0f, "b"), "");
  ASSERT_TRUE(report.ok()) << report.error().describe();
  expect_one_handed_visit(*report, "right");
}

// A visitor in a wheelchair with one hand: seated mode puts their eyes at standing height, so from
// the lap they select, read, press the ring, turn and go back as a standing visitor does, and they
// see what a standing visitor sees.
TEST_F(HeadsetAccess, AVisitorInAWheelchairWithOneHandDoesTheWholeVisitSeated) {
  const auto standing = visit(one_handed("left", "right", -1.0f, "menu"), "8");
  ASSERT_TRUE(standing.ok()) << standing.error().describe();
  const ImageRgba8 standing_view = eye(8, "left");
  HeadsetRunOptions options;
  options.seated = true;
  const auto seated = visit(one_handed("left", "right", -1.0f, "menu", true), "8", options);
  ASSERT_TRUE(seated.ok()) << seated.error().describe();
  expect_one_handed_visit(*seated, "left, seated");
  const ImageRgba8 seated_view = eye(8, "left");
  ASSERT_EQ(seated_view.width, standing_view.width);
  const auto difference = testing::compare_images(seated_view, standing_view, 8);
  EXPECT_LT(difference.differing_pixels, seated_view.width * seated_view.height / 100)
      << "the seated visitor's view of the vase and its label is a standing visitor's";
  // Without seated mode the same visitor would see the gallery from 45 cm lower.
  const auto low = visit(one_handed("left", "right", -1.0f, "menu", true), "8");
  ASSERT_TRUE(low.ok()) << low.error().describe();
  EXPECT_GT(testing::compare_images(eye(8, "left"), standing_view, 8).differing_pixels,
            seated_view.width * seated_view.height / 10);
}

// No controller at all: the eyes rest on the ring's buttons in turn (a short dwell, so the test is
// quick): the next exhibit (the vase) with its label, a teleport to it, a turn right, back to the
// start.
TEST_F(HeadsetAccess, AVisitorWithNoControllerDoesItAllByLooking) {
  const auto at = [](int button) { return ring_angles(button); };
  const std::string timeline = fmt::format(
      R"({{"end_session_at_frame": 105,
          "keyframes": [{{"frame": 1, "left": {{"tracked": false}}, "right": {{"tracked": false}},
                          "head": {{"position": [0, 1.6, 0], "yaw": 0, "pitch": 0}}}},
                        {{"frame": 4, "head": {{"position": [0, 1.6, 0], "yaw": {0}, "pitch": {1}}}}},
                        {{"frame": 26, "head": {{"position": [0, 1.6, 0], "yaw": {0}, "pitch": {1}}}}},
                        {{"frame": 29, "head": {{"position": [0, 1.6, 0], "yaw": {6}, "pitch": {7}}}}},
                        {{"frame": 51, "head": {{"position": [0, 1.6, 0], "yaw": {6}, "pitch": {7}}}}},
                        {{"frame": 54, "head": {{"position": [0, 1.6, 0], "yaw": {2}, "pitch": {3}}}}},
                        {{"frame": 76, "head": {{"position": [0, 1.6, 0], "yaw": {2}, "pitch": {3}}}}},
                        {{"frame": 79, "head": {{"position": [0, 1.6, 0], "yaw": {4}, "pitch": {5}}}}}]}})",
      at(next_button).first, at(next_button).second, at(turn_right_button).first, at(turn_right_button).second,
      at(back_button).first, at(back_button).second, at(go_to_button).first, at(go_to_button).second);
  HeadsetRunOptions options;
  options.dwell_seconds = 0.2f;
  const auto report = visit(timeline, "20", options);
  ASSERT_TRUE(report.ok()) << report.error().describe();
  EXPECT_TRUE(report->interaction_profile.empty() || report->haptic_pulses == 0u);
  EXPECT_EQ(report->selected_exhibits, std::vector<std::string>{"celadon-vase"});
  EXPECT_GT(report->label_frames, 20u);
  EXPECT_EQ(report->ring_presses, 4u);
  EXPECT_EQ(report->turns, 1u);
  EXPECT_EQ(report->teleports, 1u) << "to the vase, by looking";
  EXPECT_EQ(report->returns_to_start, 1u);
}

// Reduced motion: a snap turn and a teleport, each a cut (the visitor's place changes on one
// frame each, never over several) with a comfort vignette of 0.3 s (27 frames at 90 Hz); without
// it, the same cuts and no vignette.
TEST_F(HeadsetAccess, ReducedMotionMovesByCutsEachWithAComfortVignette) {
  const std::string timeline =
      R"({"interaction_profile": "/interaction_profiles/oculus/touch_controller", "end_session_at_frame": 75,
          "keyframes": [{"frame": 1, "left": {"tracked": false},
                         "right": {"position": [0.2, 1.3, -0.3], "yaw": 0, "pitch": -35}},
                        {"frame": 4, "right": {"thumbstick": [0.9, 0]}}, {"frame": 7, "right": {"thumbstick": [0, 0]}},
                        {"frame": 40, "right": {"thumbstick": [0, 0.9]}}, {"frame": 44, "right": {"thumbstick": [0, 0]}}]})";
  for (const bool calm : {true, false}) {
    HeadsetRunOptions options;
    options.reduced_motion = calm;
    const auto report = visit(timeline, calm ? "2,6" : "", options);
    ASSERT_TRUE(report.ok()) << report.error().describe();
    EXPECT_EQ(report->turns, 1u);
    EXPECT_EQ(report->teleports, 1u);
    EXPECT_EQ(report->place_changes, 2u) << "two cuts, nothing in between";
    if (!calm) {
      EXPECT_EQ(report->vignette_frames, 0u);
      continue;
    }
    EXPECT_GE(report->vignette_frames, 2u * 26u);
    EXPECT_LE(report->vignette_frames, 2u * 28u);
    // The edge of the view goes dark at the turn; its middle does not.
    // The share of near-black pixels in the outer eighth of the picture (`edge`), or in its
    // middle fifth.
    const auto dark_share = [](const ImageRgba8& image, bool edge) {
      const auto fraction = [](uint32_t at, uint32_t size) { return static_cast<double>(at) / size; };
      uint32_t dark = 0;
      uint32_t all = 0;
      for (uint32_t y = 0; y < image.height; ++y) {
        for (uint32_t x = 0; x < image.width; ++x) {
          const double u = fraction(x, image.width);
          const double v = fraction(y, image.height);
          const bool in_edge = u < 0.125 || u >= 0.875 || v < 0.125 || v >= 0.875;
          const bool in_middle = std::abs(u - 0.5) < 0.1 && std::abs(v - 0.5) < 0.1;
          if (edge ? !in_edge : !in_middle) continue;
          const uint8_t* pixel = image.at(x, y);
          dark += std::max({pixel[0], pixel[1], pixel[2]}) < 40;
          ++all;
        }
      }
      return static_cast<double>(dark) / all;
    };
    for (const char* side : {"left", "right"}) {
      const ImageRgba8 before = eye(2, side);
      const ImageRgba8 turning = eye(6, side);
      EXPECT_GT(dark_share(turning, true), 0.9) << side;
      EXPECT_LT(dark_share(before, true), 0.5) << side;
      EXPECT_LT(dark_share(turning, false), 0.5) << side << ": ahead stays clear";
    }
  }
}

// A book's label goes on with what its source says of it, in both languages: its own title (named
// otherwise than the exhibit), its summary, maker, date, attribution and rights. The panel is made
// as tall as that label needs, so none of it is cut off.
TEST_F(HeadsetAccess, ABooksLabelShowsWhatItsSourceSaysOfItInBothLanguages) {
  // One book where the gallery's vase stands, so the same aim selects it.
  const std::filesystem::path source = *folder_ / "book-source";
  testing::write_text(source / "scene.json", fmt::format(R"({{
  "id": "annals", "version": "1", "title": {{"zh-CN": "善本", "en": "Rare books"}},
  "viewpoints": [{{"position": [0, 1.6, {}], "target": [0, 1, 0]}}],
  "exhibits": [{{"id": "annals", "kind": "book", "position": [{}, {}, {}],
     "metadata": {{"title": {{"zh-CN": "史记", "en": "Annals"}}}},
     "alt_text": {{"zh-CN": "一部书。", "en": "A book."}}, "book": {{"folder": "annals"}}}}]
}})", stage_z, vase.x, vase.y, vase.z));
  testing::write_text(source / "annals" / "book.json", R"({"title": {"zh-CN": "史记 卷一至卷二", "en": "Annals, volumes one and two"},
    "summary": {"zh-CN": "司马迁所著纪传体通史的前两卷，南宋刊本，每半叶十行。", "en": "The first two volumes of Sima Qian's history, printed under the Southern Song, ten columns to a half-leaf."},
    "creator": {"zh-CN": "司马迁", "en": "Sima Qian"}, "date": {"zh-CN": "南宋", "en": "Southern Song"},
    "attribution": {"zh-CN": "某图书馆藏", "en": "Held by a library"},
    "rights": "http://rightsstatements.org/vocab/NoC-NC/1.0/", "viewingDirection": "right-to-left"})");
  for (uint32_t page = 1; page <= 3; ++page) {
    ASSERT_TRUE(write_png(source / "annals" / fmt::format("p{}.png", page), testing::page_scan(page)).ok());
  }
  ASSERT_TRUE(testing::pack_book_scene(source, *folder_ / "books" / "annals.pvpkg", folder_->path()));

  const std::string timeline = vase_selected_by_the_trigger();
  HeadsetRunOptions options;
  options.config.content = *folder_ / "books";
  options.config.trusted_keys = {testing::book_package_key(folder_->path())};
  options.package = "annals.pvpkg";
  const auto book = visit(timeline, "", options);
  ASSERT_TRUE(book.ok()) << book.error().describe();
  const auto gallery = visit(timeline, "");
  ASSERT_TRUE(gallery.ok()) << gallery.error().describe();
  EXPECT_GT(book->label_frames, 0u);
  std::vector<std::string> lines;
  for (size_t start = 0, end; start < book->label_text.size(); start = end + 1) {
    end = book->label_text.find('\n', start);
    lines.push_back(book->label_text.substr(start, end - start));
  }
  for (const char* line : {"史记", "Annals", "史记 卷一至卷二", "Annals, volumes one and two",
                           "司马迁所著纪传体通史的前两卷，南宋刊本，每半叶十行。",
                           "The first two volumes of Sima Qian's history, printed under the Southern Song, ten columns to a half-leaf.",
                           "作者", "司马迁", "Creator", "Sima Qian", "出处", "某图书馆藏", "Attribution", "Held by a library",
                           "http://rightsstatements.org/vocab/NoC-NC/1.0/"}) {
    EXPECT_NE(std::ranges::find(lines, line), lines.end()) << line << " is not on the label:\n" << book->label_text;
  }
  // Taller than the gallery's labels, as wide.
  EXPECT_GT(book->label_height_pixels, gallery->label_height_pixels);
  EXPECT_EQ(book->label_width_pixels, gallery->label_width_pixels);
}

// Text at 200 %: the label's panel is twice as wide and twice as tall, in pixels and in the world,
// so its text is as sharp and nothing is clipped.
TEST_F(HeadsetAccess, TextAtTwiceTheSizeMakesTheLabelAndCaptionsTwiceAsLarge) {
  const std::string timeline = vase_selected_by_the_trigger();
  HeadsetRunOptions options;
  const auto standard = visit(timeline, "", options);
  options.text_scale = 2.0f;
  const auto doubled = visit(timeline, "8", options, "320x240");
  ASSERT_TRUE(standard.ok() && doubled.ok());
  EXPECT_GT(standard->label_frames, 0u);
  EXPECT_GT(doubled->label_frames, 0u);
  EXPECT_EQ(doubled->label_width_pixels, 2 * standard->label_width_pixels);
  EXPECT_EQ(doubled->label_height_pixels, 2 * standard->label_height_pixels);
  EXPECT_FLOAT_EQ(doubled->label_width_metres, 2 * standard->label_width_metres);
  // The captions' panel grows with its text too.
  EXPECT_EQ(doubled->caption_width_pixels, 2 * standard->caption_width_pixels);
  EXPECT_EQ(doubled->caption_height_pixels, 2 * standard->caption_height_pixels);
  EXPECT_FLOAT_EQ(doubled->caption_width_metres, 2 * standard->caption_width_metres);
  EXPECT_GT(standard->caption_width_pixels, 0u);
}

// The guqin's note plays as the scene appears: its caption hangs below the line of sight, in
// both eyes, warm-white words on a dark panel.
TEST_F(HeadsetAccess, TheScenesSoundIsCaptionedInBothEyes) {
  const std::string timeline = R"({"end_session_at_frame": 8, "keyframes": [
      {"frame": 1, "left": {"tracked": false}, "right": {"tracked": false}}]})";
  const auto report = visit(timeline, "6", {}, "480x360");
  ASSERT_TRUE(report.ok()) << report.error().describe();
  ASSERT_FALSE(report->captions.empty());
  EXPECT_EQ(report->captions.front(), "[音乐：古琴一声，缓缓消散]") << "the sound's own caption (scene.json)";
  EXPECT_GE(report->caption_frames, 5u);
  // The panel's middle: a metre ahead, from 14 to 20 cm below the eyes and 15 cm either side
  // (kiosk/src/headset/headset_captions.cpp), seen through each eye's field of view (the
  // simulated headset's: its tangents left, right, up and down) from 32 mm either side.
  for (const bool left : {true, false}) {
    const ImageRgba8 image = eye(6, left ? "left" : "right");
    const float tan_left = std::tan(left ? -0.87f : -0.78f);
    const float tan_right = std::tan(left ? 0.78f : 0.87f);
    const float tan_up = std::tan(0.82f);
    const float tan_down = std::tan(-0.85f);
    const float eye_x = left ? -0.032f : 0.032f;
    const auto column = [&](float x) { return static_cast<uint32_t>((x - eye_x - tan_left) / (tan_right - tan_left) * image.width); };
    const auto row = [&](float y) { return static_cast<uint32_t>((tan_up - y) / (tan_up - tan_down) * image.height); };
    uint32_t dark = 0;
    uint32_t ink = 0;
    uint32_t all = 0;
    for (uint32_t y = row(-0.14f); y <= row(-0.20f); ++y) {
      for (uint32_t x = column(-0.15f); x <= column(0.15f); ++x) {
        const uint8_t* pixel = image.at(x, y);
        dark += std::max({pixel[0], pixel[1], pixel[2]}) < 50;
        ink += pixel[0] > 150 && pixel[1] > 130 && pixel[0] > pixel[2] + 15;
        ++all;
      }
    }
    EXPECT_GT(dark, all / 2) << (left ? "left" : "right") << ": the caption's dark panel";
    EXPECT_GT(ink, 15u) << (left ? "left" : "right") << ": its words";
  }
}

// A blind visitor, with one controller and the head bowed towards the ring: sweeping the hand's
// ray along it says each button it comes to; "next" selects the vase, whose title and audio
// description are heard; the label button says its state, hiding the label and showing it again
// (its description heard again); "back to the start" ends the visit where it began.
TEST_F(HeadsetAccess, ABlindVisitorFindsTheRingsButtonsByEarAndHearsTheExhibit) {
  const glm::vec3 held(0.2f, 1.3f, -0.3f);
  // A keyframe pointing the right hand at ring button `button` (the head bowed towards it), and
  // the trigger's state.
  const auto at = [&](int frame, int button, int trigger) {
    const auto [yaw, pitch] = aim(held, ring_button(button));
    return fmt::format(R"({{"frame": {}, "right": {{"position": [{}, {}, {}], "yaw": {}, "pitch": {}, "trigger": {}}},
        "head": {{"position": [0, 1.6, 0], "yaw": {}, "pitch": {}}}}})",
                       frame, held.x, held.y, held.z, yaw, pitch, trigger, ring_angles(button).first,
                       ring_angles(button).second);
  };
  // One frame between buttons: the ray jumps, passing none between. Back at the start the ring
  // hangs anew round the bowed head's gaze, so the head then rises and the hand points down.
  const std::string timeline = fmt::format(
      R"({{"interaction_profile": "/interaction_profiles/oculus/touch_controller", "end_session_at_frame": 36,
          "keyframes": [{{"frame": 1, "left": {{"tracked": false}}}}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {},
                        {}, {}]}})",
      at(2, turn_right_button, 0), at(4, turn_right_button, 0), at(5, next_button, 0), at(8, next_button, 1),
      at(10, next_button, 0), at(12, next_button, 0), at(13, toggle_button, 0), at(16, toggle_button, 1),
      at(18, toggle_button, 0), at(21, toggle_button, 1), at(23, toggle_button, 0), at(25, toggle_button, 0),
      at(26, back_button, 0), at(29, back_button, 1),
      R"({"frame": 30, "right": {"yaw": 0, "pitch": -80, "trigger": 0}, "head": {"position": [0, 1.6, 0], "yaw": 10, "pitch": 0}})",
      R"({"frame": 34, "right": {"yaw": 0, "pitch": -80}, "head": {"position": [0, 1.6, 0], "yaw": 10, "pitch": 0}})");
  const auto report = visit(timeline, "");
  ASSERT_TRUE(report.ok()) << report.error().describe();
  const std::string description = "一只约七十五厘米高的青绿色瓷瓶，腹部圆润，颈部细长，釉面有细小裂纹。";
  const std::vector<std::pair<std::string, std::string>> expected{
      {"向右转", "zh-CN"},
      {"下一件展品", "zh-CN"},
      {"龙泉窑青瓷开片瓶（仿制）", "zh-CN"},
      {description, "zh-CN"},
      {"展品说明：显示中，按下隐藏", "zh-CN"},
      {"展品说明：已隐藏，按下显示并朗读", "zh-CN"},
      {"展品说明：显示中，按下隐藏", "zh-CN"},
      {description, "zh-CN"},
      {"回到起点", "zh-CN"}};
  EXPECT_EQ(report->spoken, expected);
  EXPECT_EQ(report->selected_exhibits, std::vector<std::string>{"celadon-vase"});
  EXPECT_EQ(report->ring_presses, 4u);
  EXPECT_EQ(report->returns_to_start, 1u);
  // What was said is captioned too, for a companion who cannot hear it.
  EXPECT_NE(std::ranges::find(report->captions, "下一件展品"), report->captions.end());
}

// The selected exhibit's title and description are said, in the visitor's language, and the
// title captioned while it is.
TEST_F(HeadsetAccess, TheSelectedExhibitsTitleIsSaidAndCaptioned) {
  const auto [yaw, pitch] = aim({0.2f, 1.3f, -0.3f}, vase);
  const std::string timeline = fmt::format(
      R"({{"interaction_profile": "/interaction_profiles/oculus/touch_controller", "end_session_at_frame": 12,
          "keyframes": [{{"frame": 1, "left": {{"tracked": false}}, "right": {{"position": [0.2, 1.3, -0.3], "yaw": {}, "pitch": {}}}}},
                        {{"frame": 3, "right": {{"trigger": 1}}}}]}})",
      yaw, pitch);
  HeadsetRunOptions options;
  options.language = Language::en;
  const auto report = visit(timeline, "", options);
  ASSERT_TRUE(report.ok()) << report.error().describe();
  const std::string title = "Longquan celadon vase with crackled glaze (replica)";
  const std::string description =
      "A green porcelain vase about 75 cm tall, with a round body, a slender neck and a glaze of fine cracks.";
  EXPECT_EQ(report->spoken, (std::vector<std::pair<std::string, std::string>>{{title, "en"}, {description, "en"}}));
  EXPECT_NE(std::ranges::find(report->captions, title), report->captions.end());
  EXPECT_NE(std::ranges::find(report->captions, "[music: a single guqin note, fading]"), report->captions.end())
      << "the guqin named in English too";
}

}  // namespace
}  // namespace pavilion::kiosk

// Time, motion and reach on the touch kiosk (kiosk/ACCESSIBILITY.md): timeouts ten times as long
// or off, calm mode's cuts, and the lower layout's controls within a seated visitor's reach.
// Scripted visits on a virtual clock, drawn offscreen by the real renderer.
#include "pavilion/kiosk/kiosk.h"
#include "sample_packages.h"
#include "temporary_folder.h"

#include <fmt/format.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <map>

namespace pavilion::kiosk {
namespace {

using testing::TemporaryFolder;

class KioskReach : public ::testing::Test {
 protected:
  // The gallery and the poetry garden: eleven cards (three pages of the lower layout's home), a
  // model and a poem, and a change of scene between them.
  static void SetUpTestSuite() { folder_ = new TemporaryFolder(); }
  void SetUp() override {
    for (const char* file : {"gallery.pvpkg", "poetry_garden.pvpkg"}) {
      ASSERT_TRUE(testing::link_sample_package(*folder_ / "content", file));
    }
  }
  static void TearDownTestSuite() {
    delete folder_;
    folder_ = nullptr;
  }

  static KioskConfig config(double idle_timeout_seconds, double still_there_seconds, uint32_t height) {
    KioskConfig out;
    out.file = "test kiosk.json";
    out.content = *folder_ / "content";
    out.trusted_keys = {testing::sample_packages_key};
    out.operator_pin = "2468";
    out.idle_timeout_seconds = idle_timeout_seconds;
    out.still_there_seconds = still_there_seconds;
    out.utc_offset = std::chrono::minutes(480);
    out.pixels_per_mm = 3.8 * height / 720.0;  // 9 mm as on a 1280×720 kiosk screen
    return out;
  }

  KioskReport run(const KioskConfig& kiosk_config, std::string_view visit, uint32_t width, uint32_t height,
                  std::function<void(const KioskReport&)> after_frame = {}) {
    std::vector<checking::Finding> findings;
    auto script = parse_visit_script(visit, "test visit.json", findings);
    EXPECT_TRUE(script) << (findings.empty() ? "" : findings[0].describe());
    if (!script) return {};
    KioskOptions options;
    options.headless = true;
    options.width = width;
    options.height = height;
    options.script = std::move(*script);
    options.screenshot_folder = shots_.path();
    options.after_frame = std::move(after_frame);
    auto kiosk = Kiosk::create(kiosk_config, options);
    EXPECT_TRUE(kiosk.ok()) << kiosk.error().describe();
    if (!kiosk.ok()) return {};
    const auto ended = (*kiosk)->run();
    EXPECT_TRUE(ended.ok()) << ended.error().describe();
    KioskReport report = (*kiosk)->report();
    for (const std::string& failure : report.script_failures) ADD_FAILURE() << failure;
    return report;
  }

  static TemporaryFolder* folder_;
  TemporaryFolder shots_;
};

TemporaryFolder* KioskReach::folder_ = nullptr;

// The session's rule alone: ten times stretches the silence and the countdown; off asks ten times
// the countdown before the hour and ends the visit at the hour.
TEST(VisitorSessionTime, EachChoiceScalesTheQuestionAndItsCountdown) {
  using Change = VisitorSession::Change;
  VisitorSession session(60, 15);
  EXPECT_EQ(session.touch(0), Change::started);
  EXPECT_EQ(session.update(599.9, TimeChoice::ten_times), Change::none);
  EXPECT_EQ(session.update(600, TimeChoice::ten_times), Change::countdown_started);
  EXPECT_NEAR(session.seconds_left(600, TimeChoice::ten_times), 150.0, 1e-9);
  EXPECT_EQ(session.update(749.9, TimeChoice::ten_times), Change::none);
  EXPECT_EQ(session.update(750, TimeChoice::ten_times), Change::ended_by_timeout);

  EXPECT_EQ(session.touch(1000), Change::started);
  EXPECT_EQ(session.update(1000 + 3449.9, TimeChoice::off), Change::none);
  EXPECT_EQ(session.update(1000 + 3450, TimeChoice::off), Change::countdown_started);
  EXPECT_EQ(session.update(1000 + 3599.9, TimeChoice::off), Change::none);
  EXPECT_EQ(session.update(1000 + 3600, TimeChoice::off), Change::ended_by_timeout);

  EXPECT_EQ(session.touch(5000), Change::started);
  EXPECT_EQ(session.update(5060, TimeChoice::standard), Change::countdown_started);
  EXPECT_EQ(session.update(5075, TimeChoice::standard), Change::ended_by_timeout);
}

constexpr uint32_t small_width = 320;
constexpr uint32_t small_height = 180;

// After the last touch (the panel's "done", or its settings' taps) the script waits; "expect"
// sees the frame before, so each check stands half a second clear of the moment it tests.
std::string timed_visit(std::string_view settings, double frame_seconds, std::string_view waits) {
  return fmt::format(R"({{"start": "2027-02-10T10:00:00+08:00", "frame_seconds": {}, "steps": [
      {{"wait": 0.5}}, {{"tap": "begin"}}, {{"tap": "accessibility"}}, {}{{"tap": "accessibility-done"}}, {}]}})",
                     frame_seconds, settings, waits);
}

// Idle timeout 2 s, countdown 1 s: the standard question at 2 s, the visit over at 3 s.
TEST_F(KioskReach, StandardTimeAsksAtTheIdleTimeout) {
  run(config(2, 1, small_height), timed_visit("", 0.25, R"({"wait": 1.25}, {"expect": "home"}, {"wait": 0.5},
      {"expect": "still-there"}, {"wait": 1}, {"expect": "attract"})"),
      small_width, small_height);
}

// "More time" once: ten times as long, the question at 20 s and not before, the countdown 10 s.
TEST_F(KioskReach, TenTimesAsksAtTenTimesTheIdleTimeoutAndNotBefore) {
  run(config(2, 1, small_height), timed_visit(R"({"tap": "more-time"}, )", 0.25, R"({"wait": 19}, {"expect": "home"},
      {"wait": 1}, {"expect": "still-there"}, {"wait": 9}, {"expect": "still-there"}, {"wait": 1}, {"expect": "attract"})"),
      small_width, small_height);
}

// Audio-only mode turned on sets ten times at once, as the keypad does.
TEST_F(KioskReach, AudioOnlyModeExtendsTimeTenTimes) {
  run(config(2, 1, small_height), timed_visit(R"({"tap": "audio-only"}, )", 0.25, R"({"wait": 19}, {"expect": "home"},
      {"wait": 1}, {"expect": "still-there"})"),
      small_width, small_height);
}

// A visitor who starts with the keypad gets ten times at once: the question at 20 s, not at 2 s.
TEST_F(KioskReach, TheKeypadExtendsTimeTenTimes) {
  run(config(2, 1, small_height), R"({"start": "2027-02-10T10:00:00+08:00", "frame_seconds": 0.25, "steps": [
      {"wait": 0.5}, {"key": "select"}, {"wait": 0.5}, {"expect": "home"}, {"wait": 18.5}, {"expect": "home"},
      {"wait": 1}, {"expect": "still-there"}, {"key": "down"}, {"wait": 0.5}, {"expect": "home"}]})",
      small_width, small_height);
}

// "More time" twice: no time limit. Long silences pass; an hour with no input at all still ends
// the visit, the question (ten times the countdown) coming just before the hour.
TEST_F(KioskReach, NoTimeLimitSurvivesLongSilenceAndEndsAtTheHour) {
  // Five-second frames (a tap takes three of them, within the 20 s idle timeout).
  run(config(20, 1, small_height), timed_visit(R"({"tap": "more-time"}, {"tap": "more-time"}, )", 5, R"({"wait": 1800},
      {"expect": "home"}, {"wait": 1770}, {"expect": "home"}, {"wait": 15}, {"expect": "still-there"}, {"wait": 10},
      {"expect": "attract"})"),
      small_width, small_height);
}

constexpr uint32_t full_width = 1280;
constexpr uint32_t full_height = 720;

// The controls of each screenshot's frame, by the screenshot's name.
using ControlsByShot = std::map<std::string, std::vector<Control>>;

std::function<void(const KioskReport&)> controls_at_screenshots(ControlsByShot& shots) {
  return [&shots, taken = size_t{0}](const KioskReport& report) mutable {
    if (report.screenshots.size() == taken) return;
    taken = report.screenshots.size();
    shots[std::filesystem::path(report.screenshots.back()).stem().string()] = report.controls;
  };
}

// One visit over every visitor screen (home and its second page, a model, a poem, the
// accessibility panel and its `panel_pages` pages of settings, "still there?"), a screenshot of
// each, in the layout `settings` sets.
std::string every_screen(std::string_view settings, std::string_view suffix, size_t panel_pages) {
  std::string pages;
  for (size_t page = 2; page <= panel_pages; ++page) {
    pages += fmt::format(R"({{"tap": "settings-next"}}, {{"wait": 0.5}}, {{"screenshot": "panel{}{}.png"}}, )", page, suffix);
  }
  return fmt::format(R"({{"start": "2027-02-10T10:00:00+08:00", "frame_seconds": 0.25, "steps": [
      {{"wait": 0.5}}, {{"tap": "begin"}}, {{"tap": "accessibility"}}, {0}{{"wait": 0.5}}, {{"screenshot": "panel{1}.png"}}, {2}
      {{"tap": "accessibility-done"}}, {{"wait": 0.5}}, {{"screenshot": "home{1}.png"}},
      {{"tap": "exhibit:gallery/celadon-vase"}}, {{"wait": 1}}, {{"screenshot": "model{1}.png"}},
      {{"tap": "home"}}, {{"tap": "next-page"}}, {{"wait": 0.5}}, {{"screenshot": "home_next{1}.png"}},
      {{"tap": "exhibit:poetry-garden/quiet-night"}}, {{"wait": 1}},
      {{"tap": "poem:translation"}}, {{"wait": 0.5}}, {{"screenshot": "poem{1}.png"}},
      {{"wait": 4.5}}, {{"expect": "still-there"}}, {{"screenshot": "still_there{1}.png"}}]}})",
                     settings, suffix, pages);
}

bool has(const std::vector<Control>& controls, std::string_view name) {
  return std::ranges::any_of(controls, [&](const Control& control) { return control.name == name; });
}

// Every control but the operator's corner (no visitor's control, not in the focus order) within
// the bottom 55 % and on the screen, in the lower layout; the highest control's top, to show the
// standard layout differs.
float check_reach(const std::vector<Control>& controls, bool lower, std::string_view shot) {
  const float reach_top = 0.45f * full_height;
  float highest = static_cast<float>(full_height);
  for (const Control& control : controls) {
    if (control.name == "operator-corner") continue;
    highest = std::min(highest, control.min_y);
    if (lower) {
      EXPECT_GE(control.min_y, reach_top) << shot << ": " << control.name;
      EXPECT_LE(control.max_y, static_cast<float>(full_height)) << shot << ": " << control.name;
    }
  }
  return highest;
}

// Every control of every visitor screen within the bottom 55 % in the lower layout; in the
// standard layout some stand above it (so the check can fail).
TEST_F(KioskReach, TheLowerLayoutPutsEveryControlInASeatedVisitorsReach) {
  // The standard layout, the lower one, and the lower one with text enlarged (to 175 %: larger
  // labels, taller cards, the accessibility panel's settings a page at a time).
  const std::array<std::pair<std::string_view, std::string_view>, 3> layouts{{
      {"", ""},
      {R"({"tap": "lower-layout"}, )", "_lower"},
      {R"({"tap": "text-larger"}, {"tap": "text-larger"}, {"tap": "text-larger"}, {"tap": "text-larger"}, {"tap": "lower-layout"}, )",
       "_lower_large"}}};
  // Every setting of the panel, on one page or over several.
  const std::vector<std::string_view> settings_names{"text-smaller", "text-larger", "high-contrast", "audio-descriptions", "calm",
                                                     "seated", "audio-only", "lower-layout", "captions", "simple", "more-time",
                                                     "accessibility-done"};
  for (const auto& [settings, suffix] : layouts) {
    const bool lower = !suffix.empty();
    const bool large = suffix == "_lower_large";
    SCOPED_TRACE(suffix);
    // With larger text the lower layout shows the settings a page at a time, one a row: each
    // page visited (and the arrows wrap round to the first again).
    const size_t panel_pages = large ? 6 : 1;
    ControlsByShot shots;
    const KioskReport report = run(config(4, 10, full_height), every_screen(settings, suffix, panel_pages), full_width, full_height,
                                   controls_at_screenshots(shots));
    EXPECT_TRUE(report.undersized_controls.empty()) << report.undersized_controls.front();
    // Each screen holds the controls it should, so that none escapes the check by being absent.
    const std::map<std::string, std::vector<std::string_view>> expected{
        {"home", {"language", "accessibility", "end-visit", "exhibit:gallery/celadon-vase", "previous-page", "next-page"}},
        {"home_next", {"language", "accessibility", "end-visit", "exhibit:poetry-garden/quiet-night", "previous-page", "next-page"}},
        {"model", {"home", "previous", "next", "language", "accessibility"}},
        {"poem", {"home", "poem:play", "poem:replay", "poem:pinyin", "poem:translation"}},
        {"still_there", {"keep-exploring"}}};
    float highest = static_cast<float>(full_height);
    for (const auto& [shot, names] : expected) {
      const std::string file = shot + std::string(suffix);
      ASSERT_TRUE(shots.contains(file)) << file;
      const std::vector<Control>& controls = shots[file];
      for (const std::string_view name : names) EXPECT_TRUE(has(controls, name)) << file << ": " << name;
      highest = std::min(highest, check_reach(controls, lower, file));
    }
    // The panel's pages together hold every setting, each page within reach; with larger text
    // more than one page, each with its arrows.
    std::vector<Control> panel;
    size_t later_pages = 0;  // screenshots of a page past the first
    for (size_t page = 1; page <= panel_pages; ++page) {
      const std::string file = page == 1 ? "panel" + std::string(suffix) : fmt::format("panel{}{}", page, suffix);
      ASSERT_TRUE(shots.contains(file)) << file;
      const std::vector<Control>& controls = shots[file];
      if (large) {
        EXPECT_TRUE(has(controls, "settings-previous") && has(controls, "settings-next")) << file;
      }
      later_pages += has(controls, "high-contrast") ? 0 : 1;
      highest = std::min(highest, check_reach(controls, lower, file));
      panel.insert(panel.end(), controls.begin(), controls.end());
    }
    for (const std::string_view name : settings_names) EXPECT_TRUE(has(panel, name)) << "panel" << suffix << ": " << name;
    if (large) {
      EXPECT_GE(later_pages, 2u) << "the settings after the first page were seen";
    }
    if (!lower) {
      EXPECT_LT(highest, 0.45f * full_height) << "the standard layout puts controls at the top";
    }
  }
}

// Audio-only mode's three zones on the poem (turned on there, the panel closed by the keypad's
// back key): from the top of the screen in the standard layout, from the reach line down in the
// lower one.
TEST_F(KioskReach, AudioOnlyModesZonesStandInReachInTheLowerLayout) {
  for (const bool lower : {false, true}) {
    SCOPED_TRACE(lower ? "lower" : "standard");
    ControlsByShot shots;
    run(config(4, 10, full_height), fmt::format(R"({{"start": "2027-02-10T10:00:00+08:00", "frame_seconds": 0.25, "steps": [
        {{"wait": 0.5}}, {{"tap": "begin"}}, {{"tap": "accessibility"}}, {}{{"wait": 0.5}},
        {{"tap": "accessibility-done"}}, {{"wait": 0.5}}, {{"tap": "next-page"}}, {{"wait": 0.5}}, {{"tap": "exhibit:poetry-garden/quiet-night"}}, {{"wait": 1}},
        {{"tap": "accessibility"}}, {{"tap": "audio-only"}}, {{"key": "back"}}, {{"wait": 0.5}}, {{"expect": "exhibit"}},
        {{"screenshot": "zones.png"}}]}})", lower ? R"({"tap": "lower-layout"}, )" : ""),
        full_width, full_height, controls_at_screenshots(shots));
    ASSERT_TRUE(shots.contains("zones"));
    const std::vector<Control>& controls = shots["zones"];
    for (const std::string_view name : {"poem:previous-poem", "poem:pause-resume", "poem:next-poem"}) {
      EXPECT_TRUE(has(controls, name)) << name;
    }
    const float highest = check_reach(controls, lower, "zones");
    if (!lower) {
      EXPECT_LT(highest, 0.45f * full_height) << "the standard layout's zones reach from the top";
    }
  }
}

// Calm mode: between frames the camera either stays or jumps, never glides over several frames,
// and the scene changes without a fade; without it, the camera glides and scenes fade.
TEST_F(KioskReach, CalmModeMovesTheCameraByCutsAndCutsBetweenScenes) {
  for (const bool calm : {false, true}) {
    SCOPED_TRACE(calm ? "calm" : "standard");
    struct Frame {
      std::array<float, 3> eye;
      float fade;
    };
    std::vector<Frame> frames;
    bool recording = false;
    const KioskReport report = run(config(30, 10, small_height),
                                   fmt::format(R"({{"start": "2027-02-10T10:00:00+08:00", "frame_seconds": 0.1, "steps": [
      {{"wait": 0.5}}, {{"tap": "begin"}}, {{"tap": "accessibility"}}, {}{{"tap": "accessibility-done"}},
      {{"screenshot": "from_here.png"}},
      {{"tap": "exhibit:gallery/celadon-vase"}}, {{"wait": 2}}, {{"tap": "next"}}, {{"wait": 2}}, {{"tap": "home"}}, {{"wait": 2}},
      {{"tap": "next-page"}}, {{"tap": "exhibit:poetry-garden/quiet-night"}}, {{"wait": 2}}, {{"tap": "home"}}, {{"wait": 2}}]}})",
                                               calm ? R"({"tap": "calm"}, )" : ""),
                                   small_width, small_height, [&](const KioskReport& frame) {
                                     if (!frame.screenshots.empty()) recording = true;
                                     if (recording) frames.push_back({frame.camera_eye, frame.fade});
                                   });
    EXPECT_EQ(report.shown_package, "poetry_garden.pvpkg") << "the visit changed scenes";
    ASSERT_GT(frames.size(), 100u);
    size_t moves = 0, moves_in_a_row = 0, fading_frames = 0;
    bool moved_before = false;
    for (size_t index = 1; index < frames.size(); ++index) {
      const std::array<float, 3>& a = frames[index - 1].eye;
      const std::array<float, 3>& b = frames[index].eye;
      const bool moved = std::hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]) > 1e-4f;
      moves += moved ? 1 : 0;
      moves_in_a_row += moved && moved_before ? 1 : 0;
      moved_before = moved;
      if (frames[index].fade > 0.0f && frames[index].fade < 1.0f) ++fading_frames;
    }
    if (calm) {
      EXPECT_GE(moves, 4u) << "a cut to each exhibit, home and the other scene";
      EXPECT_EQ(moves_in_a_row, 0u) << "the camera glided";
      EXPECT_EQ(fading_frames, 0u) << "a scene faded";
    } else {
      EXPECT_GT(moves_in_a_row, 20u) << "without calm mode the camera glides";
      EXPECT_GT(fading_frames, 2u) << "without calm mode scenes fade";
    }
  }
}

}  // namespace
}  // namespace pavilion::kiosk

// A scene's festival show on the kiosk (kiosk/README.md, "Shows"): its cues land on the loopback
// device's clock of the music, its sounds are captioned (the music as music, the rest as effects)
// in the visitor's language, it loops in the attract loop and plays once in a visit, a visitor who
// touches the lantern releases it (the response heard, `lantern_released` in the event log with
// the exhibit's id), calm mode makes it quieter and cuts its camera move, and in the headset
// pointing at the rooster makes it crow. Scripted visits on a virtual clock, drawn offscreen.
#include "festival_fixture.h"
#include "pavilion/kiosk/headset_mode.h"
#include "pavilion/kiosk/kiosk.h"
#include "pavilion/pack/builder.h"
#include "pavilion/package/signing.h"
#include "pavilion/telemetry/local_queue.h"
#include "temporary_folder.h"

#include <fmt/format.h>
#include <glm/geometric.hpp>
#include <glm/trigonometric.hpp>
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

namespace pavilion::kiosk {
namespace {

using interaction::Caption;
using interaction::CaptionKind;
using scene::ShowEventKind;
using testing::festival_camera_end_x;
using testing::festival_gong_seconds;
using testing::festival_gong_start;
using testing::festival_title_start;
using testing::TemporaryFolder;

constexpr double frame_seconds = 0.05;
constexpr double show_seconds = 8.0;
constexpr uint32_t gong_track = 1;  // the "opening" track
constexpr uint32_t gong_cue = 2;

class KioskShow : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    folder_ = new TemporaryFolder();
    key_ = package::generate_key_pair();
    ASSERT_TRUE(package::write_key_files(key_, *folder_ / "curator.key", *folder_ / "curator.pub").ok());
    testing::write_festival_source(*folder_ / "source", show_seconds);
    std::filesystem::create_directories(*folder_ / "content");
    pack::BuildOptions options;
    options.scene_directory = *folder_ / "source";
    options.output = *folder_ / "content" / "festival.pvpkg";
    options.key = &key_;
    options.thumbnails = false;
    // The flash check plays the whole show at 90 frames a second (pack_flash_tests test it); the
    // kiosk then limits the unchecked show's flashes, which these tests do not look at.
    options.check_show_flashes = false;
    const auto built = pack::build_package(options);
    ASSERT_TRUE(built.ok()) << built.error().describe();
  }
  static void TearDownTestSuite() {
    delete folder_;
    folder_ = nullptr;
  }

  KioskConfig config() const {
    KioskConfig out;
    out.file = "test kiosk.json";
    out.content = *folder_ / "content";
    out.trusted_keys = {*folder_ / "curator.pub"};
    out.operator_pin = "2468";
    out.utc_offset = std::chrono::minutes(480);
    out.pixels_per_mm = 3.8 * 270 / 720.0;
    return out;
  }

  // Every frame's show state, and the run's report.
  struct Run {
    KioskReport report;
    std::vector<KioskReport::ShowState> frames;
    std::vector<double> levels;
    std::vector<std::array<float, 3>> eyes;
  };

  Run run(const KioskConfig& kiosk_config, std::string_view steps) {
    const std::string visit =
        fmt::format(R"({{"start": "2027-02-08T10:20:00+08:00", "frame_seconds": {}, "steps": [{}]}})", frame_seconds, steps);
    std::vector<checking::Finding> findings;
    auto script = parse_visit_script(visit, "test visit.json", findings);
    EXPECT_TRUE(script) << (findings.empty() ? "" : findings[0].describe());
    Run out;
    KioskOptions options;
    options.after_frame = [&](const KioskReport& frame) {
      out.frames.push_back(frame.show);
      out.levels.push_back(frame.sound_level);
      out.eyes.push_back(frame.camera_eye);
    };
    options.headless = true;
    options.width = 480;
    options.height = 270;
    options.validation = true;
    options.script = script.value_or(VisitScript{});
    options.screenshot_folder = shots_.path();
    auto kiosk = Kiosk::create(kiosk_config, options);
    EXPECT_TRUE(kiosk.ok()) << kiosk.error().describe();
    if (!kiosk.ok()) return out;
    const auto ended = (*kiosk)->run();
    EXPECT_TRUE(ended.ok()) << ended.error().describe();
    out.report = (*kiosk)->report();
    for (const std::string& failure : out.report.script_failures) ADD_FAILURE() << failure;
    for (const std::string& message : out.report.validation_messages) ADD_FAILURE() << "validation: " << message;
    return out;
  }

  static std::vector<Caption> of_kind(const KioskReport& report, CaptionKind kind) {
    std::vector<Caption> out;
    std::ranges::copy_if(report.captions, std::back_inserter(out), [&](const Caption& caption) { return caption.kind == kind; });
    return out;
  }

  // The frames on which `cue` of `track` started (moment: a response's cue).
  static std::vector<size_t> starts_of(const Run& run, uint32_t track, uint32_t cue, uint32_t moment = scene::no_show_index) {
    std::vector<size_t> frames;
    for (size_t index = 0; index < run.frames.size(); ++index) {
      for (const scene::ShowEvent& event : run.frames[index].events) {
        if (event.kind == ShowEventKind::cue_start && event.track == track && event.cue == cue && event.moment == moment) {
          frames.push_back(index);
        }
      }
    }
    return frames;
  }

  static inline TemporaryFolder* folder_ = nullptr;
  static inline package::KeyPair key_;
  TemporaryFolder shots_;
};

// Nobody at the kiosk: the show loops, and each pass's gong is reported on the first frame whose
// reading of the music's clock (the loopback device's, which the music voice plays on) has reached
// the gong's time: within one frame of the music getting there.
TEST_F(KioskShow, CuesLandOnTheMusicsClockAndTheShowLoopsInTheAttractLoop) {
  const Run run = this->run(config(), R"({"wait": 19}, {"expect": "attract"})");
  const std::vector<size_t> gongs = starts_of(run, gong_track, gong_cue);
  ASSERT_EQ(gongs.size(), 3u) << "at 2.5 s, 10.5 s and 18.5 s: once a pass, looping";
  for (const size_t frame : gongs) {
    const KioskReport::ShowState& now = run.frames[frame];
    const KioskReport::ShowState& before = run.frames[frame - 1];
    ASSERT_GE(now.music_seconds, 0.0) << "the music plays";
    EXPECT_TRUE(now.looping);
    // The music had not reached the gong the frame before, and has now, by less than a frame.
    EXPECT_LT(before.music_seconds, festival_gong_start);
    EXPECT_GE(now.music_seconds, festival_gong_start - 1e-6);
    EXPECT_LT(now.music_seconds - festival_gong_start, frame_seconds + 1e-6);
    EXPECT_NEAR(now.show_seconds, now.music_seconds, 1e-4) << "the show's time is the music's";
  }
  EXPECT_EQ(run.frames[gongs[1]].pass, 1u);
  EXPECT_EQ(run.frames[gongs[2]].pass, 2u);
  // The music's clock moves as the loopback mixes: a frame's worth each frame while it plays.
  size_t steady = 0;
  for (size_t index = 1; index < gongs[0]; ++index) {
    if (run.frames[index - 1].music_seconds < 0.0) continue;
    EXPECT_NEAR(run.frames[index].music_seconds - run.frames[index - 1].music_seconds, frame_seconds, 1e-3);
    ++steady;
  }
  EXPECT_GT(steady, 30u);
  // The title shows over the scene from 1 s, fading in over half a second.
  const auto titled = std::ranges::find_if(run.frames, [](const KioskReport::ShowState& frame) { return frame.titles_drawn > 0; });
  ASSERT_NE(titled, run.frames.end());
  EXPECT_NEAR(titled->show_seconds, festival_title_start, frame_seconds + 1e-4);
  EXPECT_LT(titled->first_title_alpha, 0.2f);
  EXPECT_GT(run.frames[static_cast<size_t>(2.5 / frame_seconds)].first_title_alpha, 0.9f);
  // The camera follows the show's move, landing where it ends.
  EXPECT_TRUE(run.frames[static_cast<size_t>(1.5 / frame_seconds)].camera_used);
  EXPECT_NEAR(run.eyes[static_cast<size_t>(2.8 / frame_seconds)][0], festival_camera_end_x, 0.05f);
}

// The music named as music and the gong as an effect, each while it is heard, in the visitor's
// language: Chinese in the attract loop, English once the visitor switches.
TEST_F(KioskShow, ItsSoundsAreCaptionedWithTheirKindAndInTheVisitorsLanguage) {
  const Run run = this->run(config(), R"({"wait": 3}, {"tap": "begin"}, {"tap": "language"}, {"wait": 2})");
  const std::vector<Caption> music = of_kind(run.report, CaptionKind::music);
  ASSERT_GE(music.size(), 2u);
  EXPECT_EQ(music[0].text, "[音乐：迎春曲]");
  EXPECT_EQ(music[0].language, "zh-CN");
  EXPECT_NEAR(music[0].start, 0.0, frame_seconds + 1e-6);
  EXPECT_EQ(music[1].text, "[music: a tune to welcome spring]");
  EXPECT_EQ(music[1].language, "en");
  EXPECT_NEAR(music[1].start, music[0].end, 1e-9) << "named again at once in the new language";
  const std::vector<Caption> effects = of_kind(run.report, CaptionKind::effect);
  ASSERT_EQ(effects.size(), 1u);
  EXPECT_EQ(effects[0].text, "[声音：锣]") << "without a caption of its own, named by its exhibit's title";
  EXPECT_EQ(effects[0].language, "zh-CN");
  EXPECT_NEAR(effects[0].start, festival_gong_start, frame_seconds * 2);
  EXPECT_NEAR(effects[0].end - effects[0].start, festival_gong_seconds, frame_seconds * 2) << "while it is heard";
}

// A visitor plays the show once: the pass under way plays to its end, then nothing more.
TEST_F(KioskShow, AVisitorHearsTheShowOnceItDoesNotLoop) {
  const Run run = this->run(config(), R"({"wait": 1}, {"tap": "begin"}, {"wait": 12}, {"expect": "home"})");
  EXPECT_EQ(starts_of(run, gong_track, gong_cue).size(), 1u);
  EXPECT_TRUE(run.frames.back().finished);
  EXPECT_FALSE(run.frames.back().looping);
  EXPECT_EQ(run.frames.back().sounds_playing, 0u);
}

// Touching the lantern releases it: the moment's gong and title, and `lantern_released` with the
// lantern's id in the interaction log that goes to the hub.
TEST_F(KioskShow, TouchingTheLanternReleasesItAndTheMomentIsLogged) {
  TemporaryFolder state;
  KioskConfig kiosk = config();
  kiosk.telemetry_queue = state / "events.sqlite";
  const Run run = this->run(kiosk, R"({"wait": 1}, {"tap": "begin"}, {"wait": 3.5}, {"tap": "exhibit:festival/lantern"},
      {"wait": 1}, {"expect": "exhibit"})");
  EXPECT_EQ(run.report.show_moments, std::vector<std::string>{"lantern_released@lantern"});
  const std::vector<size_t> gongs = starts_of(run, scene::no_show_index, 0, 0);
  ASSERT_EQ(gongs.size(), 1u) << "the moment's gong";
  EXPECT_GT(run.frames[gongs[0]].sounds_playing, 0u);
  EXPECT_EQ(starts_of(run, scene::no_show_index, 1, 0).size(), 1u) << "and its title";
  const std::vector<Caption> effects = of_kind(run.report, CaptionKind::effect);
  ASSERT_EQ(effects.size(), 2u) << "the show's gong, then the lantern's";
  EXPECT_NEAR(effects[1].start, gongs[0] * frame_seconds, 2 * frame_seconds);

  auto queue = telemetry::LocalQueue::open(kiosk.telemetry_queue, 1000);
  ASSERT_TRUE(queue.ok()) << queue.error().describe();
  const auto events = (*queue)->oldest(100);
  ASSERT_TRUE(events.ok());
  const auto moment = std::ranges::find(*events, telemetry::EventType::show_moment, &telemetry::Event::type);
  ASSERT_NE(moment, events->end());
  EXPECT_EQ(moment->subject.view(), "lantern_released@lantern");
  EXPECT_EQ(moment->package_id.view(), "festival");
  EXPECT_EQ(moment->value, 1) << "by touch";
  EXPECT_NE(moment->session, telemetry::Uuid{}) << "within the visitor's session";
}

// Calm mode: no bursts, the sounds 6 dB quieter (the gong heard at half the level) and the camera
// move cut to its end, never flown.
TEST_F(KioskShow, CalmModeIsQuieterAndCutsTheCameraMove) {
  constexpr std::string_view full_steps = R"({"wait": 0.2}, {"tap": "begin"}, {"wait": 3.5})";
  constexpr std::string_view calm_steps = R"({"wait": 0.2}, {"tap": "begin"}, {"tap": "accessibility"}, {"tap": "calm"},
      {"tap": "accessibility-done"}, {"wait": 3.5})";
  const Run full = run(config(), full_steps);
  const Run calm = run(config(), calm_steps);
  const std::vector<size_t> full_gong = starts_of(full, gong_track, gong_cue);
  const std::vector<size_t> calm_gong = starts_of(calm, gong_track, gong_cue);
  ASSERT_EQ(full_gong.size(), 1u);
  ASSERT_EQ(calm_gong.size(), 1u);
  const auto gain_of = [](const Run& run, size_t frame) {
    for (const scene::ShowEvent& event : run.frames[frame].events) {
      if (event.track == gong_track && event.cue == gong_cue) return event.gain_db;
    }
    return 0.0f;
  };
  EXPECT_FLOAT_EQ(gain_of(full, full_gong[0]), -3.0f);
  EXPECT_FLOAT_EQ(gain_of(calm, calm_gong[0]), -9.0f);
  EXPECT_TRUE(calm.frames[calm_gong[0]].calm);
  // No bursts of light in calm mode: the sparks at 3 s go off in the full show only.
  constexpr uint32_t burst_cue = 3;
  EXPECT_EQ(starts_of(full, gong_track, burst_cue).size(), 1u);
  EXPECT_TRUE(starts_of(calm, gong_track, burst_cue).empty());
  // The music started before calm mode was chosen: what differs is the gong, 6 dB down. The
  // loudness of the mix over the gong's first 0.3 s, less the music's just before it.
  const auto gong_level = [](const Run& run, size_t start) {
    double squares = 0;
    for (size_t index = start + 1; index < start + 7; ++index) squares += run.levels[index] * run.levels[index];
    const double before = run.levels[start - 1];
    return std::sqrt(std::max(0.0, squares / 6.0 - before * before));
  };
  const double full_level = gong_level(full, full_gong[0]);
  const double calm_level = gong_level(calm, calm_gong[0]);
  EXPECT_GT(full_level, 0.01);
  EXPECT_NEAR(calm_level / full_level, 0.5, 0.1) << full_level << " " << calm_level;

  // The camera: in calm mode at the move's end from its first frame, never between.
  for (size_t index = 0; index < calm.frames.size(); ++index) {
    if (!calm.frames[index].camera_used || !calm.frames[index].calm) continue;
    EXPECT_NEAR(calm.eyes[index][0], festival_camera_end_x, 1e-4f) << "frame " << index;
  }
  const auto between = std::ranges::count_if(full.eyes, [](const std::array<float, 3>& eye) {
    return eye[0] > 0.1f && eye[0] < static_cast<float>(festival_camera_end_x) - 0.1f;
  });
  EXPECT_GT(between, 5) << "without calm mode the camera flies";
}

// The headset: a visitor's right-hand ray on the golden rooster makes it crow (the `point`
// moment), captioned, and logged with the rooster's id; the show's title shows on the caption
// panel (from 1 s: the runtime's 90 frames a second, 150 frames).
class HeadsetShow : public KioskShow {};

TEST_F(HeadsetShow, PointingAtTheRoosterMakesItCrow) {
  TemporaryFolder capture;
  TemporaryFolder state;
  // The stage stands under the viewpoint (0, 1.6, 4), looking down −Z; the right hand held at
  // (0.2, 1.3, −0.3) on it aims at the rooster at (1, 1.6, 0) from frame 10.
  const glm::vec3 hand(0.2f, 1.3f, 4.0f - 0.3f);
  const glm::vec3 to = glm::vec3(1.0f, 1.6f, 0.0f) - hand;
  const float yaw = glm::degrees(std::atan2(-to.x, -to.z));
  const float pitch = glm::degrees(std::atan2(to.y, std::hypot(to.x, to.z)));
  const std::string timeline = fmt::format(
      R"({{"interaction_profile": "/interaction_profiles/oculus/touch_controller", "end_session_at_frame": 150,
          "keyframes": [{{"frame": 1, "left": {{"tracked": false}}, "head": {{"position": [0, 1.6, 0], "yaw": 0, "pitch": 0}},
                          "right": {{"position": [0.2, 1.3, -0.3], "yaw": -60, "pitch": -40}}}},
                        {{"frame": 10, "right": {{"position": [0.2, 1.3, -0.3], "yaw": {}, "pitch": {}}}}}]}})",
      yaw, pitch);
  std::ofstream(capture / "timeline.json") << timeline;
  setenv("XR_RUNTIME_JSON", PAVILION_XR_RUNTIME_JSON, 1);
  setenv("PAVILION_XR_SIM_EYE", "160x120", 1);
  setenv("PAVILION_XR_SIM_TIMELINE", (capture / "timeline.json").c_str(), 1);
  HeadsetRunOptions options;
  options.config.file = "test kiosk.json";
  options.config.content = *folder_ / "content";
  options.config.trusted_keys = {*folder_ / "curator.pub"};
  options.config.operator_pin = "2468";
  options.config.telemetry_queue = state / "events.sqlite";
  options.package = "festival.pvpkg";
  options.validation = true;
  const auto report = run_on_headset(options);
  for (const char* name : {"XR_RUNTIME_JSON", "PAVILION_XR_SIM_TIMELINE", "PAVILION_XR_SIM_EYE"}) unsetenv(name);
  ASSERT_TRUE(report.ok()) << report.error().describe();
  EXPECT_EQ(report->validation_messages, 0u);
  EXPECT_EQ(report->show_moments, std::vector<std::string>{"rooster_crowed@rooster"});
  EXPECT_NE(std::ranges::find(report->captions, "[声音：鸡鸣]"), report->captions.end());
  EXPECT_NE(std::ranges::find(report->captions, "[音乐：迎春曲]"), report->captions.end());
  EXPECT_GT(report->show_title_frames, 0u) << "丹凤来仪 on the caption panel";
  auto queue = telemetry::LocalQueue::open(options.config.telemetry_queue, 1000);
  ASSERT_TRUE(queue.ok()) << queue.error().describe();
  const auto events = (*queue)->oldest(100);
  ASSERT_TRUE(events.ok());
  const auto moment = std::ranges::find(*events, telemetry::EventType::show_moment, &telemetry::Event::type);
  ASSERT_NE(moment, events->end());
  EXPECT_EQ(moment->subject.view(), "rooster_crowed@rooster");
  EXPECT_EQ(moment->value, 2) << "by pointing";
}

}  // namespace
}  // namespace pavilion::kiosk

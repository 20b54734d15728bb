// The kiosk as visitors and operators meet it: scripted visits on a virtual clock, drawn by the
// real renderer with the validation layer on, in an X window (Xvfb) or offscreen.
#include "damage.h"
#include "golden.h"
#include "pavilion/core/png.h"
#include "pavilion/hub/store.h"
#include "pavilion/kiosk/content.h"
#include "pavilion/kiosk/headset_mode.h"
#include "pavilion/kiosk/kiosk.h"
#include "pavilion/pack/builder.h"
#include "pavilion/package/reader.h"
#include "pavilion/package/signing.h"
#include "pavilion/scene/loader.h"
#include "pavilion/telemetry/local_queue.h"
#include "sample_packages.h"
#include "temporary_folder.h"
#include "x_client.h"

#include <fmt/format.h>
#include <glm/trigonometric.hpp>
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <optional>
#include <sstream>
#include <cstdlib>
#include <thread>
#include <fstream>

namespace pavilion::kiosk {
namespace {

using testing::TemporaryFolder;

// Small screens keep the software rasterizer quick; the density is scaled to match, so the 9 mm
// check means what it means on a 1280×720 kiosk screen of 3.8 pixels per millimetre.
constexpr uint32_t test_width = 480;
constexpr uint32_t test_height = 270;

class KioskRun : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { folder_ = new TemporaryFolder(); }
  // The gallery, and the poetry garden in a folder of its own (sample_packages.h).
  void SetUp() override {
    ASSERT_TRUE(testing::link_sample_package(content(), "gallery.pvpkg"));
    ASSERT_TRUE(testing::link_sample_package(poems(), "poetry_garden.pvpkg"));
  }
  static void TearDownTestSuite() {
    delete folder_;
    folder_ = nullptr;
  }

  static std::filesystem::path content() { return *folder_ / "content"; }
  static std::filesystem::path poems() { return *folder_ / "poems"; }

  KioskConfig config(const std::filesystem::path& content_folder = content()) const {
    KioskConfig out;
    out.file = "test kiosk.json";
    out.content = content_folder;
    out.trusted_keys = {testing::sample_packages_key};
    out.operator_pin = "2468";
    out.idle_timeout_seconds = 30;
    out.still_there_seconds = 10;
    out.utc_offset = std::chrono::minutes(480);
    out.pixels_per_mm = 3.8 * test_height / 720.0;
    return out;
  }

  static VisitScript script(std::string_view json) {
    std::vector<checking::Finding> findings;
    auto parsed = parse_visit_script(json, "test visit.json", findings);
    EXPECT_TRUE(parsed) << (findings.empty() ? "" : findings[0].describe());
    return parsed.value_or(VisitScript{});
  }

  KioskReport run(const KioskConfig& kiosk_config, std::string_view visit, bool window = false,
                  std::function<void(const KioskReport&)> after_frame = {}) {
    KioskOptions options;
    options.after_frame = std::move(after_frame);
    options.headless = !window;
    options.width = test_width;
    options.height = test_height;
    options.validation = true;
    options.script = script(visit);
    options.screenshot_folder = shots_.path();
    auto kiosk = Kiosk::create(kiosk_config, options);
    EXPECT_TRUE(kiosk.ok()) << kiosk.error().describe();
    if (!kiosk.ok()) return {};
    const auto ended = (*kiosk)->run();
    EXPECT_TRUE(ended.ok()) << ended.error().describe();
    KioskReport report = (*kiosk)->report();
    for (const std::string& failure : report.script_failures) ADD_FAILURE() << failure;
    for (const std::string& message : report.validation_messages) ADD_FAILURE() << "validation: " << message;
    return report;
  }

  // The yaw and pitch (degrees) that aim a right hand held at (0.2, 1.3, −0.3) on the stage at the
  // celadon vase's centre: the stage stands under the entrance viewpoint, looking down −Z.
  static std::pair<float, float> right_hand_aimed_at_the_vase() {
    const glm::vec3 hand(0.2f, 1.3f, 3.6f - 0.3f);
    const glm::vec3 to = glm::vec3(-1.6f, 0.9f, -1.0f) - hand;
    return {glm::degrees(std::atan2(-to.x, -to.z)), glm::degrees(std::atan2(to.y, std::hypot(to.x, to.z)))};
  }

  // The gallery on the simulated headset, through the real OpenXR loader with its core validation
  // layer (whose log must stay clean) and the Vulkan validation layer, following the timeline in
  // `capture`/timeline.json and capturing both eyes there at `capture_frames`.
  Result<HeadsetRunReport> visit_in_headset(const TemporaryFolder& capture, const char* capture_frames,
                                            uint64_t max_frames = 0, std::optional<KioskConfig> kiosk = std::nullopt) {
    setenv("XR_RUNTIME_JSON", PAVILION_XR_RUNTIME_JSON, 1);
    setenv("XR_ENABLE_API_LAYERS", "XR_APILAYER_LUNARG_core_validation", 1);
    setenv("XR_CORE_VALIDATION_EXPORT_TYPE", "text", 1);
    setenv("XR_CORE_VALIDATION_FILE_NAME", (capture / "core_validation.txt").c_str(), 1);
    setenv("PAVILION_XR_SIM_EYE", "160x120", 1);
    setenv("PAVILION_XR_SIM_TIMELINE", (capture / "timeline.json").c_str(), 1);
    setenv("PAVILION_XR_SIM_CAPTURE_DIR", capture.path().c_str(), 1);
    setenv("PAVILION_XR_SIM_CAPTURE_FRAMES", capture_frames, 1);
    HeadsetRunOptions options;
    options.config = kiosk.value_or(config());
    options.package = "gallery.pvpkg";
    options.validation = true;
    options.max_frames = max_frames;
    auto report = run_on_headset(options);
    for (const char* name : {"XR_RUNTIME_JSON", "XR_ENABLE_API_LAYERS", "PAVILION_XR_SIM_TIMELINE",
                             "PAVILION_XR_SIM_CAPTURE_DIR", "PAVILION_XR_SIM_CAPTURE_FRAMES", "PAVILION_XR_SIM_BLEND"}) {
      unsetenv(name);
    }
    std::stringstream core_validation;
    core_validation << std::ifstream(capture / "core_validation.txt").rdbuf();
    EXPECT_EQ(core_validation.str().find("VUID"), std::string::npos) << core_validation.str();
    if (report.ok()) {
      EXPECT_EQ(report->validation_messages, 0u);
    }
    return report;
  }

  ::testing::AssertionResult shot_matches(std::string_view name) {
    auto image = read_png(shots_ / (std::string(name) + ".png"));
    if (!image.ok()) return ::testing::AssertionFailure() << image.error().describe();
    return testing::matches_golden(*image, "kiosk_" + std::string(name));
  }

  static TemporaryFolder* folder_;
  TemporaryFolder shots_;
};

TemporaryFolder* KioskRun::folder_ = nullptr;

// The kiosk's window reads the touch screen (kiosk/README.md, "Input"): its touch reader holds the
// window's touch events (another client asking for them is refused), and the mouse still works
// through it: a click on "begin" by XTest starts a visit and opens the menu. Played live, without a
// script (a scripted visitor's fingers bypass the window). Xvfb has no touch device to put a
// finger on; kiosk_touch_tests feeds the reader touch events.
TEST_F(KioskRun, InAWindowTheTouchReaderHoldsTheTouchesAndTheMouseStillStartsAVisit) {
  testing::XClient client;
  ASSERT_TRUE(client.connected());
  TemporaryFolder state;
  KioskConfig kiosk = config();
  kiosk.telemetry_queue = state / "events.sqlite";
  KioskOptions options;
  options.width = test_width;
  options.height = test_height;
  options.validation = true;
  options.max_frames = 200;
  testing::XClient::WindowId window = 0;
  std::optional<testing::XClient::TouchSelection> touches;
  uint64_t pressed_at = 0;
  uint64_t released_at = 0;
  int begin_x = 0;
  int begin_y = 0;
  options.after_frame = [&](const KioskReport& frame) {
    const auto begin = std::ranges::find(frame.controls, "begin", &Control::name);
    if (pressed_at == 0 && begin != frame.controls.end() && frame.frames >= 5) {
      window = client.find("Pavilion");
      if (window == 0) return;
      touches = client.select_touches(window);
      begin_x = static_cast<int>(0.5f * (begin->min_x + begin->max_x));
      begin_y = static_cast<int>(0.5f * (begin->min_y + begin->max_y));
      client.mouse(window, begin_x, begin_y, /*pressed=*/true);
      pressed_at = frame.frames;
    } else if (pressed_at != 0 && released_at == 0 && (frame.sessions > 0 || frame.frames > pressed_at + 100)) {
      client.mouse(window, begin_x, begin_y, /*pressed=*/false);
      released_at = frame.frames;
    }
  };
  auto made = Kiosk::create(kiosk, options);
  ASSERT_TRUE(made.ok()) << made.error().describe();
  ASSERT_TRUE((*made)->run().ok());
  const KioskReport& report = (*made)->report();
  for (const std::string& message : report.validation_messages) ADD_FAILURE() << "validation: " << message;
  ASSERT_NE(pressed_at, 0u) << "the attract screen's begin never showed in the window";
  EXPECT_EQ(touches, testing::XClient::TouchSelection::refused) << "the kiosk's reader holds its window's touches";
  EXPECT_EQ(report.sessions, 1u) << "the mouse's press started a visit";
  EXPECT_LT(released_at, pressed_at + 100) << "the press reached the kiosk within 100 frames";
  EXPECT_EQ(report.screen, Screen::home) << "the click on begin opened the menu";
}

// Attract → touch → menu → exhibit → silence → "still there?" → reset, in a window.
TEST_F(KioskRun, AVisitorComesExploresAndLeaves) {
  TemporaryFolder state;
  KioskConfig kiosk = config();
  kiosk.telemetry_queue = state / "events.sqlite";
  const KioskReport report = run(kiosk, R"({"start": "2027-02-10T10:00:00+08:00", "frame_seconds": 0.25, "steps": [
      {"wait": 1}, {"expect": "attract"}, {"screenshot": "attract.png"},
      {"tap": "begin"}, {"wait": 1}, {"expect": "home"}, {"screenshot": "home.png"},
      {"tap": "exhibit:gallery/celadon-vase"}, {"wait": 2}, {"expect": "exhibit"}, {"screenshot": "exhibit.png"},
      {"tap": "language"}, {"tap": "accessibility"}, {"tap": "text-larger"}, {"tap": "high-contrast"},
      {"tap": "audio-descriptions"}, {"wait": 0.5}, {"screenshot": "accessibility.png"}, {"tap": "accessibility-done"},
      {"wait": 31}, {"expect": "still-there"}, {"screenshot": "still_there.png"},
      {"wait": 10}, {"expect": "attract"}, {"screenshot": "reset.png"},
      {"tap": "begin"}, {"expect": "home"}, {"tap": "end-visit"}, {"expect": "attract"}]})",
                                 /*window=*/true);
  EXPECT_EQ(report.sessions, 2u);
  EXPECT_EQ(report.screen, Screen::attract);
  EXPECT_TRUE(report.undersized_controls.empty()) << report.undersized_controls.front();
  for (const char* name : {"attract", "home", "exhibit", "accessibility", "still_there", "reset"}) {
    EXPECT_TRUE(shot_matches(name)) << name;
  }

  // What the interaction log kept of it (engine/telemetry/EVENTS.md).
  auto queue = telemetry::LocalQueue::open(kiosk.telemetry_queue, 1000);
  ASSERT_TRUE(queue.ok()) << queue.error().describe();
  const auto events = (*queue)->oldest(100);
  ASSERT_TRUE(events.ok());
  using telemetry::EventType;
  const std::vector<std::pair<EventType, std::string_view>> expected{
      {EventType::scene_enter, "gallery"},         {EventType::session_start, "touch"},
      {EventType::language_change, "zh-CN"},       {EventType::exhibit_open, "celadon-vase"},
      {EventType::language_change, "en"},          {EventType::accessibility_change, "text_scale"},
      {EventType::accessibility_change, "high_contrast"}, {EventType::accessibility_change, "audio_descriptions"},
      {EventType::exhibit_close, "celadon-vase"},  {EventType::session_end, "timeout"},
      {EventType::session_start, "touch"},         {EventType::language_change, "zh-CN"},
      {EventType::session_end, "end_visit"},       {EventType::scene_exit, "gallery"}};
  ASSERT_EQ(events->size(), expected.size());
  for (size_t index = 0; index < expected.size(); ++index) {
    const telemetry::Event& event = (*events)[index];
    EXPECT_EQ(event.type, expected[index].first) << index;
    EXPECT_EQ(event.subject.view(), expected[index].second) << index;
    EXPECT_EQ(event.sequence, index);
    EXPECT_EQ(event.package_id.view(), "gallery");
  }
  EXPECT_EQ((*events)[2].value, 0);    // the language the visit started in
  EXPECT_EQ((*events)[4].value, 1);    // the visitor's own change
  EXPECT_EQ((*events)[5].value, 125);  // text at 125 %
  EXPECT_EQ((*events)[1].session, (*events)[9].session);
  EXPECT_NE((*events)[9].session, (*events)[10].session);
  EXPECT_GE((*events)[9].value, 41'000);  // the session lasted over 41 s of the virtual clock
}

// Vermilion pixels (the character being recited) on the scroll, left of the panel and above the bar.
size_t lit_pixels(const ImageRgba8& image) {
  size_t count = 0;
  for (uint32_t y = 0; y < image.height * 8 / 10; ++y) {
    for (uint32_t x = 0; x < image.width * 6 / 10; ++x) {
      const uint8_t* pixel = image.at(x, y);
      if (pixel[0] > 150 && pixel[1] < 90 && pixel[2] < 90) ++count;
    }
  }
  return count;
}

// 静夜思 on its scroll: recited with the heard character lit, with pinyin and its translation in
// English, heard to the end; then in audio-only mode it announces itself, and the screen's right
// side (touched once to hear what it does, twice to act) moves on to the next poem, which starts
// at once.
TEST_F(KioskRun, APoemIsRecitedWithTheHeardCharacterLit) {
  TemporaryFolder state;
  KioskConfig kiosk = config(poems());
  kiosk.telemetry_queue = state / "events.sqlite";
  const KioskReport report = run(kiosk, R"({"start": "2027-02-10T10:00:00+08:00", "frame_seconds": 0.05, "steps": [
      {"wait": 1}, {"screenshot": "garden.png"},
      {"tap": "begin"}, {"wait": 0.5}, {"tap": "exhibit:poetry-garden/quiet-night"}, {"wait": 1},
      {"expect": "exhibit"}, {"screenshot": "poem_still.png"},
      {"tap": "poem:play"}, {"wait": 1.6}, {"screenshot": "poem.png"},
      {"tap": "language"}, {"tap": "poem:pinyin"}, {"tap": "poem:translation"}, {"wait": 0.2},
      {"screenshot": "poem_pinyin.png"},
      {"wait": 16}, {"screenshot": "poem_heard.png"},
      {"tap": "accessibility"}, {"tap": "audio-only"}, {"tap": "accessibility-done"}, {"tap": "accessibility-done"}, {"wait": 1},
      {"tap": "poem:next-poem"}, {"tap": "poem:next-poem"}, {"wait": 1}, {"expect": "exhibit"}]})");
  EXPECT_TRUE(report.undersized_controls.empty()) << report.undersized_controls.front();
  EXPECT_TRUE(shot_matches("garden"));  // the five poems hung as scrolls in the scene
  EXPECT_TRUE(shot_matches("poem"));
  EXPECT_TRUE(shot_matches("poem_pinyin"));
  const auto lit = [&](std::string_view name) {
    auto image = read_png(shots_ / (std::string(name) + ".png"));
    EXPECT_TRUE(image.ok());
    return image.ok() ? lit_pixels(*image) : 0;
  };
  EXPECT_EQ(lit("poem_still"), 0u) << "nothing is lit before the recitation";
  EXPECT_GT(lit("poem"), 3u) << "a character is lit while it is heard";
  EXPECT_EQ(lit("poem_heard"), 0u) << "nothing is lit once the recitation has ended";

  auto queue = telemetry::LocalQueue::open(kiosk.telemetry_queue, 1000);
  ASSERT_TRUE(queue.ok()) << queue.error().describe();
  const auto events = (*queue)->oldest(100);
  ASSERT_TRUE(events.ok());
  std::vector<std::pair<telemetry::EventType, std::string>> poem_events;
  for (const telemetry::Event& event : *events) {
    if (event.type >= telemetry::EventType::poem_play && event.type <= telemetry::EventType::poem_abort) {
      poem_events.emplace_back(event.type, event.subject.view());
    }
  }
  using telemetry::EventType;
  const std::vector<std::pair<EventType, std::string>> expected{
      {EventType::poem_play, "quiet-night"},     {EventType::poem_complete, "quiet-night"},
      {EventType::poem_play, "quiet-night"},     // audio-only mode reads it again, announced
      {EventType::poem_abort, "quiet-night"},    // cut short by moving on
      {EventType::poem_play, "spring-dawn"},     // at once, in audio-only mode
      {EventType::poem_abort, "spring-dawn"}};   // the kiosk shut down while it played
  EXPECT_EQ(poem_events, expected);

  // The whole recitation was heard: its listening time is the recitation's length.
  auto reader = package::PackageReader::open(poems() / "poetry_garden.pvpkg",
                                             {{testing::sample_packages_signer()}, false, false});
  ASSERT_TRUE(reader.ok()) << reader.error().describe();
  auto scene = scene::load_scene(**reader, {});
  ASSERT_TRUE(scene.ok()) << scene.error().describe();
  // Every poem of the garden can be heard whole without the screen: announced in both
  // languages, recited, its translation read.
  ASSERT_EQ(scene->poems.size(), 5u);
  for (const scene::Poem& poem : scene->poems) {
    for (const uint32_t sound : {poem.announcement_zh_cn, poem.announcement_en, poem.recitation, poem.translation_reading}) {
      ASSERT_LT(sound, scene->audio.size()) << scene->exhibits[poem.exhibit].id;
      EXPECT_GT(scene->audio[sound].frames, scene->audio[sound].sample_rate / 2) << scene->exhibits[poem.exhibit].id;
    }
  }
  const scene::AudioSource& recitation = scene->audio[scene->poems[0].recitation];
  const double seconds = static_cast<double>(recitation.frames) / recitation.sample_rate;
  const auto complete = std::find_if(events->begin(), events->end(),
                                     [](const telemetry::Event& event) { return event.type == EventType::poem_complete; });
  ASSERT_NE(complete, events->end());
  EXPECT_NEAR(static_cast<double>(complete->value) / 1000.0, seconds, 0.15);
}

// The gallery is on screen when the visitor opens a poem of the garden from the menu: the poem's
// events are the garden's, though the gallery's scene is the one being left.
TEST_F(KioskRun, AnExhibitOfAnotherPackageIsLoggedUnderItsOwnPackage) {
  TemporaryFolder state;
  std::filesystem::create_directories(state / "content");
  std::filesystem::copy_file(content() / "gallery.pvpkg", state / "content" / "gallery.pvpkg");
  std::filesystem::copy_file(poems() / "poetry_garden.pvpkg", state / "content" / "poetry_garden.pvpkg");
  KioskConfig kiosk = config(state / "content");
  kiosk.telemetry_queue = state / "events.sqlite";
  run(kiosk, R"({"start": "2027-02-10T10:00:00+08:00", "frame_seconds": 0.05, "steps": [
      {"wait": 0.2}, {"expect": "attract"}, {"tap": "begin"}, {"tap": "next-page"}, {"tap": "exhibit:poetry-garden/quiet-night"}, {"wait": 1},
      {"tap": "poem:play"}, {"wait": 1}, {"tap": "home"}, {"tap": "end-visit"}, {"expect": "attract"}]})");
  auto queue = telemetry::LocalQueue::open(kiosk.telemetry_queue, 1000);
  ASSERT_TRUE(queue.ok()) << queue.error().describe();
  const auto events = (*queue)->oldest(100);
  ASSERT_TRUE(events.ok());
  using telemetry::EventType;
  std::vector<std::pair<EventType, std::string>> about_the_poem;
  for (const telemetry::Event& event : *events) {
    if (event.subject.view() == "quiet-night") about_the_poem.emplace_back(event.type, event.package_id.view());
  }
  const std::vector<std::pair<EventType, std::string>> expected{{EventType::exhibit_open, "poetry-garden"},
                                                                {EventType::poem_play, "poetry-garden"},
                                                                {EventType::exhibit_close, "poetry-garden"},
                                                                {EventType::poem_abort, "poetry-garden"}};
  EXPECT_EQ(about_the_poem, expected);
  // The scene shown when the visit began was the gallery's, and its events say so.
  const auto first_scene = std::ranges::find(*events, EventType::scene_enter, &telemetry::Event::type);
  ASSERT_NE(first_scene, events->end());
  EXPECT_EQ(first_scene->package_id.view(), "gallery");
}

// A poem's recitation is heard while it plays and not once paused; the gallery's guqin note
// sounds as the scene appears (softly: the attract loop plays to an empty room) and dies away.
TEST_F(KioskRun, TheScenesSoundsAndThePoemsAreHeard) {
  std::vector<double> poem_levels;
  run(config(poems()), R"({"start": "2027-02-10T10:00:00+08:00", "frame_seconds": 0.1, "steps": [
      {"wait": 0.5}, {"tap": "begin"}, {"wait": 0.5}, {"tap": "exhibit:poetry-garden/spring-dawn"}, {"wait": 1},
      {"tap": "poem:play"}, {"wait": 3},
      {"tap": "poem:play"}, {"wait": 1}]})",
      false, [&](const KioskReport& report) { poem_levels.push_back(report.sound_level); });
  ASSERT_GT(poem_levels.size(), 40u);
  const auto heard = std::count_if(poem_levels.end() - 40, poem_levels.end() - 10, [](double level) { return level > 0.005; });
  EXPECT_GT(heard, 15) << "the recitation is heard while it plays";
  EXPECT_LT(poem_levels.back(), 0.001) << "and paused, it is silent";

  // The attract loop also says how to start, in both languages: the note's fading is heard once
  // the narrator has finished.
  std::vector<double> levels;
  const KioskReport attract = run(config(), R"({"start": "2027-02-10T10:00:00+08:00", "frame_seconds": 0.1, "steps": [{"wait": 30}]})",
                                  false, [&](const KioskReport& report) { levels.push_back(report.sound_level); });
  ASSERT_GT(levels.size(), 250u);
  ASSERT_EQ(attract.spoken.size(), 2u);
  EXPECT_GT(attract.spoken.back().ended_at, 0.0);
  EXPECT_LT(attract.spoken.back().ended_at, 28.0);
  const double loudest = *std::max_element(levels.begin(), levels.begin() + 40);
  EXPECT_GT(loudest, 0.001) << "the guqin note is heard in the first four seconds";
  EXPECT_LT(levels.back(), loudest * 0.05) << "and has faded by the end";
}

// The demo's arrangement: the kiosk runs its own hub, enrols itself, and its visit arrives there
// by the time the kiosk has shut down.
TEST_F(KioskRun, AVisitReachesTheEmbeddedHub) {
  TemporaryFolder state;
  KioskConfig kiosk = config();
  kiosk.telemetry_queue = state / "events.sqlite";
  kiosk.hub = HubLink{.device_id = "test-kiosk", .embedded = HubLink::Embedded{"127.0.0.1", 0, state / "hub.sqlite"}};
  run(kiosk, R"({"start": "2027-02-10T10:00:00+08:00", "steps": [
      {"wait": 0.2}, {"tap": "begin"}, {"tap": "exhibit:gallery/celadon-vase"}, {"wait": 2}, {"tap": "home"},
      {"tap": "end-visit"}, {"expect": "attract"}]})");
  auto store = hub::open_store((state / "hub.sqlite").string());
  ASSERT_TRUE(store.ok()) << store.error().describe();
  const auto devices = (*store)->completeness().value();
  ASSERT_EQ(devices.size(), 1u);
  EXPECT_EQ(devices[0].device_id, "test-kiosk");
  // scene_enter, session_start, language_change, exhibit_open/close, session_end, scene_exit
  EXPECT_EQ(devices[0].received, 7u);
  EXPECT_EQ(devices[0].expected, 7u);
  const int64_t now = telemetry::system_clock_ms();
  const auto hours = (*store)->hourly(now - 86'400'000, now + 3'600'000).value();
  const auto vase = std::ranges::find(hours, "celadon-vase", &hub::HourlyCount::exhibit);
  ASSERT_NE(vase, hours.end());
  EXPECT_EQ(vase->package_id, "gallery");
  EXPECT_EQ(telemetry::LocalQueue::open(kiosk.telemetry_queue, 1000).value()->counters().value().queued, 0u);
}

TEST_F(KioskRun, DamagedUnknownAndUntrustedPackagesAreSkippedAndTheRestWork) {
  TemporaryFolder mixed;
  std::filesystem::copy_file(content() / "gallery.pvpkg", mixed / "a-good.pvpkg");
  std::filesystem::copy_file(content() / "gallery.pvpkg", mixed / "b-damaged.pvpkg");
  {
    // A byte inside a mesh: found only when the blob's hash is checked.
    auto reader = package::PackageReader::open(mixed / "b-damaged.pvpkg", {{}, false, true});
    ASSERT_TRUE(reader.ok());
    const auto mesh = std::find_if(reader->get()->index().begin(), reader->get()->index().end(),
                                   [](const package::IndexEntry& entry) { return entry.kind == package::BlobKind::mesh; });
    ASSERT_NE(mesh, reader->get()->index().end());
    const uint64_t offset = mesh->offset + mesh->stored_size / 2;
    reader->reset();
    testing::flip_byte(mixed / "b-damaged.pvpkg", offset);
  }
  std::ofstream(mixed / "c-not-a-package.pvpkg") << "hello";
  const package::KeyPair stranger = package::generate_key_pair();
  pack::BuildOptions options;
  options.scene_directory = PAVILION_SCENES_DIR "/gallery";
  options.output = mixed / "d-untrusted.pvpkg";
  options.key = &stranger;
  ASSERT_TRUE(pack::build_package(options).ok());

  const KioskReport report = run(config(mixed.path()), R"({"start": "2027-02-10T10:00:00+08:00", "steps": [
      {"wait": 0.2}, {"tap": "begin"}, {"tap": "exhibit:gallery/bronze-ding"}, {"wait": 1}, {"expect": "exhibit"}]})");
  EXPECT_EQ(report.shown_package, "a-good.pvpkg");
  ASSERT_EQ(report.skipped_packages.size(), 3u);
  EXPECT_EQ(report.skipped_packages[0].rfind("b-damaged.pvpkg: ", 0), 0u) << report.skipped_packages[0];
  EXPECT_EQ(report.skipped_packages[1].rfind("c-not-a-package.pvpkg: ", 0), 0u);
  EXPECT_EQ(report.skipped_packages[2].rfind("d-untrusted.pvpkg: ", 0), 0u);
}

// A festival campaign ends at midnight and the library closes at 22:00 and opens at 08:00.
TEST_F(KioskRun, CampaignsAndOpeningHoursChangeWhatIsShown) {
  TemporaryFolder programme;
  std::filesystem::copy_file(content() / "gallery.pvpkg", programme / "festival.pvpkg");
  std::filesystem::copy_file(content() / "gallery.pvpkg", programme / "permanent.pvpkg");
  KioskConfig kiosk = config(programme.path());
  kiosk.playlist = {{"festival.pvpkg", std::nullopt, std::chrono::year_month_day(std::chrono::year(2027),
                                                                                 std::chrono::February, std::chrono::day(10))},
                    {"permanent.pvpkg"}};
  kiosk.opening_hours.days.fill({true, 8 * 60, 22 * 60});
  // Ten-minute frames: the calendar, not the animation, is under test.
  const KioskReport festival = run(kiosk, R"({"start": "2027-02-10T20:00:00+08:00", "frame_seconds": 600, "steps": [
      {"wait": 600}, {"expect": "attract"}]})");
  EXPECT_EQ(festival.shown_package, "festival.pvpkg");
  const KioskReport next_morning = run(kiosk, R"({"start": "2027-02-10T21:55:00+08:00", "frame_seconds": 600, "steps": [
      {"wait": 600}, {"expect": "closed"}, {"wait": 36000}, {"expect": "attract"}]})",
                                        /*window=*/true);  // the monitor sleeps and wakes (X11 DPMS)
  EXPECT_EQ(next_morning.shown_package, "permanent.pvpkg");
}

TEST_F(KioskRun, TheOperatorMenuNeedsTheCornerGestureAndThePin) {
  const KioskReport report = run(config(), R"({"start": "2027-02-10T10:00:00+08:00", "frame_seconds": 0.25, "steps": [
      {"wait": 0.2}, {"tap": "operator-corner"}, {"tap": "operator-corner"}, {"expect": "attract"},
      {"tap": "operator-corner"}, {"expect": "operator-pin"},
      {"tap": "pin:1"}, {"tap": "pin:1"}, {"tap": "pin:1"}, {"tap": "pin:1"}, {"expect": "operator-pin"},
      {"tap": "pin:2"}, {"tap": "pin:4"}, {"tap": "pin:6"}, {"tap": "pin:8"}, {"expect": "operator"},
      {"tap": "operator:test-pattern"}, {"expect": "test-pattern"}, {"tap": "test-pattern:back"}, {"expect": "operator"},
      {"tap": "operator:reload"}, {"tap": "operator:close"}, {"expect": "attract"},
      {"tap": "operator-corner"}, {"tap": "operator-corner"}, {"tap": "operator-corner"},
      {"tap": "pin:2"}, {"tap": "pin:4"}, {"tap": "pin:6"}, {"tap": "pin:8"}, {"expect": "operator"},
      {"wait": 119}, {"expect": "operator"}, {"wait": 2}, {"expect": "attract"}]})");
  EXPECT_EQ(report.sessions, 0u);  // the operator is not a visitor
}

TEST_F(KioskRun, ALostGpuDeviceIsRecreatedAndTheVisitGoesOn) {
  const KioskReport report = run(config(), R"({"start": "2027-02-10T10:00:00+08:00", "steps": [
      {"wait": 0.2}, {"tap": "begin"}, {"tap": "exhibit:gallery/celadon-vase"}, {"wait": 0.5},
      {"lose_device": true}, {"wait": 0.5}, {"expect": "exhibit"}, {"tap": "next"}, {"wait": 0.5}, {"expect": "exhibit"}]})");
  EXPECT_EQ(report.device_recoveries, 1u);
  EXPECT_EQ(report.sessions, 1u);
}

TEST_F(KioskRun, SystemdHearsReadyWatchdogAndStopping) {
  TemporaryFolder sockets;
  const std::string path = (sockets / "notify").string();
  const int receiver = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  ASSERT_GE(receiver, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::strncpy(address.sun_path, path.c_str(), sizeof(address.sun_path) - 1);
  ASSERT_EQ(::bind(receiver, reinterpret_cast<const sockaddr*>(&address), sizeof(address)), 0);
  ::setenv("NOTIFY_SOCKET", path.c_str(), 1);
  ::setenv("WATCHDOG_USEC", "100000", 1);  // a ping at most every 50 ms
  // Read as systemd does, all along: the kiosk never waits on the socket, so a full queue drops.
  const timeval wait_at_most{0, 200'000};
  ASSERT_EQ(::setsockopt(receiver, SOL_SOCKET, SO_RCVTIMEO, &wait_at_most, sizeof(wait_at_most)), 0);
  std::vector<std::string> messages;
  std::atomic<bool> stop{false};
  std::thread listener([&] {
    std::array<char, 512> buffer{};
    while (!stop.load()) {
      const ssize_t length = ::recv(receiver, buffer.data(), buffer.size(), 0);
      if (length > 0) messages.emplace_back(buffer.data(), static_cast<size_t>(length));
    }
  });
  run(config(), R"({"start": "2027-02-10T10:00:00+08:00", "steps": [{"wait": 0.5}]})");
  ::unsetenv("NOTIFY_SOCKET");
  ::unsetenv("WATCHDOG_USEC");
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  stop = true;
  listener.join();
  ::close(receiver);
  ASSERT_FALSE(messages.empty());
  EXPECT_EQ(messages.front(), "READY=1");
  EXPECT_NE(std::find(messages.begin(), messages.end(), "WATCHDOG=1"), messages.end());
  EXPECT_NE(std::find(messages.begin(), messages.end(), "STATUS=attract loop"), messages.end());
  EXPECT_EQ(messages.back(), "STOPPING=1");
}

// A visitor in a headset (the simulated one, through the real OpenXR loader with its core
// validation layer, and the Vulkan validation layer) points a Valve Index controller at the
// celadon vase and pulls the trigger: the vase is selected, the hand buzzes, and the golden ray
// and the gold brackets round the vase are in the picture.
TEST_F(KioskRun, AHeadsetVisitorPointsAtTheVaseAndSelectsIt) {
  TemporaryFolder capture;
  const auto [yaw, pitch] = right_hand_aimed_at_the_vase();
  std::ofstream(capture / "timeline.json") << fmt::format(
      R"({{"interaction_profile": "/interaction_profiles/valve/index_controller", "end_session_at_frame": 16,
          "keyframes": [{{"frame": 1, "left": {{"tracked": false}},
                          "right": {{"position": [0.2, 1.3, -0.3], "yaw": {}, "pitch": {}}}}},
                        {{"frame": 8, "right": {{"trigger": 1}}}}, {{"frame": 11, "right": {{"trigger": 0}}}}]}})",
      yaw, pitch);
  const auto report = visit_in_headset(capture, "4,10");
  ASSERT_TRUE(report.ok()) << report.error().describe();
  EXPECT_EQ(report->frames_drawn, 15u) << "the visitor quit from the headset's menu at frame 16";
  EXPECT_EQ(report->interaction_profile, "/interaction_profiles/valve/index_controller");
  EXPECT_EQ(report->selected_exhibits, std::vector<std::string>{"celadon-vase"});
  EXPECT_EQ(report->haptic_pulses, 1u);
  std::ifstream haptics(capture / "haptics.log");
  std::string felt;
  std::getline(haptics, felt);
  EXPECT_EQ(felt, "frame 8 right 0.040 s amplitude 0.60");

  const auto pointing = read_png(capture / "frame-4-left.png");
  const auto selected = read_png(capture / "frame-10-left.png");
  ASSERT_TRUE(pointing.ok() && selected.ok());
  const auto gold_pixels = [](const ImageRgba8& image) {
    uint32_t count = 0;
    for (uint32_t y = 0; y < image.height; ++y) {
      for (uint32_t x = 0; x < image.width; ++x) {
        const uint8_t* pixel = image.at(x, y);
        count += pixel[0] > 200 && pixel[1] > 130 && pixel[1] < 230 && pixel[2] < 100;
      }
    }
    return count;
  };
  EXPECT_GT(gold_pixels(*pointing), 20u) << "the ray turns gold on the vase";
  // Head and hand hold still between the two frames: what grew warmer is the selection's light.
  uint32_t warmer = 0;
  const auto warmth = [](const uint8_t* pixel) { return (pixel[0] + pixel[1]) / 2 - pixel[2]; };
  for (uint32_t y = 0; y < selected->height; ++y) {
    for (uint32_t x = 0; x < selected->width; ++x) warmer += warmth(selected->at(x, y)) > warmth(pointing->at(x, y)) + 20;
  }
  EXPECT_GT(warmer, 40u) << "the selected vase stands in a gold light";
  EXPECT_TRUE(testing::matches_golden(*selected, "kiosk_headset_selected"));
}

// A headset visit is a visit like a touch visit: the visitor puts the headset on, selects the
// vase with a controller and quits; their session, with the input that started it, reaches the
// kiosk's hub.
TEST_F(KioskRun, AHeadsetVisitReachesTheHub) {
  TemporaryFolder capture;
  TemporaryFolder state;
  const auto [yaw, pitch] = right_hand_aimed_at_the_vase();
  std::ofstream(capture / "timeline.json") << fmt::format(
      R"({{"interaction_profile": "/interaction_profiles/valve/index_controller", "end_session_at_frame": 12,
          "keyframes": [{{"frame": 1, "left": {{"tracked": false}},
                          "right": {{"position": [0.2, 1.3, -0.3], "yaw": {}, "pitch": {}}}}},
                        {{"frame": 4, "right": {{"trigger": 1}}}}, {{"frame": 6, "right": {{"trigger": 0}}}}]}})",
      yaw, pitch);
  KioskConfig kiosk = config();
  kiosk.telemetry_queue = state / "events.sqlite";
  kiosk.hub = HubLink{.device_id = "headset-1", .embedded = HubLink::Embedded{"127.0.0.1", 0, state / "hub.sqlite"}};
  const auto report = visit_in_headset(capture, "", 0, kiosk);
  ASSERT_TRUE(report.ok()) << report.error().describe();
  EXPECT_EQ(report->visits, 1u);
  EXPECT_EQ(report->selected_exhibits, std::vector<std::string>{"celadon-vase"});

  // Everything was delivered before the run ended: the queue is empty and the hub has it all.
  EXPECT_EQ(telemetry::LocalQueue::open(kiosk.telemetry_queue, 1000).value()->counters().value().queued, 0u);
  auto store = hub::open_store((state / "hub.sqlite").string());
  ASSERT_TRUE(store.ok()) << store.error().describe();
  const auto devices = (*store)->completeness().value();
  ASSERT_EQ(devices.size(), 1u);
  EXPECT_EQ(devices[0].device_id, "headset-1");
  // scene_enter, session_start (controller), exhibit_open, exhibit_close, session_end, scene_exit
  EXPECT_EQ(devices[0].received, 6u);
  EXPECT_EQ(devices[0].expected, 6u);
  const int64_t now = telemetry::system_clock_ms();
  const auto hours = (*store)->hourly(now - 86'400'000, now + 3'600'000).value();
  const auto vase = std::ranges::find(hours, "celadon-vase", &hub::HourlyCount::exhibit);
  ASSERT_NE(vase, hours.end()) << "the vase was opened in the headset";
  EXPECT_EQ(vase->package_id, "gallery");
}

// On an AR headset the gallery's own room (walls, floor, plinths: the exhibit the visitor stands
// in) and its sky give way to the real room: most of the picture is transparent, the vase is not.
TEST_F(KioskRun, OnAnArHeadsetTheRealRoomReplacesTheGalleryRoom) {
  TemporaryFolder capture;
  std::ofstream(capture / "timeline.json") << R"({"end_session_at_frame": 4, "keyframes": []})";
  setenv("PAVILION_XR_SIM_BLEND", "alpha", 1);
  const auto report = visit_in_headset(capture, "3");
  ASSERT_TRUE(report.ok()) << report.error().describe();
  const auto left = read_png(capture / "frame-3-left.png");
  ASSERT_TRUE(left.ok()) << left.error().describe();
  uint32_t transparent = 0;
  for (uint32_t y = 0; y < left->height; ++y) {
    for (uint32_t x = 0; x < left->width; ++x) transparent += left->at(x, y)[3] == 0;
  }
  EXPECT_GT(transparent, left->width * left->height * 3 / 4) << "the floor and walls are the real room's";
  EXPECT_LT(transparent, left->width * left->height) << "the exhibits are still there";
}

// A headset that drops out (a cable pulled, a battery flat) is not the end of the exhibit: a new
// session takes over and the visit goes on.
TEST_F(KioskRun, AHeadsetThatDropsOutGetsANewSession) {
  TemporaryFolder capture;
  std::ofstream(capture / "timeline.json") << R"({"lose_session_at_frame": 5, "keyframes": []})";
  const auto report = visit_in_headset(capture, "", 10);
  ASSERT_TRUE(report.ok()) << report.error().describe();
  EXPECT_EQ(report->frames_drawn, 10u);
  EXPECT_EQ(report->sessions_lost, 2u) << "each session drops out after four frames: 4 + 4 + 2";
}

// Squeezing the grip on the vase picks it up: it rises with the hand; letting go puts it back.
TEST_F(KioskRun, AHeadsetVisitorPicksUpTheVaseAndItGoesBack) {
  TemporaryFolder capture;
  const auto [yaw, pitch] = right_hand_aimed_at_the_vase();
  std::ofstream(capture / "timeline.json") << fmt::format(
      R"({{"interaction_profile": "/interaction_profiles/valve/index_controller", "end_session_at_frame": 18,
          "keyframes": [{{"frame": 1, "left": {{"tracked": false}},
                          "right": {{"position": [0.2, 1.3, -0.3], "yaw": {0}, "pitch": {1}}}}},
                        {{"frame": 6, "right": {{"position": [0.2, 1.3, -0.3], "squeeze": 1}}}},
                        {{"frame": 12, "right": {{"position": [0.2, 1.6, -0.3]}}}},
                        {{"frame": 14, "right": {{"squeeze": 0}}}}]}})",
      yaw, pitch);
  const auto report = visit_in_headset(capture, "4,12,16");
  ASSERT_TRUE(report.ok()) << report.error().describe();
  EXPECT_EQ(report->grabs, 1u);
  EXPECT_EQ(report->selected_exhibits, std::vector<std::string>{"celadon-vase"});
  // Where the celadon glaze is in the left half of the left eye (the ding's bronze is to the right).
  const auto glaze_row = [&](int frame) {
    const auto image = read_png(capture / fmt::format("frame-{}-left.png", frame));
    EXPECT_TRUE(image.ok());
    double rows = 0;
    double count = 0;
    for (uint32_t y = 0; image.ok() && y < image->height; ++y) {
      for (uint32_t x = 0; x < image->width / 2; ++x) {
        const uint8_t* pixel = image->at(x, y);
        if (pixel[1] > pixel[0] + 20 && pixel[1] >= pixel[2] && pixel[1] > 60) {
          rows += y;
          ++count;
        }
      }
    }
    return count > 0 ? rows / count : -1.0;
  };
  const double resting = glaze_row(4);
  const double lifted = glaze_row(12);
  const double put_back = glaze_row(16);
  ASSERT_GT(resting, 0);
  EXPECT_LT(lifted, resting - 3.0) << "lifted 30 cm, the vase is higher in the picture";
  EXPECT_NEAR(put_back, resting, 1.0) << "let go, it stands on its plinth again";
}

}  // namespace
}  // namespace pavilion::kiosk

// No heap allocation per frame in steady state, for the whole kiosk: scene, interface (Dear
// ImGui's allocations are routed through the counted operator new) and the frame loop, on the
// frame loop's thread. Two scripted visits differ only in how long they stay on each screen;
// every frame the longer one adds is a steady-state frame, so both must have exactly as many
// frames that allocate (those that open a screen or a panel for the first time).
#include "book_scans.h"
#include "counting_new.h"
#include "festival_fixture.h"
#include "keep_loaded.h"
#include "pavilion/core/file.h"
#include "pavilion/core/png.h"
#include "pavilion/kiosk/kiosk.h"
#include "pavilion/pack/builder.h"
#include "pavilion/package/signing.h"
#include "pavilion/telemetry/local_queue.h"
#include "temporary_folder.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <imgui.h>

namespace pavilion::kiosk {
namespace {

void* imgui_allocate(size_t size, void*) { return ::operator new(size); }
void imgui_free(void* memory, void*) { ::operator delete(memory); }

struct Allocations {
  size_t frames = 0;
  size_t frames_that_allocated = 0;
};

// `steps` is a format string: {0} stands for the seconds spent on each screen.
Allocations allocations_during_visit(const KioskConfig& config, std::string_view steps, double seconds_per_screen) {
  const std::string visit =
      fmt::format(R"({{"start": "2027-02-10T10:00:00+08:00", "frame_seconds": 0.25, "steps": [{}]}})",
                  fmt::format(fmt::runtime(steps), seconds_per_screen));
  std::vector<checking::Finding> findings;
  Allocations counted;
  size_t previous = 0;
  KioskOptions options;
  options.headless = true;
  options.width = 160;
  options.height = 90;
  options.script = parse_visit_script(visit, "visit", findings);
  options.after_frame = [&](const KioskReport&) {
    const size_t now = testing::counted_allocations();
    testing::mark_frame_in_backtraces(counted.frames);
    ++counted.frames;
    if (now != previous) ++counted.frames_that_allocated;
    previous = now;
  };
  EXPECT_TRUE(options.script);
  auto kiosk = Kiosk::create(config, options);
  EXPECT_TRUE(kiosk.ok()) << kiosk.error().describe();
  if (!kiosk.ok()) return counted;
  testing::reset_counted_allocations();
  // The frame loop's own thread: scene loading and speech synthesis allocate on theirs, at
  // moments set by the real clock (a busy machine moves them), which would make the two visits'
  // counts differ by chance.
  testing::count_this_threads_allocations(true);
  const auto ended = (*kiosk)->run();
  testing::count_this_threads_allocations(false);
  EXPECT_TRUE(ended.ok() && *ended == RunEnd::closed);
  for (const std::string& failure : (*kiosk)->report().script_failures) ADD_FAILURE() << failure;
  return counted;
}

// A kiosk showing the one package packed from scenes/`scene`.
class KioskFrameAllocations : public ::testing::Test {
 protected:
  void pack(std::string_view scene) { pack_folder(std::filesystem::path(PAVILION_SCENES_DIR) / scene); }
  void pack_folder(const std::filesystem::path& source) {
    testing::keep_gpu_libraries_loaded();
    ImGui::SetAllocatorFunctions(imgui_allocate, imgui_free);
    const package::KeyPair key = package::generate_key_pair();
    ASSERT_TRUE(package::write_key_files(key, folder / "curator.key", folder / "curator.pub").ok());
    std::filesystem::create_directories(folder / "content");
    pack::BuildOptions build;
    build.scene_directory = source;
    build.output = folder / "content" / "scene.pvpkg";
    build.key = &key;
    build.thumbnails = false;
    // The flash check plays the whole show at 90 frames a second (pack_flash_tests test it); the
    // kiosk then limits the unchecked show's flashes, which these tests do not look at.
    build.check_show_flashes = false;
    const auto built = pack::build_package(build);
    ASSERT_TRUE(built.ok()) << built.error().describe();
    config.content = folder / "content";
    config.trusted_keys = {folder / "curator.pub"};
    config.pixels_per_mm = 0.5;
  }

  testing::TemporaryFolder folder;
  KioskConfig config;
};

TEST_F(KioskFrameAllocations, SteadyStateScreensAllocateNothing) {
  ASSERT_NO_FATAL_FAILURE(pack("gallery"));
  constexpr std::string_view steps = R"({{"wait": 1}}, {{"tap": "begin"}}, {{"wait": {0}}},
      {{"tap": "exhibit:gallery/celadon-vase"}}, {{"wait": {0}}}, {{"tap": "accessibility"}}, {{"wait": {0}}},
      {{"tap": "accessibility-done"}}, {{"wait": {0}}})";
  const Allocations short_visit = allocations_during_visit(config, steps, 3.0);
  const Allocations long_visit = allocations_during_visit(config, steps, 9.0);
  EXPECT_EQ(long_visit.frames, short_visit.frames + 4 * 24);
  EXPECT_GT(short_visit.frames_that_allocated, 0u);  // the count works: new screens allocate
  EXPECT_EQ(long_visit.frames_that_allocated, short_visit.frames_that_allocated)
      << "frames on an unchanging screen allocated memory";
}

// A visitor on the keypad: the focus kept and drawn every frame, the narrator saying each
// screen, control and setting (lines said allocate; the frames between them must not).
TEST_F(KioskFrameAllocations, AKeypadVisitAllocatesNothingBetweenKeys) {
  ASSERT_NO_FATAL_FAILURE(pack("gallery"));
  constexpr std::string_view steps = R"({{"wait": 1}}, {{"key": "down"}}, {{"wait": {0}}}, {{"key": "down"}}, {{"wait": {0}}},
      {{"key": "down"}}, {{"wait": {0}}}, {{"key": "up"}}, {{"wait": {0}}}, {{"key": "select"}}, {{"wait": {0}}},
      {{"key": "down"}}, {{"wait": {0}}}, {{"key": "select"}}, {{"wait": {0}}}, {{"key": "back"}}, {{"wait": {0}}})";
  const Allocations short_visit = allocations_during_visit(config, steps, 6.0);
  const Allocations long_visit = allocations_during_visit(config, steps, 12.0);
  EXPECT_EQ(long_visit.frames, short_visit.frames + 8 * 24);
  EXPECT_GT(short_visit.frames_that_allocated, 0u);
  EXPECT_EQ(long_visit.frames_that_allocated, short_visit.frames_that_allocated)
      << "frames between a keypad visitor's keys allocated memory";
}

// A poem being recited: its voice fed, the loopback mixed, the lit character moving, its text
// spliced into the interface every frame.
TEST_F(KioskFrameAllocations, APoemBeingRecitedAllocatesNothing) {
  ASSERT_NO_FATAL_FAILURE(pack("poetry_garden"));
  constexpr std::string_view steps = R"({{"wait": 1}}, {{"tap": "begin"}}, {{"wait": 1}},
      {{"tap": "exhibit:poetry-garden/quiet-night"}}, {{"wait": {0}}}, {{"tap": "poem:play"}}, {{"wait": {0}}},
      {{"tap": "poem:pinyin"}}, {{"wait": {0}}})";
  // Both visits end within the recitation's 14 s.
  const Allocations short_visit = allocations_during_visit(config, steps, 2.0);
  const Allocations long_visit = allocations_during_visit(config, steps, 4.0);
  EXPECT_EQ(long_visit.frames, short_visit.frames + 3 * 8);
  EXPECT_GT(short_visit.frames_that_allocated, 0u);
  EXPECT_EQ(long_visit.frames_that_allocated, short_visit.frames_that_allocated)
      << "frames of a poem being recited allocated memory";
}

// A festival show playing in the attract loop: its music's voice fed and read as the show's
// clock, its title fading over the scene, its camera move followed, its sounds captioned. The
// frames that start a sound make its voice; those between allocate nothing.
TEST_F(KioskFrameAllocations, AShowPlayingAllocatesNothingBetweenItsSounds) {
  testing::write_festival_source(folder / "festival", 30.0);
  ASSERT_NO_FATAL_FAILURE(pack_folder(folder / "festival"));
  // Both visits hear the tune start and the gong at 2.5 s; the longer one's extra frames (3.5 s
  // to 7 s) only go on playing, the title fading out at 4 s.
  constexpr std::string_view steps = R"({{"wait": {0}}})";
  const Allocations short_visit = allocations_during_visit(config, steps, 3.5);
  const Allocations long_visit = allocations_during_visit(config, steps, 7.0);
  EXPECT_EQ(long_visit.frames, short_visit.frames + 14);
  EXPECT_GT(short_visit.frames_that_allocated, 0u);
  EXPECT_EQ(long_visit.frames_that_allocated, short_visit.frames_that_allocated)
      << "frames of a show playing allocated memory";
}

// A book's thumbnails are read by a worker in real time and land in whichever frames the machine
// allows, but the strip draws a page from its cell of their texture before and after it lands
// (book_navigation.cpp): a landing changes no draw list, and grows none in a frame of its own.
void expect_same_allocating_frames(const Allocations& long_visit, const Allocations& short_visit, const char* what) {
  EXPECT_GT(short_visit.frames_that_allocated, 0u);
  EXPECT_EQ(long_visit.frames_that_allocated, short_visit.frames_that_allocated) << what;
}

// The page turns a visit logged, as "SUBJECT>TO", from the telemetry queue at `queue_file`.
std::vector<std::string> page_turns_in(const std::filesystem::path& queue_file) {
  std::vector<std::string> turns;
  auto queue = telemetry::LocalQueue::open(queue_file, 1000);
  EXPECT_TRUE(queue.ok()) << queue.error().describe();
  if (!queue.ok()) return turns;
  const auto events = (*queue)->oldest(500);
  EXPECT_TRUE(events.ok());
  if (!events.ok()) return turns;
  for (const telemetry::Event& event : *events) {
    if (event.type == telemetry::EventType::page_turn) turns.push_back(fmt::format("{}>{}", event.subject.view(), event.value));
  }
  return turns;
}

// A book's leaf held by a finger and dragged across (the leaf's shape made and drawn every frame),
// then landing by itself: frames while it follows the finger allocate nothing. The leaf is taken
// and turned in both visits (its page turn logged), so a drag that missed the corner, and turned
// nothing, fails here rather than counting frames of a book lying still.
TEST_F(KioskFrameAllocations, ALeafBeingTurnedAllocatesNothing) {
  const std::filesystem::path source = folder / "source";
  const std::string_view scene = R"({"id": "books", "version": "1", "title": {"zh-CN": "书", "en": "Books"},
    "viewpoints": [{"position": [0, 1.6, 2], "target": [0, 1, 0]}],
    "exhibits": [{"id": "codex", "kind": "book", "position": [0, 1, 0], "metadata": {"title": {"zh-CN": "书", "en": "A book"}},
      "alt_text": {"zh-CN": "一部书。", "en": "A book."}, "book": {"folder": "codex"}}]})";
  std::filesystem::create_directories(source / "codex");
  ASSERT_TRUE(write_file_atomic(source / "scene.json", std::as_bytes(std::span(scene.data(), scene.size()))).ok());
  for (uint32_t page = 1; page <= 4; ++page) {
    ImageRgba8 image(200, 260);
    for (uint32_t y = 0; y < image.height; ++y) {
      for (uint32_t x = 0; x < image.width; ++x) {
        const auto shade = static_cast<uint8_t>((x * 7 + y * 3 + page * 131) % 97 < 9 ? 40 : 220);
        std::copy_n(std::array<uint8_t, 4>{shade, shade, shade, 255}.data(), 4, image.at(x, y));
      }
    }
    ASSERT_TRUE(write_png(source / "codex" / fmt::format("p{}.png", page), image).ok());
  }
  ASSERT_NO_FATAL_FAILURE(pack_folder(source));
  constexpr std::string_view steps = R"({{"wait": 1}}, {{"tap": "begin"}}, {{"wait": 1}},
      {{"tap": "exhibit:books/codex"}}, {{"wait": 2}},
      {{"drag": {{"from": "book:corner-next", "by": [-70, 0], "seconds": {0}}}}}, {{"wait": {0}}})";
  KioskConfig short_config = config;
  short_config.telemetry_queue = folder / "short-visit.queue";
  KioskConfig long_config = config;
  long_config.telemetry_queue = folder / "long-visit.queue";
  const Allocations short_visit = allocations_during_visit(short_config, steps, 2.0);
  const Allocations long_visit = allocations_during_visit(long_config, steps, 4.0);
  EXPECT_EQ(page_turns_in(short_config.telemetry_queue), std::vector<std::string>{"codex#1>2"}) << "the leaf was not taken";
  EXPECT_EQ(page_turns_in(long_config.telemetry_queue), std::vector<std::string>{"codex#1>2"}) << "the leaf was not taken";
  EXPECT_EQ(long_visit.frames, short_visit.frames + 2 * 8);
  expect_same_allocating_frames(long_visit, short_visit, "frames of a leaf being turned allocated memory");
}

// A hand scroll (a continuous book) dragged open by a finger, then drifting to a stop: each frame
// places its section's canvases again, cropped at the rolls, and logs the canvas in its middle;
// none of them allocates. Both visits log canvases reaching the middle, so a drag that missed the
// scroll, and unrolled nothing, fails here rather than counting frames of a scroll lying still.
TEST_F(KioskFrameAllocations, AHandScrollBeingUnrolledAllocatesNothing) {
  const std::filesystem::path source = folder / "source";
  const std::string_view scene = R"({"id": "scrolls", "version": "1", "title": {"zh-CN": "卷", "en": "Scrolls"},
    "viewpoints": [{"position": [0, 1.6, 2], "target": [0, 1, 0]}],
    "exhibits": [{"id": "river", "kind": "book", "position": [0, 1, 0], "metadata": {"title": {"zh-CN": "卷", "en": "A scroll"}},
      "alt_text": {"zh-CN": "一卷手卷。", "en": "A handscroll."}, "book": {"folder": "river"}}]})";
  const std::string_view book = R"({"title": {"zh-CN": "卷", "en": "A scroll"}, "viewingDirection": "left-to-right", "behavior": "continuous"})";
  ASSERT_NO_FATAL_FAILURE(testing::write_text(source / "scene.json", scene));
  ASSERT_NO_FATAL_FAILURE(testing::write_text(source / "river" / "book.json", book));
  for (uint32_t page = 1; page <= 8; ++page) {
    ASSERT_TRUE(write_png(source / "river" / fmt::format("p{}.png", page), testing::page_scan(page)).ok());
  }
  ASSERT_NO_FATAL_FAILURE(pack_folder(source));
  constexpr std::string_view steps = R"({{"wait": 1}}, {{"tap": "begin"}}, {{"wait": 1}},
      {{"tap": "exhibit:scrolls/river"}}, {{"wait": 2}},
      {{"drag": {{"from": "book:opening", "by": [-60, 0], "seconds": {0}}}}}, {{"wait": {0}}})";
  KioskConfig short_config = config;
  short_config.telemetry_queue = folder / "short-visit.queue";
  KioskConfig long_config = config;
  long_config.telemetry_queue = folder / "long-visit.queue";
  const Allocations short_visit = allocations_during_visit(short_config, steps, 2.0);
  const Allocations long_visit = allocations_during_visit(long_config, steps, 4.0);
  EXPECT_FALSE(page_turns_in(short_config.telemetry_queue).empty()) << "the scroll was not unrolled";
  EXPECT_FALSE(page_turns_in(long_config.telemetry_queue).empty()) << "the scroll was not unrolled";
  EXPECT_EQ(long_visit.frames, short_visit.frames + 2 * 8);
  expect_same_allocating_frames(long_visit, short_visit, "frames of a hand scroll being unrolled allocated memory");
}

// A book zoomed by a pinch and then held zoomed: the pinch's frames lay the pages out again and
// log the depth, the renderer streams finer tiles; frames while the fingers spread, and while the
// zoomed opening stands, allocate nothing.
TEST_F(KioskFrameAllocations, ABookBeingZoomedAllocatesNothing) {
  const std::filesystem::path source = folder / "source";
  const std::string_view scene = R"({"id": "books", "version": "1", "title": {"zh-CN": "书", "en": "Books"},
    "viewpoints": [{"position": [0, 1.6, 2], "target": [0, 1, 0]}],
    "exhibits": [{"id": "codex", "kind": "book", "position": [0, 1, 0], "metadata": {"title": {"zh-CN": "书", "en": "A book"}},
      "alt_text": {"zh-CN": "一部书。", "en": "A book."}, "book": {"folder": "codex"}}]})";
  std::filesystem::create_directories(source / "codex");
  ASSERT_TRUE(write_file_atomic(source / "scene.json", std::as_bytes(std::span(scene.data(), scene.size()))).ok());
  for (uint32_t page = 1; page <= 4; ++page) {
    ImageRgba8 image(600, 800);
    for (uint32_t y = 0; y < image.height; ++y) {
      for (uint32_t x = 0; x < image.width; ++x) {
        const auto shade = static_cast<uint8_t>((x * 7 + y * 3 + page * 131) % 97 < 9 ? 40 : 220);
        std::copy_n(std::array<uint8_t, 4>{shade, shade, shade, 255}.data(), 4, image.at(x, y));
      }
    }
    ASSERT_TRUE(write_png(source / "codex" / fmt::format("p{}.png", page), image).ok());
  }
  ASSERT_NO_FATAL_FAILURE(pack_folder(source));
  constexpr std::string_view steps = R"({{"wait": 1}}, {{"tap": "begin"}}, {{"wait": 1}},
      {{"tap": "exhibit:books/codex"}}, {{"wait": 2}},
      {{"pinch": {{"at": "book:opening", "from": 10, "to": 30, "seconds": {0}}}}}, {{"wait": {0}}})";
  const Allocations short_visit = allocations_during_visit(config, steps, 2.0);
  const Allocations long_visit = allocations_during_visit(config, steps, 4.0);
  EXPECT_EQ(long_visit.frames, short_visit.frames + 2 * 8);
  expect_same_allocating_frames(long_visit, short_visit, "frames of a book being zoomed allocated memory");
  // The frames counted were a zoom's: the same visit shows the way back to the whole opening.
  bool zoomed = false;
  std::vector<checking::Finding> findings;
  KioskOptions options;
  options.headless = true;
  options.width = 160;
  options.height = 90;
  options.script = parse_visit_script(fmt::format(R"({{"start": "2027-02-10T10:00:00+08:00", "frame_seconds": 0.25, "steps": [{}]}})",
                                                  fmt::format(fmt::runtime(steps), 2.0)),
                                      "visit", findings);
  options.after_frame = [&](const KioskReport& frame) {
    for (const Control& control : frame.controls) zoomed = zoomed || control.name == "book:whole-opening";
  };
  auto kiosk = Kiosk::create(config, options);
  ASSERT_TRUE(kiosk.ok()) << kiosk.error().describe();
  ASSERT_TRUE((*kiosk)->run().ok());
  EXPECT_TRUE(zoomed) << "the pinch did not zoom the book";
}

}  // namespace
}  // namespace pavilion::kiosk

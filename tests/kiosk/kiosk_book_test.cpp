// The book exhibit on the kiosk (#17 items 4 and 8; kiosk/README.md, "Books"): a package with a
// small left-to-right codex and a right-to-left book, five generated pages each, opened by a
// scripted visitor who turns leaves by dragging a page's corner (a long drag turns the opening, a
// short one falls back) and by the buttons; the interaction log holds page_turn from → to,
// opening_dwell and book_close. Headless, on a virtual clock.
#include "pavilion/core/file.h"
#include "pavilion/core/png.h"
#include "pavilion/kiosk/kiosk.h"
#include "pavilion/pack/builder.h"
#include "pavilion/package/signing.h"
#include "pavilion/telemetry/local_queue.h"
#include "temporary_folder.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

namespace pavilion::kiosk {
namespace {

namespace fs = std::filesystem;
using testing::TemporaryFolder;

constexpr double frame_seconds = 1.0 / 30.0;

// A page: ink strokes on paper, different on every page.
ImageRgba8 page_scan(uint32_t page) {
  ImageRgba8 image(300, 400);
  for (uint32_t y = 0; y < image.height; ++y) {
    for (uint32_t x = 0; x < image.width; ++x) {
      uint8_t* pixel = image.at(x, y);
      const bool ink = (x * 7 + y * 3 + page * 131) % 97 < 9;
      pixel[0] = ink ? 40 : 226;
      pixel[1] = ink ? 32 : 212;
      pixel[2] = ink ? 30 : 180;
      pixel[3] = 255;
    }
  }
  return image;
}

void write_text(const fs::path& path, std::string_view text) {
  fs::create_directories(path.parent_path());
  ASSERT_TRUE(write_file_atomic(path, std::as_bytes(std::span(text.data(), text.size()))).ok());
}

// Two books of five pages: "codex" read left to right, "sutra" right to left.
void write_books_scene(const fs::path& folder) {
  write_text(folder / "scene.json", R"({
  "id": "books", "version": "1", "title": {"zh-CN": "善本", "en": "Rare books"},
  "viewpoints": [{"position": [0, 1.6, 2], "target": [0, 1, 0]}],
  "exhibits": [
    {"id": "codex", "kind": "book", "position": [0, 1, 0],
     "metadata": {"title": {"zh-CN": "食谱", "en": "A cookbook"}},
     "alt_text": {"zh-CN": "一部书。", "en": "A book."}, "book": {"folder": "codex"}},
    {"id": "sutra", "kind": "book", "position": [3, 1, 0],
     "metadata": {"title": {"zh-CN": "经", "en": "A sutra"}},
     "alt_text": {"zh-CN": "一部书。", "en": "A book."}, "book": {"folder": "sutra"}}]
})");
  write_text(folder / "codex" / "book.json", R"({"title": {"zh-CN": "食谱", "en": "A cookbook"}, "viewingDirection": "left-to-right"})");
  write_text(folder / "sutra" / "book.json", R"({"title": {"zh-CN": "经", "en": "A sutra"}, "viewingDirection": "right-to-left"})");
  for (const char* book : {"codex", "sutra"}) {
    for (uint32_t page = 1; page <= 5; ++page) {
      ASSERT_TRUE(write_png(folder / book / fmt::format("p{}.png", page), page_scan(page)).ok());
    }
  }
}

class KioskBook : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    folder_ = new TemporaryFolder();
    key_ = package::generate_key_pair();
    ASSERT_TRUE(package::write_key_files(key_, *folder_ / "curator.key", *folder_ / "curator.pub").ok());
    write_books_scene(*folder_ / "source");
    fs::create_directories(*folder_ / "content");
    pack::BuildOptions options;
    options.scene_directory = *folder_ / "source";
    options.output = *folder_ / "content" / "books.pvpkg";
    options.key = &key_;
    options.thumbnails = false;
    options.jobs = 2;
    const auto built = pack::build_package(options);
    ASSERT_TRUE(built.ok()) << built.error().describe();
  }
  static void TearDownTestSuite() {
    delete folder_;
    folder_ = nullptr;
  }

  struct Run {
    KioskReport report;
    // Where each named control last stood while its name was drawn: [min_x, min_y, max_x, max_y].
    std::map<std::string, std::array<float, 4>> last_seen;
    std::vector<telemetry::Event> book_events;  // page_turn, opening_dwell and book_close, in order
  };

  Run run(std::string_view steps) {
    TemporaryFolder state;
    KioskConfig config;
    config.file = "test kiosk.json";
    config.content = *folder_ / "content";
    config.trusted_keys = {*folder_ / "curator.pub"};
    config.operator_pin = "2468";
    config.pixels_per_mm = 3.8 * 360 / 720.0;
    config.telemetry_queue = state / "events.sqlite";
    const std::string visit =
        fmt::format(R"({{"start": "2027-02-08T10:20:00+08:00", "frame_seconds": {}, "steps": [{}]}})", frame_seconds, steps);
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
      out.report = (*kiosk)->report();
    }
    for (const std::string& failure : out.report.script_failures) ADD_FAILURE() << failure;
    for (const std::string& message : out.report.validation_messages) ADD_FAILURE() << "validation: " << message;
    auto queue = telemetry::LocalQueue::open(config.telemetry_queue, 1000);
    EXPECT_TRUE(queue.ok()) << queue.error().describe();
    if (!queue.ok()) return out;
    const auto events = (*queue)->oldest(500);
    EXPECT_TRUE(events.ok());
    if (!events.ok()) return out;
    for (const telemetry::Event& event : *events) {
      if (event.type == telemetry::EventType::page_turn || event.type == telemetry::EventType::opening_dwell ||
          event.type == telemetry::EventType::book_close) {
        out.book_events.push_back(event);
      }
    }
    return out;
  }

  // The page turns logged, as "SUBJECT>TO" (the subject names the opening turned from).
  static std::vector<std::string> turns(const Run& run) {
    std::vector<std::string> out;
    for (const telemetry::Event& event : run.book_events) {
      if (event.type == telemetry::EventType::page_turn) out.push_back(fmt::format("{}>{}", event.subject.view(), event.value));
    }
    return out;
  }

  static inline TemporaryFolder* folder_ = nullptr;
  static inline package::KeyPair key_;
};

// A long drag from the next page's corner across the spine turns the leaf over: opening 1 → 2.
// A short drag lets the leaf fall back: nothing changes. Leaving the book closes it at opening 2.
TEST_F(KioskBook, DraggingACornerAcrossTurnsTheLeafAndAShortDragFallsBack) {
  const Run run = this->run(R"({"wait": 0.5}, {"tap": "begin"}, {"tap": "exhibit:books/codex"}, {"wait": 2},
      {"expect": "exhibit"},
      {"drag": {"from": "book:corner-next", "by": [-260, -10], "seconds": 0.6}}, {"wait": 2},
      {"drag": {"from": "book:corner-next", "by": [-12, 0], "seconds": 1.0}}, {"wait": 2},
      {"tap": "home"}, {"wait": 0.5})");
  ASSERT_TRUE(run.last_seen.contains("book:corner-next"));
  EXPECT_EQ(turns(run), std::vector<std::string>{"codex#1>2"});
  ASSERT_FALSE(run.book_events.empty());
  const telemetry::Event& closed = run.book_events.back();
  EXPECT_EQ(closed.type, telemetry::EventType::book_close);
  EXPECT_EQ(closed.subject.view(), "codex#2");
  EXPECT_EQ(closed.value, 2) << "two openings seen";
  const auto dwell = std::ranges::find(run.book_events, telemetry::EventType::opening_dwell, &telemetry::Event::type);
  ASSERT_NE(dwell, run.book_events.end());
  EXPECT_EQ(dwell->subject.view(), "codex#1");
  EXPECT_GT(dwell->value, 2000) << "milliseconds on the first opening";
}

// A right-to-left book: its next button stands left of the previous one and turns to the next
// opening in reading order, the previous one back; the next leaf's corner lies on the left and
// is dragged to the right.
TEST_F(KioskBook, ARightToLeftBookTurnsTheWayItReads) {
  const Run run = this->run(R"({"wait": 0.5}, {"tap": "begin"}, {"tap": "exhibit:books/sutra"}, {"wait": 2},
      {"tap": "book:next"}, {"wait": 2}, {"tap": "book:next"}, {"wait": 2}, {"tap": "book:previous"}, {"wait": 2},
      {"drag": {"from": "book:corner-next", "by": [260, -10], "seconds": 0.6}}, {"wait": 2},
      {"tap": "home"}, {"wait": 0.5})");
  EXPECT_EQ(turns(run), (std::vector<std::string>{"sutra#1>2", "sutra#2>3", "sutra#3>2", "sutra#2>3"}));
  ASSERT_TRUE(run.last_seen.contains("book:next") && run.last_seen.contains("book:previous"));
  EXPECT_LT(run.last_seen.at("book:next")[0], run.last_seen.at("book:previous")[0]) << "next on the left";
  ASSERT_TRUE(run.last_seen.contains("book:corner-next") && run.last_seen.contains("book:corner-previous"));
  EXPECT_LT(run.last_seen.at("book:corner-next")[2], run.last_seen.at("book:corner-previous")[0])
      << "the next leaf lies on the left";
  ASSERT_FALSE(run.book_events.empty());
  EXPECT_EQ(run.book_events.back().type, telemetry::EventType::book_close);
  EXPECT_EQ(run.book_events.back().subject.view(), "sutra#3");
}

}  // namespace
}  // namespace pavilion::kiosk

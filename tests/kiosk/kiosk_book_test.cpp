// The book exhibit on the kiosk (#17 items 4 and 8; kiosk/README.md, "Books"): a package with a
// small left-to-right codex and a right-to-left book, five generated pages each, opened by a
// scripted visitor who turns leaves by dragging a page's corner (a long drag turns the opening, a
// short one falls back) and by the buttons; the interaction log holds page_turn from → to,
// opening_dwell and book_close. Headless, on a virtual clock.
#include "pavilion/core/file.h"
#include "pavilion/core/png.h"
#include "pavilion/kiosk/kiosk.h"
#include "pavilion/telemetry/book_events.h"
#include "pavilion/telemetry/local_queue.h"
#include "annals_manifest.h"
#include "book_package.h"
#include "book_scans.h"
#include "golden.h"
#include "temporary_folder.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace pavilion::kiosk {
namespace {

namespace fs = std::filesystem;
using testing::TemporaryFolder;

constexpr double frame_seconds = 1.0 / 30.0;

using testing::page_scan;
using testing::write_text;

// The gazetteer's pages: more openings than the strip shows at once.
constexpr uint32_t gazetteer_pages = 121;

// A IIIF manifest of seven canvases painted with scans/p1.png … p7.png, and a table of contents:
// "Volume one" (canvases 1–3), "Volume two" (6–7, and its child "Preface", canvas 5).
std::string annals_manifest() {
  const std::string canvases = testing::painted_canvases(7);
  const auto canvas = [](int page) { return fmt::format(R"({{"id": "https://library.example/c{}", "type": "Canvas"}})", page); };
  return fmt::format(R"({{"@context": "http://iiif.io/api/presentation/3/context.json",
  "id": "https://library.example/annals", "type": "Manifest", "label": {{"zh": ["史记 卷一至卷二"], "en": ["Annals, volumes one and two"]}},
  "summary": {{"zh": ["司马迁所著纪传体通史的前两卷。"], "en": ["The first two volumes of Sima Qian's history."]}},
  "metadata": [{{"label": {{"zh": ["刊刻"], "en": ["Printed"]}}, "value": {{"zh": ["南宋"], "en": ["Southern Song"]}}}}],
  "requiredStatement": {{"label": {{"zh": ["来源"], "en": ["Source"]}}, "value": {{"zh": ["某图书馆藏"], "en": ["Held by a library"]}}}},
  "rights": "http://rightsstatements.org/vocab/NoC-NC/1.0/",
  "behavior": ["paged"], "items": [{}],
  "structures": [
    {{"id": "https://library.example/r1", "type": "Range", "label": {{"zh": ["卷一"], "en": ["Volume one"]}}, "items": [{}, {}, {}]}},
    {{"id": "https://library.example/r2", "type": "Range", "label": {{"zh": ["卷二"], "en": ["Volume two"]}}, "items": [
      {{"id": "https://library.example/r3", "type": "Range", "label": {{"zh": ["序"], "en": ["Preface"]}}, "items": [{}]}}, {}, {}]}}]}})",
                     canvases, canvas(1), canvas(2), canvas(3), canvas(5), canvas(6), canvas(7));
}

// Two books of five pages: "codex" read left to right, "sutra" right to left; and "annals", seven
// pages from a IIIF manifest with a table of contents.
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
     "alt_text": {"zh-CN": "一部书。", "en": "A book."}, "book": {"folder": "sutra"}},
    {"id": "annals", "kind": "book", "position": [6, 1, 0],
     "metadata": {"title": {"zh-CN": "史记", "en": "Annals"}},
     "alt_text": {"zh-CN": "一部书。", "en": "A book."}, "book": {"manifest": "annals/manifest.json", "folder": "annals"}},
    {"id": "gazetteer", "kind": "book", "position": [9, 1, 0],
     "metadata": {"title": {"zh-CN": "方志", "en": "A gazetteer"}},
     "alt_text": {"zh-CN": "一部书。", "en": "A book."}, "book": {"folder": "gazetteer"}},
    {"id": "almanac", "kind": "book", "position": [12, 1, 0],
     "metadata": {"title": {"zh-CN": "历书", "en": "An almanac"}},
     "alt_text": {"zh-CN": "一部书。", "en": "A book."}, "book": {"folder": "almanac"}},
    {"id": "atlas", "kind": "book", "position": [15, 1, 0],
     "metadata": {"title": {"zh-CN": "舆图", "en": "An atlas"}},
     "alt_text": {"zh-CN": "一部书。", "en": "A book."}, "book": {"folder": "atlas"}},
    {"id": "calendar", "kind": "book", "position": [40, 1, 0],
     "metadata": {"title": {"zh-CN": "月令图", "en": "A calendar"}},
     "alt_text": {"zh-CN": "一部书。", "en": "A book."}, "book": {"folder": "calendar"}}]
})");
  // Read top to bottom, five pages, the third a plate two and a half pages high bound as a
  // foldout after the second.
  write_text(folder / "calendar" / "book.json", R"({"title": {"zh-CN": "月令图", "en": "A calendar"}, "viewingDirection": "top-to-bottom",
    "pages": {"p3.png": {"behavior": "non-paged"}}})");
  for (uint32_t page = 1; page <= 5; ++page) {
    ImageRgba8 scan = page_scan(page);
    if (page == 3) {
      ImageRgba8 plate(300, 1000);
      for (size_t pixel = 0; pixel < plate.pixels.size(); ++pixel) plate.pixels[pixel] = static_cast<uint8_t>(pixel % 4 == 3 ? 255 : 60 + pixel % 7);
      scan = plate;
    }
    ASSERT_TRUE(write_png(folder / "calendar" / fmt::format("p{}.png", page), scan).ok());
  }
  // Five pages, the third a map three pages wide bound as a foldout after the second.
  write_text(folder / "atlas" / "book.json", R"({"title": {"zh-CN": "舆图", "en": "An atlas"}, "viewingDirection": "left-to-right",
    "pages": {"p3.png": {"behavior": "non-paged"}}})");
  for (uint32_t page = 1; page <= 5; ++page) {
    ImageRgba8 scan = page_scan(page);
    if (page == 3) {
      ImageRgba8 map(900, 400);
      for (size_t pixel = 0; pixel < map.pixels.size(); ++pixel) map.pixels[pixel] = static_cast<uint8_t>(pixel % 4 == 3 ? 255 : 60 + pixel % 7);
      scan = map;
    }
    ASSERT_TRUE(write_png(folder / "atlas" / fmt::format("p{}.png", page), scan).ok());
  }
  write_text(folder / "almanac" / "book.json", R"({"title": {"zh-CN": "历书", "en": "An almanac"}, "viewingDirection": "top-to-bottom"})");
  write_text(folder / "gazetteer" / "book.json", R"({"title": {"zh-CN": "方志", "en": "A gazetteer"}, "viewingDirection": "left-to-right"})");
  for (uint32_t page = 1; page <= gazetteer_pages; ++page) {
    ImageRgba8 small(30, 40);
    for (size_t pixel = 0; pixel < small.pixels.size(); ++pixel) small.pixels[pixel] = static_cast<uint8_t>(pixel % 4 == 3 ? 255 : 200 - page);
    ASSERT_TRUE(write_png(folder / "gazetteer" / fmt::format("p{}.png", page), small).ok());
  }
  write_text(folder / "annals" / "manifest.json", annals_manifest());
  for (uint32_t page = 1; page <= 7; ++page) {
    ASSERT_TRUE(write_png(folder / "annals" / fmt::format("p{}.png", page), page_scan(page)).ok());
  }
  write_text(folder / "codex" / "book.json", R"({"title": {"zh-CN": "食谱", "en": "A cookbook"}, "viewingDirection": "left-to-right"})");
  write_text(folder / "sutra" / "book.json", R"({"title": {"zh-CN": "经", "en": "A sutra"}, "viewingDirection": "right-to-left"})");
  for (const char* book : {"codex", "sutra", "almanac"}) {
    for (uint32_t page = 1; page <= 5; ++page) {
      ASSERT_TRUE(write_png(folder / book / fmt::format("p{}.png", page), page_scan(page)).ok());
    }
  }
}

class KioskBook : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    folder_ = new TemporaryFolder();
    write_books_scene(*folder_ / "source");
    ASSERT_TRUE(testing::pack_book_scene(*folder_ / "source", *folder_ / "content" / "books.pvpkg", folder_->path()));
  }
  static void TearDownTestSuite() {
    delete folder_;
    folder_ = nullptr;
  }

  struct Run {
    KioskReport report;
    // Where each named control last stood while its name was drawn: [min_x, min_y, max_x, max_y].
    std::map<std::string, std::array<float, 4>> last_seen;
    // The book's opening on screen ("book:opening") in every frame that drew it, and whether the
    // zoom's way back ("book:whole-opening") was there.
    std::vector<std::pair<std::array<float, 4>, bool>> openings_seen;
    // Every different thing each control was to say (its label, in the visitor's language).
    std::map<std::string, std::set<std::string>> spoken;
    size_t most_thumbnails_in_a_frame = 0;  // "book:opening:N" targets drawn in one frame
    // The foldout on screen ("book:foldout") and the opening with it, in every frame that drew it.
    std::vector<std::pair<std::array<float, 4>, std::array<float, 4>>> foldouts_seen;
    std::vector<telemetry::Event> book_events;  // page_turn, zoom, zoom_reached, opening_dwell and book_close, in order
    std::set<std::string> panel_texts;  // every different text the info panel showed
    std::vector<float> next_button_tops;  // "book:next"'s top edge, in every frame that drew it
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
    options.screenshot_folder = *folder_ / "shots";
    fs::create_directories(options.screenshot_folder);
    options.after_frame = [&](const KioskReport& frame) {
      if (!frame.panel_text.empty()) out.panel_texts.insert(frame.panel_text);
      bool zoomed = false;
      size_t thumbnails = 0;
      for (const Control& control : frame.controls) {
        if (control.name == "book:next") out.next_button_tops.push_back(control.min_y);
        out.last_seen[control.name] = {control.min_x, control.min_y, control.max_x, control.max_y};
        if (!control.spoken.empty()) out.spoken[control.name].insert(control.spoken);
        zoomed = zoomed || control.name == "book:whole-opening";
        thumbnails += control.name.starts_with("book:opening:") ? 1 : 0;
      }
      out.most_thumbnails_in_a_frame = std::max(out.most_thumbnails_in_a_frame, thumbnails);
      for (const Control& control : frame.controls) {
        if (control.name == "book:opening") out.openings_seen.push_back({{control.min_x, control.min_y, control.max_x, control.max_y}, zoomed});
      }
      for (const Control& control : frame.controls) {
        if (control.name == "book:foldout" && out.last_seen.contains("book:opening")) {
          out.foldouts_seen.push_back({{control.min_x, control.min_y, control.max_x, control.max_y}, out.last_seen.at("book:opening")});
        }
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
      if (telemetry::is_book_event(event.type)) {
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
// is dragged to the right; its thumbnail strip starts on the right.
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
  ASSERT_TRUE(run.last_seen.contains("book:opening:1") && run.last_seen.contains("book:opening:2"));
  EXPECT_GT(run.last_seen.at("book:opening:1")[0], run.last_seen.at("book:opening:2")[2])
      << "the strip runs right to left too: the first opening on the right";
  ASSERT_FALSE(run.book_events.empty());
  EXPECT_EQ(run.book_events.back().type, telemetry::EventType::book_close);
  EXPECT_EQ(run.book_events.back().subject.view(), "sutra#3");
}

// A top-to-bottom book hangs from a horizontal spine, its earlier page above and its later below:
// the next leaf's corner lies below the spine and the previous one's above it. Dragged up across
// the spine from its corner, the lower leaf turns over (page_turn 2 → 3); a short drag lets it
// fall back; the buttons turn it as a leaf too. Just after the previous button, the leaf stands
// over the spine (a golden: the upper page's leaf coming down, page 2's picture on its front).
TEST_F(KioskBook, ABookReadTopToBottomTurnsItsLeavesUpOverAHorizontalSpine) {
  const Run run = this->run(R"({"wait": 0.5}, {"tap": "begin"}, {"tap": "next-page"}, {"tap": "exhibit:books/almanac"}, {"wait": 2},
      {"tap": "book:next"}, {"wait": 1.5},
      {"drag": {"from": "book:corner-next", "by": [10, -170], "seconds": 0.6}}, {"wait": 1.5},
      {"tap": "book:previous"}, {"wait": 0.15}, {"screenshot": "almanac-mid-turn.png"}, {"wait": 1.5},
      {"drag": {"from": "book:corner-next", "by": [0, -12], "seconds": 1.0}}, {"wait": 1.5},
      {"tap": "home"}, {"wait": 0.5})");
  EXPECT_EQ(turns(run), (std::vector<std::string>{"almanac#1>2", "almanac#2>3", "almanac#3>2"}));
  ASSERT_TRUE(run.last_seen.contains("book:corner-next") && run.last_seen.contains("book:corner-previous"));
  const std::array<float, 4> next = run.last_seen.at("book:corner-next");
  const std::array<float, 4> previous = run.last_seen.at("book:corner-previous");
  EXPECT_GT(next[1], previous[3]) << "the next leaf hangs below the spine, the previous one above it";
  ASSERT_TRUE(run.last_seen.contains("book:opening"));
  const std::array<float, 4> opening = run.last_seen.at("book:opening");
  const float spine = 0.5f * (opening[1] + opening[3]);
  EXPECT_GT(next[1], spine);
  EXPECT_LT(previous[3], spine);
  EXPECT_GT(opening[3] - opening[1], 1.5f * (opening[2] - opening[0])) << "two portrait pages stacked: far taller than wide";
  auto shot = read_png(*folder_ / "shots" / "almanac-mid-turn.png");
  ASSERT_TRUE(shot.ok()) << shot.error().describe();
  // The opening alone, not the panel about it nor the exhibits beside it.
  const auto left = static_cast<uint32_t>(opening[0]);
  const auto top = static_cast<uint32_t>(opening[1]);
  ImageRgba8 book(static_cast<uint32_t>(std::ceil(opening[2])) - left, static_cast<uint32_t>(std::ceil(opening[3])) - top);
  ASSERT_LE(left + book.width, shot->width);
  ASSERT_LE(top + book.height, shot->height);
  for (uint32_t y = 0; y < book.height; ++y) std::copy_n(shot->at(left, top + y), 4 * book.width, book.at(0, y));
  EXPECT_TRUE(testing::matches_golden(book, "kiosk_book_vertical_mid_turn"));
}

}  // namespace
}  // namespace pavilion::kiosk

namespace pavilion::kiosk {
namespace {

float height_of(const std::array<float, 4>& rect) { return rect[3] - rect[1]; }

const telemetry::Event* find_event(const std::vector<telemetry::Event>& events, telemetry::EventType type) {
  const auto found = std::ranges::find(events, type, &telemetry::Event::type);
  return found == events.end() ? nullptr : &*found;
}

// Two fingers spread from 40 to 120 pixels apart on the opening: it is drawn three times as large
// about the point between them; the way back shows the whole opening again. The log has zoom 200
// (2× passed) and, when the visitor leaves the book, zoom_reached: three times the whole opening's
// screen pixels per scan pixel (the scans are 400 pixels high), in thousandths.
TEST_F(KioskBook, PinchingZoomsIntoTheOpeningAndLogsHowNearTheScanItCame) {
  const Run run = this->run(R"({"wait": 0.5}, {"tap": "begin"}, {"tap": "exhibit:books/codex"}, {"wait": 2},
      {"pinch": {"at": "book:opening", "from": 40, "to": 120, "seconds": 0.5}}, {"wait": 1},
      {"tap": "book:whole-opening"}, {"wait": 1.5}, {"tap": "home"}, {"wait": 0.5})");
  ASSERT_TRUE(run.last_seen.contains("book:opening"));
  const std::array<float, 4> whole = run.last_seen.at("book:opening");  // back to the whole opening, settled
  float largest = 0;
  for (const auto& [rect, zoomed] : run.openings_seen) largest = std::max(largest, height_of(rect));
  EXPECT_NEAR(largest / height_of(whole), 3.0f, 0.05f) << "the opening drawn three times as high";
  const telemetry::Event* zoom = find_event(run.book_events, telemetry::EventType::zoom);
  ASSERT_NE(zoom, nullptr);
  EXPECT_EQ(zoom->subject.view(), "codex#1");
  EXPECT_EQ(zoom->value, 200);
  const telemetry::Event* reached = find_event(run.book_events, telemetry::EventType::zoom_reached);
  ASSERT_NE(reached, nullptr);
  EXPECT_EQ(reached->subject.view(), "codex#1");
  const double expected = 3.0 * height_of(whole) / 400.0 * 1000.0;
  EXPECT_NEAR(static_cast<double>(reached->value), expected, expected * 0.05) << "screen pixels per scan pixel × 1000";
  // Left before its opening_dwell; no corner while zoomed.
  const auto at = std::ranges::find(run.book_events, telemetry::EventType::zoom_reached, &telemetry::Event::type);
  ASSERT_NE(at + 1, run.book_events.end());
  EXPECT_EQ((at + 1)->type, telemetry::EventType::opening_dwell);
  EXPECT_TRUE(turns(run).empty());
}

// A zoomed opening dragged far right and down by one finger stops where its top left corner meets
// the whole opening's: in every zoomed frame the pages still cover all the whole opening covered,
// so the view never leaves the pages.
TEST_F(KioskBook, PanningAZoomedOpeningStaysInsideItsPages) {
  const Run run = this->run(R"({"wait": 0.5}, {"tap": "begin"}, {"tap": "exhibit:books/codex"}, {"wait": 2},
      {"pinch": {"at": "book:opening", "from": 40, "to": 120, "seconds": 0.5}}, {"wait": 0.5},
      {"drag": {"from": "book:opening", "by": [400, 300], "seconds": 0.5}}, {"wait": 0.5},
      {"tap": "book:whole-opening"}, {"wait": 1.5}, {"tap": "home"}, {"wait": 0.5})");
  ASSERT_TRUE(run.last_seen.contains("book:opening"));
  const std::array<float, 4> whole = run.last_seen.at("book:opening");
  size_t zoomed_frames = 0;
  bool pinned = false;
  for (const auto& [rect, zoomed] : run.openings_seen) {
    if (!zoomed || height_of(rect) < 1.5f * height_of(whole)) continue;
    ++zoomed_frames;
    EXPECT_LE(rect[0], whole[0] + 1.0f);
    EXPECT_LE(rect[1], whole[1] + 1.0f);
    EXPECT_GE(rect[2], whole[2] - 1.0f);
    EXPECT_GE(rect[3], whole[3] - 1.0f);
    pinned = pinned || (std::abs(rect[0] - whole[0]) < 2.0f && std::abs(rect[1] - whole[1]) < 2.0f);
  }
  EXPECT_GT(zoomed_frames, 20u);
  EXPECT_TRUE(pinned) << "the drag went far enough to stop at the pages' top left corner";
}

// A double tap on the opening zooms to the scan's own pixels (at least 2×) and the way back
// returns: zoom_reached says one scan pixel a screen pixel (1000).
TEST_F(KioskBook, ADoubleTapZoomsToTheScansOwnPixels) {
  const Run run = this->run(R"({"wait": 0.5}, {"tap": "begin"}, {"tap": "exhibit:books/codex"}, {"wait": 2},
      {"tap": "book:opening"}, {"tap": "book:opening"}, {"wait": 1},
      {"tap": "book:whole-opening"}, {"wait": 1.5}, {"tap": "home"}, {"wait": 0.5})");
  ASSERT_TRUE(run.last_seen.contains("book:opening"));
  const float whole_scale = height_of(run.last_seen.at("book:opening")) / 400.0f;  // screen pixels per scan pixel
  const telemetry::Event* reached = find_event(run.book_events, telemetry::EventType::zoom_reached);
  ASSERT_NE(reached, nullptr);
  const double expected = 1000.0 * std::max(1.0f, 2.0f * whole_scale);
  EXPECT_NEAR(static_cast<double>(reached->value), expected, expected * 0.05);
  float largest = 0;
  for (const auto& [rect, zoomed] : run.openings_seen) largest = std::max(largest, height_of(rect));
  EXPECT_GT(largest, 1.9f * height_of(run.last_seen.at("book:opening")));
}

// The strip holds a picture of each of the codex's three openings; tapping the third goes there,
// logged as a turn from the first.
TEST_F(KioskBook, TappingAThumbnailGoesToItsOpening) {
  const Run run = this->run(R"({"wait": 0.5}, {"tap": "begin"}, {"tap": "exhibit:books/codex"}, {"wait": 2},
      {"tap": "book:opening:3"}, {"wait": 1}, {"tap": "book:opening:2"}, {"wait": 1}, {"tap": "home"}, {"wait": 0.5})");
  EXPECT_TRUE(run.last_seen.contains("book:opening:1") && run.last_seen.contains("book:opening:2"));
  EXPECT_FALSE(run.last_seen.contains("book:opening:4")) << "three openings: a page alone, then two pairs";
  EXPECT_EQ(turns(run), (std::vector<std::string>{"codex#1>3", "codex#3>2"}));
  ASSERT_TRUE(run.spoken.contains("book:opening:3"));
  EXPECT_TRUE(run.spoken.at("book:opening:3").contains("第 3 开") || run.spoken.at("book:opening:3").contains("Opening 3"));
}

// A book of 61 openings: the strip draws only the few in view (a thousand-page book costs no
// more a frame), the current one among them; its right arrow shows the next ones, and a tap on
// one of those goes there.
TEST_F(KioskBook, TheStripDrawsOnlyTheOpeningsInViewAndPagesOn) {
  const Run first = this->run(R"({"wait": 0.5}, {"tap": "begin"}, {"tap": "exhibit:books/gazetteer"}, {"wait": 2},
      {"tap": "home"}, {"wait": 0.5})");
  const size_t in_view = first.most_thumbnails_in_a_frame;
  EXPECT_GE(in_view, 3u);
  EXPECT_LE(in_view, 12u) << "of 61 openings";
  EXPECT_TRUE(first.last_seen.contains("book:opening:1"));
  EXPECT_FALSE(first.last_seen.contains(fmt::format("book:opening:{}", in_view + 1)));
  const Run paged = this->run(fmt::format(R"({{"wait": 0.5}}, {{"tap": "begin"}}, {{"tap": "exhibit:books/gazetteer"}}, {{"wait": 2}},
      {{"tap": "book:strip-right"}}, {{"wait": 0.5}}, {{"tap": "book:opening:{}"}}, {{"wait": 1}}, {{"tap": "home"}}, {{"wait": 0.5}})",
                                          in_view + 2));
  EXPECT_EQ(turns(paged), std::vector<std::string>{fmt::format("gazetteer#1>{}", in_view + 2)});
  EXPECT_EQ(paged.most_thumbnails_in_a_frame, in_view);
}

// The manifest's ranges are the panel's contents, in the visitor's language: "Volume two" goes to
// its child's first page (canvas 5: the third opening), "Volume one" back to the first.
TEST_F(KioskBook, TheTableOfContentsGoesToARangesFirstOpeningInTheVisitorsLanguage) {
  const Run run = this->run(R"({"wait": 0.5}, {"tap": "begin"}, {"tap": "exhibit:books/annals"}, {"wait": 2},
      {"tap": "book:contents:2"}, {"wait": 1}, {"tap": "language"}, {"wait": 1}, {"tap": "book:contents:1"}, {"wait": 1},
      {"tap": "book:contents:3"}, {"wait": 1}, {"tap": "home"}, {"wait": 0.5})");
  EXPECT_EQ(turns(run), (std::vector<std::string>{"annals#1>3", "annals#3>1", "annals#1>3"}));
  ASSERT_TRUE(run.spoken.contains("book:contents:2"));
  EXPECT_EQ(run.spoken.at("book:contents:2"), (std::set<std::string>{"卷二", "Volume two"}));
  ASSERT_TRUE(run.spoken.contains("book:contents:3"));
  EXPECT_EQ(run.spoken.at("book:contents:3"), (std::set<std::string>{"序", "Preface"}));
}

// The info panel shows what the manifest says of the book, in the visitor's language: its own
// title where it differs from the exhibit's, its summary, metadata, required statement and
// rights. A book whose source names it as the exhibit does shows its title once.
TEST_F(KioskBook, ThePanelShowsTheManifestsTitleSummaryMetadataAndStatementInBothLanguages) {
  const Run run = this->run(R"({"wait": 0.5}, {"tap": "begin"}, {"tap": "exhibit:books/annals"}, {"wait": 2},
      {"tap": "language"}, {"wait": 1}, {"tap": "next"}, {"wait": 1}, {"tap": "home"}, {"wait": 0.5})");
  const auto lines_of = [](const std::string& text) {
    std::vector<std::string> lines;
    for (size_t start = 0, end; start < text.size(); start = end + 1) {
      end = text.find('\n', start);
      lines.push_back(text.substr(start, end - start));
    }
    return lines;
  };
  const auto shown_with = [&](std::initializer_list<std::string_view> wanted) {
    return std::ranges::any_of(run.panel_texts, [&](const std::string& text) {
      const std::vector<std::string> lines = lines_of(text);
      return std::ranges::all_of(wanted, [&](std::string_view line) { return std::ranges::find(lines, line) != lines.end(); });
    });
  };
  EXPECT_TRUE(shown_with({"史记", "史记 卷一至卷二", "司马迁所著纪传体通史的前两卷。", "刊刻", "南宋", "来源", "某图书馆藏",
                          "http://rightsstatements.org/vocab/NoC-NC/1.0/"}));
  EXPECT_TRUE(shown_with({"Annals", "Annals, volumes one and two", "The first two volumes of Sima Qian's history.", "Printed",
                          "Southern Song", "Source", "Held by a library", "http://rightsstatements.org/vocab/NoC-NC/1.0/"}));
  // The next exhibit, the gazetteer, is a folder of scans named by the exhibit's own title.
  const bool gazetteer_shown = std::ranges::any_of(run.panel_texts, [&](const std::string& text) {
    const std::vector<std::string> lines = lines_of(text);
    if (std::ranges::find(lines, "A gazetteer") == lines.end()) return false;
    EXPECT_EQ(std::ranges::count(lines, "A gazetteer"), 1) << text;
    return true;
  });
  EXPECT_TRUE(gazetteer_shown);
}

// The annals' panel is longer than the screen: a finger dragging its text upwards scrolls it
// (its buttons go up with it), and another exhibit's panel, and this one's shown again, open at
// their top.
TEST_F(KioskBook, ThePanelScrollsUnderADraggingFingerAndOpensAtItsTop) {
  const Run run = this->run(R"({"wait": 0.5}, {"tap": "begin"}, {"tap": "exhibit:books/annals"}, {"wait": 2},
      {"drag": {"from": [560, 24], "by": [0, -120], "seconds": 0.5}}, {"wait": 0.5},
      {"tap": "next"}, {"wait": 1}, {"tap": "previous"}, {"wait": 1}, {"tap": "home"}, {"wait": 0.5})");
  ASSERT_GE(run.next_button_tops.size(), 3u);
  const float top = run.next_button_tops.front();
  EXPECT_LT(*std::ranges::min_element(run.next_button_tops), top - 60.0f) << "the drag scrolled the panel";
  EXPECT_FLOAT_EQ(run.next_button_tops.back(), top) << "shown again, the panel opens at its top";
  EXPECT_TRUE(turns(run).empty()) << "dragging the panel turns no page";
}

// A foldout (a map three pages wide, bound after page 2) lies folded on the right page of the
// second opening; a tap on it opens it out to the right over 0.6 s while the whole opening is
// drawn smaller, so that all of it stays on the screen as wide as the opening was. The next
// button folds it back first, then turns the leaf.
TEST_F(KioskBook, AFoldoutLiesFoldedOnItsPageAndATapOpensItOut) {
  const Run run = this->run(R"({"wait": 0.5}, {"tap": "begin"}, {"tap": "next-page"}, {"tap": "exhibit:books/atlas"}, {"wait": 2},
      {"tap": "book:next"}, {"wait": 1.5}, {"tap": "book:foldout"}, {"wait": 1.5},
      {"tap": "book:next"}, {"wait": 2.5}, {"tap": "home"}, {"wait": 0.5})");
  EXPECT_EQ(turns(run), (std::vector<std::string>{"atlas#1>2", "atlas#2>3"}));
  ASSERT_FALSE(run.foldouts_seen.empty());
  const auto width = [](const std::array<float, 4>& box) { return box[2] - box[0]; };
  const auto [folded, closed_opening] = run.foldouts_seen.front();
  EXPECT_NEAR(width(folded), 0.5f * width(closed_opening), 0.05f * width(closed_opening)) << "folded on its page";
  const auto widest = std::ranges::max_element(run.foldouts_seen, {}, [&](const auto& seen) { return width(seen.first); });
  const auto [open, open_opening] = *widest;
  // Three pages wide beside a page: the opening four pages wide, drawn as wide as two were.
  EXPECT_NEAR(width(open), 0.75f * width(open_opening), 0.05f * width(open_opening));
  EXPECT_NEAR(width(open_opening), width(closed_opening), 0.05f * width(closed_opening)) << "the view widened";
  EXPECT_GE(open[0], open_opening[0] - 1.0f);
  EXPECT_LE(open[2], open_opening[2] + 1.0f);
  EXPECT_GE(open_opening[0], 0.0f);
  EXPECT_LE(open_opening[2], 640.0f);
  EXPECT_NEAR(width(run.foldouts_seen.back().first), width(folded), 2.0f) << "folded again before the leaf turned";
}

// Dragged outwards from where it lies folded, the foldout unfolds under the finger: a short drag
// unfolds it part way and, let go before halfway, it folds back; a long one, let go past halfway,
// opens it the rest of the way.
TEST_F(KioskBook, AFoldoutDraggedOutwardsUnfoldsUnderTheFinger) {
  const Run run = this->run(R"({"wait": 0.5}, {"tap": "begin"}, {"tap": "next-page"}, {"tap": "exhibit:books/atlas"}, {"wait": 2},
      {"tap": "book:next"}, {"wait": 1.5}, {"drag": {"from": "book:foldout", "by": [60, 0], "seconds": 0.5}}, {"wait": 1.5},
      {"drag": {"from": "book:foldout", "by": [220, 0], "seconds": 0.6}}, {"wait": 1.5},
      {"tap": "home"}, {"wait": 0.5})");
  ASSERT_FALSE(run.foldouts_seen.empty());
  const auto width = [](const std::array<float, 4>& box) { return box[2] - box[0]; };
  const float folded = width(run.foldouts_seen.front().first);
  std::string seen;
  for (const auto& [foldout, opening] : run.foldouts_seen) seen += fmt::format(" {:.0f}", width(foldout));
  // Wider under the short drag, then folded again once let go.
  const auto wider = std::ranges::find_if(run.foldouts_seen, [&](const auto& frame) { return width(frame.first) > folded + 5.0f; });
  ASSERT_NE(wider, run.foldouts_seen.end()) << "the short drag unfolds it part way:" << seen;
  const auto back = std::find_if(wider, run.foldouts_seen.end(), [&](const auto& frame) { return width(frame.first) < folded + 1.0f; });
  ASSERT_NE(back, run.foldouts_seen.end()) << "let go before halfway, it folds back:" << seen;
  const auto [open, opening] = run.foldouts_seen.back();
  EXPECT_NEAR(width(open), 0.75f * width(opening), 0.05f * width(opening)) << "the long drag opened it:" << seen;
}

// A top-to-bottom book's foldout lies folded on the page below the spine of the second opening,
// as high as that page; tapped, it unfolds downwards while the whole opening is drawn smaller, so
// that the page above and the plate below fill the height the opening had.
TEST_F(KioskBook, AHangingBooksFoldoutUnfoldsDownwards) {
  const Run run = this->run(R"({"wait": 0.5}, {"tap": "begin"}, {"tap": "next-page"}, {"tap": "exhibit:books/calendar"}, {"wait": 2},
      {"tap": "book:next"}, {"wait": 1.5}, {"tap": "book:foldout"}, {"wait": 1.5}, {"screenshot": "calendar-open-foldout.png"},
      {"tap": "home"}, {"wait": 0.5})");
  EXPECT_EQ(turns(run), (std::vector<std::string>{"calendar#1>2"}));
  // To look at.
  auto shot = read_png(*folder_ / "shots" / "calendar-open-foldout.png");
  ASSERT_TRUE(shot.ok()) << shot.error().describe();
  EXPECT_TRUE(write_png(testing::test_output_path("kiosk_book_hanging_foldout_open.png"), *shot).ok());
  ASSERT_FALSE(run.foldouts_seen.empty());
  const auto height = [](const std::array<float, 4>& box) { return box[3] - box[1]; };
  const auto [folded, closed_opening] = run.foldouts_seen.front();
  EXPECT_NEAR(height(folded), 0.5f * height(closed_opening), 0.05f * height(closed_opening)) << "folded on its page";
  EXPECT_NEAR(folded[1], 0.5f * (closed_opening[1] + closed_opening[3]), 0.05f * height(closed_opening)) << "below the spine";
  const auto tallest = std::ranges::max_element(run.foldouts_seen, {}, [&](const auto& seen) { return height(seen.first); });
  const auto [open, open_opening] = *tallest;
  // Two and a half pages high below a page: the opening three and a half pages high, drawn as high as two were.
  EXPECT_NEAR(height(open), 2.5f / 3.5f * height(open_opening), 0.05f * height(open_opening));
  EXPECT_NEAR(height(open_opening), height(closed_opening), 0.05f * height(closed_opening)) << "the view widened";
  EXPECT_GE(open[1], open_opening[1] - 1.0f);
  EXPECT_LE(open[3], open_opening[3] + 1.0f);
  EXPECT_NEAR(open[3], open_opening[3], 2.0f) << "down to the opening's lower edge";
}

}  // namespace
}  // namespace pavilion::kiosk

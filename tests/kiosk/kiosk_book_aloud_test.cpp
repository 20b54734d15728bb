// A book's commentary and seal layers, and its pages read aloud in audio-only mode, on the kiosk
// (#17 items 4, 5 and 8; kiosk/README.md, "Books"): a IIIF manifest of three generated pages, the
// first with a reader's note and a seal on regions, each with an ALTO file of two lines, packed
// (espeak-ng reads the lines) and opened by a scripted visitor; and a thread-bound book imaged as
// whole leaves, of whose leaves an opening reads only the halves it shows. Headless, on a virtual
// clock.
#include "pavilion/core/file.h"
#include "pavilion/core/png.h"
#include "pavilion/kiosk/kiosk.h"
#include "pavilion/pack/builder.h"
#include "pavilion/package/reader.h"
#include "pavilion/scene/loader.h"
#include "pavilion/telemetry/local_queue.h"
#include "book_package.h"
#include "book_scans.h"
#include "temporary_folder.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <map>
#include <string>
#include <vector>

namespace pavilion::kiosk {
namespace {

namespace fs = std::filesystem;
using testing::TemporaryFolder;

constexpr double frame_seconds = 1.0 / 30.0;

using testing::page_scan;
using testing::write_text;

std::string canvas(uint32_t page) {
  const std::string id = fmt::format("https://example.org/commonplace/canvas/{}", page);
  const std::string notes =
      page != 1 ? ""
                : fmt::format(R"(, "annotations": [{{"id": "{0}/notes", "type": "AnnotationPage", "items": [
      {{"id": "{0}/note", "type": "Annotation", "motivation": "commenting",
       "body": {{"type": "TextualBody", "value": "A reader's note", "language": "en", "format": "text/plain"}},
       "target": "{0}#xywh=20,40,260,120"}},
      {{"id": "{0}/seal", "type": "Annotation", "motivation": "tagging",
       "body": {{"type": "TextualBody", "value": "Seal", "language": "en", "format": "text/plain"}},
       "target": "{0}#xywh=200,300,80,80"}}]}}])",
                              id);
  return fmt::format(R"({{"id": "{0}", "type": "Canvas", "label": {{"en": ["p. {1}"]}}, "width": 300, "height": 400,
    "seeAlso": [{{"id": "https://example.org/commonplace/p{1}.alto.xml", "type": "Dataset", "format": "application/xml",
                 "profile": "http://www.loc.gov/standards/alto/v4/alto.xsd"}}],
    "items": [{{"id": "{0}/page", "type": "AnnotationPage", "items": [{{"id": "{0}/image", "type": "Annotation",
      "motivation": "painting", "target": "{0}",
      "body": {{"id": "https://example.org/images/p{1}.png", "type": "Image", "format": "image/png", "width": 300, "height": 400}}}}]}}]{2}}})",
                     id, page, notes);
}

std::string alto(uint32_t page) {
  return fmt::format(R"(<?xml version="1.0" encoding="UTF-8"?>
<alto xmlns="http://www.loc.gov/standards/alto/ns-v4#">
  <Description><MeasurementUnit>pixel</MeasurementUnit></Description>
  <Layout><Page ID="p{0}" WIDTH="300" HEIGHT="400"><PrintSpace HPOS="0" VPOS="0" WIDTH="300" HEIGHT="400">
    <TextBlock ID="b1" LANG="en" HPOS="20" VPOS="200" WIDTH="260" HEIGHT="90">
      <TextLine ID="l1" HPOS="20" VPOS="200" WIDTH="260" HEIGHT="30"><String CONTENT="Page {0} of the commonplace book of notes" HPOS="20" VPOS="200" WIDTH="260" HEIGHT="30"/></TextLine>
      <TextLine ID="l2" HPOS="20" VPOS="250" WIDTH="200" HEIGHT="30"><String CONTENT="waking" HPOS="20" VPOS="250" WIDTH="100" HEIGHT="30"/><SP/><String CONTENT="treasures" HPOS="130" VPOS="250" WIDTH="90" HEIGHT="30"/></TextLine>
    </TextBlock>
  </PrintSpace></Page></Layout>
</alto>)",
                     page);
}

void write_book_scene(const fs::path& folder) {
  write_text(folder / "scene.json", R"({
  "id": "commonplace", "version": "1", "title": {"zh-CN": "札记", "en": "A commonplace book"},
  "viewpoints": [{"position": [0, 1.6, 2], "target": [0, 1, 0]}],
  "exhibits": [
    {"id": "notes", "kind": "book", "position": [0, 1, 0],
     "metadata": {"title": {"zh-CN": "札记", "en": "Notes"}, "language": "en"},
     "alt_text": {"zh-CN": "一部书。", "en": "A book."}, "book": {"manifest": "book/manifest.json", "folder": "book"}},
    {"id": "unread", "kind": "book", "position": [3, 1, 0],
     "metadata": {"title": {"zh-CN": "无声", "en": "Unread"}, "language": "en"},
     "alt_text": {"zh-CN": "一部书。", "en": "A book."},
     "book": {"manifest": "book/manifest.json", "folder": "book", "read_aloud": false,
              "annotations": [{"page": 2, "motivation": "tagging", "region": [10, 20, 50, 60], "text": "松風閣藏", "language": "lzh"}]}}]
})");
  std::string canvases;
  for (uint32_t page = 1; page <= 3; ++page) {
    canvases += (page > 1 ? ",\n" : "") + canvas(page);
    write_text(folder / "book" / fmt::format("p{}.alto.xml", page), alto(page));
    ASSERT_TRUE(write_png(folder / "book" / fmt::format("p{}.png", page), page_scan(page)).ok());
  }
  write_text(folder / "book" / "manifest.json",
             fmt::format(R"({{"@context": "http://iiif.io/api/presentation/3/context.json",
  "id": "https://example.org/commonplace/manifest", "type": "Manifest", "label": {{"en": ["Notes"]}},
  "behavior": ["paged"], "items": [{}]}})",
                         canvases));
}

// A right-to-left thread-bound book of two leaves imaged whole (600 × 400, the fold in the
// middle), each with four columns of text read right to left: two on the front half (right of
// the fold, read first) and two on the back half. It opens at its second leaf, whose opening shows
// the first leaf's back half (on the right, read first) beside the second leaf's front half.
void write_thread_bound_scene(const fs::path& folder) {
  write_text(folder / "scene.json", R"({
  "id": "stitched", "version": "1", "title": {"zh-CN": "线装书", "en": "A thread-bound book"},
  "viewpoints": [{"position": [0, 1.6, 2], "target": [0, 1, 0]}],
  "exhibits": [
    {"id": "leaves", "kind": "book", "position": [0, 1, 0],
     "metadata": {"title": {"zh-CN": "线装", "en": "Leaves"}, "language": "en"},
     "alt_text": {"zh-CN": "一部线装书。", "en": "A thread-bound book."},
     "book": {"manifest": "book/manifest.json", "folder": "book", "thread_bound": true, "leaves_imaged_whole": true}}]
})");
  std::string canvases;
  for (uint32_t leaf = 1; leaf <= 2; ++leaf) {
    const std::string id = fmt::format("https://example.org/stitched/canvas/{}", leaf);
    canvases += fmt::format(R"({}{{"id": "{}", "type": "Canvas", "label": {{"en": ["leaf {}"]}}, "width": 600, "height": 400,
    "seeAlso": [{{"id": "https://example.org/stitched/leaf{}.alto.xml", "type": "Dataset", "format": "application/xml",
                 "profile": "http://www.loc.gov/standards/alto/v4/alto.xsd"}}],
    "items": [{{"id": "{}/page", "type": "AnnotationPage", "items": [{{"id": "{}/image", "type": "Annotation",
      "motivation": "painting", "target": "{}",
      "body": {{"id": "https://example.org/images/leaf{}.png", "type": "Image", "format": "image/png", "width": 600, "height": 400}}}}]}}]}})",
                            leaf > 1 ? ",\n" : "", id, leaf, leaf, id, id, id, leaf);
    std::string columns;
    for (uint32_t column = 0; column < 4; ++column) {
      columns += fmt::format(
          R"(<TextLine ID="c{0}" HPOS="{1}" VPOS="40" WIDTH="60" HEIGHT="320"><String CONTENT="leaf {2} column {3} of four, said slowly" HPOS="{1}" VPOS="40" WIDTH="60" HEIGHT="320"/></TextLine>
)",
          column + 1, 500 - 150 * column, leaf, column + 1);
    }
    write_text(folder / "book" / fmt::format("leaf{}.alto.xml", leaf), fmt::format(R"(<?xml version="1.0" encoding="UTF-8"?>
<alto xmlns="http://www.loc.gov/standards/alto/ns-v4#">
  <Description><MeasurementUnit>pixel</MeasurementUnit></Description>
  <Layout><Page ID="leaf{}" WIDTH="600" HEIGHT="400"><PrintSpace HPOS="0" VPOS="0" WIDTH="600" HEIGHT="400">
    <TextBlock ID="b1" LANG="en" HPOS="0" VPOS="40" WIDTH="600" HEIGHT="320">
{}    </TextBlock>
  </PrintSpace></Page></Layout>
</alto>)",
                                                                                  leaf, columns));
    ImageRgba8 scan(600, 400);
    for (size_t pixel = 0; pixel < scan.pixels.size(); ++pixel) {
      static constexpr std::array<uint8_t, 4> paper{226, 212, 180, 255};
      scan.pixels[pixel] = paper[pixel % 4];
    }
    ASSERT_TRUE(write_png(folder / "book" / fmt::format("leaf{}.png", leaf), scan).ok());
  }
  write_text(folder / "book" / "manifest.json",
             fmt::format(R"({{"@context": "http://iiif.io/api/presentation/3/context.json",
  "id": "https://example.org/stitched/manifest", "type": "Manifest", "label": {{"en": ["Leaves"]}},
  "behavior": ["paged"], "viewingDirection": "right-to-left",
  "start": {{"id": "https://example.org/stitched/canvas/2", "type": "Canvas"}}, "items": [{}]}})",
                         canvases));
}

class KioskBookAloud : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    folder_ = new TemporaryFolder();
    write_book_scene(*folder_ / "source");
    fs::create_directories(*folder_ / "shots");
    ASSERT_TRUE(testing::pack_book_scene(*folder_ / "source", *folder_ / "content" / "commonplace.pvpkg", folder_->path()));
    write_thread_bound_scene(*folder_ / "stitched-source");
    ASSERT_TRUE(testing::pack_book_scene(*folder_ / "stitched-source", *folder_ / "stitched" / "stitched.pvpkg", folder_->path()));
  }
  static void TearDownTestSuite() {
    delete folder_;
    folder_ = nullptr;
  }

  struct Run {
    KioskReport report;
    std::map<std::string, std::string> spoken_controls;  // each named control's words as last drawn
    double loudest_after_opening = 0;                    // the sound heard once the book was open
    std::vector<std::string> turns;                      // page_turn as "SUBJECT>TO"
  };

  // The kiosk showing the packages in `content` (of the suite's folder) following `steps`.
  Run run(std::string_view steps, const char* content = "content") {
    TemporaryFolder state;
    KioskConfig config;
    config.file = "test kiosk.json";
    config.content = *folder_ / content;
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
    options.screenshot_folder = *folder_ / "shots";
    options.script = script.value_or(VisitScript{});
    options.after_frame = [&](const KioskReport& frame) {
      bool book_open = false;
      for (const Control& control : frame.controls) {
        out.spoken_controls[control.name] = control.spoken;
        book_open = book_open || control.name.starts_with("book:");
      }
      if (book_open) out.loudest_after_opening = std::max(out.loudest_after_opening, frame.sound_level);
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
      if (event.type == telemetry::EventType::page_turn) out.turns.push_back(fmt::format("{}>{}", event.subject.view(), event.value));
    }
    return out;
  }

  // Pixels that differ between two screenshots, in the part of the screen left of the panel.
  static size_t differing_pixels(const char* first, const char* second) {
    const auto a = read_png(*folder_ / "shots" / first);
    const auto b = read_png(*folder_ / "shots" / second);
    EXPECT_TRUE(a.ok() && b.ok());
    if (!a.ok() || !b.ok() || a->width != b->width || a->height != b->height) return 0;
    size_t differing = 0;
    for (uint32_t y = 0; y < a->height; ++y) {
      for (uint32_t x = 0; x < a->width / 2; ++x) {
        const uint8_t* p = &a->pixels[(size_t{y} * a->width + x) * 4];
        const uint8_t* q = &b->pixels[(size_t{y} * b->width + x) * 4];
        if (std::abs(p[0] - q[0]) + std::abs(p[1] - q[1]) + std::abs(p[2] - q[2]) > 24) ++differing;
      }
    }
    return differing;
  }

  // The packed book (or the one packed as `package_path` in the suite's folder), as the kiosk reads it.
  static scene::Book packed_book(const char* package_path = "content/commonplace.pvpkg") {
    const package::TrustPolicy developer{{}, true, false};
    auto package = package::PackageReader::open(*folder_ / package_path, developer);
    EXPECT_TRUE(package.ok()) << package.error().describe();
    if (!package.ok()) return {};
    auto loaded = scene::load_scene(**package);
    EXPECT_TRUE(loaded.ok()) << loaded.error().describe();
    if (!loaded.ok() || loaded->books.empty()) return {};
    return loaded->books[0];
  }

  // The amber of the line being read (its outline; not the paper, the ink or the focus ring's
  // yellow) in the middle of the screen, where the book lies: how many pixels, and their mean row
  // and column.
  struct Amber {
    size_t pixels = 0;
    double row = 0;
    double column = 0;
  };
  static Amber amber(const char* file) {
    const auto image = read_png(*folder_ / "shots" / file);
    EXPECT_TRUE(image.ok());
    if (!image.ok()) return {};
    Amber found;
    for (uint32_t y = image->height / 10; y < image->height * 7 / 10; ++y) {
      for (uint32_t x = image->width * 3 / 10; x < image->width * 7 / 10; ++x) {
        const uint8_t* pixel = &image->pixels[(size_t{y} * image->width + x) * 4];
        if (pixel[0] > 200 && pixel[2] < 90 && pixel[0] - pixel[1] > 55 && pixel[1] > 100) {
          ++found.pixels;
          found.row += y;
          found.column += x;
        }
      }
    }
    if (found.pixels > 0) {
      found.row /= static_cast<double>(found.pixels);
      found.column /= static_cast<double>(found.pixels);
    }
    return found;
  }

  static inline TemporaryFolder* folder_ = nullptr;
};


// The package holds each page's reading: one sound a page, a timing a line.
TEST_F(KioskBookAloud, EveryPageWithTextIsReadAloudInThePackage) {
  const package::TrustPolicy developer{{}, true, false};
  auto package = package::PackageReader::open(*folder_ / "content" / "commonplace.pvpkg", developer);
  ASSERT_TRUE(package.ok()) << package.error().describe();
  auto loaded = scene::load_scene(**package);
  ASSERT_TRUE(loaded.ok()) << loaded.error().describe();
  ASSERT_EQ(loaded->books.size(), 2u);
  for (const scene::BookPage& page : loaded->books[1].pages) {
    EXPECT_EQ(page.reading, scene::no_page_reading) << "\"read_aloud\": false";
  }
  // The curator's seal from scene.json, on the second page beside the manifest's annotations.
  const std::vector<scene::PageAnnotation>& second = loaded->books[1].pages[1].annotations;
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(second[0], (scene::PageAnnotation{"tagging", "松風閣藏", "lzh", "text/plain", scene::PageRegion{10, 20, 50, 60}}));
  EXPECT_EQ(loaded->books[1].pages[0].annotations.size(), 2u) << "the manifest's note and seal";
  for (const scene::BookPage& page : loaded->books[0].pages) {
    ASSERT_EQ(page.lines.size(), 2u);
    ASSERT_NE(page.reading, scene::no_page_reading);
    ASSERT_EQ(page.spoken_lines.size(), 2u);
    EXPECT_GT(page.spoken_lines[1].start, page.spoken_lines[0].end) << "a pause between the lines";
    const scene::AudioSource& sound = loaded->audio.at(page.reading);
    EXPECT_NEAR(static_cast<double>(sound.frames) / sound.sample_rate, page.spoken_lines[1].end + 0.45, 0.05);
  }
}

// The curator's annotations in scene.json are checked where they stand: a page past the last, a
// region without a size, a motivation that is no layer's; in English and Chinese.
TEST_F(KioskBookAloud, TheCuratorsAnnotationsAreCheckedAtTheirJsonPath) {
  const auto refused = [](std::string_view annotation, std::string_view expected) {
    TemporaryFolder scene;
    fs::copy(*folder_ / "source" / "book", scene / "book", fs::copy_options::recursive);
    write_text(scene / "scene.json", fmt::format(R"({{"id": "notes", "version": "1", "title": {{"zh-CN": "札记", "en": "Notes"}},
      "viewpoints": [{{"position": [0, 1.6, 2], "target": [0, 1, 0]}}],
      "exhibits": [{{"id": "notes", "kind": "book", "position": [0, 1, 0], "metadata": {{"title": {{"zh-CN": "札记", "en": "Notes"}}}},
      "alt_text": {{"zh-CN": "一部书。", "en": "A book."}},
      "book": {{"manifest": "book/manifest.json", "folder": "book", "read_aloud": false, "annotations": [{}]}}}}]}})",
                                                 annotation));
    pack::BuildOptions options;
    options.scene_directory = scene.path();
    options.output = scene / "notes.pvpkg";
    options.thumbnails = false;
    const auto built = pack::build_package(options);
    ASSERT_FALSE(built.ok());
    EXPECT_NE(built.error().describe().find(expected), std::string::npos) << built.error().describe();
  };
  refused(R"({"page": 9, "motivation": "tagging", "region": [1, 2, 3, 4], "text": "印"})", "exhibits[0].book.annotations[0].page");
  refused(R"({"page": 9, "motivation": "tagging", "region": [1, 2, 3, 4], "text": "印"})", "没有第 9 页：全书只有 3 页");
  refused(R"({"page": 1, "motivation": "tagging", "region": [1, 2, 0, 4], "text": "印"})", "exhibits[0].book.annotations[0].region");
  refused(R"({"page": 1, "motivation": "painting", "region": [1, 2, 3, 4], "text": "印"})", "tagging or identifying (a seal)");
}

// In audio-only mode the line being heard is outlined on the page: the first line while its words
// are heard, the second (lower on the page) while its are; paused, none.
TEST_F(KioskBookAloud, TheLineHeardIsOutlinedByTheReadingsClock) {
  const scene::Book book = packed_book();
  ASSERT_FALSE(book.pages.empty());
  const std::vector<scene::SpokenLine>& lines = book.pages[0].spoken_lines;
  ASSERT_EQ(lines.size(), 2u);
  constexpr double first_at = 1.2;  // the camera has come to the book
  ASSERT_GT(lines[0].end, first_at + 0.3) << "the first line is long enough to be seen";
  const double second_at = 0.5 * (lines[1].start + lines[1].end);
  const Run run = this->run(fmt::format(R"({{"wait": 0.5}}, {{"tap": "begin"}}, {{"tap": "accessibility"}}, {{"tap": "audio-only"}},
      {{"tap": "accessibility-done"}}, {{"tap": "accessibility-done"}}, {{"wait": 1}},
      {{"tap": "exhibit:commonplace/notes"}}, {{"tap": "exhibit:commonplace/notes"}}, {{"wait": {}}}, {{"screenshot": "first-line.png"}},
      {{"wait": {}}}, {{"screenshot": "second-line.png"}}, {{"tap": "book:pause-resume"}}, {{"tap": "book:pause-resume"}},
      {{"wait": 0.5}}, {{"screenshot": "paused.png"}})",
                                        first_at, second_at - first_at));
  const Amber first = amber("first-line.png");
  const Amber second = amber("second-line.png");
  EXPECT_GT(first.pixels, 20u);
  EXPECT_GT(second.pixels, 20u);
  EXPECT_GT(second.row, first.row + 4) << "the second line lies lower on the page";
  EXPECT_EQ(amber("paused.png").pixels, 0u) << "paused, no line is heard";
}

// The thread-bound book's second opening in audio-only mode: the first leaf's back half is read,
// then the second leaf's front half, each only its own two columns. Early on, a column of the
// first leaf's back half is outlined, on the right page; while the second leaf's first column is
// heard, that column is outlined, on the left page. Read whole, the first leaf would begin with
// the columns of its front half, which this opening does not show (nothing outlined), and would
// still be heard when the second leaf's column is due.
TEST_F(KioskBookAloud, AThreadBoundOpeningReadsOnlyTheHalvesItShows) {
  const scene::Book book = packed_book("stitched/stitched.pvpkg");
  ASSERT_EQ(book.pages.size(), 2u);
  ASSERT_TRUE(book.leaves_imaged_whole);
  const std::vector<scene::SpokenLine>& first_leaf = book.pages[0].spoken_lines;
  const std::vector<scene::SpokenLine>& second_leaf = book.pages[1].spoken_lines;
  ASSERT_EQ(first_leaf.size(), 4u);
  ASSERT_EQ(second_leaf.size(), 4u);
  constexpr double back_at = 1.2;  // the camera has come to the book; the first leaf's third column is heard
  ASSERT_GT(first_leaf[2].end - first_leaf[2].start, back_at + 0.3) << "the column is long enough to be seen";
  // The back half's span runs to the first leaf's sound's end: its last column and the pause after it.
  const double second_leaf_from = first_leaf[3].end + 0.45 - first_leaf[2].start;
  const double front_at = second_leaf_from + 0.5 * (second_leaf[0].start + second_leaf[0].end);
  const Run run = this->run(fmt::format(R"({{"wait": 0.5}}, {{"tap": "begin"}}, {{"tap": "accessibility"}}, {{"tap": "audio-only"}},
      {{"tap": "accessibility-done"}}, {{"tap": "accessibility-done"}}, {{"wait": 1}},
      {{"tap": "exhibit:stitched/leaves"}}, {{"tap": "exhibit:stitched/leaves"}}, {{"wait": {}}}, {{"screenshot": "back-half.png"}},
      {{"wait": {}}}, {{"screenshot": "front-half.png"}})",
                                        back_at, front_at - back_at),
                            "stitched");
  const Amber back = amber("back-half.png");
  const Amber front = amber("front-half.png");
  EXPECT_GT(back.pixels, 20u) << "a column of the shown back half is heard first";
  EXPECT_GT(front.pixels, 20u) << "then the second leaf's first column";
  EXPECT_GT(back.column, front.column + 20) << "the back half lies on the right, the front half on the left";
}

// A book packed without its reading is said to be so in audio-only mode, in the visitor's language.
TEST_F(KioskBookAloud, ABookWithoutReadingSaysSo) {
  const Run run = this->run(R"({"wait": 0.5}, {"tap": "begin"}, {"tap": "language"}, {"tap": "accessibility"}, {"tap": "audio-only"},
      {"tap": "accessibility-done"}, {"tap": "accessibility-done"}, {"wait": 1},
      {"tap": "exhibit:commonplace/unread"}, {"tap": "exhibit:commonplace/unread"}, {"wait": 4}, {"expect": "exhibit"})");
  std::vector<std::string> said;
  for (const SpokenLine& line : run.report.spoken) said.push_back(line.text);
  EXPECT_NE(std::find(said.begin(), said.end(), "This book has no reading aloud: its text did not come with the exhibit. Staff can help."),
            said.end());
  EXPECT_EQ(run.spoken_controls.at("book:next-opening"), "Next opening");
}

// The commentary switch, in the visitor's language, hangs the note on its page and takes it away
// again: the screen left of the panel changes, then is as it was.
TEST_F(KioskBookAloud, TheCommentarySwitchShowsAndHidesTheNotes) {
  const Run run = this->run(R"({"wait": 0.5}, {"tap": "begin"}, {"tap": "exhibit:commonplace/notes"}, {"wait": 3},
      {"expect": "exhibit"}, {"screenshot": "plain.png"}, {"tap": "book:commentary"}, {"wait": 1}, {"screenshot": "notes.png"},
      {"tap": "book:commentary"}, {"wait": 1}, {"screenshot": "plain-again.png"}, {"tap": "language"}, {"wait": 1})");
  EXPECT_GT(differing_pixels("plain.png", "notes.png"), 200u) << "the note's box and text";
  EXPECT_LT(differing_pixels("plain.png", "plain-again.png"), 20u);
  ASSERT_TRUE(run.spoken_controls.contains("book:commentary") && run.spoken_controls.contains("book:seals"));
  EXPECT_EQ(run.spoken_controls.at("book:commentary"), "Commentary, off") << "in English after the language key";
  EXPECT_EQ(run.spoken_controls.at("book:seals"), "Seals, off");
}

TEST_F(KioskBookAloud, TheSwitchesSpeakChinese) {
  const Run run = this->run(R"({"wait": 0.5}, {"tap": "begin"}, {"tap": "exhibit:commonplace/notes"}, {"wait": 2},
      {"tap": "book:seals"}, {"wait": 0.5})");
  EXPECT_EQ(run.spoken_controls.at("book:commentary"), "批注，已关闭");
  EXPECT_EQ(run.spoken_controls.at("book:seals"), "印章，已打开");
}

// In audio-only mode the opening is heard as it opens; the zones turn it (a touch speaks a zone,
// a second acts, as everywhere in audio-only mode); help says the zones.
TEST_F(KioskBookAloud, AudioOnlyModeReadsTheOpeningAndItsZonesTurnIt) {
  const Run run = this->run(R"({"wait": 0.5}, {"tap": "begin"}, {"tap": "accessibility"}, {"tap": "audio-only"},
      {"tap": "accessibility-done"}, {"tap": "accessibility-done"}, {"wait": 1},
      {"tap": "exhibit:commonplace/notes"}, {"tap": "exhibit:commonplace/notes"}, {"wait": 3}, {"expect": "exhibit"},
      {"tap": "book:next-opening"}, {"tap": "book:next-opening"}, {"wait": 3},
      {"tap": "book:previous-opening"}, {"tap": "book:previous-opening"}, {"wait": 2}, {"key": "help"}, {"wait": 1})");
  EXPECT_EQ(run.turns, (std::vector<std::string>{"notes#1>2", "notes#2>1"}));
  EXPECT_GT(run.loudest_after_opening, 0.01) << "the page was heard";
  ASSERT_FALSE(run.report.spoken.empty());
  EXPECT_EQ(run.report.spoken.back().text,
            "古籍画面：触摸中间暂停、继续或重读本开，左侧上一开，右侧下一开；返回键回到首页。");
  EXPECT_EQ(run.spoken_controls.at("book:next-opening"), "下一开");
}

}  // namespace
}  // namespace pavilion::kiosk

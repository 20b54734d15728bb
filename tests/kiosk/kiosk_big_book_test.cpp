// A thousand-page book on the kiosk (#17 items 4 and 8): the frame that opens it does not read
// the pages' thumbnails (a worker does, kiosk/src/exhibits/book/book_thumbnails.h), and those in
// the strip's view land while the visitor looks. Headless, on a virtual clock.
#include "pavilion/core/log.h"
#include "pavilion/core/png.h"
#include "pavilion/kiosk/kiosk.h"
#include "pavilion/pack/builder.h"
#include "pavilion/package/signing.h"
#include "book_scans.h"
#include "temporary_folder.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace pavilion::kiosk {
namespace {

namespace fs = std::filesystem;

// A Presentation 3 manifest of `pages` canvases, each painted with scans/leaf.png but pages 2 and
// 3, whose scan is missing (packed as placeholders, without a picture).
std::string thousand_canvases(uint32_t pages) {
  std::string canvases;
  for (uint32_t page = 1; page <= pages; ++page) {
    const char* scan = page == 2 || page == 3 ? "missing" : "leaf";
    canvases += fmt::format(R"({}{{"id": "https://library.example/c{}", "type": "Canvas", "width": 300, "height": 400,
      "items": [{{"id": "https://library.example/c{}/p", "type": "AnnotationPage", "items": [
        {{"id": "https://library.example/c{}/a", "type": "Annotation", "motivation": "painting", "target": "https://library.example/c{}",
         "body": {{"id": "https://library.example/scans/{}.png", "type": "Image", "format": "image/png", "width": 300, "height": 400}}}}]}}]}})",
                            page == 1 ? "" : ",", page, page, page, page, scan);
  }
  return fmt::format(R"({{"@context": "http://iiif.io/api/presentation/3/context.json",
  "id": "https://library.example/big", "type": "Manifest", "label": {{"en": ["A long book"]}},
  "behavior": ["paged"], "items": [{}]}})", canvases);
}

// The frame that opens the book did, before the worker, read, decode and shrink every page's
// coarsest tile and upload a 16 MiB texture: 266 ms of frame work for 1 000 pages on lavapipe
// (bench/book_bench). Now the strip's part is a fraction of a millisecond and the frame's work is
// Renderer::load_pages (which waits for the frames in flight) and the book's panel: about 26 ms
// there. 150 ms leaves room for the validation layer and a busy 2-core machine, and fails the old way.
constexpr double open_frame_bound_ms = 150.0;

TEST(KioskBigBook, AThousandPageBookOpensWithinAFrameBoundAndItsStripFillsIn) {
  testing::TemporaryFolder folder;
  const package::KeyPair key = package::generate_key_pair();
  ASSERT_TRUE(package::write_key_files(key, folder / "curator.key", folder / "curator.pub").ok());
  testing::write_text(folder / "source" / "scene.json", R"({
  "id": "long", "version": "1", "title": {"zh-CN": "长书", "en": "A long book"},
  "viewpoints": [{"position": [0, 1.6, 2], "target": [0, 1, 0]}],
  "exhibits": [{"id": "book", "kind": "book", "position": [0, 1, 0],
    "metadata": {"title": {"zh-CN": "长书", "en": "A long book"}},
    "alt_text": {"zh-CN": "一部书。", "en": "A book."}, "book": {"manifest": "manifest.json", "folder": "scans"}}]
})");
  testing::write_text(folder / "source" / "manifest.json", thousand_canvases(1000));
  fs::create_directories(folder / "source" / "scans");
  ASSERT_TRUE(write_png(folder / "source" / "scans" / "leaf.png", testing::page_scan(1)).ok());
  pack::BuildOptions options;
  options.scene_directory = folder / "source";
  options.output = folder / "content" / "long.pvpkg";
  options.key = &key;
  options.thumbnails = false;
  options.jobs = 2;
  fs::create_directories(folder / "content");
  ASSERT_TRUE(pack::build_package(options).ok());

  KioskConfig config;
  config.file = "test kiosk.json";
  config.content = folder / "content";
  config.trusted_keys = {folder / "curator.pub"};
  config.pixels_per_mm = 3.8 * 180 / 720.0;
  config.telemetry_queue = folder / "events.sqlite";
  std::vector<checking::Finding> findings;
  const auto script = parse_visit_script(R"({"start": "2027-02-08T10:20:00+08:00", "frame_seconds": 0.0333, "steps": [
      {"wait": 0.5}, {"tap": "begin"}, {"tap": "exhibit:long/book"}, {"wait": 3}, {"tap": "home"}, {"wait": 0.5}]})",
                                         "test visit.json", findings);
  ASSERT_TRUE(script) << (findings.empty() ? "" : findings[0].describe());
  std::optional<double> open_frame_ms;
  KioskOptions kiosk_options;
  kiosk_options.headless = true;
  kiosk_options.width = 320;
  kiosk_options.height = 180;
  kiosk_options.validation = true;
  kiosk_options.script = *script;
  kiosk_options.after_frame = [&](const KioskReport& frame) {
    if (open_frame_ms) return;
    for (const Control& control : frame.controls) {
      if (control.name == "book:opening") open_frame_ms = frame.frame_work_ms;
    }
  };
  std::mutex mutex;
  std::vector<std::string> landed;
  size_t unreadable_warnings = 0;
  log::set_sink([&](log::Level, std::string_view line) {
    std::lock_guard lock(mutex);
    if (line.find("thumbnail could not be read") != std::string_view::npos) ++unreadable_warnings;
    if (line.find("thumbnails in view landed") != std::string_view::npos) landed.emplace_back(line);
  });
  {
    auto kiosk = Kiosk::create(config, kiosk_options);
    ASSERT_TRUE(kiosk.ok()) << kiosk.error().describe();
    const auto ended = (*kiosk)->run();
    EXPECT_TRUE(ended.ok()) << ended.error().describe();
    for (const std::string& failure : (*kiosk)->report().script_failures) ADD_FAILURE() << failure;
    for (const std::string& message : (*kiosk)->report().validation_messages) ADD_FAILURE() << "validation: " << message;
  }
  log::set_sink(nullptr);
  ASSERT_TRUE(open_frame_ms) << "the book never opened";
  EXPECT_LT(*open_frame_ms, open_frame_bound_ms) << "the frame that opened the book";
  // Logged as the book closes: the thumbnails in view landed within the 3 s it was open, the two
  // placeholder pages among them as paper.
  ASSERT_EQ(landed.size(), 1u) << "the strip's thumbnails in view never landed";
  EXPECT_NE(landed[0].find("page thumbnails landed"), std::string::npos) << landed[0];
  EXPECT_EQ(unreadable_warnings, 1u) << "the placeholder pages' thumbnails logged once";
}

}  // namespace
}  // namespace pavilion::kiosk

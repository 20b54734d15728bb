// book_bench: a rare book's costs outside the GPU (#17, Measure), in one run:
//
//   1. A IIIF Presentation 3 manifest of N canvases and R ranges (defaults 5 000 and 6 000: 60
//      chapters of 99 sections), generated here: read_manifest's milliseconds against parsing the
//      same text with nlohmann::json alone (the floor under any reader of it), and engine/book's
//      openings of its pages.
//   2. That book packed by pavilion-pack (every canvas painted with one small scan, so the tiles
//      are built once), then what a kiosk does with it: the package opened and its scene decoded
//      (the kiosk does this on its loading thread), and what the book player does on the render
//      thread when the book is opened (the book copied for the tile source, the tile source made,
//      the openings computed, the start page's opening found), against an 11 ms frame (90 Hz) and
//      against the same steps for a book of a few pages in the same run; then, where a Vulkan
//      device opens (lavapipe will do), Renderer::load_pages with the kiosk's default budget, which
//      the book player calls on the render thread too: it reads a frame's worth of the pinned
//      coarsest tiles into staging before it returns.
//   3. Package open to first legible page: a book of P synthetic scans (default 4 of 2 400 ×
//      3 400 px) packed with BC1 tiles, then from PackageReader::open to the coarsest level of the
//      start opening's pages read (what deep zoom keeps resident so a page is never blank), for it
//      and for the 5 000-page book, against PackageReader::open alone.
//   4. The kiosk (headless, 640 × 360, a scripted visitor at 30 frames a second) with a book of T
//      pages (default 1 000, one scan on every canvas): the frame that opens the book (the frame
//      loop's own work, the renderer's CPU work), its thumbnail strip ready (from the open to the
//      thumbnails in view landed, and to every page's), then frames while a leaf is held and
//      turned by a finger against the same frames of the same opening lying still (the same visit
//      with a wait for the drag, run after it): the kiosk's frame work, the renderer's CPU work
//      and its GPU time from its timestamps (lavapipe: the CPU again), as medians.
//
//   book_bench [--canvases N] [--ranges R] [--pages P] [--page WxH] [--thumbnail-pages T] [--runs K] [--gpu NAME]
#include "gpu_bench.h"
#include "pavilion/core/file.h"
#include "pavilion/checking/json_checker.h"
#include "pavilion/core/log.h"
#include "pavilion/iiif/manifest.h"
#include "pavilion/kiosk/kiosk.h"
#include "pavilion/package/signing.h"
#include "pavilion/pack/builder.h"
#include "pavilion/package/reader.h"
#include "pavilion/render/renderer.h"
#include "pavilion/scene/book_pages.h"
#include "pavilion/scene/loader.h"
#include "pavilion/support/synthetic_scan.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <limits>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace {

using namespace pavilion;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr double frame_ms = 1000.0 / 90.0;  // a headset's frame; the kiosk's screen has 16.7 ms

double ms_since(Clock::time_point start) { return std::chrono::duration<double, std::milli>(Clock::now() - start).count(); }

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

// The median of `runs` timings of `work`, in milliseconds, and the spread in brackets.
struct Timing {
  double median_ms = 0, low_ms = 0, high_ms = 0;
  std::string text() const { return fmt::format("{:.2f} ms [{:.2f}–{:.2f}]", median_ms, low_ms, high_ms); }
};

Timing time_runs(int runs, const std::function<void()>& work) {
  std::vector<double> times;
  for (int run = 0; run < runs; ++run) {
    const auto start = Clock::now();
    work();
    times.push_back(ms_since(start));
  }
  return {median(times), *std::min_element(times.begin(), times.end()), *std::max_element(times.begin(), times.end())};
}

[[noreturn]] void fail(const std::string& what) {
  fmt::print(stderr, "book_bench: {}\n", what);
  std::exit(1);
}

template <typename T>
T check(Result<T> result, std::string_view what) {
  if (!result) fail(fmt::format("{}: {}", what, result.error().describe()));
  return std::move(result).value();
}

void check(Result<void> result, std::string_view what) {
  if (!result) fail(fmt::format("{}: {}", what, result.error().describe()));
}

void write_text(const fs::path& path, std::string_view text) {
  fs::create_directories(path.parent_path());
  check(write_file_atomic(path, std::as_bytes(std::span(text.data(), text.size()))), "writing " + path.string());
}

// A Presentation 3 manifest of `canvases` pages, each painted with scans/<image> of width × height,
// and `ranges` ranges: 60 chapters (or fewer), each of its share of sections, each section a run of pages.
std::string generated_manifest(size_t canvases, size_t ranges, std::string_view image, uint32_t width, uint32_t height) {
  std::string text = R"json({"@context": "http://iiif.io/api/presentation/3/context.json",
 "id": "https://library.example/big/manifest", "type": "Manifest",
 "label": {"zh": ["永乐大典（生成）"], "en": ["Yongle Encyclopedia (generated)"], "none": ["MS 5000"]},
 "viewingDirection": "right-to-left", "behavior": ["paged"], "items": [)json";
  for (size_t page = 0; page < canvases; ++page) {
    text += fmt::format(
        R"({}{{"id": "https://library.example/big/c{}", "type": "Canvas", "width": {}, "height": {},
  "label": {{"zh": ["第{}叶"], "en": ["Leaf {}"]}},
  "items": [{{"id": "https://library.example/big/c{}/p", "type": "AnnotationPage", "items": [
    {{"id": "https://library.example/big/c{}/a", "type": "Annotation", "motivation": "painting",
     "target": "https://library.example/big/c{}",
     "body": {{"id": "https://library.example/scans/{}", "type": "Image", "format": "image/png", "width": {}, "height": {}}}}}]}}]}})",
        page == 0 ? "" : ",\n", page, width, height, page + 1, page + 1, page, page, page, image, width, height);
  }
  text += "],\n \"structures\": [";
  const size_t chapters = std::min<size_t>(60, ranges);
  const size_t sections = ranges - chapters;
  size_t section = 0;
  for (size_t chapter = 0; chapter < chapters; ++chapter) {
    text += fmt::format(R"({}{{"id": "https://library.example/big/r{}", "type": "Range",
  "label": {{"zh": ["卷{}"], "en": ["Chapter {}"]}}, "items": [)",
                        chapter == 0 ? "" : ",\n", chapter, chapter + 1, chapter + 1);
    const size_t last = (chapter + 1) * sections / chapters;
    for (bool first = true; section < last; ++section, first = false) {
      const size_t from = section * canvases / std::max<size_t>(sections, 1);
      const size_t to = std::max(from + 1, (section + 1) * canvases / std::max<size_t>(sections, 1));
      text += fmt::format(R"({}{{"id": "https://library.example/big/s{}", "type": "Range", "label": {{"en": ["Section {}"]}}, "items": [)",
                          first ? "" : ",", section, section + 1);
      for (size_t page = from; page < std::min(to, canvases); ++page) {
        text += fmt::format(R"({}{{"id": "https://library.example/big/c{}", "type": "Canvas"}})", page == from ? "" : ",", page);
      }
      text += "]}";
    }
    text += "]}";
  }
  text += "]}\n";
  return text;
}

std::string scene_json(std::string_view book) {
  return fmt::format(R"({{
  "id": "book-bench", "version": "1", "title": {{"zh-CN": "善本", "en": "Rare books"}},
  "viewpoints": [{{"position": [0, 1.6, 2], "target": [0, 1, 0]}}],
  "exhibits": [{{"id": "book", "kind": "book", "position": [0, 1, 0],
    "metadata": {{"title": {{"zh-CN": "书", "en": "A book"}}}},
    "alt_text": {{"zh-CN": "一部书。", "en": "A book."}},
    "book": {}}}]
}})",
                     book);
}

// Packs scene_dir into `output` on every processor; the seconds it took.
double pack_book(const fs::path& scene_dir, const fs::path& output, const fs::path& cache) {
  pack::BuildOptions options;
  options.scene_directory = scene_dir;
  options.output = output;
  options.cache_directory = cache;
  options.thumbnails = false;
  const auto start = Clock::now();
  check(pack::build_package(options), "packing " + scene_dir.string());
  return ms_since(start) / 1000.0;
}

const package::TrustPolicy developer{{}, true, false};

// What the book player does on the render thread when a book opens (kiosk/src/exhibits/book):
// the book copied into the tile source's scene, the tile source, the openings, the start opening.
struct OpenSteps {
  double copy_ms = 0, tile_source_ms = 0, openings_ms = 0, start_ms = 0;
  double total() const { return copy_ms + tile_source_ms + openings_ms + start_ms; }
};

OpenSteps open_on_render_thread(const package::PackageReader& reader, const scene::Scene& loaded, int runs) {
  std::vector<double> copy, source, openings, start;
  for (int run = 0; run < runs; ++run) {
    auto t = Clock::now();
    auto shown = std::make_unique<scene::Scene>();
    shown->books.push_back(loaded.books.at(0));
    copy.push_back(ms_since(t));
    t = Clock::now();
    const scene::PackageBookPages pages(reader, *shown, 0);
    source.push_back(ms_since(t));
    t = Clock::now();
    const book::Openings computed = shown->books[0].openings();
    openings.push_back(ms_since(t));
    t = Clock::now();
    const auto opening = computed.opening_for_page(shown->books[0].start_page);
    start.push_back(ms_since(t));
    if (!opening || pages.page_count() != shown->books[0].pages.size()) fail("the book's start opening was not found");
  }
  return {median(copy), median(source), median(openings), median(start)};
}

// The first `count` pages of a book: the largest book the renderer's budget takes, cut from the big one.
class FirstPages final : public scene::PageTileSource {
 public:
  FirstPages(std::shared_ptr<const scene::PageTileSource> pages, uint32_t count) : pages_(std::move(pages)), count_(count) {}
  uint32_t page_count() const override { return std::min(count_, pages_->page_count()); }
  scene::PageShape page_shape(uint32_t page) const override { return pages_->page_shape(page); }
  Result<void> read_tile(const scene::PageTileKey& key, std::span<std::byte> destination) const override {
    return pages_->read_tile(key, destination);
  }

 private:
  std::shared_ptr<const scene::PageTileSource> pages_;
  uint32_t count_;
};

// Renderer::load_pages of the book's first `pages` pages, as the book player calls it when the
// book opens: its milliseconds and what it answered. Gives the tiles the budget's atlas holds.
uint32_t load_pages_on_gpu(render::GpuContext& context, const package::PackageReader& reader, const scene::Scene& loaded,
                           uint32_t pages, std::string_view name) {
  render::RendererConfig config;  // the kiosk's: its default page budget
  config.shadow_map_size = 256;
  const auto renderer = check(render::Renderer::create(context, config), "making a renderer");
  const auto source = std::make_shared<FirstPages>(std::make_shared<scene::PackageBookPages>(reader, loaded, 0), pages);
  const auto start = Clock::now();
  const Result<void> loaded_pages = renderer->load_pages(source);
  const double ms = ms_since(start);
  const render::PageTileStats stats = renderer->page_tile_stats();
  if (loaded_pages) {
    fmt::print("  Renderer::load_pages, {}: {:.2f} ms ({:.2f} frames of 11.1 ms), {} coarsest tiles pinned at once of {} slots\n",
               name, ms, ms / frame_ms, stats.pinned_tiles, stats.slots);
  } else {
    fmt::print("  Renderer::load_pages, {}: refused after {:.2f} ms: {}\n", name, ms, loaded_pages.error().why());
  }
  return stats.slots;
}

// From PackageReader::open to the coarsest level of the start opening's pages read into memory.
struct Legible {
  double open_ms = 0, scene_ms = 0, pages_ms = 0, tiles_ms = 0;
  size_t tiles = 0;
  double total() const { return open_ms + scene_ms + pages_ms + tiles_ms; }
};

Legible first_legible_page(const fs::path& package_file) {
  Legible legible;
  auto t = Clock::now();
  const auto reader = check(package::PackageReader::open(package_file, developer), "opening the package");
  legible.open_ms = ms_since(t);
  t = Clock::now();
  const scene::Scene loaded = check(scene::load_scene(*reader), "loading the scene");
  legible.scene_ms = ms_since(t);
  t = Clock::now();
  const scene::PackageBookPages pages(*reader, loaded, 0);
  const book::Openings openings = loaded.books.at(0).openings();
  const book::Opening& opening = openings.sequence.at(openings.opening_for_page(loaded.books[0].start_page).value_or(0));
  legible.pages_ms = ms_since(t);
  t = Clock::now();
  std::vector<std::byte> bytes;
  for (const book::PagePart& part : opening.parts) {
    const scene::PageShape shape = pages.page_shape(static_cast<uint32_t>(part.page));
    const uint32_t level = scene::page_level_count(shape) - 1;
    const scene::PageTileRect rect = scene::page_tile_rect(shape, level, 0, 0);
    bytes.resize(scene::page_tile_bytes(shape.format, rect.width, rect.height));
    check(pages.read_tile({static_cast<uint32_t>(part.page), level, 0, 0}, bytes), "reading a page's coarsest tile");
    ++legible.tiles;
  }
  legible.tiles_ms = ms_since(t);
  return legible;
}

struct LegibleRuns {
  Legible median;
  Timing total;
  Timing open_alone;  // the reference: PackageReader::open and nothing else
};

LegibleRuns legible_runs(const fs::path& package_file, int runs) {
  std::vector<Legible> all;
  std::vector<double> totals;
  for (int run = 0; run < runs; ++run) {
    all.push_back(first_legible_page(package_file));
    totals.push_back(all.back().total());
  }
  const auto middle = std::min_element(all.begin(), all.end(), [&](const Legible& a, const Legible& b) {
    return std::abs(a.total() - median(totals)) < std::abs(b.total() - median(totals));
  });
  LegibleRuns result;
  result.median = *middle;
  result.total = {median(totals), *std::min_element(totals.begin(), totals.end()), *std::max_element(totals.begin(), totals.end())};
  result.open_alone = time_runs(runs, [&] { check(package::PackageReader::open(package_file, developer), "opening the package"); });
  return result;
}

void print_legible(std::string_view name, const LegibleRuns& runs) {
  const Legible& m = runs.median;
  fmt::print("  {}: {} (open {:.2f} + scene {:.2f} + tile source and openings {:.2f} + {} coarsest tiles {:.2f} ms); "
             "PackageReader::open alone {} (reference): ratio {:.1f}×, {:.2f} frames of 11.1 ms\n",
             name, runs.total.text(), m.open_ms, m.scene_ms, m.pages_ms, m.tiles, m.tiles_ms, runs.open_alone.text(),
             runs.total.median_ms / runs.open_alone.median_ms, runs.total.median_ms / frame_ms);
}

// One frame of the kiosk, as after_frame saw it.
struct KioskFrame {
  double work_ms = 0, render_cpu_ms = 0, gpu_ms = 0;
  bool book_open = false;  // the book's opening drawn ("book:opening")
};

struct KioskVisit {
  std::vector<KioskFrame> frames;
  std::optional<size_t> opened;  // the first frame with the book open
  std::optional<double> strip_ms, all_thumbnails_ms;
  std::string all_thumbnails;  // the log's "N of M"
};

// A visitor opens the book, waits 4 s, then holds the next page's corner and drags it across
// for 2 s (`turning`), or waits those 2 s instead; then leaves the book (which logs when its
// thumbnails landed).
KioskVisit visit_book(const kiosk::KioskConfig& config, bool turning) {
  const std::string script = fmt::format(
      R"({{"frame_seconds": {}, "steps": [{{"wait": 1}}, {{"tap": "begin"}}, {{"wait": 1}}, {{"tap": "exhibit:book-bench/book"}},
      {{"wait": 4}}, {}, {{"wait": 1}}, {{"tap": "home"}}, {{"wait": 0.5}}]}})",
      1.0 / 30.0,
      turning ? R"({"drag": {"from": "book:corner-next", "by": [200, -10], "seconds": 2}})" : R"({"wait": 2})");
  std::vector<checking::Finding> findings;
  auto parsed = kiosk::parse_visit_script(script, "book_bench visit", findings);
  if (!parsed) fail(checking::findings_error("reading book_bench's visit", findings).describe());
  KioskVisit visit;
  std::mutex lines_mutex;
  std::vector<std::string> lines;
  // The thumbnails' landing is logged by the strip (kiosk/src/exhibits/book/book_navigation.cpp).
  log::set_sink([&](log::Level, std::string_view line) {
    if (line.find("page thumbnails") == std::string_view::npos) return;
    std::lock_guard lock(lines_mutex);
    lines.emplace_back(line);
  });
  kiosk::KioskOptions options;
  options.headless = true;
  options.width = 640;
  options.height = 360;
  options.script = std::move(*parsed);
  options.after_frame = [&](const kiosk::KioskReport& report) {
    KioskFrame frame{report.frame_work_ms, report.render_cpu_ms, report.gpu_ms, false};
    for (const kiosk::Control& control : report.controls) frame.book_open = frame.book_open || control.name == "book:opening";
    if (frame.book_open && !visit.opened) visit.opened = visit.frames.size();
    visit.frames.push_back(frame);
  };
  {
    auto app = check(kiosk::Kiosk::create(config, options), "starting the kiosk");
    check(app->run(), "running the kiosk");
    for (const std::string& failure : app->report().script_failures) fail(failure);
  }
  log::set_sink(nullptr);
  for (const std::string& line : lines) {
    // The number just before the first (or last) `marker` in the line.
    const auto number_before = [&](std::string_view marker, bool last) -> std::optional<double> {
      const size_t at = last ? line.rfind(marker) : line.find(marker);
      if (at == std::string::npos) return std::nullopt;
      size_t start = at;
      while (start > 0 && (std::isdigit(static_cast<unsigned char>(line[start - 1])) || line[start - 1] == '.')) --start;
      return std::strtod(line.c_str() + start, nullptr);
    };
    // "… in view landed X ms after the book opened; N of M page thumbnails landed Y ms after"
    if (line.find("in view landed") == std::string::npos) continue;
    visit.strip_ms = number_before(" ms after the book opened", false);
    const size_t all = line.find("; ");
    if (all == std::string::npos) continue;
    const size_t landed = line.find(" page thumbnails landed", all);
    visit.all_thumbnails = line.substr(all + 2, landed - all - 2);
    if (line.find(" ms after", landed) != std::string::npos) visit.all_thumbnails_ms = number_before(" ms after", true);
  }
  if (!visit.opened) fail("the kiosk never showed the book's opening");
  return visit;
}

double median_of(const std::vector<KioskFrame>& frames, size_t from, size_t to, double KioskFrame::*field) {
  std::vector<double> values;
  for (size_t index = from; index < std::min(to, frames.size()); ++index) values.push_back(frames[index].*field);
  return values.empty() ? 0.0 : median(values);
}

void kiosk_figures(const fs::path& work, size_t pages) {
  const fs::path source = work / "kiosk-book";
  write_text(source / "manifest.json", generated_manifest(pages, 0, "leaf.png", 300, 400));
  fs::create_directories(source / "scans");
  check(support::write_synthetic_scan(source / "scans" / "leaf.png", support::ScanFile::png, 300, 400, 11), "writing a scan");
  write_text(source / "scene.json", scene_json(R"({"manifest": "manifest.json", "folder": "scans"})"));
  const package::KeyPair key = package::generate_key_pair();
  check(package::write_key_files(key, work / "curator.key", work / "curator.pub"), "writing the curator's keys");
  pack::BuildOptions build;
  build.scene_directory = source;
  build.output = work / "kiosk-content" / "book.pvpkg";
  build.key = &key;
  build.thumbnails = false;
  fs::create_directories(work / "kiosk-content");
  check(pack::build_package(build), "packing the kiosk's book");

  kiosk::KioskConfig config;
  config.file = "book_bench";
  config.content = work / "kiosk-content";
  config.trusted_keys = {work / "curator.pub"};
  config.pixels_per_mm = 3.8 * 360 / 720.0;
  config.telemetry_queue = work / "events.sqlite";
  const KioskVisit turned = visit_book(config, true);
  const KioskVisit still = visit_book(config, false);

  const KioskFrame& open = turned.frames[*turned.opened];
  std::vector<double> before;
  for (size_t index = *turned.opened > 30 ? *turned.opened - 30 : 0; index < *turned.opened; ++index) {
    before.push_back(turned.frames[index].work_ms + turned.frames[index].render_cpu_ms);
  }
  fmt::print("the kiosk with a {}-page book (640 × 360, headless, lavapipe):\n", pages);
  fmt::print("  the frame that opens it: frame work {:.2f} ms + renderer CPU {:.2f} ms = {:.2f} ms, {:.2f} of an 11.1 ms "
             "frame; the 30 frames before it (reference, the exhibit screen): median {:.2f} ms\n",
             open.work_ms, open.render_cpu_ms, open.work_ms + open.render_cpu_ms, (open.work_ms + open.render_cpu_ms) / frame_ms,
             before.empty() ? 0.0 : median(before));
  double worst = 0;
  for (size_t index = *turned.opened; index < std::min(turned.frames.size(), *turned.opened + 120); ++index) {
    worst = std::max(worst, turned.frames[index].work_ms + turned.frames[index].render_cpu_ms);
  }
  fmt::print("  the slowest of the 120 frames from the open on (thumbnails landing): {:.2f} ms\n", worst);
  fmt::print("  thumbnail strip: the thumbnails in view landed {} after the open; every page's ({}) {}\n",
             turned.strip_ms ? fmt::format("{:.0f} ms", *turned.strip_ms) : std::string("never"), turned.all_thumbnails,
             turned.all_thumbnails_ms ? fmt::format("{:.0f} ms after", *turned.all_thumbnails_ms) : std::string("not within the visit"));
  // The drag's frames: 4 s (120 frames) after the open, for 2 s; the same frames of the still visit.
  const auto window = [&](const KioskVisit& visit) { return std::pair(*visit.opened + 125, *visit.opened + 175); };
  const auto [turn_from, turn_to] = window(turned);
  const auto [still_from, still_to] = window(still);
  const double turning_work = median_of(turned.frames, turn_from, turn_to, &KioskFrame::work_ms);
  const double still_work = median_of(still.frames, still_from, still_to, &KioskFrame::work_ms);
  const double turning_cpu = median_of(turned.frames, turn_from, turn_to, &KioskFrame::render_cpu_ms);
  const double still_cpu = median_of(still.frames, still_from, still_to, &KioskFrame::render_cpu_ms);
  const double turning_gpu = median_of(turned.frames, turn_from, turn_to, &KioskFrame::gpu_ms);
  const double still_gpu = median_of(still.frames, still_from, still_to, &KioskFrame::gpu_ms);
  fmt::print("  a leaf held and turned (50 frames) against the opening lying still (reference), medians:\n");
  fmt::print("    kiosk frame work {:.3f} ms against {:.3f} ms: ratio {:.2f}×\n", turning_work, still_work,
             turning_work / std::max(still_work, 1e-6));
  fmt::print("    renderer CPU {:.3f} ms against {:.3f} ms: ratio {:.2f}×\n", turning_cpu, still_cpu,
             turning_cpu / std::max(still_cpu, 1e-6));
  fmt::print("    GPU (timestamps) {:.3f} ms against {:.3f} ms: ratio {:.2f}×\n", turning_gpu, still_gpu,
             turning_gpu / std::max(still_gpu, 1e-6));
}

}  // namespace

int main(int argc, char** argv) {
  size_t canvases = 5000, ranges = 6000, pages = 4, thumbnail_pages = 1000;
  std::string gpu;
  uint32_t page_width = 2400, page_height = 3400;
  int runs = 5;
  for (int index = 1; index + 1 < argc; index += 2) {
    const std::string_view option = argv[index];
    const char* value = argv[index + 1];
    if (option == "--canvases") {
      canvases = std::strtoul(value, nullptr, 10);
    } else if (option == "--ranges") {
      ranges = std::strtoul(value, nullptr, 10);
    } else if (option == "--pages") {
      pages = std::strtoul(value, nullptr, 10);
    } else if (option == "--page") {
      if (std::sscanf(value, "%ux%u", &page_width, &page_height) != 2) fail("--page takes WxH, e.g. 2400x3400");
    } else if (option == "--thumbnail-pages") {
      thumbnail_pages = std::strtoul(value, nullptr, 10);
    } else if (option == "--runs") {
      runs = std::atoi(value);
    } else if (option == "--gpu") {
      gpu = value;
    } else {
      fail(fmt::format("unknown option {}; book_bench [--canvases N] [--ranges R] [--pages P] [--page WxH] "
                       "[--thumbnail-pages T] [--runs K] [--gpu NAME]",
                       option));
    }
  }
  if (canvases == 0 || pages == 0 || runs < 1 || page_width == 0 || page_height == 0) {
    fail("--canvases, --pages, --page and --runs must be above zero");
  }
  const fs::path work = fs::temp_directory_path() / fmt::format("pavilion-book-bench-{}", getpid());
  fs::remove_all(work);

  // 1. The manifest.
  const fs::path big = work / "big";
  const std::string text = generated_manifest(canvases, ranges, "leaf.png", 300, 400);
  write_text(big / "manifest.json", text);
  fmt::print("book_bench: a manifest of {} canvases and {} ranges ({:.1f} MB), {} runs, medians [spread]\n", canvases,
             ranges, static_cast<double>(text.size()) / 1e6, runs);
  const Timing json_alone = time_runs(runs, [&] {
    if (nlohmann::json::parse(text, nullptr, false).is_discarded()) fail("the generated manifest is not JSON");
  });
  iiif::Manifest manifest;
  const Timing read = time_runs(runs, [&] { manifest = check(iiif::read_manifest(big / "manifest.json"), "reading the manifest"); });
  size_t range_count = 0;
  const std::function<void(const std::vector<iiif::Range>&)> count = [&](const std::vector<iiif::Range>& list) {
    range_count += list.size();
    for (const iiif::Range& range : list) count(range.children);
  };
  count(manifest.ranges);
  if (manifest.canvases.size() != canvases || range_count != ranges) {
    fail(fmt::format("the manifest read {} canvases and {} ranges", manifest.canvases.size(), range_count));
  }
  const Timing openings = time_runs(runs, [&] {
    if (book::compute_openings(manifest.page_sequence()).sequence.empty()) fail("no openings");
  });
  fmt::print("  nlohmann::json::parse alone (reference): {}\n", json_alone.text());
  fmt::print("  iiif::read_manifest (file, JSON, model): {}, ratio {:.2f}× the parse alone\n", read.text(),
             read.median_ms / json_alone.median_ms);
  fmt::print("  engine/book openings of its {} pages: {}\n", canvases, openings.text());

  // 2. The book packed, and opened as a kiosk opens it.
  fs::create_directories(big / "scans");
  check(support::write_synthetic_scan(big / "scans" / "leaf.png", support::ScanFile::png, 300, 400, 7), "writing a scan");
  write_text(big / "scene.json", scene_json(R"({"manifest": "manifest.json", "folder": "scans"})"));
  const double big_pack_s = pack_book(big, work / "big.pvpkg", work / "cache");
  fmt::print("  packed in {:.1f} s ({} pages of one 300 × 400 scan, its tiles built once): {:.1f} MB\n", big_pack_s,
             canvases, static_cast<double>(fs::file_size(work / "big.pvpkg")) / 1e6);

  // 3's small book, packed now: the reference for the render thread's steps too.
  const fs::path small = work / "small";
  fs::create_directories(small / "scans");
  for (size_t page = 0; page < pages; ++page) {
    check(support::write_synthetic_scan(small / "scans" / fmt::format("page{:03}.png", page + 1), support::ScanFile::png,
                                        page_width, page_height, static_cast<uint32_t>(page + 1)),
          "writing a scan");
  }
  write_text(small / "scans" / "book.json", R"({"title": {"zh-CN": "样书", "en": "A sample book"},
    "viewingDirection": "right-to-left", "behavior": "paged"})");
  write_text(small / "scene.json", scene_json(R"({"folder": "scans"})"));
  const double small_pack_s = pack_book(small, work / "small.pvpkg", work / "cache");

  const auto big_reader = check(package::PackageReader::open(work / "big.pvpkg", developer), "opening the package");
  const Timing big_scene = time_runs(runs, [&] { check(scene::load_scene(*big_reader), "loading the scene"); });
  const scene::Scene big_loaded = check(scene::load_scene(*big_reader), "loading the scene");
  const auto small_reader = check(package::PackageReader::open(work / "small.pvpkg", developer), "opening the package");
  const scene::Scene small_loaded = check(scene::load_scene(*small_reader), "loading the scene");
  const OpenSteps big_open = open_on_render_thread(*big_reader, big_loaded, runs);
  const OpenSteps small_open = open_on_render_thread(*small_reader, small_loaded, runs);
  fmt::print("  the kiosk's loading thread: package scene decoded (load_scene) in {}\n", big_scene.text());
  fmt::print("  on the render thread when it opens: book copied {:.2f} + tile source {:.2f} + openings {:.2f} + start "
             "opening {:.3f} = {:.2f} ms, {:.2f} of an 11.1 ms frame ({}); the {}-page book's same steps {:.3f} ms "
             "(reference): ratio {:.0f}×\n",
             big_open.copy_ms, big_open.tile_source_ms, big_open.openings_ms, big_open.start_ms, big_open.total(),
             big_open.total() / frame_ms, big_open.total() < frame_ms ? "within a frame" : "a frame over budget", pages,
             small_open.total(), big_open.total() / small_open.total());

  if (const auto context = bench::open_gpu("book_bench", gpu)) {
    const auto all = std::numeric_limits<uint32_t>::max();
    const uint32_t slots = load_pages_on_gpu(*context, *small_reader, small_loaded, all, fmt::format("the {}-page book", pages));
    load_pages_on_gpu(*context, *big_reader, big_loaded, all, fmt::format("the {}-page book", canvases));
    // The most pages the renderer took when it pinned five tiles a page in half the atlas, for comparison.
    const uint32_t largest = slots / 2 / 5;
    load_pages_on_gpu(*context, *big_reader, big_loaded, largest,
                      fmt::format("its first {} pages (the most five pins a page in half the atlas took)", largest));
  } else {
    fmt::print("  Renderer::load_pages: not measured, no Vulkan device opened\n");
  }

  // 3. Package open to first legible page.
  fmt::print("package open to first legible page (the start opening's coarsest level read), {} runs:\n", runs);
  fmt::print("  ({} pages of {} × {} packed in {:.1f} s, {:.1f} MB)\n", pages, page_width, page_height, small_pack_s,
             static_cast<double>(fs::file_size(work / "small.pvpkg")) / 1e6);
  print_legible(fmt::format("{} pages of {} × {}", pages, page_width, page_height), legible_runs(work / "small.pvpkg", runs));
  print_legible(fmt::format("{} pages, {} ranges", canvases, ranges), legible_runs(work / "big.pvpkg", runs));

  // 4. The kiosk.
  if (thumbnail_pages > 0) kiosk_figures(work, thumbnail_pages);
  fs::remove_all(work);
  return 0;
}

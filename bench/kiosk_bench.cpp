// kiosk_bench: the kiosk under scripted visitors, on the software rasterizer (or any GPU).
//
//   1. Touch to first frame: a visitor on one scene touches an exhibit of another package; the
//      time from the touch to the first frame drawn with the new scene (its fade-in starting),
//      for each of several switches. The reference is the same switch back to an exhibit of the
//      scene already shown (no load), measured in the same run.
//   2. Soak: N visitors back to back on a virtual clock (default 1 000), each opening exhibits
//      of both packages, changing language and settings, then walking away so the kiosk resets;
//      resident memory at the start and end, and the frames and sessions it took.
//
//   kiosk_bench [--visitors N] [--size WxH]
#include "pavilion/core/file.h"
#include "pavilion/core/log.h"
#include "pavilion/kiosk/kiosk.h"
#include "pavilion/pack/builder.h"
#include "pavilion/package/signing.h"
#include "process_memory.h"

#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <regex>
#include <string>

namespace {

using namespace pavilion;
using namespace pavilion::bench;
using Clock = std::chrono::steady_clock;

[[noreturn]] void fail(const Error& error) {
  std::fprintf(stderr, "kiosk_bench: %s\n", error.describe().c_str());
  std::exit(1);
}

// Packs scenes/gallery under `id`, so two packages offer exhibits with different control names.
void pack_gallery_as(const std::filesystem::path& work, std::string_view id, const package::KeyPair& key) {
  const std::filesystem::path source = work / std::string(id);
  std::filesystem::copy(PAVILION_SCENES_DIR "/gallery", source, std::filesystem::copy_options::recursive);
  auto bytes = read_file(source / "scene.json");
  if (!bytes) fail(bytes.error());
  const std::string text(reinterpret_cast<const char*>(bytes->data()), bytes->size());
  const std::string renamed = std::regex_replace(text, std::regex(R"("id": "gallery")"), fmt::format(R"("id": "{}")", id),
                                                 std::regex_constants::format_first_only);
  if (auto written = write_file_atomic(source / "scene.json", std::as_bytes(std::span(renamed))); !written) {
    fail(written.error());
  }
  pack::BuildOptions options;
  options.scene_directory = source;
  options.output = work / "content" / fmt::format("{}.pvpkg", id);
  options.key = &key;
  if (auto built = pack::build_package(options); !built) fail(built.error());
}

kiosk::KioskReport run(const kiosk::KioskConfig& config, kiosk::KioskOptions options, const std::string& script) {
  std::vector<checking::Finding> findings;
  auto parsed = kiosk::parse_visit_script(script, "bench visit", findings);
  if (!parsed) fail(checking::findings_error("reading the bench's script", findings));
  options.script = std::move(*parsed);
  auto app = kiosk::Kiosk::create(config, options);
  if (!app) fail(app.error());
  if (auto ended = (*app)->run(); !ended) fail(ended.error());
  for (const std::string& failure : (*app)->report().script_failures) std::fprintf(stderr, "kiosk_bench: %s\n", failure.c_str());
  return (*app)->report();
}

}  // namespace

int main(int argc, char** argv) {
  uint32_t visitors = 1000;
  kiosk::KioskOptions options;
  options.headless = true;
  options.width = 640;
  options.height = 360;
  for (int index = 1; index + 1 < argc; index += 2) {
    const std::string_view argument = argv[index];
    if (argument == "--visitors") {
      visitors = static_cast<uint32_t>(std::strtoul(argv[index + 1], nullptr, 10));
    } else if (argument == "--size") {
      std::sscanf(argv[index + 1], "%ux%u", &options.width, &options.height);
    }
  }
  log::configure(log::Level::warn, log::Format::text);

  const std::filesystem::path work = std::filesystem::temp_directory_path() / fmt::format("kiosk-bench-{}", ::getpid());
  std::filesystem::create_directories(work / "content");
  const package::KeyPair key = package::generate_key_pair();
  if (auto written = package::write_key_files(key, work / "curator.key", work / "curator.pub"); !written) fail(written.error());
  pack_gallery_as(work, "north", key);
  pack_gallery_as(work, "south", key);

  kiosk::KioskConfig config;
  config.file = "kiosk_bench";
  config.content = work / "content";
  config.trusted_keys = {work / "curator.pub"};
  config.idle_timeout_seconds = 20;
  config.still_there_seconds = 5;
  config.pixels_per_mm = 3.8 * options.height / 720.0;

  // 1. Touch to first frame, a few times each way.
  fmt::print("kiosk_bench: {}×{}, headless\n\n", options.width, options.height);
  fmt::print("touch to first frame of a scene (ms). On the virtual clock the fade-out's frames are drawn as fast\n"
             "as they can be; on a kiosk it lasts {:.0f} ms, so there touch to frame is about that plus the load.\n",
             350.0);
  fmt::print("| switch | another package: touch → frame | of which loading | same scene (reference) | ratio |\n"
             "|---|---|---|---|---|\n");
  for (int round = 0; round < 3; ++round) {
    const kiosk::KioskReport to_other = run(config, options, R"({"steps": [{"wait": 0.5}, {"tap": "begin"},
        {"tap": "exhibit:north/celadon-vase"}, {"wait": 1}, {"tap": "home"}, {"tap": "next-page"},
        {"tap": "exhibit:south/celadon-vase"}, {"wait": 1}]})");
    const kiosk::KioskReport to_same = run(config, options, R"({"steps": [{"wait": 0.5}, {"tap": "begin"},
        {"tap": "exhibit:north/celadon-vase"}, {"wait": 1}, {"tap": "home"}, {"tap": "exhibit:north/bronze-ding"}, {"wait": 1}]})");
    fmt::print("| {} | {:.1f} | {:.1f} | {:.1f} | {:.1f} |\n", round + 1, to_other.last_touch_to_frame_ms,
               to_other.last_load_to_frame_ms, to_same.last_touch_to_frame_ms,
               to_other.last_touch_to_frame_ms / std::max(0.001, to_same.last_touch_to_frame_ms));
  }

  // 2. The soak.
  const std::string one_visitor = R"({"tap": "begin"}, {"wait": 2}, {"tap": "exhibit:north/celadon-vase"}, {"wait": 3},
      {"tap": "next"}, {"wait": 3}, {"tap": "language"}, {"tap": "accessibility"}, {"tap": "text-larger"},
      {"tap": "accessibility-done"}, {"tap": "home"}, {"tap": "next-page"}, {"tap": "exhibit:south/celadon-vase"}, {"wait": 3},
      {"wait": 26}, {"expect": "attract"})";
  const std::string warm_up = fmt::format(R"({{"frame_seconds": 0.5, "steps": [{{"wait": 1}}, {}]}})", one_visitor);
  const std::string soak = fmt::format(
      R"({{"frame_seconds": 0.5, "steps": [{{"wait": 1}}, {{"repeat": {{"times": {}, "steps": [{}]}}}}]}})", visitors,
      one_visitor);
  run(config, options, warm_up);  // fonts, pipelines and driver caches, once
  const double before_mb = resident_mb();
  const auto start = Clock::now();
  const kiosk::KioskReport report = run(config, options, soak);
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  const double after_mb = resident_mb();
  fmt::print("\nsoak: {} visitors ({} sessions, {} frames, {:.0f} s virtual) in {:.1f} s: {:.2f} ms per frame\n", visitors,
             report.sessions, report.frames, static_cast<double>(report.frames) * 0.5, seconds,
             seconds * 1000.0 / static_cast<double>(std::max<uint64_t>(1, report.frames)));
  fmt::print("resident memory: {:.1f} MB before, {:.1f} MB after ({:+.1f} MB); peak {:.1f} MB\n", before_mb, after_mb,
             after_mb - before_mb, peak_resident_mb());
  std::filesystem::remove_all(work);
  return report.script_failures.empty() ? 0 : 1;
}

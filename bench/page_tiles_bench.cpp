// Deep zoom into page scans (engine/render page_tiles): from a whole spread to 1:1 scan pixels,
// how many frames until every tile the view needs is on the GPU, and what streaming tiles into the
// atlas costs the frames, for BC1 tiles and the RGBA8 fallback (decoded on the workers). The
// reference, in the same run: the same frames of a pan at 1:1 drawn again with every tile already
// resident. Also, for scale, how fast the tile source alone reads tiles on one thread.
//
// Two ways to count frames: lock-step (the workers are waited for between frames: the frames the
// residency logic itself needs, the figure the tests bound) and free-running (frames drawn as
// fast as the device draws them, no waiting: what a visitor sees).
//
//   page_tiles_bench [--page 4096] [--size 1280x720] [--uploads 32] [--gpu NAME]
#include "gpu_bench.h"
#include "pavilion/core/log.h"
#include "pavilion/pyramid/page_tile_source.h"
#include "pavilion/render/context.h"
#include "pavilion/render/offscreen_target.h"
#include "pavilion/render/renderer.h"
#include "pavilion/support/synthetic_scan.h"

#include <fmt/format.h>
#include <glm/gtc/matrix_transform.hpp>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <string_view>
#include <unistd.h>
#include <vector>

namespace {

using namespace pavilion;
using clock_type = std::chrono::steady_clock;
namespace fs = std::filesystem;

// --frames and --msaa, shared with the other GPU benchmarks, do not apply: it draws until the
// pages converge, at one sample.
struct Options : bench::GpuBenchOptions {
  uint32_t page = 4096;
  uint32_t uploads = 32;
};

bool parse_options(int argc, char** argv, Options& options) {
  return bench::parse_gpu_bench_options(argc, argv, options, [&](std::string_view name, std::string_view value) {
    if (name == "--page") return bench::parse_number(value, options.page) && options.page >= 512;
    if (name == "--uploads") return bench::parse_number(value, options.uploads) && options.uploads > 0;
    return false;
  });
}

double seconds_since(clock_type::time_point start) {
  return std::chrono::duration<double>(clock_type::now() - start).count();
}

constexpr float page_metres = 0.3f;  // a large folio page
constexpr float vertical_fov = 0.8f;

render::PagePlacement placement(uint32_t page) {
  render::PagePlacement result;
  result.transform = glm::translate(glm::mat4(1.0f), glm::vec3(page == 0 ? -0.5f : 0.5f, 0.0f, 0.0f) * page_metres);
  result.size = glm::vec2(page_metres);
  return result;
}

render::View view_at(const Options& options, glm::vec3 eye) {
  const auto fov = render::symmetric_field_of_view(vertical_fov, static_cast<float>(options.width) / options.height);
  return render::look_at_view(eye, eye - glm::vec3(0, 0, 1), fov, 0.001f);
}

// The spread whole.
render::View spread_view(const Options& options) {
  return view_at(options, {0.0f, 0.0f, page_metres * 1.1f / std::tan(0.5f * vertical_fov)});
}

// Looking straight at (x, y) from where a screen pixel spans 0.98 of a scan pixel.
render::View one_to_one_view(const Options& options, float x, float y) {
  const float pixels_per_tangent = 0.5f * options.height / std::tan(0.5f * vertical_fov);
  const float distance = 0.98f * pixels_per_tangent * page_metres / static_cast<float>(options.page);
  return view_at(options, {x, y, distance});
}

struct Run {
  uint32_t frames = 0;
  uint32_t needed = 0;
  uint64_t uploads = 0;
  bool converged = false;
};

// Draws frames of `view` until converged (or 2 000 frames), waiting for the workers between
// frames when `lock_step`.
Result<Run> converge(render::Renderer& renderer, render::OffscreenTarget& target, const render::View& view,
                     bool lock_step) {
  Run run;
  const uint64_t uploads_before = renderer.page_tile_stats().uploads;
  while (run.frames < 2000) {
    PV_TRY(renderer.render(target, {&view, 1}));
    ++run.frames;
    if (renderer.page_tile_stats().converged()) {
      run.converged = true;
      break;
    }
    if (lock_step) renderer.wait_for_page_reads();
  }
  PV_TRY(renderer.wait_idle());
  const render::PageTileStats stats = renderer.page_tile_stats();
  run.needed = stats.needed_tiles;
  run.uploads = stats.uploads - uploads_before;
  return run;
}

struct Pan {
  double streaming_ms = 0;  // frames copying tiles in
  double resident_ms = 0;   // the same frames again, every tile already resident
  uint64_t uploads = 0;
};

// At 1:1 from the left page's edge to the right page's, a stop every 480 scan pixels, two frames a
// stop with the workers waited for between them (the first asks, the second copies); then the
// same frames again, their tiles now resident (the budget holds them all). The difference is what
// copying the tiles in cost the frames.
Result<Pan> pan(render::Renderer& renderer, render::OffscreenTarget& target, const Options& options) {
  Pan result;
  const float step = 480.0f * page_metres / static_cast<float>(options.page);
  const uint64_t uploads_before = renderer.page_tile_stats().uploads;
  for (const bool streaming : {true, false}) {
    double& total = streaming ? result.streaming_ms : result.resident_ms;
    for (float x = -0.9f * page_metres; x <= 0.9f * page_metres; x += step) {
      const render::View view = one_to_one_view(options, x, -0.2f * page_metres);
      for (int frame = 0; frame < 2; ++frame) {
        const auto start = clock_type::now();
        PV_TRY(renderer.render(target, {&view, 1}));
        total += seconds_since(start) * 1000.0;
        renderer.wait_for_page_reads();
      }
    }
    const auto start = clock_type::now();
    PV_TRY(renderer.wait_idle());
    total += seconds_since(start) * 1000.0;
    if (streaming) result.uploads = renderer.page_tile_stats().uploads - uploads_before;
  }
  return result;
}

Result<void> measure(render::GpuContext& context, const Options& options,
                     const std::shared_ptr<const pyramid::StoredPageTileSource>& source, bool block_compressed) {
  render::RendererConfig config;
  config.shadow_map_size = 256;
  config.page_uploads_per_frame = options.uploads;
  config.page_tiles_block_compressed = block_compressed;
  PV_TRY_ASSIGN(auto target, render::OffscreenTarget::create(context, {options.width, options.height}));
  const render::View spread = spread_view(options);
  // The right page's seal at 1:1.
  const render::View close = one_to_one_view(options, 0.3f * page_metres, -0.2f * page_metres);
  for (const bool lock_step : {true, false}) {
    PV_TRY_ASSIGN(auto renderer, render::Renderer::create(context, config));
    PV_TRY(renderer->load_pages(source));
    for (uint32_t page = 0; page < 2; ++page) renderer->show_page(page, placement(page));
    PV_TRY_ASSIGN(const Run whole, converge(*renderer, *target, spread, lock_step));
    PV_TRY_ASSIGN(const Run zoomed, converge(*renderer, *target, close, lock_step));
    const render::PageTileStats stats = renderer->page_tile_stats();
    std::printf("%-6s %-12s spread %u frames (%u tiles), then 1:1 %u frames%s (%u tiles needed, bound %u); "
                "GPU %.1f of %.1f MiB\n", stats.block_compressed ? "BC1" : "RGBA8", lock_step ? "lock-step" : "free-running",
                whole.frames, whole.needed, zoomed.frames, zoomed.converged ? "" : " (not converged)", zoomed.needed,
                1 + (zoomed.needed + options.uploads - 1) / options.uploads,
                static_cast<double>(stats.gpu_bytes) / (1 << 20), static_cast<double>(stats.budget_bytes) / (1 << 20));
  }
  // The pan on a small target, so that frames cost little beside the copies: three runs, the median.
  Options small = options;
  small.width = 160;
  small.height = 90;
  PV_TRY_ASSIGN(auto small_target, render::OffscreenTarget::create(context, {small.width, small.height}));
  std::vector<Pan> pans;
  for (int run = 0; run < 3; ++run) {
    PV_TRY_ASSIGN(auto renderer, render::Renderer::create(context, config));
    PV_TRY(renderer->load_pages(source));
    for (uint32_t page = 0; page < 2; ++page) renderer->show_page(page, placement(page));
    PV_TRY_ASSIGN(const Pan panned, pan(*renderer, *small_target, small));
    pans.push_back(panned);
  }
  std::sort(pans.begin(), pans.end(), [](const Pan& a, const Pan& b) {
    return a.streaming_ms - a.resident_ms < b.streaming_ms - b.resident_ms;
  });
  const Pan& median = pans[1];
  const double copy_ms = median.streaming_ms - median.resident_ms;
  const double tile_mib = (block_compressed ? 32.0 : 256.0) / 1024.0;
  std::printf("       pan at 1:1 on %u x %u, median of 3: %llu tiles streamed in; frames %.1f ms against %.1f ms with "
              "every tile resident (%.2fx): %.3f ms a tile, %.0f tiles/s (%.0f MiB/s) into the atlas\n",
              small.width, small.height, static_cast<unsigned long long>(median.uploads), median.streaming_ms,
              median.resident_ms, median.streaming_ms / median.resident_ms,
              copy_ms / static_cast<double>(std::max<uint64_t>(1, median.uploads)),
              static_cast<double>(median.uploads) / (copy_ms / 1000.0),
              static_cast<double>(median.uploads) / (copy_ms / 1000.0) * tile_mib);
  return {};
}

// Every tile of page 0 read from the source on this thread: what the workers start from.
double source_tiles_per_second(const pyramid::StoredPageTileSource& source) {
  const scene::PageShape shape = source.page_shape(0);
  std::vector<std::byte> bytes;
  uint64_t tiles = 0;
  const auto start = clock_type::now();
  for (uint32_t level = 0; level < scene::page_level_count(shape); ++level) {
    const scene::PageLevelGrid grid = scene::page_level(shape, level);
    for (uint32_t row = 0; row < grid.rows; ++row) {
      for (uint32_t column = 0; column < grid.columns; ++column) {
        const scene::PageTileRect rect = scene::page_tile_rect(shape, level, column, row);
        bytes.resize(scene::page_tile_bytes(shape.format, rect.width, rect.height));
        if (source.read_tile({0, level, column, row}, bytes).ok()) ++tiles;
      }
    }
  }
  return static_cast<double>(tiles) / seconds_since(start);
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  if (!parse_options(argc, argv, options)) {
    std::fprintf(stderr, "usage: page_tiles_bench [--page 4096] [--size 1280x720] [--uploads 32] [--gpu NAME]\n");
    return 2;
  }
  log::configure(log::Level::warn, log::Format::text);
  const fs::path folder = fs::temp_directory_path() / fmt::format("pavilion-page-tiles-bench-{}", ::getpid());
  fs::create_directories(folder);
  const fs::path scan = folder / "page.png";
  std::printf("page %u x %u (BC1 pyramid of 254 + 1 px tiles), target %u x %u, %u uploads a frame\n", options.page,
              options.page, options.width, options.height, options.uploads);
  auto written = support::write_synthetic_scan(scan, support::ScanFile::png, options.page, options.page, 3);
  const pyramid::PyramidOptions pyramid_options;
  pyramid::TileStore store(folder / "blobs");
  auto tiles = written.ok() ? pyramid::tile_page(scan, pyramid_options, store) : Result<pyramid::PageTiles>(written.error());
  if (!tiles) {
    std::fprintf(stderr, "%s\n", tiles.error().describe().c_str());
    return 1;
  }
  std::vector<pyramid::PageTiles> pages{*tiles, *tiles};
  auto source = pyramid::StoredPageTileSource::create(folder / "blobs", std::move(pages), pyramid_options);
  if (!source) {
    std::fprintf(stderr, "%s\n", source.error().describe().c_str());
    return 1;
  }
  const auto shared = std::make_shared<const pyramid::StoredPageTileSource>(std::move(*source));
  const double reference = source_tiles_per_second(*shared);
  std::printf("tiles read from the source on one thread, no GPU: %.0f tiles/s\n", reference);

  const std::unique_ptr<render::GpuContext> context = bench::open_gpu("page_tiles_bench", options.gpu);
  if (!context) return 1;
  std::printf("device: %s\n", context->device_choice().name.c_str());
  int status = 0;
  for (const bool block_compressed : {true, false}) {
    const auto measured = measure(*context, options, shared, block_compressed);
    if (!measured) {
      std::fprintf(stderr, "%s\n", measured.error().describe().c_str());
      status = 1;
    }
  }
  fs::remove_all(folder);
  return status;
}

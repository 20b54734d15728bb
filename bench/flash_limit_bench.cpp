// What the run-time flash limiter (RendererConfig::max_luminance_step) costs: GPU milliseconds of
// the tonemap pass (timestamp queries) with the limiter off and on, for one view and for a
// stereo pair, on the material-grid scene. The ratio is against the limiter off, in the same run.
//
//   flash_limit_bench [--size 1280x720] [--frames 120] [--msaa 1|2|4] [--gpu NAME]
#include "gpu_bench.h"
#include "pavilion/core/log.h"
#include "pavilion/procedural/test_scenes.h"
#include "pavilion/render/context.h"
#include "pavilion/render/offscreen_target.h"
#include "pavilion/render/renderer.h"

#include <fmt/format.h>

#include <array>
#include <charconv>
#include <cstdio>
#include <string_view>

namespace {

using namespace pavilion;

struct Options : bench::GpuBenchOptions {
  Options() { frames = 120; }
};

struct Row {
  double tonemap_ms = 0;
  double total_ms = 0;
  double record_ms = 0;
};

bool parse_options(int argc, char** argv, Options& options) { return bench::parse_gpu_bench_options(argc, argv, options); }

// The limiter at a 90 Hz headset's cap, or off; the frames alternate between two camera places
// so that the limiter has changes to cut.
Result<Row> measure(render::GpuContext& context, const Options& options, uint32_t layers, bool limited) {
  const auto grid = procedural::material_grid();
  const float step = limited ? render::flash_safe_luminance_step(90.0f) : 0.0f;
  PV_TRY_ASSIGN(auto renderer,
                render::Renderer::create(context, {.msaa_samples = options.msaa, .max_luminance_step = step}));
  PV_TRY(renderer->load_scene(grid.scene));
  PV_TRY_ASSIGN(auto target, render::OffscreenTarget::create(context, {options.width, options.height, layers}));
  const float aspect = static_cast<float>(options.width) / static_cast<float>(options.height);
  procedural::CameraPlacement moved = grid.camera;
  moved.eye += glm::vec3(0.5f, 0.0f, 0.0f);
  const render::View here = procedural::camera_view(grid.camera, aspect);
  const render::View there = procedural::camera_view(moved, aspect);
  const std::array<render::View, 2> near{here, here};
  const std::array<render::View, 2> far{there, there};
  for (uint32_t frame = 0; frame < options.warmup; ++frame) {
    PV_TRY(renderer->render(*target, std::span(near).first(layers)));
  }
  Row row;
  uint32_t gpu_samples = 0;
  uint64_t last_gpu_frame = UINT64_MAX;
  for (uint32_t frame = 0; frame < options.frames; ++frame) {
    PV_TRY(renderer->render(*target, std::span(frame % 2 == 0 ? near : far).first(layers)));
    const render::FrameStats& stats = renderer->last_frame_stats();
    row.record_ms += stats.cpu_record_ms;
    if (stats.gpu_frame != last_gpu_frame && stats.gpu_total_ms > 0) {
      last_gpu_frame = stats.gpu_frame;
      row.tonemap_ms += stats.gpu_tonemap_ms;
      row.total_ms += stats.gpu_total_ms;
      ++gpu_samples;
    }
  }
  PV_TRY(renderer->wait_idle());
  row.record_ms /= options.frames;
  if (gpu_samples > 0) {
    row.tonemap_ms /= gpu_samples;
    row.total_ms /= gpu_samples;
  }
  return row;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  if (!parse_options(argc, argv, options)) {
    std::fprintf(stderr, "usage: flash_limit_bench [--size WxH] [--frames N] [--msaa N] [--gpu NAME]\n");
    return 2;
  }
  log::configure(log::Level::warn, log::Format::text);
  const std::unique_ptr<render::GpuContext> context = bench::open_gpu("flash_limit_bench", options.gpu);
  if (!context) return 1;
  const auto& device = context->device_choice();
  fmt::print("flash_limit_bench on {} ({}), {}×{} per view, {} frames after {} warm-up\n\n", device.name, device.type,
             options.width, options.height, options.frames, options.warmup);
  fmt::print("{:>6} {:>8} | {:>11} {:>9} {:>6} | {:>10}\n", "views", "limiter", "tonemap ms", "GPU ms", "×",
             "record ms");
  for (uint32_t layers : {1u, 2u}) {
    std::array<Row, 2> rows;
    for (int limited = 0; limited < 2; ++limited) {
      auto row = measure(*context, options, layers, limited == 1);
      if (!row) {
        std::fprintf(stderr, "flash_limit_bench: %s\n", row.error().describe().c_str());
        return 1;
      }
      rows[static_cast<size_t>(limited)] = *row;
    }
    for (int limited = 0; limited < 2; ++limited) {
      const Row& row = rows[static_cast<size_t>(limited)];
      const double ratio = rows[0].tonemap_ms > 0 ? row.tonemap_ms / rows[0].tonemap_ms : 0.0;
      fmt::print("{:>6} {:>8} | {:>11.3f} {:>9.3f} {:>6.2f} | {:>10.3f}\n", layers, limited ? "on" : "off",
                 row.tonemap_ms, row.total_ms, ratio, row.record_ms);
    }
  }
  fmt::print("\n× column: the tonemap pass against the limiter off, same views, this run. The limiter's cap is "
             "flash_safe_luminance_step(90).\n");
  return 0;
}

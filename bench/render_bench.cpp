// Frame cost as the number of instances grows: CPU milliseconds (cull, record, submit) and GPU
// milliseconds per pass (timestamp queries), for 1 000, 10 000 and 100 000 instances of the
// instance-field scene. Ratios are against the first row, measured in the same run.
//
//   render_bench [--size 1280x720] [--frames 60] [--msaa 1|2|4] [--gpu NAME] [--instances 1000,10000,100000]
#include "gpu_bench.h"
#include "pavilion/core/log.h"
#include "pavilion/procedural/test_scenes.h"
#include "pavilion/render/context.h"
#include "pavilion/render/offscreen_target.h"
#include "pavilion/render/renderer.h"

#include <fmt/format.h>

#include <charconv>
#include <chrono>
#include <cstdio>
#include <string_view>
#include <vector>

namespace {

using namespace pavilion;

struct Options : bench::GpuBenchOptions {
  std::vector<uint32_t> instance_counts{1'000, 10'000, 100'000};
};

struct Row {
  uint32_t instances = 0;
  double visible = 0;
  double draws = 0;
  double load_ms = 0;
  double cull_ms = 0;
  double record_ms = 0;
  double submit_ms = 0;
  double gpu_shadow_ms = 0;
  double gpu_opaque_ms = 0;
  double gpu_tonemap_ms = 0;
  double gpu_total_ms = 0;
  double wall_ms = 0;  // per frame, CPU and GPU overlapping as in a real loop
  double cpu_ms() const { return cull_ms + record_ms + submit_ms; }
};

bool parse_options(int argc, char** argv, Options& options) {
  return bench::parse_gpu_bench_options(argc, argv, options, [&](std::string_view name, std::string_view value) {
    if (name == "--instances") return bench::parse_counts(value, options.instance_counts);
    return false;
  });
}

Result<Row> measure(render::GpuContext& context, const Options& options, uint32_t instances) {
  using clock = std::chrono::steady_clock;
  const auto field = procedural::instance_field(instances);
  PV_TRY_ASSIGN(auto renderer, render::Renderer::create(context, {.msaa_samples = options.msaa}));
  const auto load_start = clock::now();
  PV_TRY(renderer->load_scene(field.scene));
  Row row;
  row.instances = instances;
  row.load_ms = std::chrono::duration<double, std::milli>(clock::now() - load_start).count();
  PV_TRY_ASSIGN(auto target, render::OffscreenTarget::create(context, {options.width, options.height}));
  const render::View view =
      procedural::camera_view(field.camera, static_cast<float>(options.width) / static_cast<float>(options.height));
  for (uint32_t frame = 0; frame < options.warmup; ++frame) PV_TRY(renderer->render(*target, {&view, 1}));

  uint32_t gpu_samples = 0;
  uint64_t last_gpu_frame = UINT64_MAX;
  const auto start = clock::now();
  for (uint32_t frame = 0; frame < options.frames; ++frame) {
    PV_TRY(renderer->render(*target, {&view, 1}));
    const render::FrameStats& stats = renderer->last_frame_stats();
    row.visible += stats.visible_instances;
    row.draws += stats.draw_calls;
    row.cull_ms += stats.cpu_cull_ms;
    row.record_ms += stats.cpu_record_ms;
    row.submit_ms += stats.cpu_submit_ms;
    if (stats.gpu_frame != last_gpu_frame && stats.gpu_total_ms > 0) {
      last_gpu_frame = stats.gpu_frame;
      row.gpu_shadow_ms += stats.gpu_shadow_ms;
      row.gpu_opaque_ms += stats.gpu_opaque_ms;
      row.gpu_tonemap_ms += stats.gpu_tonemap_ms;
      row.gpu_total_ms += stats.gpu_total_ms;
      ++gpu_samples;
    }
  }
  PV_TRY(renderer->wait_idle());
  row.wall_ms = std::chrono::duration<double, std::milli>(clock::now() - start).count() / options.frames;
  const double frames = options.frames;
  row.visible /= frames;
  row.draws /= frames;
  row.cull_ms /= frames;
  row.record_ms /= frames;
  row.submit_ms /= frames;
  if (gpu_samples > 0) {
    row.gpu_shadow_ms /= gpu_samples;
    row.gpu_opaque_ms /= gpu_samples;
    row.gpu_tonemap_ms /= gpu_samples;
    row.gpu_total_ms /= gpu_samples;
  }
  return row;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  if (!parse_options(argc, argv, options)) {
    std::fprintf(stderr, "usage: render_bench [--size WxH] [--frames N] [--msaa N] [--gpu NAME] [--instances A,B,C]\n");
    return 2;
  }
  log::configure(log::Level::warn, log::Format::text);
  const std::unique_ptr<render::GpuContext> context = bench::open_gpu("render_bench", options.gpu);
  if (!context) return 1;
  const auto& device = context->device_choice();
  std::vector<Row> rows;
  uint32_t samples = 0;
  for (uint32_t count : options.instance_counts) {
    auto row = measure(*context, options, count);
    if (!row) {
      std::fprintf(stderr, "render_bench: %u instances: %s\n", count, row.error().describe().c_str());
      return 1;
    }
    rows.push_back(*row);
    std::fflush(stdout);
  }
  {
    auto probe = render::Renderer::create(*context, {.shadow_map_size = 16, .msaa_samples = options.msaa});
    samples = probe ? (*probe)->msaa_samples() : 0;
  }
  fmt::print("render_bench on {} ({}), {}×{}, {}× MSAA, {} frames after {} warm-up\n\n", device.name, device.type,
             options.width, options.height, samples, options.frames, options.warmup);
  fmt::print("{:>9} {:>8} {:>6} {:>8} | {:>7} {:>7} {:>7} {:>7} {:>6} | {:>7} {:>7} {:>7} {:>7} {:>6} | {:>8}\n",
             "instances", "visible", "draws", "load ms", "cull", "record", "submit", "CPU ms", "×", "shadow", "opaque",
             "tonemap", "GPU ms", "×", "frame ms");
  const Row& reference = rows.front();
  for (const Row& row : rows) {
    fmt::print("{:>9} {:>8.0f} {:>6.0f} {:>8.1f} | {:>7.3f} {:>7.3f} {:>7.3f} {:>7.3f} {:>6.2f} | {:>7.3f} {:>7.3f} {:>7.3f} "
               "{:>7.3f} {:>6.2f} | {:>8.2f}\n",
               row.instances, row.visible, row.draws, row.load_ms, row.cull_ms, row.record_ms, row.submit_ms,
               row.cpu_ms(), row.cpu_ms() / reference.cpu_ms(), row.gpu_shadow_ms, row.gpu_opaque_ms,
               row.gpu_tonemap_ms, row.gpu_total_ms,
               reference.gpu_total_ms > 0 ? row.gpu_total_ms / reference.gpu_total_ms : 0.0, row.wall_ms);
  }
  fmt::print("\n× columns: cost relative to the {}-instance row of this run.\n", reference.instances);
  return 0;
}

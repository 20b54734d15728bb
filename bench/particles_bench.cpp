// GPU particles' cost per frame: a continuous system holding N particles (default 100 000 and
// 1 000 000: a snowfall of small flakes over the scene), simulated by the compute step and drawn
// as quads after the opaque pass. Prints, per N, the CPU milliseconds of a frame (advancing and
// recording) and the GPU milliseconds of the opaque pass (which holds the simulation and the
// particles' draw), against the same scene without particles measured in the same run: the
// difference is what the particles cost.
//
//   particles_bench [--particles 100000,1000000] [--size 640x360] [--frames 20] [--msaa 1|2|4] [--gpu NAME]
#include "gpu_bench.h"
#include "pavilion/core/log.h"
#include "pavilion/render/context.h"
#include "pavilion/render/offscreen_target.h"
#include "pavilion/render/renderer.h"

#include <fmt/format.h>

#include <array>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <string_view>
#include <vector>

namespace {

using namespace pavilion;
using clock_type = std::chrono::steady_clock;

struct Options : bench::GpuBenchOptions {
  std::vector<uint32_t> particles{100'000, 1'000'000};
  Options() { width = 640; height = 360; frames = 20; warmup = 5; }
};

bool parse_options(int argc, char** argv, Options& options) {
  return bench::parse_gpu_bench_options(argc, argv, options, [&](std::string_view name, std::string_view value) {
    if (name == "--particles") return bench::parse_counts(value, options.particles);
    return false;
  });
}

// Snow over a 40 m square: flakes live 2 s, so the system holds about `count` at once.
scene::ParticleSystem snow(uint32_t count) {
  scene::ParticleSystem system;
  system.name = "snow";
  system.emission = scene::ParticleEmission::continuous;
  system.lifetime_min = system.lifetime_max = 2.0f;
  system.rate = static_cast<float>(count - 2) / 2.1f;
  system.position = {0.0f, 6.0f, 0.0f};
  system.shape = scene::EmitterShape::box;
  system.box_size = {40.0f, 2.0f, 40.0f};
  system.speed_min = 0.5f;
  system.speed_max = 1.0f;
  system.direction = {0.0f, -1.0f, 0.0f};
  system.color = {{0.0f, {0.9f, 0.95f, 1.0f, 0.9f}}};
  system.size = {{0.0f, 0.03f}};
  system.speed_scale = {{0.0f, 1.0f}};
  system.gravity = {0.0f, -0.5f, 0.0f};
  system.turbulence = 0.3f;
  system.blend = scene::ParticleBlend::alpha;
  system.sprite = scene::ParticleSprite::flake;
  system.soft_distance = 0.2f;
  return system;
}

struct Row {
  uint32_t slots = 0;
  double cpu_ms = 0;
  double gpu_opaque_ms = 0;
  double gpu_total_ms = 0;
};

Result<Row> measure(render::GpuContext& context, const Options& options, uint32_t particles) {
  PV_TRY_ASSIGN(auto renderer, render::Renderer::create(context, {.shadow_map_size = 1024, .msaa_samples = options.msaa}));
  scene::RenderScene ground;
  scene::MeshData plane;
  for (const auto& [x, z] : {std::pair{-20.0f, -20.0f}, {20.0f, -20.0f}, {20.0f, 20.0f}, {-20.0f, 20.0f}}) {
    plane.vertices.push_back(scene::pack_vertex({x, 0.0f, z}, {0, 1, 0}, {1, 0, 0, 1}, {x, z}));
  }
  plane.indices = {0, 2, 1, 0, 3, 2};
  ground.meshes.push_back(plane);
  ground.materials.emplace_back();
  ground.instances.push_back({glm::mat4(1.0f), 0, 0});
  PV_TRY(renderer->load_scene(ground));
  Row row;
  if (particles > 0) {
    const std::array<scene::ParticleSystem, 1> systems{snow(particles)};
    PV_TRY(renderer->load_particles(systems, particles, 1));
    row.slots = particles;
  }
  PV_TRY_ASSIGN(auto target, render::OffscreenTarget::create(context, {options.width, options.height}));
  const float aspect = static_cast<float>(options.width) / static_cast<float>(options.height);
  const render::View view = render::look_at_view({0.0f, 3.0f, 12.0f}, {0.0f, 2.0f, 0.0f},
                                                 render::symmetric_field_of_view(glm::radians(60.0f), aspect));
  uint32_t samples = 0;
  uint64_t last_gpu_frame = UINT64_MAX;
  for (uint32_t frame = 0; frame < options.warmup + options.frames; ++frame) {
    const auto start = clock_type::now();
    renderer->advance_particles(1.0f / 90.0f);
    PV_TRY(renderer->render(*target, {&view, 1}));
    if (frame >= options.warmup) row.cpu_ms += std::chrono::duration<double, std::milli>(clock_type::now() - start).count();
    const render::FrameStats& stats = renderer->last_frame_stats();
    if (frame >= options.warmup && stats.gpu_frame != last_gpu_frame && stats.gpu_total_ms > 0) {
      last_gpu_frame = stats.gpu_frame;
      row.gpu_opaque_ms += stats.gpu_opaque_ms;
      row.gpu_total_ms += stats.gpu_total_ms;
      ++samples;
    }
  }
  PV_TRY(renderer->wait_idle());
  row.cpu_ms /= options.frames;
  if (samples > 0) {
    row.gpu_opaque_ms /= samples;
    row.gpu_total_ms /= samples;
  }
  return row;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  if (!parse_options(argc, argv, options)) {
    std::fprintf(stderr, "usage: particles_bench [--particles N,N…] [--size WxH] [--frames N] [--msaa N] [--gpu NAME]\n");
    return 2;
  }
  log::configure(log::Level::warn, log::Format::text);
  const std::unique_ptr<render::GpuContext> context = bench::open_gpu("particles_bench", options.gpu);
  if (!context) return 1;
  fmt::print("particles_bench on {}, {}×{}, {} frames after {} (advancing 1/90 s each)\n",
             context->device_choice().name, options.width, options.height, options.frames, options.warmup);
  auto reference = measure(*context, options, 0);
  if (!reference) {
    std::fprintf(stderr, "particles_bench: %s\n", reference.error().describe().c_str());
    return 1;
  }
  fmt::print("{:>10} | {:>10} {:>14} {:>12} | {:>16} {:>9}\n", "particles", "CPU ms", "GPU opaque ms", "GPU frame ms",
             "particles GPU ms", "x frame");
  fmt::print("{:>10} | {:>10.3f} {:>14.3f} {:>12.3f} |\n", 0, reference->cpu_ms, reference->gpu_opaque_ms,
             reference->gpu_total_ms);
  for (const uint32_t count : options.particles) {
    auto row = measure(*context, options, count);
    if (!row) {
      std::fprintf(stderr, "particles_bench: %s\n", row.error().describe().c_str());
      return 1;
    }
    const double cost = row->gpu_opaque_ms - reference->gpu_opaque_ms;
    fmt::print("{:>10} | {:>10.3f} {:>14.3f} {:>12.3f} | {:>16.3f} {:>9.2f}\n", row->slots, row->cpu_ms,
               row->gpu_opaque_ms, row->gpu_total_ms, cost,
               reference->gpu_total_ms > 0 ? row->gpu_total_ms / reference->gpu_total_ms : 0.0);
  }
  return 0;
}

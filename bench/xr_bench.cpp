// xr_bench: CPU time per headset frame outside xrWaitFrame (the wait is the headset's pacing,
// not our work), through the real OpenXR loader to the simulated headset: for the sample scene
// (scenes/gallery, packed) and the 10 000-instance field, with both eyes drawn in one multiview
// pass and in one pass per eye. Ratios are against the gallery's per-eye passes, measured in the
// same run. Where the GPU cannot draw multiview (lavapipe), that row says so.
//
//   xr_bench [--frames 120] [--eye 640x720]
#include "pavilion/core/log.h"
#include "pavilion/pack/builder.h"
#include "pavilion/package/reader.h"
#include "pavilion/package/signing.h"
#include "pavilion/procedural/test_scenes.h"
#include "pavilion/render/renderer.h"
#include "pavilion/scene/loader.h"
#include "pavilion/xr/headset.h"

#include <fmt/format.h>
#include <glm/gtc/matrix_transform.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

namespace {

using namespace pavilion;
using Clock = std::chrono::steady_clock;

[[noreturn]] void fail(const Error& error) {
  std::fprintf(stderr, "xr_bench: %s\n", error.describe().c_str());
  std::exit(1);
}

template <class T>
T take(Result<T> result) {
  if (!result) fail(result.error());
  return std::move(*result);
}

void take(Result<void> result) {
  if (!result) fail(result.error());
}

struct Row {
  std::string scene;
  std::string passes;
  bool available = true;
  double outside_wait_ms = 0;  // median
  double p99_ms = 0;
  double cull_ms = 0;
  double record_ms = 0;
  double submit_ms = 0;
};

Row measure(const std::string& name, const scene::RenderScene& render_scene, const glm::mat4& stage_to_world,
            bool multiview, uint32_t frames) {
  Row row{name, multiview ? "multiview (one pass)" : "one pass per eye"};
  auto headset = take(xr::Headset::open({.application_name = "xr_bench"}));
  render::ContextConfig config;
  config.application_name = "xr_bench";
  config.hooks = headset.get();
  auto context = take(render::GpuContext::create(config));
  auto renderer = take(render::Renderer::create(*context, {.multiview = multiview}));
  if (multiview && !renderer->uses_multiview()) {
    row.available = false;
    return row;
  }
  take(renderer->load_scene(render_scene));
  auto session = take(xr::HeadsetSession::create(*headset, *context));
  const uint32_t warmup = 10;
  std::vector<double> outside_wait;
  uint32_t drawn = 0;
  while (drawn < frames + warmup) {
    const xr::SessionPhase phase = take(session->poll_events());
    if (phase != xr::SessionPhase::running) fail(Error(ErrorCode::internal, "xr_bench", "the session stopped running"));
    const auto start = Clock::now();
    const auto views = take(session->begin_frame(stage_to_world));
    if (!views) {
      take(session->skip_frame());
      continue;
    }
    take(session->read_input());
    take(renderer->render(*session, *views));
    const double total_ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
    if (++drawn <= warmup) continue;
    outside_wait.push_back(total_ms - session->last_wait_seconds() * 1e3);
    const render::FrameStats& stats = renderer->last_frame_stats();
    row.cull_ms += stats.cpu_cull_ms / frames;
    row.record_ms += stats.cpu_record_ms / frames;
    row.submit_ms += stats.cpu_submit_ms / frames;
  }
  take(renderer->wait_idle());
  std::sort(outside_wait.begin(), outside_wait.end());
  row.outside_wait_ms = outside_wait[outside_wait.size() / 2];
  row.p99_ms = outside_wait[std::min(outside_wait.size() - 1, outside_wait.size() * 99 / 100)];
  return row;
}

}  // namespace

int main(int argc, char** argv) {
  uint32_t frames = 120;
  std::string eye = "640x720";
  for (int index = 1; index + 1 < argc; index += 2) {
    const std::string_view argument = argv[index];
    if (argument == "--frames") {
      frames = static_cast<uint32_t>(std::max(1ul, std::strtoul(argv[index + 1], nullptr, 10)));
    } else if (argument == "--eye") {
      eye = argv[index + 1];
    } else {
      std::fprintf(stderr, "usage: xr_bench [--frames 120] [--eye 640x720]\n");
      return 2;
    }
  }
  log::configure(log::Level::warn, log::Format::text);
  setenv("XR_RUNTIME_JSON", PAVILION_XR_RUNTIME_JSON, 0);  // the simulated headset unless another is named
  setenv("PAVILION_XR_SIM_EYE", eye.c_str(), 1);

  // The sample scene, packed as curators pack it, the visitor at its entrance.
  const std::filesystem::path work = std::filesystem::temp_directory_path() / fmt::format("xr_bench-{}", getpid());
  std::filesystem::create_directories(work);
  const package::KeyPair key = package::generate_key_pair();
  pack::BuildOptions build;
  build.scene_directory = PAVILION_SCENES_DIR "/gallery";
  build.output = work / "gallery.pvpkg";
  build.key = &key;
  take(pack::build_package(build));
  auto reader = take(package::PackageReader::open(build.output, {{key.public_key}, false, false}));
  const scene::Scene gallery = take(scene::load_scene(*reader, {}));
  std::filesystem::remove_all(work);
  const glm::mat4 entrance = glm::translate(glm::mat4(1.0f), glm::vec3(0.0f, 0.0f, 3.6f));
  const procedural::TestScene field = procedural::instance_field(10'000);
  const glm::mat4 above_field = glm::translate(glm::mat4(1.0f), glm::vec3(field.camera.eye.x, 0.0f, field.camera.eye.z));

  std::vector<Row> rows;
  for (const bool multiview : {false, true}) rows.push_back(measure("gallery (sample)", gallery.render, entrance, multiview, frames));
  for (const bool multiview : {false, true}) rows.push_back(measure("10 000 instances", field.scene, above_field, multiview, frames));

  fmt::print("CPU per headset frame outside xrWaitFrame, {} frames of {} per eye (median, p99; ms)\n", frames, eye);
  fmt::print("{:<18} {:<22} {:>8} {:>8} {:>7} {:>7} {:>7} {:>7}\n", "scene", "eyes drawn in", "median", "p99", "cull",
             "record", "submit", "ratio");
  const double reference = rows[0].outside_wait_ms;
  for (const Row& row : rows) {
    if (!row.available) {
      fmt::print("{:<18} {:<22} not offered by this GPU (it does not draw every view of a multiview pass)\n", row.scene,
                 row.passes);
      continue;
    }
    fmt::print("{:<18} {:<22} {:>8.2f} {:>8.2f} {:>7.2f} {:>7.2f} {:>7.2f} {:>6.2f}×\n", row.scene, row.passes,
               row.outside_wait_ms, row.p99_ms, row.cull_ms, row.record_ms, row.submit_ms, row.outside_wait_ms / reference);
  }
  return 0;
}

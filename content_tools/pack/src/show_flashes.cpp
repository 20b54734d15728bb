#include "show_flashes.h"

#include "pavilion/exhibits/show_stage.h"
#include "pavilion/render/context.h"
#include "pavilion/render/offscreen_target.h"
#include "pavilion/render/renderer.h"
#include "pavilion/render/view.h"
#include "pavilion/scene/loader.h"
#include "pavilion/scene/show.h"

#include <fmt/format.h>
#include <fmt/std.h>

#include <glm/trigonometric.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>

namespace pavilion::pack {
namespace {

// Draws the show's frames one after another into a square offscreen image.
class ShowCamera {
 public:
  static Result<ShowCamera> open(const std::filesystem::path& path, uint32_t size) {
    ShowCamera camera;
    PV_TRY_ASSIGN(camera.context_, render::GpuContext::create({.application_name = "pavilion-pack"}));
    PV_TRY_ASSIGN(camera.renderer_, render::Renderer::create(*camera.context_, {.shadow_map_size = 1024}));
    PV_TRY_ASSIGN(camera.target_, render::OffscreenTarget::create(*camera.context_, {.width = size, .height = size}));
    const package::TrustPolicy draft{.developer_mode = true};
    PV_TRY_ASSIGN(camera.scene_, scene::load_scene_file(path, draft,
                                                        {.bc_textures_supported =
                                                             camera.context_->capabilities().bc_texture_compression}));
    if (!camera.scene_.show) {
      return Error(ErrorCode::invalid_input, fmt::format("checking the show of {} for flashes", path), "it has no show");
    }
    return camera;
  }

  const scene::Show& show() const { return *scene_.show; }

  // Plays the show from its start (the scene loaded afresh, so every pass draws the same frames)
  // and calls `frame(index, draw)` on each of `frames` frames, where draw() renders it and reads
  // it back; stops early when `frame` returns false.
  template <class OnFrame>
  Result<void> play(size_t frames, OnFrame frame) {
    PV_TRY(renderer_->load_scene(scene_.render));
    PV_TRY_ASSIGN(exhibits::ShowStage stage, exhibits::ShowStage::create(scene_));
    // One seed for every pass: the bursts fall the same way each time.
    PV_TRY(stage.load_particles(*renderer_, 1));
    scene::ShowPlayer player(*scene_.show, {.loop = false});
    const double frame_seconds = 1.0 / flash_check_frames_per_second;
    const render::FieldOfView field =
        render::symmetric_field_of_view(glm::radians(flash_check_field_degrees), 1.0f);
    for (size_t index = 0; index < frames; ++index) {
      const scene::ShowFrame& played = player.update(static_cast<double>(index) * frame_seconds);
      stage.apply(played, index == 0 ? 0.0f : static_cast<float>(frame_seconds), *renderer_);
      const render::View view = exhibits::show_view(exhibits::show_camera(played, scene_), field);
      const auto draw = [&]() -> Result<ImageRgba8> {
        PV_TRY(renderer_->render(*target_, {&view, 1}));
        PV_TRY(renderer_->wait_idle());
        return target_->read_pixels();
      };
      PV_TRY_ASSIGN(const bool go_on, frame(index, draw));
      if (!go_on) break;
    }
    return {};
  }

 private:
  ShowCamera() = default;
  // Declared in the order they are made: the renderer and target end before the context.
  std::unique_ptr<render::GpuContext> context_;
  std::unique_ptr<render::Renderer> renderer_;
  std::unique_ptr<render::OffscreenTarget> target_;
  scene::Scene scene_;
};

}  // namespace

Result<ShowFlashes> analyse_show_flashes(const std::filesystem::path& path, uint32_t size) {
  const auto start = std::chrono::steady_clock::now();
  PV_TRY_ASSIGN(ShowCamera camera, ShowCamera::open(path, size));
  // Every frame a headset shows from the show's start to its end.
  const size_t frames =
      static_cast<size_t>(std::floor(static_cast<double>(camera.show().duration) * flash_check_frames_per_second)) + 1;
  flash::FlashAnalyser analyser(
      flash::FlashViewing::headset(flash_check_frames_per_second, flash_check_field_degrees));
  PV_TRY(camera.play(frames, [&](size_t, const auto& draw) -> Result<bool> {
    PV_TRY_ASSIGN(const ImageRgba8 image, draw());
    PV_TRY(analyser.add_frame(image.width, image.height, image.pixels));
    return true;
  }));
  ShowFlashes out;
  out.verdict = analyser.finish();
  // The worst frames are drawn again rather than kept from the first pass (a minute of frames
  // would hold 350 MB at 128 pixels): the show plays the same way every time.
  if (!out.verdict.safe) {
    out.worst_frames.resize(out.verdict.failures.size());
    size_t last = 0;
    for (const flash::Failure& failure : out.verdict.failures) last = std::max(last, failure.worst_frame);
    PV_TRY(camera.play(last + 1, [&](size_t index, const auto& draw) -> Result<bool> {
      for (size_t failure = 0; failure < out.verdict.failures.size(); ++failure) {
        if (out.verdict.failures[failure].worst_frame != index) continue;
        PV_TRY_ASSIGN(out.worst_frames[failure], draw());
        flash::outline_window(out.worst_frames[failure], out.verdict.failures[failure].where);
      }
      return true;
    }));
  }
  out.seconds_drawing = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return out;
}

}  // namespace pavilion::pack

#include "show_flashes.h"

#include "pavilion/exhibits/show_stage.h"
#include "pavilion/render/context.h"
#include "pavilion/render/offscreen_target.h"
#include "pavilion/render/renderer.h"
#include "pavilion/render/view.h"
#include "pavilion/scene/loader.h"
#include "pavilion/scene/particles.h"
#include "pavilion/scene/show.h"

#include <fmt/format.h>
#include <fmt/std.h>

#include <glm/geometric.hpp>
#include <glm/trigonometric.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <optional>
#include <span>
#include <utility>

namespace pavilion::pack {
namespace {

// How long the particles a burst of `system` releases can live, their sub-emitters' included.
double particle_seconds(std::span<const scene::ParticleSystem> systems, uint32_t system) {
  double seconds = 0;
  // The chain is at most max_particle_generations deep (checked when packed); the bound guards a
  // package made by hand.
  for (size_t generation = 0; system < systems.size() && generation < systems.size(); ++generation) {
    seconds += static_cast<double>(systems[system].lifetime_max);
    system = systems[system].on_death;
  }
  return seconds;
}

// How long a moment's response shows: until its last cue ends and the last particle its bursts
// release has died.
double response_seconds(const scene::Scene& scene, const scene::InteractiveMoment& moment) {
  double seconds = 0;
  for (const scene::ShowCue& cue : moment.response) {
    double ends = static_cast<double>(cue.start) + static_cast<double>(scene::played_duration(cue, false));
    if (cue.kind == scene::CueKind::burst) ends += particle_seconds(scene.particles, cue.emitter);
    seconds = std::max(seconds, ends);
  }
  return seconds;
}

// A show of `show`'s moment `index` alone, no track playing: the scene at rest, for the visitor to
// trigger it in. Long enough for the response to play out after its trigger.
scene::Show moment_alone(const scene::Scene& scene, const scene::Show& show, size_t index) {
  scene::Show alone;
  alone.loop_in_attract = false;
  alone.moments.push_back(show.moments[index]);
  alone.duration = std::clamp(static_cast<float>(response_seconds(scene, show.moments[index])) + 1.0f,
                              scene::shortest_show_seconds, scene::longest_show_seconds);
  return alone;
}

// Whether the burst of system `a` from a moment on an exhibit at `a_exhibit` is the burst of `b` on
// one at `b_exhibit`: the same systems in all but their names, at the same place from their exhibit
// (within a millimetre), down their chains of sub-emitters (which burst where their parents die).
bool same_burst_on(std::span<const scene::ParticleSystem> systems, uint32_t a, glm::vec3 a_exhibit, uint32_t b,
                   glm::vec3 b_exhibit) {
  if (a >= systems.size() || b >= systems.size()) return false;
  if (glm::distance(systems[a].position - a_exhibit, systems[b].position - b_exhibit) > 0.001f) return false;
  for (size_t generation = 0; generation < systems.size(); ++generation) {
    scene::ParticleSystem first = systems[a], second = systems[b];
    first.name = second.name = {};
    first.position = second.position = {};
    first.on_death = second.on_death = 0;
    if (first != second) return false;
    a = systems[a].on_death;
    b = systems[b].on_death;
    if (a >= systems.size() || b >= systems.size()) return a == b;
  }
  return false;
}

// Whether moment `b`'s response draws on its exhibit what `a`'s draws on its own: the same cues,
// each a burst of the same systems at the same place from the exhibit (same_burst_on) or a sound
// (heard, not seen). Camera moves, light changes, clips and titles are never taken as the same:
// they show what lies around the exhibit, or the exhibit's own model, which differ.
bool same_response_on(const scene::Scene& scene, const scene::InteractiveMoment& a, const scene::InteractiveMoment& b) {
  if (a.response.size() != b.response.size()) return false;
  const glm::vec3 a_exhibit = scene.exhibits[a.exhibit].position;
  const glm::vec3 b_exhibit = scene.exhibits[b.exhibit].position;
  for (size_t index = 0; index < a.response.size(); ++index) {
    scene::ShowCue first = a.response[index], second = b.response[index];
    if (first.kind != second.kind) return false;
    if (first.kind == scene::CueKind::burst) {
      if (!same_burst_on(scene.particles, first.emitter, a_exhibit, second.emitter, b_exhibit)) return false;
      second.emitter = first.emitter;
    } else if (first.kind == scene::CueKind::sound) {
      second.sound = first.sound;
      second.gain_db = first.gain_db;
    } else {
      return false;
    }
    if (first != second) return false;
  }
  return true;
}

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
    camera.timeline_ = *camera.scene_.show;
    return camera;
  }

  const scene::Scene& scene() const { return scene_; }
  const scene::Show& timeline() const { return timeline_; }

  // How many frames a headset shows of the timeline (`moment` empty) or of moment `moment`'s
  // response, from the frame before its trigger.
  size_t frames(std::optional<size_t> moment) const {
    const double seconds = moment ? 1.0 / flash_check_frames_per_second +
                                        response_seconds(scene_, timeline_.moments[*moment])
                                  : static_cast<double>(timeline_.duration);
    return static_cast<size_t>(std::floor(seconds * flash_check_frames_per_second)) + 1;
  }

  // Plays the timeline (`moment` empty) or moment `moment`'s response from the scene at rest,
  // from its start (the scene loaded afresh, so every pass draws the same frames), and calls
  // `frame(index, draw)` on each of `frames` frames, where draw() renders it and reads it back;
  // stops early when `frame` returns false.
  template <class OnFrame>
  Result<void> play(std::optional<size_t> moment, size_t frames, OnFrame frame) {
    // The stage and the player play the scene's show: this pass's, which the scene holds while it
    // plays.
    scene_.show = moment ? moment_alone(scene_, timeline_, *moment) : timeline_;
    PV_TRY(renderer_->load_scene(scene_.render));
    PV_TRY_ASSIGN(exhibits::ShowStage stage, exhibits::ShowStage::create(scene_));
    // One seed for every pass: the bursts fall the same way each time.
    PV_TRY(stage.load_particles(*renderer_, 1));
    scene::ShowPlayer player(*scene_.show, {.loop = false});
    const double frame_seconds = 1.0 / flash_check_frames_per_second;
    const render::FieldOfView field =
        render::symmetric_field_of_view(glm::radians(flash_check_field_degrees), 1.0f);
    for (size_t index = 0; index < frames; ++index) {
      if (moment && index == 1) {
        const scene::InteractiveMoment& triggered = scene_.show->moments.front();
        player.trigger(triggered.exhibit, triggered.trigger);
      }
      const scene::ShowFrame& played = player.update(static_cast<double>(index) * frame_seconds);
      stage.apply(played, index == 0 ? 0.0f : static_cast<float>(frame_seconds), *renderer_);
      scene::CameraPose pose = exhibits::show_camera(played, scene_);
      if (moment && !played.has_camera) {
        // The visitor looks at what they touched or pointed at.
        const glm::vec3 exhibit = scene_.exhibits[scene_.show->moments.front().exhibit].position;
        if (glm::distance(exhibit, pose.position) > 0.01f) pose.target = exhibit;
      }
      const render::View view = exhibits::show_view(pose, field);
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
  scene::Show timeline_;  // the package's show, as loaded
};

// Analyses every frame of one pass (the timeline, or a moment's response), keeping each failure's
// worst frame as it was drawn. Drawing it again would not do: the renderer simulates particles only
// on frames it draws, so a pass drawing only the worst frames would catch up on the seconds between
// in a few long steps and show the sparks elsewhere, or alive when they had died. A failure's
// worst frame is the frame just analysed or, when the failure opens, one of the second before it,
// so the last second's frames are kept (91 of 64 kB at 128 pixels).
Result<FlashPass> analyse_pass(ShowCamera& camera, std::optional<size_t> moment) {
  flash::FlashAnalyser analyser(
      flash::FlashViewing::headset(flash_check_frames_per_second, flash_check_field_degrees));
  const size_t kept = static_cast<size_t>(std::lround(flash_check_frames_per_second)) + 1;
  std::vector<ImageRgba8> last_second(kept);
  // Each failure's worst frame so far and its picture, by the failure's kind and first frame
  // (which stay as the failure grows).
  std::map<std::pair<flash::FailureKind, size_t>, std::pair<size_t, ImageRgba8>> worst;
  PV_TRY(camera.play(moment, camera.frames(moment), [&](size_t index, const auto& draw) -> Result<bool> {
    ImageRgba8& image = last_second[index % kept];
    PV_TRY_ASSIGN(image, draw());
    PV_TRY_ASSIGN(const flash::FrameReport report, analyser.add_frame(image.width, image.height, image.pixels));
    // Only a frame that breaks a rule opens a failure or moves its worst frame.
    if (!report.verdict) return true;
    for (const flash::Failure& failure : analyser.finish().failures) {
      auto& [frame, picture] = worst[{failure.kind, failure.first_frame}];
      if (!picture.pixels.empty() && frame == failure.worst_frame) continue;
      frame = failure.worst_frame;
      picture = last_second[frame % kept];
    }
    return true;
  }));
  FlashPass out;
  out.verdict = analyser.finish();
  for (const flash::Failure& failure : out.verdict.failures) {
    ImageRgba8& picture = out.worst_frames.emplace_back(std::move(worst[{failure.kind, failure.first_frame}].second));
    flash::outline_window(picture, failure.where);
  }
  return out;
}

}  // namespace

bool ShowFlashes::safe() const {
  return timeline.verdict.safe &&
         std::all_of(moments.begin(), moments.end(), [](const MomentFlashes& moment) { return moment.played.verdict.safe; });
}

Result<ShowFlashes> analyse_show_flashes(const std::filesystem::path& path, uint32_t size) {
  const auto start = std::chrono::steady_clock::now();
  PV_TRY_ASSIGN(ShowCamera camera, ShowCamera::open(path, size));
  ShowFlashes out;
  PV_TRY_ASSIGN(out.timeline, analyse_pass(camera, std::nullopt));
  const auto moments_start = std::chrono::steady_clock::now();
  const std::vector<scene::InteractiveMoment>& moments = camera.timeline().moments;
  // Moments whose responses draw the same on their exhibits are checked once, on the exhibit
  // nearest the eye: the eye looks at the exhibit, so there the response fills the most of the
  // view and flashes over the largest share of a 10° field.
  const glm::vec3 eye = exhibits::show_camera(scene::ShowFrame{}, camera.scene()).position;
  const auto distance_to_eye = [&](size_t moment) {
    return glm::distance(camera.scene().exhibits[moments[moment].exhibit].position, eye);
  };
  // first_alike: the first moment of each one's kind; checked_by: the moment checked for it.
  std::vector<size_t> first_alike(moments.size()), checked_by(moments.size());
  for (size_t index = 0; index < moments.size(); ++index) {
    first_alike[index] = checked_by[index] = index;
    for (size_t earlier = 0; earlier < index; ++earlier) {
      if (first_alike[earlier] == earlier && same_response_on(camera.scene(), moments[earlier], moments[index])) {
        first_alike[index] = earlier;
        break;
      }
    }
    const size_t first = first_alike[index];
    if (distance_to_eye(index) < distance_to_eye(checked_by[first])) checked_by[first] = index;
  }
  for (size_t index = 0; index < moments.size(); ++index) checked_by[index] = checked_by[first_alike[index]];
  out.moments.resize(moments.size());
  for (size_t index = 0; index < moments.size(); ++index) {
    MomentFlashes& checked = out.moments[index];
    checked.exhibit = camera.scene().exhibits[moments[index].exhibit].id;
    checked.trigger = moments[index].trigger;
    checked.event = moments[index].event;
    if (checked_by[index] != index) {
      checked.covered_by = checked_by[index];
    } else {
      PV_TRY_ASSIGN(checked.played, analyse_pass(camera, index));
    }
  }
  const auto end = std::chrono::steady_clock::now();
  out.seconds_drawing = std::chrono::duration<double>(end - start).count();
  out.seconds_drawing_moments = std::chrono::duration<double>(end - moments_start).count();
  return out;
}

}  // namespace pavilion::pack

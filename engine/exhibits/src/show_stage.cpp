#include "pavilion/exhibits/show_stage.h"

#include <fmt/format.h>

#include <glm/trigonometric.hpp>

#include <algorithm>
#include <string>

namespace pavilion::exhibits {
namespace {

constexpr uint32_t no_owner = UINT32_MAX;

// Where a cue sits, for errors: "show.tracks[1].cues[3]" or "show.moments[0].response[2]".
std::string cue_place(uint32_t track, uint32_t moment, size_t cue) {
  return track != scene::no_show_index ? fmt::format("show.tracks[{}].cues[{}]", track, cue)
                                       : fmt::format("show.moments[{}].response[{}]", moment, cue);
}

Result<void> check_cue(const scene::Scene& scene, const scene::ShowCue& cue, const std::string& place) {
  const auto refuse = [&](std::string why) {
    return Error(ErrorCode::invalid_input, fmt::format("preparing the show of scene '{}'", scene.id),
                 fmt::format("{} {}", place, why));
  };
  if (cue.kind == scene::CueKind::burst && cue.emitter >= scene.particles.size()) {
    return refuse(fmt::format("bursts particle system {}, but the scene has {}", cue.emitter, scene.particles.size()));
  }
  if (cue.kind != scene::CueKind::clip) return {};
  if (cue.exhibit >= scene.exhibits.size()) {
    return refuse(fmt::format("plays a clip of exhibit {}, but the scene has {} exhibits", cue.exhibit, scene.exhibits.size()));
  }
  if (cue.animation >= scene.tree.animations.size()) {
    return refuse(fmt::format("plays clip {}, but the scene's tree has {} clips", cue.animation, scene.tree.animations.size()));
  }
  const scene::Exhibit& exhibit = scene.exhibits[cue.exhibit];
  if (exhibit.instance_count == 0 || exhibit.first_instance >= scene.tree.instances.size()) {
    return refuse(fmt::format("plays a clip of exhibit '{}', which draws nothing to animate", exhibit.id));
  }
  return {};
}

}  // namespace

scene::CameraPose show_camera(const scene::ShowFrame& frame, const scene::Scene& scene) {
  if (frame.has_camera) return frame.camera;
  if (!scene.viewpoints.empty()) {
    const scene::Viewpoint& first = scene.viewpoints.front();
    return {first.position, first.target, first.vertical_fov_degrees};
  }
  return {glm::vec3(0.0f, 1.6f, 3.0f), glm::vec3(0.0f, 1.0f, 0.0f), 60.0f};
}

render::View show_view(const scene::CameraPose& pose, float aspect_ratio) {
  return show_view(pose, render::symmetric_field_of_view(glm::radians(pose.vertical_fov_degrees), aspect_ratio));
}

render::View show_view(const scene::CameraPose& pose, const render::FieldOfView& field) {
  return render::look_at_view(pose.position, pose.target, field);
}

Result<ShowStage> ShowStage::create(const scene::Scene& scene) {
  if (!scene.show) {
    return Error(ErrorCode::invalid_input, fmt::format("preparing the show of scene '{}'", scene.id),
                 "the scene has no show");
  }
  const scene::Show& show = *scene.show;
  ShowStage stage(scene);
  const scene::NodeTree& tree = scene.tree;
  // Each node's root: parents come before their children.
  std::vector<uint32_t> root(tree.nodes.size());
  for (uint32_t node = 0; node < tree.nodes.size(); ++node) {
    const int32_t parent = tree.nodes[node].parent;
    root[node] = parent == scene::no_parent ? node : root[static_cast<size_t>(parent)];
  }
  stage.node_owner_.assign(tree.nodes.size(), no_owner);
  const auto prepare = [&](const scene::ShowCue& cue, const std::string& place) -> Result<void> {
    PV_TRY(check_cue(scene, cue, place));
    if (cue.kind != scene::CueKind::clip || stage.animated_for(cue.exhibit) != nullptr) return {};
    const uint32_t exhibit_root = root[tree.instances[scene.exhibits[cue.exhibit].first_instance].node];
    const uint32_t owner = static_cast<uint32_t>(stage.animated_.size());
    stage.animated_.push_back({cue.exhibit, exhibit_root, scene::AnimationPlayer(tree)});
    for (uint32_t node = 0; node < tree.nodes.size(); ++node) {
      if (root[node] == exhibit_root) stage.node_owner_[node] = owner;
    }
    return {};
  };
  for (uint32_t track = 0; track < show.tracks.size(); ++track) {
    for (size_t cue = 0; cue < show.tracks[track].cues.size(); ++cue) {
      PV_TRY(prepare(show.tracks[track].cues[cue], cue_place(track, scene::no_show_index, cue)));
    }
  }
  for (uint32_t moment = 0; moment < show.moments.size(); ++moment) {
    for (size_t cue = 0; cue < show.moments[moment].response.size(); ++cue) {
      PV_TRY(prepare(show.moments[moment].response[cue], cue_place(scene::no_show_index, moment, cue)));
    }
  }
  stage.pose_.resize(tree.nodes.size());
  for (size_t node = 0; node < tree.nodes.size(); ++node) stage.pose_[node] = tree.nodes[node].local;
  stage.world_.resize(tree.nodes.size());
  stage.joints_.resize(scene::joint_matrix_count(tree));
  stage.scratch_world_.resize(tree.nodes.size());
  stage.scratch_joints_.resize(stage.joints_.size());
  for (const scene::Morph& morph : tree.morphs) {
    stage.first_weight_.push_back(static_cast<uint32_t>(stage.weights_.size()));
    stage.weights_.insert(stage.weights_.end(), morph.weights.begin(), morph.weights.end());
  }
  stage.scratch_weights_.resize(stage.weights_.size());
  return stage;
}

const scene::ShowCue& ShowStage::cue_of(const scene::ShowEvent& event) const {
  const scene::Show& show = *scene_->show;
  return event.track != scene::no_show_index ? show.tracks[event.track].cues[event.cue]
                                             : show.moments[event.moment].response[event.cue];
}

ShowStage::Animated* ShowStage::animated_for(uint32_t exhibit) {
  const auto found = std::find_if(animated_.begin(), animated_.end(),
                                  [&](const Animated& animated) { return animated.exhibit == exhibit; });
  return found == animated_.end() ? nullptr : &*found;
}

void ShowStage::act(const scene::ShowEvent& event, render::Renderer& renderer) {
  if (event.kind == scene::ShowEventKind::moment) return;  // the caller logs it
  const scene::ShowCue& cue = cue_of(event);
  if (cue.kind == scene::CueKind::burst) {
    if (particles_loaded_ && event.kind == scene::ShowEventKind::cue_start) renderer.burst_particles(cue.emitter);
    return;
  }
  if (cue.kind != scene::CueKind::clip) return;
  Animated& animated = *animated_for(cue.exhibit);
  const bool same_cue = animated.track == event.track && animated.moment == event.moment && animated.cue == event.cue;
  if (event.kind == scene::ShowEventKind::cue_start) {
    animated.player.play(cue.animation, cue.loop ? scene::PlayEnd::loop : scene::PlayEnd::clamp, cue.fade_seconds,
                         event.speed);
    // A cue that started between frames is that far in already (the clips fading out with it too).
    animated.player.advance(event.late);
    animated.track = event.track;
    animated.moment = event.moment;
    animated.cue = event.cue;
    animated.playing = true;
  } else if (same_cue && animated.playing && cue.duration > 0.0f) {
    animated.player.stop();
    animated.playing = false;
    pose_stale_ = true;
  }
}

void ShowStage::pose(render::Renderer& renderer) {
  const scene::NodeTree& tree = scene_->tree;
  for (Animated& animated : animated_) {
    animated.player.evaluate(scratch_world_, scratch_joints_, scratch_weights_);
    const std::span<const scene::NodeTransform> local = animated.player.pose();
    const uint32_t owner = static_cast<uint32_t>(&animated - animated_.data());
    for (size_t node = 0; node < pose_.size(); ++node) {
      if (node_owner_[node] == owner) pose_[node] = local[node];
    }
    for (size_t morph = 0; morph < tree.morphs.size(); ++morph) {
      if (node_owner_[tree.morphs[morph].node] != owner) continue;
      std::copy_n(scratch_weights_.begin() + first_weight_[morph], tree.morphs[morph].weights.size(),
                  weights_.begin() + first_weight_[morph]);
    }
  }
  scene::world_transforms(tree.nodes, pose_, world_);
  scene::joint_matrices(tree, world_, joints_);
  renderer.pose_instances(tree, world_, joints_, weights_);
}

void ShowStage::apply(const scene::ShowFrame& frame, float frame_seconds, render::Renderer& renderer) {
  for (Animated& animated : animated_) {
    if (animated.player.clips_in_play() > 0) animated.player.advance(frame_seconds);
  }
  for (const scene::ShowEvent& event : frame.events) act(event, renderer);
  if (particles_loaded_) renderer.advance_particles(frame_seconds);
  const bool moving = std::any_of(animated_.begin(), animated_.end(),
                                  [](const Animated& animated) { return animated.player.clips_in_play() > 0; });
  if (moving || pose_stale_) pose(renderer);
  pose_stale_ = false;

  if (frame.has_light) {
    scene::DirectionalLight light = scene_->render.light;
    light.color = frame.light.color;
    light.intensity = frame.light.intensity;
    renderer.set_light(light);
    light_set_ = true;
  } else if (light_set_) {
    renderer.set_light(scene_->render.light);
    light_set_ = false;
  }
}

Result<void> ShowStage::load_particles(render::Renderer& renderer, uint64_t seed) {
  particles_loaded_ = false;
  PV_TRY(renderer.load_particles(scene_->particles, scene::default_particle_budget, seed));
  particles_loaded_ = true;
  return {};
}

void ShowStage::reset() {
  for (Animated& animated : animated_) {
    animated.player.stop();
    animated.track = scene::no_show_index;
    animated.moment = scene::no_show_index;
    animated.playing = false;
  }
  pose_stale_ = true;
}

size_t ShowStage::exhibits_animated() const {
  return static_cast<size_t>(std::count_if(animated_.begin(), animated_.end(), [](const Animated& animated) {
    return animated.player.clips_in_play() > 0;
  }));
}

}  // namespace pavilion::exhibits

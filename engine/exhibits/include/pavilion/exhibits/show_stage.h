// A festival show acted on in the renderer: what scene::ShowPlayer says happened in a frame (its
// ShowFrame) turned into clips played on the scene's node tree, the show's light, particle bursts
// and the camera's view. The kiosk's touch screen, the headset and pavilion-pack's flash check
// all play a show through one ShowStage each, so they draw the same show the same way.
//
// Each frame: ShowPlayer::update(clock) → ShowStage::apply(frame, seconds since the last frame,
// renderer) → Renderer::render(target, views from show_view). Titles and sounds stay with the
// caller (the kiosk draws the titles and plays the sounds); ShowStage never touches audio.
// Particles: once load_particles has put the scene's systems on the renderer, ShowStage bursts
// them and advances their simulation each frame (so the caller must not); before, bursts are
// left out.
//
// Clips: every exhibit a clip cue names gets an AnimationPlayer of its own, so two exhibits'
// clips play together; each poses the nodes under its exhibit's root node. A clip cue starts its
// clip with the cue's cross-fade, the event's speed (calm mode already applied) and loop or
// clamp; a cue with a duration stops its clip at its end (the exhibit goes back to its rest pose)
// unless another clip of that exhibit has started since; a cue without one plays until the next
// clip of its exhibit replaces it (a clamped clip holds its last pose). A clip moves its exhibit's
// skins' joints and its morph targets' weights (a face, a flag) with its nodes.
#pragma once

#include "pavilion/core/error.h"
#include "pavilion/render/renderer.h"
#include "pavilion/render/view.h"
#include "pavilion/scene/animation.h"
#include "pavilion/scene/scene.h"
#include "pavilion/scene/show.h"

#include <glm/glm.hpp>

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace pavilion::exhibits {

// Where the show's camera is: the frame's camera move once one has started, before that the
// scene's first viewpoint (or, without one, a camera 3 m back at eye height looking at the
// origin).
scene::CameraPose show_camera(const scene::ShowFrame& frame, const scene::Scene& scene);

// The view of `pose` on a screen of `aspect_ratio` (width / height), with the pose's vertical
// field of view: what the kiosk's screen and the curator's previews draw.
render::View show_view(const scene::CameraPose& pose, float aspect_ratio);
// The view of `pose` through a fixed field of view, the pose's own ignored: a headset's eye, as
// pavilion-pack's flash check sees a show.
render::View show_view(const scene::CameraPose& pose, const render::FieldOfView& field);

class ShowStage {
 public:
  // Prepares to play `scene`'s show: one animation player per exhibit its clip cues name, and the
  // buffers apply poses the tree with. `scene` must hold a show and outlive the stage. Fails on
  // a show whose cues name an exhibit, clip or particle system the scene lacks, or a clip of an exhibit
  // with nothing drawn (no node to pose).
  static Result<ShowStage> create(const scene::Scene& scene);

  // Acts on one frame of the show (the renderer must hold this scene, loaded): starts and stops
  // the clips its events name, advances every clip by `frame_seconds` (the time since the last
  // apply) and poses the instances; sets the show's light (the scene's light with the frame's
  // colour and intensity, the scene's own before any light cue); fires the bursts whose cues
  // started and advances the particles by `frame_seconds`. Each takes effect at the renderer's
  // next frame. Allocates nothing.
  void apply(const scene::ShowFrame& frame, float frame_seconds, render::Renderer& renderer);

  // Loads the scene's particle systems onto `renderer` (which holds this scene) with `seed` (the
  // same seed, the same bursts), within the scene's default particle budget; from then on apply
  // fires the show's bursts. Allocates on the GPU; fails as Renderer::load_particles does, and
  // the show then plays without bursts.
  Result<void> load_particles(render::Renderer& renderer, uint64_t seed);

  // Back to the start: every clip stopped and the scene's light, at the next apply (after a seek
  // to the show's start, or a new scene loaded into the renderer).
  void reset();

  // How many exhibits have clips of their own playing (or holding their last pose).
  size_t exhibits_animated() const;

 private:
  struct Animated {
    uint32_t exhibit = 0;
    uint32_t root = 0;  // the exhibit's root node
    scene::AnimationPlayer player;
    // The clip cue that started the clip in play, to tell its end from an older cue's.
    uint32_t track = scene::no_show_index;
    uint32_t moment = scene::no_show_index;
    uint32_t cue = 0;
    bool playing = false;
  };
  explicit ShowStage(const scene::Scene& scene) : scene_(&scene) {}
  const scene::ShowCue& cue_of(const scene::ShowEvent& event) const;
  Animated* animated_for(uint32_t exhibit);
  void act(const scene::ShowEvent& event, render::Renderer& renderer);
  void pose(render::Renderer& renderer);

  const scene::Scene* scene_;
  std::vector<Animated> animated_;
  std::vector<uint32_t> node_owner_;  // per node: its entry in animated_, or none
  std::vector<scene::NodeTransform> pose_;  // the tree's local pose, gathered from the players
  std::vector<glm::mat4> world_;
  std::vector<glm::mat4> joints_;
  std::vector<glm::mat4> scratch_world_;   // what a player's evaluate writes before it is gathered
  std::vector<glm::mat4> scratch_joints_;
  std::vector<float> weights_;          // every morph's weights, morph after morph, gathered like pose_
  std::vector<float> scratch_weights_;
  std::vector<uint32_t> first_weight_;  // per morph: where its weights start in weights_
  bool pose_stale_ = false;  // a clip stopped: the rest pose is still to be drawn
  bool light_set_ = false;   // the renderer holds a show light rather than the scene's
  bool particles_loaded_ = false;
};

}  // namespace pavilion::exhibits

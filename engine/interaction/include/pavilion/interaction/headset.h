// What a visitor in a headset does with their hands and gaze: point at exhibits and select them
// (a visible ray, a buzz in the hand), pick one up to look at it closely, turn in comfortable snaps, teleport across the floor,
// return to the start, and, without controllers, select by looking at an exhibit for a moment.
//
// Every action is there for either hand alone and for the eyes alone (the W3C XR Accessibility
// User Requirements' one-handed use and motion-agnostic input): each hand's trigger, grip,
// thumbstick and menu do the same, and a ring of buttons hangs below the line of sight (turn left,
// previous exhibit, back to the start, go to the selected exhibit, the label shown or hidden,
// next exhibit, turn right) that
// either hand's ray presses with its trigger while the visitor looks down at it, and the eyes
// press by resting on one for a moment.
// Controllers without a thumbstick or a menu button (the simple controller, tracked hands) reach
// every action through the ring.
//
// Pure logic on engine/xr's input, so it is tested without a headset; the kiosk's headset mode draws it
// and keeps its visit (visit_log.h).
#pragma once

#include "pavilion/scene/scene.h"
#include "pavilion/xr/headset.h"

#include <glm/mat4x4.hpp>
#include <glm/vec3.hpp>

#include <array>
#include <cstdint>
#include <optional>
#include <span>

namespace pavilion::interaction {

struct InteractionSettings {
  // Comfort: the view turns in snaps, never smoothly, which is what makes visitors queasy.
  float snap_turn_degrees = 30.0f;
  float dwell_seconds = 1.5f;          // looking at an exhibit this long selects it
  float reach_metres = 8.0f;           // how far a pointing ray reaches
  float teleport_reach_metres = 6.0f;  // how far one teleport goes
  float max_lift_radius_metres = 1.0f;  // a visitor picks up a vase, not a pavilion
  float pulse_seconds = 0.04f;
  float pulse_amplitude = 0.6f;
  // The visitor's calm setting: nothing in view glides (the ring and the captions jump to where
  // the head turned instead of following it), and each snap turn and teleport darkens the edge
  // of the view for `vignette_seconds` (a comfort vignette: the cut is not felt as motion).
  bool reduced_motion = false;
  float vignette_seconds = 0.3f;
};

// The ring's buttons, left to right as the visitor sees them.
enum class RingAction : uint8_t {
  turn_left,
  previous_exhibit,
  back_to_start,
  go_to_exhibit,  // a teleport to stand before the selected exhibit, on the side the visitor stood
  toggle_text,
  next_exhibit,
  turn_right,
};
inline constexpr size_t ring_buttons = 7;

// One of the ring's buttons this frame: a disc facing the eyes.
struct RingButton {
  RingAction action = RingAction::turn_left;
  glm::vec3 centre{0.0f};  // in the world
  float radius = 0.0f;     // metres
  bool pointed_at = false;  // a hand's ray or the gaze rests on it
  float dwell_progress = 0.0f;  // 0..1 towards pressing it by looking
  bool on = false;              // toggle_text: the label is shown
};

// A ray to draw: from a hand (or the eyes) to what it meets.
struct Pointer {
  bool shown = false;
  glm::vec3 from{0.0f};
  glm::vec3 to{0.0f};
  bool on_exhibit = false;
  bool on_button = false;  // on one of the ring's buttons
  bool aiming_teleport = false;  // the ray ends on the floor where the visitor would land
  bool teleport_possible = false;
};

// An exhibit in a visitor's hand: where it is moved from its place.
struct HeldExhibit {
  uint32_t exhibit = 0;  // index into the exhibits
  glm::mat4 transform{1.0f};
};

struct InteractionCounters {
  uint32_t grabs = 0;
  uint32_t selections = 0;
  uint32_t turns = 0;
  uint32_t teleports = 0;
  uint32_t returns_to_start = 0;
  uint32_t ring_presses = 0;  // by a hand's trigger or the gaze
  uint32_t vignettes = 0;     // comfort vignettes begun (reduced motion: one per turn and teleport)
};

class HeadsetInteraction {
 public:
  // `start` places the stage (the visitor's floor) in the world; the floor is at its height.
  HeadsetInteraction(std::span<const scene::Exhibit> exhibits, const glm::mat4& start,
                     const InteractionSettings& settings = {});

  // One frame: `seconds` since the last. Reads what the hands pressed this frame.
  void update(const xr::HeadsetInput& input, float seconds);

  const glm::mat4& stage_to_world() const { return stage_to_world_; }
  std::optional<uint32_t> selected() const { return selected_; }  // index into the exhibits
  bool selected_by_gaze() const { return selected_by_gaze_; }     // not by a hand: by looking long enough
  const std::array<Pointer, 2>& hand_pointers() const { return hands_; }
  const Pointer& gaze() const { return gaze_; }  // shown when no hand is tracked
  float dwell_progress() const;                   // 0..1 towards a gaze selection
  // The exhibit a hand holds (squeezing the grip on it picks it up; it follows the hand), and the
  // one let go this frame, to be put back where it stood.
  const std::optional<HeldExhibit>& held() const { return held_; }
  std::optional<uint32_t> put_back() const { return put_back_; }
  // The hands whose controllers should buzz this frame: their press selected something.
  const std::array<bool, 2>& pulses() const { return pulses_; }
  const InteractionCounters& counters() const { return counters_; }
  const InteractionSettings& settings() const { return settings_; }

  // The ring below the line of sight, where it hangs this frame.
  const std::array<RingButton, ring_buttons>& ring() const { return ring_; }
  // Whether the selected exhibit's label is shown (the ring's text button hides and shows it).
  bool text_shown() const { return text_shown_; }
  // 0..1: how dark the comfort vignette is this frame (0 without reduced motion).
  float vignette() const;
  // Where things that follow the visitor's gaze lazily hang from (the ring, the captions): at
  // the head, turned (about +Y only) to where the head faced when it last turned far enough away,
  // −Z ahead. Still while the head turns a little (to read, to look at a button).
  const glm::mat4& follow_to_world() const { return follow_to_world_; }

 private:
  void select(std::optional<uint32_t> exhibit, bool by_gaze = false);
  void move_and_turn(const xr::HeadsetInput& input, size_t hand);
  void carry(const xr::HeadsetInput& input);
  void turn(bool right, const glm::vec3& head);
  void moved();
  void return_to_start();
  void press(RingAction action, bool by_gaze);
  void step_through_exhibits(int direction, bool by_gaze);
  void go_to_selected();
  void teleport(const glm::vec3& landing, const glm::vec3& head);
  void place_ring(const xr::HeadsetInput& input, float seconds);
  std::optional<size_t> ring_hit(const glm::vec3& from, const glm::vec3& direction, float& distance) const;
  void dwell_on_ring(std::optional<size_t> looked_at, float seconds);

  std::span<const scene::Exhibit> exhibits_;
  glm::mat4 start_;
  glm::mat4 stage_to_world_;
  InteractionSettings settings_;
  std::optional<uint32_t> selected_;
  bool selected_by_gaze_ = false;
  std::array<Pointer, 2> hands_{};
  Pointer gaze_{};
  std::optional<uint32_t> gazed_;
  float dwelt_ = 0.0f;
  std::array<bool, 2> pulses_{};
  struct Hold {
    uint32_t exhibit = 0;
    size_t hand = 0;
    glm::mat4 grip_at_grab{1.0f};
  };
  std::optional<Hold> hold_;
  std::optional<HeldExhibit> held_;
  std::optional<uint32_t> put_back_;
  std::array<bool, 2> turn_armed_{true, true};
  std::array<bool, 2> aiming_{};
  InteractionCounters counters_{};
  std::array<RingButton, ring_buttons> ring_{};
  bool text_shown_ = true;
  float vignette_left_ = 0.0f;  // seconds
  // The lazily followed yaw, in the stage (so a snap turn carries it along with the view).
  float follow_yaw_ = 0.0f;
  bool follow_placed_ = false;
  bool following_ = false;
  glm::mat4 follow_to_world_{1.0f};
  std::optional<size_t> ring_gazed_;
  float ring_dwelt_ = 0.0f;
  bool ring_armed_ = true;
  bool ring_looked_at_ = false;  // the head looks down towards the ring: the hands' rays reach it
  glm::vec3 head_{0.0f};  // this frame's, in the world  // a button pressed by looking presses again only once the eyes have left it
};

}  // namespace pavilion::interaction

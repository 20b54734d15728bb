// What a visitor in a headset does with their hands and gaze: point at exhibits and select them
// (a visible ray, a buzz in the hand), pick one up to look at it closely, turn in comfortable snaps, teleport across the floor,
// return to the start, and, without controllers, select by looking at an exhibit for a moment.
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
};

// A ray to draw: from a hand (or the eyes) to what it meets.
struct Pointer {
  bool shown = false;
  glm::vec3 from{0.0f};
  glm::vec3 to{0.0f};
  bool on_exhibit = false;
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

 private:
  void select(std::optional<uint32_t> exhibit, bool by_gaze = false);
  void move_and_turn(const xr::HeadsetInput& input, size_t hand);
  void carry(const xr::HeadsetInput& input);

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
};

}  // namespace pavilion::interaction

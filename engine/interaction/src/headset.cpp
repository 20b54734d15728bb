#include "pavilion/interaction/headset.h"

#include "pavilion/scene/picking.h"

#include <glm/gtc/constants.hpp>
#include <glm/gtc/matrix_transform.hpp>

#include <algorithm>
#include <cmath>

namespace pavilion::interaction {
namespace {

// A stick pushed past this counts; it must come back under the release before it counts again,
// so one flick is one turn.
constexpr float stick_pushed = 0.7f;
constexpr float stick_released = 0.3f;

// The ring: at reading distance, low enough to leave the view ahead free yet inside every
// headset's lower field of view; buttons 10° apart, so the outermost lies well inside the turn
// that makes the ring follow (looking at a button never moves it away).
constexpr float ring_distance_metres = 0.55f;
constexpr float ring_pitch_radians = -0.56f;  // 32° below the horizon
constexpr float ring_spacing_radians = 0.1745f;
constexpr float ring_button_radius_metres = 0.035f;
// The ring answers a hand's ray only while the visitor looks down towards it (as one looks at
// what one presses): it hangs near the hands, and a ray to a low exhibit ahead passes through it.
constexpr float ring_in_use_below_radians = -0.31f;  // 18° below the horizon
constexpr std::array<RingAction, ring_buttons> ring_order{
    RingAction::turn_left,   RingAction::previous_exhibit, RingAction::back_to_start, RingAction::go_to_exhibit,
    RingAction::toggle_text, RingAction::next_exhibit,     RingAction::turn_right};
// Going to an exhibit: the visitor lands this far from its edge, on the side they stood.
constexpr float go_to_gap_metres = 0.8f;
// The lazy follow: still until the head has turned this far away, then glides after it.
constexpr float follow_dead_zone_radians = 0.7f;  // 40°
constexpr float follow_settled_radians = 0.035f;
constexpr float follow_rate_per_second = 6.0f;

float wrapped(float radians) { return std::remainder(radians, 2.0f * glm::pi<float>()); }

}  // namespace

HeadsetInteraction::HeadsetInteraction(std::span<const scene::Exhibit> exhibits, const glm::mat4& start,
                                       const InteractionSettings& settings)
    : exhibits_(exhibits), start_(start), stage_to_world_(start), settings_(settings) {}

float HeadsetInteraction::vignette() const {
  // Fully dark over the cut and its first moments, then opening again.
  if (!settings_.reduced_motion || vignette_left_ <= 0.0f) return 0.0f;
  return std::min(1.0f, 2.0f * vignette_left_ / settings_.vignette_seconds);
}

float HeadsetInteraction::dwell_progress() const {
  return gazed_ && gazed_ != selected_ ? std::min(1.0f, dwelt_ / settings_.dwell_seconds) : 0.0f;
}

void HeadsetInteraction::select(std::optional<uint32_t> exhibit, bool by_gaze) {
  if (exhibit && exhibit != selected_) ++counters_.selections;
  selected_ = exhibit;
  selected_by_gaze_ = by_gaze && exhibit.has_value();
}

void HeadsetInteraction::update(const xr::HeadsetInput& input, float seconds) {
  pulses_ = {};
  head_ = input.head_position;
  vignette_left_ = std::max(0.0f, vignette_left_ - seconds);
  place_ring(input, seconds);
  bool hand_on_ring = false;
  for (size_t index = 0; index < 2; ++index) {
    const xr::HandInput& hand = input.hands[index];
    Pointer& pointer = hands_[index];
    pointer = {};
    if (!hand.tracked) continue;
    pointer.shown = true;
    pointer.from = hand.ray_origin;
    float button_distance = 0.0f;
    const auto button = ring_hit(hand.ray_origin, hand.ray_direction, button_distance);
    const auto hit = scene::first_exhibit_hit(exhibits_, hand.ray_origin, hand.ray_direction, settings_.reach_metres);
    if (button && ring_looked_at_ && (!hit || button_distance < hit->distance)) {
      // The ring hangs in front of everything: its buttons answer the trigger.
      pointer.on_button = true;
      pointer.to = hand.ray_origin + hand.ray_direction * button_distance;
      ring_[*button].pointed_at = true;
      hand_on_ring = true;
      if (hand.select_pressed) {
        press(ring_[*button].action, false);
        pulses_[index] = true;
      }
    } else {
      pointer.on_exhibit = hit.has_value();
      pointer.to = hand.ray_origin + hand.ray_direction * (hit ? hit->distance : settings_.reach_metres);
      if (hand.select_pressed) {
        // Pressing at nothing puts the selection down.
        select(hit ? std::optional(hit->exhibit) : std::nullopt);
        pulses_[index] = hit.has_value();
      }
      // Squeezing the grip on an exhibit small enough to lift picks it up (and selects it).
      if (hand.grab_pressed && !hold_ && hit && exhibits_[hit->exhibit].radius <= settings_.max_lift_radius_metres) {
        hold_ = Hold{hit->exhibit, index, hand.grip_to_world};
        select(hit->exhibit);
        pulses_[index] = true;
        ++counters_.grabs;
      }
    }
    if (hand.menu_pressed) return_to_start();
    move_and_turn(input, index);
  }

  carry(input);

  // The eyes press the ring's buttons whether or not controllers are tracked (one may lie on a
  // table while the visitor's hands are busy): they look down at one for a moment. Not while a
  // hand's ray is on the ring: that hand is pressing, and the eyes follow it there.
  float button_distance = 0.0f;
  const auto looked_at_button = ring_hit(input.head_position, input.head_forward, button_distance);
  dwell_on_ring(hand_on_ring ? std::nullopt : looked_at_button, seconds);
  for (size_t index = 0; index < ring_buttons; ++index) {
    RingButton& button = ring_[index];
    button.pointed_at = button.pointed_at || looked_at_button == index;
    button.dwell_progress =
        looked_at_button == index && ring_armed_ ? std::min(1.0f, ring_dwelt_ / settings_.dwell_seconds) : 0.0f;
    button.on = button.action == RingAction::toggle_text && text_shown_;
  }

  gaze_ = {};
  if (input.any_hand_tracked() || looked_at_button) {
    gazed_.reset();
    dwelt_ = 0.0f;
    if (input.any_hand_tracked()) return;
    gaze_.shown = true;
    gaze_.on_button = true;
    gaze_.from = input.head_position;
    gaze_.to = input.head_position + input.head_forward * button_distance;
    return;
  }
  // No controllers: the eyes point.
  const auto hit = scene::first_exhibit_hit(exhibits_, input.head_position, input.head_forward, settings_.reach_metres);
  gaze_.shown = true;
  gaze_.from = input.head_position;
  gaze_.on_exhibit = hit.has_value();
  gaze_.to = input.head_position + input.head_forward * (hit ? hit->distance : settings_.reach_metres);
  const std::optional<uint32_t> looked_at = hit ? std::optional(hit->exhibit) : std::nullopt;
  if (looked_at != gazed_) {
    gazed_ = looked_at;
    dwelt_ = 0.0f;
  }
  if (!gazed_ || gazed_ == selected_) return;
  dwelt_ += seconds;
  if (dwelt_ >= settings_.dwell_seconds) select(gazed_, true);
}

void HeadsetInteraction::place_ring(const xr::HeadsetInput& input, float seconds) {
  // In the stage, so that a snap turn or a teleport carries the ring along with the view.
  const glm::mat4 world_to_stage = glm::inverse(stage_to_world_);
  const glm::vec3 head = glm::vec3(world_to_stage * glm::vec4(input.head_position, 1.0f));
  const glm::vec3 forward = glm::vec3(world_to_stage * glm::vec4(input.head_forward, 0.0f));
  const float head_yaw = std::atan2(-forward.x, -forward.z);
  ring_looked_at_ = forward.y < std::sin(ring_in_use_below_radians);
  const float behind = wrapped(head_yaw - follow_yaw_);
  if (!follow_placed_ || (settings_.reduced_motion && std::abs(behind) > follow_dead_zone_radians)) {
    follow_yaw_ = head_yaw;
    follow_placed_ = true;
    following_ = false;
  } else {
    if (std::abs(behind) > follow_dead_zone_radians) following_ = true;
    if (following_) {
      follow_yaw_ = wrapped(follow_yaw_ + behind * std::min(1.0f, seconds * follow_rate_per_second));
      following_ = std::abs(wrapped(head_yaw - follow_yaw_)) > follow_settled_radians;
    }
  }
  follow_to_world_ =
      stage_to_world_ * glm::rotate(glm::translate(glm::mat4(1.0f), head), follow_yaw_, glm::vec3(0, 1, 0));
  for (size_t index = 0; index < ring_buttons; ++index) {
    const float yaw = (3.0f - static_cast<float>(index)) * ring_spacing_radians;  // the first on the left
    const glm::vec3 direction(-std::sin(yaw) * std::cos(ring_pitch_radians), std::sin(ring_pitch_radians),
                              -std::cos(yaw) * std::cos(ring_pitch_radians));
    RingButton& button = ring_[index];
    button.action = ring_order[index];
    button.centre = glm::vec3(follow_to_world_ * glm::vec4(direction * ring_distance_metres, 1.0f));
    button.radius = ring_button_radius_metres;
    button.pointed_at = false;
  }
}

std::optional<size_t> HeadsetInteraction::ring_hit(const glm::vec3& from, const glm::vec3& direction,
                                                   float& distance) const {
  std::optional<size_t> nearest;
  for (size_t index = 0; index < ring_buttons; ++index) {
    const glm::vec3 to_centre = ring_[index].centre - from;
    const float along = glm::dot(to_centre, direction);
    if (along <= 0.0f || (nearest && along >= distance)) continue;
    if (glm::dot(to_centre, to_centre) - along * along > ring_[index].radius * ring_[index].radius) continue;
    nearest = index;
    distance = along;
  }
  return nearest;
}

void HeadsetInteraction::dwell_on_ring(std::optional<size_t> looked_at, float seconds) {
  if (looked_at != ring_gazed_) {
    ring_gazed_ = looked_at;
    ring_dwelt_ = 0.0f;
    ring_armed_ = true;
  }
  if (!ring_gazed_ || !ring_armed_) return;
  ring_dwelt_ += seconds;
  if (ring_dwelt_ < settings_.dwell_seconds) return;
  ring_armed_ = false;
  ring_dwelt_ = 0.0f;
  press(ring_[*ring_gazed_].action, true);
}

void HeadsetInteraction::press(RingAction action, bool by_gaze) {
  ++counters_.ring_presses;
  switch (action) {
    case RingAction::turn_left: turn(false, head_); break;
    case RingAction::turn_right: turn(true, head_); break;
    case RingAction::back_to_start: return_to_start(); break;
    case RingAction::toggle_text: text_shown_ = !text_shown_; break;
    case RingAction::go_to_exhibit: go_to_selected(); break;
    case RingAction::previous_exhibit: step_through_exhibits(-1, by_gaze); break;
    case RingAction::next_exhibit: step_through_exhibits(1, by_gaze); break;
  }
}

void HeadsetInteraction::step_through_exhibits(int direction, bool by_gaze) {
  // Every exhibit in turn, leaving out the one the visitor stands in (the room).
  const auto count = static_cast<int>(exhibits_.size());
  int index = selected_ ? static_cast<int>(*selected_) : (direction > 0 ? -1 : count);
  for (int step = 0; step < count; ++step) {
    index = (index + direction + count) % count;
    const scene::Exhibit& exhibit = exhibits_[static_cast<size_t>(index)];
    if (glm::distance(exhibit.position, head_) <= exhibit.radius) continue;
    select(static_cast<uint32_t>(index), by_gaze);
    return;
  }
}

void HeadsetInteraction::go_to_selected() {
  if (!selected_) return;
  const scene::Exhibit& exhibit = exhibits_[*selected_];
  const float floor = stage_to_world_[3].y;
  glm::vec3 away = head_ - exhibit.position;
  away.y = 0.0f;
  const float stand_at = exhibit.radius + go_to_gap_metres;
  if (glm::length(away) <= stand_at) return;  // already there
  const glm::vec3 landing = exhibit.position + glm::normalize(away) * stand_at;
  teleport(glm::vec3(landing.x, floor, landing.z), head_);
}

void HeadsetInteraction::teleport(const glm::vec3& landing, const glm::vec3& head) {
  glm::vec3 head_on_floor = head;
  head_on_floor.y = landing.y;
  stage_to_world_ = glm::translate(glm::mat4(1.0f), landing - head_on_floor) * stage_to_world_;
  ++counters_.teleports;
  moved();
}

void HeadsetInteraction::return_to_start() {
  stage_to_world_ = start_;
  follow_placed_ = false;  // the scene's start comes to the visitor: the ring hangs ahead again
  ++counters_.returns_to_start;
  moved();
}

void HeadsetInteraction::moved() {
  if (!settings_.reduced_motion) return;
  vignette_left_ = settings_.vignette_seconds;
  ++counters_.vignettes;
}

void HeadsetInteraction::turn(bool right, const glm::vec3& head) {
  // Turning right is a negative turn about +Y, about the visitor's own head.
  const float angle = glm::radians(right ? -settings_.snap_turn_degrees : settings_.snap_turn_degrees);
  glm::vec3 pivot = head;
  pivot.y = 0.0f;
  stage_to_world_ = glm::translate(glm::mat4(1.0f), pivot) * glm::rotate(glm::mat4(1.0f), angle, glm::vec3(0, 1, 0)) *
                    glm::translate(glm::mat4(1.0f), -pivot) * stage_to_world_;
  ++counters_.turns;
  moved();
}

void HeadsetInteraction::carry(const xr::HeadsetInput& input) {
  put_back_.reset();
  if (!hold_) return;
  const xr::HandInput& holder = input.hands[hold_->hand];
  if (!holder.tracked || !holder.grab) {
    // Let go (or the controller lost): it goes back to where it stood, as a museum's would.
    put_back_ = hold_->exhibit;
    hold_.reset();
    held_.reset();
    return;
  }
  // Rigidly with the hand: as the grip has moved and turned since it closed.
  held_ = HeldExhibit{hold_->exhibit, holder.grip_to_world * glm::inverse(hold_->grip_at_grab)};
}

void HeadsetInteraction::move_and_turn(const xr::HeadsetInput& input, size_t index) {
  const xr::HandInput& hand = input.hands[index];
  Pointer& pointer = hands_[index];
  const glm::vec2 stick = hand.thumbstick;
  const float floor = stage_to_world_[3].y;

  // Forward aims a teleport along the ray down to the floor; letting go goes there.
  if (stick.y > stick_pushed) aiming_[index] = true;
  if (aiming_[index]) {
    pointer.aiming_teleport = true;
    const float drop = hand.ray_origin.y - floor;
    const float down = -hand.ray_direction.y;
    const glm::vec3 landing = down > 0.0f ? hand.ray_origin + hand.ray_direction * (drop / down) : pointer.to;
    glm::vec3 head_on_floor = input.head_position;
    head_on_floor.y = floor;
    pointer.teleport_possible = down > 0.0f && glm::distance(landing, head_on_floor) <= settings_.teleport_reach_metres;
    if (pointer.teleport_possible) pointer.to = landing;
    if (stick.y < stick_released) {
      aiming_[index] = false;
      if (pointer.teleport_possible) teleport(landing, input.head_position);
    }
    return;
  }

  if (std::abs(stick.x) < stick_released) turn_armed_[index] = true;
  if (!turn_armed_[index] || std::abs(stick.x) < stick_pushed) return;
  turn_armed_[index] = false;
  turn(stick.x > 0.0f, input.head_position);
}

}  // namespace pavilion::interaction

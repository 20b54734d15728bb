#include "pavilion/interaction/headset.h"

#include "pavilion/scene/picking.h"

#include <glm/gtc/matrix_transform.hpp>

#include <algorithm>

namespace pavilion::interaction {
namespace {

// A stick pushed past this counts; it must come back under the release before it counts again,
// so one flick is one turn.
constexpr float stick_pushed = 0.7f;
constexpr float stick_released = 0.3f;

}  // namespace

HeadsetInteraction::HeadsetInteraction(std::span<const scene::Exhibit> exhibits, const glm::mat4& start,
                                       const InteractionSettings& settings)
    : exhibits_(exhibits), start_(start), stage_to_world_(start), settings_(settings) {}

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
  for (size_t index = 0; index < 2; ++index) {
    const xr::HandInput& hand = input.hands[index];
    Pointer& pointer = hands_[index];
    pointer = {};
    if (!hand.tracked) continue;
    pointer.shown = true;
    pointer.from = hand.ray_origin;
    const auto hit = scene::first_exhibit_hit(exhibits_, hand.ray_origin, hand.ray_direction, settings_.reach_metres);
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
    if (hand.menu_pressed) {
      stage_to_world_ = start_;
      ++counters_.returns_to_start;
    }
    move_and_turn(input, index);
  }

  carry(input);

  gaze_ = {};
  if (input.any_hand_tracked()) {
    gazed_.reset();
    dwelt_ = 0.0f;
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
      if (pointer.teleport_possible) {
        stage_to_world_ = glm::translate(glm::mat4(1.0f), landing - head_on_floor) * stage_to_world_;
        ++counters_.teleports;
      }
    }
    return;
  }

  if (std::abs(stick.x) < stick_released) turn_armed_[index] = true;
  if (!turn_armed_[index] || std::abs(stick.x) < stick_pushed) return;
  turn_armed_[index] = false;
  // Turning right is a negative turn about +Y, about the visitor's own head.
  const float angle = glm::radians(stick.x > 0.0f ? -settings_.snap_turn_degrees : settings_.snap_turn_degrees);
  glm::vec3 pivot = input.head_position;
  pivot.y = 0.0f;
  stage_to_world_ = glm::translate(glm::mat4(1.0f), pivot) * glm::rotate(glm::mat4(1.0f), angle, glm::vec3(0, 1, 0)) *
                    glm::translate(glm::mat4(1.0f), -pivot) * stage_to_world_;
  ++counters_.turns;
}

}  // namespace pavilion::interaction

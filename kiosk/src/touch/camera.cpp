// The camera's glide along the attract path or to the exhibit shown, or in calm mode its cuts.
#include "kiosk_state.h"
#include "touch/widgets.h"
#include "interface/style.h"
#include "pavilion/core/log.h"
#include "pavilion/kiosk/palette.h"
#include "pavilion/kiosk/strings.h"

#include <fmt/format.h>
#include <imgui.h>

#include <algorithm>
#include <array>
#include <cmath>

namespace pavilion::kiosk {
namespace {

// Calm mode's attract loop: the path's viewpoints as still shots, each held until the next one's
// time and then cut to.
scene::CameraKey still_shot(const scene::CameraPath& path, float seconds) {
  const auto after = std::upper_bound(path.keys.begin(), path.keys.end(), seconds,
                                      [](float time, const scene::CameraKey& key) { return time < key.time; });
  return after == path.keys.begin() ? path.keys.front() : *std::prev(after);
}

}  // namespace

void Kiosk::State::update_camera(double seconds) {
  glm::vec3 wanted_eye = camera.eye;
  glm::vec3 wanted_target = camera.look_at;
  if (!stage.shown_entry) return;
  const bool calm = visit.settings.calm;
  const ContentEntry& entry = content.entries()[*stage.shown_entry];
  if (screen == Screen::exhibit && stage.shown_exhibit < entry.exhibits.size()) {
    const float eye_height = visit.settings.seated ? scene::seated_eye_height : scene::standing_eye_height;
    const scene::ExhibitFraming framing =
        scene::frame_exhibit(entry.exhibits[stage.shown_exhibit], entry.viewpoints, camera.orbit_yaw, eye_height);
    // Look a little to the right of the exhibit, so it stands clear of the info panel on the right.
    const glm::vec3 aside = framing.right * (framing.distance * 0.22f);
    wanted_target = framing.target + aside;
    wanted_eye = framing.eye + aside;
  } else if (entry.attract_path.keys.size() >= 2) {
    camera.attract_time += seconds;
    const float duration = entry.attract_path.duration();
    const auto along = static_cast<float>(std::fmod(camera.attract_time, duration));
    const scene::CameraKey key = calm ? still_shot(entry.attract_path, along) : scene::sample(entry.attract_path, along);
    wanted_eye = key.position;
    wanted_target = key.target;
    if (screen == Screen::attract && schedule.active.size() > 1 && camera.attract_time >= duration && !stage.requested && !stage.loading.valid()) {
      camera.attract_position = (camera.attract_position + 1) % schedule.active.size();
      request_scene(schedule.active[camera.attract_position], std::nullopt, false);
    }
  } else if (!entry.viewpoints.empty()) {
    wanted_eye = entry.viewpoints[0].position;
    wanted_target = entry.viewpoints[0].target;
  }
  // A show's camera move is the view while it runs: smooth by itself, or in calm mode a cut to
  // where it ends (show/kiosk_show.cpp).
  if (camera.show_pose && screen != Screen::exhibit) {
    camera.eye = camera.show_pose->position;
    camera.look_at = camera.show_pose->target;
    camera.placed = true;
    return;
  }
  // Calm mode (reduced motion) cuts to where the camera should be; otherwise it glides there by
  // exponential smoothing, quick but never a jump.
  if (!camera.placed || calm) {
    camera.eye = wanted_eye;
    camera.look_at = wanted_target;
    camera.placed = true;
    return;
  }
  const float blend = 1.0f - std::exp(-4.0f * static_cast<float>(seconds));
  camera.eye += (wanted_eye - camera.eye) * blend;
  camera.look_at += (wanted_target - camera.look_at) * blend;
}

}  // namespace pavilion::kiosk

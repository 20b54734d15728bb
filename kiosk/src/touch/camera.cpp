// The camera's glide along the attract path or to the exhibit shown.
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

void Kiosk::State::update_camera(double seconds) {
  glm::vec3 wanted_eye = camera.eye;
  glm::vec3 wanted_target = camera.look_at;
  if (!stage.shown_entry) return;
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
    // Calm mode moves at half speed.
    camera.attract_time += visit.settings.calm ? seconds * 0.5 : seconds;
    const float duration = entry.attract_path.duration();
    const scene::CameraKey key = scene::sample(entry.attract_path, static_cast<float>(std::fmod(camera.attract_time, duration)));
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
  if (!camera.placed) {
    camera.eye = wanted_eye;
    camera.look_at = wanted_target;
    camera.placed = true;
    return;
  }
  // Exponential smoothing: quick but never a jump; calm mode glides more slowly.
  const float rate = visit.settings.calm ? 1.5f : 4.0f;
  const float blend = 1.0f - std::exp(-rate * static_cast<float>(seconds));
  camera.eye += (wanted_eye - camera.eye) * blend;
  camera.look_at += (wanted_target - camera.look_at) * blend;
}

}  // namespace pavilion::kiosk

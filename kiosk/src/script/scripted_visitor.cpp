// The scripted visitor's steps, one frame's worth at a time, and its screenshots.
#include "kiosk_state.h"
#include "touch/widgets.h"
#include "interface/style.h"
#include "pavilion/core/log.h"
#include "pavilion/core/png.h"
#include "pavilion/kiosk/palette.h"
#include "pavilion/kiosk/strings.h"

#include <fmt/format.h>
#include <imgui.h>

#include <algorithm>
#include <array>
#include <cmath>

namespace pavilion::kiosk {

// Plays the script up to the next thing that needs a frame. Returns false when it has ended.
bool Kiosk::State::advance_script() {
  if (scripted.tap_phase == ScriptedVisitor::TapPhase::pressed) {
    touch.pointer.down = false;
    touch.second_finger = {0, 0, false, false};
    scripted.tap_phase = ScriptedVisitor::TapPhase::released;
    return true;
  }
  if (scripted.tap_phase == ScriptedVisitor::TapPhase::released) {
    // One frame with the finger lifted lets what the tap opened settle into place (ImGui sizes
    // a new window on its first frame) before the next step looks for its controls.
    touch.pointer.present = false;
    scripted.tap_phase = ScriptedVisitor::TapPhase::none;
    return true;
  }
  if (scripted.drag) {
    const ScriptedVisitor::Drag& drag = *scripted.drag;
    const double along = std::min(1.0, (now - drag.started) / drag.seconds);
    touch.pointer.x = drag.from_x + drag.by_x * static_cast<float>(along);
    touch.pointer.y = drag.from_y + drag.by_y * static_cast<float>(along);
    // Held still for a frame at the end, then lifted as a tap is.
    if (along >= 1.0) {
      scripted.drag.reset();
      scripted.tap_phase = ScriptedVisitor::TapPhase::pressed;
    }
    return true;
  }
  if (scripted.pinch) {
    const ScriptedVisitor::Pinch& pinch = *scripted.pinch;
    const double along = std::min(1.0, (now - pinch.started) / pinch.seconds);
    const float half = 0.5f * (pinch.from + (pinch.to - pinch.from) * static_cast<float>(along));
    touch.pointer = {pinch.centre_x - half, pinch.centre_y, true, true};
    touch.second_finger = {pinch.centre_x + half, pinch.centre_y, true, true};
    if (along >= 1.0) {
      scripted.pinch.reset();
      scripted.tap_phase = ScriptedVisitor::TapPhase::pressed;
    }
    return true;
  }
  // A keypad select taps the focused control over three frames; the next step waits for it.
  if (access.tap_phase != Access::TapPhase::none) return true;
  if (now < scripted.wait_until) return true;
  while (!scripted.stack.empty()) {
    ScriptedVisitor::Cursor& cursor = scripted.stack.back();
    if (cursor.next >= cursor.steps->size()) {
      if (--cursor.rounds_left > 0) {
        cursor.next = 0;
      } else {
        scripted.stack.pop_back();
      }
      continue;
    }
    const ScriptStep& step = (*cursor.steps)[cursor.next++];
    if (const auto* wait = std::get_if<WaitStep>(&step)) {
      scripted.wait_until = now + wait->seconds;
      return true;
    }
    if (const auto* tap = std::get_if<TapStep>(&step)) {
      float x = tap->x;
      float y = tap->y;
      if (!tap->control.empty()) {
        const Control* found = touch.find(tap->control);
        if (found == nullptr) {
          report.script_failures.push_back(fmt::format("at {:.1f} s there is no control '{}' on the {} screen", now,
                                                       tap->control, to_string(screen)));
          continue;
        }
        x = (found->min_x + found->max_x) * 0.5f;
        y = (found->min_y + found->max_y) * 0.5f;
      }
      touch.pointer = {x, y, true, true};
      scripted.tap_phase = ScriptedVisitor::TapPhase::pressed;
      return true;
    }
    if (const auto* drag = std::get_if<DragStep>(&step)) {
      float x = drag->x;
      float y = drag->y;
      if (!drag->control.empty()) {
        const Control* found = touch.find(drag->control);
        if (found == nullptr) {
          report.script_failures.push_back(fmt::format("at {:.1f} s there is no control '{}' to drag on the {} screen", now,
                                                       drag->control, to_string(screen)));
          continue;
        }
        x = (found->min_x + found->max_x) * 0.5f;
        y = (found->min_y + found->max_y) * 0.5f;
      }
      touch.pointer = {x, y, true, true};
      scripted.drag = ScriptedVisitor::Drag{x, y, drag->by_x, drag->by_y, now, drag->seconds};
      return true;
    }
    if (const auto* pinch = std::get_if<PinchStep>(&step)) {
      float x = pinch->x;
      float y = pinch->y;
      if (!pinch->control.empty()) {
        const Control* found = touch.find(pinch->control);
        if (found == nullptr) {
          report.script_failures.push_back(fmt::format("at {:.1f} s there is no control '{}' to pinch on the {} screen", now,
                                                       pinch->control, to_string(screen)));
          continue;
        }
        x = (found->min_x + found->max_x) * 0.5f;
        y = (found->min_y + found->max_y) * 0.5f;
      }
      touch.pointer = {x - 0.5f * pinch->from, y, true, true};
      touch.second_finger = {x + 0.5f * pinch->from, y, true, true};
      scripted.pinch = ScriptedVisitor::Pinch{x, y, pinch->from, pinch->to, now, pinch->seconds};
      return true;
    }
    if (const auto* shot = std::get_if<ScreenshotStep>(&step)) {
      scripted.screenshot_wanted = true;
      scripted.screenshot_name = shot->file.string();
      return true;
    }
    if (const auto* expect = std::get_if<ExpectStep>(&step)) {
      const std::string_view shown = visit.session.phase() == VisitorSession::Phase::still_there ? "still-there" : to_string(screen);
      if (expect->screen != shown) {
        report.script_failures.push_back(
            fmt::format("at {:.1f} s the kiosk shows the {} screen, not {}", now, shown, expect->screen));
      }
      continue;
    }
    if (const auto* key = std::get_if<KeyStep>(&step)) {
      press_key(key->key);
      return true;
    }
    if (const auto* focus = std::get_if<ExpectFocusStep>(&step)) {
      if (access.ring.name() != focus->control) {
        report.script_failures.push_back(fmt::format("at {:.1f} s the focus is on '{}', not '{}'", now,
                                                     access.ring.name(), focus->control));
      }
      continue;
    }
    if (std::holds_alternative<LoseDeviceStep>(step)) {
      scripted.lose_device_next_frame = true;
      continue;
    }
    if (const auto* repeat = std::get_if<RepeatStep>(&step)) {
      if (!repeat->steps.empty()) scripted.stack.push_back({&repeat->steps, 0, repeat->times});
      continue;
    }
  }
  return false;
}

Result<void> Kiosk::State::take_screenshot() {
  PV_TRY(display.renderer->wait_idle());
  std::optional<ImageRgba8> image;
  if (display.window) {
    image = display.window->take_screenshot();
  } else {
    image = display.offscreen->read_pixels();
  }
  if (!image) return Error(ErrorCode::internal, "taking a screenshot", "the window had no frame to copy");
  const std::filesystem::path file = options.screenshot_folder / scripted.screenshot_name;
  PV_TRY(write_png(file, *image));
  report.screenshots.push_back(file.string());
  log::info("kiosk", "screenshot {}", file.string());
  return {};
}

}  // namespace pavilion::kiosk

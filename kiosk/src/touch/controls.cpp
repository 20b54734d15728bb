// Named touch targets: drawn, found by name, checked against the 9 mm minimum.
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

constexpr float min_target_mm = 9.0f;  // WCAG 2.2's target size, on a kiosk's screen

}  // namespace

void TouchControls::read_window(const render::WindowInput& input) {
  const bool mouse_moved = input.cursor_x != mouse_x || input.cursor_y != mouse_y || input.primary_button;
  mouse_x = input.cursor_x;
  mouse_y = input.cursor_y;
  const render::TouchPoint& first = input.touches[0];
  const render::TouchPoint& second = input.touches[1];
  if (std::any_of(input.touches.begin(), input.touches.end(), [](const render::TouchPoint& point) { return point.present; })) {
    pointer = {static_cast<float>(first.x), static_cast<float>(first.y), first.down, first.present};
    second_finger = {static_cast<float>(second.x), static_cast<float>(second.y), second.down, second.down};
    touch_was_pointer = true;
    return;
  }
  second_finger = {0, 0, false, false};
  if (touch_was_pointer && !mouse_moved) {
    pointer.down = false;
    pointer.present = false;
    return;
  }
  touch_was_pointer = false;
  pointer = {static_cast<float>(input.cursor_x), static_cast<float>(input.cursor_y), input.primary_button, true};
}

const Control* TouchControls::find(std::string_view name) const {
  const auto end = controls.begin() + static_cast<ptrdiff_t>(count);
  const auto found = std::find_if(controls.begin(), end, [&](const Control& control) { return control.name == name; });
  return found == end ? nullptr : &*found;
}

bool TouchControls::hit(std::string_view name, float x, float y) const {
  const Control* control = find(name);
  return control != nullptr && x >= control->min_x && x < control->max_x && y >= control->min_y && y < control->max_y;
}

bool Kiosk::State::button(const char* name, std::string_view text, float width, float height, bool accent,
                          std::string_view spoken) {
  const Palette& colors = palette(visit.settings.high_contrast);
  if (accent) {
    ImGui::PushStyleColor(ImGuiCol_Button, color4(colors.accent));
    ImGui::PushStyleColor(ImGuiCol_ButtonHovered, color4(colors.accent));
    ImGui::PushStyleColor(ImGuiCol_Text, color4(colors.accent_text));
  } else {
    ImGui::PushStyleColor(ImGuiCol_Text, color4(colors.button_text));
  }
  ImGui::PushID(name);
  const bool pressed = display.ui->wrapper().button(text, ImVec2(width, height));
  ImGui::PopID();
  ImGui::PopStyleColor(accent ? 3 : 1);

  const ImVec2 min = ImGui::GetItemRectMin();
  const ImVec2 max = ImGui::GetItemRectMax();
  if (touch.count == touch.controls.size()) touch.controls.emplace_back();
  Control& control = touch.controls[touch.count++];
  control.name = name;
  control.min_x = min.x;
  control.min_y = min.y;
  control.max_x = max.x;
  control.max_y = max.y;
  control.spoken = spoken.empty() ? text : spoken;  // within the capacity a slot already has: no allocation
  const float min_pixels = min_target_mm * static_cast<float>(config.pixels_per_mm);
  if ((max.x - min.x < min_pixels || max.y - min.y < min_pixels) &&
      std::find(report.undersized_controls.begin(), report.undersized_controls.end(), name) ==
          report.undersized_controls.end()) {
    report.undersized_controls.emplace_back(name);
  }
  return pressed;
}

bool Kiosk::State::invisible_button(const char* name, float width, float height, std::string_view spoken) {
  ImGui::PushStyleVar(ImGuiStyleVar_FrameBorderSize, 0.0f);
  ImGui::PushStyleColor(ImGuiCol_Button, ImVec4(0, 0, 0, 0));
  ImGui::PushStyleColor(ImGuiCol_ButtonActive, ImVec4(0, 0, 0, 0));
  ImGui::PushStyleColor(ImGuiCol_ButtonHovered, ImVec4(0, 0, 0, 0));
  const bool pressed = button(name, "", width, height, false, spoken);
  ImGui::PopStyleColor(3);
  ImGui::PopStyleVar();
  return pressed;
}

}  // namespace pavilion::kiosk

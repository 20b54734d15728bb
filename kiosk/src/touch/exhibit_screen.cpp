// The exhibit screen: the exhibit kind's own view (a poem's scroll) or the info panel, and the
// bar along the bottom; dragging the scene turns the exhibit.
#include "kiosk_state.h"
#include "access/spoken_text.h"
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

void Kiosk::State::draw_exhibit() {
  const ImVec2 size = ImGui::GetIO().DisplaySize;
  const float scale = ui_scale();
  const Language language = visit.settings.language;
  if (!stage.shown_entry || stage.shown_exhibit >= content.entries()[*stage.shown_entry].exhibits.size()) return;
  const ContentEntry& entry = content.entries()[*stage.shown_entry];
  const scene::Exhibit& shown = entry.exhibits[stage.shown_exhibit];

  const float panel_width = size.x * 0.36f;
  const float bar_height = 96 * scale * target_scale();
  player_for(shown).draw(shown, panel_width, bar_height);

  // The bar along the bottom.
  ImGui::SetNextWindowPos(ImVec2(0, size.y - bar_height));
  ImGui::SetNextWindowSize(ImVec2(size.x, bar_height));
  ImGui::Begin("exhibit-bar", nullptr, ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings);
  const float button_height = bar_height - 2 * ImGui::GetStyle().WindowPadding.y;
  // Six buttons: they narrow before they overlap when the text is large.
  const float button_width = std::min(180 * scale * std::min(visit.settings.text_scale, 1.4f),
                                      (size.x - 40 * scale) / 6 - ImGui::GetStyle().ItemSpacing.x);
  if (button("home", text(Text::home, language), button_width, button_height, true)) go_home();
  ImGui::SameLine();
  const auto count = static_cast<uint32_t>(entry.exhibits.size());
  if (button("previous", text(Text::previous_exhibit, language), button_width, button_height)) {
    open_exhibit(*stage.shown_entry, (stage.shown_exhibit + count - 1) % count, true);
  }
  ImGui::SameLine();
  if (button("next", text(Text::next_exhibit, language), button_width, button_height)) {
    open_exhibit(*stage.shown_entry, (stage.shown_exhibit + 1) % count, true);
  }
  ImGui::SameLine();
  // The exhibit's audio description, read aloud on request (for anyone; its words say so).
  if (button("describe", text(Text::audio_description_heading, language), button_width, button_height, false,
             spoken(Spoken::hear_description, language))) {
    speak_description(shown, true);
  }
  ImGui::SameLine(size.x - 2 * button_width - 40 * scale);
  if (button("language", text(Text::other_language, language), button_width, button_height, false,
             spoken(Spoken::switch_language, language))) {
    switch_language();
  }
  ImGui::SameLine();
  if (button("accessibility", text(Text::accessibility, language), button_width, button_height)) visit.accessibility_open = true;
  ImGui::End();

  // Dragging the scene turns the exhibit.
  const ImGuiIO& io = ImGui::GetIO();
  if (touch.pointer.present && touch.pointer.down && !io.WantCaptureMouse && !visit.accessibility_open &&
      !player_for(shown).holds_pointer()) {
    if (touch.dragging_scene) camera.orbit_yaw -= (touch.pointer.x - touch.drag_last_x) * 0.006f;
    touch.dragging_scene = true;
    touch.drag_last_x = touch.pointer.x;
  } else {
    touch.dragging_scene = false;
  }
}

}  // namespace pavilion::kiosk

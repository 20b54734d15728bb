// Every exhibit's panel: what it is, in Dublin Core's terms (a model exhibit shows nothing else).
#include "exhibits/model/model_player.h"

#include "kiosk_state.h"
#include "touch/widgets.h"
#include "interface/style.h"
#include "pavilion/core/log.h"
#include "pavilion/kiosk/palette.h"
#include "pavilion/kiosk/strings.h"

#include <fmt/format.h>
#include <imgui.h>
#include <imgui_internal.h>

#include <algorithm>
#include <array>
#include <cmath>

namespace pavilion::kiosk {

void ModelPlayer::draw(const scene::Exhibit& shown, float panel_width, float bar_height) {
  kiosk_.draw_exhibit_info(shown, panel_width, bar_height, nullptr);
}

void Kiosk::State::draw_panel_text(std::string_view words) { draw_read_text(display.ui->wrapper(), report.panel_text, words); }

void Kiosk::State::draw_panel_heading(std::string_view words) {
  draw_read_heading(color4(palette(visit.settings.high_contrast).muted_text), report.panel_text, words);
}

void Kiosk::State::draw_panel_row(Text name, const std::string& value) {
  if (value.empty()) return;
  draw_panel_heading(text(name, visit.settings.language));
  ImGui::SameLine();
  draw_panel_text(value);
}

void Kiosk::State::draw_exhibit_info(const scene::Exhibit& shown, float panel_width, float bar_height, ExhibitPlayer* player) {
  const ImVec2 size = ImGui::GetIO().DisplaySize;
  const Language language = visit.settings.language;
  float info_height = size.y - bar_height;
  if (player && visit.settings.lower_layout) {
    // In the lower layout the player's controls stand at the panel's foot, in reach, on a card of
    // their own; what the exhibit is fills a card above them.
    ImGui::SetNextWindowPos(ImVec2(size.x - panel_width, size.y - bar_height), ImGuiCond_Always, ImVec2(0.0f, 1.0f));
    ImGui::SetNextWindowSize(ImVec2(panel_width, 0));
    ImGui::Begin("exhibit-controls", nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                     ImGuiWindowFlags_AlwaysAutoResize);
    player->draw_panel_controls();
    info_height -= ImGui::GetWindowHeight() + ImGui::GetStyle().ItemSpacing.y;
    ImGui::End();
  }
  // The panel on the right: what the exhibit is, in Dublin Core's terms.
  ImGui::SetNextWindowPos(ImVec2(size.x - panel_width, 0));
  ImGui::SetNextWindowSize(ImVec2(panel_width, info_height));
  ImGui::Begin("exhibit-info", nullptr, ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings);
  scroll_panel(shown);
  ImGui::PushTextWrapPos(0.0f);
  ImGui::PushFont(display.ui->title_font());
  draw_panel_text(pick(shown.metadata.title, language));
  ImGui::PopFont();
  draw_panel_row(Text::creator, pick(shown.metadata.creator, language));
  draw_panel_row(Text::date, pick(shown.metadata.date, language));
  if (player) player->draw_panel_rows();
  ImGui::Spacing();
  draw_description(shown);
  ImGui::Spacing();
  draw_panel_row(Text::rights, pick(shown.metadata.rights, language));
  draw_panel_row(Text::identifier, shown.metadata.identifier);
  if (visit.settings.audio_descriptions && !pick(shown.alt_text, language).empty()) {
    ImGui::Spacing();
    ImGui::Separator();
    draw_panel_heading(text(Text::audio_description_heading, language));
    draw_panel_text(pick(shown.alt_text, language));
  }
  if (player) player->draw_panel_footer();
  ImGui::PopTextWrapPos();
  draw_panel_scroll_bar();
  ImGui::End();
}

void Kiosk::State::scroll_panel(const scene::Exhibit& shown) {
  // Each exhibit's panel opens at its top.
  if (panel_scrolled_for != &shown) {
    ImGui::SetScrollY(0.0f);
    panel_scrolled_for = &shown;
  }
  // A touch screen has no wheel: a finger dragging the panel's text (not one of its buttons, which
  // it is pressing) scrolls it, as a visitor expects of a phone. A press on a window's own ground
  // makes its move ID the active one (even a window that does not move); a press on a button, the
  // button's.
  if (ImGui::GetActiveID() == ImGui::GetCurrentWindow()->MoveId && ImGui::IsMouseDragging(ImGuiMouseButton_Left)) {
    ImGui::SetScrollY(ImGui::GetScrollY() - ImGui::GetIO().MouseDelta.y);
  }
}

void Kiosk::State::draw_panel_scroll_bar() {
  // A panel longer than the screen: a thin bar at its right edge says there is more, and where in
  // it the visitor is.
  const float hidden = ImGui::GetScrollMaxY();
  if (hidden <= 0.0f) return;
  const ImVec2 origin = ImGui::GetWindowPos();
  const ImVec2 size = ImGui::GetWindowSize();
  const float inset = ImGui::GetStyle().WindowRounding;
  const float track = size.y - 2.0f * inset;
  const float length = std::max(track * size.y / (size.y + hidden), 24.0f * ui_scale());
  const float top = origin.y + inset + (track - length) * ImGui::GetScrollY() / hidden;
  const float width = 6.0f * ui_scale();
  const float right = origin.x + size.x - 0.5f * ImGui::GetStyle().WindowPadding.x + 0.5f * width;
  ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(right - width, top), ImVec2(right, top + length),
                                            color(palette(visit.settings.high_contrast).muted_text), 0.5f * width);
}

}  // namespace pavilion::kiosk

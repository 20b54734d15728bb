// The accessibility panel and the "still there?" question.
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

void Kiosk::State::draw_accessibility() {
  const ImVec2 size = ImGui::GetIO().DisplaySize;
  const float scale = ui_scale();
  const Language language = visit.settings.language;
  const float width = std::min(size.x - 40 * scale, 640 * scale * std::min(visit.settings.text_scale, 1.6f));
  ImGui::SetNextWindowPos(ImVec2(size.x * 0.5f, size.y * 0.5f), ImGuiCond_Always, ImVec2(0.5f, 0.5f));
  ImGui::SetNextWindowSize(ImVec2(width, 0));
  ImGui::Begin("accessibility-panel", nullptr,
               ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                   ImGuiWindowFlags_AlwaysAutoResize);
  ImGui::SetWindowFocus();
  ImGui::PushFont(display.ui->title_font());
  ImGui::TextUnformatted(text(Text::accessibility, language).data());
  ImGui::PopFont();
  const float row_height = 72 * scale;
  const float inner = ImGui::GetContentRegionAvail().x;
  std::array<char, 256> buffer;
  ImGui::TextUnformatted(label(buffer, "{}  {:.0f}%", text(Text::text_size, language), visit.settings.text_scale * 100.0f));
  if (button("text-smaller", "A−", row_height * 1.6f, row_height)) {
    visit.settings.text_scale = std::max(min_text_scale, visit.settings.text_scale - 0.25f);
    log_setting("text_scale", static_cast<int64_t>(std::lround(visit.settings.text_scale * 100.0f)));
  }
  ImGui::SameLine();
  if (button("text-larger", "A+", row_height * 1.6f, row_height)) {
    visit.settings.text_scale = std::min(max_text_scale, visit.settings.text_scale + 0.25f);
    log_setting("text_scale", static_cast<int64_t>(std::lround(visit.settings.text_scale * 100.0f)));
  }
  auto toggle = [&](const char* name, std::string_view logged_as, Text words, bool& value) {
    if (button(name, label(buffer, "{}{}", value ? "● " : "○ ", text(words, language)), inner, row_height, value)) {
      value = !value;
      log_setting(logged_as, value ? 1 : 0);
    }
  };
  toggle("high-contrast", "high_contrast", Text::high_contrast, visit.settings.high_contrast);
  toggle("audio-descriptions", "audio_descriptions", Text::audio_descriptions, visit.settings.audio_descriptions);
  toggle("calm", "calm", Text::calm_mode, visit.settings.calm);
  toggle("seated", "seated", Text::seated_mode, visit.settings.seated);
  toggle("audio-only", "audio_only", Text::audio_only, visit.settings.audio_only);
  if (button("accessibility-done", text(Text::done, language), inner, row_height, true)) visit.accessibility_open = false;
  ImGui::End();
}

void Kiosk::State::draw_still_there() {
  const Palette& colors = palette(visit.settings.high_contrast);
  const ImVec2 size = ImGui::GetIO().DisplaySize;
  const float scale = ui_scale();
  const Language language = visit.settings.language;
  // Dims the scene behind the question.
  ImGui::GetBackgroundDrawList()->AddRectFilled(ImVec2(0, 0), size, color(0x000000, 0.45f));
  ImGui::SetNextWindowPos(ImVec2(size.x * 0.5f, size.y * 0.5f), ImGuiCond_Always, ImVec2(0.5f, 0.5f));
  ImGui::SetNextWindowSize(ImVec2(std::min(size.x - 40 * scale, 620 * scale * std::min(visit.settings.text_scale, 1.6f)), 0));
  ImGui::Begin("still-there", nullptr,
               ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                   ImGuiWindowFlags_AlwaysAutoResize);
  ImGui::SetWindowFocus();
  ImGui::PushFont(display.ui->title_font());
  ImGui::TextUnformatted(text(Text::still_there, language).data());
  ImGui::PopFont();
  std::array<char, 256> buffer;
  const auto seconds_left = static_cast<int>(std::ceil(visit.session.seconds_left(now)));
  ImGui::TextColored(color4(colors.muted_text), "%s",
                     label(buffer, fmt::runtime(text(Text::returning_in, language)), seconds_left));
  // Any touch counts as "still here" (the session saw it); the button says so plainly.
  button("keep-exploring", text(Text::keep_exploring, language), ImGui::GetContentRegionAvail().x, 80 * scale, true);
  ImGui::End();
}

}  // namespace pavilion::kiosk

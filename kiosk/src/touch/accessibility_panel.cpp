// The accessibility panel and the "still there?" question.
#include "kiosk_state.h"
#include "access/spoken_text.h"
#include "touch/widgets.h"
#include "captions/captions_text.h"
#include "visit/time_and_reach_text.h"
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
  // The settings in a grid of three columns in the middle of the screen. In the lower layout the
  // panel spans the screen's foot, the heading, text size and "done" share its first row, and
  // the rows are kept low enough for every control to stay below 45 % of the screen's height:
  // that row and three of settings (nine at most).
  const bool lower = visit.settings.lower_layout;
  constexpr size_t columns = 3;
  constexpr float lower_rows = 4;
  const ImGuiStyle& style = ImGui::GetStyle();
  const float margin = 20 * scale;
  float row_height = 72 * scale * target_scale();
  if (lower) {
    const float reach = size.y * (1.0f - lower_layout_top) - margin - 2 * style.WindowPadding.y;
    row_height = std::min(64 * scale * target_scale(), (reach - (lower_rows - 1) * style.ItemSpacing.y) / lower_rows);
  }
  const float width = lower ? size.x - 2 * margin : std::min(size.x - 2 * margin, 1100 * scale);
  if (lower) {
    ImGui::SetNextWindowPos(ImVec2(size.x * 0.5f, size.y - margin), ImGuiCond_Always, ImVec2(0.5f, 1.0f));
  } else {
    ImGui::SetNextWindowPos(ImVec2(size.x * 0.5f, size.y * 0.5f), ImGuiCond_Always, ImVec2(0.5f, 0.5f));
  }
  ImGui::SetNextWindowSize(ImVec2(width, 0));
  ImGui::Begin("accessibility-panel", nullptr,
               ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                   ImGuiWindowFlags_AlwaysAutoResize);
  ImGui::SetWindowFocus();
  const float inner = ImGui::GetContentRegionAvail().x;
  const float cell_width = (inner - static_cast<float>(columns - 1) * style.ItemSpacing.x) / static_cast<float>(columns);
  ImGui::PushFont(display.ui->title_font());
  ImGui::TextUnformatted(text(Text::accessibility, language).data());
  ImGui::PopFont();
  std::array<char, 256> buffer;
  if (lower) ImGui::SameLine(0, 48 * scale);
  ImGui::TextUnformatted(label(buffer, "{}  {:.0f}%", text(Text::text_size, language), visit.settings.text_scale * 100.0f));
  if (lower) ImGui::SameLine();
  std::array<char, 256> said;  // the words spoken for a control whose face is a symbol, or with its state
  const auto percent = static_cast<int>(std::lround(visit.settings.text_scale * 100.0f));
  if (button("text-smaller", "A−", row_height * 1.6f, row_height, false,
             label(said, fmt::runtime(spoken(Spoken::text_smaller, language)), percent))) {
    visit.settings.text_scale = std::max(min_text_scale, visit.settings.text_scale - 0.25f);
    log_setting("text_scale", static_cast<int64_t>(std::lround(visit.settings.text_scale * 100.0f)));
  }
  ImGui::SameLine();
  if (button("text-larger", "A+", row_height * 1.6f, row_height, false,
             label(said, fmt::runtime(spoken(Spoken::text_larger, language)), percent))) {
    visit.settings.text_scale = std::min(max_text_scale, visit.settings.text_scale + 0.25f);
    log_setting("text_scale", static_cast<int64_t>(std::lround(visit.settings.text_scale * 100.0f)));
  }
  // The lower layout's first row ends with "done", drawn last (after the settings it closes).
  const ImVec2 done_corner(ImGui::GetWindowContentRegionMax().x - cell_width, ImGui::GetItemRectMin().y - ImGui::GetWindowPos().y);
  size_t cell = 0;
  const auto next_cell = [&] {
    if (cell++ % columns != 0) ImGui::SameLine();
  };
  const auto toggle = [&](const char* name, std::string_view logged_as, std::string_view words, bool& value) {
    next_cell();
    if (button(name, label(buffer, "{}{}", value ? "● " : "○ ", words), cell_width, row_height, value,
               label(said, fmt::runtime(spoken(value ? Spoken::state_on : Spoken::state_off, language)), words))) {
      value = !value;
      log_setting(logged_as, value ? 1 : 0);
      return true;
    }
    return false;
  };
  toggle("high-contrast", "high_contrast", text(Text::high_contrast, language), visit.settings.high_contrast);
  toggle("audio-descriptions", "audio_descriptions", text(Text::audio_descriptions, language), visit.settings.audio_descriptions);
  toggle("calm", "calm", text(Text::calm_mode, language), visit.settings.calm);
  toggle("seated", "seated", text(Text::seated_mode, language), visit.settings.seated);
  if (toggle("audio-only", "audio_only", text(Text::audio_only, language), visit.settings.audio_only) && visit.settings.audio_only) {
    extend_time_for_access();
  }
  toggle("lower-layout", "lower_layout", text(TimeAndReachText::lower_layout, language), visit.settings.lower_layout);
  toggle("captions", "captions", text(CaptionsText::captions, language), visit.settings.captions);
  toggle("simple", "simple", text(CaptionsText::simple_mode, language), visit.settings.simple);
  // Standard → ten times → no limit → standard.
  next_cell();
  const TimeChoice time = visit.settings.time;
  if (button("more-time", label(buffer, "{}{}", time == TimeChoice::standard ? "○ " : "● ", more_time_text(time, language)),
             cell_width, row_height, time != TimeChoice::standard, more_time_text(time, language))) {
    choose_time(time == TimeChoice::standard ? TimeChoice::ten_times
                : time == TimeChoice::ten_times ? TimeChoice::off
                                                : TimeChoice::standard);
  }
  // "Done": across the panel below the grid, or at the end of the lower layout's first row.
  if (lower) ImGui::SetCursorPos(done_corner);
  if (button("accessibility-done", text(Text::done, language), lower ? cell_width : inner, row_height, true)) {
    visit.accessibility_open = false;
  }
  ImGui::End();
}

void Kiosk::State::draw_still_there() {
  const Palette& colors = palette(visit.settings.high_contrast);
  const ImVec2 size = ImGui::GetIO().DisplaySize;
  const float scale = ui_scale();
  const Language language = visit.settings.language;
  // Dims the scene behind the question.
  ImGui::GetBackgroundDrawList()->AddRectFilled(ImVec2(0, 0), size, color(0x000000, 0.45f));
  // In the lower layout the question stands at the foot of the screen, its button in reach.
  if (visit.settings.lower_layout) {
    ImGui::SetNextWindowPos(ImVec2(size.x * 0.5f, size.y - 20 * scale), ImGuiCond_Always, ImVec2(0.5f, 1.0f));
  } else {
    ImGui::SetNextWindowPos(ImVec2(size.x * 0.5f, size.y * 0.5f), ImGuiCond_Always, ImVec2(0.5f, 0.5f));
  }
  ImGui::SetNextWindowSize(ImVec2(std::min(size.x - 40 * scale, 620 * scale * std::min(visit.settings.text_scale, 1.6f)), 0));
  ImGui::Begin("still-there", nullptr,
               ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                   ImGuiWindowFlags_AlwaysAutoResize);
  ImGui::SetWindowFocus();
  ImGui::PushFont(display.ui->title_font());
  ImGui::TextUnformatted(text(Text::still_there, language).data());
  ImGui::PopFont();
  std::array<char, 256> buffer;
  const auto seconds_left = static_cast<int>(std::ceil(visit.session.seconds_left(now, visit.settings.time)));
  ImGui::TextColored(color4(colors.muted_text), "%s",
                     label(buffer, fmt::runtime(text(Text::returning_in, language)), seconds_left));
  // Any touch counts as "still here" (the session saw it); the button says so plainly.
  button("keep-exploring", text(Text::keep_exploring, language), ImGui::GetContentRegionAvail().x, 80 * scale, true);
  ImGui::End();
}

}  // namespace pavilion::kiosk

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
  // panel spans the screen's foot and only its heading may stand above the reach line (45 % of
  // the screen's height): the text size and "done" share a row, and the settings below it come a
  // page at a time, as many rows as fit; with larger text, one setting a row, so that no label
  // wraps and no row grows past what was counted.
  const bool lower = visit.settings.lower_layout;
  const size_t columns = lower && visit.settings.text_scale > min_text_scale ? 1 : 3;
  const ImGuiStyle& style = ImGui::GetStyle();
  const float margin = 20 * scale;
  float row_height = 72 * scale * target_scale();
  size_t per_page = 0;  // settings a page; 0: all on one
  if (lower) {
    row_height = std::max(64 * scale * target_scale(), ImGui::GetFontSize() + 2 * style.FramePadding.y);
    const float reach = size.y * (1.0f - lower_layout_top) - margin - style.WindowPadding.y;
    const auto rows = static_cast<size_t>(std::floor((reach + style.ItemSpacing.y) / (row_height + style.ItemSpacing.y)));
    per_page = std::max<size_t>(1, rows - std::min<size_t>(rows, 1)) * columns;  // less the text size's row
  }
  const size_t page = lower ? visit.accessibility_page : 0;
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
  // The lower layout's row of text size goes on with the page arrows and ends with "done", drawn
  // after the settings (the order the keypad's focus follows).
  const float header_y = ImGui::GetItemRectMin().y - ImGui::GetWindowPos().y;
  const float header_x = ImGui::GetItemRectMax().x - ImGui::GetWindowPos().x + 3 * style.ItemSpacing.x;
  size_t cell = 0;
  // Whether the next setting is on the page shown; beside the one before unless it starts a row.
  const auto next_cell = [&] {
    const size_t index = cell++;
    const size_t on_page = per_page == 0 ? index : index % per_page;
    if ((per_page == 0 ? 0 : index / per_page) != page) return false;
    if (on_page % columns != 0) ImGui::SameLine();
    return true;
  };
  const auto toggle = [&](const char* name, std::string_view logged_as, std::string_view words, bool& value) {
    if (!next_cell()) return false;
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
  const TimeChoice time = visit.settings.time;
  if (next_cell() && button("more-time", label(buffer, "{}{}", time == TimeChoice::standard ? "○ " : "● ", more_time_text(time, language)),
             cell_width, row_height, time != TimeChoice::standard, more_time_text(time, language))) {
    choose_time(time == TimeChoice::standard ? TimeChoice::ten_times
                : time == TimeChoice::ten_times ? TimeChoice::off
                                                : TimeChoice::standard);
  }
  const size_t pages = per_page == 0 ? 1 : (cell + per_page - 1) / per_page;
  if (visit.accessibility_page >= pages) visit.accessibility_page = 0;  // fewer pages than before
  if (pages > 1) {
    ImGui::SetCursorPos(ImVec2(header_x, header_y));
    if (button("settings-previous", "◀", row_height * 1.6f, row_height, false,
               text(TimeAndReachText::previous_settings, language))) {
      visit.accessibility_page = (visit.accessibility_page + static_cast<uint32_t>(pages) - 1) % static_cast<uint32_t>(pages);
    }
    ImGui::SameLine();
    ImGui::TextUnformatted(label(buffer, "{} / {}", page + 1, pages));
    ImGui::SameLine();
    if (button("settings-next", "▶", row_height * 1.6f, row_height, false, text(TimeAndReachText::more_settings, language))) {
      visit.accessibility_page = (visit.accessibility_page + 1) % static_cast<uint32_t>(pages);
    }
  }
  // "Done": across the panel below the grid, or at the end of the lower layout's row of text size.
  const float done_width = lower ? std::min(cell_width, inner / 3) : inner;
  if (lower) ImGui::SetCursorPos(ImVec2(ImGui::GetWindowContentRegionMax().x - done_width, header_y));
  if (button("accessibility-done", text(Text::done, language), done_width, row_height, true)) {
    visit.accessibility_open = false;
    visit.accessibility_page = 0;
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
  button("keep-exploring", text(Text::keep_exploring, language), ImGui::GetContentRegionAvail().x, 80 * scale * target_scale(), true);
  ImGui::End();
}

}  // namespace pavilion::kiosk

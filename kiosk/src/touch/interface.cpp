// The touch screens, drawn with Dear ImGui over the scene: which screen shows, the operator's
// corner, the fade, and the closed screen. Sizes are laid out for a 1280×720 screen and scaled to
// the real one; every touch target is a named control at least 9 mm across.
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
namespace {

constexpr uint32_t corner_taps_for_operator = 3;
constexpr double corner_tap_window_seconds = 3.0;
constexpr double loading_indicator_after_seconds = 0.2;

}  // namespace

float Kiosk::State::ui_scale() const {
  // A minimised window has no height; keep sizes sane until it comes back.
  const uint32_t height = display.extent().height;
  return height == 0 ? 1.0f : static_cast<float>(height) / reference_height;
}

std::string Kiosk::State::interface_text() const {
  std::string text = all_interface_text();
  text += all_spoken_text();
  text += all_time_and_reach_text();
  text += all_captions_text();
  for (const auto& name : {config.library_name.zh_cn, config.library_name.en}) text += name;
  for (const ContentEntry& entry : content.entries()) {
    text += entry.title.zh_cn;
    for (const scene::Exhibit& exhibit : entry.exhibits) {
      const scene::DublinCore& dc = exhibit.metadata;
      for (const LocalizedText* localized : {&dc.title, &dc.creator, &dc.description, &dc.rights, &dc.date, &exhibit.alt_text,
                                               &exhibit.description_easy}) {
        (text += localized->zh_cn) += localized->en;
      }
      text += dc.identifier;
    }
    // The scene's sounds as their captions name them.
    for (const scene::AudioSource& source : entry.audio) (text += source.caption.zh_cn) += source.caption.en;
  }
  for (const auto& player : players) player->add_glyphs(text);
  show.add_glyphs(text);
  for (const ContentProblem& problem : content.problems()) text += problem.summary.zh_cn;
  if (updater) {
    for (const LocalizedText& line : updater->operator_lines()) text += line.zh_cn;
  }
  return text;
}

void Kiosk::State::draw_interface(double seconds) {
  static_cast<void>(seconds);
  const float scale = ui_scale();
  apply_style(palette(visit.settings.high_contrast), scale);
  ImGui::PushFont(display.ui->body_font());
  report.description_shown.clear();  // until an info panel draws one (its capacity kept)
  report.panel_text.clear();
  switch (screen) {
    case Screen::attract: draw_attract(); break;
    case Screen::home: draw_home(); break;
    case Screen::exhibit: draw_exhibit(); break;
    case Screen::closed: draw_closed(); break;
    case Screen::operator_pin: draw_operator_pin(); break;
    case Screen::operator_menu: draw_operator_menu(); break;
    case Screen::test_pattern: draw_test_pattern(); break;
  }
  const bool visitor_screen = screen == Screen::attract || screen == Screen::home || screen == Screen::exhibit;
  // Captions under the panels, over the screen; never over one of its controls.
  if (visitor_screen && visit.settings.captions) {
    draw_captions();
  } else {
    report.caption_band = {};
  }
  // A panel over the screen holds the keypad's focus among its own controls.
  if (visitor_screen && visit.accessibility_open) {
    touch.modal_first = touch.count;
    draw_accessibility();
  }
  if (visitor_screen && visit.session.phase() == VisitorSession::Phase::still_there) {
    touch.modal_first = touch.count;
    draw_still_there();
  }

  // The operator's way in: three taps in the top-left corner within three seconds (also while
  // closed, for maintenance outside opening hours). Not while a visitor explores by touch or uses
  // the keypad: their taps must never land in the PIN.
  if ((visitor_screen || screen == Screen::closed) && !access.keypad_used && !visit.settings.audio_only) {
    const float side = 12.0f * static_cast<float>(config.pixels_per_mm);
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(ImVec2(side, side));
    ImGui::Begin("operator-corner", nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoBackground | ImGuiWindowFlags_NoMove |
                     ImGuiWindowFlags_NoSavedSettings);
    ImGui::SetCursorPos(ImVec2(0, 0));
    if (invisible_button("operator-corner", side, side)) {
      if (desk.corner_taps == 0 || now - desk.corner_first_tap > corner_tap_window_seconds) {
        desk.corner_taps = 0;
        desk.corner_first_tap = now;
      }
      if (++desk.corner_taps >= corner_taps_for_operator) {
        desk.corner_taps = 0;
        desk.pin_entry.clear();
        desk.pin_rejected = false;
        desk.last_touch = now;
        // The operator is not a visitor: whatever session was running ends here.
        close_players();
        visit.log.end_session("operator", now);
        visit.session.end();
        screen = Screen::operator_pin;
      }
    }
    ImGui::End();
  }
  draw_fade_and_loading();
  ImGui::PopFont();
}

void Kiosk::State::draw_fade_and_loading() {
  const ImVec2 size = ImGui::GetIO().DisplaySize;
  if (stage.fade > 0.0f) ImGui::GetBackgroundDrawList()->AddRectFilled(ImVec2(0, 0), size, color(0x000000, stage.fade));
  if (!stage.loading.valid() ||
      std::chrono::duration<double>(std::chrono::steady_clock::now() - stage.loading_since).count() < loading_indicator_after_seconds) {
    return;
  }
  // A scene taking longer than 200 ms to appear says so, with a turning arc.
  const float scale = ui_scale();
  ImDrawList& draw = *ImGui::GetForegroundDrawList();
  const ImVec2 center(size.x * 0.5f, size.y * 0.5f);
  // Calm mode's arc stands still: nothing turns by itself on its screen.
  const float angle = visit.settings.calm ? 0.0f : static_cast<float>(now * 4.0);
  draw.PathArcTo(center, 36 * scale, angle, angle + 4.0f, 32);
  draw.PathStroke(color(0xf4efe6), false, 6 * scale);
  centered_text(draw, display.ui->body_font(), center.y + 56 * scale, text(Text::loading, visit.settings.language), color(0xf4efe6));
}

void Kiosk::State::draw_closed() {
  const Palette& colors = palette(false);
  const ImVec2 size = ImGui::GetIO().DisplaySize;
  const float scale = ui_scale();
  ImDrawList& draw = *ImGui::GetForegroundDrawList();
  draw.AddRectFilled(ImVec2(0, 0), size, color(0x000000));
  if (now >= schedule.closed_notice_until) return;
  const LocalTime time = local_now();
  const auto next = config.opening_hours.next_opening(time);
  std::array<char, 256> buffer;
  float y = size.y * 0.4f;
  for (const Language language : {Language::zh_cn, Language::en}) {
    centered_text(draw, display.ui->body_font(), y, text(Text::closed_now, language), color(colors.text));
    y += 44 * scale;
    if (next) {
      std::array<char, 256> clock;
      centered_text(draw, display.ui->body_font(), y,
                    label(buffer, fmt::runtime(text(Text::opens_at, language)), weekday_name(next->first.c_encoding(), language),
                          label(clock, "{:02}:{:02}", next->second / 60, next->second % 60)),
                    color(colors.muted_text));
      y += 64 * scale;
    }
  }
}

}  // namespace pavilion::kiosk

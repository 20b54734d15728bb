// The attract loop's screen: the library's name and the invitation to touch.
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

void Kiosk::State::draw_attract() {
  const Palette& colors = palette(visit.settings.high_contrast);
  const ImVec2 size = ImGui::GetIO().DisplaySize;
  const float scale = ui_scale();
  ImDrawList& draw = *ImGui::GetBackgroundDrawList();
  // The library's name on a band at the top; the invitation at the bottom, in both languages.
  draw.AddRectFilled(ImVec2(0, 0), ImVec2(size.x, 96 * scale), color(colors.panel, colors.panel_opacity * 0.85f));
  ImFont* title = display.ui->title_font();
  std::array<char, 256> name;
  centered_text(draw, title, 24 * scale, label(name, "{}  {}", config.library_name.zh_cn, config.library_name.en),
                color(colors.text));
  // A gentle pulse draws the eye; calm mode keeps it still.
  const float pulse = visit.settings.calm ? 1.0f : 0.75f + 0.25f * static_cast<float>(std::sin(now * 2.0));
  const float band_top = size.y - attract_invitation_height * scale;
  draw.AddRectFilled(ImVec2(0, band_top), ImVec2(size.x, size.y), color(colors.panel, colors.panel_opacity * 0.85f));
  centered_text(draw, title, band_top + 22 * scale, text(Text::touch_to_begin, Language::zh_cn), color(colors.text, pulse));
  centered_text(draw, display.ui->body_font(), band_top + 84 * scale, text(Text::touch_to_begin, Language::en),
                color(colors.text, pulse));
  if (content.entries().empty() || schedule.active.empty()) {
    centered_text(draw, display.ui->body_font(), size.y * 0.45f, text(Text::no_content, Language::zh_cn), color(colors.text));
    centered_text(draw, display.ui->body_font(), size.y * 0.45f + 40 * scale, text(Text::no_content, Language::en),
                  color(colors.text));
  }

  begin_fullscreen("attract", false);
  ImGui::SetCursorPos(ImVec2(0, 0));
  if (invisible_button("begin", size.x, size.y, spoken(Spoken::start_visit, visit.settings.language))) go_home();
  ImGui::End();
}

}  // namespace pavilion::kiosk

// The home screen: the exhibits of the packages in season, as cards a page at a time.
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

void Kiosk::State::draw_home() {
  const Palette& colors = palette(visit.settings.high_contrast);
  const ImVec2 size = ImGui::GetIO().DisplaySize;
  const float scale = ui_scale();
  const Language language = visit.settings.language;
  begin_fullscreen("home", false);
  ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(0, 0), size, color(colors.panel, colors.panel_opacity * 0.7f));

  ImGui::SetCursorPos(ImVec2(40 * scale, 28 * scale));
  ImGui::PushFont(display.ui->title_font());
  ImGui::TextUnformatted(pick(config.library_name, language).c_str());
  ImGui::PopFont();
  ImGui::SetCursorPosX(40 * scale);
  ImGui::TextColored(color4(colors.muted_text), "%s", text(Text::choose_exhibit, language).data());

  // The language, accessibility and end buttons: in the bar along the foot beside the page arrows
  // (which keep 340 px of it), as on the exhibit screen, in every layout: a seated visitor must
  // reach "accessibility" to ask for the lower layout in the first place.
  const bool lower = visit.settings.lower_layout;
  // Simple mode's larger targets: every button, card and arrow a quarter taller.
  const float target = target_scale();
  const float bar_top = size.y - 96 * scale * target;
  const float bar_button_width =
      std::min(190 * scale * std::min(visit.settings.text_scale, 1.5f), (size.x - 448 * scale * target) / 3);
  ImGui::SetCursorPos(ImVec2(size.x - 3 * bar_button_width - 68 * scale, bar_top));
  if (button("language", text(Text::other_language, language), bar_button_width, 64 * scale * target, false,
             spoken(Spoken::switch_language, language))) {
    switch_language();
  }
  ImGui::SameLine();
  if (button("accessibility", text(Text::accessibility, language), bar_button_width, 64 * scale * target)) {
    visit.accessibility_open = true;
  }
  ImGui::SameLine();
  if (button("end-visit", text(Text::end_visit, language), bar_button_width, 64 * scale * target, true)) {
    log::info("kiosk", "the visitor ended their visit");
    reset_for_next_visitor("end_visit");
  }

  // Exhibit cards, a page at a time: three across, as many rows as fit.
  struct Card {
    size_t entry;
    uint32_t exhibit;
  };
  std::array<Card, 64> cards{};
  size_t card_count = 0;
  for (size_t entry_index : schedule.active) {
    const ContentEntry& entry = content.entries()[entry_index];
    for (uint32_t exhibit_index = 0; exhibit_index < entry.exhibits.size() && card_count < cards.size(); ++exhibit_index) {
      if (entry.exhibits[exhibit_index].kind == scene::ExhibitKind::audio) continue;
      cards[card_count++] = {entry_index, exhibit_index};
    }
  }
  if (card_count == 0) {
    ImGui::SetCursorPos(ImVec2(40 * scale, 200 * scale));
    ImGui::TextUnformatted(text(Text::no_content, language).data());
    ImGui::End();
    return;
  }
  // Four across: the exhibit's picture (2:1, cut from the 16:9 thumbnail) over two lines of title.
  constexpr size_t columns = 4;
  const float gap = 20 * scale;
  ImFont* body = display.ui->body_font();
  const float card_width = (size.x - 80 * scale - (columns - 1) * gap) / static_cast<float>(columns);
  const float picture_height = card_width * 0.5f;
  const float band_height = (2 * body->FontSize + 20 * scale) * target;
  const float card_height = picture_height + band_height;
  float grid_top = 150 * scale;
  auto rows = static_cast<size_t>(std::max(1.0f, std::floor((size.y - grid_top - 100 * scale) / (card_height + gap))));
  if (lower) {
    // As many rows as fit between the reach line and the bar, standing on the bar.
    rows = static_cast<size_t>(std::max(1.0f, std::floor((bar_top - size.y * lower_layout_top) / (card_height + gap))));
    grid_top = bar_top - static_cast<float>(rows) * (card_height + gap);
  }
  const size_t per_page = rows * columns;
  const auto pages = static_cast<uint32_t>((card_count + per_page - 1) / per_page);
  visit.home_page = std::min(visit.home_page, pages - 1);
  std::array<char, 256> name;
  std::array<char, 512> words;
  for (size_t slot = 0; slot < per_page; ++slot) {
    const size_t index = visit.home_page * per_page + slot;
    if (index >= card_count) break;
    const Card& card = cards[index];
    const ContentEntry& entry = content.entries()[card.entry];
    const scene::Exhibit& exhibit = entry.exhibits[card.exhibit];
    const float x = 40 * scale + static_cast<float>(slot % columns) * (card_width + gap);
    const float y = grid_top + static_cast<float>(slot / columns) * (card_height + gap);
    ImGui::SetCursorPos(ImVec2(x, y));
    // A card's face is a picture: it speaks its title and creator.
    if (button(label(name, "exhibit:{}/{}", entry.id, exhibit.id), "", card_width, card_height, false,
               card_words(words, exhibit, language))) {
      open_exhibit(card.entry, card.exhibit, true);
    }
    ImDrawList& draw = *ImGui::GetWindowDrawList();
    const ImVec2 corner = ImGui::GetItemRectMin();
    const ImVec2 picture_end(corner.x + card_width, corner.y + picture_height);
    const auto& texture = display.thumbnails[card.entry][card.exhibit];
    if (texture) {
      constexpr float crop = (1.0f - (16.0f / 9.0f) / 2.0f) * 0.5f;  // of the height, top and bottom
      draw.AddImageRounded(ui::UiLayer::texture_id(*texture), corner, picture_end, ImVec2(0, crop), ImVec2(1, 1 - crop),
                           IM_COL32_WHITE, ImGui::GetStyle().FrameRounding, ImDrawFlags_RoundCornersTop);
    } else {
      // No picture in the package: the creator and date stand in for it.
      const std::string& creator = pick(exhibit.metadata.creator, language);
      const std::string& date = pick(exhibit.metadata.date, language);
      std::array<char, 256> line;
      draw.PushClipRect(corner, picture_end, true);
      display.ui->wrapper().add_text(draw, *body, body->FontSize, ImVec2(corner.x + 14 * scale, corner.y + 14 * scale),
                                     color(colors.muted_text),
                                     label(line, "{}{}{}", creator, creator.empty() || date.empty() ? "" : " · ", date),
                                     card_width - 28 * scale);
      draw.PopClipRect();
    }
    draw.PushClipRect(ImVec2(corner.x, picture_end.y), ImVec2(corner.x + card_width - 10 * scale, corner.y + card_height), true);
    const std::string& title_text = pick(exhibit.metadata.title, language);
    display.ui->wrapper().add_text(draw, *body, body->FontSize, ImVec2(corner.x + 14 * scale, picture_end.y + 8 * scale),
                                   color(colors.button_text), title_text, card_width - 28 * scale);
    draw.PopClipRect();
  }
  if (pages > 1) {
    ImGui::SetCursorPos(ImVec2(40 * scale, bar_top));
    if (button("previous-page", "◀", 120 * scale * target, 64 * scale * target, false,
               label(words, fmt::runtime(spoken(Spoken::previous_page, language)), visit.home_page + 1, pages)) &&
        visit.home_page > 0) {
      --visit.home_page;
    }
    ImGui::SameLine();
    ImGui::Text("%u / %u", visit.home_page + 1, pages);
    ImGui::SameLine();
    if (button("next-page", "▶", 120 * scale * target, 64 * scale * target, false,
               label(words, fmt::runtime(spoken(Spoken::next_page, language)), visit.home_page + 1, pages)) &&
        visit.home_page + 1 < pages) {
      ++visit.home_page;
    }
  }
  ImGui::End();
}

}  // namespace pavilion::kiosk

// The kiosk's screens, drawn with Dear ImGui. Sizes are laid out for a 1280×720 screen and
// scaled to the real one; every touch target is a named control at least 9 mm across.
#include "kiosk_state.h"
#include "style.h"
#include "pavilion/kiosk/palette.h"
#include "pavilion/core/log.h"
#include "pavilion/kiosk/strings.h"

#include <fmt/format.h>
#include <imgui.h>

#include <array>
#include <cmath>

namespace pavilion::kiosk {
namespace {

constexpr float reference_height = 720.0f;
constexpr float min_target_mm = 9.0f;
constexpr uint32_t corner_taps_for_operator = 3;
constexpr double corner_tap_window_seconds = 3.0;
constexpr uint32_t pin_tries_before_lockout = 5;
constexpr double pin_lockout_seconds = 300;
constexpr double loading_indicator_after_seconds = 0.2;


// Full-screen, undecorated: for a screen's own layout.
bool begin_fullscreen(const char* name, bool background) {
  const ImGuiIO& io = ImGui::GetIO();
  ImGui::SetNextWindowPos(ImVec2(0, 0));
  ImGui::SetNextWindowSize(io.DisplaySize);
  ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                           ImGuiWindowFlags_NoBringToFrontOnFocus;
  if (!background) flags |= ImGuiWindowFlags_NoBackground;
  return ImGui::Begin(name, nullptr, flags);
}

void centered_text(ImDrawList& draw, ImFont* font, float y, std::string_view text, ImU32 text_color) {
  const float width = ImGui::GetIO().DisplaySize.x;
  const ImVec2 size = font->CalcTextSizeA(font->FontSize, FLT_MAX, 0.0f, text.data(), text.data() + text.size());
  draw.AddText(font, font->FontSize, ImVec2((width - size.x) * 0.5f, y), text_color, text.data(), text.data() + text.size());
}

const std::string& pick(const LocalizedText& text, Language language) {
  const std::string& wanted = language == Language::zh_cn ? text.zh_cn : text.en;
  return wanted.empty() ? (language == Language::zh_cn ? text.en : text.zh_cn) : wanted;
}

// Formats into a fixed buffer: labels are made every frame and must not allocate.
template <size_t N, class... Args>
const char* label(std::array<char, N>& buffer, fmt::format_string<Args...> format, Args&&... args) {
  const auto written = fmt::format_to_n(buffer.data(), buffer.size() - 1, format, std::forward<Args>(args)...);
  *written.out = '\0';
  return buffer.data();
}

}  // namespace

float Kiosk::State::ui_scale() const {
  // A minimised window has no height; keep sizes sane until it comes back.
  const uint32_t height = display.extent().height;
  return height == 0 ? 1.0f : static_cast<float>(height) / reference_height;
}

std::string Kiosk::State::interface_text() const {
  std::string text = all_interface_text();
  for (const auto& name : {config.library_name.zh_cn, config.library_name.en}) text += name;
  for (const ContentEntry& entry : content.entries()) {
    text += entry.title.zh_cn;
    for (const scene::Exhibit& exhibit : entry.exhibits) {
      const scene::DublinCore& dc = exhibit.metadata;
      for (const LocalizedText* localized : {&dc.title, &dc.creator, &dc.description, &dc.rights, &dc.date, &exhibit.alt_text}) {
        (text += localized->zh_cn) += localized->en;
      }
      text += dc.identifier;
    }
  }
  for (const ContentEntry& entry : content.entries()) {
    for (const scene::Poem& poem : entry.poems) {
      (((text += poem.dynasty.zh_cn) += poem.dynasty.en) += poem.font_credit.family) += poem.translation;
    }
  }
  for (const ContentProblem& problem : content.problems()) text += problem.summary.zh_cn;
  return text;
}

bool Kiosk::State::button(const char* name, std::string_view text, float width, float height, bool accent) {
  const Palette& colors = palette(settings.high_contrast);
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
  if (control_count == controls.size()) controls.emplace_back();
  Control& control = controls[control_count++];
  control.name = name;
  control.min_x = min.x;
  control.min_y = min.y;
  control.max_x = max.x;
  control.max_y = max.y;
  const float min_pixels = min_target_mm * static_cast<float>(config.pixels_per_mm);
  if ((max.x - min.x < min_pixels || max.y - min.y < min_pixels) &&
      std::find(report.undersized_controls.begin(), report.undersized_controls.end(), name) ==
          report.undersized_controls.end()) {
    report.undersized_controls.emplace_back(name);
  }
  return pressed;
}

bool Kiosk::State::invisible_button(const char* name, float width, float height) {
  ImGui::PushStyleVar(ImGuiStyleVar_FrameBorderSize, 0.0f);
  ImGui::PushStyleColor(ImGuiCol_Button, ImVec4(0, 0, 0, 0));
  ImGui::PushStyleColor(ImGuiCol_ButtonActive, ImVec4(0, 0, 0, 0));
  ImGui::PushStyleColor(ImGuiCol_ButtonHovered, ImVec4(0, 0, 0, 0));
  const bool pressed = button(name, "", width, height);
  ImGui::PopStyleColor(3);
  ImGui::PopStyleVar();
  return pressed;
}

void Kiosk::State::draw_interface(double seconds) {
  static_cast<void>(seconds);
  const float scale = ui_scale();
  apply_style(palette(settings.high_contrast), scale);
  ImGui::PushFont(display.ui->body_font());
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
  if (visitor_screen && accessibility_open) draw_accessibility();
  if (visitor_screen && session.phase() == VisitorSession::Phase::still_there) draw_still_there();

  // The operator's way in: three taps in the top-left corner within three seconds (also while
  // closed, for maintenance outside opening hours).
  if (visitor_screen || screen == Screen::closed) {
    const float side = 12.0f * static_cast<float>(config.pixels_per_mm);
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(ImVec2(side, side));
    ImGui::Begin("operator-corner", nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoBackground | ImGuiWindowFlags_NoMove |
                     ImGuiWindowFlags_NoSavedSettings);
    ImGui::SetCursorPos(ImVec2(0, 0));
    if (invisible_button("operator-corner", side, side)) {
      if (corner_taps == 0 || now - corner_first_tap > corner_tap_window_seconds) {
        corner_taps = 0;
        corner_first_tap = now;
      }
      if (++corner_taps >= corner_taps_for_operator) {
        corner_taps = 0;
        pin_entry.clear();
        pin_rejected = false;
        operator_last_touch = now;
        // The operator is not a visitor: whatever session was running ends here.
        close_poem();
        visit_log.end_session("operator", now);
        session.end();
        screen = Screen::operator_pin;
      }
    }
    ImGui::End();
  }
  draw_fade_and_loading();
  ImGui::PopFont();
}

void Kiosk::State::draw_attract() {
  const Palette& colors = palette(settings.high_contrast);
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
  const float pulse = settings.calm ? 1.0f : 0.75f + 0.25f * static_cast<float>(std::sin(now * 2.0));
  const float band_top = size.y - 150 * scale;
  draw.AddRectFilled(ImVec2(0, band_top), ImVec2(size.x, size.y), color(colors.panel, colors.panel_opacity * 0.85f));
  centered_text(draw, title, band_top + 22 * scale, text(Text::touch_to_begin, Language::zh_cn), color(colors.text, pulse));
  centered_text(draw, display.ui->body_font(), band_top + 84 * scale, text(Text::touch_to_begin, Language::en),
                color(colors.text, pulse));
  if (content.entries().empty() || active.empty()) {
    centered_text(draw, display.ui->body_font(), size.y * 0.45f, text(Text::no_content, Language::zh_cn), color(colors.text));
    centered_text(draw, display.ui->body_font(), size.y * 0.45f + 40 * scale, text(Text::no_content, Language::en),
                  color(colors.text));
  }

  begin_fullscreen("attract", false);
  ImGui::SetCursorPos(ImVec2(0, 0));
  if (invisible_button("begin", size.x, size.y)) go_home();
  ImGui::End();
}

void Kiosk::State::draw_home() {
  const Palette& colors = palette(settings.high_contrast);
  const ImVec2 size = ImGui::GetIO().DisplaySize;
  const float scale = ui_scale();
  const Language language = settings.language;
  begin_fullscreen("home", false);
  ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(0, 0), size, color(colors.panel, colors.panel_opacity * 0.7f));

  ImGui::SetCursorPos(ImVec2(40 * scale, 28 * scale));
  ImGui::PushFont(display.ui->title_font());
  ImGui::TextUnformatted(pick(config.library_name, language).c_str());
  ImGui::PopFont();
  ImGui::SetCursorPosX(40 * scale);
  ImGui::TextColored(color4(colors.muted_text), "%s", text(Text::choose_exhibit, language).data());

  const float top_button_width = 190 * scale * std::min(settings.text_scale, 1.5f);
  ImGui::SetCursorPos(ImVec2(size.x - 3 * top_button_width - 68 * scale, 32 * scale));
  if (button("language", text(Text::other_language, language), top_button_width, 64 * scale)) {
    switch_language();
  }
  ImGui::SameLine();
  if (button("accessibility", text(Text::accessibility, language), top_button_width, 64 * scale)) {
    accessibility_open = true;
  }
  ImGui::SameLine();
  if (button("end-visit", text(Text::end_visit, language), top_button_width, 64 * scale, true)) {
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
  for (size_t entry_index : active) {
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
  const float band_height = 2 * body->FontSize + 20 * scale;
  const float card_height = picture_height + band_height;
  const float grid_top = 150 * scale;
  const auto rows = static_cast<size_t>(std::max(1.0f, std::floor((size.y - grid_top - 100 * scale) / (card_height + gap))));
  const size_t per_page = rows * columns;
  const auto pages = static_cast<uint32_t>((card_count + per_page - 1) / per_page);
  home_page = std::min(home_page, pages - 1);
  std::array<char, 256> name;
  for (size_t slot = 0; slot < per_page; ++slot) {
    const size_t index = home_page * per_page + slot;
    if (index >= card_count) break;
    const Card& card = cards[index];
    const ContentEntry& entry = content.entries()[card.entry];
    const scene::Exhibit& exhibit = entry.exhibits[card.exhibit];
    const float x = 40 * scale + static_cast<float>(slot % columns) * (card_width + gap);
    const float y = grid_top + static_cast<float>(slot / columns) * (card_height + gap);
    ImGui::SetCursorPos(ImVec2(x, y));
    if (button(label(name, "exhibit:{}/{}", entry.id, exhibit.id), "", card_width, card_height)) {
      open_exhibit(card.entry, card.exhibit, true);
    }
    ImDrawList& draw = *ImGui::GetWindowDrawList();
    const ImVec2 corner = ImGui::GetItemRectMin();
    const ImVec2 picture_end(corner.x + card_width, corner.y + picture_height);
    const auto& texture = thumbnail_textures[card.entry][card.exhibit];
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
    ImGui::SetCursorPos(ImVec2(40 * scale, size.y - 96 * scale));
    if (button("previous-page", "◀", 120 * scale, 64 * scale) && home_page > 0) --home_page;
    ImGui::SameLine();
    ImGui::Text("%u / %u", home_page + 1, pages);
    ImGui::SameLine();
    if (button("next-page", "▶", 120 * scale, 64 * scale) && home_page + 1 < pages) ++home_page;
  }
  ImGui::End();
}

void Kiosk::State::draw_exhibit() {
  const ImVec2 size = ImGui::GetIO().DisplaySize;
  const float scale = ui_scale();
  const Language language = settings.language;
  if (!shown_entry || shown_exhibit >= content.entries()[*shown_entry].exhibits.size()) return;
  const ContentEntry& entry = content.entries()[*shown_entry];
  const scene::Exhibit& shown = entry.exhibits[shown_exhibit];

  const float panel_width = size.x * 0.36f;
  const float bar_height = 96 * scale;
  const bool poem_shown = poem_view && poem_view->entry() == *shown_entry &&
                          poem_view->poem().exhibit == shown_exhibit;
  if (poem_shown) draw_poem_scroll(panel_width, bar_height);
  if (poem_shown && settings.audio_only) {
    draw_audio_only_zones(bar_height);
  } else {
    draw_exhibit_info(shown, panel_width, bar_height, poem_shown);
  }

  // The bar along the bottom.
  ImGui::SetNextWindowPos(ImVec2(0, size.y - bar_height));
  ImGui::SetNextWindowSize(ImVec2(size.x, bar_height));
  ImGui::Begin("exhibit-bar", nullptr, ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings);
  const float button_height = bar_height - 2 * ImGui::GetStyle().WindowPadding.y;
  const float button_width = 180 * scale * std::min(settings.text_scale, 1.4f);
  if (button("home", text(Text::home, language), button_width, button_height, true)) go_home();
  ImGui::SameLine();
  const auto count = static_cast<uint32_t>(entry.exhibits.size());
  if (button("previous", text(Text::previous_exhibit, language), button_width, button_height)) {
    open_exhibit(*shown_entry, (shown_exhibit + count - 1) % count, true);
  }
  ImGui::SameLine();
  if (button("next", text(Text::next_exhibit, language), button_width, button_height)) {
    open_exhibit(*shown_entry, (shown_exhibit + 1) % count, true);
  }
  ImGui::SameLine(size.x - 2 * button_width - 40 * scale);
  if (button("language", text(Text::other_language, language), button_width, button_height)) switch_language();
  ImGui::SameLine();
  if (button("accessibility", text(Text::accessibility, language), button_width, button_height)) accessibility_open = true;
  ImGui::End();

  // Dragging the scene turns the exhibit.
  const ImGuiIO& io = ImGui::GetIO();
  if (pointer.present && pointer.down && !io.WantCaptureMouse && !accessibility_open) {
    if (dragging_scene) orbit_yaw -= (pointer.x - drag_last_x) * 0.006f;
    dragging_scene = true;
    drag_last_x = pointer.x;
  } else {
    dragging_scene = false;
  }
}

void Kiosk::State::draw_exhibit_info(const scene::Exhibit& shown, float panel_width, float bar_height, bool poem) {
  const Palette& colors = palette(settings.high_contrast);
  const ImVec2 size = ImGui::GetIO().DisplaySize;
  const Language language = settings.language;
  // The panel on the right: what the exhibit is, in Dublin Core's terms.
  ImGui::SetNextWindowPos(ImVec2(size.x - panel_width, 0));
  ImGui::SetNextWindowSize(ImVec2(panel_width, size.y - bar_height));
  ImGui::Begin("exhibit-info", nullptr, ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings);
  ImGui::PushTextWrapPos(0.0f);
  ImGui::PushFont(display.ui->title_font());
  display.ui->wrapper().text(pick(shown.metadata.title, language));
  ImGui::PopFont();
  auto row = [&](Text name, const std::string& value) {
    if (value.empty()) return;
    ImGui::TextColored(color4(colors.muted_text), "%s", text(name, language).data());
    ImGui::SameLine();
    display.ui->wrapper().text(value);
  };
  row(Text::creator, pick(shown.metadata.creator, language));
  row(Text::date, pick(shown.metadata.date, language));
  if (poem) {
    row(Text::dynasty, pick(poem_view->poem().dynasty, language));
    draw_poem_controls();
  }
  ImGui::Spacing();
  display.ui->wrapper().text(pick(shown.metadata.description, language));
  ImGui::Spacing();
  row(Text::rights, pick(shown.metadata.rights, language));
  row(Text::identifier, shown.metadata.identifier);
  if (settings.audio_descriptions && !pick(shown.alt_text, language).empty()) {
    ImGui::Spacing();
    ImGui::Separator();
    ImGui::TextColored(color4(colors.muted_text), "%s", text(Text::audio_description_heading, language).data());
    display.ui->wrapper().text(pick(shown.alt_text, language));
  }
  if (poem && !poem_view->poem().font_credit.family.empty()) {
    std::array<char, 256> credit;
    ImGui::TextColored(color4(colors.muted_text), "%s",
                       label(credit, fmt::runtime(text(Text::font_credit, language)), poem_view->poem().font_credit.family,
                             poem_view->poem().font_credit.url));
  }
  ImGui::PopTextWrapPos();
  ImGui::End();
}

void Kiosk::State::draw_poem_scroll(float panel_width, float bar_height) {
  const ImVec2 size = ImGui::GetIO().DisplaySize;
  const float scale = ui_scale();
  const exhibits::ScrollColors& colors = settings.high_contrast ? exhibits::scroll_colors_high_contrast : exhibits::scroll_colors;
  const exhibits::PoemText& poem = poem_view->text();
  const text::TextLayout& layout = poem.layout(show_pinyin);
  const exhibits::ScrollShape shape = exhibits::scroll_shape(layout, poem.poem().vertical);
  // The scroll fills the room left of the panel, the text as large as fits (larger text asked
  // for in the accessibility panel only where it still fits).
  const float room_width = (settings.audio_only ? size.x : size.x - panel_width) - 48 * scale;
  const float room_height = size.y - bar_height - 48 * scale;
  const float em = std::min({room_width / shape.width, room_height / shape.height, 64 * scale * settings.text_scale});
  const ImVec2 scroll_size(shape.width * em, shape.height * em);
  const ImVec2 corner(24 * scale + (room_width - scroll_size.x) * 0.5f, 24 * scale + (room_height - scroll_size.y) * 0.5f);

  ImGui::SetNextWindowPos(corner);
  ImGui::SetNextWindowSize(scroll_size);
  ImGui::Begin("poem-scroll", nullptr,
               ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                   ImGuiWindowFlags_NoBackground | ImGuiWindowFlags_NoInputs | ImGuiWindowFlags_NoBringToFrontOnFocus);
  ImDrawList& draw = *ImGui::GetWindowDrawList();
  draw.PushClipRectFullScreen();  // the rollers' knobs reach past the window
  const auto to_screen = [&](float x, float y) { return ImVec2(corner.x + x * em, corner.y + y * em); };
  const auto fill = [&](const exhibits::ScrollRect& rect, uint32_t rgba, float rounding) {
    draw.AddRectFilled(to_screen(rect.min_x, rect.min_y), to_screen(rect.max_x, rect.max_y), rgba, rounding);
  };
  fill(shape.mount, colors.mount, 0);
  fill(shape.paper, colors.paper, 0);
  for (const exhibits::ScrollRect& roller : shape.rollers) {
    fill(roller, colors.rollers, std::min(roller.max_x - roller.min_x, roller.max_y - roller.min_y) * em * 0.5f);
  }
  draw.PopClipRect();
  const text::TextSpan lit = poem_view->lit();
  const ImVec2 paper_min = to_screen(shape.paper.min_x, shape.paper.min_y);
  const ImVec2 paper_max = to_screen(shape.paper.max_x, shape.paper.max_y);
  const ImVec2 text_corner = to_screen(shape.text_left, shape.text_top);
  ui::TextPaint paint = exhibits::scroll_paint(colors, lit, settings.calm);
  paint.left = text_corner.x;
  paint.top = text_corner.y;
  paint.pixels_per_unit = em;
  paint.clip_min_x = paper_min.x;
  paint.clip_min_y = paper_min.y;
  paint.clip_max_x = paper_max.x;
  paint.clip_max_y = paper_max.y;
  display.ui->draw_text(draw, layout, poem.atlas(), poem.atlas_texture(), paint);
  ImGui::End();
}

void Kiosk::State::draw_poem_controls() {
  const float scale = ui_scale();
  const Language language = settings.language;
  const float width = (ImGui::GetContentRegionAvail().x - ImGui::GetStyle().ItemSpacing.x) * 0.5f;
  const float height = 72 * scale;
  ImGui::Spacing();
  if (poem_view->has_recitation()) {
    const Text play_words = poem_view->playing() ? Text::pause : poem_view->paused() ? Text::resume : Text::recite;
    if (button("poem:play", text(play_words, language), width, height, true)) toggle_poem();
    ImGui::SameLine();
    if (button("poem:replay", text(Text::replay, language), width, height)) play_poem();
  }
  std::array<char, 256> buffer;
  const auto toggle = [&](const char* name, Text words, bool& value) {
    if (button(name, label(buffer, "{}{}", value ? "● " : "○ ", text(words, language)), width, height, value)) {
      value = !value;
    }
  };
  if (!poem_view->poem().pinyin.empty()) {
    toggle("poem:pinyin", Text::pinyin, show_pinyin);
    ImGui::SameLine();
  }
  toggle("poem:translation", Text::translation, show_translation);
  if (show_translation) {
    ImGui::Spacing();
    display.ui->wrapper().text(poem_view->poem().translation);
  }
}

void Kiosk::State::draw_audio_only_zones(float bar_height) {
  const Palette& colors = palette(settings.high_contrast);
  const ImVec2 size = ImGui::GetIO().DisplaySize;
  const float scale = ui_scale();
  const float height = size.y - bar_height;
  ImGui::SetNextWindowPos(ImVec2(0, 0));
  ImGui::SetNextWindowSize(ImVec2(size.x, height));
  ImGui::Begin("poem-zones", nullptr,
               ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                   ImGuiWindowFlags_NoBackground);
  // Three zones a hand finds without looking: the screen's edges and its middle.
  const float side = size.x * 0.25f;
  ImGui::SetCursorPos(ImVec2(0, 0));
  if (invisible_button("poem:previous-poem", side, height)) open_poem_beside(-1);
  ImGui::SetCursorPos(ImVec2(side, 0));
  if (invisible_button("poem:pause-resume", size.x - 2 * side, height)) toggle_poem();
  ImGui::SetCursorPos(ImVec2(size.x - side, 0));
  if (invisible_button("poem:next-poem", side, height)) open_poem_beside(1);
  // What the zones do, for a companion who can see.
  ImDrawList& draw = *ImGui::GetWindowDrawList();
  const float band = 72 * scale;
  draw.PushClipRectFullScreen();  // the band spans the screen, not the window's padded inside
  draw.AddRectFilled(ImVec2(0, height - band), ImVec2(size.x, height), color(colors.panel, colors.panel_opacity));
  centered_text(draw, display.ui->body_font(), height - band + 20 * scale, text(Text::audio_only_hint, settings.language),
                color(colors.text));
  draw.PopClipRect();
  ImGui::End();
}

void Kiosk::State::open_poem_beside(int step) {
  const std::vector<scene::Poem>& poems = content.entries()[*shown_entry].poems;
  const std::optional<size_t> current = poem_of(*shown_entry, shown_exhibit);
  if (!current || poems.size() < 2) return;
  const auto count = static_cast<int>(poems.size());
  const auto next = static_cast<size_t>((static_cast<int>(*current) + step + count) % count);
  open_exhibit(*shown_entry, poems[next].exhibit, true);
}

void Kiosk::State::draw_accessibility() {
  const ImVec2 size = ImGui::GetIO().DisplaySize;
  const float scale = ui_scale();
  const Language language = settings.language;
  const float width = std::min(size.x - 40 * scale, 640 * scale * std::min(settings.text_scale, 1.6f));
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
  ImGui::TextUnformatted(label(buffer, "{}  {:.0f}%", text(Text::text_size, language), settings.text_scale * 100.0f));
  if (button("text-smaller", "A−", row_height * 1.6f, row_height)) {
    settings.text_scale = std::max(min_text_scale, settings.text_scale - 0.25f);
    log_setting("text_scale", static_cast<int64_t>(std::lround(settings.text_scale * 100.0f)));
  }
  ImGui::SameLine();
  if (button("text-larger", "A+", row_height * 1.6f, row_height)) {
    settings.text_scale = std::min(max_text_scale, settings.text_scale + 0.25f);
    log_setting("text_scale", static_cast<int64_t>(std::lround(settings.text_scale * 100.0f)));
  }
  auto toggle = [&](const char* name, std::string_view logged_as, Text words, bool& value) {
    if (button(name, label(buffer, "{}{}", value ? "● " : "○ ", text(words, language)), inner, row_height, value)) {
      value = !value;
      log_setting(logged_as, value ? 1 : 0);
    }
  };
  toggle("high-contrast", "high_contrast", Text::high_contrast, settings.high_contrast);
  toggle("audio-descriptions", "audio_descriptions", Text::audio_descriptions, settings.audio_descriptions);
  toggle("calm", "calm", Text::calm_mode, settings.calm);
  toggle("seated", "seated", Text::seated_mode, settings.seated);
  toggle("audio-only", "audio_only", Text::audio_only, settings.audio_only);
  if (button("accessibility-done", text(Text::done, language), inner, row_height, true)) accessibility_open = false;
  ImGui::End();
}

void Kiosk::State::draw_still_there() {
  const Palette& colors = palette(settings.high_contrast);
  const ImVec2 size = ImGui::GetIO().DisplaySize;
  const float scale = ui_scale();
  const Language language = settings.language;
  // Dims the scene behind the question.
  ImGui::GetBackgroundDrawList()->AddRectFilled(ImVec2(0, 0), size, color(0x000000, 0.45f));
  ImGui::SetNextWindowPos(ImVec2(size.x * 0.5f, size.y * 0.5f), ImGuiCond_Always, ImVec2(0.5f, 0.5f));
  ImGui::SetNextWindowSize(ImVec2(std::min(size.x - 40 * scale, 620 * scale * std::min(settings.text_scale, 1.6f)), 0));
  ImGui::Begin("still-there", nullptr,
               ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                   ImGuiWindowFlags_AlwaysAutoResize);
  ImGui::SetWindowFocus();
  ImGui::PushFont(display.ui->title_font());
  ImGui::TextUnformatted(text(Text::still_there, language).data());
  ImGui::PopFont();
  std::array<char, 256> buffer;
  const auto seconds_left = static_cast<int>(std::ceil(session.seconds_left(now)));
  ImGui::TextColored(color4(colors.muted_text), "%s",
                     label(buffer, fmt::runtime(text(Text::returning_in, language)), seconds_left));
  // Any touch counts as "still here" (the session saw it); the button says so plainly.
  button("keep-exploring", text(Text::keep_exploring, language), ImGui::GetContentRegionAvail().x, 80 * scale, true);
  ImGui::End();
}

void Kiosk::State::draw_closed() {
  const Palette& colors = palette(false);
  const ImVec2 size = ImGui::GetIO().DisplaySize;
  const float scale = ui_scale();
  ImDrawList& draw = *ImGui::GetForegroundDrawList();
  draw.AddRectFilled(ImVec2(0, 0), size, color(0x000000));
  if (now >= closed_notice_until) return;
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

void Kiosk::State::draw_operator_pin() {
  const ImVec2 size = ImGui::GetIO().DisplaySize;
  const float scale = ui_scale();
  begin_fullscreen("operator-pin", true);
  std::array<char, 256> buffer;
  const float key = 96 * scale;
  const float pad_width = 3 * key + 2 * ImGui::GetStyle().ItemSpacing.x;
  const float left = (size.x - pad_width) * 0.5f;
  ImGui::SetCursorPos(ImVec2(left, 40 * scale));
  ImGui::TextUnformatted(label(buffer, "{} · {}", text(Text::enter_pin, Language::zh_cn), text(Text::enter_pin, Language::en)));
  ImGui::SetCursorPosX(left);
  const bool locked = now < pin_locked_until;
  if (locked) {
    ImGui::TextUnformatted(label(buffer, "{} · {}", text(Text::locked_out, Language::zh_cn), text(Text::locked_out, Language::en)));
  } else if (pin_rejected) {
    ImGui::TextUnformatted(label(buffer, "{} · {}", text(Text::wrong_pin, Language::zh_cn), text(Text::wrong_pin, Language::en)));
  } else {
    std::array<char, 32> dots{};
    size_t length = 0;
    for (size_t digit = 0; digit < pin_entry.size() && length + 4 < dots.size(); ++digit) {
      for (const char byte : std::string_view("● ")) dots[length++] = byte;
    }
    ImGui::TextUnformatted(dots.data());
  }
  constexpr std::array<std::string_view, 12> keys{"1", "2", "3", "4", "5", "6", "7", "8", "9", "clear", "0", "cancel"};
  for (size_t index = 0; index < keys.size(); ++index) {
    if (index % 3 == 0) ImGui::SetCursorPosX(left);
    const std::string_view name = keys[index];
    const std::string_view shown = name == "clear"    ? text(Text::clear, settings.language)
                                   : name == "cancel" ? text(Text::cancel, settings.language)
                                                      : name;
    std::array<char, 256> control;
    if (button(label(control, "pin:{}", name), shown, key, key * 0.8f)) {
      if (name == "cancel") {
        screen = Screen::attract;
      } else if (name == "clear") {
        pin_entry.clear();
      } else if (!locked && pin_entry.size() < 8) {
        pin_rejected = false;
        pin_entry += name;
        if (pin_entry.size() == config.operator_pin.size()) {
          if (pin_entry == config.operator_pin) {
            wrong_pins = 0;
            screen = Screen::operator_menu;
            note_for_operator("operator menu opened");
          } else {
            pin_rejected = true;
            if (++wrong_pins >= pin_tries_before_lockout) {
              pin_locked_until = now + pin_lockout_seconds;
              wrong_pins = 0;
              note_for_operator("operator PIN locked for 5 minutes after 5 wrong tries");
            }
          }
          pin_entry.clear();
        }
      }
    }
    if (index % 3 != 2) ImGui::SameLine();
  }
  ImGui::End();
}

void Kiosk::State::draw_operator_menu() {
  const ImVec2 size = ImGui::GetIO().DisplaySize;
  const float scale = ui_scale();
  const Language language = settings.language;
  begin_fullscreen("operator-menu", true);
  ImGui::PushFont(display.ui->title_font());
  ImGui::TextUnformatted(text(Text::operator_title, language).data());
  ImGui::PopFont();
  std::array<char, 256> buffer;
  // Something for the operator to look into, marked; a sentence that may run long.
  std::array<char, 1024> problem_text;
  const auto problem = [&](std::string_view message) { display.ui->wrapper().text(label(problem_text, "  ! {}", message)); };
  ImGui::TextUnformatted(label(buffer, "Pavilion {} · {} ({})", PAVILION_VERSION, display.context->device_choice().name,
                               display.context->device_choice().type));
  std::error_code error;
  const auto space = std::filesystem::space(config.content, error);
  if (!error) {
    ImGui::TextUnformatted(label(buffer, fmt::runtime(text(Text::disk_free, language)),
                                 static_cast<double>(space.available) / 1e9, static_cast<double>(space.capacity) / 1e9));
  }
  if (const telemetry::Uploader* uploader = events->uploader()) {
    const telemetry::UploaderStats upload = uploader->stats();
    std::array<char, 256> state_text;
    if (upload.token_refused) {
      label(state_text, "{}", text(Text::upload_token_refused, language));
    } else if (upload.consecutive_failures > 0) {
      label(state_text, fmt::runtime(text(Text::upload_failing, language)), upload.consecutive_failures, upload.queued);
    } else if (upload.last_success_ms == 0) {
      label(state_text, fmt::runtime(text(Text::upload_never, language)), upload.queued);
    } else {
      const int64_t minutes = std::max<int64_t>(0, (telemetry::system_clock_ms() - upload.last_success_ms) / 60'000);
      label(state_text, fmt::runtime(text(Text::upload_ago, language)), minutes, upload.queued);
    }
    ImGui::TextUnformatted(label(buffer, "{}: {}", text(Text::last_upload, language), state_text.data()));
    if (!upload.last_error.empty()) problem(upload.last_error);
    if (upload.quarantined > 0) {
      problem(label(buffer, fmt::runtime(text(Text::upload_quarantined, language)), upload.quarantined,
                    config.telemetry_queue.filename().string()));
    }
  } else {
    ImGui::TextUnformatted(label(buffer, "{}: {}", text(Text::last_upload, language), text(Text::no_hub, language)));
  }
  if (const telemetry::Telemetry* telemetry = events->telemetry()) {
    const telemetry::TelemetryStats stats = telemetry->stats();
    ImGui::TextUnformatted(label(buffer, fmt::runtime(text(Text::interaction_log, language)), stats.recorded,
                                 stats.written, stats.dropped_ring_full));
    if (!stats.last_error.empty()) problem(stats.last_error);
  } else {
    ImGui::TextUnformatted(text(Text::interaction_log_off, language).data());
  }
  ImGui::TextUnformatted(label(buffer, fmt::runtime(text(Text::packages, language)), content.entries().size(),
                               content.problems().size()));
  ImGui::PushTextWrapPos(size.x - 420 * scale);
  for (const ContentEntry& entry : content.entries()) {
    const bool in_season = std::find(active.begin(), active.end(),
                                     static_cast<size_t>(&entry - content.entries().data())) != active.end();
    ImGui::TextUnformatted(label(buffer, "  {} — {} {} ({})", entry.file.filename().string(), entry.id, entry.version,
                                 text(in_season ? Text::in_season : Text::out_of_season, language)));
  }
  for (const ContentProblem& content_problem : content.problems()) problem(pick(content_problem.summary, language));
  ImGui::Spacing();
  for (const std::string& line : operator_log) display.ui->wrapper().text(line);
  ImGui::PopTextWrapPos();

  const float width = 360 * scale;
  const float height = 80 * scale;
  float y = 110 * scale;
  auto action = [&](const char* name, Text words, bool accent = false) {
    ImGui::SetCursorPos(ImVec2(size.x - width - 30 * scale, y));
    y += height + 16 * scale;
    return button(name, label(buffer, "{} {}", text(words, Language::zh_cn), text(words, Language::en)), width, height, accent);
  };
  if (action("operator:reload", Text::reload_content)) {
    note_for_operator("content reloaded by the operator");
    if (auto reloaded = open_content(); !reloaded) note_for_operator("reloading failed: " + reloaded.error().why());
  }
  if (action("operator:test-pattern", Text::test_pattern)) screen = Screen::test_pattern;
  if (action("operator:restart", Text::restart)) restart_requested = true;
  if (action("operator:close", Text::close, true)) screen = Screen::attract;
  ImGui::End();
}

void Kiosk::State::draw_test_pattern() {
  const ImVec2 size = ImGui::GetIO().DisplaySize;
  ImDrawList& draw = *ImGui::GetBackgroundDrawList();
  // SMPTE-like bars, a grid every 10 % and a centred circle: colour, geometry and focus at a glance.
  constexpr std::array<uint32_t, 8> bars{0xffffff, 0xffff00, 0x00ffff, 0x00ff00, 0xff00ff, 0xff0000, 0x0000ff, 0x000000};
  const float bar_width = size.x / static_cast<float>(bars.size());
  for (size_t index = 0; index < bars.size(); ++index) {
    draw.AddRectFilled(ImVec2(bar_width * static_cast<float>(index), 0), ImVec2(bar_width * static_cast<float>(index + 1), size.y),
                       color(bars[index]));
  }
  for (int step = 1; step < 10; ++step) {
    const float fraction = static_cast<float>(step) / 10.0f;
    draw.AddLine(ImVec2(size.x * fraction, 0), ImVec2(size.x * fraction, size.y), color(0x808080), 1.0f);
    draw.AddLine(ImVec2(0, size.y * fraction), ImVec2(size.x, size.y * fraction), color(0x808080), 1.0f);
  }
  draw.AddCircle(ImVec2(size.x * 0.5f, size.y * 0.5f), size.y * 0.4f, color(0xffffff), 96, 3.0f);
  draw.AddRectFilled(ImVec2(size.x * 0.5f - 260, size.y * 0.5f - 24), ImVec2(size.x * 0.5f + 260, size.y * 0.5f + 24),
                     color(0x000000));
  centered_text(draw, display.ui->body_font(), size.y * 0.5f - 18, "测试图案 Test pattern", color(0xffffff));
  begin_fullscreen("test-pattern", false);
  ImGui::SetCursorPos(ImVec2(0, 0));
  if (invisible_button("test-pattern:back", size.x, size.y)) screen = Screen::operator_menu;
  ImGui::End();
}

void Kiosk::State::draw_fade_and_loading() {
  const ImVec2 size = ImGui::GetIO().DisplaySize;
  if (fade > 0.0f) ImGui::GetBackgroundDrawList()->AddRectFilled(ImVec2(0, 0), size, color(0x000000, fade));
  if (!loading.valid() ||
      std::chrono::duration<double>(std::chrono::steady_clock::now() - loading_since).count() < loading_indicator_after_seconds) {
    return;
  }
  // A scene taking longer than 200 ms to appear says so, with a turning arc.
  const float scale = ui_scale();
  ImDrawList& draw = *ImGui::GetForegroundDrawList();
  const ImVec2 center(size.x * 0.5f, size.y * 0.5f);
  const float angle = static_cast<float>(now * 4.0);
  draw.PathArcTo(center, 36 * scale, angle, angle + 4.0f, 32);
  draw.PathStroke(color(0xf4efe6), false, 6 * scale);
  centered_text(draw, display.ui->body_font(), center.y + 56 * scale, text(Text::loading, settings.language), color(0xf4efe6));
}

}  // namespace pavilion::kiosk

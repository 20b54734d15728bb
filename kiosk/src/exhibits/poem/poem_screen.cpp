// The poem exhibit on the exhibit screen: its scroll, its controls, and audio-only mode's zones.
#include "exhibits/poem/poem_player.h"

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
#include <utility>

namespace pavilion::kiosk {
namespace {

// What audio-only mode's touch zones say, in Chinese and English: the poem's own words, which the
// shared spoken interface does not know.
enum class PoemSpoken { previous_poem, pause_resume, next_poem, help_zones, count };

using Pair = std::pair<std::string_view, std::string_view>;  // zh-CN, en

constexpr std::array<Pair, static_cast<size_t>(PoemSpoken::count)> poem_spoken_table{{
    {"上一首", "Previous poem"},
    {"暂停或继续", "Pause or resume"},
    {"下一首", "Next poem"},
    {"诗词画面：触摸中间暂停或继续，左侧上一首，右侧下一首；返回键回到首页。",
     "A poem: touch the middle to pause or resume, the left side for the previous poem, the right side for the "
     "next; back returns home."},
}};

std::string_view poem_spoken(PoemSpoken id, Language language) {
  const Pair& pair = poem_spoken_table[static_cast<size_t>(id)];
  return language == Language::zh_cn ? pair.first : pair.second;
}

}  // namespace

void add_poem_spoken_glyphs(std::string& text) {
  for (const Pair& pair : poem_spoken_table) (text += pair.first) += pair.second;
}

std::string_view PoemPlayer::help(Language language) const {
  // The zones are the poem's whole screen in audio-only mode; otherwise its screen is an exhibit's.
  return shown() && kiosk_.visit.settings.audio_only ? poem_spoken(PoemSpoken::help_zones, language) : std::string_view();
}

void PoemPlayer::draw(const scene::Exhibit& shown_exhibit, float panel_width, float bar_height) {
  // A poem that could not be opened shows as an ordinary exhibit: its info panel alone.
  if (!shown()) {
    kiosk_.draw_exhibit_info(shown_exhibit, panel_width, bar_height, nullptr);
    return;
  }
  draw_scroll(panel_width, bar_height);
  if (kiosk_.visit.settings.audio_only) {
    draw_audio_only_zones(bar_height);
  } else {
    kiosk_.draw_exhibit_info(shown_exhibit, panel_width, bar_height, this);
  }
}

void PoemPlayer::draw_panel_rows() {
  const Language language = kiosk_.visit.settings.language;
  const std::string& dynasty = pick(view_->poem().dynasty, language);
  if (!dynasty.empty()) kiosk_.draw_panel_row(Text::dynasty, dynasty);
  if (!kiosk_.visit.settings.lower_layout) draw_controls();
  if (show_translation_) {
    ImGui::Spacing();
    kiosk_.draw_panel_text(view_->poem().translation);
  }
}

void PoemPlayer::draw_panel_footer() {
  const scene::FontCredit& credit = view_->poem().font_credit;
  if (credit.family.empty()) return;
  const Language language = kiosk_.visit.settings.language;
  std::array<char, 256> line;
  ImGui::TextColored(color4(palette(kiosk_.visit.settings.high_contrast).muted_text), "%s",
                     label(line, fmt::runtime(text(Text::font_credit, language)), credit.family, credit.url));
}

void PoemPlayer::draw_scroll(float panel_width, float bar_height) {
  const ImVec2 size = ImGui::GetIO().DisplaySize;
  const float scale = kiosk_.ui_scale();
  const exhibits::ScrollColors& colors = kiosk_.visit.settings.high_contrast ? exhibits::scroll_colors_high_contrast : exhibits::scroll_colors;
  const exhibits::PoemText& poem = view_->text();
  const text::TextLayout& layout = poem.layout(show_pinyin_);
  const exhibits::ScrollShape shape = exhibits::scroll_shape(layout, poem.poem().vertical);
  // The scroll fills the room left of the panel, the text as large as fits (larger text asked
  // for in the accessibility panel only where it still fits).
  const float room_width = (kiosk_.visit.settings.audio_only ? size.x : size.x - panel_width) - 48 * scale;
  const float room_height = size.y - bar_height - 48 * scale;
  const float em = std::min({room_width / shape.width, room_height / shape.height, 64 * scale * kiosk_.visit.settings.text_scale});
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
  const text::TextSpan lit = view_->lit();
  const ImVec2 paper_min = to_screen(shape.paper.min_x, shape.paper.min_y);
  const ImVec2 paper_max = to_screen(shape.paper.max_x, shape.paper.max_y);
  const ImVec2 text_corner = to_screen(shape.text_left, shape.text_top);
  ui::TextPaint paint = exhibits::scroll_paint(colors, lit, kiosk_.visit.settings.calm);
  paint.left = text_corner.x;
  paint.top = text_corner.y;
  paint.pixels_per_unit = em;
  paint.clip_min_x = paper_min.x;
  paint.clip_min_y = paper_min.y;
  paint.clip_max_x = paper_max.x;
  paint.clip_max_y = paper_max.y;
  kiosk_.display.ui->draw_text(draw, layout, poem.atlas(), poem.atlas_texture(), paint);
  ImGui::End();
}

void PoemPlayer::draw_controls() {
  const float scale = kiosk_.ui_scale();
  const Language language = kiosk_.visit.settings.language;
  const float width = (ImGui::GetContentRegionAvail().x - ImGui::GetStyle().ItemSpacing.x) * 0.5f;
  const float height = 72 * scale * kiosk_.target_scale();  // taller in simple mode
  ImGui::Spacing();
  if (view_->has_recitation()) {
    const Text play_words = view_->playing() ? Text::pause : view_->paused() ? Text::resume : Text::recite;
    if (kiosk_.button("poem:play", text(play_words, language), width, height, true)) toggle();
    ImGui::SameLine();
    if (kiosk_.button("poem:replay", text(Text::replay, language), width, height)) play();
  }
  std::array<char, 256> buffer;
  std::array<char, 256> said;
  const auto toggle = [&](const char* name, Text words, bool& value) {
    if (kiosk_.button(name, label(buffer, "{}{}", value ? "● " : "○ ", text(words, language)), width, height, value,
                      label(said, fmt::runtime(spoken(value ? Spoken::state_on : Spoken::state_off, language)),
                            text(words, language)))) {
      value = !value;
    }
  };
  if (!view_->poem().pinyin.empty()) {
    toggle("poem:pinyin", Text::pinyin, show_pinyin_);
    ImGui::SameLine();
  }
  toggle("poem:translation", Text::translation, show_translation_);
}

void PoemPlayer::draw_audio_only_zones(float bar_height) {
  const Palette& colors = palette(kiosk_.visit.settings.high_contrast);
  const ImVec2 size = ImGui::GetIO().DisplaySize;
  const float scale = kiosk_.ui_scale();
  // The zones reach from the top of the screen, or in the lower layout from the reach line.
  const float top = kiosk_.visit.settings.lower_layout ? size.y * lower_layout_top : 0.0f;
  const float height = size.y - bar_height - top;
  ImGui::SetNextWindowPos(ImVec2(0, top));
  ImGui::SetNextWindowSize(ImVec2(size.x, height));
  ImGui::Begin("poem-zones", nullptr,
               ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                   ImGuiWindowFlags_NoBackground);
  // Three zones a hand finds without looking: the screen's edges and its middle.
  const float side = size.x * 0.25f;
  ImGui::SetCursorPos(ImVec2(0, 0));
  const Language language = kiosk_.visit.settings.language;
  if (kiosk_.invisible_button("poem:previous-poem", side, height, poem_spoken(PoemSpoken::previous_poem, language))) open_beside(-1);
  ImGui::SetCursorPos(ImVec2(side, 0));
  if (kiosk_.invisible_button("poem:pause-resume", size.x - 2 * side, height, poem_spoken(PoemSpoken::pause_resume, language))) toggle();
  ImGui::SetCursorPos(ImVec2(size.x - side, 0));
  if (kiosk_.invisible_button("poem:next-poem", side, height, poem_spoken(PoemSpoken::next_poem, language))) open_beside(1);
  // What the zones do, for a companion who can see.
  ImDrawList& draw = *ImGui::GetWindowDrawList();
  const float band = 72 * scale;
  draw.PushClipRectFullScreen();  // the band spans the screen, not the window's padded inside
  const float bottom = top + height;
  draw.AddRectFilled(ImVec2(0, bottom - band), ImVec2(size.x, bottom), color(colors.panel, colors.panel_opacity));
  centered_text(draw, kiosk_.display.ui->body_font(), bottom - band + 20 * scale, text(Text::audio_only_hint, kiosk_.visit.settings.language),
                color(colors.text));
  draw.PopClipRect();
  ImGui::End();
}

void PoemPlayer::open_beside(int step) {
  const std::vector<scene::Poem>& poems = kiosk_.content.entries()[*kiosk_.stage.shown_entry].poems;
  const std::optional<size_t> current = poem_of(*kiosk_.stage.shown_entry, kiosk_.stage.shown_exhibit);
  if (!current || poems.size() < 2) return;
  const auto count = static_cast<int>(poems.size());
  const auto next = static_cast<size_t>((static_cast<int>(*current) + step + count) % count);
  kiosk_.open_exhibit(*kiosk_.stage.shown_entry, poems[next].exhibit, true);
}

}  // namespace pavilion::kiosk

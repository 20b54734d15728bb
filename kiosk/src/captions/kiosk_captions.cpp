// Captions on the touch screen: what the narrator says, the line of a poem being recited and the
// scene's sounds named, each shown while it is heard (kiosk/ACCESSIBILITY.md), on a dark band
// along the bottom that never covers a control.
#include "captions/captions_text.h"
#include "captions/speaker_mark.h"
#include "interface/style.h"
#include "kiosk_state.h"
#include "touch/widgets.h"

#include <fmt/format.h>
#include <imgui.h>

#include <algorithm>
#include <array>
#include <limits>

namespace pavilion::kiosk {
namespace {

using interaction::CaptionKind;

constexpr double until_ended = std::numeric_limits<double>::infinity();
constexpr uint32_t band_color = 0x000000;
constexpr float band_opacity = 0.82f;
constexpr uint32_t speech_color = 0xffffff;  // 21:1 on the band
constexpr uint32_t sound_color = 0xffe9a8;   // sounds named, set apart from words said (17:1)

// The shown exhibit's audio description (or its description, or the easy one) read aloud is
// captioned as a description; everything else the narrator says as speech.
CaptionKind kind_of(const Kiosk::State& kiosk, const speech::SpokenLine& line) {
  if (kiosk.screen != Screen::exhibit || !kiosk.stage.shown_entry) return CaptionKind::speech;
  const std::vector<scene::Exhibit>& exhibits = kiosk.content.entries()[*kiosk.stage.shown_entry].exhibits;
  if (kiosk.stage.shown_exhibit >= exhibits.size()) return CaptionKind::speech;
  const scene::Exhibit& shown = exhibits[kiosk.stage.shown_exhibit];
  for (const LocalizedText* words : {&shown.alt_text, &shown.description_easy, &shown.metadata.description}) {
    if (!line.text.empty() && (line.text == words->zh_cn || line.text == words->en)) return CaptionKind::description;
  }
  return CaptionKind::speech;
}

// Each line the narrator says, from its first sound to its end (or to where it was cut short).
void caption_narrator(Kiosk::State& kiosk) {
  if (!kiosk.sound.narrator) return;
  kiosk.caption_feed.speech.update(*kiosk.sound.narrator, kiosk.captions, kiosk.now,
                                   [&](const speech::SpokenLine& line) { return kind_of(kiosk, line); });
}

// A scene's sound named while the listener hears it, in the visitor's language (named again when
// they switch): its caption, else its exhibit's title, else its file's name.
void caption_scene_sounds(Kiosk::State& kiosk) {
  const SceneSounds& sounds = kiosk.sound.scene_sounds;
  CaptionFeed& feed = kiosk.caption_feed;
  const Language language = kiosk.visit.settings.language;
  const bool switched = feed.scene_sound_in_chinese != (language == Language::zh_cn);
  // A show's music names itself (show/): its line replaces the room's, which is not ended under it.
  if (kiosk.show.music_heard()) {
    feed.scene_sound = SIZE_MAX;
    return;
  }
  if (feed.scene_sound != SIZE_MAX &&
      (switched || feed.scene_sound >= sounds.size() || !sounds.audible(feed.scene_sound))) {
    kiosk.captions.end(CaptionKind::music, kiosk.now);
    feed.scene_sound = SIZE_MAX;
  }
  if (feed.scene_sound != SIZE_MAX || !kiosk.stage.shown_entry) return;
  const std::vector<scene::Exhibit>& exhibits = kiosk.content.entries()[*kiosk.stage.shown_entry].exhibits;
  for (size_t index = 0; index < sounds.size(); ++index) {
    if (!sounds.audible(index)) continue;
    const std::string_view name = sound_caption_name(sounds.source(index), exhibits, language);
    std::array<char, 512> buffer;
    kiosk.captions.show(CaptionKind::music, label(buffer, fmt::runtime(text(CaptionsText::music, language)), name),
                        language_tag(language), kiosk.now, until_ended);
    feed.scene_sound = index;
    feed.scene_sound_in_chinese = language == Language::zh_cn;
    return;
  }
}

bool overlaps(const Control& control, float left, float top, float right, float bottom) {
  return control.min_x < right && control.max_x > left && control.min_y < bottom && control.max_y > top;
}

}  // namespace

void Kiosk::State::update_captions() {
  caption_narrator(*this);
  for (const auto& player : players) player->update_captions(captions, now);
  caption_scene_sounds(*this);
  show.update_captions(captions, now, visit.settings.language);
}

void Kiosk::State::draw_captions() {
  report.caption_band = {};
  const std::span<const interaction::Caption> lines = captions.showing(now);
  if (lines.empty()) return;
  const ImVec2 size = ImGui::GetIO().DisplaySize;
  const float scale = ui_scale();
  ImFont& font = *display.ui->body_font();
  const float font_size = font.FontSize;
  const float padding = 12 * scale;
  const float mark = font_size;  // the speaker's square, a line tall
  // Left of the exhibit's panel (the right 36 %), else across the screen.
  const float left = 24 * scale;
  const float right = screen == Screen::exhibit ? size.x * 0.64f - 24 * scale : size.x - 24 * scale;
  const float wrap_width = right - left - 2 * padding - mark - padding;
  float height = padding;
  for (const interaction::Caption& line : lines) {
    const std::string_view wrapped = display.ui->wrapper().wrap(font, font_size, line.text, wrap_width);
    height += font.CalcTextSizeA(font_size, FLT_MAX, 0.0f, wrapped.data(), wrapped.data() + wrapped.size()).y + padding;
  }
  // Along the bottom (above the attract loop's invitation), moved up above every control it
  // would cover and the panel around it (the exhibit bar, a screen's buttons); a touch area
  // taller than half the screen (the attract loop's, audio-only mode's zones) has no face to
  // cover.
  float bottom = (screen == Screen::attract ? size.y - attract_invitation_height * scale : size.y) - padding;
  for (bool moved = true; moved;) {
    moved = false;
    for (size_t index = 0; index < touch.count; ++index) {
      const Control& control = touch.controls[index];
      if (control.max_y - control.min_y > 0.5f * size.y) continue;
      if (overlaps(control, left, bottom - height, right, bottom)) {
        bottom = control.min_y - ImGui::GetStyle().WindowPadding.y - padding * 0.5f;
        moved = true;
      }
    }
  }
  const float top = bottom - height;
  report.caption_band = {left, top, right, bottom};

  ImGui::SetNextWindowPos(ImVec2(left, top));
  ImGui::SetNextWindowSize(ImVec2(right - left, height));
  ImGui::Begin("captions", nullptr,
               ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                   ImGuiWindowFlags_NoBackground | ImGuiWindowFlags_NoInputs | ImGuiWindowFlags_NoFocusOnAppearing |
                   ImGuiWindowFlags_NoBringToFrontOnFocus);
  ImDrawList& draw = *ImGui::GetWindowDrawList();
  draw.AddRectFilled(ImVec2(left, top), ImVec2(right, bottom), color(band_color, band_opacity), 8 * scale);
  float y = top + padding;
  for (const interaction::Caption& line : lines) {
    const bool voice = is_voice(line.kind);
    const ImU32 ink = color(voice ? speech_color : sound_color);
    if (voice) draw_speaker(draw, ImVec2(left + padding, y), mark, ink);
    const std::string_view wrapped = display.ui->wrapper().wrap(font, font_size, line.text, wrap_width);
    draw.AddText(&font, font_size, ImVec2(left + 2 * padding + mark, y), ink, wrapped.data(), wrapped.data() + wrapped.size());
    y += font.CalcTextSizeA(font_size, FLT_MAX, 0.0f, wrapped.data(), wrapped.data() + wrapped.size()).y + padding;
  }
  ImGui::End();
}

}  // namespace pavilion::kiosk

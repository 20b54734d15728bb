#include "pavilion/exhibits/show_titles.h"

#include <algorithm>
#include <cfloat>

namespace pavilion::exhibits {
namespace {

// A calligraphic title's height against the interface's title font, and where a title with no
// place on screen goes (a fraction of the frame's height, centred).
constexpr float title_scale = 1.6f;
constexpr float unplaced_title_height = 0.22f;
constexpr ImU32 title_rgb = IM_COL32(0xff, 0xf1, 0xc4, 0);  // warm gold, on a soft dark shadow
constexpr ImU32 shadow_rgb = IM_COL32(0, 0, 0, 0);

ImU32 with_alpha(ImU32 rgb, float alpha) {
  return rgb | (static_cast<ImU32>(std::clamp(alpha, 0.0f, 1.0f) * 255.0f + 0.5f) << IM_COL32_A_SHIFT);
}

const std::string& words_in(const LocalizedText& text, bool chinese) {
  const std::string& wanted = chinese ? text.zh_cn : text.en;
  return wanted.empty() ? (chinese ? text.en : text.zh_cn) : wanted;
}

}  // namespace

const scene::ShowCue& show_cue(const scene::Show& show, uint32_t track, uint32_t moment, uint32_t cue) {
  if (track != scene::no_show_index) return show.tracks[track].cues[cue];
  return show.moments[moment].response[cue];
}

std::string show_title_text(const scene::Show& show) {
  std::string text;
  const auto add_titles = [&](const std::vector<scene::ShowCue>& cues) {
    for (const scene::ShowCue& cue : cues) {
      if (cue.kind == scene::CueKind::title) (text += cue.text.zh_cn) += cue.text.en;
    }
  };
  for (const scene::ShowTrack& track : show.tracks) add_titles(track.cues);
  for (const scene::InteractiveMoment& moment : show.moments) add_titles(moment.response);
  return text;
}

ShowTitlesDrawn draw_show_titles(ImDrawList& draw, ImVec2 size, const scene::Show& show,
                                 std::span<const scene::TitleState> titles, std::span<const scene::Exhibit> exhibits,
                                 const glm::mat4& view_projection, bool chinese, float opacity,
                                 const ShowTitleFonts& fonts) {
  ShowTitlesDrawn drawn;
  for (const scene::TitleState& title : titles) {
    const scene::ShowCue& cue = show_cue(show, title.track, title.moment, title.cue);
    const std::string& words = words_in(cue.text, chinese);
    const float alpha = std::clamp(title.alpha, 0.0f, 1.0f) * opacity;
    if (words.empty() || alpha <= 0.0f) continue;
    ImFont& font = cue.font == scene::FontRole::calligraphy ? *fonts.calligraphy : *fonts.body;
    const float font_size = font.FontSize * (cue.font == scene::FontRole::calligraphy ? title_scale : 1.0f);
    const ImVec2 extent = font.CalcTextSizeA(font_size, FLT_MAX, 0.0f, words.data(), words.data() + words.size());
    // Over its exhibit (above its top), or at its place in the scene; where that is not in view,
    // high in the middle of the frame.
    glm::vec3 place = cue.position;
    if (cue.exhibit < exhibits.size()) place = exhibits[cue.exhibit].position + glm::vec3(0.0f, exhibits[cue.exhibit].radius, 0.0f);
    const glm::vec4 clip = view_projection * glm::vec4(place, 1.0f);
    ImVec2 centre(size.x * 0.5f, size.y * unplaced_title_height);
    if (clip.w > 1e-4f) {
      const glm::vec2 ndc = glm::vec2(clip) / clip.w;
      const ImVec2 projected((ndc.x + 1.0f) * 0.5f * size.x, (ndc.y + 1.0f) * 0.5f * size.y - extent.y * 0.6f);
      if (projected.x >= extent.x * 0.5f && projected.x <= size.x - extent.x * 0.5f && projected.y >= extent.y * 0.5f &&
          projected.y <= size.y - extent.y * 0.5f) {
        centre = projected;
      }
    }
    const ImVec2 corner(centre.x - extent.x * 0.5f, centre.y - extent.y * 0.5f);
    const float shadow = std::max(1.0f, font_size / 24.0f);
    draw.AddText(&font, font_size, ImVec2(corner.x + shadow, corner.y + shadow), with_alpha(shadow_rgb, 0.6f * alpha),
                 words.data(), words.data() + words.size());
    draw.AddText(&font, font_size, corner, with_alpha(title_rgb, alpha), words.data(), words.data() + words.size());
    if (drawn.count++ == 0) drawn.first_alpha = alpha;
  }
  return drawn;
}

}  // namespace pavilion::exhibits

#include "headset/headset_captions.h"

#include "captions/speaker_mark.h"
#include "interface/style.h"
#include "pavilion/kiosk/palette.h"

#include <glm/gtc/matrix_transform.hpp>
#include <imgui.h>

#include <algorithm>
#include <cmath>

namespace pavilion::kiosk {
namespace {

// Two lines of 44-pixel text, centred. Half a metre wide at a metre: 28° across, so a line is read
// without turning the head, and letters 1.6° tall, readable at a headset's 15–20 pixels a degree.
constexpr VkExtent2D caption_pixels{768, 160};
constexpr float caption_width_metres = 0.5f;
constexpr float caption_distance_metres = 1.0f;
constexpr float top_below_eyes_metres = 0.12f;  // its top edge 7° below the line of sight
// Words said in white, behind the speaker's mark; sounds named in a warm white, without it (both
// above 15:1 on the panel's black).
const ImVec4 speech_ink{1.0f, 1.0f, 1.0f, 1.0f};
const ImVec4 sound_ink{1.0f, 0.914f, 0.659f, 1.0f};

}  // namespace

VkExtent2D scaled(VkExtent2D pixels, float text_scale) {
  return {static_cast<uint32_t>(std::lround(static_cast<float>(pixels.width) * text_scale)),
          static_cast<uint32_t>(std::lround(static_cast<float>(pixels.height) * text_scale))};
}

Result<std::unique_ptr<HeadsetCaptions>> HeadsetCaptions::create(render::Renderer& renderer, xr::HeadsetSession& session,
                                                                 std::string_view glyphs, float text_scale) {
  std::unique_ptr<HeadsetCaptions> captions(new HeadsetCaptions(renderer, text_scale));
  PV_TRY_ASSIGN(captions->ui_, ui::UiLayer::create(renderer));
  PV_TRY(captions->ui_->set_fonts(glyphs, {.body_pixels = 44.0f * text_scale, .title_pixels = 44.0f * text_scale}));
  PV_TRY_ASSIGN(captions->panel_, session.create_panel(scaled(caption_pixels, text_scale)));
  return captions;
}

Result<void> HeadsetCaptions::show(std::span<const interaction::Caption> lines, const glm::mat4& follow_to_world,
                                   float seconds) {
  shown_ = !lines.empty();
  if (!shown_) {
    panel_->hide();
    return {};
  }
  const VkExtent2D pixels = panel_->pixels();
  const auto width = static_cast<float>(pixels.width);
  const auto height = static_cast<float>(pixels.height);
  ui_->begin_frame(width, height, seconds, {.present = false});
  apply_style(palette(false), 0.4f * scale_);
  ImGui::GetStyle().Colors[ImGuiCol_WindowBg] = ImVec4(0.0f, 0.0f, 0.0f, 0.85f);
  ImGui::SetNextWindowPos(ImVec2(0, 0));
  ImGui::SetNextWindowSize(ImVec2(width, height));
  ImGui::Begin("headset-captions", nullptr, ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings);
  ImGui::PushTextWrapPos(0.0f);
  // Every line leaves room for the mark, so lines of both kinds wrap alike.
  const float mark = ImGui::GetFontSize();
  const float indent = mark * 1.25f;
  for (const interaction::Caption& line : lines) {
    const bool voice = is_voice(line.kind);
    const ImVec4& ink = voice ? speech_ink : sound_ink;
    ImGui::PushStyleColor(ImGuiCol_Text, ink);
    // Centred when it fits on one line; a longer one wraps from the left edge.
    const float spare = ImGui::GetContentRegionAvail().x - indent - ImGui::CalcTextSize(line.text.c_str()).x;
    const float shift = std::max(spare * 0.5f, 0.0f);
    if (voice) {
      const ImVec2 corner = ImGui::GetCursorScreenPos();
      draw_speaker(*ImGui::GetWindowDrawList(), ImVec2(corner.x + shift, corner.y), mark, ImGui::GetColorU32(ink));
    }
    ImGui::Indent(shift + indent);
    ui_->wrapper().text(line.text);
    ImGui::Unindent(shift + indent);
    ImGui::PopStyleColor();
  }
  ImGui::PopTextWrapPos();
  ImGui::End();
  PV_TRY(renderer_.render_panel(*panel_, ui_->end_frame()));
  // Upright ahead of where the head lazily faces, tilted back a little to face the eyes above it.
  const float half_height = 0.5f * width_metres() * height / width;
  const float drop = top_below_eyes_metres + half_height;
  const glm::mat4 placement = glm::rotate(glm::translate(follow_to_world, glm::vec3(0.0f, -drop, -caption_distance_metres)),
                                          std::atan(drop / caption_distance_metres), glm::vec3(1, 0, 0));
  panel_->place(placement, width_metres());
  return {};
}

VkExtent2D HeadsetCaptions::pixels() const { return panel_->pixels(); }

float HeadsetCaptions::width_metres() const { return caption_width_metres * scale_; }

}  // namespace pavilion::kiosk

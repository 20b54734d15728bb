#include "headset/headset_label.h"

#include "headset/headset_captions.h"

#include "pavilion/kiosk/strings.h"
#include "interface/style.h"

#include <glm/geometric.hpp>
#include <glm/gtc/matrix_transform.hpp>

#include <cmath>
#include <utility>

namespace pavilion::kiosk {
namespace {

constexpr VkExtent2D label_pixels{512, 320};
// 34 cm wide at 55 cm: about 15 pixels a degree, as sharp as a headset's display shows.
constexpr float label_width_metres = 0.34f;
constexpr float arms_length_metres = 0.55f;
constexpr float beside_at_100_radians = 0.44f;  // 25° to the right of the exhibit
constexpr float below_metres = 0.12f;

// Where the label hangs: upright, facing the eyes, beside and a little below the line of sight.
// A larger label hangs further round, so that its near edge stays as far from the exhibit.
glm::mat4 label_placement(const glm::vec3& eyes, const glm::vec3& exhibit, float scale) {
  const float half_width_radians = std::atan(label_width_metres * 0.5f / arms_length_metres);
  const float beside_radians = beside_at_100_radians + std::atan(scale * label_width_metres * 0.5f / arms_length_metres) -
                               half_width_radians;
  glm::vec3 ahead = exhibit - eyes;
  ahead.y = 0.0f;
  ahead = glm::dot(ahead, ahead) > 1e-6f ? glm::normalize(ahead) : glm::vec3(0, 0, -1);
  const glm::vec3 beside = glm::vec3(glm::rotate(glm::mat4(1.0f), -beside_radians, glm::vec3(0, 1, 0)) * glm::vec4(ahead, 0));
  const glm::vec3 centre = eyes + beside * arms_length_metres - glm::vec3(0, below_metres, 0);
  const glm::vec3 facing = -beside;
  const glm::vec3 up(0, 1, 0);
  const glm::vec3 right = glm::normalize(glm::cross(up, facing));
  return {glm::vec4(right, 0), glm::vec4(up, 0), glm::vec4(facing, 0), glm::vec4(centre, 1)};
}

}  // namespace

Result<std::unique_ptr<HeadsetLabel>> HeadsetLabel::create(render::Renderer& renderer, xr::HeadsetSession& session,
                                                           std::span<const scene::Exhibit> exhibits, float text_scale) {
  std::unique_ptr<HeadsetLabel> label(new HeadsetLabel(renderer, exhibits, text_scale));
  PV_TRY_ASSIGN(label->ui_, ui::UiLayer::create(renderer));
  // Every character a label may show, so the font atlas holds them all.
  std::string glyphs = all_interface_text();
  for (const scene::Exhibit& exhibit : exhibits) {
    for (const LocalizedText* text : {&exhibit.metadata.title, &exhibit.metadata.creator, &exhibit.metadata.date}) {
      glyphs += text->zh_cn;
      glyphs += text->en;
    }
  }
  PV_TRY(label->ui_->set_fonts(glyphs, {.body_pixels = 26.0f * text_scale, .title_pixels = 38.0f * text_scale}));
  PV_TRY_ASSIGN(label->panel_, session.create_panel(scaled(label_pixels, text_scale)));
  return label;
}

float HeadsetLabel::width_metres() const { return label_width_metres * scale_; }

Result<void> HeadsetLabel::show(std::optional<uint32_t> selected, const glm::vec3& eyes, float seconds) {
  if (!selected || *selected >= exhibits_.size()) {
    panel_->hide();
    return {};
  }
  const scene::Exhibit& exhibit = exhibits_[*selected];
  const Palette& colors = palette(false);
  const VkExtent2D pixels = panel_->pixels();
  ui_->begin_frame(static_cast<float>(pixels.width), static_cast<float>(pixels.height), seconds, {.present = false});
  apply_style(colors, static_cast<float>(pixels.height) / 420.0f);
  // Opaque: a label floating in the air must read against anything behind it.
  ImGui::GetStyle().Colors[ImGuiCol_WindowBg] = color4(colors.panel);
  ImGui::SetNextWindowPos(ImVec2(0, 0));
  ImGui::SetNextWindowSize(ImVec2(static_cast<float>(pixels.width), static_cast<float>(pixels.height)));
  ImGui::Begin("headset-label", nullptr, ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings);
  ImGui::PushTextWrapPos(0.0f);
  ImGui::PushFont(ui_->title_font());
  ui_->wrapper().text(exhibit.metadata.title.zh_cn);
  ImGui::PopFont();
  ui_->wrapper().text(exhibit.metadata.title.en);
  ImGui::Spacing();
  for (const auto& [name, field] : {std::pair{Text::creator, &exhibit.metadata.creator}, std::pair{Text::date, &exhibit.metadata.date}}) {
    for (const Language language : {Language::zh_cn, Language::en}) {
      const std::string& value = language == Language::zh_cn ? field->zh_cn : field->en;
      if (value.empty()) continue;
      ImGui::TextColored(color4(colors.muted_text), "%s", text(name, language).data());
      ImGui::SameLine();
      ui_->wrapper().text(value);
    }
  }
  ImGui::PopTextWrapPos();
  ImGui::End();
  PV_TRY(renderer_.render_panel(*panel_, ui_->end_frame()));
  panel_->place(label_placement(eyes, exhibit.position, scale_), width_metres());
  return {};
}

}  // namespace pavilion::kiosk

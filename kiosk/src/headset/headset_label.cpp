#include "headset/headset_label.h"

#include "headset/headset_captions.h"

#include "pavilion/kiosk/strings.h"
#include "interface/style.h"

#include <glm/geometric.hpp>
#include <glm/gtc/matrix_transform.hpp>

#include <algorithm>
#include <cmath>
#include <utility>

namespace pavilion::kiosk {
namespace {

constexpr VkExtent2D label_pixels{512, 320};
// A book's label grows at most this many times a short one's height: past it, a curator's very
// long summary is cut at the panel's foot rather than hanging a metre-tall label in the air.
constexpr uint32_t tallest_label_times = 4;
// 34 cm wide at 55 cm: about 15 pixels a degree, as sharp as a headset's display shows.
constexpr float label_width_metres = 0.34f;
constexpr float arms_length_metres = 0.55f;
constexpr float beside_at_100_radians = 0.44f;  // 25° to the right of the exhibit
constexpr float below_metres = 0.12f;

// Where the label hangs: upright, facing the eyes, beside and a little below the line of sight.
// A larger label hangs further round, so that its near edge stays as far from the exhibit; a
// longer one (a book's) reaches `higher` metres higher, so that its bottom edge stays where a
// short label's is, clear of the ring of buttons below the line of sight.
glm::mat4 label_placement(const glm::vec3& eyes, const glm::vec3& exhibit, float scale, float higher) {
  const float half_width_radians = std::atan(label_width_metres * 0.5f / arms_length_metres);
  const float beside_radians = beside_at_100_radians + std::atan(scale * label_width_metres * 0.5f / arms_length_metres) -
                               half_width_radians;
  glm::vec3 ahead = exhibit - eyes;
  ahead.y = 0.0f;
  ahead = glm::dot(ahead, ahead) > 1e-6f ? glm::normalize(ahead) : glm::vec3(0, 0, -1);
  const glm::vec3 beside = glm::vec3(glm::rotate(glm::mat4(1.0f), -beside_radians, glm::vec3(0, 1, 0)) * glm::vec4(ahead, 0));
  const glm::vec3 centre = eyes + beside * arms_length_metres - glm::vec3(0, below_metres - higher, 0);
  const glm::vec3 facing = -beside;
  const glm::vec3 up(0, 1, 0);
  const glm::vec3 right = glm::normalize(glm::cross(up, facing));
  return {glm::vec4(right, 0), glm::vec4(up, 0), glm::vec4(facing, 0), glm::vec4(centre, 1)};
}

}  // namespace

Result<std::unique_ptr<HeadsetLabel>> HeadsetLabel::create(render::Renderer& renderer, xr::HeadsetSession& session,
                                                           std::span<const scene::Exhibit> exhibits,
                                                           std::span<const scene::Book> books, float text_scale) {
  std::unique_ptr<HeadsetLabel> label(new HeadsetLabel(renderer, exhibits, books, text_scale));
  PV_TRY_ASSIGN(label->ui_, ui::UiLayer::create(renderer));
  // Every character a label may show, so the font atlas holds them all.
  std::string glyphs = all_interface_text();
  const auto add = [&glyphs](const LocalizedText& text) { (glyphs += text.zh_cn) += text.en; };
  for (const scene::Exhibit& exhibit : exhibits) {
    for (const LocalizedText* text : {&exhibit.metadata.title, &exhibit.metadata.creator, &exhibit.metadata.date}) add(*text);
  }
  for (const scene::Book& book : books) {
    add(book.label);
    add(book.summary);
    for (const scene::BookMetadataPair& pair : book.metadata) {
      add(pair.label);
      add(pair.value);
    }
    if (book.required_statement) {
      add(book.required_statement->label);
      add(book.required_statement->value);
    }
    for (const std::string& rights : book.rights) glyphs += rights;
  }
  PV_TRY(label->ui_->set_fonts(glyphs, {.body_pixels = 26.0f * text_scale, .title_pixels = 38.0f * text_scale}));
  // As tall as the longest label laid out, within bounds: each drawn once, offscreen, and measured.
  const VkExtent2D shortest = scaled(label_pixels, text_scale);
  const VkExtent2D tallest{shortest.width, shortest.height * tallest_label_times};
  float longest = 0.0f;
  for (uint32_t index = 0; index < exhibits.size(); ++index) {
    label->ui_->begin_frame(static_cast<float>(tallest.width), static_cast<float>(tallest.height), 0.0f, {.present = false});
    longest = std::max(longest, label->draw(index, tallest));
    static_cast<void>(label->ui_->end_frame());
  }
  label->text_.clear();  // no label shown yet
  const auto rows = std::clamp(static_cast<uint32_t>(std::ceil(longest)), shortest.height, tallest.height);
  PV_TRY_ASSIGN(label->panel_, session.create_panel({shortest.width, rows}));
  return label;
}

float HeadsetLabel::width_metres() const { return label_width_metres * scale_; }

float HeadsetLabel::draw(uint32_t index, VkExtent2D pixels) {
  const scene::Exhibit& exhibit = exhibits_[index];
  const Palette& colors = palette(false);
  // The style's sizes follow the text size, not the panel's height, which a long label adds to.
  apply_style(colors, scale_ * static_cast<float>(label_pixels.height) / 420.0f);
  // Opaque: a label floating in the air must read against anything behind it.
  ImGui::GetStyle().Colors[ImGuiCol_WindowBg] = color4(colors.panel);
  const ImVec4 muted = color4(colors.muted_text);
  ImGui::SetNextWindowPos(ImVec2(0, 0));
  ImGui::SetNextWindowSize(ImVec2(static_cast<float>(pixels.width), static_cast<float>(pixels.height)));
  ImGui::Begin("headset-label", nullptr, ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings);
  ImGui::PushTextWrapPos(0.0f);
  text_.clear();
  const auto line = [&](std::string_view words) {
    if (!words.empty()) draw_read_text(ui_->wrapper(), text_, words);
  };
  const auto pair = [&](std::string_view name, std::string_view value) {
    if (value.empty()) return;
    draw_read_heading(muted, text_, name);
    ImGui::SameLine();
    draw_read_text(ui_->wrapper(), text_, value);
  };
  ImGui::PushFont(ui_->title_font());
  line(exhibit.metadata.title.zh_cn);
  ImGui::PopFont();
  line(exhibit.metadata.title.en);
  ImGui::Spacing();
  for (const auto& [name, field] : {std::pair{Text::creator, &exhibit.metadata.creator}, std::pair{Text::date, &exhibit.metadata.date}}) {
    pair(text(name, Language::zh_cn), field->zh_cn);
    pair(text(name, Language::en), field->en);
  }
  const auto book = std::ranges::find(books_, index, &scene::Book::exhibit);
  if (book != books_.end()) {
    // What the book's source says of it, in both languages; a source in one language fills both
    // with the same words (the pack's best reading for each), said once.
    const auto second = [](const LocalizedText& text) {
      return text.en == text.zh_cn ? std::string_view() : std::string_view(text.en);
    };
    if (book->label.zh_cn != exhibit.metadata.title.zh_cn) line(book->label.zh_cn);
    if (book->label.en != exhibit.metadata.title.en) line(second(book->label));
    if (!book->summary.zh_cn.empty() || !book->summary.en.empty()) ImGui::Spacing();
    line(book->summary.zh_cn);
    line(second(book->summary));
    const auto both = [&](const scene::BookMetadataPair& both_pair) {
      pair(both_pair.label.zh_cn, both_pair.value.zh_cn);
      if (both_pair.value.en != both_pair.value.zh_cn || both_pair.label.en != both_pair.label.zh_cn) {
        pair(both_pair.label.en, both_pair.value.en);
      }
    };
    for (const scene::BookMetadataPair& metadata : book->metadata) both(metadata);
    if (book->required_statement) both(*book->required_statement);
    for (const std::string& rights : book->rights) {
      draw_read_heading(muted, text_, text(Text::rights, Language::zh_cn));
      ImGui::SameLine();
      pair(text(Text::rights, Language::en), rights);
    }
  }
  ImGui::PopTextWrapPos();
  const float filled = ImGui::GetCursorPosY() - ImGui::GetStyle().ItemSpacing.y + ImGui::GetStyle().WindowPadding.y;
  ImGui::End();
  return filled;
}

Result<void> HeadsetLabel::show(std::optional<uint32_t> selected, const glm::vec3& eyes, float seconds) {
  if (!selected || *selected >= exhibits_.size()) {
    panel_->hide();
    return {};
  }
  const VkExtent2D pixels = panel_->pixels();
  ui_->begin_frame(static_cast<float>(pixels.width), static_cast<float>(pixels.height), seconds, {.present = false});
  const float filled = draw(*selected, pixels);
  PV_TRY(renderer_.render_panel(*panel_, ui_->end_frame()));
  const uint32_t shortest = scaled(label_pixels, scale_).height;
  const auto rows = std::clamp(static_cast<uint32_t>(std::ceil(filled)), std::min(shortest, pixels.height), pixels.height);
  const float metres_per_row = width_metres() / static_cast<float>(pixels.width);
  const float higher = 0.5f * static_cast<float>(rows - std::min(rows, shortest)) * metres_per_row;
  panel_->place(label_placement(eyes, exhibits_[*selected].position, scale_, higher), width_metres(), rows);
  return {};
}

}  // namespace pavilion::kiosk

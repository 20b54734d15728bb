#include "pavilion/ui/wrapped_text.h"

#include <imgui_internal.h>

#include <algorithm>
#include <cfloat>

namespace pavilion::ui {

std::string_view TextWrapper::wrap(const ImFont& font, float size, std::string_view text, float width) {
  wrapped_.clear();
  size_t paragraph = 0;
  for (;;) {
    const size_t newline = text.find('\n', paragraph);
    const std::string_view line = text.substr(paragraph, newline == std::string_view::npos ? text.npos : newline - paragraph);
    units_.clear();
    unit_offsets_.clear();
    for (size_t offset = 0; offset < line.size();) {
      unsigned int character = 0;
      const int length = ImTextCharFromUtf8(&character, line.data() + offset, line.data() + line.size());
      // ImGui's decoder counts a sequence cut short by the text's end at its full length.
      const size_t end = std::min(offset + static_cast<size_t>(std::max(length, 1)), line.size());
      // One character at a time adds up exactly to what ImGui measures for a run: it sums the same
      // advances in the same order and knows no kerning.
      const float advance = font.CalcTextSizeA(size, FLT_MAX, 0.0f, line.data() + offset, line.data() + end).x;
      units_.push_back({advance, text::break_class(static_cast<char32_t>(character)), false});
      unit_offsets_.push_back(static_cast<uint32_t>(offset));
      offset = end;
    }
    unit_offsets_.push_back(static_cast<uint32_t>(line.size()));
    lines_.clear();
    text::fill_lines(units_, width, lines_);
    for (size_t index = 0; index < lines_.size(); ++index) {
      if (index > 0) wrapped_ += '\n';
      wrapped_.append(line.substr(unit_offsets_[lines_[index].first],
                                  unit_offsets_[lines_[index].end] - unit_offsets_[lines_[index].first]));
    }
    if (newline == std::string_view::npos) break;
    wrapped_ += '\n';
    paragraph = newline + 1;
  }
  return wrapped_;
}

void TextWrapper::text(std::string_view text) {
  ImGuiWindow& window = *ImGui::GetCurrentWindow();
  if (window.SkipItems) return;
  // As ImGui::TextWrapped: with no wrap position pushed, the window's edge.
  const float wrap_position = window.DC.TextWrapPos < 0.0f ? 0.0f : window.DC.TextWrapPos;
  const std::string_view lines =
      wrap(*ImGui::GetFont(), ImGui::GetFontSize(), text, ImGui::CalcWrapWidthForPos(window.DC.CursorPos, wrap_position));
  ImGui::PushTextWrapPos(-1.0f);  // broken already: ImGui must not break the lines again
  ImGui::TextUnformatted(lines.data(), lines.data() + lines.size());
  ImGui::PopTextWrapPos();
}

void TextWrapper::add_text(ImDrawList& list, const ImFont& font, float size, ImVec2 position, ImU32 color,
                           std::string_view text, float width) {
  const std::string_view lines = wrap(font, size, text, width);
  list.AddText(&font, size, position, color, lines.data(), lines.data() + lines.size());
}

bool TextWrapper::button(std::string_view label, ImVec2 size) {
  const ImGuiStyle& style = ImGui::GetStyle();
  const ImVec2 padding = style.FramePadding;
  const ImVec2 unwrapped = ImGui::CalcTextSize(label.data(), label.data() + label.size());
  const float width = ImGui::CalcItemSize(size, unwrapped.x + 2 * padding.x, unwrapped.y + 2 * padding.y).x;
  const std::string_view lines = wrap(*ImGui::GetFont(), ImGui::GetFontSize(), label, width - 2 * padding.x);
  const ImVec2 block = ImGui::CalcTextSize(lines.data(), lines.data() + lines.size());
  // Taller where the label needs more lines than the height asked for holds.
  const float height = std::max(ImGui::CalcItemSize(size, width, block.y + 2 * padding.y).y, block.y + 2 * padding.y);
  const bool pressed = ImGui::Button("##label", ImVec2(width, height));

  // Placed as ImGui places a one-line label (ImGui::RenderTextClipped), so such a label lands on
  // the same pixels as before; a longer one is that block with each line centred on its own.
  const ImRect frame(ImGui::GetItemRectMin(), ImGui::GetItemRectMax());
  const ImVec2 inner_min(frame.Min.x + padding.x, frame.Min.y + padding.y);
  const ImVec2 inner_max(frame.Max.x - padding.x, frame.Max.y - padding.y);
  const ImVec2 align = style.ButtonTextAlign;
  float y = std::max(inner_min.y, inner_min.y + (inner_max.y - inner_min.y - block.y) * align.y);
  const ImVec4 clip(frame.Min.x, frame.Min.y, frame.Max.x, frame.Max.y);
  ImDrawList& list = *ImGui::GetWindowDrawList();
  const ImU32 color = ImGui::GetColorU32(ImGuiCol_Text);
  for (size_t start = 0; start <= lines.size();) {
    const size_t newline = std::min(lines.find('\n', start), lines.size());
    const char* begin = lines.data() + start;
    const char* end = lines.data() + newline;
    const float line_width = ImGui::CalcTextSize(begin, end).x;
    const float x = std::max(inner_min.x, inner_min.x + (inner_max.x - inner_min.x - line_width) * align.x);
    list.AddText(nullptr, 0.0f, ImVec2(x, y), color, begin, end, 0.0f, &clip);
    y += ImGui::GetFontSize();
    start = newline + 1;
  }
  return pressed;
}

}  // namespace pavilion::ui

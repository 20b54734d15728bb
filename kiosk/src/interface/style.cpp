#include "interface/style.h"

namespace pavilion::kiosk {

ImU32 color(uint32_t rgb, float alpha) {
  return IM_COL32((rgb >> 16) & 0xff, (rgb >> 8) & 0xff, rgb & 0xff, static_cast<int>(alpha * 255.0f + 0.5f));
}

ImVec4 color4(uint32_t rgb, float alpha) { return ImGui::ColorConvertU32ToFloat4(color(rgb, alpha)); }

void draw_read_text(ui::TextWrapper& wrapper, std::string& read, std::string_view words) {
  wrapper.text(words);
  (read += words) += '\n';
}

void draw_read_heading(const ImVec4& muted, std::string& read, std::string_view words) {
  ImGui::TextColored(muted, "%.*s", static_cast<int>(words.size()), words.data());
  (read += words) += '\n';
}

void apply_style(const Palette& colors, float scale) {
  ImGuiStyle& style = ImGui::GetStyle();
  style = ImGuiStyle();
  style.WindowRounding = 10.0f * scale;
  style.FrameRounding = 8.0f * scale;
  style.WindowPadding = ImVec2(24.0f * scale, 20.0f * scale);
  style.ItemSpacing = ImVec2(14.0f * scale, 12.0f * scale);
  style.FramePadding = ImVec2(16.0f * scale, 10.0f * scale);
  style.WindowBorderSize = 0.0f;
  style.FrameBorderSize = colors.panel_opacity >= 1.0f ? 2.0f : 0.0f;
  style.ScrollbarSize = 0.0f;
  ImVec4* c = style.Colors;
  c[ImGuiCol_WindowBg] = color4(colors.panel, colors.panel_opacity);
  c[ImGuiCol_Text] = color4(colors.text);
  c[ImGuiCol_TextDisabled] = color4(colors.muted_text);
  c[ImGuiCol_Button] = color4(colors.button);
  c[ImGuiCol_ButtonHovered] = color4(colors.button);
  c[ImGuiCol_ButtonActive] = color4(colors.accent);
  c[ImGuiCol_Border] = color4(colors.outline);
}

}  // namespace pavilion::kiosk

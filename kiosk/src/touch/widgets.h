// Small pieces every touch screen draws with: a full-screen window, centred text, a text in the
// visitor's language, and labels formatted without allocating (they are made every frame).
#pragma once

#include "pavilion/core/localized_text.h"
#include "pavilion/kiosk/visitor_session.h"

#include <fmt/format.h>
#include <imgui.h>

#include <array>
#include <cfloat>
#include <string>
#include <string_view>

namespace pavilion::kiosk {

// The screens are laid out for a screen this tall and scaled to the real one.
inline constexpr float reference_height = 720.0f;
// In the lower layout every control stands below this fraction of the screen's height: the
// bottom 55 %, in a seated visitor's reach (kiosk/ACCESSIBILITY.md).
inline constexpr float lower_layout_top = 0.45f;
// The attract loop's invitation stands on a band this tall at the screen's foot (captions stand
// above it).
inline constexpr float attract_invitation_height = 150.0f;

// Full-screen, undecorated: for a screen's own layout.
inline bool begin_fullscreen(const char* name, bool background) {
  const ImGuiIO& io = ImGui::GetIO();
  ImGui::SetNextWindowPos(ImVec2(0, 0));
  ImGui::SetNextWindowSize(io.DisplaySize);
  ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                           ImGuiWindowFlags_NoBringToFrontOnFocus;
  if (!background) flags |= ImGuiWindowFlags_NoBackground;
  return ImGui::Begin(name, nullptr, flags);
}

inline void centered_text(ImDrawList& draw, ImFont* font, float y, std::string_view text, ImU32 text_color) {
  const float width = ImGui::GetIO().DisplaySize.x;
  const ImVec2 size = font->CalcTextSizeA(font->FontSize, FLT_MAX, 0.0f, text.data(), text.data() + text.size());
  draw.AddText(font, font->FontSize, ImVec2((width - size.x) * 0.5f, y), text_color, text.data(), text.data() + text.size());
}

// The text in `language`, or in the other one where it lacks that language.
inline const std::string& pick(const LocalizedText& text, Language language) {
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

}  // namespace pavilion::kiosk

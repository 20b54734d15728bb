// The kiosk's look in Dear ImGui, shared by its screens and the headset's panels.
#pragma once

#include "pavilion/kiosk/palette.h"
#include "pavilion/ui/wrapped_text.h"

#include <imgui.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace pavilion::kiosk {

// A palette colour (0xRRGGBB) for ImGui, with an opacity.
ImU32 color(uint32_t rgb, float alpha = 1.0f);
ImVec4 color4(uint32_t rgb, float alpha = 1.0f);

// Rounded panels, generous padding and the palette's colours, at `scale` times the 720p sizes.
void apply_style(const Palette& colors, float scale);

// Words a visitor reads on a panel: drawn (wrapped by our rules; a heading in `muted`, on one
// line) and added as a line of their own to `read`, the panel's words as a test reads them. Once
// `read` has grown to a frame's words, adding to it allocates nothing.
void draw_read_text(ui::TextWrapper& wrapper, std::string& read, std::string_view words);
void draw_read_heading(const ImVec4& muted, std::string& read, std::string_view words);

}  // namespace pavilion::kiosk

// The kiosk's look in Dear ImGui, shared by its screens and the headset's panels.
#pragma once

#include "pavilion/kiosk/palette.h"

#include <imgui.h>

#include <cstdint>

namespace pavilion::kiosk {

// A palette colour (0xRRGGBB) for ImGui, with an opacity.
ImU32 color(uint32_t rgb, float alpha = 1.0f);
ImVec4 color4(uint32_t rgb, float alpha = 1.0f);

// Rounded panels, generous padding and the palette's colours, at `scale` times the 720p sizes.
void apply_style(const Palette& colors, float scale);

}  // namespace pavilion::kiosk

// The kiosk's colours, chosen for WCAG 2.2 AA: every text colour against the surface it sits on
// has a contrast ratio of at least 4.5:1 (large text needs 3:1; we hold all text to 4.5). The
// high-contrast palette goes well beyond, for low-vision visitors.
#pragma once

#include <cstdint>

namespace pavilion::kiosk {

// sRGB colours as 0xRRGGBB.
struct Palette {
  uint32_t panel;          // menus and info panels
  uint32_t text;           // on panel
  uint32_t muted_text;     // secondary lines on panel
  uint32_t button;         // a button's face
  uint32_t button_text;    // on button
  uint32_t accent;         // the chosen item, primary actions
  uint32_t accent_text;    // on accent
  uint32_t outline;        // around controls (high contrast)
  float panel_opacity;     // panels over the scene
};

const Palette& palette(bool high_contrast);

// WCAG's contrast ratio of two sRGB colours, 1 … 21.
double contrast_ratio(uint32_t first, uint32_t second);

}  // namespace pavilion::kiosk

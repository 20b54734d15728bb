#include "pavilion/kiosk/palette.h"

#include <algorithm>
#include <cmath>

namespace pavilion::kiosk {
namespace {

// Ink and paper of a traditional book: cinnabar seal red, rice-paper white, ink black.
constexpr Palette standard{
    .panel = 0x1b1a19,
    .text = 0xf4efe6,
    .muted_text = 0xc9c0b3,
    .button = 0x3a3733,
    .button_text = 0xf4efe6,
    .accent = 0x9e2a1f,
    .accent_text = 0xffffff,
    .outline = 0x6b645b,
    .panel_opacity = 0.90f,
};

constexpr Palette high_contrast{
    .panel = 0x000000,
    .text = 0xffffff,
    .muted_text = 0xffffff,
    .button = 0x000000,
    .button_text = 0xffe600,
    .accent = 0xffe600,
    .accent_text = 0x000000,
    .outline = 0xffffff,
    .panel_opacity = 1.0f,
};

double relative_luminance(uint32_t rgb) {
  auto channel = [&](int shift) {
    const double value = static_cast<double>((rgb >> shift) & 0xff) / 255.0;
    return value <= 0.04045 ? value / 12.92 : std::pow((value + 0.055) / 1.055, 2.4);
  };
  return 0.2126 * channel(16) + 0.7152 * channel(8) + 0.0722 * channel(0);
}

}  // namespace

const Palette& palette(bool high) { return high ? high_contrast : standard; }

double contrast_ratio(uint32_t first, uint32_t second) {
  const double a = relative_luminance(first);
  const double b = relative_luminance(second);
  return (std::max(a, b) + 0.05) / (std::min(a, b) + 0.05);
}

}  // namespace pavilion::kiosk

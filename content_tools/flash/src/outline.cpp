// Where a failure flashed, drawn on its worst frame for the curator (pavilion-flashcheck --worst,
// pavilion-pack's picture of a failing show).
#include "pavilion/flash/flash.h"

#include <algorithm>
#include <array>
#include <cstdint>

namespace pavilion::flash {

// Two lines of a colour that shows on light and dark frames alike: magenta outside, black inside.
void outline_window(ImageRgba8& image, const ViewRect& rect) {
  auto paint = [&](int64_t x, int64_t y, std::array<uint8_t, 3> colour) {
    if (x < 0 || y < 0 || x >= image.width || y >= image.height) return;
    uint8_t* pixel = image.at(static_cast<uint32_t>(x), static_cast<uint32_t>(y));
    std::copy(colour.begin(), colour.end(), pixel);
    pixel[3] = 255;
  };
  const int64_t left = rect.x, top = rect.y;
  const int64_t right = int64_t{rect.x} + rect.width - 1, bottom = int64_t{rect.y} + rect.height - 1;
  for (int64_t inset = 0; inset < 3; ++inset) {
    const std::array<uint8_t, 3> colour =
        inset < 2 ? std::array<uint8_t, 3>{255, 0, 255} : std::array<uint8_t, 3>{0, 0, 0};
    for (int64_t x = left + inset; x <= right - inset; ++x) {
      paint(x, top + inset, colour);
      paint(x, bottom - inset, colour);
    }
    for (int64_t y = top + inset; y <= bottom - inset; ++y) {
      paint(left + inset, y, colour);
      paint(right - inset, y, colour);
    }
  }
}

}  // namespace pavilion::flash

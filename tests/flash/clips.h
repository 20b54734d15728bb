// Synthetic clips with known answers for the flash-safety tests: each frame painted by a
// function of its index, small enough that a whole suite runs in seconds.
#pragma once

#include "pavilion/core/image.h"
#include "pavilion/flash/flash.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <functional>
#include <vector>

namespace pavilion::flash::test {

using Painter = std::function<void(size_t frame, ImageRgba8& image)>;

inline void fill(ImageRgba8& image, uint8_t r, uint8_t g, uint8_t b, uint32_t x0 = 0, uint32_t y0 = 0,
                 uint32_t width = UINT32_MAX, uint32_t height = UINT32_MAX) {
  for (uint32_t y = y0; y < image.height && y - y0 < height; ++y) {
    for (uint32_t x = x0; x < image.width && x - x0 < width; ++x) {
      uint8_t* pixel = image.at(x, y);
      pixel[0] = r;
      pixel[1] = g;
      pixel[2] = b;
      pixel[3] = 255;
    }
  }
}

// The grey whose relative luminance is `luminance` (0..1).
inline uint8_t grey_of(float luminance) { return linear_to_srgb(luminance); }

// Whether a square wave of `hertz` flashes (two transitions each) is in its light half at `frame`.
inline bool light_at(size_t frame, double hertz, double frames_per_second) {
  return static_cast<int64_t>(std::floor(static_cast<double>(frame) * 2 * hertz / frames_per_second + 1e-9)) % 2 == 1;
}

struct Analysed {
  FlashVerdict verdict;
  std::vector<FrameReport> frames;

  bool fails_as(FailureKind kind) const {
    for (const Failure& failure : verdict.failures) {
      if (failure.kind == kind) return true;
    }
    return false;
  }
  const Failure* first(FailureKind kind) const {
    for (const Failure& failure : verdict.failures) {
      if (failure.kind == kind) return &failure;
    }
    return nullptr;
  }
};

inline Analysed analyse(const FlashViewing& viewing, uint32_t width, uint32_t height, size_t frame_count,
                        const Painter& paint) {
  FlashAnalyser analyser(viewing);
  ImageRgba8 image(width, height);
  Analysed analysed;
  for (size_t frame = 0; frame < frame_count; ++frame) {
    paint(frame, image);
    auto report = analyser.add_frame(width, height, image.pixels);
    if (!report) {
      ADD_FAILURE() << report.error().describe();
      break;
    }
    analysed.frames.push_back(*report);
  }
  analysed.verdict = analyser.finish();
  return analysed;
}

// The whole view flashing between black and white at `hertz`.
inline Painter whole_view_flash(double hertz, double frames_per_second) {
  return [=](size_t frame, ImageRgba8& image) {
    const uint8_t level = light_at(frame, hertz, frames_per_second) ? 255 : 0;
    fill(image, level, level, level);
  };
}

}  // namespace pavilion::flash::test

// Golden-image comparison with a tolerance. A failure writes the actual image and a diff image
// beside the build for a person to look at; scripts/approve-goldens turns approved actual images
// into the new expectations.
#pragma once

#include "pavilion/core/image.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <string_view>

namespace pavilion::testing {

struct GoldenTolerance {
  // A pixel differs when any channel is further apart than this (absorbs rounding and driver
  // differences in filtering).
  uint8_t channel = 16;
  // The comparison fails when more than this fraction of pixels differ.
  double differing_fraction = 0.005;
};

struct ImageDifference {
  uint64_t differing_pixels = 0;
  uint8_t largest_channel_difference = 0;
  ImageRgba8 visualisation;  // the expected image dimmed to grey, differing pixels in red
};

// Both images must have the same size.
ImageDifference compare_images(const ImageRgba8& actual, const ImageRgba8& expected, uint8_t channel_tolerance);

// Copies `image` into `strip` with its left edge at column `x` (a golden strip of several frames);
// `strip` must be at least as tall and reach x + image.width.
void paste(ImageRgba8& strip, const ImageRgba8& image, uint32_t x);

std::filesystem::path golden_path(std::string_view name);
std::filesystem::path test_output_path(std::string_view file_name);

// Compares with tests/golden/<name>.png. On a mismatch, a size change or a missing golden, writes
// <build>/test-output/<name>.actual.png (and .diff.png) and explains.
::testing::AssertionResult matches_golden(const ImageRgba8& actual, std::string_view name,
                                          const GoldenTolerance& tolerance = {});

}  // namespace pavilion::testing

#include "golden.h"

#include "pavilion/core/png.h"

#include <fmt/format.h>
#include <fmt/std.h>

#include <algorithm>
#include <cstdlib>

namespace pavilion::testing {

ImageDifference compare_images(const ImageRgba8& actual, const ImageRgba8& expected, uint8_t channel_tolerance) {
  ImageDifference difference;
  difference.visualisation = ImageRgba8(expected.width, expected.height);
  for (uint32_t y = 0; y < expected.height; ++y) {
    for (uint32_t x = 0; x < expected.width; ++x) {
      const uint8_t* a = actual.at(x, y);
      const uint8_t* e = expected.at(x, y);
      uint8_t largest = 0;
      for (int c = 0; c < 4; ++c) largest = std::max<uint8_t>(largest, static_cast<uint8_t>(std::abs(a[c] - e[c])));
      difference.largest_channel_difference = std::max(difference.largest_channel_difference, largest);
      uint8_t* out = difference.visualisation.at(x, y);
      if (largest > channel_tolerance) {
        ++difference.differing_pixels;
        out[0] = 255;
        out[1] = out[2] = 0;
      } else {
        const auto grey = static_cast<uint8_t>((e[0] + e[1] + e[2]) / 6);
        out[0] = out[1] = out[2] = grey;
      }
      out[3] = 255;
    }
  }
  return difference;
}

void paste(ImageRgba8& strip, const ImageRgba8& image, uint32_t x) {
  for (uint32_t row = 0; row < image.height; ++row) {
    std::copy_n(image.at(0, row), size_t{image.width} * 4, strip.at(x, row));
  }
}

std::filesystem::path golden_path(std::string_view name) {
  return std::filesystem::path(PAVILION_GOLDEN_DIR) / (std::string(name) + ".png");
}

std::filesystem::path test_output_path(std::string_view file_name) {
  const std::filesystem::path directory(PAVILION_TEST_OUTPUT_DIR);
  std::filesystem::create_directories(directory);
  return directory / file_name;
}

::testing::AssertionResult matches_golden(const ImageRgba8& actual, std::string_view name,
                                          const GoldenTolerance& tolerance) {
  const auto actual_path = test_output_path(std::string(name) + ".actual.png");
  const auto diff_path = test_output_path(std::string(name) + ".diff.png");
  std::filesystem::remove(diff_path);
  if (auto written = write_png(actual_path, actual); !written) {
    return ::testing::AssertionFailure() << "could not write the actual image: " << written.error().describe();
  }
  const auto expected = read_png(golden_path(name));
  if (!expected) {
    return ::testing::AssertionFailure()
           << fmt::format("no golden image for '{}' ({}). Look at {}; if it is right, run scripts/approve-goldens.",
                          name, expected.error().describe(), actual_path);
  }
  if (expected->width != actual.width || expected->height != actual.height) {
    return ::testing::AssertionFailure() << fmt::format("'{}' is {}×{} but its golden image is {}×{}; see {}", name,
                                                        actual.width, actual.height, expected->width, expected->height,
                                                        actual_path);
  }
  ImageDifference difference = compare_images(actual, *expected, tolerance.channel);
  const double fraction = static_cast<double>(difference.differing_pixels) /
                          (static_cast<double>(actual.width) * static_cast<double>(actual.height));
  if (fraction > tolerance.differing_fraction) {
    static_cast<void>(write_png(diff_path, difference.visualisation));
    return ::testing::AssertionFailure() << fmt::format(
               "'{}' differs from its golden image in {} pixels ({:.2f}%, allowed {:.2f}%; largest channel difference {}). "
               "Actual: {}  Differences in red: {}  If the change is intended, run scripts/approve-goldens.",
               name, difference.differing_pixels, fraction * 100.0, tolerance.differing_fraction * 100.0,
               difference.largest_channel_difference, actual_path, diff_path);
  }
  // A match leaves no actual image behind, so approve-goldens only offers real changes.
  std::filesystem::remove(actual_path);
  return ::testing::AssertionSuccess();
}

}  // namespace pavilion::testing

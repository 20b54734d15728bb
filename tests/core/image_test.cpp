#include "pavilion/core/image.h"
#include "pavilion/core/png.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace pavilion {
namespace {

TEST(CoreImage, MipChainsGoDownToOnePixel) {
  EXPECT_EQ(mip_level_count(1, 1), 1u);
  EXPECT_EQ(mip_level_count(256, 256), 9u);
  EXPECT_EQ(mip_level_count(300, 17), 9u);
  const auto levels = build_mip_chain(ImageRgba8(300, 17), ColorSpace::linear);
  ASSERT_EQ(levels.size(), 8u);
  EXPECT_EQ(levels[0].width, 150u);
  EXPECT_EQ(levels[0].height, 8u);
  EXPECT_EQ(levels.back().width, 1u);
  EXPECT_EQ(levels.back().height, 1u);
}

// Averaging black and white must give middle grey in light, which sRGB encodes as 188, not 128:
// mips averaged in the encoded numbers darken textures in the distance.
TEST(CoreImage, SrgbMipsAverageInLinearLight) {
  ImageRgba8 checker(2, 2);
  for (uint32_t y = 0; y < 2; ++y) {
    for (uint32_t x = 0; x < 2; ++x) {
      const uint8_t value = (x + y) % 2 ? 255 : 0;
      uint8_t* texel = checker.at(x, y);
      texel[0] = texel[1] = texel[2] = value;
      texel[3] = 255;
    }
  }
  const auto srgb = build_mip_chain(checker, ColorSpace::srgb);
  const auto linear = build_mip_chain(checker, ColorSpace::linear);
  EXPECT_NEAR(srgb[0].at(0, 0)[0], 188, 1);
  EXPECT_NEAR(linear[0].at(0, 0)[0], 128, 1);
  EXPECT_EQ(srgb[0].at(0, 0)[3], 255);
}

TEST(CoreImage, TransparentTexelsDoNotBleedTheirColour) {
  ImageRgba8 image(2, 1);
  uint8_t* red = image.at(0, 0);
  red[0] = 255;
  red[3] = 255;
  uint8_t* invisible_green = image.at(1, 0);
  invisible_green[1] = 255;
  invisible_green[3] = 0;
  const auto levels = build_mip_chain(image, ColorSpace::srgb);
  EXPECT_EQ(levels[0].at(0, 0)[0], 255);
  EXPECT_EQ(levels[0].at(0, 0)[1], 0);
  EXPECT_NEAR(levels[0].at(0, 0)[3], 128, 1);
}

TEST(CoreImage, SrgbConversionsRoundTrip) {
  for (int value = 0; value < 256; ++value) {
    EXPECT_EQ(linear_to_srgb(srgb_to_linear(static_cast<uint8_t>(value))), value);
  }
}

class CorePng : public ::testing::Test {
 protected:
  std::filesystem::path path(const std::string& name) {
    return std::filesystem::temp_directory_path() / ("pavilion-png-" + std::to_string(::getpid()) + "-" + name);
  }
};

TEST_F(CorePng, WritesAndReadsBackExactly) {
  ImageRgba8 image(5, 3);
  for (size_t i = 0; i < image.pixels.size(); ++i) image.pixels[i] = static_cast<uint8_t>(i * 7);
  const auto file = path("round-trip.png");
  ASSERT_TRUE(write_png(file, image).ok());
  const auto read = read_png(file);
  std::filesystem::remove(file);
  ASSERT_TRUE(read.ok()) << read.error().describe();
  EXPECT_EQ(read->width, 5u);
  EXPECT_EQ(read->height, 3u);
  EXPECT_EQ(read->pixels, image.pixels);
}

TEST_F(CorePng, ATruncatedFileIsRefusedWithItsName) {
  ImageRgba8 image(64, 64);
  const auto file = path("truncated.png");
  ASSERT_TRUE(write_png(file, image).ok());
  std::filesystem::resize_file(file, std::filesystem::file_size(file) / 2);
  const auto read = read_png(file);
  std::filesystem::remove(file);
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.error().code(), ErrorCode::invalid_input);
  EXPECT_NE(read.error().why().find("truncated.png"), std::string::npos) << read.error().describe();
}

TEST_F(CorePng, AFileThatIsNotAPngIsRefused) {
  const auto file = path("not-a.png");
  std::ofstream(file) << "GIF89a, or rather not";
  const auto read = read_png(file);
  std::filesystem::remove(file);
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.error().code(), ErrorCode::invalid_input);
}

}  // namespace
}  // namespace pavilion

// Sounds as packages store them: what pavilion-pack writes the kiosk reads back, and a damaged
// blob is refused with what is wrong, never played.
#include "pavilion/scene/sound.h"

#include <gtest/gtest.h>

#include <cstring>

namespace pavilion::scene {
namespace {

Sound two_channel_sweep() {
  Sound sound{22'050, 2, {}};
  for (int16_t frame = 0; frame < 300; ++frame) {
    sound.samples.push_back(static_cast<int16_t>(frame * 100));
    sound.samples.push_back(static_cast<int16_t>(-frame * 100));
  }
  return sound;
}

TEST(SceneSound, WhatIsEncodedDecodesTheSame) {
  const Sound sound = two_channel_sweep();
  const auto decoded = decode_sound(encode_sound(sound));
  ASSERT_TRUE(decoded.ok()) << decoded.error().describe();
  EXPECT_EQ(decoded->sample_rate, 22'050u);
  EXPECT_EQ(decoded->channels, 2u);
  EXPECT_EQ(decoded->frames(), 300u);
  EXPECT_EQ(decoded->samples, sound.samples);
}

TEST(SceneSound, ABlobCutShortOrWithAnImpossibleHeaderIsRefused) {
  std::vector<std::byte> bytes = encode_sound(two_channel_sweep());
  std::vector<std::byte> short_by_one(bytes.begin(), bytes.end() - 1);
  const auto cut = decode_sound(short_by_one);
  ASSERT_FALSE(cut.ok());
  EXPECT_NE(cut.error().describe().find("300 frames"), std::string::npos) << cut.error().describe();

  std::vector<std::byte> no_channels = bytes;
  std::memset(no_channels.data() + 4, 0, 4);
  EXPECT_FALSE(decode_sound(no_channels).ok());

  std::vector<std::byte> huge_count = bytes;
  std::memset(huge_count.data() + 8, 0xff, 8);  // frames × channels × 2 wraps around
  EXPECT_FALSE(decode_sound(huge_count).ok());

  EXPECT_FALSE(decode_sound(std::span<const std::byte>(bytes.data(), 10)).ok());
  EXPECT_FALSE(decode_sound(encode_sound({22'050, 1, {}})).ok()) << "no samples: nothing to play";
  EXPECT_FALSE(decode_sound(encode_sound({22'050, 6, std::vector<int16_t>(60)})).ok()) << "surround: mono or stereo only";
}

}  // namespace
}  // namespace pavilion::scene

// Speech from espeak-ng: sound and word marks in order for both of the kiosk's languages, the
// sound streamed in small pieces (and stopped), and a missing voice explained.
#include "pavilion/speech/synthesizer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

namespace pavilion::speech {
namespace {

double loudness(std::span<const int16_t> samples) {
  double sum = 0;
  for (const int16_t sample : samples) sum += static_cast<double>(sample) * sample;
  return samples.empty() ? 0.0 : std::sqrt(sum / static_cast<double>(samples.size())) / 32768.0;
}

std::vector<uint32_t> word_starts(const Synthesis& synthesis) {
  std::vector<uint32_t> starts;
  for (const WordMark& mark : synthesis.words) starts.push_back(mark.first);
  return starts;
}

void expect_marks_in_order(const Synthesis& synthesis) {
  for (size_t index = 0; index < synthesis.words.size(); ++index) {
    const WordMark& mark = synthesis.words[index];
    EXPECT_GE(mark.length, 1u);
    EXPECT_LT(mark.sample, synthesis.samples.size()) << "word " << index;
    if (index > 0) {
      EXPECT_GT(mark.first, synthesis.words[index - 1].first) << "word " << index;
      EXPECT_GT(mark.sample, synthesis.words[index - 1].sample) << "word " << index;
    }
  }
}

TEST(SpeechSynthesizer, LanguagesHaveTheirVoices) {
  EXPECT_EQ(voice_for("zh-CN").voice, "cmn");
  EXPECT_EQ(voice_for("en").voice, "en-us");
}

TEST(SpeechSynthesizer, EnglishIsSpokenWithAMarkAtEachWord) {
  auto spoken = synthesize("High contrast, on", voice_for("en"));
  ASSERT_TRUE(spoken.ok()) << spoken.error().describe();
  EXPECT_EQ(spoken->sample_rate, 22'050u);
  const double seconds = static_cast<double>(spoken->samples.size()) / spoken->sample_rate;
  EXPECT_GT(seconds, 0.6);
  EXPECT_LT(seconds, 3.0);
  EXPECT_GT(loudness(spoken->samples), 0.03);
  EXPECT_EQ(word_starts(*spoken), (std::vector<uint32_t>{0, 5, 15}));
  expect_marks_in_order(*spoken);
}

TEST(SpeechSynthesizer, ChineseIsSpokenWithMarksInTheTextsOrder) {
  const std::u32string text = U"高对比度，已打开";
  auto spoken = synthesize("高对比度，已打开", voice_for("zh-CN"));
  ASSERT_TRUE(spoken.ok()) << spoken.error().describe();
  const double seconds = static_cast<double>(spoken->samples.size()) / spoken->sample_rate;
  EXPECT_GT(seconds, 0.8);
  EXPECT_GT(loudness(spoken->samples), 0.03);
  ASSERT_GE(spoken->words.size(), 2u);
  EXPECT_EQ(spoken->words.front().first, 0u);
  // The second clause (已打开) has its own word.
  EXPECT_TRUE(std::ranges::any_of(spoken->words, [](const WordMark& mark) { return mark.first == 5; }));
  for (const WordMark& mark : spoken->words) EXPECT_LE(mark.first + mark.length, text.size());
  expect_marks_in_order(*spoken);
}

TEST(SpeechSynthesizer, ASinkGetsTheSoundInSmallPiecesAndCanStopIt) {
  const VoiceSettings voice = voice_for("en");
  auto whole = synthesize("Help: up and down move between the controls.", voice);
  ASSERT_TRUE(whole.ok()) << whole.error().describe();

  std::vector<int16_t> streamed;
  size_t pieces = 0;
  size_t largest = 0;
  auto piecewise = synthesize("Help: up and down move between the controls.", voice, [&](std::span<const int16_t> samples) {
    streamed.insert(streamed.end(), samples.begin(), samples.end());
    ++pieces;
    largest = std::max(largest, samples.size());
    return true;
  });
  ASSERT_TRUE(piecewise.ok()) << piecewise.error().describe();
  EXPECT_TRUE(piecewise->samples.empty());
  // Not the same samples: espeak-ng's pitch flutter carries from one sentence to the next.
  EXPECT_NEAR(static_cast<double>(streamed.size()), static_cast<double>(whole->samples.size()),
              0.05 * static_cast<double>(whole->samples.size()));
  EXPECT_GT(loudness(streamed), 0.03);
  EXPECT_EQ(word_starts(*piecewise), word_starts(*whole));
  EXPECT_GT(pieces, 20u);
  EXPECT_LE(largest, 22'050u / 20);  // 50 ms at most: sound can start early

  size_t heard = 0;
  auto stopped = synthesize("Help: up and down move between the controls.", voice, [&](std::span<const int16_t> samples) {
    heard += samples.size();
    return heard < 22'050 / 2;
  });
  ASSERT_TRUE(stopped.ok()) << stopped.error().describe();
  EXPECT_LT(heard, whole->samples.size() / 2);
  EXPECT_LT(stopped->words.size(), whole->words.size());
  for (const WordMark& mark : stopped->words) EXPECT_LT(mark.sample, heard);
}

TEST(SpeechSynthesizer, AMissingVoiceIsExplained) {
  auto missing = synthesize("春晓", {.voice = "no-such-voice"});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code(), ErrorCode::not_found);
  const std::string sentence = missing.error().describe();
  EXPECT_NE(sentence.find("espeak-ng has no voice 'no-such-voice'"), std::string::npos) << sentence;
  EXPECT_NE(sentence.find("espeak-ng-data"), std::string::npos) << sentence;
  // The voices there still work after it.
  EXPECT_TRUE(synthesize("春晓", voice_for("zh-CN")).ok());
}

// In a process of its own (espeak-ng starts once per process), pointed at a folder without
// espeak-ng's data.
TEST(SpeechSynthesizer, MissingDataIsExplained) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  const std::filesystem::path empty = std::filesystem::temp_directory_path() / "pavilion-speech-no-data";
  std::filesystem::create_directories(empty);
  EXPECT_EXIT(
      {
        setenv("ESPEAK_DATA_PATH", empty.c_str(), 1);
        auto spoken = synthesize("Back", voice_for("en"));
        if (spoken.ok()) std::exit(1);
        std::fputs(spoken.error().describe().c_str(), stderr);
        std::exit(spoken.error().code() == ErrorCode::not_found ? 0 : 2);
      },
      ::testing::ExitedWithCode(0), "espeak-ng found no data to speak with .*install Debian's espeak-ng-data package");
}

}  // namespace
}  // namespace pavilion::speech

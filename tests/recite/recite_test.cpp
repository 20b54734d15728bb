// Recitations from espeak-ng: a cue per spoken character, each over audible speech, pauses at
// line ends, and timings that pass the same rules a curator's do.
#include "pavilion/audio/timeline.h"
#include "pavilion/recite/recite.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>

namespace pavilion::recite {
namespace {

double loudness(const Recitation& recitation, const audio::Cue& cue) {
  const auto first = static_cast<size_t>(cue.start * recitation.sample_rate);
  const auto end = static_cast<size_t>(cue.end * recitation.sample_rate);
  double sum = 0;
  for (size_t at = first; at < end; ++at) sum += static_cast<double>(recitation.samples[at]) * recitation.samples[at];
  return end > first ? std::sqrt(sum / static_cast<double>(end - first)) / 32768.0 : 0.0;
}

TEST(Recite, APoemIsSpokenWithACueOverEachCharactersSound) {
  auto recitation = recite("床前明月光，\n疑是地上霜。\n举头望明月，\n低头思故乡。");
  ASSERT_TRUE(recitation.ok()) << recitation.error().describe();
  EXPECT_EQ(recitation->sample_rate, 22'050u);
  ASSERT_EQ(recitation->cues.size(), 20u);
  const double seconds = static_cast<double>(recitation->samples.size()) / recitation->sample_rate;
  EXPECT_GT(seconds, 5.0);
  EXPECT_FALSE(audio::find_timing_problem(recitation->cues, seconds, 20).has_value());
  for (size_t index = 0; index < recitation->cues.size(); ++index) {
    EXPECT_GT(loudness(*recitation, recitation->cues[index]), 0.02) << "character " << index << " is silent";
    EXPECT_GT(recitation->cues[index].end - recitation->cues[index].start, 0.08) << "character " << index;
  }
  // A reader pauses at the end of a line, longer than between its characters.
  const auto gap = [&](size_t before) { return recitation->cues[before + 1].start - recitation->cues[before].end; };
  for (const size_t line_end : {4u, 9u, 14u}) {
    EXPECT_GT(gap(line_end), gap(line_end - 2) + 0.1) << "after character " << line_end;
  }
  // The timings file is what scene.json's poem takes.
  const nlohmann::json timings = nlohmann::json::parse(timings_json(*recitation));
  EXPECT_EQ(timings["unit"], "character");
  ASSERT_EQ(timings["cues"].size(), 20u);
  EXPECT_LE(timings["cues"][19][1].get<double>(), seconds);
}

TEST(Recite, AMissingVoiceOrNothingToSayIsExplained) {
  auto no_voice = recite("春晓", {.voice = "no-such-voice"});
  ASSERT_FALSE(no_voice.ok());
  EXPECT_NE(no_voice.error().describe().find("no voice 'no-such-voice'"), std::string::npos);
  auto nothing = recite("，。！");
  ASSERT_FALSE(nothing.ok());
  EXPECT_NE(nothing.error().describe().find("no characters to speak"), std::string::npos);
}

}  // namespace
}  // namespace pavilion::recite

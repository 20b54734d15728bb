// The festival's music and sounds: lengths, levels without clipping, a pentatonic score whose
// notes sound at their pitches, a cue sheet the show can follow, and the same bytes every run.
#include "pavilion/core/file.h"
#include "pavilion/pack/audio_import.h"
#include "pavilion/procedural/festival_audio.h"
#include "pavilion/procedural/festival_birds.h"
#include "temporary_folder.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <set>

namespace pavilion::procedural {
namespace {

// The strongest period between 100 Hz and 2 kHz by normalised autocorrelation, refined between
// lags by a parabola through the peak.
double detected_hz(const std::vector<float>& sound, uint32_t sample_rate) {
  const size_t start = sample_rate / 10;
  const size_t window = 4096;
  std::vector<double> scores;
  const size_t shortest = sample_rate / 2000, longest = sample_rate / 100;
  for (size_t lag = 0; lag <= longest + 1; ++lag) {
    double product = 0.0, energy = 1e-12;
    for (size_t index = 0; index < window; ++index) {
      product += double{sound[start + index]} * sound[start + index + lag];
      energy += double{sound[start + index + lag]} * sound[start + index + lag];
    }
    scores.push_back(product / energy);
  }
  size_t best = shortest;
  for (size_t lag = shortest; lag <= longest; ++lag) {
    if (scores[lag] > scores[best] * 1.0001) best = lag;
    // The first clear peak is the period; later ones are its multiples.
    if (scores[best] > 0.9 && lag > best + 4) break;
  }
  const double left = scores[best - 1], middle = scores[best], right = scores[best + 1];
  const double offset = 0.5 * (left - right) / (left - 2.0 * middle + right);
  return sample_rate / (static_cast<double>(best) + offset);
}

double window_rms_dbfs(const AudioBuffer& audio, double from_s, double to_s) {
  AudioBuffer window;
  window.channels = audio.channels;
  const auto first = static_cast<size_t>(from_s * audio.sample_rate) * audio.channels;
  const auto last = static_cast<size_t>(to_s * audio.sample_rate) * audio.channels;
  window.samples.assign(audio.samples.begin() + static_cast<ptrdiff_t>(first), audio.samples.begin() + static_cast<ptrdiff_t>(last));
  return rms_dbfs(window);
}

TEST(ProceduralFestivalAudio, TheScoreKeepsToTheFivePitchesOfDGong) {
  const FestivalMusic music = make_festival_music();
  ASSERT_GT(music.score.size(), 150u);
  const std::set<int> pentatonic = {0, 2, 4, 7, 9};
  std::set<int> used;
  for (const ScoreNote& note : music.score) {
    // Semitones above D, from the frequency the note sounds at.
    const double semitones = 12.0 * std::log2(pitch_hz(note.degree, note.octave) / 293.6648);
    const long rounded = std::lround(semitones);
    ASSERT_NEAR(semitones, static_cast<double>(rounded), 0.01);
    const int in_octave = static_cast<int>(((rounded % 12) + 12) % 12);
    EXPECT_TRUE(pentatonic.count(in_octave)) << in_octave << " semitones above D at beat " << note.beat;
    used.insert(in_octave);
  }
  EXPECT_EQ(used, pentatonic) << "the tune uses all five degrees";
  EXPECT_NEAR(pitch_hz(Degree::gong, 4), 293.66f, 0.01f);
  EXPECT_NEAR(pitch_hz(Degree::zhi, 4), 440.0f, 0.001f);
}

TEST(ProceduralFestivalAudio, JianpuReadsDurationsAndOctavesAndRefusesNotesOutsideTheScale) {
  const auto notes = parse_jianpu("5_ 6_ 1' - | 6,", Voice::dizi, 4.0f, 4);
  ASSERT_TRUE(notes.ok()) << notes.error().describe();
  ASSERT_EQ(notes->size(), 4u);
  EXPECT_EQ((*notes)[0].degree, Degree::zhi);
  EXPECT_EQ((*notes)[0].beats, 0.5f);
  EXPECT_EQ((*notes)[1].beat, 4.5f);
  EXPECT_EQ((*notes)[2].octave, 5);
  EXPECT_EQ((*notes)[2].beats, 2.0f);
  EXPECT_EQ((*notes)[3].degree, Degree::yu);
  EXPECT_EQ((*notes)[3].octave, 3);
  EXPECT_EQ((*notes)[3].beat, 7.0f);
  for (const char* tune : {"1 2 4 5", "1 7 1"}) {
    const auto refused = parse_jianpu(tune, Voice::dizi, 0.0f, 4);
    ASSERT_FALSE(refused.ok()) << tune;
    EXPECT_NE(refused.error().why().find("pentatonic"), std::string::npos) << refused.error().why();
  }
}

TEST(ProceduralFestivalAudio, TheVoicesSoundAtTheirNotesPitches) {
  constexpr uint32_t rate = 44'100;
  for (const Degree degree : {Degree::gong, Degree::jue, Degree::zhi, Degree::yu}) {
    const float hz = pitch_hz(degree, 4);
    EXPECT_NEAR(detected_hz(pluck(hz, 0.5f, 0.9f, rate, 7), rate), hz, hz * 0.005) << "pipa at " << hz << " Hz";
    EXPECT_NEAR(detected_hz(pluck(hz, 0.5f, 0.45f, rate, 7), rate), hz, hz * 0.005) << "guzheng at " << hz << " Hz";
    EXPECT_NEAR(detected_hz(dizi(hz * 2.0f, 0.5f, rate, 7), rate), hz * 2.0f, hz * 0.01) << "dizi at " << hz * 2.0f << " Hz";
  }
}

TEST(ProceduralFestivalAudio, TheMusicRunsAMinuteLevelledAndRisesToItsClimax) {
  const FestivalMusic music = make_festival_music();
  EXPECT_EQ(music.audio.channels, 2u);
  EXPECT_GT(music.audio.seconds(), 55.0);
  EXPECT_LT(music.audio.seconds(), 70.0);
  EXPECT_LE(peak_dbfs(music.audio), -0.99) << "a decibel of headroom: nothing clips";
  EXPECT_NEAR(rms_dbfs(music.audio), -18.0, 2.0);
  EXPECT_EQ(music.tempo_bpm, 120.0);
  EXPECT_EQ(music.climax_s, 40.0);
  ASSERT_EQ(music.sections.size(), 5u);
  EXPECT_EQ(music.sections[3].name, "climax");
  EXPECT_EQ(music.sections[3].start_s, music.climax_s);
  EXPECT_GT(window_rms_dbfs(music.audio, 40.0, 48.0), window_rms_dbfs(music.audio, 0.0, 8.0) + 4.0) << "the climax is louder than the intro";
  EXPECT_LT(window_rms_dbfs(music.audio, music.audio.seconds() - 0.2, music.audio.seconds()), -50.0) << "it fades out";

  const nlohmann::json sheet = nlohmann::json::parse(cue_sheet_json(music, "festival_music.wav"));
  EXPECT_EQ(sheet["audio"], "festival_music.wav");
  EXPECT_EQ(sheet["climax_s"], 40.0);
  EXPECT_EQ(sheet["tempo_bpm"], 120.0);
  EXPECT_EQ(sheet["sections"].size(), 5u);
  EXPECT_EQ(sheet["sections"][3]["name_zh"], "高潮");
  EXPECT_NEAR(sheet["duration_s"].get<double>(), music.audio.seconds(), 1e-6);
}

TEST(ProceduralFestivalAudio, TheFilesAreLevelledReadableAndTheSameBytesEveryTime) {
  testing::TemporaryFolder folder;
  for (const char* run : {"first", "second"}) {
    std::filesystem::create_directories(folder / run);
    ASSERT_TRUE(write_festival_audio(folder / run).ok());
  }
  struct Expected { const char* file; uint32_t channels; double shortest_s, longest_s; };
  const Expected files[] = {{"festival_music.wav", 2, 55.0, 70.0}, {"gong.wav", 1, 3.0, 8.0}, {"firecrackers.wav", 1, 2.0, 5.0},
                            {"rooster_crow.wav", 1, 1.0, 3.0},     {"phoenix_call.wav", 1, 1.0, 3.0}};
  for (const Expected& expected : files) {
    const auto first = read_file(folder / "first" / expected.file);
    const auto second = read_file(folder / "second" / expected.file);
    ASSERT_TRUE(first.ok() && second.ok()) << expected.file;
    EXPECT_TRUE(*first == *second) << expected.file << " differs between two runs";
    // What pavilion-pack will read.
    const auto sound = pack::decode_audio_file(folder / "first" / expected.file);
    ASSERT_TRUE(sound.ok()) << sound.error().describe();
    EXPECT_EQ(sound->channels, expected.channels) << expected.file;
    const double seconds = static_cast<double>(sound->samples.size()) / sound->channels / sound->sample_rate;
    EXPECT_GT(seconds, expected.shortest_s) << expected.file;
    EXPECT_LT(seconds, expected.longest_s) << expected.file;
    int16_t peak = 0;
    for (const int16_t sample : sound->samples) peak = std::max<int16_t>(peak, static_cast<int16_t>(std::abs(sample)));
    EXPECT_LE(peak, 29205) << expected.file << " peaks above -1 dBFS";
    EXPECT_GT(peak, 8000) << expected.file << " is nearly silent";
  }
  const auto sheet = read_file(folder / "first" / "festival_music.cues.json");
  ASSERT_TRUE(sheet.ok());
  const auto again = read_file(folder / "second" / "festival_music.cues.json");
  EXPECT_TRUE(again.ok() && *sheet == *again);
}

// The build's files came from another process (the generator CMake runs): a fresh run here
// must match them byte for byte.
TEST(ProceduralFestivalAssets, AFreshRunMatchesTheBuildsFiles) {
  testing::TemporaryFolder folder;
  ASSERT_TRUE(write_gltf(make_phoenix(), folder.path()).ok());
  ASSERT_TRUE(write_gltf(make_rooster(), folder.path()).ok());
  ASSERT_TRUE(write_festival_audio(folder.path()).ok());
  size_t compared = 0;
  for (const auto& entry : std::filesystem::directory_iterator(folder.path())) {
    const auto fresh = read_file(entry.path());
    const auto built = read_file(std::filesystem::path(PAVILION_FESTIVAL_ASSETS_DIR) / entry.path().filename());
    ASSERT_TRUE(fresh.ok());
    ASSERT_TRUE(built.ok()) << built.error().describe();
    EXPECT_TRUE(*fresh == *built) << entry.path().filename() << " differs from the build's";
    ++compared;
  }
  EXPECT_EQ(compared, 12u);
}

TEST(ProceduralFestivalAudio, EachSoundSitsNearItsLevel) {
  for (AudioBuffer (*make)() : {make_gong, make_firecrackers, make_rooster_crow, make_phoenix_call}) {
    AudioBuffer sound = make();
    normalise(sound, -18.0, -1.0);
    EXPECT_LE(peak_dbfs(sound), -0.99);
    // Spiky sounds (the crackers) meet the ceiling before the level.
    EXPECT_GT(rms_dbfs(sound), -30.0);
    EXPECT_LT(rms_dbfs(sound), -17.9);
  }
}

}  // namespace
}  // namespace pavilion::procedural

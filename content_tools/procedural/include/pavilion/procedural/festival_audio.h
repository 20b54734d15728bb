// The Spring Festival's music and sounds, synthesised from formulas and seeded noise, so every
// build writes the same bytes: a minute of a bright folk tune in D gong (宫) pentatonic for
// plucked strings (pipa, guzheng: Karplus–Strong), a bamboo flute (dizi) and drums, with a cue
// sheet naming its sections and the climax where the fireworks go; and a gong (铜锣),
// firecrackers (鞭炮), a rooster's crow and the phoenix's call.
#pragma once

#include "pavilion/core/error.h"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace pavilion::procedural {

struct AudioBuffer {
  uint32_t sample_rate = 44'100;
  uint32_t channels = 1;
  std::vector<float> samples;  // interleaved, full scale ±1
  double seconds() const { return static_cast<double>(samples.size()) / channels / sample_rate; }
};

// The five degrees of the scale, 宫商角徵羽, and their semitones above 宫.
enum class Degree : uint8_t { gong, shang, jue, zhi, yu };
inline constexpr int degree_semitones[5] = {0, 2, 4, 7, 9};
// 宫 is D: octave 4 is D4 (293.66 Hz) and its scale up to B4; equal temperament, A4 = 440 Hz.
float pitch_hz(Degree degree, int octave);

enum class Voice : uint8_t { dizi, pipa, guzheng };

struct ScoreNote {
  Voice voice = Voice::dizi;
  float beat = 0.0f;   // from the start of the piece
  float beats = 1.0f;
  Degree degree = Degree::gong;
  int octave = 4;
};

struct MusicSection {
  std::string name;     // intro, theme, answer, climax, coda
  std::string name_zh;  // 引子, 主题, 应答, 高潮, 尾声
  double start_s = 0.0;
  double end_s = 0.0;
};

struct FestivalMusic {
  AudioBuffer audio;  // stereo
  std::vector<ScoreNote> score;
  std::vector<MusicSection> sections;
  double tempo_bpm = 0.0;
  double climax_s = 0.0;  // the gong that opens the climax: where the fireworks go
  std::vector<double> gongs_s;
};

// A tune written in 简谱 (jianpu): 1 2 3 5 6 are 宫商角徵羽, ' raises and , lowers an octave, a
// note lasts a beat, `_` halves it, `-` holds the previous note a beat longer, 0 rests, | marks
// bars. Anything else, 4 and 7 (not in the scale) among them, is refused by position.
Result<std::vector<ScoreNote>> parse_jianpu(std::string_view tune, Voice voice, float first_beat, int octave);

FestivalMusic make_festival_music();
// The cue sheet written beside the music (festival_music.cues.json): tempo, key, sections,
// the climax and the gongs, in seconds from the music's start.
std::string cue_sheet_json(const FestivalMusic& music, std::string_view audio_file);

// The voices alone, mono, for tests and for sounds of their own.
std::vector<float> pluck(float hz, float seconds, float brightness, uint32_t sample_rate, uint32_t seed);
std::vector<float> dizi(float hz, float seconds, uint32_t sample_rate, uint32_t seed);

AudioBuffer make_gong();
AudioBuffer make_firecrackers();
AudioBuffer make_rooster_crow();
AudioBuffer make_phoenix_call();

// Gain that brings the sound's RMS level to `rms_dbfs`, held down so no peak passes
// `ceiling_dbfs`; applied in place.
void normalise(AudioBuffer& audio, double rms_dbfs, double ceiling_dbfs);
double rms_dbfs(const AudioBuffer& audio);
double peak_dbfs(const AudioBuffer& audio);

// 16-bit PCM WAV, the samples rounded to the nearest step.
std::vector<std::byte> encode_wav(const AudioBuffer& audio);

// Everything above into `folder`: festival_music.wav and .cues.json, gong.wav, firecrackers.wav,
// rooster_crow.wav, phoenix_call.wav.
Result<void> write_festival_audio(const std::filesystem::path& folder);

}  // namespace pavilion::procedural

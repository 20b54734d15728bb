// The festival tune: its score in 简谱, played by dizi, pipa and guzheng over drums, gongs and
// cymbals, in a room; its cue sheet; WAV files.
#include "audio_voices.h"
#include "pavilion/core/file.h"
#include "pavilion/procedural/festival_audio.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace pavilion::procedural {

Result<std::vector<ScoreNote>> parse_jianpu(std::string_view tune, Voice voice, float first_beat, int octave) {
  std::vector<ScoreNote> notes;
  float beat = first_beat;
  for (size_t position = 0; position < tune.size();) {
    const char symbol = tune[position];
    if (symbol == ' ' || symbol == '|') {
      ++position;
      continue;
    }
    if (symbol == '-') {
      if (notes.empty()) return Error(ErrorCode::invalid_input, "reading a tune", fmt::format("'-' at {} holds no note", position));
      notes.back().beats += 1.0f;
      beat += 1.0f;
      ++position;
      continue;
    }
    static constexpr std::string_view digits = "12356";
    const size_t degree = digits.find(symbol);
    if (symbol != '0' && degree == std::string_view::npos) {
      return Error(ErrorCode::invalid_input, "reading a tune",
                   fmt::format("'{}' at {} is not 1, 2, 3, 5, 6 (宫商角徵羽) or 0: the tune keeps to the pentatonic scale", symbol,
                               position));
    }
    ScoreNote note{voice, beat, 1.0f, static_cast<Degree>(degree == std::string_view::npos ? 0 : degree), octave};
    for (++position; position < tune.size(); ++position) {
      if (tune[position] == '\'') ++note.octave;
      else if (tune[position] == ',') --note.octave;
      else if (tune[position] == '_') note.beats *= 0.5f;
      else break;
    }
    beat += note.beats;
    if (symbol != '0') notes.push_back(note);
  }
  return notes;
}

namespace {

constexpr uint32_t sample_rate = 44'100;
constexpr double tempo_bpm = 120.0;
constexpr double seconds_per_beat = 60.0 / tempo_bpm;
constexpr int beats_per_bar = 4;

// Bars: intro 1–4, theme 5–12, answer 13–20, climax 21–26, coda 27–30, then the last gong rings.
constexpr int intro_bar = 0, theme_bar = 4, answer_bar = 12, climax_bar = 20, coda_bar = 26, end_bar = 30;
constexpr double tail_s = 3.0;

double bar_seconds(int bar) { return bar * beats_per_bar * seconds_per_beat; }
float bar_beat(int bar) { return static_cast<float>(bar * beats_per_bar); }

constexpr std::string_view theme_tune =
    "5_ 6_ 1' 6_ 5_ 3 | 2_ 3_ 5 3_ 2_ 1 | 6,_ 1_ 2 3_ 5_ 3 | 2 - - 0 |"
    "5_ 6_ 1' 2'_ 1'_ 6 | 5_ 6_ 5_ 3_ 2 3 | 5_ 3_ 2_ 1_ 6,_ 1_ 2 | 1 - - 0";
constexpr std::string_view answer_tune =
    "3_ 5_ 6 5_ 6_ 1' | 6_ 5_ 3_ 5_ 6 - | 1'_ 2'_ 3' 2'_ 1'_ 6 | 5 - 3 0 |"
    "2_ 3_ 5 3_ 5_ 6 | 1'_ 6_ 5_ 3_ 2 - | 3_ 5_ 2_ 3_ 1 6,_ 1_ | 2 - - -";
constexpr std::string_view climax_tune =
    "5_ 6_ 1' 6_ 5_ 3 | 5_ 6_ 1' 2'_ 1'_ 6 | 5_ 6_ 5_ 3_ 2_ 3_ 5 | 6_ 1'_ 6_ 5_ 3_ 5_ 6 |"
    "1'_ 2'_ 3'_ 2'_ 1' 6 | 5 - 1' -";
constexpr std::string_view coda_tune = "6_ 5_ 3_ 2_ 1 2 | 3_ 5_ 3_ 2_ 1 - | 6,_ 1_ 2_ 3_ 2 - | 1 - - -";
// The harmony's root for each bar from the theme on: drones on 宫 and 徵 with a turn to 羽 and 商.
constexpr std::string_view roots = "1 1 6, 5, 1 5, 5, 1 | 1 5, 6, 5, 2 5, 6, 5, | 1 1 5, 6, 1 5, | 6, 1 5, 1";

std::vector<ScoreNote> must_parse(std::string_view tune, Voice voice, float first_beat, int octave) {
  // The tunes are constants of this file: one that does not read is a bug here, found by any
  // run (the tests make the music).
  Result<std::vector<ScoreNote>> notes = parse_jianpu(tune, voice, first_beat, octave);
  if (!notes) {
    std::fprintf(stderr, "festival music: %s\n", notes.error().describe().c_str());
    std::abort();
  }
  return std::move(*notes);
}

std::vector<ScoreNote> festival_score() {
  std::vector<ScoreNote> score;
  const auto append = [&](std::vector<ScoreNote> notes) { score.insert(score.end(), notes.begin(), notes.end()); };
  // Intro: the guzheng sweeps up the scale at each bar, twice an octave apart.
  for (int bar = intro_bar; bar < theme_bar; ++bar) {
    const int octave = bar % 2 == 0 ? 3 : 4;
    append(must_parse("1_ 2_ 3_ 5_ 6_ 1'_ 2'_ 3'_", Voice::guzheng, bar_beat(bar), octave));
  }
  append(must_parse(theme_tune, Voice::dizi, bar_beat(theme_bar), 4));
  append(must_parse(answer_tune, Voice::pipa, bar_beat(answer_bar), 4));
  // The dizi answers the pipa with long notes a bar behind.
  append(must_parse("0 0 0 0 | 5 - - - | 6 - 5 - | 1' - - - | 6 - 5 - | 3 - - - | 2 - 3 - | 5 - - -", Voice::dizi,
                    bar_beat(answer_bar), 4));
  append(must_parse(climax_tune, Voice::dizi, bar_beat(climax_bar), 5));
  append(must_parse(climax_tune, Voice::pipa, bar_beat(climax_bar), 4));
  append(must_parse(coda_tune, Voice::dizi, bar_beat(coda_bar), 4));
  // Under it all the guzheng plucks each bar's root and the fifth above, in eighths.
  const std::vector<ScoreNote> bar_roots = must_parse(roots, Voice::guzheng, 0.0f, 3);
  for (size_t index = 0; index < bar_roots.size(); ++index) {
    const int bar = theme_bar + static_cast<int>(index);
    const ScoreNote& root = bar_roots[index];
    // A fifth up stays in the scale from 宫, 商, 徵 and 羽.
    const auto fifth_of = [](Degree degree) {
      switch (degree) {
        case Degree::gong: return std::pair{Degree::zhi, 0};
        case Degree::shang: return std::pair{Degree::yu, 0};
        case Degree::zhi: return std::pair{Degree::shang, 1};
        case Degree::yu: return std::pair{Degree::jue, 1};
        case Degree::jue: break;
      }
      return std::pair{Degree::zhi, 0};
    };
    const auto [fifth, up] = fifth_of(root.degree);
    for (int eighth = 0; eighth < 8; ++eighth) {
      const bool low = eighth % 4 == 0;
      const bool octave_note = eighth % 4 == 2;
      ScoreNote note{Voice::guzheng, bar_beat(bar) + 0.5f * static_cast<float>(eighth), 0.5f,
                     low || octave_note ? root.degree : fifth, root.octave + (octave_note ? 1 : low ? 0 : up)};
      score.push_back(note);
    }
  }
  std::stable_sort(score.begin(), score.end(), [](const ScoreNote& a, const ScoreNote& b) { return a.beat < b.beat; });
  return score;
}

struct Mixer {
  std::vector<float> stereo;

  // Adds a mono sound at `seconds`, panned from -1 (left) to 1 (right) at equal power.
  void add(const std::vector<float>& sound, double seconds, float level, float pan) {
    const auto start = static_cast<size_t>(seconds * sample_rate);
    const float angle = (pan + 1.0f) * 0.25f * 3.14159265f;
    const float left = level * std::cos(angle);
    const float right = level * std::sin(angle);
    for (size_t index = 0; index < sound.size() && (start + index) * 2 + 1 < stereo.size(); ++index) {
      stereo[(start + index) * 2] += left * sound[index];
      stereo[(start + index) * 2 + 1] += right * sound[index];
    }
  }
};

uint32_t note_seed(const ScoreNote& note, size_t index) {
  return 0x51a7u + static_cast<uint32_t>(index) * 2654435761u + static_cast<uint32_t>(note.voice);
}

void play_score(Mixer& mixer, const std::vector<ScoreNote>& score) {
  for (size_t index = 0; index < score.size(); ++index) {
    const ScoreNote& note = score[index];
    const float hz = pitch_hz(note.degree, note.octave);
    const double start = note.beat * seconds_per_beat;
    const auto length = static_cast<float>(note.beats * seconds_per_beat);
    switch (note.voice) {
      case Voice::dizi:
        mixer.add(dizi(hz, length * 0.96f, sample_rate, note_seed(note, index)), start, 0.5f, 0.0f);
        break;
      case Voice::pipa:
        // 轮指: the pipa rolls its long notes as a tremolo of quick plucks.
        if (note.beats >= 1.0f) {
          const int strokes = static_cast<int>(note.beats * 8.0f);
          for (int stroke = 0; stroke < strokes; ++stroke) {
            const float level = stroke == 0 ? 0.55f : 0.3f;
            mixer.add(pluck(hz, 0.3f, 0.9f, sample_rate, note_seed(note, index) + static_cast<uint32_t>(stroke)),
                      start + stroke * seconds_per_beat / 8.0, level, 0.35f);
          }
        } else {
          mixer.add(pluck(hz, std::max(length, 0.6f), 0.9f, sample_rate, note_seed(note, index)), start, 0.55f, 0.35f);
        }
        break;
      case Voice::guzheng:
        mixer.add(pluck(hz, 1.6f, 0.45f, sample_rate, note_seed(note, index)), start, 0.32f, -0.35f);
        break;
    }
  }
}

void play_percussion(Mixer& mixer) {
  uint32_t seed = 0xd7u;
  for (int bar = intro_bar; bar < end_bar; ++bar) {
    const double at = bar_seconds(bar);
    const bool climax = bar >= climax_bar && bar < coda_bar;
    const bool answer = bar >= answer_bar && bar < climax_bar;
    for (int beat = 0; beat < beats_per_bar; ++beat) {
      const double time = at + beat * seconds_per_beat;
      if (bar < theme_bar && beat % 2 == 1) continue;  // the intro's drum on one and three only
      const float accent = beat == 0 ? 1.0f : 0.6f;
      mixer.add(voices::drum(beat == 0 ? 95.0f : 120.0f, 0.6f, sample_rate, ++seed), time, (climax ? 0.7f : 0.45f) * accent, 0.0f);
      if (answer) mixer.add(voices::woodblock(sample_rate, ++seed), time + seconds_per_beat / 2.0, 0.25f, 0.5f);
      if (climax) {
        // The climax drives on in sixteenths, with cymbals on every bar.
        for (int sixteenth = 1; sixteenth < 4; ++sixteenth) {
          mixer.add(voices::drum(140.0f, 0.3f, sample_rate, ++seed), time + sixteenth * seconds_per_beat / 4.0, 0.25f, -0.1f);
        }
      }
    }
    if (climax || bar == coda_bar) mixer.add(voices::cymbals(1.4f, sample_rate, ++seed), at, 0.35f, 0.2f);
  }
}

std::vector<MusicSection> festival_sections() {
  return {{"intro", "引子", bar_seconds(intro_bar), bar_seconds(theme_bar)},
          {"theme", "主题", bar_seconds(theme_bar), bar_seconds(answer_bar)},
          {"answer", "应答", bar_seconds(answer_bar), bar_seconds(climax_bar)},
          {"climax", "高潮", bar_seconds(climax_bar), bar_seconds(coda_bar)},
          {"coda", "尾声", bar_seconds(coda_bar), bar_seconds(end_bar) + tail_s}};
}

Result<void> write_bytes(const std::filesystem::path& path, std::span<const std::byte> bytes) {
  return write_file_atomic(path, bytes).add_context(fmt::format("writing {}", path.string()));
}

}  // namespace

FestivalMusic make_festival_music() {
  FestivalMusic music;
  music.tempo_bpm = tempo_bpm;
  music.score = festival_score();
  music.sections = festival_sections();
  music.climax_s = bar_seconds(climax_bar);
  music.gongs_s = {bar_seconds(intro_bar), music.climax_s, bar_seconds(end_bar - 1)};
  Mixer mixer;
  mixer.stereo.assign(static_cast<size_t>((bar_seconds(end_bar) + tail_s) * sample_rate) * 2, 0.0f);
  play_score(mixer, music.score);
  play_percussion(mixer);
  const float gong_levels[] = {0.45f, 0.9f, 0.7f};
  for (size_t index = 0; index < music.gongs_s.size(); ++index) {
    mixer.add(voices::gong(150.0f, 4.5f, sample_rate, 0x9090u + static_cast<uint32_t>(index)), music.gongs_s[index], gong_levels[index], -0.15f);
  }
  voices::add_room(mixer.stereo, sample_rate, 0.22f);
  // The last second fades to silence.
  const size_t fade = sample_rate;
  const size_t frames = mixer.stereo.size() / 2;
  for (size_t index = 0; index < fade; ++index) {
    const float gain = static_cast<float>(index) / static_cast<float>(fade);
    mixer.stereo[(frames - 1 - index) * 2] *= gain;
    mixer.stereo[(frames - 1 - index) * 2 + 1] *= gain;
  }
  music.audio.channels = 2;
  music.audio.sample_rate = sample_rate;
  music.audio.samples = std::move(mixer.stereo);
  normalise(music.audio, -18.0, -1.0);
  return music;
}

std::string cue_sheet_json(const FestivalMusic& music, std::string_view audio_file) {
  nlohmann::ordered_json sheet;
  sheet["audio"] = audio_file;
  sheet["duration_s"] = music.audio.seconds();
  sheet["tempo_bpm"] = music.tempo_bpm;
  sheet["beats_per_bar"] = beats_per_bar;
  sheet["key"] = {{"en", "D gong pentatonic (D E F# A B)"}, {"zh-CN", "D宫五声调式（宫商角徵羽：D E #F A B）"}};
  for (const MusicSection& section : music.sections) {
    sheet["sections"].push_back({{"name", section.name}, {"name_zh", section.name_zh}, {"start_s", section.start_s}, {"end_s", section.end_s}});
  }
  sheet["climax_s"] = music.climax_s;
  sheet["gongs_s"] = music.gongs_s;
  return sheet.dump(2) + "\n";
}

double rms_dbfs(const AudioBuffer& audio) {
  double sum = 0.0;
  for (const float sample : audio.samples) sum += double{sample} * sample;
  return 10.0 * std::log10(std::max(sum / std::max<size_t>(audio.samples.size(), 1), 1e-20));
}

double peak_dbfs(const AudioBuffer& audio) {
  float peak = 0.0f;
  for (const float sample : audio.samples) peak = std::max(peak, std::abs(sample));
  return 20.0 * std::log10(std::max(double{peak}, 1e-10));
}

void normalise(AudioBuffer& audio, double rms_target_dbfs, double ceiling_dbfs) {
  const double gain_db = std::min(rms_target_dbfs - rms_dbfs(audio), ceiling_dbfs - peak_dbfs(audio));
  const auto gain = static_cast<float>(std::pow(10.0, gain_db / 20.0));
  for (float& sample : audio.samples) sample *= gain;
}

std::vector<std::byte> encode_wav(const AudioBuffer& audio) {
  std::vector<std::byte> out;
  const auto put = [&](uint32_t value, int bytes) {
    for (int index = 0; index < bytes; ++index) out.push_back(static_cast<std::byte>((value >> (8 * index)) & 0xffu));
  };
  const auto tag = [&](const char* text) {
    for (int index = 0; index < 4; ++index) out.push_back(static_cast<std::byte>(text[index]));
  };
  const auto data_bytes = static_cast<uint32_t>(audio.samples.size() * 2);
  tag("RIFF");
  put(36 + data_bytes, 4);
  tag("WAVE");
  tag("fmt ");
  put(16, 4);
  put(1, 2);  // PCM
  put(audio.channels, 2);
  put(audio.sample_rate, 4);
  put(audio.sample_rate * audio.channels * 2, 4);
  put(audio.channels * 2, 2);
  put(16, 2);
  tag("data");
  put(data_bytes, 4);
  for (const float sample : audio.samples) {
    const auto step = static_cast<int16_t>(std::lround(std::clamp(sample, -1.0f, 1.0f) * 32767.0f));
    put(static_cast<uint16_t>(step), 2);
  }
  return out;
}

Result<void> write_festival_audio(const std::filesystem::path& folder) {
  const FestivalMusic music = make_festival_music();
  PV_TRY(write_bytes(folder / "festival_music.wav", encode_wav(music.audio)));
  const std::string sheet = cue_sheet_json(music, "festival_music.wav");
  PV_TRY(write_bytes(folder / "festival_music.cues.json", std::as_bytes(std::span(sheet.data(), sheet.size()))));
  struct Named { const char* file; AudioBuffer (*make)(); double rms_dbfs; };
  // Each sound at a level that sits with the music: the gong and the crackers loud, the calls softer.
  const Named sounds[] = {{"gong.wav", make_gong, -18.0},
                          {"firecrackers.wav", make_firecrackers, -18.0},
                          {"rooster_crow.wav", make_rooster_crow, -18.0},
                          {"phoenix_call.wav", make_phoenix_call, -21.0}};
  for (const Named& sound : sounds) {
    AudioBuffer audio = sound.make();
    normalise(audio, sound.rms_dbfs, -1.0);
    PV_TRY(write_bytes(folder / sound.file, encode_wav(audio)));
  }
  return {};
}

}  // namespace pavilion::procedural

// A small festival scene with a show, written as a curator's source folder for pavilion-pack: a
// lantern and a golden rooster (hotspots), a tune (the show's music, captioned "迎春曲"), a gong
// (no caption: named by its exhibit's title) and a crow, all synthesised here. Its show plays the
// tune from 0, a camera move from 0.5 s, the title 丹凤来仪 over the lantern from 1 s to 4 s, the
// gong at 2.5 s and a burst of sparks at 3 s; touching the lantern releases it (the gong again and
// a title), pointing at the rooster makes it crow.
#pragma once

#include "pavilion/core/file.h"

#include <fmt/format.h>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace pavilion::testing {

inline constexpr double festival_gong_start = 2.5;
inline constexpr double festival_gong_seconds = 0.6;
inline constexpr double festival_title_start = 1.0;
inline constexpr float festival_camera_end_x = 1.5f;  // where the camera move ends: (1.5, 2, 3)

// A 16-bit PCM WAV of `seconds` of a tone at `hertz` (two channels when `stereo`), fading out.
inline std::vector<std::byte> festival_tone(double seconds, double hertz, bool stereo) {
  constexpr uint32_t rate = 48'000;
  const uint16_t channels = stereo ? 2 : 1;
  const auto frames = static_cast<uint32_t>(seconds * rate);
  std::vector<std::byte> wav;
  const auto put = [&](uint32_t value, int bytes) {
    for (int index = 0; index < bytes; ++index) wav.push_back(static_cast<std::byte>((value >> (8 * index)) & 0xffu));
  };
  const auto tag = [&](const char* four) {
    for (int index = 0; index < 4; ++index) wav.push_back(static_cast<std::byte>(four[index]));
  };
  const uint32_t data_bytes = frames * channels * 2;
  tag("RIFF");
  put(36 + data_bytes, 4);
  tag("WAVE");
  tag("fmt ");
  put(16, 4);
  put(1, 2);
  put(channels, 2);
  put(rate, 4);
  put(rate * channels * 2, 4);
  put(channels * 2, 2);
  put(16, 2);
  tag("data");
  put(data_bytes, 4);
  for (uint32_t frame = 0; frame < frames; ++frame) {
    const double t = static_cast<double>(frame) / rate;
    const double envelope = 1.0 - 0.5 * t / seconds;
    const auto sample = static_cast<int16_t>(std::lround(9000.0 * envelope * std::sin(2.0 * M_PI * hertz * t)));
    for (uint16_t channel = 0; channel < channels; ++channel) put(static_cast<uint16_t>(sample), 2);
  }
  return wav;
}

// scene.json of the festival scene, its show `show_seconds` long and looping in the attract loop.
inline std::string festival_scene_json(double show_seconds) {
  return fmt::format(R"({{
  "id": "festival", "version": "1", "title": {{"zh-CN": "丹凤来仪", "en": "The phoenix alights"}},
  "viewpoints": [{{"name": {{"zh-CN": "庭院", "en": "Courtyard"}}, "position": [0, 1.6, 4], "target": [0, 1.4, 0]}}],
  "exhibits": [
    {{"id": "lantern", "kind": "hotspot", "position": [-1, 1.8, 0], "radius": 0.4,
     "metadata": {{"title": {{"zh-CN": "红灯笼", "en": "Red lantern"}}, "rights": {{"zh-CN": "公有领域", "en": "Public domain"}}}},
     "alt_text": {{"zh-CN": "一盏红灯笼。", "en": "A red lantern."}}}},
    {{"id": "rooster", "kind": "hotspot", "position": [1, 1.6, 0], "radius": 0.5,
     "metadata": {{"title": {{"zh-CN": "金鸡", "en": "Golden rooster"}}, "rights": {{"zh-CN": "公有领域", "en": "Public domain"}}}},
     "alt_text": {{"zh-CN": "一只金鸡。", "en": "A golden rooster."}}}},
    {{"id": "tune", "kind": "audio", "sound": "tune.wav", "position": [0, 1.5, 0],
     "metadata": {{"title": {{"zh-CN": "乐曲", "en": "Tune"}}, "rights": {{"zh-CN": "公有领域", "en": "Public domain"}}}},
     "alt_text": {{"zh-CN": "一段乐曲。", "en": "A tune."}},
     "caption": {{"zh-CN": "迎春曲", "en": "a tune to welcome spring"}}}},
    {{"id": "gong", "kind": "audio", "sound": "gong.wav", "position": [-2, 1.6, -1],
     "metadata": {{"title": {{"zh-CN": "锣", "en": "Gong"}}, "rights": {{"zh-CN": "公有领域", "en": "Public domain"}}}},
     "alt_text": {{"zh-CN": "锣声。", "en": "A gong."}}}},
    {{"id": "crow", "kind": "audio", "sound": "crow.wav", "position": [1, 1.6, 0],
     "metadata": {{"title": {{"zh-CN": "鸡鸣", "en": "A rooster crows"}}, "rights": {{"zh-CN": "公有领域", "en": "Public domain"}}}},
     "alt_text": {{"zh-CN": "鸡鸣声。", "en": "A crow."}}}}
  ],
  "particles": [{{"name": "sparks", "emission": "burst", "count": 20, "position": [0, 2, -2], "cone": 180,
                  "speed": [1, 2], "lifetime": 1, "color": [{{"time": 0, "color": "#ffd080", "alpha": 1}}], "size": 0.05}}],
  "show": {{
    "duration": {0}, "loop": true,
    "tracks": [
      {{"name": "music", "cues": [{{"kind": "sound", "start": 0, "sound": "tune"}}]}},
      {{"name": "opening", "cues": [
        {{"kind": "camera", "start": 0.5, "keys": [
          {{"time": 0, "position": [0, 1.6, 4], "target": [0, 1.4, 0], "fov": 60}},
          {{"time": 2, "position": [1.5, 2, 3], "target": [0, 1.5, 0], "fov": 50}}]}},
        {{"kind": "title", "start": {1}, "duration": 3, "exhibit": "lantern", "fade": 0.5,
         "text": {{"zh-CN": "丹凤来仪", "en": "The phoenix alights"}}}},
        {{"kind": "sound", "start": {2}, "sound": "gong", "gain_db": -3}},
        {{"kind": "burst", "start": 3, "emitter": "sparks"}}]}}
    ],
    "moments": [
      {{"exhibit": "lantern", "trigger": "touch", "event": "lantern_released", "cues": [
        {{"kind": "sound", "start": 0, "sound": "gong"}},
        {{"kind": "title", "start": 0, "duration": 2, "exhibit": "lantern", "text": {{"zh-CN": "灯笼升起", "en": "The lantern rises"}}}}]}},
      {{"exhibit": "rooster", "trigger": "point", "event": "rooster_crowed", "cues": [
        {{"kind": "sound", "start": 0, "sound": "crow"}}]}}
    ]
  }}
}})",
                     show_seconds, festival_title_start, festival_gong_start);
}

// Writes the festival scene's source folder: scene.json and its three sounds.
inline void write_festival_source(const std::filesystem::path& folder, double show_seconds) {
  std::filesystem::create_directories(folder);
  const std::string scene = festival_scene_json(show_seconds);
  (void)write_file_atomic(folder / "scene.json", std::as_bytes(std::span(scene)));
  (void)write_file_atomic(folder / "tune.wav", festival_tone(show_seconds, 440.0, true));
  // Stereo: beside the listener's ears, heard the same wherever the camera is.
  (void)write_file_atomic(folder / "gong.wav", festival_tone(festival_gong_seconds, 220.0, true));
  (void)write_file_atomic(folder / "crow.wav", festival_tone(0.8, 880.0, false));
}

}  // namespace pavilion::testing

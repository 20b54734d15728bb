// The voices: plucked strings by Karplus–Strong, the dizi by additive synthesis with breath and
// vibrato, percussion from shaped noise and falling sines, and the birds' calls.
#include "audio_voices.h"
#include "pavilion/procedural/festival_audio.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace pavilion::procedural {

namespace {

constexpr float pi = 3.14159265358979f;
constexpr float two_pi = 2.0f * pi;

// A two-pole resonator (band-pass) run over a signal in place.
void resonate(std::vector<float>& signal, float hz, float q, uint32_t sample_rate) {
  const float w = two_pi * hz / static_cast<float>(sample_rate);
  const float alpha = std::sin(w) / (2.0f * q);
  const float a0 = 1.0f + alpha;
  const float b0 = alpha / a0;
  const float a1 = -2.0f * std::cos(w) / a0;
  const float a2 = (1.0f - alpha) / a0;
  float x1 = 0.0f, x2 = 0.0f, y1 = 0.0f, y2 = 0.0f;
  for (float& sample : signal) {
    const float y = b0 * sample - b0 * x2 - a1 * y1 - a2 * y2;
    x2 = x1;
    x1 = sample;
    y2 = y1;
    y1 = y;
    sample = y;
  }
}

float mix(float from, float to, float t) { return from + (to - from) * t; }

size_t frames(float seconds, uint32_t sample_rate) { return static_cast<size_t>(seconds * static_cast<float>(sample_rate)); }

AudioBuffer mono(std::vector<float> samples) {
  AudioBuffer audio;
  audio.channels = 1;
  audio.samples = std::move(samples);
  return audio;
}

}  // namespace

float pitch_hz(Degree degree, int octave) {
  // D4 is 5 semitones below A4.
  const int semitones = degree_semitones[static_cast<int>(degree)] - 7 + 12 * (octave - 4);
  return 440.0f * std::pow(2.0f, static_cast<float>(semitones) / 12.0f);
}

std::vector<float> pluck(float hz, float seconds, float brightness, uint32_t sample_rate, uint32_t seed) {
  // The string is a delay line a period long, filled with a pluck of noise and averaged as it
  // circulates; a first-order all-pass supplies the fraction of a sample the period needs, so
  // high notes stay in tune.
  const float period = static_cast<float>(sample_rate) / hz - 0.5f;  // the averaging delays half a sample
  const auto length = static_cast<size_t>(std::floor(period - 0.1f));
  const float fraction = period - static_cast<float>(length);
  const float allpass = (1.0f - fraction) / (1.0f + fraction);
  voices::Noise noise(seed);
  std::vector<float> line(length);
  float smoothed = 0.0f;
  for (float& sample : line) {
    // Brightness lowers the pluck's smoothing: a pipa's plectrum against a guzheng's finger.
    smoothed += (noise.next() - smoothed) * (0.25f + 0.75f * brightness);
    sample = smoothed;
  }
  const float decay = 0.996f + 0.0035f * (1.0f - brightness);
  std::vector<float> out(frames(seconds, sample_rate));
  size_t position = 0;
  float previous = 0.0f, allpass_in = 0.0f, allpass_out = 0.0f;
  for (float& sample : out) {
    const float current = line[position];
    const float averaged = decay * 0.5f * (current + previous);
    previous = current;
    allpass_out = allpass * (averaged - allpass_out) + allpass_in;
    allpass_in = averaged;
    line[position] = allpass_out;
    position = (position + 1) % length;
    sample = current;
  }
  // A short fade keeps the note's end from clicking.
  const size_t fade = std::min(out.size(), frames(0.02f, sample_rate));
  for (size_t index = 0; index < fade; ++index) out[out.size() - 1 - index] *= static_cast<float>(index) / static_cast<float>(fade);
  return out;
}

std::vector<float> dizi(float hz, float seconds, uint32_t sample_rate, uint32_t seed) {
  voices::Noise noise(seed);
  std::vector<float> out(frames(seconds, sample_rate));
  const auto rate = static_cast<float>(sample_rate);
  float phase = 0.0f, breath = 0.0f;
  const std::array<float, 5> harmonics = {1.0f, 0.42f, 0.2f, 0.09f, 0.04f};
  for (size_t index = 0; index < out.size(); ++index) {
    const float t = static_cast<float>(index) / rate;
    // Vibrato grows in after the note has spoken, as a player's does.
    const float vibrato = 1.0f + 0.006f * std::min(1.0f, std::max(0.0f, (t - 0.12f) / 0.2f)) * std::sin(two_pi * 5.4f * t);
    phase += hz * vibrato / rate;
    phase -= std::floor(phase);
    float tone = 0.0f;
    for (size_t h = 0; h < harmonics.size(); ++h) {
      if (hz * static_cast<float>(h + 1) < rate * 0.45f) tone += harmonics[h] * std::sin(two_pi * phase * static_cast<float>(h + 1));
    }
    // The membrane (笛膜) buzzes: a touch of soft clipping brightens the tone.
    tone = std::tanh(1.6f * tone) / std::tanh(1.6f);
    breath += (noise.next() - breath) * 0.3f;
    const float attack = std::min(1.0f, t / 0.04f);
    const float release = std::min(1.0f, std::max(0.0f, (seconds - t) / 0.06f));
    const float chiff = 0.35f * std::exp(-t / 0.03f);
    out[index] = attack * release * (0.8f * tone + (0.05f + chiff) * breath);
  }
  return out;
}

namespace voices {

std::vector<float> drum(float hz, float seconds, uint32_t sample_rate, uint32_t seed) {
  Noise noise(seed);
  std::vector<float> out(frames(seconds, sample_rate));
  const auto rate = static_cast<float>(sample_rate);
  float phase = 0.0f;
  for (size_t index = 0; index < out.size(); ++index) {
    const float t = static_cast<float>(index) / rate;
    phase += hz * (1.0f + 0.9f * std::exp(-t / 0.03f)) / rate;
    const float body = std::sin(two_pi * phase) * std::exp(-t / 0.22f);
    const float click = noise.next() * std::exp(-t / 0.004f) * 0.5f;
    out[index] = body + click;
  }
  return out;
}

std::vector<float> woodblock(uint32_t sample_rate, uint32_t seed) {
  Noise noise(seed);
  std::vector<float> out(frames(0.12f, sample_rate));
  const auto rate = static_cast<float>(sample_rate);
  for (size_t index = 0; index < out.size(); ++index) {
    const float t = static_cast<float>(index) / rate;
    out[index] = (std::sin(two_pi * 1250.0f * t) + 0.5f * std::sin(two_pi * 2710.0f * t)) * std::exp(-t / 0.018f) +
                 0.3f * noise.next() * std::exp(-t / 0.002f);
  }
  return out;
}

std::vector<float> cymbals(float seconds, uint32_t sample_rate, uint32_t seed) {
  Noise noise(seed);
  std::vector<float> out(frames(seconds, sample_rate));
  const auto rate = static_cast<float>(sample_rate);
  float previous = 0.0f;
  for (size_t index = 0; index < out.size(); ++index) {
    const float t = static_cast<float>(index) / rate;
    const float white = noise.next();
    const float bright = white - previous;  // a first difference: the hiss without its lows
    previous = white;
    out[index] = bright * (0.6f * std::exp(-t / 0.35f) + 0.4f * std::exp(-t / 0.05f));
  }
  return out;
}

std::vector<float> gong(float hz, float seconds, uint32_t sample_rate, uint32_t seed) {
  Noise noise(seed);
  struct Partial { float ratio, level, decay, bloom; };
  const Partial partials[] = {{1.0f, 1.0f, 3.2f, 0.0f},   {1.52f, 0.7f, 2.6f, 0.05f}, {2.03f, 0.5f, 2.2f, 0.1f},
                              {2.47f, 0.45f, 1.8f, 0.15f}, {2.94f, 0.35f, 1.5f, 0.2f}, {3.61f, 0.3f, 1.2f, 0.25f},
                              {4.23f, 0.22f, 1.0f, 0.3f},  {5.12f, 0.16f, 0.8f, 0.3f}, {6.3f, 0.12f, 0.6f, 0.35f}};
  std::vector<float> detune;
  for (size_t index = 0; index < std::size(partials); ++index) detune.push_back(1.0f + 0.004f * noise.next());
  std::vector<float> out(frames(seconds, sample_rate));
  const auto rate = static_cast<float>(sample_rate);
  std::vector<float> phases(std::size(partials), 0.0f);
  for (size_t index = 0; index < out.size(); ++index) {
    const float t = static_cast<float>(index) / rate;
    // A large 锣's pitch sinks a little as it rings.
    const float glide = 1.0f - 0.03f * (1.0f - std::exp(-t / 0.8f));
    float sample = 0.0f;
    for (size_t p = 0; p < std::size(partials); ++p) {
      phases[p] += hz * partials[p].ratio * detune[p] * glide / rate;
      phases[p] -= std::floor(phases[p]);
      const float bloom = partials[p].bloom > 0.0f ? 1.0f - 0.6f * std::exp(-t / partials[p].bloom) : 1.0f;
      sample += partials[p].level * bloom * std::exp(-t / partials[p].decay) * std::sin(two_pi * phases[p]);
    }
    const float strike = noise.next() * std::exp(-t / 0.01f) * 0.6f;
    const float fade = std::min(1.0f, (seconds - t) / 0.3f);
    out[index] = (sample * 0.4f + strike) * fade;
  }
  return out;
}

void add_room(std::vector<float>& stereo, uint32_t sample_rate, float wet) {
  const float scale = static_cast<float>(sample_rate) / 44'100.0f;
  const size_t combs[2][4] = {{1116, 1188, 1277, 1356}, {1139, 1211, 1300, 1379}};
  const size_t allpasses[2][2] = {{556, 441}, {579, 464}};
  const size_t frame_count = stereo.size() / 2;
  for (size_t channel = 0; channel < 2; ++channel) {
    std::vector<float> room(frame_count, 0.0f);
    for (const size_t base : combs[channel]) {
      const auto delay = static_cast<size_t>(static_cast<float>(base) * scale);
      std::vector<float> line(delay, 0.0f);
      float damped = 0.0f;
      for (size_t frame = 0; frame < frame_count; ++frame) {
        const float out = line[frame % delay];
        damped = out * 0.7f + damped * 0.3f;
        line[frame % delay] = stereo[frame * 2 + channel] + damped * 0.8f;
        room[frame] += out * 0.25f;
      }
    }
    for (const size_t base : allpasses[channel]) {
      const auto delay = static_cast<size_t>(static_cast<float>(base) * scale);
      std::vector<float> line(delay, 0.0f);
      for (size_t frame = 0; frame < frame_count; ++frame) {
        const float delayed = line[frame % delay];
        const float in = room[frame];
        line[frame % delay] = in + delayed * 0.5f;
        room[frame] = delayed - in * 0.5f;
      }
    }
    for (size_t frame = 0; frame < frame_count; ++frame) stereo[frame * 2 + channel] += wet * room[frame];
  }
}

}  // namespace voices

AudioBuffer make_gong() { return mono(voices::gong(170.0f, 5.0f, 44'100, 0x6f6e67u)); }

AudioBuffer make_firecrackers() {
  // A string of crackers: sharp pops at uneven, quick intervals, now and then a louder bang,
  // thinning out as the string burns down.
  constexpr uint32_t rate = 44'100;
  constexpr float seconds = 3.2f;
  voices::Noise noise(0x0b1a0u);
  std::vector<float> out(frames(seconds, rate), 0.0f);
  float time = 0.01f;
  while (time < seconds - 0.1f) {
    const bool bang = noise.next() > 0.82f;
    const float level = bang ? noise.between(0.8f, 1.0f) : noise.between(0.25f, 0.6f);
    const float length = bang ? noise.between(0.006f, 0.012f) : noise.between(0.002f, 0.005f);
    const size_t start = frames(time, rate);
    float previous = 0.0f;
    for (size_t index = 0; index < frames(0.08f, rate) && start + index < out.size(); ++index) {
      const float t = static_cast<float>(index) / static_cast<float>(rate);
      const float white = noise.next();
      const float crack = (white - 0.6f * previous) * std::exp(-t / length);
      previous = white;
      const float thump = bang ? 0.6f * std::sin(two_pi * 95.0f * t) * std::exp(-t / 0.025f) : 0.0f;
      out[start + index] += level * (crack + thump);
    }
    const float thinning = 1.0f + 2.0f * std::max(0.0f, time - 2.2f);
    time += noise.between(0.018f, 0.07f) * thinning;
  }
  return mono(std::move(out));
}

AudioBuffer make_rooster_crow() {
  // 喔喔喔: four syllables, the last long, from a buzzing voice shaped by two formants and a
  // rasp, rising and falling as a rooster's call does.
  constexpr uint32_t rate = 44'100;
  struct Syllable { float start, length, from_hz, peak_hz, to_hz; };
  const Syllable syllables[] = {{0.05f, 0.16f, 480.0f, 680.0f, 620.0f},
                                {0.24f, 0.12f, 600.0f, 640.0f, 580.0f},
                                {0.39f, 0.22f, 640.0f, 860.0f, 820.0f},
                                {0.64f, 0.95f, 820.0f, 940.0f, 700.0f}};
  voices::Noise noise(0xc0cau);
  std::vector<float> voice(frames(1.8f, rate), 0.0f);
  for (const Syllable& syllable : syllables) {
    float phase = 0.0f;
    const size_t start = frames(syllable.start, rate);
    for (size_t index = 0; index < frames(syllable.length, rate) && start + index < voice.size(); ++index) {
      const float t = static_cast<float>(index) / static_cast<float>(rate);
      const float x = t / syllable.length;
      const float hz = x < 0.3f ? mix(syllable.from_hz, syllable.peak_hz, x / 0.3f) : mix(syllable.peak_hz, syllable.to_hz, (x - 0.3f) / 0.7f);
      phase += hz * (1.0f + 0.01f * std::sin(two_pi * 7.0f * t)) / static_cast<float>(rate);
      phase -= std::floor(phase);
      float buzz = 0.0f;
      for (int h = 1; h * hz < 7000.0f && h <= 14; ++h) buzz += std::sin(two_pi * phase * static_cast<float>(h)) / static_cast<float>(h);
      const float rasp = 1.0f - 0.35f * (0.5f + 0.5f * std::sin(two_pi * 68.0f * t));
      const float envelope = std::min(1.0f, t / 0.02f) * std::min(1.0f, (syllable.length - t) / 0.05f);
      voice[start + index] += envelope * (buzz * rasp + 0.12f * noise.next());
    }
  }
  std::vector<float> low = voice;
  std::vector<float> high = voice;
  resonate(low, 1150.0f, 2.5f, rate);
  resonate(high, 2700.0f, 3.5f, rate);
  for (size_t index = 0; index < voice.size(); ++index) voice[index] = 0.15f * voice[index] + low[index] + 0.7f * high[index];
  return mono(std::move(voice));
}

AudioBuffer make_phoenix_call() {
  // Soft and high: three rising chirps, then a falling run down the pentatonic scale two
  // octaves up, each note with a bird's quick flutter, and a last long glide.
  constexpr uint32_t rate = 44'100;
  std::vector<float> out(frames(2.2f, rate), 0.0f);
  const auto tone = [&](float start, float length, float from_hz, float to_hz, float level, float flutter) {
    float phase = 0.0f;
    const size_t first = frames(start, rate);
    for (size_t index = 0; index < frames(length, rate) && first + index < out.size(); ++index) {
      const float t = static_cast<float>(index) / static_cast<float>(rate);
      const float x = t / length;
      const float hz = from_hz * std::pow(to_hz / from_hz, x) * (1.0f + flutter * std::sin(two_pi * 32.0f * t));
      phase += hz / static_cast<float>(rate);
      phase -= std::floor(phase);
      const float envelope = std::sin(pi * x) * std::sin(pi * x);
      out[first + index] += level * envelope * (std::sin(two_pi * phase) + 0.15f * std::sin(2.0f * two_pi * phase));
    }
  };
  for (int chirp = 0; chirp < 3; ++chirp) tone(0.02f + 0.14f * static_cast<float>(chirp), 0.1f, 2100.0f, 3300.0f, 0.6f, 0.0f);
  const Degree run[] = {Degree::yu, Degree::zhi, Degree::jue, Degree::shang, Degree::gong};
  for (int note = 0; note < 5; ++note) {
    tone(0.5f + 0.11f * static_cast<float>(note), 0.13f, pitch_hz(run[note], 7), pitch_hz(run[note], 7) * 0.985f, 0.5f, 0.012f);
  }
  tone(1.08f, 0.9f, pitch_hz(Degree::zhi, 6), pitch_hz(Degree::gong, 7), 0.55f, 0.008f);
  // An echo, as if it called across the courtyard.
  const size_t echo = frames(0.23f, rate);
  for (size_t index = out.size(); index-- > echo;) out[index] += 0.3f * out[index - echo];
  return mono(std::move(out));
}

}  // namespace pavilion::procedural

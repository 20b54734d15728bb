// The festival's percussion and room, shared by the music and the separate sounds.
#pragma once

#include <cstdint>
#include <vector>

namespace pavilion::procedural::voices {

// A small seeded generator (xorshift32): the same noise on every machine.
class Noise {
 public:
  explicit Noise(uint32_t seed) : state_(seed == 0 ? 0x9e3779b9u : seed) {}
  float next() {  // uniform in [-1, 1)
    state_ ^= state_ << 13;
    state_ ^= state_ >> 17;
    state_ ^= state_ << 5;
    return static_cast<float>(state_ >> 8) / static_cast<float>(1u << 23) - 1.0f;
  }
  float between(float low, float high) { return low + (high - low) * (0.5f + 0.5f * next()); }

 private:
  uint32_t state_;
};

// 堂鼓: a skin whose pitch falls as it rings, with the stick's click.
std::vector<float> drum(float hz, float seconds, uint32_t sample_rate, uint32_t seed);
// 梆子: a woodblock's short bright knock.
std::vector<float> woodblock(uint32_t sample_rate, uint32_t seed);
// 镲: small cymbals, a bright hiss that dies away.
std::vector<float> cymbals(float seconds, uint32_t sample_rate, uint32_t seed);
// 铜锣: inharmonic partials blooming and falling slightly in pitch.
std::vector<float> gong(float hz, float seconds, uint32_t sample_rate, uint32_t seed);

// A plain Schroeder room (combs into all-passes), different on each side for width; `wet` of
// the room is added to the dry sound, in place, on interleaved stereo.
void add_room(std::vector<float>& stereo, uint32_t sample_rate, float wet);

}  // namespace pavilion::procedural::voices

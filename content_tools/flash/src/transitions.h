// What counts as one change from light to dark or back, in time (a pixel from frame to frame)
// and in space (along a row or column, for stripes).
#pragma once

#include <algorithm>
#include <cstdint>
#include <utility>

namespace pavilion::flash {

// WCAG 2.2, "general flash and red flash thresholds": a flash is a pair of opposing changes in
// relative luminance of 10 % or more of the maximum (1.0) where the darker state is below 0.80.
// ITU-R BT.1702 sets the same 10 % (as 20 cd/m² of a 200 cd/m² display).
constexpr float general_threshold = 0.1f;
constexpr float darker_state_limit = 0.8f;
// WCAG 2.2: a red transition changes (R−G−B)×320 by more than 20.
constexpr float red_threshold = 20.0f;

// The extremes since the last transition. After a rising transition the high is the reference a
// fall is measured from, after a falling one the low; before the first, both. A slow ramp makes
// one transition (the extreme follows it), and noise smaller than the threshold never makes one.
struct Extremes {
  float low = 0;
  float high = 0;
  int8_t direction = 0;  // +1 after a rise, −1 after a fall, 0 before the first transition

  void start(float value) {
    low = high = value;
    direction = 0;
  }
};

// True when `luminance` completes a general transition from the last extreme.
inline bool general_transition(Extremes& state, float luminance) {
  state.high = std::max(state.high, luminance);
  state.low = std::min(state.low, luminance);
  if (state.direction <= 0 && luminance - state.low >= general_threshold && state.low < darker_state_limit) {
    state.direction = 1;
    state.high = luminance;
    return true;
  }
  if (state.direction >= 0 && state.high - luminance >= general_threshold && luminance < darker_state_limit) {
    state.direction = -1;
    state.low = luminance;
    return true;
  }
  return false;
}

// True when `redness` ((R−G−B)×320) completes a red transition: a change of more than 20 to or
// from saturated red. The redder state of the two is the one that must be saturated, so the
// high's saturation is kept with it.
inline bool red_transition(Extremes& state, bool& high_saturated, float redness, bool saturated) {
  if (redness > state.high) {
    state.high = redness;
    high_saturated = saturated;
  }
  state.low = std::min(state.low, redness);
  if (state.direction <= 0 && redness - state.low > red_threshold && saturated) {
    state.direction = 1;
    state.high = redness;
    high_saturated = true;
    return true;
  }
  if (state.direction >= 0 && state.high - redness > red_threshold && high_saturated) {
    state.direction = -1;
    state.low = redness;
    return true;
  }
  return false;
}

// Light-dark crossings along one line of a frame (a general transition from pixel to pixel), and
// the longest run of them that is regularly spaced: each gap within half to twice the one
// before. Regular stripes give one long run; the edges of ordinary pictures give short ones.
struct StripeScan {
  Extremes extremes;
  uint32_t last_position = 0;
  uint32_t last_gap = 0;
  uint32_t run_first = 0;
  uint32_t run_count = 0;
  uint32_t best_first = 0;
  uint32_t best_last = 0;
  uint32_t best_count = 0;

  void start(float luminance) {
    *this = StripeScan{};
    extremes.start(luminance);
  }

  void step(float luminance, uint32_t position) {
    if (!general_transition(extremes, luminance)) return;
    if (run_count == 0) {
      run_first = position;
      run_count = 1;
    } else {
      const uint32_t gap = position - last_position;
      if (run_count >= 2 && (gap * 2 < last_gap || gap > last_gap * 2)) {
        run_first = last_position;  // the irregular gap begins a new run at the crossing before it
        run_count = 2;
      } else {
        ++run_count;
      }
      last_gap = gap;
    }
    last_position = position;
    if (run_count > best_count) {
      best_count = run_count;
      best_first = run_first;
      best_last = position;
    }
  }

  // n crossings bound n + 1 stripes: (n + 1) / 2 light-dark pairs.
  uint32_t pairs() const { return (best_count + 1) / 2; }

  // The pixels the best run's stripes cover, [first, end): from one stripe before its first
  // crossing to one stripe after its last, within the line.
  std::pair<uint32_t, uint32_t> span(uint32_t length) const {
    if (best_count < 2) return {best_first, best_first};
    const uint32_t stripe = (best_last - best_first) / (best_count - 1);
    return {best_first > stripe ? best_first - stripe : 0, std::min(length, best_last + stripe)};
  }
};

}  // namespace pavilion::flash

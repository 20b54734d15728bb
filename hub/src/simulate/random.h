// The simulation's random numbers: a generator of our own (SplitMix64) and the few
// distributions it needs, written out so that a seed gives the same data set on every compiler
// and standard library (std::normal_distribution and friends may differ between them).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numbers>

namespace pavilion::hub::simulation {

class Random {
 public:
  explicit Random(uint64_t seed) : state_(seed) {}
  // An independent stream for each part (a branch, a device), whatever order they run in.
  Random(uint64_t seed, uint64_t stream) : state_(seed ^ (stream * 0xd1b54a32d192ed03ULL)) { next(); }

  uint64_t next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  // [0, 1)
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  double uniform(double low, double high) { return low + (high - low) * uniform(); }
  // [low, high]
  int64_t integer(int64_t low, int64_t high) {
    return low + static_cast<int64_t>(next() % static_cast<uint64_t>(high - low + 1));
  }
  bool chance(double probability) { return uniform() < probability; }
  double normal() {
    // Box–Muller; 1 − u keeps the logarithm's argument above zero.
    const double radius = std::sqrt(-2.0 * std::log(1.0 - uniform()));
    return radius * std::cos(2.0 * std::numbers::pi * uniform());
  }
  // Durations: positive, skewed, with the given median.
  double lognormal(double median, double sigma) { return median * std::exp(sigma * normal()); }
  // Visitors on a day: Knuth's method for small means, a rounded normal beyond (the day's
  // counts of a busy branch, where the two are indistinguishable).
  uint64_t poisson(double mean) {
    if (mean <= 0) return 0;
    if (mean > 30) return static_cast<uint64_t>(std::max(0.0, std::round(mean + std::sqrt(mean) * normal())));
    const double limit = std::exp(-mean);
    uint64_t count = 0;
    for (double product = uniform(); product > limit; product *= uniform()) ++count;
    return count;
  }

 private:
  uint64_t state_;
};

}  // namespace pavilion::hub::simulation

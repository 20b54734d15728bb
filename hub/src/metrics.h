// Counters for /metrics, in Prometheus' text format.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>

namespace pavilion::hub {

class Metrics {
 public:
  void count_request(std::string_view route, int status, double seconds);
  void count_batch(uint64_t stored, uint64_t duplicates, uint64_t rejected);
  std::string text(std::string_view backend) const;

 private:
  // Upper bounds of the latency histogram's buckets, seconds.
  static constexpr std::array<double, 10> bounds{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0, 5.0};
  struct Latency {
    std::array<uint64_t, bounds.size()> buckets{};
    uint64_t count = 0;
    double sum = 0;
  };
  mutable std::mutex mutex_;
  std::map<std::pair<std::string, int>, uint64_t> requests_;
  std::map<std::string, Latency> latency_;
  uint64_t batches_ = 0;
  uint64_t stored_ = 0;
  uint64_t duplicates_ = 0;
  uint64_t rejected_ = 0;
};

}  // namespace pavilion::hub

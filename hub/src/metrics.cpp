#include "metrics.h"

#include <fmt/format.h>

namespace pavilion::hub {

void Metrics::count_request(std::string_view route, int status, double seconds) {
  std::lock_guard lock(mutex_);
  ++requests_[{std::string(route), status}];
  Latency& latency = latency_[std::string(route)];
  for (size_t bucket = 0; bucket < bounds.size(); ++bucket) {
    if (seconds <= bounds[bucket]) ++latency.buckets[bucket];
  }
  ++latency.count;
  latency.sum += seconds;
}

void Metrics::count_batch(uint64_t stored, uint64_t duplicates, uint64_t rejected) {
  std::lock_guard lock(mutex_);
  ++batches_;
  stored_ += stored;
  duplicates_ += duplicates;
  rejected_ += rejected;
}

std::string Metrics::text(std::string_view backend) const {
  std::lock_guard lock(mutex_);
  std::string out;
  const auto into = std::back_inserter(out);
  out += "# HELP pavilion_hub_info The hub's storage backend.\n# TYPE pavilion_hub_info gauge\n";
  fmt::format_to(into, "pavilion_hub_info{{backend=\"{}\"}} 1\n", backend);
  fmt::format_to(into, "# HELP pavilion_hub_requests_total HTTP requests by route and status.\n# TYPE pavilion_hub_requests_total counter\n");
  for (const auto& [key, count] : requests_) {
    fmt::format_to(into, "pavilion_hub_requests_total{{route=\"{}\",status=\"{}\"}} {}\n", key.first, key.second, count);
  }
  out += "# HELP pavilion_hub_request_seconds Time from a request read to its answer written.\n"
       "# TYPE pavilion_hub_request_seconds histogram\n";
  for (const auto& [route, latency] : latency_) {
    for (size_t bucket = 0; bucket < bounds.size(); ++bucket) {
      fmt::format_to(into, "pavilion_hub_request_seconds_bucket{{route=\"{}\",le=\"{}\"}} {}\n", route, bounds[bucket],
           latency.buckets[bucket]);
    }
    fmt::format_to(into, "pavilion_hub_request_seconds_bucket{{route=\"{}\",le=\"+Inf\"}} {}\n", route, latency.count);
    fmt::format_to(into, "pavilion_hub_request_seconds_sum{{route=\"{}\"}} {}\n", route, latency.sum);
    fmt::format_to(into, "pavilion_hub_request_seconds_count{{route=\"{}\"}} {}\n", route, latency.count);
  }
  fmt::format_to(into, "# HELP pavilion_hub_batches_total Upload batches stored.\n# TYPE pavilion_hub_batches_total counter\n");
  fmt::format_to(into, "pavilion_hub_batches_total {}\n", batches_);
  fmt::format_to(into, "# HELP pavilion_hub_events_total Events received, by outcome.\n# TYPE pavilion_hub_events_total counter\n");
  fmt::format_to(into, "pavilion_hub_events_total{{outcome=\"stored\"}} {}\n", stored_);
  fmt::format_to(into, "pavilion_hub_events_total{{outcome=\"duplicate\"}} {}\n", duplicates_);
  fmt::format_to(into, "pavilion_hub_events_total{{outcome=\"rejected\"}} {}\n", rejected_);
  return out;
}

}  // namespace pavilion::hub

// telemetry_bench: the cost of logging an interaction on the render thread.
//
//   Telemetry::record with the writer thread running (flushing into its SQLite queue every
//   250 ms), in frame-sized bursts: mean and 99th-percentile nanoseconds per call. The
//   reference, measured in the same run, is what a simple logger would do instead: copy the
//   same event into a bounded circular buffer behind a std::mutex.
//
//   telemetry_bench [--events N]
#include "pavilion/telemetry/telemetry.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <string_view>
#include <vector>

namespace {

using namespace pavilion;
using Clock = std::chrono::steady_clock;

struct Figures {
  double mean_ns = 0;
  double p99_ns = 0;
};

// Times `calls` in bursts of `burst`, as a frame would make them; per-call figures per burst.
template <class Call, class BetweenBursts>
Figures measure(size_t events, size_t burst, Call call, BetweenBursts between) {
  std::vector<double> per_call;
  per_call.reserve(events / burst + 1);
  for (size_t done = 0; done < events; done += burst) {
    const auto started = Clock::now();
    for (size_t index = 0; index < burst; ++index) call(static_cast<int64_t>(done + index));
    per_call.push_back(std::chrono::duration<double, std::nano>(Clock::now() - started).count() / static_cast<double>(burst));
    between();
  }
  std::sort(per_call.begin(), per_call.end());
  double sum = 0;
  for (const double value : per_call) sum += value;
  return {sum / static_cast<double>(per_call.size()), per_call[per_call.size() * 99 / 100]};
}

}  // namespace

int main(int argc, char** argv) {
  size_t events = 2'000'000;
  for (int index = 1; index + 1 < argc; index += 2) {
    const std::string_view value = argv[index + 1];
    if (std::string_view(argv[index]) == "--events") std::from_chars(value.data(), value.data() + value.size(), events);
  }
  const auto folder = std::filesystem::temp_directory_path() / "pavilion-telemetry-bench";
  std::filesystem::remove_all(folder);
  std::filesystem::create_directories(folder);
  constexpr size_t burst = 64;  // a busy frame's worth of events, and more

  telemetry::TelemetryConfig config;
  config.queue_file = folder / "events.sqlite";
  config.ring_capacity = 1 << 16;
  auto logger = telemetry::Telemetry::start(config);
  if (!logger) {
    fmt::print(stderr, "telemetry_bench: {}\n", logger.error().describe());
    return 1;
  }
  size_t bursts = 0;
  const Figures ring = measure(
      events, burst, [&](int64_t value) { (*logger)->record(telemetry::EventType::gaze_dwell, "celadon-vase", value); },
      [&] {
        // Let the writer keep up, as it does between frames, without timing the wait.
        if (++bursts % 512 == 0) static_cast<void>((*logger)->flush());
      });
  const telemetry::TelemetryStats stats = (*logger)->stats();

  std::mutex mutex;
  std::vector<telemetry::Event> circular(config.ring_capacity);
  size_t next = 0;
  const Figures reference = measure(
      events, burst,
      [&](int64_t value) {
        std::lock_guard lock(mutex);
        telemetry::Event& event = circular[next++ & (circular.size() - 1)];
        event.id = telemetry::make_uuid_v7(telemetry::system_clock_ms());
        event.type = telemetry::EventType::gaze_dwell;
        event.value = value;
        event.subject.assign("celadon-vase");
      },
      [] {});

  fmt::print("telemetry_bench: {} events in bursts of {}\n", events, burst);
  fmt::print("  {:<44} {:>9} {:>9}\n", "", "mean ns", "p99 ns");
  fmt::print("  {:<44} {:>9.1f} {:>9.1f}\n", "Telemetry::record (lock-free ring)", ring.mean_ns, ring.p99_ns);
  fmt::print("  {:<44} {:>9.1f} {:>9.1f}\n", "reference: mutex + circular buffer", reference.mean_ns,
             reference.p99_ns);
  fmt::print("  ratio record / reference: {:.2f} (mean)\n", ring.mean_ns / reference.mean_ns);
  fmt::print("  written to the queue {}, dropped (ring full) {}, goal ≤ 200 ns per record\n", stats.written,
             stats.dropped_ring_full);
  logger->reset();
  std::filesystem::remove_all(folder);
  return 0;
}

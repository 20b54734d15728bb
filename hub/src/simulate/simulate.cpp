// The simulated branches and their devices, and the way their events reach the store: batches
// as the kiosk's uploader makes them, read and stored by the hub's own ingest.
#include "pavilion/hub/simulate.h"

#include "calendar.h"
#include "pavilion/core/parallel.h"
#include "pavilion/hub/ingest.h"
#include "pavilion/hub/server.h"
#include "pavilion/telemetry/wire.h"
#include "visits.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <mutex>

namespace pavilion::hub {
namespace {

using namespace simulation;
using std::chrono::days;
using std::chrono::sys_days;

constexpr int64_t day_ms = 86'400'000;

// A branch as the demonstration imagines it: how busy, how fond of poems, its hours, its devices.
struct Branch {
  std::string id;
  double size = 1.0;          // against an average branch
  double poetry_taste = 1.0;  // so that the Spring Festival campaign does better in some
  Opening opening;
  int kiosks = 1;
  bool headset = false;
};

Branch make_branch(uint64_t seed, size_t index) {
  Random random(seed, index * 16);
  Branch branch;
  branch.id = simulated_branch_id(index);
  branch.size = std::clamp(random.lognormal(0.9, 0.45), 0.3, 3.0);
  branch.poetry_taste = std::clamp(random.lognormal(1.0, 0.3), 0.5, 2.0);
  branch.opening.open_hour = random.chance(0.7) ? 9 : 8;
  branch.opening.weekday_close_hour = random.chance(0.6) ? 21 : 20;
  branch.opening.weekend_close_hour = random.chance(0.5) ? 18 : 21;
  branch.opening.reading_room_24h = random.chance(0.2);
  branch.kiosks = random.chance(0.6) ? 2 : 1;
  branch.headset = random.chance(0.35);
  return branch;
}

// Visits a day at an average branch's first kiosk on an ordinary weekday; a second kiosk and a
// headset see fewer. About 10 million events for 50 branches over a year.
constexpr std::array<double, 3> visits_per_day{22, 15, 8};

// What one device has sent so far: its sequence numbers and drop totals run on across days.
struct DeviceState {
  std::string id;
  bool headset = false;
  Random random;
  uint64_t next_sequence = 0;
  uint64_t dropped_over_cap = 0;
  uint64_t dropped_ring_full = 0;
};

struct Totals {
  uint64_t sessions = 0;
  uint64_t events = 0;
  uint64_t batches = 0;
};

// The day's visit start times (UTC ms), in order: hours by the day's weights, then anywhere in
// the hour.
std::vector<int64_t> start_times(Random& random, uint64_t count, const std::array<double, 24>& weights,
                                 int64_t midnight_ms) {
  double total = 0;
  for (const double weight : weights) total += weight;
  std::vector<int64_t> starts;
  if (total <= 0) return starts;
  for (uint64_t visit = 0; visit < count; ++visit) {
    double roll = random.uniform() * total;
    size_t hour = 0;
    while (hour < 23 && roll >= weights[hour]) roll -= weights[hour++];
    starts.push_back(midnight_ms + static_cast<int64_t>(hour) * 3'600'000 + random.integer(0, 3'599'999));
  }
  std::ranges::sort(starts);
  return starts;
}

// Sends a day's events as the kiosk's uploader would: full batches, encoded by its own encoder.
Result<void> upload(const SimulationTarget& target, DeviceState& device, std::span<const telemetry::Event> events,
                    size_t batch_events, Totals& totals) {
  for (size_t first = 0; first < events.size(); first += batch_events) {
    const auto batch = events.subspan(first, std::min(batch_events, events.size() - first));
    const int64_t sent_ms = batch.back().created_ms + device.random.integer(1'000, 9'000);
    const int64_t received_ms = sent_ms + 25;  // a local network's delay
    PV_TRY(target.upload(
        telemetry::encode_batch({device.id, sent_ms, device.dropped_over_cap, device.dropped_ring_full}, batch),
        received_ms));
    totals.events += batch.size();
    ++totals.batches;
  }
  return {};
}

Result<void> simulate_device(const SimulationTarget& target, const Branch& branch, DeviceState& device, size_t slot,
                             const std::vector<DayPlan>& plans, sys_days first_day, const SimulationOptions& options,
                             Totals& totals) {
  VisitSettings settings{device.headset, false, branch.poetry_taste};
  std::vector<telemetry::Event> events;
  int64_t busy_until = 0;
  for (size_t index = 0; index < plans.size(); ++index) {
    const DayPlan& plan = plans[index];
    const int64_t midnight_ms = (first_day + days(index)).time_since_epoch().count() * day_ms - utc_offset_ms;
    const std::array<double, 24> weights = hour_weights(plan, branch.opening);
    settings.campaign = plan.campaign;
    const uint64_t count = device.random.poisson(visits_per_day[slot] * branch.size * plan.visitors);
    events.clear();
    for (int64_t start : start_times(device.random, count, weights, midnight_ms)) {
      // One visitor at a time: whoever comes while the kiosk is in use waits for it.
      if (start < busy_until) start = busy_until + device.random.integer(5'000, 40'000);
      const auto hour = static_cast<size_t>(((start - midnight_ms) / 3'600'000) % 24);
      if (start >= midnight_ms + day_ms || weights[hour] <= 0) continue;
      busy_until = simulate_visit(device.random, settings, start, events);
      ++totals.sessions;
    }
    for (telemetry::Event& event : events) {
      event.sequence = device.next_sequence++;
      event.id = simulated_uuid(device.random, 7, event.created_ms);
    }
    std::span<const telemetry::Event> sent(events);
    // The health view's cases, on a few devices a third of the way in: a full disk that the kiosk
    // reports (its oldest events dropped and counted), and events lost without a word.
    if (index == plans.size() / 3 && slot == 0 && events.size() > 60) {
      const bool reported = branch.id.ends_with("-03");
      const bool unexplained = branch.id.ends_with("-05");
      if (reported || unexplained) {
        const size_t lost = reported ? 40 : 12;
        if (reported) device.dropped_over_cap += lost;
        PV_TRY(upload(target, device, sent.first(20), options.batch_events, totals));
        sent = sent.subspan(20 + lost);
      }
    }
    PV_TRY(upload(target, device, sent, options.batch_events, totals));
  }
  return {};
}

}  // namespace

std::string simulated_branch_id(size_t index) { return fmt::format("demo-branch-{:02}", index); }

Result<SimulationSummary> simulate_uploads(const SimulationOptions& options, const SimulationTarget& target) {
  expects(options.days > 0 && options.batch_events > 0, "simulate needs at least a day and batches of an event");
  const sys_days first_day = options.last_day - days(options.days - 1);
  std::vector<DayPlan> plans;
  for (uint32_t index = 0; index < options.days; ++index) {
    PV_TRY_ASSIGN(const DayPlan plan, plan_day(first_day + days(index)));
    plans.push_back(plan);
  }
  SimulationSummary summary;
  std::mutex mutex;
  size_t branches_done = 0;
  PV_TRY(parallel_for(options.branches, options.threads, [&](size_t position) -> Result<void> {
    const size_t index = position + 1;
    const Branch branch = make_branch(options.seed, index);
    std::vector<std::pair<DeviceState, size_t>> devices;
    for (int kiosk = 1; kiosk <= branch.kiosks; ++kiosk) {
      devices.push_back({{fmt::format("{}-kiosk-{}", branch.id, kiosk), false, Random(options.seed, index * 16 + kiosk)},
                         static_cast<size_t>(kiosk - 1)});
    }
    if (branch.headset) {
      devices.push_back({{branch.id + "-headset-1", true, Random(options.seed, index * 16 + 8)}, size_t{2}});
    }
    Totals totals;
    for (auto& [device, slot] : devices) {
      PV_TRY(target.enrol(device.id, branch.id));
      PV_TRY(simulate_device(target, branch, device, slot, plans, first_day, options, totals));
    }
    std::lock_guard lock(mutex);
    summary.devices += devices.size();
    summary.sessions += totals.sessions;
    summary.events += totals.events;
    summary.batches += totals.batches;
    ++branches_done;
    if (options.progress) options.progress({branches_done, options.branches, summary.events});
    return {};
  }));
  return summary;
}

Result<SimulationSummary> simulate(Store& store, const SimulationOptions& options) {
  std::atomic<uint64_t> stored = 0;
  std::atomic<uint64_t> duplicates = 0;
  std::atomic<uint64_t> rejected = 0;
  SimulationTarget target;
  target.enrol = [&](const std::string& device_id, const std::string& branch) -> Result<void> {
    PV_TRY(enrol_device(store, device_id, EnrolOptions{branch, true}));
    return {};
  };
  // What POST /v1/events does with a request's body, but for the token check.
  target.upload = [&](std::string body, int64_t received_ms) -> Result<void> {
    auto parsed = parse_batch(body, received_ms, BatchLimits{options.batch_events});
    if (const auto* refusal = std::get_if<BatchRefusal>(&parsed)) {
      return Error(ErrorCode::internal, "storing simulated visits",
                   fmt::format("the hub refused a simulated batch: {}", refusal->reason));
    }
    const ParsedBatch& read = std::get<ParsedBatch>(parsed);
    PV_TRY_ASSIGN(const IngestCounts counts, store.ingest(device_batch(read, received_ms), read.events));
    stored += counts.stored;
    duplicates += counts.duplicates;
    rejected += read.rejected.size();
    return {};
  };
  PV_TRY_ASSIGN(SimulationSummary summary, simulate_uploads(options, target));
  summary.stored = stored;
  summary.duplicates = duplicates;
  summary.rejected = rejected;
  return summary;
}

}  // namespace pavilion::hub

// `pavilion-hub simulate`: a demonstration data set, so that the dashboard has something to show
// before real kiosks have reported for a year, and so that tests and benchmarks have a year of
// fifty branches to query. Its visits follow the patterns the dashboard is for: weekdays against
// weekends, school holidays, the Spring Festival peak (its real date in each year covered),
// evenings, and a small night-time tail where a branch keeps a 24-hour reading room.
//
// Everything goes through the hub's real ingest: each simulated kiosk's events are encoded by
// the kiosk's own encoder (telemetry::encode_batch) into the batches its uploader would send,
// read back by parse_batch and stored by Store::ingest, as POST /v1/events does. Its devices are
// enrolled as simulated (`demo-branch-07-kiosk-1`), so every view with their data says so.
//
// The same options give the same events, ids included: the data depend on the seed alone, never
// on the clock, the thread count or the order in which branches finish.
#pragma once

#include "pavilion/core/error.h"
#include "pavilion/hub/store.h"

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

namespace pavilion::hub {

struct SimulationProgress {
  size_t branches_done = 0;
  size_t branches = 0;
  uint64_t events = 0;  // sent so far (stored, by simulate())
};

struct SimulationOptions {
  size_t branches = 50;                // demo-branch-01 … demo-branch-50
  uint32_t days = 365;                 // ending with last_day
  std::chrono::sys_days last_day{};    // a local day (China Standard Time); 2020–2035
  uint64_t seed = 1;
  uint32_t threads = 0;                // branches generated side by side; 0: one per processor
  size_t batch_events = 500;           // the kiosk uploader's full batch
  // Called after each branch is stored, from the thread that stored it, one call at a time.
  std::function<void(const SimulationProgress&)> progress;
};

struct SimulationSummary {
  size_t devices = 0;
  uint64_t sessions = 0;
  uint64_t events = 0;    // encoded and sent
  uint64_t stored = 0;
  uint64_t duplicates = 0;  // events already stored by an earlier run with the same seed
  uint64_t rejected = 0;    // refused by the hub's checks: a bug in the simulation if ever above 0
  uint64_t batches = 0;
};

// The branch id of the 1-based branch `index`: "demo-branch-07".
std::string simulated_branch_id(size_t index);

// Where the simulated devices and their uploads go. Both are called from the worker threads,
// side by side (one branch per thread at a time), so they must be thread-safe; a device's
// batches come in its order, after its enrolment.
struct SimulationTarget {
  std::function<Result<void>(const std::string& device_id, const std::string& branch)> enrol;
  // A batch as the kiosk's uploader sends it (telemetry::encode_batch's JSON), and when it
  // arrives by the hub's clock.
  std::function<Result<void>(std::string body, int64_t received_ms)> upload;
};

// Makes the data set and hands it to `target`; the summary's stored, duplicates and rejected
// stay 0 (the target's to count). For a benchmark that replays the same batches in other ways.
Result<SimulationSummary> simulate_uploads(const SimulationOptions& options, const SimulationTarget& target);

// Enrols every simulated device (again, if a run with the same options came before: their
// events are then duplicates and change nothing) and stores their visits.
Result<SimulationSummary> simulate(Store& store, const SimulationOptions& options);

}  // namespace pavilion::hub

// What a kiosk's updater says about itself: each package's state, the metadata versions it
// trusts, its disk and its last check. The operator screen shows it and the kiosk reports it to
// its hub with its events (the fleet report), so it is plain data, copied out under the
// updater's lock.
#pragma once

#include "pavilion/core/localized_text.h"

#include <cstdint>
#include <string>
#include <vector>

namespace pavilion::kiosk {

struct PackageStatus {
  std::string id;
  std::string version;
  // "showing", "staged", "downloading", "failed" or "rolled_back".
  std::string state;
  // Why, for "failed" and "rolled_back"; when it switches, for "staged" (empty otherwise).
  std::string detail;
  friend bool operator==(const PackageStatus&, const PackageStatus&) = default;
};

struct UpdateStatus {
  std::vector<PackageStatus> packages;
  uint64_t root_version = 0;
  uint64_t timestamp_version = 0;
  uint64_t snapshot_version = 0;
  uint64_t targets_version = 0;
  uint64_t disk_used = 0;    // bytes in the kiosk's blob store
  uint64_t disk_budget = 0;  // kiosk.json's updates.disk_budget_mb in bytes
  uint64_t disk_free = 0;    // free on the store's file system
  int64_t last_check_ms = 0;  // UTC, milliseconds since the epoch; 0 before the first poll
  std::string last_result;    // "ok" or the refusal's detail
  LocalizedText last_error;   // the sentence for the operator; empty after a good poll
  friend bool operator==(const UpdateStatus&, const UpdateStatus&) = default;
};

}  // namespace pavilion::kiosk

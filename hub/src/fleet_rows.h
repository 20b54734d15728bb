// The fleet's tables (schema step 8) as both backends read and write them: the same SQL, and
// the one rule for since when a package has been in its state.
#pragma once

#include "pavilion/hub/store.h"

#include <algorithm>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace pavilion::hub {

// A package row a kiosk's previous status left.
struct KnownPackage {
  std::string id;
  std::string version;
  std::string state;
  int64_t since_ms = 0;
};

// Since when each of `status`'s packages has been in its state: as before while its version and
// state are unchanged, else from `received_ms` (so a failure is dated by the first status that
// told it, not the latest).
inline std::vector<int64_t> package_since(std::span<const KnownPackage> before, const telemetry::UpdateStatus& status,
                                          int64_t received_ms) {
  std::vector<int64_t> since;
  since.reserve(status.packages.size());
  for (const telemetry::PackageStatus& package : status.packages) {
    const auto known = std::ranges::find_if(before, [&](const KnownPackage& row) {
      return row.id == package.id && row.version == package.version && row.state == package.state;
    });
    since.push_back(known == before.end() ? received_ms : known->since_ms);
  }
  return since;
}

// Every real kiosk, by branch and id, with its latest status's columns (NULL without one) and
// when the hub last heard from it: a status or a batch, whichever came later.
inline constexpr const char* fleet_kiosks_sql =
    "SELECT d.device_id, d.branch, CASE WHEN coalesce(p.last_seen_ms, 0) > coalesce(s.reported_ms, 0) "
    "THEN p.last_seen_ms ELSE coalesce(s.reported_ms, 0) END, coalesce(s.reported_ms, 0), s.root_version, "
    "s.timestamp_version, s.snapshot_version, s.targets_version, s.disk_used, s.disk_budget, s.disk_free, "
    "s.last_check_ms, s.last_result, s.last_error_zh_cn, s.last_error_en "
    "FROM devices d LEFT JOIN device_progress p ON p.device_id = d.device_id "
    "LEFT JOIN device_status s ON s.device_id = d.device_id WHERE d.simulated = 0 ORDER BY d.branch, d.device_id";
// Every kiosk's packages, in the order its status listed them.
inline constexpr const char* fleet_packages_sql =
    "SELECT device_id, package_id, version, state, detail, since_ms FROM device_packages ORDER BY device_id, position";

}  // namespace pavilion::hub

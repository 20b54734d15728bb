// What a kiosk reports about the content it runs, for the hub's fleet report (EVENTS.md, "Device
// status"): each package's state, the repository metadata versions it trusts, its disk and its
// last update check. The kiosk's updater fills an UpdateStatus (kiosk/src/updates/); the status
// reporter sends it with `PUT /v1/devices/status`; the hub reads it with decode_status. The
// format is defined here once, its field names, limits, encoder and decoder, so the two ends
// cannot drift apart. Plain data: copied, compared, sent.
#pragma once

#include "pavilion/core/localized_text.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace pavilion::telemetry {

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

// The states a package can be in, as the fleet report groups them.
inline constexpr std::string_view package_states[] = {"showing", "staged", "downloading", "failed", "rolled_back"};

// Limits the decoder holds a status to (a kiosk never comes near them; they bound what a
// stranger's request can make the hub store).
struct StatusLimits {
  static constexpr size_t packages = 256;
  static constexpr size_t id_bytes = 64;        // a package's id, and its version
  static constexpr size_t sentence_bytes = 1024;  // detail, last_result, each language of last_error
};

// {"schema":1,"device":…,"sent_ms":…,"packages":[{"id","version","state","detail"}],
//  "metadata":{"root","timestamp","snapshot","targets"},"disk":{"used","budget","free"},
//  "last_check_ms":…,"last_result":…,"last_error":{"zh-CN":…,"en":…}}
std::string encode_status(std::string_view device_id, int64_t sent_ms, const UpdateStatus& status);

struct DecodedStatus {
  std::string device_id;
  int64_t sent_ms = 0;  // the kiosk's clock when it sent the status
  UpdateStatus status;
};

// Reads what encode_status writes, or says what is wrong, naming the field by its path
// ("packages[2].state: \"shown\" is not a package state"). Every field must be present and of its
// type; numbers are whole and at most 2^63 − 1; texts within StatusLimits and free of NUL; at most
// StatusLimits::packages packages. Any bytes are safe input.
std::variant<DecodedStatus, std::string> decode_status(std::string_view json);

}  // namespace pavilion::telemetry

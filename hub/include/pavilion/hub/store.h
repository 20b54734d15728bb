// Where the hub keeps what kiosks send: enrolled devices (by a hash of their token), raw events
// (deduplicated by event id, forever: a batch resent days later is never counted twice), hourly
// aggregates that outlive the raw events' retention, and each device's progress for the
// completeness report. Two backends with the same schema and migrations: SQLite (one file, the
// embedded default) and PostgreSQL (several hub processes sharing one database).
#pragma once

#include "pavilion/core/error.h"
#include "pavilion/hub/accounts.h"
#include "pavilion/telemetry/device_status.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pavilion::hub {

// One event as stored; fields as in engine/telemetry/EVENTS.md, plus the hub's own times.
struct StoredEvent {
  std::string id;  // UUIDv7, lower case
  uint64_t sequence = 0;
  int64_t created_ms = 0;    // the kiosk's clock
  int64_t corrected_ms = 0;  // received − (sent − created): the hub's clock, for every report
  std::string type;
  std::string session;
  std::string package_id;
  std::string package_version;
  std::string subject;
  std::string exhibit;  // the subject when the type is about an exhibit, else empty
  int64_t value = 0;
};

// What a batch says about its device beyond its events.
struct DeviceBatch {
  std::string device_id;
  int64_t received_ms = 0;
  uint64_t dropped_over_cap = 0;   // the kiosk's running totals
  uint64_t dropped_ring_full = 0;
  // Sequence numbers of events in this batch the hub refused as invalid (kept per device, so a
  // resent batch does not count them twice).
  std::vector<uint64_t> rejected_sequences;
  // A branch hub forwarding its kiosks' events upstream: the newly stored events also join the
  // relay outbox, in the same transaction, until the upstream hub has acknowledged them.
  bool forward = false;
};

// A hub allowed to forward its kiosks' events here (`pavilion-hub enrol ID --relay --branch B`).
struct RelayIdentity {
  std::string relay_id;
  std::string branch;  // devices it brings are enrolled under it
};

// One device's events waiting in the relay outbox, with what the upstream hub's completeness
// report needs of the device: its drop totals and every sequence this hub refused.
struct ForwardBatch {
  DeviceBatch device;  // received_ms unused
  std::vector<StoredEvent> events;
};

// How a device is enrolled: its branch (DASHBOARD.md; "" for none) and whether it is one of
// `pavilion-hub simulate`'s demonstration devices.
struct EnrolOptions {
  std::string branch;
  bool simulated = false;
};

// One row of the dashboard's rollup (dashboard/visit_rollup.h; hub/README.md, "Storage"):
// branch "*" is every branch, package "" every package.
struct RollupRow {
  std::string measure;
  std::string branch;
  std::string package_id;
  int64_t day = 0;  // local day (dashboard/time_zone.h); 0 when summed over days
  std::string exhibit;
  int64_t bucket = 0;
  int64_t amount = 0;
};

// Rollup rows of `measures` for days [first_day, last_day], summed over days unless `by_day`.
struct RollupQuery {
  std::vector<std::string> measures;
  // One branch, or "*" for every branch; `per_branch` reads each real branch's rows instead.
  std::string branch = "*";
  bool per_branch = false;
  // One package ("" is the rows about whole visits); nullopt: every real package's rows.
  std::optional<std::string> package;
  int64_t first_day = 0;
  int64_t last_day = 0;
  bool by_day = true;
};

// A device as the dashboard's health view and filters see it.
struct DeviceSummary {
  std::string device_id;
  std::string branch;
  bool simulated = false;
  // As in DeviceCompleteness, without the gaps (those read raw events).
  uint64_t received = 0;
  uint64_t expected = 0;
  uint64_t dropped_over_cap = 0;
  uint64_t dropped_ring_full = 0;
  uint64_t rejected = 0;
  int64_t last_seen_ms = 0;  // 0: never sent anything
};

struct IngestCounts {
  uint64_t stored = 0;
  uint64_t duplicates = 0;
};

struct HourlyCount {
  int64_t hour_ms = 0;  // the hour's start, UTC
  std::string package_id;
  std::string exhibit;
  std::string type;
  uint64_t events = 0;
};

struct DeviceCompleteness {
  std::string device_id;
  uint64_t received = 0;           // distinct events ever stored
  uint64_t expected = 0;           // highest sequence + 1 (sequences start at 0)
  uint64_t dropped_over_cap = 0;   // reported by the kiosk
  uint64_t dropped_ring_full = 0;
  uint64_t rejected = 0;
  int64_t last_seen_ms = 0;
  // Missing sequence ranges among the raw events still held (first, last), at most 100.
  std::vector<std::pair<uint64_t, uint64_t>> gaps;
  // Missing and not explained by the kiosk's own drop counts or the hub's rejections.
  uint64_t unexplained() const;
};

// A kiosk as the fleet report shows it (hub/README.md, "The fleet"): its latest update status and
// when the hub heard from it. Simulated devices are not in the fleet.
struct FleetKiosk {
  std::string device_id;
  std::string branch;
  // The latest status or event batch, by the hub's clock; 0: never heard from.
  int64_t last_seen_ms = 0;
  // When the latest status arrived, by the hub's clock; 0: the kiosk never sent one (then
  // `status` is empty).
  int64_t reported_ms = 0;
  // As the kiosk sent it, except last_check_ms, corrected to the hub's clock.
  telemetry::UpdateStatus status;
  // One per status.packages, in its order: since when the hub has known that package version in
  // that state (a failure's "when").
  std::vector<int64_t> since_ms;
};

// Also keeps the dashboard's people (accounts.h).
class Store : public AccountStore {
 public:
  virtual ~Store() = default;
  virtual std::string_view backend() const = 0;
  // A cheap query, for /healthz.
  virtual Result<void> check() = 0;
  // Adds the device or gives it a new token (the old one stops working).
  virtual Result<void> enrol(std::string_view device_id, std::string_view token_hash, int64_t now_ms,
                             const EnrolOptions& options = {}) = 0;
  virtual Result<std::optional<std::string>> device_for_token(std::string_view token_hash) = 0;
  // All or nothing: the new events, their hourly counts, the dashboard's visits and rollup
  // (dashboard/visit_rollup.h) and the device's progress in one transaction. Events whose id is
  // already stored are counted as duplicates and change nothing.
  virtual Result<IngestCounts> ingest(const DeviceBatch& batch, std::span<const StoredEvent> events) = 0;
  // Hours in [from_ms, to_ms), by hour, package, exhibit and type.
  virtual Result<std::vector<HourlyCount>> hourly(int64_t from_ms, int64_t to_ms) = 0;
  virtual Result<std::vector<DeviceCompleteness>> completeness() = 0;
  // The dashboard's reads: rollup rows, every enrolled device (by id), and the real packages
  // with any visitor (sorted).
  virtual Result<std::vector<RollupRow>> rollup(const RollupQuery& query) = 0;
  virtual Result<std::vector<DeviceSummary>> device_summaries() = 0;
  virtual Result<std::vector<std::string>> rollup_packages() = 0;
  // The first and last local day with any visitor; nullopt when there is none.
  virtual Result<std::optional<std::pair<int64_t, int64_t>>> rollup_days() = 0;
  // Deletes raw events received before `before_ms`, and the state of visits that started before
  // it (their session ids); aggregates and progress stay. Returns how many events.
  virtual Result<uint64_t> expire_raw_events(int64_t before_ms) = 0;
  // The fleet (hub/README.md, "The fleet"): a kiosk's latest status replaces its previous one (a
  // package keeps its since_ms while its version and state stay); every real enrolled kiosk,
  // by branch and id, with its status if it sent one.
  virtual Result<void> put_device_status(std::string_view device_id, int64_t received_ms,
                                         const telemetry::UpdateStatus& status) = 0;
  virtual Result<std::vector<FleetKiosk>> fleet() = 0;

  // Branch hubs (hub/README.md, "Branch hubs"). At the upstream hub: relays' tokens (a relay
  // token is no device's, and a device's token is no relay's), and the devices relays bring,
  // enrolled under the relay's branch the first time (returns the branch the device is enrolled
  // under, which may be another one).
  virtual Result<void> enrol_relay(std::string_view relay_id, std::string_view token_hash, int64_t now_ms,
                                   std::string_view branch) = 0;
  virtual Result<std::optional<RelayIdentity>> relay_for_token(std::string_view token_hash) = 0;
  virtual Result<std::string> adopt_relayed_device(std::string_view device_id, std::string_view branch,
                                                   int64_t now_ms) = 0;
  // At the branch: the oldest events of the outbox (at most `max_events`, by arrival), one batch
  // per device; and taking them out once the upstream hub acknowledged them. Expiry removes
  // outbox entries with their events.
  virtual Result<std::vector<ForwardBatch>> events_to_forward(size_t max_events) = 0;
  virtual Result<void> forwarded(std::span<const std::string> event_ids) = 0;

  // The package repository's metadata (engine/distribution/PROTOCOL.md), each by the name it is
  // served under /v1/repository/: "root/1.json", "timestamp.json", "snapshot/3.json", … All or
  // nothing, in one transaction. Only "timestamp.json" is ever replaced; every other name is a
  // version, written once: one already held with other bytes refuses the whole call
  // (invalid_input) — another hub process took that version first, so the caller reads again
  // and takes the next (hub/README.md, "The package repository"). The same bytes again change
  // nothing.
  virtual Result<void> put_repository_files(std::span<const std::pair<std::string, std::string>> files) = 0;
  // The file's bytes, or nullopt when none has that name.
  virtual Result<std::optional<std::string>> repository_file(std::string_view name) = 0;
};

// "postgresql://…" or "postgres://…" (a libpq connection URI) opens PostgreSQL; anything else is
// an SQLite file's path. Either is created and migrated to the current schema.
Result<std::unique_ptr<Store>> open_store(const std::string& database);
Result<std::unique_ptr<Store>> open_sqlite_store(const std::string& file);
Result<std::unique_ptr<Store>> open_postgres_store(const std::string& uri, size_t connections);

// The types whose subject names an exhibit (EVENTS.md); a book's events name it before the
// opening (`analects#3`, telemetry/book_events.h).
bool is_exhibit_event(std::string_view type);

}  // namespace pavilion::hub

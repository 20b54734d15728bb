// The dashboard's aggregates, kept up to date as batches arrive (hub/README.md, "Storage").
// Each visit (a session) has a small state — its first and last event, its length, how it
// started, its languages and accessibility features, and per scene and exhibit what it did — and
// contributes to the rollup: rows of (measure, branch, package, local day, exhibit, bucket) →
// amount, each written for the device's branch and once more for every branch ("*"). A batch
// changes a visit's state (its events arrive over several batches, in any order), so ingest
// subtracts what the old state contributed and adds what the new one does: the rollup always
// equals what the visits' states say, whatever the order the events came in. Backends only read
// the old states and write what plan_visit_update returns, in the batch's transaction.
#pragma once

#include "pavilion/hub/store.h"

#include <cstdint>
#include <span>
#include <string>
#include <unordered_map>
#include <variant>
#include <vector>

namespace pavilion::hub {

// The rollup's branch for "every branch"; branch ids cannot hold "*" (enrol_device checks).
inline constexpr std::string_view all_branches = "*";

// A visit's state as stored (visits.state), by session.
struct StoredVisit {
  std::string session;
  std::string device_id;
  int64_t first_ms = 0;
  std::string state;  // compact JSON, read only by this module
};

struct VisitUpdate {
  std::vector<StoredVisit> visits;  // the touched visits' new states
  std::vector<RollupRow> rollup;    // amounts to add (never zero)
};

// The sessions whose visits `new_events` change (events outside a session belong to none).
std::vector<std::string> touched_sessions(std::span<const StoredEvent* const> new_events);

// What the batch's new events (duplicates left out) change. `old_states` holds the stored state
// of every touched session that has one; `branch` is the device's, and `simulated` whether it is
// one of `pavilion-hub simulate`'s.
VisitUpdate plan_visit_update(std::span<const StoredEvent* const> new_events, const std::string& device_id,
                              const std::string& branch, bool simulated,
                              const std::unordered_map<std::string, std::string>& old_states);

// Long periods read whole months from one row each, and only their first and last part months
// by day: every measure's rows for every branch ("*"), and each branch's rows of the measures
// campaigns compare side by side, are also kept per month (measure "month:…", day the month's
// first).
bool kept_by_month(std::string_view measure, std::string_view branch);

// The SQL both backends run for Store::rollup, and its parameters in order, as text or integers.
// Rows by day come one per key (the primary key's). Rows summed over days come summed by key on
// PostgreSQL (its hash aggregate is quick) and as stored on SQLite, whose store adds them up with
// RollupSums (SQLite sorts to group, which costs more than reading the rows).
enum class SqlDialect { sqlite, postgresql };
struct RollupSql {
  std::string sql;
  std::vector<std::variant<std::string, int64_t>> parameters;
};
RollupSql rollup_sql(const RollupQuery& query, SqlDialect dialect);

// Adds up rollup rows by key, in the order each key first comes.
class RollupSums {
 public:
  void add(std::string_view measure, std::string_view branch, std::string_view package, int64_t day,
           std::string_view exhibit, int64_t bucket, int64_t amount);
  std::vector<RollupRow> take() { return std::move(rows_); }

 private:
  std::string key_;
  std::unordered_map<std::string, size_t> index_;
  std::vector<RollupRow> rows_;
};

// Both backends' SQL for Store::rollup_packages and Store::rollup_days.
inline constexpr const char* rollup_packages_sql =
    "SELECT DISTINCT package_id FROM visit_rollup WHERE measure = 'month:visitors' AND branch = '*' AND package_id <> '' "
    "ORDER BY package_id";
inline constexpr const char* rollup_days_sql =
    "SELECT min(day), max(day) FROM visit_rollup WHERE measure = 'visitors' AND branch = '*' AND package_id = ''";

// Log-scale buckets for times: bucket 0 is under a second, bucket b ≥ 1 is
// [2^((b−1)/8), 2^(b/8)) seconds, so a median read from them is within 4.4% of the true one.
int64_t time_bucket(int64_t milliseconds);
// The bucket's representative time in seconds (its geometric middle; 0.5 for bucket 0).
double bucket_seconds(int64_t bucket);

}  // namespace pavilion::hub

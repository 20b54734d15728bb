// The embedded backend: one SQLite file in WAL mode, one connection behind a mutex (SQLite
// writes one transaction at a time anyway; a kiosk fleet's batches are small).
#include "pavilion/hub/store.h"

#include "dashboard/visit_rollup.h"
#include "fleet_rows.h"
#include "pavilion/sqlite/database.h"
#include "relay_outbox.h"
#include "schema.h"

#include <fmt/format.h>
#include <sqlite3.h>

#include <algorithm>
#include <array>
#include <map>
#include <mutex>
#include <tuple>
#include <unordered_map>
#include <variant>

namespace pavilion::hub {
namespace {

using sqlite::Statement;


constexpr int64_t hour_ms = 3'600'000;

int64_t hour_of(int64_t milliseconds) { return milliseconds - (((milliseconds % hour_ms) + hour_ms) % hour_ms); }

// The dashboard's visits and rollup for a batch's new events (dashboard/visit_rollup.h), inside
// ingest's transaction.
Result<void> update_visits(sqlite3* database, const std::string& device_id, std::span<const StoredEvent* const> stored,
                           const std::string& step) {
  const std::vector<std::string> sessions = touched_sessions(stored);
  const bool counts_poems = std::ranges::any_of(stored, [](const StoredEvent* event) { return event->type.starts_with("poem_"); });
  if (sessions.empty() && !counts_poems) return {};
  Statement branch(database, "SELECT branch, simulated FROM devices WHERE device_id = ?");
  Statement state(database, "SELECT state FROM visits WHERE session = ?");
  Statement visit(database,
                  "INSERT INTO visits VALUES (?, ?, ?, ?) "
                  "ON CONFLICT (session) DO UPDATE SET first_ms = excluded.first_ms, state = excluded.state");
  Statement add(database,
                "INSERT INTO visit_rollup VALUES (?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT DO UPDATE SET amount = amount + excluded.amount");
  if (!branch || !state || !visit || !add) return sqlite::error(database, step);
  branch.bind_text(1, device_id);
  const bool enrolled = sqlite3_step(branch.get()) == SQLITE_ROW;
  const std::string device_branch = enrolled ? std::string(branch.column_text(0)) : "";
  const bool simulated = enrolled && sqlite3_column_int64(branch.get(), 1) != 0;
  std::unordered_map<std::string, std::string> old_states;
  for (const std::string& session : sessions) {
    state.bind_text(1, session);
    if (sqlite3_step(state.get()) == SQLITE_ROW) old_states.emplace(session, state.column_text(0));
    sqlite3_reset(state.get());
  }
  const VisitUpdate update = plan_visit_update(stored, device_id, device_branch, simulated, old_states);
  for (const StoredVisit& row : update.visits) {
    visit.bind_text(1, row.session);
    visit.bind_text(2, row.device_id);
    sqlite3_bind_int64(visit.get(), 3, row.first_ms);
    visit.bind_text(4, row.state);
    if (sqlite3_step(visit.get()) != SQLITE_DONE) return sqlite::error(database, step);
    sqlite3_reset(visit.get());
  }
  for (const RollupRow& row : update.rollup) {
    add.bind_text(1, row.measure);
    add.bind_text(2, row.branch);
    add.bind_text(3, row.package_id);
    sqlite3_bind_int64(add.get(), 4, row.day);
    add.bind_text(5, row.exhibit);
    sqlite3_bind_int64(add.get(), 6, row.bucket);
    sqlite3_bind_int64(add.get(), 7, row.amount);
    if (sqlite3_step(add.get()) != SQLITE_DONE) return sqlite::error(database, step);
    sqlite3_reset(add.get());
  }
  return {};
}

class SqliteStore final : public Store {
 public:
  explicit SqliteStore(sqlite3* database) : database_(database) {}
  ~SqliteStore() override { sqlite3_close(database_); }

  std::string_view backend() const override { return "sqlite"; }

  Result<void> check() override {
    std::lock_guard lock(mutex_);
    Statement select(database_, "SELECT count(*) FROM devices");
    if (!select || sqlite3_step(select.get()) != SQLITE_ROW) return sqlite::error(database_, "checking the hub's database");
    return {};
  }

  Result<void> enrol(std::string_view device_id, std::string_view token_hash, int64_t now_ms,
                     const EnrolOptions& options) override {
    std::lock_guard lock(mutex_);
    Statement upsert(database_,
                     "INSERT INTO devices (device_id, token_hash, enrolled_ms, branch, simulated) VALUES (?, ?, ?, ?, ?) "
                     "ON CONFLICT (device_id) DO UPDATE SET token_hash = excluded.token_hash, enrolled_ms = excluded.enrolled_ms, "
                     "branch = excluded.branch, simulated = excluded.simulated");
    if (!upsert) return sqlite::error(database_, "enrolling a device");
    upsert.bind_text(1, device_id);
    upsert.bind_text(2, token_hash);
    sqlite3_bind_int64(upsert.get(), 3, now_ms);
    upsert.bind_text(4, options.branch);
    sqlite3_bind_int(upsert.get(), 5, options.simulated ? 1 : 0);
    if (sqlite3_step(upsert.get()) != SQLITE_DONE) return sqlite::error(database_, fmt::format("enrolling {}", device_id));
    return {};
  }

  Result<std::optional<std::string>> device_for_token(std::string_view token_hash) override {
    std::lock_guard lock(mutex_);
    Statement select(database_, "SELECT device_id FROM devices WHERE token_hash = ?");
    if (!select) return sqlite::error(database_, "looking up a device token");
    select.bind_text(1, token_hash);
    const int status = sqlite3_step(select.get());
    if (status == SQLITE_ROW) return std::optional<std::string>(std::string(select.column_text(0)));
    if (status == SQLITE_DONE) return std::optional<std::string>();
    return sqlite::error(database_, "looking up a device token");
  }

  Result<IngestCounts> ingest(const DeviceBatch& batch, std::span<const StoredEvent> events) override {
    const std::string step = fmt::format("storing a batch from {}", batch.device_id);
    std::lock_guard lock(mutex_);
    PV_TRY(sqlite::execute(database_, "BEGIN IMMEDIATE", step));
    IngestCounts counts;
    auto body = [&]() -> Result<void> {
      Statement insert(database_,
                       "INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING");
      Statement count(database_,
                      "INSERT INTO hourly_counts VALUES (?, ?, ?, ?, ?) "
                      "ON CONFLICT DO UPDATE SET events = events + excluded.events");
      Statement progress(database_,
                         "INSERT INTO device_progress VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (device_id) DO UPDATE SET "
                         "received = received + ?2, highest_sequence = max(highest_sequence, ?3), "
                         "dropped_over_cap = max(dropped_over_cap, ?4), dropped_ring_full = max(dropped_ring_full, ?5), "
                         "last_seen_ms = max(last_seen_ms, ?6)");
      Statement refused(database_, "INSERT INTO rejected_sequences VALUES (?, ?) ON CONFLICT DO NOTHING");
      Statement queue(database_, "INSERT INTO relay_outbox VALUES (?, ?, ?)");
      if (!insert || !count || !progress || !refused || !queue) return sqlite::error(database_, step);
      for (const uint64_t sequence : batch.rejected_sequences) {
        refused.bind_text(1, batch.device_id);
        sqlite3_bind_int64(refused.get(), 2, static_cast<sqlite3_int64>(sequence));
        if (sqlite3_step(refused.get()) != SQLITE_DONE) return sqlite::error(database_, step);
        sqlite3_reset(refused.get());
      }
      int64_t highest = -1;
      std::vector<const StoredEvent*> stored;
      // Counted per batch, then written once per hour, package, exhibit and type.
      std::map<std::tuple<int64_t, std::string_view, std::string_view, std::string_view>, int64_t> hourly;
      for (const StoredEvent& event : events) {
        sqlite3_stmt* row = insert.get();
        insert.bind_text(1, event.id);
        insert.bind_text(2, batch.device_id);
        sqlite3_bind_int64(row, 3, static_cast<sqlite3_int64>(event.sequence));
        sqlite3_bind_int64(row, 4, event.created_ms);
        sqlite3_bind_int64(row, 5, event.corrected_ms);
        sqlite3_bind_int64(row, 6, batch.received_ms);
        insert.bind_text(7, event.type);
        insert.bind_text(8, event.session);
        insert.bind_text(9, event.package_id);
        insert.bind_text(10, event.package_version);
        insert.bind_text(11, event.subject);
        sqlite3_bind_int64(row, 12, event.value);
        if (sqlite3_step(row) != SQLITE_DONE) return sqlite::error(database_, step);
        sqlite3_reset(row);
        if (sqlite3_changes(database_) == 0) {
          ++counts.duplicates;
          continue;
        }
        ++counts.stored;
        if (batch.forward) {
          queue.bind_text(1, event.id);
          queue.bind_text(2, batch.device_id);
          sqlite3_bind_int64(queue.get(), 3, batch.received_ms);
          if (sqlite3_step(queue.get()) != SQLITE_DONE) return sqlite::error(database_, step);
          sqlite3_reset(queue.get());
        }
        highest = std::max(highest, static_cast<int64_t>(event.sequence));
        stored.push_back(&event);
        ++hourly[{hour_of(event.corrected_ms), event.package_id, event.exhibit, event.type}];
      }
      for (const auto& [key, events_in_hour] : hourly) {
        sqlite3_bind_int64(count.get(), 1, std::get<0>(key));
        count.bind_text(2, std::get<1>(key));
        count.bind_text(3, std::get<2>(key));
        count.bind_text(4, std::get<3>(key));
        sqlite3_bind_int64(count.get(), 5, events_in_hour);
        if (sqlite3_step(count.get()) != SQLITE_DONE) return sqlite::error(database_, step);
        sqlite3_reset(count.get());
      }
      PV_TRY(update_visits(database_, batch.device_id, stored, step));
      progress.bind_text(1, batch.device_id);
      sqlite3_bind_int64(progress.get(), 2, static_cast<sqlite3_int64>(counts.stored));
      sqlite3_bind_int64(progress.get(), 3, highest);
      sqlite3_bind_int64(progress.get(), 4, static_cast<sqlite3_int64>(batch.dropped_over_cap));
      sqlite3_bind_int64(progress.get(), 5, static_cast<sqlite3_int64>(batch.dropped_ring_full));
      sqlite3_bind_int64(progress.get(), 6, batch.received_ms);
      if (sqlite3_step(progress.get()) != SQLITE_DONE) return sqlite::error(database_, step);
      return {};
    };
    if (auto done = body(); !done) {
      static_cast<void>(sqlite::execute(database_, "ROLLBACK", step));
      return std::move(done).error();
    }
    PV_TRY(sqlite::execute(database_, "COMMIT", step));
    return counts;
  }

  Result<std::vector<HourlyCount>> hourly(int64_t from_ms, int64_t to_ms) override {
    const char* step = "reading hourly counts";
    std::lock_guard lock(mutex_);
    Statement select(database_,
                     "SELECT hour_ms, package_id, exhibit, type, events FROM hourly_counts "
                     "WHERE hour_ms >= ? AND hour_ms < ? ORDER BY hour_ms, package_id, exhibit, type");
    if (!select) return sqlite::error(database_, step);
    sqlite3_bind_int64(select.get(), 1, from_ms);
    sqlite3_bind_int64(select.get(), 2, to_ms);
    std::vector<HourlyCount> rows;
    int status = SQLITE_ROW;
    while ((status = sqlite3_step(select.get())) == SQLITE_ROW) {
      rows.push_back({sqlite3_column_int64(select.get(), 0), std::string(select.column_text(1)),
                      std::string(select.column_text(2)), std::string(select.column_text(3)),
                      static_cast<uint64_t>(sqlite3_column_int64(select.get(), 4))});
    }
    if (status != SQLITE_DONE) return sqlite::error(database_, step);
    return rows;
  }

  Result<std::vector<DeviceCompleteness>> completeness() override {
    const char* step = "reading the completeness report";
    std::lock_guard lock(mutex_);
    Statement select(database_,
                     "SELECT device_id, received, highest_sequence, dropped_over_cap, dropped_ring_full, "
                     "(SELECT count(*) FROM rejected_sequences r WHERE r.device_id = p.device_id), last_seen_ms, "
                     "(SELECT count(*) FROM events WHERE events.device_id = p.device_id) "
                     "FROM device_progress p ORDER BY device_id");
    Statement gaps(database_,
                   "SELECT sequence + 1, next - 1 FROM (SELECT sequence, lead(sequence) OVER (ORDER BY sequence) AS next "
                   "FROM events WHERE device_id = ?) WHERE next > sequence + 1 ORDER BY sequence LIMIT 100");
    Statement first(database_, "SELECT min(sequence) FROM events WHERE device_id = ?");
    if (!select || !gaps || !first) return sqlite::error(database_, step);
    std::vector<DeviceCompleteness> report;
    int status = SQLITE_ROW;
    while ((status = sqlite3_step(select.get())) == SQLITE_ROW) {
      DeviceCompleteness device;
      sqlite3_stmt* row = select.get();
      device.device_id = std::string(select.column_text(0));
      device.received = static_cast<uint64_t>(sqlite3_column_int64(row, 1));
      device.expected = static_cast<uint64_t>(sqlite3_column_int64(row, 2) + 1);
      device.dropped_over_cap = static_cast<uint64_t>(sqlite3_column_int64(row, 3));
      device.dropped_ring_full = static_cast<uint64_t>(sqlite3_column_int64(row, 4));
      device.rejected = static_cast<uint64_t>(sqlite3_column_int64(row, 5));
      device.last_seen_ms = sqlite3_column_int64(row, 6);
      const auto held = static_cast<uint64_t>(sqlite3_column_int64(row, 7));
      // Before the first event held: missing, unless retention removed raw events of this device.
      first.bind_text(1, device.device_id);
      if (held == device.received && sqlite3_step(first.get()) == SQLITE_ROW &&
          sqlite3_column_type(first.get(), 0) != SQLITE_NULL && sqlite3_column_int64(first.get(), 0) > 0) {
        device.gaps.emplace_back(0, static_cast<uint64_t>(sqlite3_column_int64(first.get(), 0) - 1));
      }
      sqlite3_reset(first.get());
      gaps.bind_text(1, device.device_id);
      while (sqlite3_step(gaps.get()) == SQLITE_ROW && device.gaps.size() < 100) {
        device.gaps.emplace_back(static_cast<uint64_t>(sqlite3_column_int64(gaps.get(), 0)),
                                 static_cast<uint64_t>(sqlite3_column_int64(gaps.get(), 1)));
      }
      sqlite3_reset(gaps.get());
      report.push_back(std::move(device));
    }
    if (status != SQLITE_DONE) return sqlite::error(database_, step);
    return report;
  }

  Result<uint64_t> expire_raw_events(int64_t before_ms) override {
    const char* step = "removing raw events past their retention";
    std::lock_guard lock(mutex_);
    Statement erase(database_, "DELETE FROM events WHERE received_ms < ?");
    if (!erase) return sqlite::error(database_, step);
    sqlite3_bind_int64(erase.get(), 1, before_ms);
    if (sqlite3_step(erase.get()) != SQLITE_DONE) return sqlite::error(database_, step);
    const auto removed = static_cast<uint64_t>(sqlite3_changes(database_));
    Statement forget(database_, "DELETE FROM visits WHERE first_ms < ?");
    Statement unqueue(database_, "DELETE FROM relay_outbox WHERE received_ms < ?");
    if (!forget || !unqueue) return sqlite::error(database_, step);
    for (const Statement* statement : {&forget, &unqueue}) {
      sqlite3_bind_int64(statement->get(), 1, before_ms);
      if (sqlite3_step(statement->get()) != SQLITE_DONE) return sqlite::error(database_, step);
    }
    PV_TRY(sqlite::execute(database_, "PRAGMA incremental_vacuum; PRAGMA wal_checkpoint(TRUNCATE);", step));
    return removed;
  }

  Result<std::vector<RollupRow>> rollup(const RollupQuery& query) override {
    const char* step = "reading the dashboard's aggregates";
    const RollupSql sql = rollup_sql(query, SqlDialect::sqlite);
    std::lock_guard lock(mutex_);
    Statement select(database_, sql.sql.c_str());
    if (!select) return sqlite::error(database_, step);
    for (size_t index = 0; index < sql.parameters.size(); ++index) {
      const int at = static_cast<int>(index + 1);
      if (const auto* text = std::get_if<std::string>(&sql.parameters[index])) {
        select.bind_text(at, *text);
      } else {
        sqlite3_bind_int64(select.get(), at, std::get<int64_t>(sql.parameters[index]));
      }
    }
    // Rows by day are one per key already (the primary key's); others are added up here.
    RollupSums sums;
    std::vector<RollupRow> rows;
    int status = SQLITE_ROW;
    while ((status = sqlite3_step(select.get())) == SQLITE_ROW) {
      sqlite3_stmt* row = select.get();
      if (query.by_day) {
        rows.push_back({std::string(select.column_text(0)), std::string(select.column_text(1)),
                        std::string(select.column_text(2)), sqlite3_column_int64(row, 3), std::string(select.column_text(4)),
                        sqlite3_column_int64(row, 5), sqlite3_column_int64(row, 6)});
      } else {
        sums.add(select.column_text(0), select.column_text(1), select.column_text(2), sqlite3_column_int64(row, 3),
                 select.column_text(4), sqlite3_column_int64(row, 5), sqlite3_column_int64(row, 6));
      }
    }
    if (status != SQLITE_DONE) return sqlite::error(database_, step);
    return query.by_day ? rows : sums.take();
  }

  Result<std::vector<DeviceSummary>> device_summaries() override {
    const char* step = "reading the devices";
    std::lock_guard lock(mutex_);
    Statement select(database_,
                     "SELECT d.device_id, d.branch, d.simulated, coalesce(p.received, 0), coalesce(p.highest_sequence, -1), "
                     "coalesce(p.dropped_over_cap, 0), coalesce(p.dropped_ring_full, 0), "
                     "(SELECT count(*) FROM rejected_sequences r WHERE r.device_id = d.device_id), coalesce(p.last_seen_ms, 0) "
                     "FROM devices d LEFT JOIN device_progress p USING (device_id) ORDER BY d.device_id");
    if (!select) return sqlite::error(database_, step);
    std::vector<DeviceSummary> devices;
    int status = SQLITE_ROW;
    while ((status = sqlite3_step(select.get())) == SQLITE_ROW) {
      sqlite3_stmt* row = select.get();
      devices.push_back({std::string(select.column_text(0)), std::string(select.column_text(1)),
                         sqlite3_column_int64(row, 2) != 0, static_cast<uint64_t>(sqlite3_column_int64(row, 3)),
                         static_cast<uint64_t>(sqlite3_column_int64(row, 4) + 1),
                         static_cast<uint64_t>(sqlite3_column_int64(row, 5)),
                         static_cast<uint64_t>(sqlite3_column_int64(row, 6)),
                         static_cast<uint64_t>(sqlite3_column_int64(row, 7)), sqlite3_column_int64(row, 8)});
    }
    if (status != SQLITE_DONE) return sqlite::error(database_, step);
    return devices;
  }

  // The fleet (fleet_rows.h).
  Result<void> put_device_status(std::string_view device_id, int64_t received_ms,
                                 const telemetry::UpdateStatus& status) override {
    const std::string step = fmt::format("storing {}'s update status", device_id);
    std::lock_guard lock(mutex_);
    PV_TRY(sqlite::execute(database_, "BEGIN IMMEDIATE", step));
    auto body = [&]() -> Result<void> {
      Statement known(database_, "SELECT package_id, version, state, since_ms FROM device_packages WHERE device_id = ?");
      Statement forget(database_, "DELETE FROM device_packages WHERE device_id = ?");
      Statement insert(database_, "INSERT INTO device_packages VALUES (?, ?, ?, ?, ?, ?, ?)");
      Statement upsert(database_, "INSERT OR REPLACE INTO device_status VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
      if (!known || !forget || !insert || !upsert) return sqlite::error(database_, step);
      known.bind_text(1, device_id);
      std::vector<KnownPackage> before;
      int found = SQLITE_ROW;
      while ((found = sqlite3_step(known.get())) == SQLITE_ROW) {
        before.push_back({std::string(known.column_text(0)), std::string(known.column_text(1)),
                          std::string(known.column_text(2)), sqlite3_column_int64(known.get(), 3)});
      }
      if (found != SQLITE_DONE) return sqlite::error(database_, step);
      const std::vector<int64_t> since = package_since(before, status, received_ms);
      forget.bind_text(1, device_id);
      if (sqlite3_step(forget.get()) != SQLITE_DONE) return sqlite::error(database_, step);
      for (size_t index = 0; index < status.packages.size(); ++index) {
        const telemetry::PackageStatus& package = status.packages[index];
        insert.bind_text(1, device_id);
        sqlite3_bind_int64(insert.get(), 2, static_cast<sqlite3_int64>(index));
        insert.bind_text(3, package.id);
        insert.bind_text(4, package.version);
        insert.bind_text(5, package.state);
        insert.bind_text(6, package.detail);
        sqlite3_bind_int64(insert.get(), 7, since[index]);
        if (sqlite3_step(insert.get()) != SQLITE_DONE) return sqlite::error(database_, step);
        sqlite3_reset(insert.get());
      }
      upsert.bind_text(1, device_id);
      const std::array<int64_t, 9> numbers{received_ms,
                                           static_cast<int64_t>(status.root_version),
                                           static_cast<int64_t>(status.timestamp_version),
                                           static_cast<int64_t>(status.snapshot_version),
                                           static_cast<int64_t>(status.targets_version),
                                           static_cast<int64_t>(status.disk_used),
                                           static_cast<int64_t>(status.disk_budget),
                                           static_cast<int64_t>(status.disk_free),
                                           status.last_check_ms};
      for (size_t index = 0; index < numbers.size(); ++index) {
        sqlite3_bind_int64(upsert.get(), static_cast<int>(index + 2), numbers[index]);
      }
      upsert.bind_text(11, status.last_result);
      upsert.bind_text(12, status.last_error.zh_cn);
      upsert.bind_text(13, status.last_error.en);
      if (sqlite3_step(upsert.get()) != SQLITE_DONE) return sqlite::error(database_, step);
      return {};
    };
    if (auto done = body(); !done) {
      static_cast<void>(sqlite::execute(database_, "ROLLBACK", step));
      return std::move(done).error();
    }
    PV_TRY(sqlite::execute(database_, "COMMIT", step));
    return {};
  }

  Result<std::vector<FleetKiosk>> fleet() override {
    const char* step = "reading the fleet";
    std::lock_guard lock(mutex_);
    Statement kiosks(database_, fleet_kiosks_sql);
    Statement packages(database_, fleet_packages_sql);
    if (!kiosks || !packages) return sqlite::error(database_, step);
    std::vector<FleetKiosk> fleet;
    std::unordered_map<std::string, size_t> by_id;
    int status = SQLITE_ROW;
    while ((status = sqlite3_step(kiosks.get())) == SQLITE_ROW) {
      sqlite3_stmt* row = kiosks.get();
      FleetKiosk& kiosk = fleet.emplace_back();
      kiosk.device_id = kiosks.column_text(0);
      kiosk.branch = kiosks.column_text(1);
      kiosk.last_seen_ms = sqlite3_column_int64(row, 2);
      kiosk.reported_ms = sqlite3_column_int64(row, 3);
      by_id.emplace(kiosk.device_id, fleet.size() - 1);
      if (kiosk.reported_ms == 0) continue;
      telemetry::UpdateStatus& update = kiosk.status;
      for (const auto& [column, into] : {std::pair{4, &update.root_version}, {5, &update.timestamp_version},
                                         {6, &update.snapshot_version}, {7, &update.targets_version},
                                         {8, &update.disk_used}, {9, &update.disk_budget}, {10, &update.disk_free}}) {
        *into = static_cast<uint64_t>(sqlite3_column_int64(row, column));
      }
      update.last_check_ms = sqlite3_column_int64(row, 11);
      update.last_result = kiosks.column_text(12);
      update.last_error = {std::string(kiosks.column_text(13)), std::string(kiosks.column_text(14))};
    }
    if (status != SQLITE_DONE) return sqlite::error(database_, step);
    while ((status = sqlite3_step(packages.get())) == SQLITE_ROW) {
      const auto kiosk = by_id.find(std::string(packages.column_text(0)));
      if (kiosk == by_id.end()) continue;  // a simulated device's (none send statuses)
      FleetKiosk& into = fleet[kiosk->second];
      into.status.packages.push_back({std::string(packages.column_text(1)), std::string(packages.column_text(2)),
                                      std::string(packages.column_text(3)), std::string(packages.column_text(4))});
      into.since_ms.push_back(sqlite3_column_int64(packages.get(), 5));
    }
    if (status != SQLITE_DONE) return sqlite::error(database_, step);
    return fleet;
  }

  Result<std::vector<std::string>> rollup_packages() override {
    const char* step = "reading the packages with visitors";
    std::lock_guard lock(mutex_);
    Statement select(database_, rollup_packages_sql);
    if (!select) return sqlite::error(database_, step);
    std::vector<std::string> packages;
    int status = SQLITE_ROW;
    while ((status = sqlite3_step(select.get())) == SQLITE_ROW) packages.emplace_back(select.column_text(0));
    if (status != SQLITE_DONE) return sqlite::error(database_, step);
    return packages;
  }

  Result<std::optional<std::pair<int64_t, int64_t>>> rollup_days() override {
    const char* step = "reading the days with visitors";
    std::lock_guard lock(mutex_);
    Statement select(database_, rollup_days_sql);
    if (!select || sqlite3_step(select.get()) != SQLITE_ROW) return sqlite::error(database_, step);
    if (sqlite3_column_type(select.get(), 0) == SQLITE_NULL) return std::optional<std::pair<int64_t, int64_t>>();
    return std::optional<std::pair<int64_t, int64_t>>(
        std::pair{sqlite3_column_int64(select.get(), 0), sqlite3_column_int64(select.get(), 1)});
  }

  // Branch hubs.
  Result<void> enrol_relay(std::string_view relay_id, std::string_view token_hash, int64_t now_ms,
                           std::string_view branch) override {
    std::lock_guard lock(mutex_);
    Statement upsert(database_,
                     "INSERT INTO relays VALUES (?, ?, ?, ?) ON CONFLICT (relay_id) DO UPDATE SET "
                     "token_hash = excluded.token_hash, branch = excluded.branch, enrolled_ms = excluded.enrolled_ms");
    if (!upsert) return sqlite::error(database_, "enrolling a relay");
    upsert.bind_text(1, relay_id);
    upsert.bind_text(2, token_hash);
    upsert.bind_text(3, branch);
    sqlite3_bind_int64(upsert.get(), 4, now_ms);
    if (sqlite3_step(upsert.get()) != SQLITE_DONE) return sqlite::error(database_, fmt::format("enrolling the relay {}", relay_id));
    return {};
  }

  Result<std::optional<RelayIdentity>> relay_for_token(std::string_view token_hash) override {
    const char* step = "looking up a relay token";
    std::lock_guard lock(mutex_);
    Statement select(database_, "SELECT relay_id, branch FROM relays WHERE token_hash = ?");
    if (!select) return sqlite::error(database_, step);
    select.bind_text(1, token_hash);
    const int status = sqlite3_step(select.get());
    if (status == SQLITE_DONE) return std::optional<RelayIdentity>();
    if (status != SQLITE_ROW) return sqlite::error(database_, step);
    return std::optional<RelayIdentity>(RelayIdentity{std::string(select.column_text(0)), std::string(select.column_text(1))});
  }

  Result<std::string> adopt_relayed_device(std::string_view device_id, std::string_view branch, int64_t now_ms) override {
    const std::string step = fmt::format("enrolling the relayed device {}", device_id);
    std::lock_guard lock(mutex_);
    Statement insert(database_,
                     "INSERT INTO devices (device_id, token_hash, enrolled_ms, branch) VALUES (?, ?, ?, ?) "
                     "ON CONFLICT (device_id) DO NOTHING");
    Statement select(database_, "SELECT branch FROM devices WHERE device_id = ?");
    if (!insert || !select) return sqlite::error(database_, step);
    insert.bind_text(1, device_id);
    const std::string no_token = relayed_token_hash(device_id);
    insert.bind_text(2, no_token);
    sqlite3_bind_int64(insert.get(), 3, now_ms);
    insert.bind_text(4, branch);
    if (sqlite3_step(insert.get()) != SQLITE_DONE) return sqlite::error(database_, step);
    select.bind_text(1, device_id);
    if (sqlite3_step(select.get()) != SQLITE_ROW) return sqlite::error(database_, step);
    return std::string(select.column_text(0));
  }

  Result<std::vector<ForwardBatch>> events_to_forward(size_t max_events) override {
    const char* step = "reading the events to forward upstream";
    std::lock_guard lock(mutex_);
    Statement select(database_,
                     "SELECT e.id, e.sequence, e.created_ms, e.corrected_ms, e.type, e.session, e.package_id, "
                     "e.package_version, e.subject, e.value, o.device_id FROM relay_outbox o JOIN events e ON e.id = o.event_id "
                     "ORDER BY o.received_ms, o.event_id LIMIT ?");
    Statement progress(database_, "SELECT dropped_over_cap, dropped_ring_full FROM device_progress WHERE device_id = ?");
    Statement refused(database_, "SELECT sequence FROM rejected_sequences WHERE device_id = ? ORDER BY sequence");
    if (!select || !progress || !refused) return sqlite::error(database_, step);
    sqlite3_bind_int64(select.get(), 1, static_cast<sqlite3_int64>(max_events));
    std::vector<ForwardBatch> batches;
    int status = SQLITE_ROW;
    while ((status = sqlite3_step(select.get())) == SQLITE_ROW) {
      sqlite3_stmt* row = select.get();
      StoredEvent event{std::string(select.column_text(0)), static_cast<uint64_t>(sqlite3_column_int64(row, 1)),
                        sqlite3_column_int64(row, 2), sqlite3_column_int64(row, 3), std::string(select.column_text(4)),
                        std::string(select.column_text(5)), std::string(select.column_text(6)),
                        std::string(select.column_text(7)), std::string(select.column_text(8)), {},
                        sqlite3_column_int64(row, 9)};
      batch_for(batches, select.column_text(10)).events.push_back(std::move(event));
    }
    if (status != SQLITE_DONE) return sqlite::error(database_, step);
    for (ForwardBatch& batch : batches) {
      progress.bind_text(1, batch.device.device_id);
      if (sqlite3_step(progress.get()) == SQLITE_ROW) {
        batch.device.dropped_over_cap = static_cast<uint64_t>(sqlite3_column_int64(progress.get(), 0));
        batch.device.dropped_ring_full = static_cast<uint64_t>(sqlite3_column_int64(progress.get(), 1));
      }
      sqlite3_reset(progress.get());
      refused.bind_text(1, batch.device.device_id);
      while (sqlite3_step(refused.get()) == SQLITE_ROW) {
        batch.device.rejected_sequences.push_back(static_cast<uint64_t>(sqlite3_column_int64(refused.get(), 0)));
      }
      sqlite3_reset(refused.get());
    }
    return batches;
  }

  Result<void> forwarded(std::span<const std::string> event_ids) override {
    const char* step = "recording events forwarded upstream";
    std::lock_guard lock(mutex_);
    PV_TRY(sqlite::execute(database_, "BEGIN IMMEDIATE", step));
    auto body = [&]() -> Result<void> {
      Statement erase(database_, "DELETE FROM relay_outbox WHERE event_id = ?");
      if (!erase) return sqlite::error(database_, step);
      for (const std::string& id : event_ids) {
        erase.bind_text(1, id);
        if (sqlite3_step(erase.get()) != SQLITE_DONE) return sqlite::error(database_, step);
        sqlite3_reset(erase.get());
      }
      return {};
    };
    if (auto done = body(); !done) {
      static_cast<void>(sqlite::execute(database_, "ROLLBACK", step));
      return std::move(done).error();
    }
    PV_TRY(sqlite::execute(database_, "COMMIT", step));
    return {};
  }

  // People (accounts.h).
  Result<bool> add_user(const UserAccount& user) override {
    std::lock_guard lock(mutex_);
    Statement insert(database_, "INSERT INTO users VALUES (?, ?, ?, ?) ON CONFLICT (name) DO NOTHING");
    if (!insert) return sqlite::error(database_, "adding a person");
    insert.bind_text(1, user.name);
    insert.bind_text(2, role_name(user.role));
    if (user.branch) insert.bind_text(3, *user.branch);
    insert.bind_text(4, user.password_hash);
    if (sqlite3_step(insert.get()) != SQLITE_DONE) return sqlite::error(database_, fmt::format("adding {}", user.name));
    return sqlite3_changes(database_) == 1;
  }

  Result<std::optional<UserAccount>> user(std::string_view name) override {
    PV_TRY_ASSIGN(std::vector<UserAccount> found, read_users(name));
    if (found.empty()) return std::optional<UserAccount>();
    return std::optional<UserAccount>(std::move(found.front()));
  }

  Result<std::vector<UserAccount>> users() override { return read_users(std::nullopt); }

  Result<bool> set_password(std::string_view name, std::string_view password_hash) override {
    const std::string step = fmt::format("changing {}'s password", name);
    std::lock_guard lock(mutex_);
    PV_TRY(sqlite::execute(database_, "BEGIN IMMEDIATE", step));
    Statement update(database_, "UPDATE users SET password_hash = ? WHERE name = ?");
    Statement end_sessions(database_, "DELETE FROM web_sessions WHERE user_name = ?");
    Statement clear(database_, "DELETE FROM sign_in_failures WHERE name = ?");
    Statement unlock(database_, "DELETE FROM sign_in_locks WHERE name = ?");
    bool changed = false;
    auto body = [&]() -> Result<void> {
      if (!update || !end_sessions || !clear || !unlock) return sqlite::error(database_, step);
      update.bind_text(1, password_hash);
      update.bind_text(2, name);
      if (sqlite3_step(update.get()) != SQLITE_DONE) return sqlite::error(database_, step);
      changed = sqlite3_changes(database_) == 1;
      for (const Statement* statement : {&end_sessions, &clear, &unlock}) {
        statement->bind_text(1, name);
        if (sqlite3_step(statement->get()) != SQLITE_DONE) return sqlite::error(database_, step);
      }
      return {};
    };
    if (auto done = body(); !done) {
      static_cast<void>(sqlite::execute(database_, "ROLLBACK", step));
      return std::move(done).error();
    }
    PV_TRY(sqlite::execute(database_, "COMMIT", step));
    return changed;
  }

  Result<bool> remove_user(std::string_view name) override {
    const std::string step = fmt::format("removing {}", name);
    std::lock_guard lock(mutex_);
    PV_TRY(sqlite::execute(database_, "BEGIN IMMEDIATE", step));
    Statement erase(database_, "DELETE FROM users WHERE name = ?");
    Statement end_sessions(database_, "DELETE FROM web_sessions WHERE user_name = ?");
    bool removed = false;
    auto body = [&]() -> Result<void> {
      if (!erase || !end_sessions) return sqlite::error(database_, step);
      erase.bind_text(1, name);
      if (sqlite3_step(erase.get()) != SQLITE_DONE) return sqlite::error(database_, step);
      removed = sqlite3_changes(database_) == 1;
      end_sessions.bind_text(1, name);
      if (sqlite3_step(end_sessions.get()) != SQLITE_DONE) return sqlite::error(database_, step);
      return {};
    };
    if (auto done = body(); !done) {
      static_cast<void>(sqlite::execute(database_, "ROLLBACK", step));
      return std::move(done).error();
    }
    PV_TRY(sqlite::execute(database_, "COMMIT", step));
    return removed;
  }

  Result<int64_t> locked_until(std::string_view name, int64_t now_ms) override {
    std::lock_guard lock(mutex_);
    Statement select(database_, "SELECT locked_until_ms FROM sign_in_locks WHERE name = ? AND locked_until_ms > ?");
    if (!select) return sqlite::error(database_, "reading sign-in locks");
    select.bind_text(1, name);
    sqlite3_bind_int64(select.get(), 2, now_ms);
    const int status = sqlite3_step(select.get());
    if (status == SQLITE_ROW) return static_cast<int64_t>(sqlite3_column_int64(select.get(), 0));
    if (status == SQLITE_DONE) return int64_t{0};
    return sqlite::error(database_, "reading sign-in locks");
  }

  Result<int64_t> count_sign_in_failure(std::string_view name, int64_t now_ms, const LockoutRule& rule) override {
    const char* step = "counting a failed sign-in";
    std::lock_guard lock(mutex_);
    PV_TRY(sqlite::execute(database_, "BEGIN IMMEDIATE", step));
    int64_t until = 0;
    auto body = [&]() -> Result<void> {
      // Failures past the window and locks past their time are forgotten, so guessing many names
      // does not grow the tables for ever.
      Statement forget(database_, "DELETE FROM sign_in_failures WHERE time_ms <= ?");
      Statement unlock(database_, "DELETE FROM sign_in_locks WHERE locked_until_ms <= ?");
      Statement insert(database_, "INSERT INTO sign_in_failures VALUES (?, ?)");
      Statement count(database_, "SELECT count(*) FROM sign_in_failures WHERE name = ?");
      Statement reset(database_, "DELETE FROM sign_in_failures WHERE name = ?");
      Statement lock_name(database_, "INSERT OR REPLACE INTO sign_in_locks VALUES (?, ?)");
      if (!forget || !unlock || !insert || !count || !reset || !lock_name) return sqlite::error(database_, step);
      sqlite3_bind_int64(forget.get(), 1, now_ms - rule.window_ms);
      sqlite3_bind_int64(unlock.get(), 1, now_ms);
      insert.bind_text(1, name);
      sqlite3_bind_int64(insert.get(), 2, now_ms);
      count.bind_text(1, name);
      for (const Statement* statement : {&forget, &unlock, &insert}) {
        if (sqlite3_step(statement->get()) != SQLITE_DONE) return sqlite::error(database_, step);
      }
      if (sqlite3_step(count.get()) != SQLITE_ROW) return sqlite::error(database_, step);
      if (sqlite3_column_int64(count.get(), 0) < rule.failures) return {};
      until = now_ms + rule.lock_ms;
      reset.bind_text(1, name);
      lock_name.bind_text(1, name);
      sqlite3_bind_int64(lock_name.get(), 2, until);
      if (sqlite3_step(reset.get()) != SQLITE_DONE || sqlite3_step(lock_name.get()) != SQLITE_DONE) {
        return sqlite::error(database_, step);
      }
      return {};
    };
    if (auto done = body(); !done) {
      static_cast<void>(sqlite::execute(database_, "ROLLBACK", step));
      return std::move(done).error();
    }
    PV_TRY(sqlite::execute(database_, "COMMIT", step));
    return until;
  }

  Result<void> clear_sign_in_failures(std::string_view name) override {
    std::lock_guard lock(mutex_);
    Statement erase(database_, "DELETE FROM sign_in_failures WHERE name = ?");
    if (!erase) return sqlite::error(database_, "clearing sign-in failures");
    erase.bind_text(1, name);
    if (sqlite3_step(erase.get()) != SQLITE_DONE) return sqlite::error(database_, "clearing sign-in failures");
    return {};
  }

  Result<void> add_web_session(const WebSession& session, int64_t now_ms) override {
    const char* step = "starting a web session";
    std::lock_guard lock(mutex_);
    Statement expire(database_, "DELETE FROM web_sessions WHERE expires_ms <= ?");
    Statement insert(database_, "INSERT INTO web_sessions VALUES (?, ?, ?, ?)");
    if (!expire || !insert) return sqlite::error(database_, step);
    sqlite3_bind_int64(expire.get(), 1, now_ms);
    if (sqlite3_step(expire.get()) != SQLITE_DONE) return sqlite::error(database_, step);
    insert.bind_text(1, session.token_hash);
    insert.bind_text(2, session.user);
    insert.bind_text(3, session.csrf_token);
    sqlite3_bind_int64(insert.get(), 4, session.expires_ms);
    if (sqlite3_step(insert.get()) != SQLITE_DONE) return sqlite::error(database_, step);
    return {};
  }

  Result<std::optional<WebSession>> web_session(std::string_view token_hash, int64_t now_ms) override {
    const char* step = "reading a web session";
    std::lock_guard lock(mutex_);
    Statement select(database_,
                     "SELECT user_name, csrf_token, expires_ms FROM web_sessions WHERE token_hash = ? AND expires_ms > ?");
    if (!select) return sqlite::error(database_, step);
    select.bind_text(1, token_hash);
    sqlite3_bind_int64(select.get(), 2, now_ms);
    const int status = sqlite3_step(select.get());
    if (status == SQLITE_DONE) return std::optional<WebSession>();
    if (status != SQLITE_ROW) return sqlite::error(database_, step);
    return std::optional<WebSession>(WebSession{std::string(token_hash), std::string(select.column_text(0)),
                                                std::string(select.column_text(1)), sqlite3_column_int64(select.get(), 2)});
  }

  Result<void> remove_web_session(std::string_view token_hash) override {
    std::lock_guard lock(mutex_);
    Statement erase(database_, "DELETE FROM web_sessions WHERE token_hash = ?");
    if (!erase) return sqlite::error(database_, "ending a web session");
    erase.bind_text(1, token_hash);
    if (sqlite3_step(erase.get()) != SQLITE_DONE) return sqlite::error(database_, "ending a web session");
    return {};
  }

  Result<void> audit(const AuditEntry& entry) override {
    std::lock_guard lock(mutex_);
    Statement insert(database_, "INSERT INTO audit_log VALUES (?, ?, ?, ?)");
    if (!insert) return sqlite::error(database_, "writing the audit log");
    sqlite3_bind_int64(insert.get(), 1, entry.time_ms);
    insert.bind_text(2, entry.user);
    insert.bind_text(3, entry.action);
    insert.bind_text(4, entry.detail);
    if (sqlite3_step(insert.get()) != SQLITE_DONE) return sqlite::error(database_, "writing the audit log");
    return {};
  }

  Result<std::vector<AuditEntry>> audit_log(int64_t from_ms, int64_t to_ms) override {
    const char* step = "reading the audit log";
    std::lock_guard lock(mutex_);
    Statement select(database_,
                     "SELECT time_ms, user_name, action, detail FROM audit_log WHERE time_ms >= ? AND time_ms < ? "
                     "ORDER BY time_ms, rowid");
    if (!select) return sqlite::error(database_, step);
    sqlite3_bind_int64(select.get(), 1, from_ms);
    sqlite3_bind_int64(select.get(), 2, to_ms);
    std::vector<AuditEntry> entries;
    int status = SQLITE_ROW;
    while ((status = sqlite3_step(select.get())) == SQLITE_ROW) {
      entries.push_back({sqlite3_column_int64(select.get(), 0), std::string(select.column_text(1)),
                         std::string(select.column_text(2)), std::string(select.column_text(3))});
    }
    if (status != SQLITE_DONE) return sqlite::error(database_, step);
    return entries;
  }

  Result<void> put_repository_files(std::span<const std::pair<std::string, std::string>> files) override {
    const char* step = "storing the repository's files";
    std::lock_guard lock(mutex_);
    PV_TRY(sqlite::execute(database_, "BEGIN IMMEDIATE", step));
    auto body = [&]() -> Result<void> {
      Statement replace(database_,
                        "INSERT INTO repository_files VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET bytes = excluded.bytes");
      Statement insert(database_, "INSERT INTO repository_files VALUES (?, ?) ON CONFLICT (name) DO NOTHING");
      Statement held(database_, "SELECT bytes FROM repository_files WHERE name = ?");
      if (!replace || !insert || !held) return sqlite::error(database_, step);
      for (const auto& [name, bytes] : files) {
        const Statement& write = name == "timestamp.json" ? replace : insert;
        write.bind_text(1, name);
        sqlite3_bind_blob64(write.get(), 2, bytes.data(), bytes.size(), SQLITE_STATIC);
        if (sqlite3_step(write.get()) != SQLITE_DONE) return sqlite::error(database_, step);
        sqlite3_reset(write.get());
        if (sqlite3_changes(database_) == 1) continue;
        held.bind_text(1, name);
        if (sqlite3_step(held.get()) != SQLITE_ROW) return sqlite::error(database_, step);
        const std::string_view present(static_cast<const char*>(sqlite3_column_blob(held.get(), 0)),
                                       static_cast<size_t>(sqlite3_column_bytes(held.get(), 0)));
        if (present != bytes) {
          return Error(ErrorCode::invalid_input, step, fmt::format("{} is already held with other contents", name));
        }
        sqlite3_reset(held.get());
      }
      return {};
    };
    if (auto done = body(); !done) {
      static_cast<void>(sqlite::execute(database_, "ROLLBACK", step));
      return std::move(done).error();
    }
    PV_TRY(sqlite::execute(database_, "COMMIT", step));
    return {};
  }

  Result<std::optional<std::string>> repository_file(std::string_view name) override {
    const std::string step = fmt::format("reading the repository's {}", name);
    std::lock_guard lock(mutex_);
    Statement select(database_, "SELECT bytes FROM repository_files WHERE name = ?");
    if (!select) return sqlite::error(database_, step);
    select.bind_text(1, name);
    const int status = sqlite3_step(select.get());
    if (status == SQLITE_DONE) return std::optional<std::string>();
    if (status != SQLITE_ROW) return sqlite::error(database_, step);
    return std::optional<std::string>(std::in_place, static_cast<const char*>(sqlite3_column_blob(select.get(), 0)),
                                      static_cast<size_t>(sqlite3_column_bytes(select.get(), 0)));
  }

 private:
  // Everyone, or the one person called `name`.
  Result<std::vector<UserAccount>> read_users(const std::optional<std::string_view>& name) {
    const char* step = "reading people";
    std::lock_guard lock(mutex_);
    Statement select(database_, name ? "SELECT name, role, branch, password_hash FROM users WHERE name = ?"
                                     : "SELECT name, role, branch, password_hash FROM users ORDER BY name");
    if (!select) return sqlite::error(database_, step);
    if (name) select.bind_text(1, *name);
    std::vector<UserAccount> found;
    int status = SQLITE_ROW;
    while ((status = sqlite3_step(select.get())) == SQLITE_ROW) {
      UserAccount user{std::string(select.column_text(0)), parse_role(select.column_text(1)).value_or(Role::viewer),
                       std::nullopt, std::string(select.column_text(3))};
      if (sqlite3_column_type(select.get(), 2) != SQLITE_NULL) user.branch = std::string(select.column_text(2));
      found.push_back(std::move(user));
    }
    if (status != SQLITE_DONE) return sqlite::error(database_, step);
    return found;
  }

  std::mutex mutex_;
  sqlite3* database_ = nullptr;
};

}  // namespace

uint64_t DeviceCompleteness::unexplained() const {
  const uint64_t accounted = received + dropped_over_cap + dropped_ring_full + rejected;
  return expected > accounted ? expected - accounted : 0;
}

bool is_exhibit_event(std::string_view type) {
  constexpr std::array<std::string_view, 12> exhibit_types{"exhibit_open", "exhibit_close", "page_turn",     "zoom",
                                                           "poem_play",    "poem_complete", "poem_abort",    "hotspot_open",
                                                           "gaze_dwell",   "opening_dwell", "book_close",    "zoom_reached"};
  return std::ranges::find(exhibit_types, type) != exhibit_types.end();
}

Result<std::unique_ptr<Store>> open_sqlite_store(const std::string& file) {
  const std::string step = fmt::format("opening the hub database {}", file);
  PV_TRY_ASSIGN(sqlite3* database, sqlite::open_durable(file, step));
  // The store owns the handle from here, also when migrating fails. Every commit is on disk
  // before the batch is acknowledged, and the kiosk deletes what was acknowledged.
  auto store = std::make_unique<SqliteStore>(database);
  // A batch dirties pages all over the rollup, and the same pages again a few batches later:
  // copying the WAL into the file every 40 MB instead of every 4 (SQLite's default) writes each
  // such page there once for many batches (about a fifth fewer bytes written at ingest).
  PV_TRY(sqlite::execute(database, "PRAGMA wal_autocheckpoint = 10000", step));
  static const std::vector<std::string> migrations = schema_migrations(SchemaBackend::sqlite);
  PV_TRY(sqlite::migrate(database, migrations, step));
  return std::unique_ptr<Store>(std::move(store));
}

Result<std::unique_ptr<Store>> open_store(const std::string& database) {
  if (database.starts_with("postgresql://") || database.starts_with("postgres://")) {
    return open_postgres_store(database, 4);
  }
  return open_sqlite_store(database);
}

}  // namespace pavilion::hub

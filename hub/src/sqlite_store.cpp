// The embedded backend: one SQLite file in WAL mode, one connection behind a mutex (SQLite
// writes one transaction at a time anyway; a kiosk fleet's batches are small).
#include "pavilion/hub/store.h"

#include "pavilion/sqlite/database.h"
#include "schema.h"

#include <fmt/format.h>
#include <sqlite3.h>

#include <algorithm>
#include <array>
#include <mutex>

namespace pavilion::hub {
namespace {

using sqlite::Statement;


constexpr int64_t hour_ms = 3'600'000;

int64_t hour_of(int64_t milliseconds) { return milliseconds - (((milliseconds % hour_ms) + hour_ms) % hour_ms); }

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

  Result<void> enrol(std::string_view device_id, std::string_view token_hash, int64_t now_ms) override {
    std::lock_guard lock(mutex_);
    Statement upsert(database_,
                     "INSERT INTO devices VALUES (?, ?, ?) "
                     "ON CONFLICT (device_id) DO UPDATE SET token_hash = excluded.token_hash, enrolled_ms = excluded.enrolled_ms");
    if (!upsert) return sqlite::error(database_, "enrolling a device");
    upsert.bind_text(1, device_id);
    upsert.bind_text(2, token_hash);
    sqlite3_bind_int64(upsert.get(), 3, now_ms);
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
                      "INSERT INTO hourly_counts VALUES (?, ?, ?, ?, 1) "
                      "ON CONFLICT DO UPDATE SET events = events + 1");
      Statement progress(database_,
                         "INSERT INTO device_progress VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (device_id) DO UPDATE SET "
                         "received = received + ?2, highest_sequence = max(highest_sequence, ?3), "
                         "dropped_over_cap = max(dropped_over_cap, ?4), dropped_ring_full = max(dropped_ring_full, ?5), "
                         "last_seen_ms = max(last_seen_ms, ?6)");
      Statement refused(database_, "INSERT INTO rejected_sequences VALUES (?, ?) ON CONFLICT DO NOTHING");
      if (!insert || !count || !progress || !refused) return sqlite::error(database_, step);
      for (const uint64_t sequence : batch.rejected_sequences) {
        refused.bind_text(1, batch.device_id);
        sqlite3_bind_int64(refused.get(), 2, static_cast<sqlite3_int64>(sequence));
        if (sqlite3_step(refused.get()) != SQLITE_DONE) return sqlite::error(database_, step);
        sqlite3_reset(refused.get());
      }
      int64_t highest = -1;
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
        highest = std::max(highest, static_cast<int64_t>(event.sequence));
        sqlite3_bind_int64(count.get(), 1, hour_of(event.corrected_ms));
        count.bind_text(2, event.package_id);
        count.bind_text(3, event.exhibit);
        count.bind_text(4, event.type);
        if (sqlite3_step(count.get()) != SQLITE_DONE) return sqlite::error(database_, step);
        sqlite3_reset(count.get());
      }
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
    PV_TRY(sqlite::execute(database_, "PRAGMA incremental_vacuum; PRAGMA wal_checkpoint(TRUNCATE);", step));
    return removed;
  }

 private:
  std::mutex mutex_;
  sqlite3* database_ = nullptr;
};

}  // namespace

uint64_t DeviceCompleteness::unexplained() const {
  const uint64_t accounted = received + dropped_over_cap + dropped_ring_full + rejected;
  return expected > accounted ? expected - accounted : 0;
}

bool is_exhibit_event(std::string_view type) {
  constexpr std::array<std::string_view, 9> exhibit_types{"exhibit_open", "exhibit_close", "page_turn",
                                                          "zoom",         "poem_play",     "poem_complete",
                                                          "poem_abort",   "hotspot_open",  "gaze_dwell"};
  return std::ranges::find(exhibit_types, type) != exhibit_types.end();
}

Result<std::unique_ptr<Store>> open_sqlite_store(const std::string& file) {
  const std::string step = fmt::format("opening the hub database {}", file);
  PV_TRY_ASSIGN(sqlite3* database, sqlite::open_durable(file, step));
  // The store owns the handle from here, also when migrating fails. Every commit is on disk
  // before the batch is acknowledged, and the kiosk deletes what was acknowledged.
  auto store = std::make_unique<SqliteStore>(database);
  static const std::vector<std::string> migrations = schema_migrations("INTEGER");
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

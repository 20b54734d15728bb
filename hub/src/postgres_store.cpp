// The scale backend: PostgreSQL through libpq, for deployments where several hub processes share
// one database. A batch is one statement (the events travel as one JSON parameter), so a batch
// costs one round trip; deduplication is the primary key's ON CONFLICT DO NOTHING, which is safe
// between processes. Migrations take an advisory lock, so hub processes starting together
// migrate once.
#include "pavilion/hub/store.h"

#include "dashboard/visit_rollup.h"
#include "fleet_rows.h"
#include "pavilion/telemetry/event.h"
#include "pavilion/telemetry/wire.h"
#include "postgres_partitions.h"
#include "postgres_query.h"
#include "relay_outbox.h"
#include "schema.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <libpq-fe.h>
#include <nlohmann/json.hpp>

#include <array>
#include <charconv>
#include <initializer_list>
#include <condition_variable>
#include <mutex>
#include <unordered_map>
#include <unordered_set>
#include <variant>

namespace pavilion::hub {
namespace {


std::string json_array_of(std::span<const StoredEvent> events) {
  std::string out = "[";
  for (const StoredEvent& event : events) {
    if (out.size() > 1) out.push_back(',');
    fmt::format_to(std::back_inserter(out), R"({{"id":"{}","sequence":{},"created_ms":{},"corrected_ms":{},"value":{},"type":)",
                   event.id, event.sequence, event.created_ms, event.corrected_ms, event.value);
    telemetry::append_json_string(out, event.type);
    for (const auto& [name, text] : {std::pair{"session", &event.session}, {"package_id", &event.package_id},
                                     {"package_version", &event.package_version}, {"subject", &event.subject},
                                     {"exhibit", &event.exhibit}}) {
      fmt::format_to(std::back_inserter(out), R"(,"{}":)", name);
      telemetry::append_json_string(out, *text);
    }
    out.push_back('}');
  }
  out.push_back(']');
  return out;
}

// One statement per batch. Data-modifying WITH clauses all run to completion, and only the rows
// really inserted (not the duplicates) reach the hourly counts and the device's progress.
constexpr const char* ingest_sql = R"(
  WITH incoming AS (
    SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(id text, sequence bigint, created_ms bigint, corrected_ms bigint,
      value bigint, type text, session text, package_id text, package_version text, subject text, exhibit text)),
  inserted AS (
    INSERT INTO events (id, device_id, sequence, created_ms, corrected_ms, received_ms, type, session, package_id,
                        package_version, subject, value)
    SELECT id, $2, sequence, created_ms, corrected_ms, $3::bigint, type, session, package_id, package_version, subject, value
    FROM incoming ON CONFLICT (id) DO NOTHING
    RETURNING id, sequence, corrected_ms, package_id, type),
  counted AS (
    -- In key order, as the rollup's rows: batches of two devices at once lock the same hours in
    -- the same order, and cannot deadlock.
    INSERT INTO hourly_counts (hour_ms, package_id, exhibit, type, events)
    SELECT inserted.corrected_ms - mod(mod(inserted.corrected_ms, 3600000) + 3600000, 3600000), inserted.package_id,
           incoming.exhibit, inserted.type, count(*)
    FROM inserted JOIN incoming USING (id) GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
    ON CONFLICT (hour_ms, package_id, exhibit, type) DO UPDATE SET events = hourly_counts.events + EXCLUDED.events),
  queued AS (
    -- A branch hub's outbox (schema step 7): what its upstream hub has not acknowledged yet.
    INSERT INTO relay_outbox (event_id, device_id, received_ms) SELECT id, $2, $3::bigint FROM inserted WHERE $7::boolean),
  refused AS (
    INSERT INTO rejected_sequences SELECT $2, value::bigint FROM jsonb_array_elements_text($6::jsonb)
    ON CONFLICT DO NOTHING),
  progressed AS (
    INSERT INTO device_progress
    SELECT $2, count(*), coalesce(max(sequence), -1), $4::bigint, $5::bigint, $3::bigint FROM inserted
    ON CONFLICT (device_id) DO UPDATE SET
      received = device_progress.received + EXCLUDED.received,
      highest_sequence = greatest(device_progress.highest_sequence, EXCLUDED.highest_sequence),
      dropped_over_cap = greatest(device_progress.dropped_over_cap, EXCLUDED.dropped_over_cap),
      dropped_ring_full = greatest(device_progress.dropped_ring_full, EXCLUDED.dropped_ring_full),
      last_seen_ms = greatest(device_progress.last_seen_ms, EXCLUDED.last_seen_ms))
  SELECT (SELECT count(*) FROM inserted), (SELECT coalesce(json_agg(id), '[]') FROM inserted),
    (SELECT coalesce(json_object_agg(session, state), '{}') FROM visits
     WHERE session IN (SELECT DISTINCT session FROM incoming)),
    (SELECT branch FROM devices WHERE device_id = $2), (SELECT simulated <> 0 FROM devices WHERE device_id = $2))";

// The dashboard's visits and rollup (dashboard/visit_rollup.h), in the batch's transaction after
// ingest_sql: the new states of the touched visits, and the amounts to add. Keys are taken in
// order, so concurrent batches lock rollup rows in the same order.
constexpr const char* visits_sql = R"(
  WITH visited AS (
    INSERT INTO visits (session, device_id, first_ms, state)
    SELECT session, device_id, first_ms, state
    FROM jsonb_to_recordset($1::jsonb) AS v(session text, device_id text, first_ms bigint, state text)
    ON CONFLICT (session) DO UPDATE SET first_ms = EXCLUDED.first_ms, state = EXCLUDED.state)
  INSERT INTO visit_rollup AS r (measure, branch, package_id, day, exhibit, bucket, amount)
  SELECT m, b, p, d, e, k, a
  FROM jsonb_to_recordset($2::jsonb) AS x(m text, b text, p text, d bigint, e text, k bigint, a bigint)
  ORDER BY m, b, p, d, e, k
  ON CONFLICT (measure, branch, package_id, day, exhibit, bucket) DO UPDATE SET amount = r.amount + EXCLUDED.amount)";

std::string visits_json(const VisitUpdate& update) {
  std::string out = "[";
  for (const StoredVisit& visit : update.visits) {
    if (out.size() > 1) out.push_back(',');
    out += R"({"session":)";
    telemetry::append_json_string(out, visit.session);
    out += R"(,"device_id":)";
    telemetry::append_json_string(out, visit.device_id);
    fmt::format_to(std::back_inserter(out), R"(,"first_ms":{},"state":)", visit.first_ms);
    telemetry::append_json_string(out, visit.state);
    out.push_back('}');
  }
  out.push_back(']');
  return out;
}

std::string rollup_json(const VisitUpdate& update) {
  std::string out = "[";
  for (const RollupRow& row : update.rollup) {
    if (out.size() > 1) out.push_back(',');
    out += R"({"m":)";
    telemetry::append_json_string(out, row.measure);
    out += R"(,"b":)";
    telemetry::append_json_string(out, row.branch);
    out += R"(,"p":)";
    telemetry::append_json_string(out, row.package_id);
    out += R"(,"e":)";
    telemetry::append_json_string(out, row.exhibit);
    fmt::format_to(std::back_inserter(out), R"(,"d":{},"k":{},"a":{}}})", row.day, row.bucket, row.amount);
  }
  out.push_back(']');
  return out;
}

// Runs `sql` with a text name ($1) and bytes ($2, sent in binary: bytea as it is); the result in
// text.
Result<QueryResult> with_bytes(PGconn* connection, const char* sql, const std::string& name, const std::string& bytes,
                               std::string_view what, ExecStatusType expected = PGRES_TUPLES_OK) {
  const char* values[] = {name.c_str(), bytes.data()};
  const int lengths[] = {0, static_cast<int>(bytes.size())};
  const int formats[] = {0, 1};
  QueryResult result(PQexecParams(connection, sql, 2, nullptr, values, lengths, formats, 0));
  if (result.status() != expected) return postgres_error(connection, std::string(what));
  return result;
}

class PostgresStore final : public Store {
 public:
  explicit PostgresStore(std::vector<PGconn*> connections) : idle_(std::move(connections)), all_(idle_) {}
  ~PostgresStore() override {
    for (PGconn* connection : all_) PQfinish(connection);
  }

  std::string_view backend() const override { return "postgresql"; }

  // A connection for one call; one that broke (a restarted server) is reset before use.
  class Lease {
   public:
    explicit Lease(PostgresStore& store) : store_(store) {
      std::unique_lock lock(store_.mutex_);
      store_.returned_.wait(lock, [&] { return !store_.idle_.empty(); });
      connection_ = store_.idle_.back();
      store_.idle_.pop_back();
      lock.unlock();
      if (PQstatus(connection_) != CONNECTION_OK) PQreset(connection_);
    }
    ~Lease() {
      {
        std::lock_guard lock(store_.mutex_);
        store_.idle_.push_back(connection_);
      }
      store_.returned_.notify_one();
    }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    PGconn* get() const { return connection_; }

   private:
    PostgresStore& store_;
    PGconn* connection_ = nullptr;
  };

  Result<void> check() override {
    Lease connection(*this);
    PV_TRY(query(connection.get(), "SELECT 1", {}, "checking the hub's database"));
    return {};
  }

  Result<void> enrol(std::string_view device_id, std::string_view token_hash, int64_t now_ms,
                     const EnrolOptions& options) override {
    Lease connection(*this);
    PV_TRY(query(connection.get(),
                 "INSERT INTO devices (device_id, token_hash, enrolled_ms, branch, simulated) VALUES ($1, $2, $3, $4, $5) "
                 "ON CONFLICT (device_id) DO UPDATE SET token_hash = EXCLUDED.token_hash, enrolled_ms = EXCLUDED.enrolled_ms, "
                 "branch = EXCLUDED.branch, simulated = EXCLUDED.simulated",
                 {std::string(device_id), std::string(token_hash), std::to_string(now_ms), options.branch,
                  options.simulated ? "1" : "0"},
                 fmt::format("enrolling {}", device_id), PGRES_COMMAND_OK));
    return {};
  }

  Result<std::optional<std::string>> device_for_token(std::string_view token_hash) override {
    Lease connection(*this);
    PV_TRY_ASSIGN(const QueryResult found, query(connection.get(), "SELECT device_id FROM devices WHERE token_hash = $1",
                                                 {std::string(token_hash)}, "looking up a device token"));
    if (found.rows() == 0) return std::optional<std::string>();
    return std::optional<std::string>(std::string(found.text(0, 0)));
  }

  Result<IngestCounts> ingest(const DeviceBatch& batch, std::span<const StoredEvent> events) override {
    const std::string step = fmt::format("storing a batch from {}", batch.device_id);
    Lease connection(*this);
    PGconn* link = connection.get();
    PV_TRY(partitions_.prepare(link, events, batch.received_ms));
    // Batches of one device one at a time (across hub processes too), so a visit's state is
    // read and written by one transaction at a time.
    char* device = PQescapeLiteral(link, batch.device_id.data(), batch.device_id.size());
    if (device == nullptr) return postgres_error(link, step);
    const std::string begin = fmt::format("BEGIN; SELECT pg_advisory_xact_lock(hashtext({}))", device);
    PQfreemem(device);
    {
      const QueryResult locked(PQexec(link, begin.c_str()));
      if (locked.status() != PGRES_TUPLES_OK) {
        static_cast<void>(command(link, "ROLLBACK", step));
        return postgres_error(link, step);
      }
    }
    IngestCounts counts;
    auto body = [&]() -> Result<void> {
      PV_TRY_ASSIGN(const QueryResult inserted,
                    query(link, ingest_sql,
                          {json_array_of(events), batch.device_id, std::to_string(batch.received_ms),
                           std::to_string(batch.dropped_over_cap), std::to_string(batch.dropped_ring_full),
                           fmt::format("[{}]", fmt::join(batch.rejected_sequences, ",")), batch.forward ? "true" : "false"},
                          step));
      counts.stored = static_cast<uint64_t>(inserted.integer(0, 0));
      counts.duplicates = events.size() - counts.stored;
      if (counts.stored == 0) return {};
      const auto ids = nlohmann::json::parse(inserted.text(0, 1), nullptr, false);
      const auto states = nlohmann::json::parse(inserted.text(0, 2), nullptr, false);
      std::unordered_set<std::string> new_ids;
      for (const auto& id : ids) new_ids.insert(id.get<std::string>());
      std::vector<const StoredEvent*> stored;
      for (const StoredEvent& event : events) {
        // erase: an id twice in one batch is stored once.
        if (new_ids.erase(event.id) == 1) stored.push_back(&event);
      }
      std::unordered_map<std::string, std::string> old_states;
      for (const auto& [session, state] : states.items()) old_states.emplace(session, state.get<std::string>());
      const VisitUpdate update =
          plan_visit_update(stored, batch.device_id, std::string(inserted.is_null(0, 3) ? "" : inserted.text(0, 3)),
                            !inserted.is_null(0, 4) && inserted.text(0, 4) == std::string_view("t"), old_states);
      if (update.visits.empty() && update.rollup.empty()) return {};
      PV_TRY(query(link, visits_sql, {visits_json(update), rollup_json(update)}, step, PGRES_COMMAND_OK));
      return {};
    };
    if (auto done = body(); !done) {
      static_cast<void>(command(link, "ROLLBACK", step));
      return std::move(done).error();
    }
    PV_TRY(command(link, "COMMIT", step));
    return counts;
  }

  Result<std::vector<HourlyCount>> hourly(int64_t from_ms, int64_t to_ms) override {
    Lease connection(*this);
    PV_TRY_ASSIGN(const QueryResult found,
                  query(connection.get(),
                        "SELECT hour_ms, package_id, exhibit, type, events FROM hourly_counts WHERE hour_ms >= $1 AND "
                        "hour_ms < $2 ORDER BY hour_ms, package_id, exhibit, type",
                        {std::to_string(from_ms), std::to_string(to_ms)}, "reading hourly counts"));
    std::vector<HourlyCount> rows;
    for (int row = 0; row < found.rows(); ++row) {
      rows.push_back({found.integer(row, 0), std::string(found.text(row, 1)), std::string(found.text(row, 2)),
                      std::string(found.text(row, 3)), static_cast<uint64_t>(found.integer(row, 4))});
    }
    return rows;
  }

  Result<std::vector<DeviceCompleteness>> completeness() override {
    const char* step = "reading the completeness report";
    Lease connection(*this);
    PV_TRY_ASSIGN(const QueryResult devices,
                  query(connection.get(),
                        "SELECT device_id, received, highest_sequence, dropped_over_cap, dropped_ring_full, "
                        "(SELECT count(*) FROM rejected_sequences r WHERE r.device_id = p.device_id), last_seen_ms, (SELECT count(*) FROM events WHERE events.device_id = p.device_id), "
                        "(SELECT min(sequence) FROM events WHERE events.device_id = p.device_id) "
                        "FROM device_progress p ORDER BY device_id",
                        {}, step));
    std::vector<DeviceCompleteness> report;
    for (int row = 0; row < devices.rows(); ++row) {
      DeviceCompleteness device;
      device.device_id = std::string(devices.text(row, 0));
      device.received = static_cast<uint64_t>(devices.integer(row, 1));
      device.expected = static_cast<uint64_t>(devices.integer(row, 2) + 1);
      device.dropped_over_cap = static_cast<uint64_t>(devices.integer(row, 3));
      device.dropped_ring_full = static_cast<uint64_t>(devices.integer(row, 4));
      device.rejected = static_cast<uint64_t>(devices.integer(row, 5));
      device.last_seen_ms = devices.integer(row, 6);
      const auto held = static_cast<uint64_t>(devices.integer(row, 7));
      if (held == device.received && !devices.is_null(row, 8) && devices.integer(row, 8) > 0) {
        device.gaps.emplace_back(0, static_cast<uint64_t>(devices.integer(row, 8) - 1));
      }
      PV_TRY_ASSIGN(const QueryResult gaps,
                    query(connection.get(),
                          "SELECT sequence + 1, next - 1 FROM (SELECT sequence, lead(sequence) OVER (ORDER BY sequence) "
                          "AS next FROM events WHERE device_id = $1) AS s WHERE next > sequence + 1 ORDER BY sequence "
                          "LIMIT 100",
                          {device.device_id}, step));
      for (int gap = 0; gap < gaps.rows() && device.gaps.size() < 100; ++gap) {
        device.gaps.emplace_back(static_cast<uint64_t>(gaps.integer(gap, 0)), static_cast<uint64_t>(gaps.integer(gap, 1)));
      }
      report.push_back(std::move(device));
    }
    return report;
  }

  Result<uint64_t> expire_raw_events(int64_t before_ms) override {
    Lease connection(*this);
    // Run hourly by serve, so next months' partitions are made in time.
    PV_TRY(partitions_.make_ahead(connection.get(), telemetry::system_clock_ms()));
    PV_TRY_ASSIGN(const uint64_t dropped, partitions_.drop_expired(connection.get(), before_ms));
    PV_TRY_ASSIGN(const QueryResult removed,
                  query(connection.get(),
                        "WITH forgotten AS (DELETE FROM visits WHERE first_ms < $1), "
                        "unqueued AS (DELETE FROM relay_outbox WHERE received_ms < $1) "
                        "DELETE FROM events WHERE received_ms < $1",
                        {std::to_string(before_ms)}, "removing raw events past their retention", PGRES_COMMAND_OK));
    return dropped + static_cast<uint64_t>(std::stoull(PQcmdTuples(removed.get())));
  }

  Result<std::vector<RollupRow>> rollup(const RollupQuery& query) override {
    const RollupSql sql = rollup_sql(query, SqlDialect::postgresql);
    std::vector<std::string> texts;
    for (const auto& parameter : sql.parameters) {
      texts.push_back(std::holds_alternative<std::string>(parameter) ? std::get<std::string>(parameter)
                                                                    : std::to_string(std::get<int64_t>(parameter)));
    }
    std::vector<const char*> values;
    for (const std::string& text : texts) values.push_back(text.c_str());
    Lease connection(*this);
    const QueryResult found(PQexecParams(connection.get(), sql.sql.c_str(), static_cast<int>(values.size()), nullptr,
                                         values.data(), nullptr, nullptr, 0));
    if (found.status() != PGRES_TUPLES_OK) return postgres_error(connection.get(), "reading the dashboard's aggregates");
    std::vector<RollupRow> rows;
    rows.reserve(static_cast<size_t>(found.rows()));
    for (int row = 0; row < found.rows(); ++row) {
      rows.push_back({std::string(found.text(row, 0)), std::string(found.text(row, 1)), std::string(found.text(row, 2)),
                      found.integer(row, 3), std::string(found.text(row, 4)), found.integer(row, 5), found.integer(row, 6)});
    }
    return rows;
  }

  Result<std::vector<DeviceSummary>> device_summaries() override {
    Lease connection(*this);
    PV_TRY_ASSIGN(const QueryResult found,
                  query(connection.get(),
                        "SELECT d.device_id, d.branch, d.simulated, coalesce(p.received, 0), coalesce(p.highest_sequence, -1), "
                        "coalesce(p.dropped_over_cap, 0), coalesce(p.dropped_ring_full, 0), "
                        "(SELECT count(*) FROM rejected_sequences r WHERE r.device_id = d.device_id), "
                        "coalesce(p.last_seen_ms, 0) FROM devices d LEFT JOIN device_progress p USING (device_id) "
                        "ORDER BY d.device_id",
                        {}, "reading the devices"));
    std::vector<DeviceSummary> devices;
    for (int row = 0; row < found.rows(); ++row) {
      devices.push_back({std::string(found.text(row, 0)), std::string(found.text(row, 1)), found.integer(row, 2) != 0,
                         static_cast<uint64_t>(found.integer(row, 3)), static_cast<uint64_t>(found.integer(row, 4) + 1),
                         static_cast<uint64_t>(found.integer(row, 5)), static_cast<uint64_t>(found.integer(row, 6)),
                         static_cast<uint64_t>(found.integer(row, 7)), found.integer(row, 8)});
    }
    return devices;
  }

  // The fleet (fleet_rows.h).
  Result<void> put_device_status(std::string_view device_id, int64_t received_ms,
                                 const telemetry::UpdateStatus& status) override {
    const std::string step = fmt::format("storing {}'s update status", device_id);
    const std::string device(device_id);
    Lease connection(*this);
    PGconn* link = connection.get();
    PV_TRY(command(link, "BEGIN", step));
    auto body = [&]() -> Result<void> {
      // One status of a device at a time, across hub processes too, so each reads the since
      // times the one before it wrote.
      PV_TRY(query(link, "SELECT pg_advisory_xact_lock(hashtext('device_status ' || $1))", {device}, step));
      PV_TRY_ASSIGN(const QueryResult known,
                    query(link, "DELETE FROM device_packages WHERE device_id = $1 RETURNING package_id, version, state, since_ms",
                          {device}, step));
      std::vector<KnownPackage> before;
      for (int row = 0; row < known.rows(); ++row) {
        before.push_back({std::string(known.text(row, 0)), std::string(known.text(row, 1)),
                          std::string(known.text(row, 2)), known.integer(row, 3)});
      }
      const std::vector<int64_t> since = package_since(before, status, received_ms);
      nlohmann::json rows = nlohmann::json::array();
      for (size_t index = 0; index < status.packages.size(); ++index) {
        const telemetry::PackageStatus& package = status.packages[index];
        rows.push_back({{"position", index}, {"id", package.id}, {"version", package.version}, {"state", package.state},
                        {"detail", package.detail}, {"since", since[index]}});
      }
      PV_TRY(query(link,
                   "INSERT INTO device_packages SELECT $1, position, id, version, state, detail, since FROM "
                   "jsonb_to_recordset($2::jsonb) AS x(position bigint, id text, version text, state text, detail text, since bigint)",
                   {device, rows.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)}, step, PGRES_COMMAND_OK));
      PV_TRY(query(link, "DELETE FROM device_status WHERE device_id = $1", {device}, step, PGRES_COMMAND_OK));
      PV_TRY(query(link, "INSERT INTO device_status VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
                   {device, std::to_string(received_ms), std::to_string(status.root_version),
                    std::to_string(status.timestamp_version), std::to_string(status.snapshot_version),
                    std::to_string(status.targets_version), std::to_string(status.disk_used),
                    std::to_string(status.disk_budget), std::to_string(status.disk_free),
                    std::to_string(status.last_check_ms), status.last_result, status.last_error.zh_cn,
                    status.last_error.en},
                   step, PGRES_COMMAND_OK));
      return {};
    };
    if (auto done = body(); !done) {
      static_cast<void>(command(link, "ROLLBACK", step));
      return std::move(done).error();
    }
    PV_TRY(command(link, "COMMIT", step));
    return {};
  }

  Result<std::vector<FleetKiosk>> fleet() override {
    const char* step = "reading the fleet";
    Lease connection(*this);
    PV_TRY_ASSIGN(const QueryResult kiosks, query(connection.get(), fleet_kiosks_sql, {}, step));
    PV_TRY_ASSIGN(const QueryResult packages, query(connection.get(), fleet_packages_sql, {}, step));
    std::vector<FleetKiosk> fleet;
    std::unordered_map<std::string, size_t> by_id;
    for (int row = 0; row < kiosks.rows(); ++row) {
      FleetKiosk& kiosk = fleet.emplace_back();
      kiosk.device_id = kiosks.text(row, 0);
      kiosk.branch = kiosks.text(row, 1);
      kiosk.last_seen_ms = kiosks.integer(row, 2);
      kiosk.reported_ms = kiosks.integer(row, 3);
      by_id.emplace(kiosk.device_id, fleet.size() - 1);
      if (kiosk.reported_ms == 0) continue;
      telemetry::UpdateStatus& update = kiosk.status;
      for (const auto& [column, into] : {std::pair{4, &update.root_version}, {5, &update.timestamp_version},
                                         {6, &update.snapshot_version}, {7, &update.targets_version},
                                         {8, &update.disk_used}, {9, &update.disk_budget}, {10, &update.disk_free}}) {
        *into = static_cast<uint64_t>(kiosks.integer(row, column));
      }
      update.last_check_ms = kiosks.integer(row, 11);
      update.last_result = kiosks.text(row, 12);
      update.last_error = {std::string(kiosks.text(row, 13)), std::string(kiosks.text(row, 14))};
    }
    for (int row = 0; row < packages.rows(); ++row) {
      const auto kiosk = by_id.find(std::string(packages.text(row, 0)));
      if (kiosk == by_id.end()) continue;  // a simulated device's (none send statuses)
      FleetKiosk& into = fleet[kiosk->second];
      into.status.packages.push_back({std::string(packages.text(row, 1)), std::string(packages.text(row, 2)),
                                      std::string(packages.text(row, 3)), std::string(packages.text(row, 4))});
      into.since_ms.push_back(packages.integer(row, 5));
    }
    return fleet;
  }

  Result<std::vector<std::string>> rollup_packages() override {
    Lease connection(*this);
    PV_TRY_ASSIGN(const QueryResult found, query(connection.get(), rollup_packages_sql, {}, "reading the packages with visitors"));
    std::vector<std::string> packages;
    for (int row = 0; row < found.rows(); ++row) packages.emplace_back(found.text(row, 0));
    return packages;
  }

  Result<std::optional<std::pair<int64_t, int64_t>>> rollup_days() override {
    Lease connection(*this);
    PV_TRY_ASSIGN(const QueryResult found, query(connection.get(), rollup_days_sql, {}, "reading the days with visitors"));
    if (found.is_null(0, 0)) return std::optional<std::pair<int64_t, int64_t>>();
    return std::optional<std::pair<int64_t, int64_t>>(std::pair{found.integer(0, 0), found.integer(0, 1)});
  }

  // Branch hubs.
  Result<void> enrol_relay(std::string_view relay_id, std::string_view token_hash, int64_t now_ms,
                           std::string_view branch) override {
    Lease connection(*this);
    PV_TRY(query(connection.get(),
                 "INSERT INTO relays VALUES ($1, $2, $3, $4::bigint) ON CONFLICT (relay_id) DO UPDATE SET "
                 "token_hash = EXCLUDED.token_hash, branch = EXCLUDED.branch, enrolled_ms = EXCLUDED.enrolled_ms",
                 {std::string(relay_id), std::string(token_hash), std::string(branch), std::to_string(now_ms)},
                 fmt::format("enrolling the relay {}", relay_id), PGRES_COMMAND_OK));
    return {};
  }

  Result<std::optional<RelayIdentity>> relay_for_token(std::string_view token_hash) override {
    Lease connection(*this);
    PV_TRY_ASSIGN(const QueryResult found, query(connection.get(), "SELECT relay_id, branch FROM relays WHERE token_hash = $1",
                                                 {std::string(token_hash)}, "looking up a relay token"));
    if (found.rows() == 0) return std::optional<RelayIdentity>();
    return std::optional<RelayIdentity>(RelayIdentity{std::string(found.text(0, 0)), std::string(found.text(0, 1))});
  }

  Result<std::string> adopt_relayed_device(std::string_view device_id, std::string_view branch, int64_t now_ms) override {
    Lease connection(*this);
    // One statement: the row inserted, or the one already there (another hub process's too).
    PV_TRY_ASSIGN(const QueryResult found,
                  query(connection.get(),
                        "WITH added AS (INSERT INTO devices (device_id, token_hash, enrolled_ms, branch) "
                        "VALUES ($1, $2, $3::bigint, $4) ON CONFLICT (device_id) DO NOTHING RETURNING branch) "
                        "SELECT branch FROM added UNION ALL SELECT branch FROM devices WHERE device_id = $1",
                        {std::string(device_id), relayed_token_hash(device_id), std::to_string(now_ms), std::string(branch)},
                        fmt::format("enrolling the relayed device {}", device_id)));
    if (found.rows() == 0) {
      return Error(ErrorCode::internal, fmt::format("enrolling the relayed device {}", device_id), "the device was not found after enrolling it");
    }
    return std::string(found.text(0, 0));
  }

  Result<std::vector<ForwardBatch>> events_to_forward(size_t max_events) override {
    const char* step = "reading the events to forward upstream";
    Lease connection(*this);
    PV_TRY_ASSIGN(const QueryResult found,
                  query(connection.get(),
                        "SELECT e.id, e.sequence, e.created_ms, e.corrected_ms, e.type, e.session, e.package_id, "
                        "e.package_version, e.subject, e.value, o.device_id FROM relay_outbox o JOIN events e ON e.id = o.event_id "
                        "ORDER BY o.received_ms, o.event_id LIMIT $1::bigint",
                        {std::to_string(max_events)}, step));
    std::vector<ForwardBatch> batches;
    for (int row = 0; row < found.rows(); ++row) {
      StoredEvent event{std::string(found.text(row, 0)), static_cast<uint64_t>(found.integer(row, 1)), found.integer(row, 2),
                        found.integer(row, 3), std::string(found.text(row, 4)), std::string(found.text(row, 5)),
                        std::string(found.text(row, 6)), std::string(found.text(row, 7)), std::string(found.text(row, 8)),
                        {}, found.integer(row, 9)};
      batch_for(batches, found.text(row, 10)).events.push_back(std::move(event));
    }
    for (ForwardBatch& batch : batches) {
      PV_TRY_ASSIGN(const QueryResult device,
                    query(connection.get(),
                          "SELECT p.dropped_over_cap, p.dropped_ring_full, (SELECT coalesce(json_agg(sequence ORDER BY sequence), "
                          "'[]') FROM rejected_sequences r WHERE r.device_id = $1) FROM (SELECT $1::text AS device_id) AS d "
                          "LEFT JOIN device_progress p USING (device_id)",
                          {batch.device.device_id}, step));
      if (!device.is_null(0, 0)) {
        batch.device.dropped_over_cap = static_cast<uint64_t>(device.integer(0, 0));
        batch.device.dropped_ring_full = static_cast<uint64_t>(device.integer(0, 1));
      }
      for (const auto& sequence : nlohmann::json::parse(device.text(0, 2), nullptr, false)) {
        if (sequence.is_number_unsigned()) batch.device.rejected_sequences.push_back(sequence.get<uint64_t>());
      }
    }
    return batches;
  }

  Result<void> forwarded(std::span<const std::string> event_ids) override {
    Lease connection(*this);
    std::string ids = "[";
    for (const std::string& id : event_ids) {
      if (ids.size() > 1) ids.push_back(',');
      telemetry::append_json_string(ids, id);
    }
    ids.push_back(']');
    PV_TRY(query(connection.get(), "DELETE FROM relay_outbox WHERE event_id IN (SELECT jsonb_array_elements_text($1::jsonb))",
                 {ids}, "recording events forwarded upstream", PGRES_COMMAND_OK));
    return {};
  }

  // People (accounts.h).
  Result<bool> add_user(const UserAccount& user) override {
    Lease connection(*this);
    // libpq's text parameters cannot say NULL through `query`, so an empty branch is written as NULL here.
    PV_TRY_ASSIGN(const QueryResult inserted,
                  query(connection.get(),
                        "INSERT INTO users VALUES ($1, $2, NULLIF($3, ''), $4) ON CONFLICT (name) DO NOTHING",
                        {user.name, std::string(role_name(user.role)), user.branch.value_or(""), user.password_hash},
                        fmt::format("adding {}", user.name), PGRES_COMMAND_OK));
    return std::string_view(PQcmdTuples(inserted.get())) == "1";
  }

  Result<std::optional<UserAccount>> user(std::string_view name) override {
    Lease connection(*this);
    PV_TRY_ASSIGN(const QueryResult found,
                  query(connection.get(), "SELECT name, role, branch, password_hash FROM users WHERE name = $1",
                        {std::string(name)}, "reading a person"));
    if (found.rows() == 0) return std::optional<UserAccount>();
    return std::optional<UserAccount>(user_at(found, 0));
  }

  Result<std::vector<UserAccount>> users() override {
    Lease connection(*this);
    PV_TRY_ASSIGN(const QueryResult found,
                  query(connection.get(), "SELECT name, role, branch, password_hash FROM users ORDER BY name", {},
                        "reading people"));
    std::vector<UserAccount> people;
    for (int row = 0; row < found.rows(); ++row) people.push_back(user_at(found, row));
    return people;
  }

  Result<bool> set_password(std::string_view name, std::string_view password_hash) override {
    Lease connection(*this);
    PV_TRY_ASSIGN(const QueryResult changed,
                  query(connection.get(),
                        "WITH ended AS (DELETE FROM web_sessions WHERE user_name = $1), "
                        "cleared AS (DELETE FROM sign_in_failures WHERE name = $1), "
                        "unlocked AS (DELETE FROM sign_in_locks WHERE name = $1) "
                        "UPDATE users SET password_hash = $2 WHERE name = $1",
                        {std::string(name), std::string(password_hash)}, fmt::format("changing {}'s password", name),
                        PGRES_COMMAND_OK));
    return std::string_view(PQcmdTuples(changed.get())) == "1";
  }

  Result<bool> remove_user(std::string_view name) override {
    Lease connection(*this);
    PV_TRY_ASSIGN(const QueryResult removed,
                  query(connection.get(),
                        "WITH ended AS (DELETE FROM web_sessions WHERE user_name = $1) DELETE FROM users WHERE name = $1",
                        {std::string(name)}, fmt::format("removing {}", name), PGRES_COMMAND_OK));
    return std::string_view(PQcmdTuples(removed.get())) == "1";
  }

  Result<int64_t> locked_until(std::string_view name, int64_t now_ms) override {
    Lease connection(*this);
    PV_TRY_ASSIGN(const QueryResult found,
                  query(connection.get(),
                        "SELECT locked_until_ms FROM sign_in_locks WHERE name = $1 AND locked_until_ms > $2::bigint",
                        {std::string(name), std::to_string(now_ms)}, "reading sign-in locks"));
    return found.rows() == 0 ? int64_t{0} : found.integer(0, 0);
  }

  Result<int64_t> count_sign_in_failure(std::string_view name, int64_t now_ms, const LockoutRule& rule) override {
    const char* step = "counting a failed sign-in";
    Lease connection(*this);
    // As SQLite's (sqlite_store.cpp). Each statement commits by itself: of failures arriving at
    // once, the last to count sees every one before it.
    PV_TRY(query(connection.get(),
                 "WITH forgotten AS (DELETE FROM sign_in_failures WHERE time_ms <= $2::bigint - $3::bigint), "
                 "unlocked AS (DELETE FROM sign_in_locks WHERE locked_until_ms <= $2::bigint) "
                 "INSERT INTO sign_in_failures VALUES ($1, $2::bigint)",
                 {std::string(name), std::to_string(now_ms), std::to_string(rule.window_ms)}, step, PGRES_COMMAND_OK));
    PV_TRY_ASSIGN(const QueryResult counted,
                  query(connection.get(), "SELECT count(*) FROM sign_in_failures WHERE name = $1 AND time_ms > $2::bigint",
                        {std::string(name), std::to_string(now_ms - rule.window_ms)}, step));
    if (counted.integer(0, 0) < rule.failures) return int64_t{0};
    const int64_t until = now_ms + rule.lock_ms;
    PV_TRY(query(connection.get(),
                 "WITH reset AS (DELETE FROM sign_in_failures WHERE name = $1) INSERT INTO sign_in_locks VALUES "
                 "($1, $2::bigint) ON CONFLICT (name) DO UPDATE SET locked_until_ms = EXCLUDED.locked_until_ms",
                 {std::string(name), std::to_string(until)}, step, PGRES_COMMAND_OK));
    return until;
  }

  Result<void> clear_sign_in_failures(std::string_view name) override {
    Lease connection(*this);
    PV_TRY(query(connection.get(), "DELETE FROM sign_in_failures WHERE name = $1", {std::string(name)},
                 "clearing sign-in failures", PGRES_COMMAND_OK));
    return {};
  }

  Result<void> add_web_session(const WebSession& session, int64_t now_ms) override {
    Lease connection(*this);
    PV_TRY(query(connection.get(),
                 "WITH expired AS (DELETE FROM web_sessions WHERE expires_ms <= $5::bigint) "
                 "INSERT INTO web_sessions VALUES ($1, $2, $3, $4::bigint)",
                 {session.token_hash, session.user, session.csrf_token, std::to_string(session.expires_ms),
                  std::to_string(now_ms)},
                 "starting a web session", PGRES_COMMAND_OK));
    return {};
  }

  Result<std::optional<WebSession>> web_session(std::string_view token_hash, int64_t now_ms) override {
    Lease connection(*this);
    PV_TRY_ASSIGN(const QueryResult found,
                  query(connection.get(),
                        "SELECT user_name, csrf_token, expires_ms FROM web_sessions WHERE token_hash = $1 AND "
                        "expires_ms > $2::bigint",
                        {std::string(token_hash), std::to_string(now_ms)}, "reading a web session"));
    if (found.rows() == 0) return std::optional<WebSession>();
    return std::optional<WebSession>(WebSession{std::string(token_hash), std::string(found.text(0, 0)),
                                                std::string(found.text(0, 1)), found.integer(0, 2)});
  }

  Result<void> remove_web_session(std::string_view token_hash) override {
    Lease connection(*this);
    PV_TRY(query(connection.get(), "DELETE FROM web_sessions WHERE token_hash = $1", {std::string(token_hash)},
                 "ending a web session", PGRES_COMMAND_OK));
    return {};
  }

  Result<void> audit(const AuditEntry& entry) override {
    Lease connection(*this);
    PV_TRY(query(connection.get(), "INSERT INTO audit_log VALUES ($1::bigint, $2, $3, $4)",
                 {std::to_string(entry.time_ms), entry.user, entry.action, entry.detail}, "writing the audit log",
                 PGRES_COMMAND_OK));
    return {};
  }

  Result<std::vector<AuditEntry>> audit_log(int64_t from_ms, int64_t to_ms) override {
    Lease connection(*this);
    PV_TRY_ASSIGN(const QueryResult found,
                  query(connection.get(),
                        "SELECT time_ms, user_name, action, detail FROM audit_log WHERE time_ms >= $1::bigint AND "
                        "time_ms < $2::bigint ORDER BY time_ms",
                        {std::to_string(from_ms), std::to_string(to_ms)}, "reading the audit log"));
    std::vector<AuditEntry> entries;
    for (int row = 0; row < found.rows(); ++row) {
      entries.push_back({found.integer(row, 0), std::string(found.text(row, 1)), std::string(found.text(row, 2)),
                         std::string(found.text(row, 3))});
    }
    return entries;
  }

  Result<void> put_repository_files(std::span<const std::pair<std::string, std::string>> files) override {
    const char* step = "storing the repository's files";
    Lease connection(*this);
    PGconn* link = connection.get();
    PV_TRY(command(link, "BEGIN", step));
    auto body = [&]() -> Result<void> {
      for (const auto& [name, bytes] : files) {
        // Two processes writing one name at once: the second waits for the first's commit,
        // writes nothing, and its next statement (a new snapshot) sees what the first wrote.
        PV_TRY_ASSIGN(const QueryResult written,
                      with_bytes(link,
                                 name == "timestamp.json"
                                     ? "INSERT INTO repository_files VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET bytes = EXCLUDED.bytes"
                                     : "INSERT INTO repository_files VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
                                 name, bytes, step, PGRES_COMMAND_OK));
        if (std::string_view(PQcmdTuples(written.get())) == "1") continue;
        PV_TRY_ASSIGN(const QueryResult same,
                      with_bytes(link, "SELECT bytes = $2 FROM repository_files WHERE name = $1", name, bytes, step));
        if (same.rows() != 1 || same.text(0, 0) != "t") {
          return Error(ErrorCode::invalid_input, step, fmt::format("{} is already held with other contents", name));
        }
      }
      return {};
    };
    if (auto done = body(); !done) {
      static_cast<void>(command(link, "ROLLBACK", step));
      return std::move(done).error();
    }
    PV_TRY(command(link, "COMMIT", step));
    return {};
  }

  Result<std::optional<std::string>> repository_file(std::string_view name) override {
    const std::string step = fmt::format("reading the repository's {}", name);
    Lease connection(*this);
    const std::string key(name);
    const char* values[] = {key.c_str()};
    // In binary: bytea's bytes as they are.
    const QueryResult found(PQexecParams(connection.get(), "SELECT bytes FROM repository_files WHERE name = $1", 1,
                                         nullptr, values, nullptr, nullptr, 1));
    if (found.status() != PGRES_TUPLES_OK) return postgres_error(connection.get(), step);
    if (found.rows() == 0) return std::optional<std::string>();
    return std::optional<std::string>(found.text(0, 0));
  }

 private:
  static UserAccount user_at(const QueryResult& found, int row) {
    UserAccount user{std::string(found.text(row, 0)), parse_role(found.text(row, 1)).value_or(Role::viewer),
                     std::nullopt, std::string(found.text(row, 3))};
    if (!found.is_null(row, 2)) user.branch = std::string(found.text(row, 2));
    return user;
  }

  EventPartitions partitions_;
  std::mutex mutex_;
  std::condition_variable returned_;
  std::vector<PGconn*> idle_;
  std::vector<PGconn*> all_;
};

Result<void> migrate(PGconn* connection) {
  const char* step = "migrating the hub's PostgreSQL schema";
  PV_TRY(command(connection, "BEGIN", step));
  auto apply = [&]() -> Result<void> {
    // One process migrates; the others wait here and then find the work done.
    PV_TRY(query(connection, "SELECT pg_advisory_xact_lock(7283110)", {}, step));
    PV_TRY(command(connection, "CREATE TABLE IF NOT EXISTS pavilion_schema (version INTEGER NOT NULL)", step));
    PV_TRY_ASSIGN(const QueryResult version, query(connection, "SELECT max(version) FROM pavilion_schema", {}, step));
    static const std::vector<std::string> migrations = schema_migrations(SchemaBackend::postgresql);
    const auto applied = version.is_null(0, 0) ? size_t{0} : static_cast<size_t>(version.integer(0, 0));
    if (applied > migrations.size()) {
      return Error(ErrorCode::unsupported, step,
                   fmt::format("the database was written by a newer Pavilion hub (schema {}, this one knows {})",
                               applied, migrations.size()));
    }
    for (size_t index = applied; index < migrations.size(); ++index) {
      PV_TRY(command(connection, migrations[index].c_str(), step));
      PV_TRY(query(connection, "INSERT INTO pavilion_schema VALUES ($1)", {std::to_string(index + 1)}, step,
                   PGRES_COMMAND_OK));
    }
    return {};
  };
  if (auto applied = apply(); !applied) {
    static_cast<void>(command(connection, "ROLLBACK", step));
    return applied;
  }
  return command(connection, "COMMIT", step);
}

}  // namespace

Result<std::unique_ptr<Store>> open_postgres_store(const std::string& uri, size_t connections) {
  const std::string step = "connecting to the hub's PostgreSQL database";
  std::vector<PGconn*> opened;
  auto close_all = [&] {
    for (PGconn* connection : opened) PQfinish(connection);
  };
  for (size_t index = 0; index < std::max<size_t>(connections, 1); ++index) {
    PGconn* connection = PQconnectdb(uri.c_str());
    opened.push_back(connection);
    if (PQstatus(connection) != CONNECTION_OK) {
      Error error = postgres_error(connection, step);
      close_all();
      return error;
    }
    // Quieter logs: the server's notices ("relation already exists, skipping") are not errors.
    PQsetNoticeProcessor(connection, [](void*, const char*) {}, nullptr);
    // The dashboard's reads are many short aggregates: compiling them (JIT) costs more than it saves.
    PQclear(PQexec(connection, "SET jit = off"));
  }
  if (auto migrated = migrate(opened.front()); !migrated) {
    close_all();
    return std::move(migrated).error();
  }
  return std::unique_ptr<Store>(std::make_unique<PostgresStore>(std::move(opened)));
}

}  // namespace pavilion::hub

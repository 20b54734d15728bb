// The hub's schema, one text for both backends where it can be: they differ in the name of a
// 64-bit integer column and in SQLite's tables kept in key order, and step 4 is PostgreSQL's
// alone (raw events partitioned by month; SQLite's step 4 changes nothing, so both count their
// steps alike). Migrations are applied in order and never edited once released; a change is a
// new step at the end.
#pragma once

#include <fmt/format.h>

#include <string>
#include <string_view>
#include <vector>

namespace pavilion::hub {

enum class SchemaBackend { sqlite, postgresql };

// Step 4 on PostgreSQL: the raw events become a table partitioned by month, so that retention
// drops a month's partition whole instead of deleting its rows one by one. The partition key is
// the id: a UUIDv7 begins with its creation time, so a month is a range of ids, and the primary
// key stays the id alone — deduplication across every month is unchanged. (A key by arrival
// would let a batch sent again a month later in twice.) The ids' text collates as "C", the
// order of their hex digits. Ids outside the months given partitions (a kiosk's clock far off)
// land in the default partition. pavilion_event_partition(month_ms) makes a month's partition,
// moving into it any rows of that month the default partition holds; the store calls it for
// each new month a batch brings and ahead of time (postgres_partitions.h). The events already
// stored are moved here, each into its month.
inline constexpr const char* postgres_events_by_month = R"(
  ALTER TABLE events RENAME TO events_before_partitions;
  ALTER INDEX events_pkey RENAME TO events_before_partitions_pkey;
  ALTER INDEX events_by_device RENAME TO events_before_partitions_by_device;
  ALTER INDEX events_by_arrival RENAME TO events_before_partitions_by_arrival;
  CREATE TABLE events (
    id TEXT COLLATE "C" NOT NULL,
    device_id TEXT NOT NULL,
    sequence BIGINT NOT NULL,
    created_ms BIGINT NOT NULL,
    corrected_ms BIGINT NOT NULL,
    received_ms BIGINT NOT NULL,
    type TEXT NOT NULL,
    session TEXT NOT NULL,
    package_id TEXT NOT NULL,
    package_version TEXT NOT NULL,
    subject TEXT NOT NULL,
    value BIGINT NOT NULL,
    PRIMARY KEY (id)) PARTITION BY RANGE (id);
  CREATE INDEX events_by_device ON events (device_id, sequence);
  CREATE INDEX events_by_arrival ON events (received_ms);
  CREATE TABLE events_default PARTITION OF events DEFAULT;
  -- The first 13 characters of the ids made at `unix_ms`: "0192d4e5-1234".
  CREATE FUNCTION pavilion_id_prefix(unix_ms BIGINT) RETURNS TEXT LANGUAGE sql IMMUTABLE AS $f$
    SELECT substr(lpad(to_hex(unix_ms), 12, '0'), 1, 8) || '-' || substr(lpad(to_hex(unix_ms), 12, '0'), 9, 4) $f$;
  CREATE FUNCTION pavilion_event_partition(month_ms BIGINT) RETURNS VOID LANGUAGE plpgsql AS $f$
  DECLARE
    first TIMESTAMP := to_timestamp(month_ms / 1000.0) AT TIME ZONE 'UTC';
    name TEXT := 'events_' || to_char(first, 'YYYY_MM');
    low TEXT := pavilion_id_prefix(month_ms);
    high TEXT := pavilion_id_prefix((extract(epoch FROM first + interval '1 month') * 1000)::BIGINT);
  BEGIN
    IF to_regclass(name) IS NOT NULL THEN RETURN; END IF;
    -- Hub processes making the same month at once: one makes it, the others find it made.
    PERFORM pg_advisory_xact_lock(7283111);
    IF to_regclass(name) IS NOT NULL THEN RETURN; END IF;
    EXECUTE format('CREATE TABLE %I (LIKE events INCLUDING DEFAULTS)', name);
    EXECUTE format('WITH moved AS (DELETE FROM events_default WHERE id >= %L AND id < %L RETURNING *) '
                   'INSERT INTO %I SELECT * FROM moved', low, high, name);
    EXECUTE format('ALTER TABLE events ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', name, low, high);
  EXCEPTION WHEN duplicate_table THEN
    -- Made by another connection while this one waited for the lock: an advisory lock does not
    -- refresh what to_regclass sees, the failed CREATE does.
    RETURN;
  END $f$;
  SELECT pavilion_event_partition(month) FROM (
    SELECT DISTINCT (extract(epoch FROM date_trunc('month', to_timestamp(
      ('x' || substr(id, 1, 8) || substr(id, 10, 4))::bit(48)::BIGINT / 1000.0) AT TIME ZONE 'UTC')) * 1000)::BIGINT AS month
    FROM events_before_partitions WHERE id ~ '^[0-9a-f]{8}-[0-9a-f]{4}') AS months
  WHERE month >= 1577836800000 AND month <= extract(epoch FROM now() + interval '1 month') * 1000;
  INSERT INTO events (id, device_id, sequence, created_ms, corrected_ms, received_ms, type, session, package_id,
                      package_version, subject, value)
  SELECT id, device_id, sequence, created_ms, corrected_ms, received_ms, type, session, package_id, package_version,
         subject, value FROM events_before_partitions;
  DROP TABLE events_before_partitions;)";

// Step 5 on PostgreSQL keeps the rollup's key: there the day first made the views' reads two to
// four times slower and ingest no faster (bench/README.md), so the step only says so.
inline constexpr const char* postgres_rollup_by_day =
    "COMMENT ON TABLE visit_rollup IS 'keyed by measure, branch, package, day: reads by package use the key'";
// SQLite keeps the rollup in its key's order, so the table is made again in the new order (its
// columns' order unchanged: ingest inserts by position).
inline constexpr const char* sqlite_rollup_by_day = R"(
  CREATE TABLE visit_rollup_by_day (
    measure TEXT NOT NULL,
    branch TEXT NOT NULL,
    package_id TEXT NOT NULL,
    day {0} NOT NULL,
    exhibit TEXT NOT NULL,
    bucket {0} NOT NULL,
    amount {0} NOT NULL,
    PRIMARY KEY (measure, branch, day, package_id, exhibit, bucket)) WITHOUT ROWID;
  INSERT INTO visit_rollup_by_day SELECT * FROM visit_rollup;
  DROP TABLE visit_rollup;
  ALTER TABLE visit_rollup_by_day RENAME TO visit_rollup;)";

inline std::vector<std::string> schema_migrations(SchemaBackend backend) {
  // SQLite's integers are 64-bit already; its tables read in key order are kept in that order.
  const std::string_view integer = backend == SchemaBackend::sqlite ? "INTEGER" : "BIGINT";
  const std::string_view clustered = backend == SchemaBackend::sqlite ? " WITHOUT ROWID" : "";
  return {fmt::format(R"(CREATE TABLE devices (
         device_id TEXT PRIMARY KEY,
         token_hash TEXT NOT NULL UNIQUE,
         enrolled_ms {0} NOT NULL);
       CREATE TABLE events (
         id TEXT PRIMARY KEY,
         device_id TEXT NOT NULL,
         sequence {0} NOT NULL,
         created_ms {0} NOT NULL,
         corrected_ms {0} NOT NULL,
         received_ms {0} NOT NULL,
         type TEXT NOT NULL,
         session TEXT NOT NULL,
         package_id TEXT NOT NULL,
         package_version TEXT NOT NULL,
         subject TEXT NOT NULL,
         value {0} NOT NULL);
       CREATE INDEX events_by_device ON events (device_id, sequence);
       CREATE INDEX events_by_arrival ON events (received_ms);
       CREATE TABLE hourly_counts (
         hour_ms {0} NOT NULL,
         package_id TEXT NOT NULL,
         exhibit TEXT NOT NULL,
         type TEXT NOT NULL,
         events {0} NOT NULL,
         PRIMARY KEY (hour_ms, package_id, exhibit, type));
       CREATE TABLE device_progress (
         device_id TEXT PRIMARY KEY,
         received {0} NOT NULL,
         highest_sequence {0} NOT NULL,
         dropped_over_cap {0} NOT NULL,
         dropped_ring_full {0} NOT NULL,
         last_seen_ms {0} NOT NULL);
       CREATE TABLE rejected_sequences (
         device_id TEXT NOT NULL,
         sequence {0} NOT NULL,
         PRIMARY KEY (device_id, sequence));)", integer),
          // The dashboard (DASHBOARD.md): devices' branches, each visit's state while its events
          // arrive, and the rollup every view reads (dashboard/visit_rollup.h).
          fmt::format(R"(ALTER TABLE devices ADD COLUMN branch TEXT NOT NULL DEFAULT '';
       ALTER TABLE devices ADD COLUMN simulated {0} NOT NULL DEFAULT 0;
       CREATE TABLE visits (
         session TEXT PRIMARY KEY,
         device_id TEXT NOT NULL,
         first_ms {0} NOT NULL,
         state TEXT NOT NULL);
       CREATE TABLE visit_rollup (
         measure TEXT NOT NULL,
         branch TEXT NOT NULL,
         package_id TEXT NOT NULL,
         day {0} NOT NULL,
         exhibit TEXT NOT NULL,
         bucket {0} NOT NULL,
         amount {0} NOT NULL,
         PRIMARY KEY (measure, branch, package_id, day, exhibit, bucket)){1};)", integer, clustered),
          // People (accounts.h). Failed sign-ins and locks are kept by the name tried, not on the
          // person's row, so that a name nobody has locks the same way and the answer never tells
          // which names exist.
          fmt::format(R"(CREATE TABLE users (
         name TEXT PRIMARY KEY,
         role TEXT NOT NULL,
         branch TEXT,
         password_hash TEXT NOT NULL);
       CREATE TABLE sign_in_failures (
         name TEXT NOT NULL,
         time_ms {0} NOT NULL);
       CREATE INDEX sign_in_failures_by_name ON sign_in_failures (name, time_ms);
       CREATE INDEX sign_in_failures_by_time ON sign_in_failures (time_ms);
       CREATE TABLE sign_in_locks (
         name TEXT PRIMARY KEY,
         locked_until_ms {0} NOT NULL);
       CREATE TABLE web_sessions (
         token_hash TEXT PRIMARY KEY,
         user_name TEXT NOT NULL,
         csrf_token TEXT NOT NULL,
         expires_ms {0} NOT NULL);
       CREATE INDEX web_sessions_by_user ON web_sessions (user_name);
       CREATE INDEX web_sessions_by_expiry ON web_sessions (expires_ms);
       CREATE TABLE audit_log (
         time_ms {0} NOT NULL,
         user_name TEXT NOT NULL,
         action TEXT NOT NULL,
         detail TEXT NOT NULL);
       CREATE INDEX audit_log_by_time ON audit_log (time_ms);)", integer),
          backend == SchemaBackend::postgresql ? std::string(postgres_events_by_month) : std::string(),
          // Step 5, SQLite's: the rollup's key takes the day before the package, so that a batch
          // (one branch, mostly one day) writes each measure's rows of every package side by
          // side: a third fewer pages written per batch, the ingest's largest cost; reads of a
          // period use the day's range whatever the package filter.
          backend == SchemaBackend::postgresql ? std::string(postgres_rollup_by_day)
                                               : fmt::format(sqlite_rollup_by_day, integer),
          // Step 6: the package repository's signed metadata (hub/README.md, "The package
          // repository"), by the name it is served under. Bytes, not text: a branch hub keeps its
          // centre's files exactly as they came.
          fmt::format("CREATE TABLE repository_files (name TEXT PRIMARY KEY, bytes {} NOT NULL)",
                      backend == SchemaBackend::sqlite ? "BLOB" : "BYTEA"),
          // Step 7, branch hubs (hub/README.md, "Branch hubs"): at an upstream hub the relays
          // allowed to forward events; at a branch the events stored but not yet acknowledged
          // upstream (an entry leaves only after the acknowledgement, so a branch killed between
          // sending and recording sends again, and the upstream's deduplication by id keeps the
          // event once).
          fmt::format(R"(CREATE TABLE relays (
         relay_id TEXT PRIMARY KEY,
         token_hash TEXT NOT NULL UNIQUE,
         branch TEXT NOT NULL,
         enrolled_ms {0} NOT NULL);
       CREATE TABLE relay_outbox (
         event_id TEXT PRIMARY KEY,
         device_id TEXT NOT NULL,
         received_ms {0} NOT NULL);
       CREATE INDEX relay_outbox_by_arrival ON relay_outbox (received_ms, event_id);)", integer),
          // Step 8, the fleet (hub/README.md, "The fleet"): each kiosk's latest update status,
          // its packages in the order it sent them, each with since when the hub has known that
          // version in that state.
          fmt::format(R"(CREATE TABLE device_status (
         device_id TEXT PRIMARY KEY,
         reported_ms {0} NOT NULL,
         root_version {0} NOT NULL,
         timestamp_version {0} NOT NULL,
         snapshot_version {0} NOT NULL,
         targets_version {0} NOT NULL,
         disk_used {0} NOT NULL,
         disk_budget {0} NOT NULL,
         disk_free {0} NOT NULL,
         last_check_ms {0} NOT NULL,
         last_result TEXT NOT NULL,
         last_error_zh_cn TEXT NOT NULL,
         last_error_en TEXT NOT NULL);
       CREATE TABLE device_packages (
         device_id TEXT NOT NULL,
         position {0} NOT NULL,
         package_id TEXT NOT NULL,
         version TEXT NOT NULL,
         state TEXT NOT NULL,
         detail TEXT NOT NULL,
         since_ms {0} NOT NULL,
         PRIMARY KEY (device_id, position));)", integer)};
}

}  // namespace pavilion::hub

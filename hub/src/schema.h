// The hub's schema, one text for both backends: they differ only in the name of a 64-bit
// integer column. Migrations are applied in order and never edited once released; a change is a
// new step at the end.
#pragma once

#include <fmt/format.h>

#include <string>
#include <string_view>
#include <vector>

namespace pavilion::hub {

// `integer` is "INTEGER" for SQLite (64-bit already), "BIGINT" for PostgreSQL; `clustered` ends a
// table kept in its primary key's order (SQLite's " WITHOUT ROWID"; PostgreSQL has none).
inline std::vector<std::string> schema_migrations(std::string_view integer, std::string_view clustered) {
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
       CREATE INDEX audit_log_by_time ON audit_log (time_ms);)", integer)};
}

}  // namespace pavilion::hub

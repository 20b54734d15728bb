// The hub's schema, one text for both backends: they differ only in the name of a 64-bit
// integer column. Migrations are applied in order and never edited once released; a change is a
// new step at the end.
#pragma once

#include <fmt/format.h>

#include <string>
#include <string_view>
#include <vector>

namespace pavilion::hub {

// `integer` is "INTEGER" for SQLite (64-bit already), "BIGINT" for PostgreSQL.
inline std::vector<std::string> schema_migrations(std::string_view integer) {
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
         PRIMARY KEY (device_id, sequence));)", integer)};
}

}  // namespace pavilion::hub

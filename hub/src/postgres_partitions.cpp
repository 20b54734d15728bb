#include "postgres_partitions.h"

#include "postgres_query.h"

#include <fmt/format.h>

#include <chrono>
#include <regex>

namespace pavilion::hub {
namespace {

using namespace std::chrono;

int64_t month_start_ms(int64_t unix_ms) {
  const year_month_day day(floor<days>(sys_time<milliseconds>(milliseconds(unix_ms))));
  return duration_cast<milliseconds>(sys_days(day.year() / day.month() / 1).time_since_epoch()).count();
}

int64_t next_month_ms(int64_t month_ms) {
  const year_month_day day(floor<days>(sys_time<milliseconds>(milliseconds(month_ms))));
  return duration_cast<milliseconds>(sys_days((day.year() / day.month() + months(1)) / 1).time_since_epoch()).count();
}

// 2020-01-01T00:00:00Z: the telemetry decoder refuses events created before it.
constexpr int64_t first_month_ms = 1'577'836'800'000;

}  // namespace

std::optional<int64_t> id_month_ms(std::string_view id) {
  if (id.size() < 13 || id[8] != '-') return std::nullopt;
  int64_t unix_ms = 0;
  for (const size_t index : {0, 1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12}) {
    const char digit = id[index];
    const int value = digit >= '0' && digit <= '9' ? digit - '0' : digit >= 'a' && digit <= 'f' ? digit - 'a' + 10 : -1;
    if (value < 0) return std::nullopt;
    unix_ms = unix_ms * 16 + value;
  }
  return month_start_ms(unix_ms);
}

Result<void> EventPartitions::make(PGconn* connection, int64_t month_ms) {
  const char* step = "making a month's partition of raw events";
  // One connection of this process at a time (the others wait here, then find the month made),
  // and one process at a time by the database's advisory lock, taken in a statement of its own
  // so that the function's statement sees what the lock's last holder committed.
  std::lock_guard lock(mutex_);
  if (made_.contains(month_ms)) return {};
  PV_TRY(command(connection, "BEGIN", step));
  auto make_it = [&]() -> Result<void> {
    PV_TRY(query(connection, "SELECT pg_advisory_xact_lock(7283111)", {}, step));
    PV_TRY(query(connection, "SELECT pavilion_event_partition($1::bigint)", {std::to_string(month_ms)}, step));
    return {};
  };
  if (auto made = make_it(); !made) {
    static_cast<void>(command(connection, "ROLLBACK", step));
    return made;
  }
  PV_TRY(command(connection, "COMMIT", step));
  made_.insert(month_ms);
  return {};
}

Result<void> EventPartitions::prepare(PGconn* connection, std::span<const StoredEvent> events, int64_t now_ms) {
  const int64_t last_month_ms = next_month_ms(month_start_ms(now_ms));
  std::set<int64_t> months;
  for (const StoredEvent& event : events) {
    const auto month = id_month_ms(event.id);
    if (month && *month >= first_month_ms && *month <= last_month_ms) months.insert(*month);
  }
  for (const int64_t month : months) PV_TRY(make(connection, month));
  return {};
}

Result<void> EventPartitions::make_ahead(PGconn* connection, int64_t now_ms) {
  int64_t month = month_start_ms(now_ms);
  for (int ahead = 0; ahead < 3; ++ahead, month = next_month_ms(month)) PV_TRY(make(connection, month));
  return {};
}

Result<uint64_t> EventPartitions::drop_expired(PGconn* connection, int64_t before_ms) {
  const char* step = "dropping months of raw events past their retention";
  PV_TRY_ASSIGN(const QueryResult partitions,
                query(connection,
                      "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                      "WHERE i.inhparent = 'events'::regclass AND c.relname ~ '^events_[0-9]{4}_[0-9]{2}$' ORDER BY 1",
                      {}, step));
  uint64_t dropped = 0;
  static const std::regex name_pattern(R"(events_(\d{4})_(\d{2}))");
  for (int row = 0; row < partitions.rows(); ++row) {
    const std::string name(partitions.text(row, 0));
    std::smatch match;
    if (!std::regex_match(name, match, name_pattern)) continue;
    const sys_days first = year(std::stoi(match[1].str())) / month(static_cast<unsigned>(std::stoi(match[2].str()))) / 1;
    const int64_t month_ms = duration_cast<milliseconds>(first.time_since_epoch()).count();
    // A month that ends after the cutoff holds events made after it, so received after it too:
    // not worth counting.
    if (next_month_ms(month_ms) > before_ms) continue;
    PV_TRY(command(connection, "BEGIN", step));
    auto drop = [&]() -> Result<uint64_t> {
      PV_TRY(command(connection, fmt::format("LOCK TABLE {} IN ACCESS EXCLUSIVE MODE", name).c_str(), step));
      PV_TRY_ASSIGN(const QueryResult held,
                    query(connection, fmt::format("SELECT count(*), count(*) FILTER (WHERE received_ms >= $1) FROM {}", name).c_str(),
                          {std::to_string(before_ms)}, step));
      if (held.integer(0, 1) > 0) return uint64_t{0};  // some still within retention: deleted row by row
      PV_TRY(command(connection, fmt::format("DROP TABLE {}", name).c_str(), step));
      return static_cast<uint64_t>(held.integer(0, 0));
    };
    auto removed = drop();
    if (!removed) {
      static_cast<void>(command(connection, "ROLLBACK", step));
      return std::move(removed).error();
    }
    PV_TRY(command(connection, "COMMIT", step));
    dropped += *removed;
    std::lock_guard lock(mutex_);
    made_.erase(month_ms);
  }
  return dropped;
}

}  // namespace pavilion::hub

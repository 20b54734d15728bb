#include "pavilion/telemetry/local_queue.h"

#include "pavilion/sqlite/database.h"

#include <fmt/format.h>
#include <sqlite3.h>

namespace pavilion::telemetry {
namespace {

using sqlite::Statement;

// The columns of a queued event, shared by the queue and the quarantine.
constexpr std::string_view event_columns = R"(sequence INTEGER PRIMARY KEY,
         id BLOB NOT NULL,
         created_ms INTEGER NOT NULL,
         type INTEGER NOT NULL,
         session BLOB NOT NULL,
         package_id TEXT NOT NULL,
         package_version TEXT NOT NULL,
         subject TEXT NOT NULL,
         value INTEGER NOT NULL)";

// Each step of the schema, applied in order; PRAGMA user_version records how many are in.
const std::array<std::string, 2> migrations{
    fmt::format(R"(CREATE TABLE events ({});
       CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
       INSERT INTO counters VALUES ('next_sequence', 0), ('dropped_over_cap', 0), ('dropped_ring_full', 0);)",
                event_columns),
    // Events the hub refused as invalid: kept aside with its reason, for a person to look at.
    fmt::format("CREATE TABLE quarantine ({}, reason TEXT NOT NULL);", event_columns),
};

}  // namespace

LocalQueue::LocalQueue(std::filesystem::path file, sqlite3* database, uint64_t max_events)
    : file_(std::move(file)), database_(database), max_events_(max_events) {}

LocalQueue::~LocalQueue() { sqlite3_close(database_); }

Result<void> LocalQueue::execute(const char* sql, std::string_view what) const {
  return sqlite::execute(database_, sql, what);
}

Result<std::unique_ptr<LocalQueue>> LocalQueue::open(const std::filesystem::path& file, uint64_t max_events) {
  const std::string step = fmt::format("opening the interaction queue {}", file.string());
  PV_TRY_ASSIGN(sqlite3* database, sqlite::open_durable(file, step));
  std::unique_ptr<LocalQueue> queue(new LocalQueue(file, database, max_events));
  PV_TRY(sqlite::migrate(database, migrations, step));
  return queue;
}

Result<void> LocalQueue::append(std::span<const Event> events, uint64_t ring_drops, uint64_t handed_out) {
  const char* step = "writing interaction events to the local queue";
  PV_TRY(execute("BEGIN IMMEDIATE", step));
  auto body = [&]() -> Result<void> {
    Statement insert(database_,
                     "INSERT OR IGNORE INTO events (sequence, id, created_ms, type, session, package_id, package_version, "
                     "subject, value) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!insert) return sqlite::error(database_, step);
    uint64_t next_sequence = handed_out;
    for (const Event& event : events) {
      sqlite3_stmt* statement = insert.get();
      sqlite3_bind_int64(statement, 1, static_cast<sqlite3_int64>(event.sequence));
      sqlite3_bind_blob(statement, 2, event.id.bytes.data(), 16, SQLITE_STATIC);
      sqlite3_bind_int64(statement, 3, event.created_ms);
      sqlite3_bind_int(statement, 4, static_cast<int>(event.type));
      sqlite3_bind_blob(statement, 5, event.session.bytes.data(), 16, SQLITE_STATIC);
      sqlite3_bind_text(statement, 6, event.package_id.bytes.data(), -1, SQLITE_STATIC);
      sqlite3_bind_text(statement, 7, event.package_version.bytes.data(), -1, SQLITE_STATIC);
      sqlite3_bind_text(statement, 8, event.subject.bytes.data(), -1, SQLITE_STATIC);
      sqlite3_bind_int64(statement, 9, event.value);
      if (sqlite3_step(statement) != SQLITE_DONE) return sqlite::error(database_, step);
      sqlite3_reset(statement);
      next_sequence = std::max(next_sequence, event.sequence + 1);
    }
    // Numbers handed out but never written (a full ring) still count: the next start goes on after them.
    Statement counters(database_,
                       "UPDATE counters SET value = CASE name "
                       "WHEN 'next_sequence' THEN max(value, ?) WHEN 'dropped_ring_full' THEN value + ? ELSE value END");
    if (!counters) return sqlite::error(database_, step);
    sqlite3_bind_int64(counters.get(), 1, static_cast<sqlite3_int64>(next_sequence));
    sqlite3_bind_int64(counters.get(), 2, static_cast<sqlite3_int64>(ring_drops));
    if (sqlite3_step(counters.get()) != SQLITE_DONE) return sqlite::error(database_, step);
    // The cap: the oldest go first, and every one is counted.
    Statement count(database_, "SELECT count(*) FROM events");
    if (!count || sqlite3_step(count.get()) != SQLITE_ROW) return sqlite::error(database_, step);
    const auto queued = static_cast<uint64_t>(sqlite3_column_int64(count.get(), 0));
    if (queued > max_events_) {
      Statement trim(database_,
                     "WITH oldest AS (SELECT sequence FROM events ORDER BY sequence LIMIT ?) "
                     "DELETE FROM events WHERE sequence IN oldest");
      Statement dropped(database_, "UPDATE counters SET value = value + ? WHERE name = 'dropped_over_cap'");
      if (!trim || !dropped) return sqlite::error(database_, step);
      sqlite3_bind_int64(trim.get(), 1, static_cast<sqlite3_int64>(queued - max_events_));
      sqlite3_bind_int64(dropped.get(), 1, static_cast<sqlite3_int64>(queued - max_events_));
      if (sqlite3_step(trim.get()) != SQLITE_DONE || sqlite3_step(dropped.get()) != SQLITE_DONE) {
        return sqlite::error(database_, step);
      }
    }
    return {};
  };
  if (auto done = body(); !done) {
    static_cast<void>(execute("ROLLBACK", step));
    return done;
  }
  return execute("COMMIT", step);
}

Result<std::vector<Event>> LocalQueue::oldest(size_t count) const {
  const char* step = "reading the local interaction queue";
  Statement select(database_,
                   "SELECT sequence, id, created_ms, type, session, package_id, package_version, subject, value "
                   "FROM events ORDER BY sequence LIMIT ?");
  if (!select) return sqlite::error(database_, step);
  sqlite3_bind_int64(select.get(), 1, static_cast<sqlite3_int64>(count));
  std::vector<Event> events;
  int status = SQLITE_ROW;
  while ((status = sqlite3_step(select.get())) == SQLITE_ROW) {
    sqlite3_stmt* row = select.get();
    Event event;
    event.sequence = static_cast<uint64_t>(sqlite3_column_int64(row, 0));
    auto copy_blob = [&](int column, Uuid& into) {
      if (sqlite3_column_bytes(row, column) == 16) std::memcpy(into.bytes.data(), sqlite3_column_blob(row, column), 16);
    };
    auto text = [&](int column) {
      const auto* characters = reinterpret_cast<const char*>(sqlite3_column_text(row, column));
      return characters == nullptr ? std::string_view() : std::string_view(characters);
    };
    copy_blob(1, event.id);
    event.created_ms = sqlite3_column_int64(row, 2);
    event.type = static_cast<EventType>(sqlite3_column_int(row, 3));
    copy_blob(4, event.session);
    event.package_id.assign(text(5));
    event.package_version.assign(text(6));
    event.subject.assign(text(7));
    event.value = sqlite3_column_int64(row, 8);
    events.push_back(event);
  }
  if (status != SQLITE_DONE) return sqlite::error(database_, step);
  return events;
}

Result<void> LocalQueue::acknowledge(std::span<const uint64_t> stored, std::span<const Rejection> rejected) {
  const char* step = "removing acknowledged events from the local queue";
  PV_TRY(execute("BEGIN IMMEDIATE", step));
  auto body = [&]() -> Result<void> {
    Statement set_aside(database_,
                        "INSERT OR REPLACE INTO quarantine SELECT sequence, id, created_ms, type, session, package_id, "
                        "package_version, subject, value, ? FROM events WHERE sequence = ?");
    Statement erase(database_, "DELETE FROM events WHERE sequence = ?");
    if (!set_aside || !erase) return sqlite::error(database_, step);
    auto run = [&](sqlite3_stmt* statement) -> Result<void> {
      if (sqlite3_step(statement) != SQLITE_DONE) return sqlite::error(database_, step);
      sqlite3_reset(statement);
      return {};
    };
    for (const Rejection& rejection : rejected) {
      sqlite3_bind_text(set_aside.get(), 1, rejection.reason.data(), static_cast<int>(rejection.reason.size()),
                        SQLITE_STATIC);
      sqlite3_bind_int64(set_aside.get(), 2, static_cast<sqlite3_int64>(rejection.sequence));
      PV_TRY(run(set_aside.get()));
      sqlite3_bind_int64(erase.get(), 1, static_cast<sqlite3_int64>(rejection.sequence));
      PV_TRY(run(erase.get()));
    }
    for (const uint64_t sequence : stored) {
      sqlite3_bind_int64(erase.get(), 1, static_cast<sqlite3_int64>(sequence));
      PV_TRY(run(erase.get()));
    }
    return {};
  };
  if (auto done = body(); !done) {
    static_cast<void>(execute("ROLLBACK", step));
    return done;
  }
  PV_TRY(execute("COMMIT", step));
  // Give the pages back: free pages released, then the write-ahead log folded into the file and truncated.
  return execute("PRAGMA incremental_vacuum; PRAGMA wal_checkpoint(TRUNCATE);", step);
}

Result<std::vector<LocalQueue::Rejection>> LocalQueue::quarantined() const {
  const char* step = "reading the events the hub refused";
  Statement select(database_, "SELECT sequence, reason FROM quarantine ORDER BY sequence");
  if (!select) return sqlite::error(database_, step);
  std::vector<Rejection> out;
  int status = SQLITE_ROW;
  while ((status = sqlite3_step(select.get())) == SQLITE_ROW) {
    out.push_back({static_cast<uint64_t>(sqlite3_column_int64(select.get(), 0)),
                   reinterpret_cast<const char*>(sqlite3_column_text(select.get(), 1))});
  }
  if (status != SQLITE_DONE) return sqlite::error(database_, step);
  return out;
}

Result<QueueCounters> LocalQueue::counters() const {
  const char* step = "reading the local interaction queue's counters";
  QueueCounters out;
  Statement select(database_, "SELECT name, value FROM counters");
  if (!select) return sqlite::error(database_, step);
  while (sqlite3_step(select.get()) == SQLITE_ROW) {
    const std::string_view name(reinterpret_cast<const char*>(sqlite3_column_text(select.get(), 0)));
    const auto value = static_cast<uint64_t>(sqlite3_column_int64(select.get(), 1));
    if (name == "next_sequence") out.next_sequence = value;
    if (name == "dropped_over_cap") out.dropped_over_cap = value;
    if (name == "dropped_ring_full") out.dropped_ring_full = value;
  }
  Statement count(database_, "SELECT count(*) FROM events");
  if (!count || sqlite3_step(count.get()) != SQLITE_ROW) return sqlite::error(database_, step);
  out.queued = static_cast<uint64_t>(sqlite3_column_int64(count.get(), 0));
  Statement set_aside(database_, "SELECT count(*) FROM quarantine");
  if (!set_aside || sqlite3_step(set_aside.get()) != SQLITE_ROW) return sqlite::error(database_, step);
  out.quarantined = static_cast<uint64_t>(sqlite3_column_int64(set_aside.get(), 0));
  return out;
}

}  // namespace pavilion::telemetry

#include "pavilion/telemetry/local_queue.h"

#include <fmt/format.h>
#include <sqlite3.h>

namespace pavilion::telemetry {
namespace {

// Each step of the schema, applied in order; PRAGMA user_version records how many are in.
constexpr std::array<const char*, 1> migrations{
    R"(CREATE TABLE events (
         sequence INTEGER PRIMARY KEY,
         id BLOB NOT NULL,
         created_ms INTEGER NOT NULL,
         type INTEGER NOT NULL,
         session BLOB NOT NULL,
         package_id TEXT NOT NULL,
         package_version TEXT NOT NULL,
         subject TEXT NOT NULL,
         value INTEGER NOT NULL);
       CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
       INSERT INTO counters VALUES ('next_sequence', 0), ('dropped_over_cap', 0), ('dropped_ring_full', 0);)",
};

Error sqlite_error(sqlite3* database, std::string what) {
  const int code = sqlite3_extended_errcode(database);
  const ErrorCode kind = code == SQLITE_FULL || (code & 0xff) == SQLITE_IOERR ? ErrorCode::io : ErrorCode::internal;
  return Error(kind, std::move(what), fmt::format("{} ({})", sqlite3_errmsg(database), sqlite3_errstr(code)));
}

// A prepared statement, finalized when it goes out of scope.
class Statement {
 public:
  Statement(sqlite3* database, const char* sql) {
    if (sqlite3_prepare_v2(database, sql, -1, &statement_, nullptr) != SQLITE_OK) statement_ = nullptr;
  }
  ~Statement() { sqlite3_finalize(statement_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  sqlite3_stmt* get() const { return statement_; }
  explicit operator bool() const { return statement_ != nullptr; }

 private:
  sqlite3_stmt* statement_ = nullptr;
};

}  // namespace

LocalQueue::LocalQueue(std::filesystem::path file, sqlite3* database, uint64_t max_events)
    : file_(std::move(file)), database_(database), max_events_(max_events) {}

LocalQueue::~LocalQueue() { sqlite3_close(database_); }

Result<void> LocalQueue::execute(const char* sql, std::string_view what) const {
  char* message = nullptr;
  if (sqlite3_exec(database_, sql, nullptr, nullptr, &message) != SQLITE_OK) {
    sqlite3_free(message);
    return sqlite_error(database_, std::string(what));
  }
  return {};
}

Result<std::unique_ptr<LocalQueue>> LocalQueue::open(const std::filesystem::path& file, uint64_t max_events) {
  const std::string step = fmt::format("opening the interaction queue {}", file.string());
  sqlite3* database = nullptr;
  if (sqlite3_open_v2(file.c_str(), &database, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                      nullptr) != SQLITE_OK) {
    Error error = sqlite_error(database, step);
    sqlite3_close(database);
    return error;
  }
  std::unique_ptr<LocalQueue> queue(new LocalQueue(file, database, max_events));
  sqlite3_busy_timeout(database, 5000);
  // WAL: the uploader reads while the writer appends. FULL: a commit survives a power cut.
  // Incremental vacuum: space freed by acknowledged events goes back to the file system.
  PV_TRY(queue->execute("PRAGMA auto_vacuum = INCREMENTAL; PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;",
                        step));
  Statement version(database, "PRAGMA user_version");
  if (!version || sqlite3_step(version.get()) != SQLITE_ROW) return sqlite_error(database, step);
  const auto applied = static_cast<size_t>(sqlite3_column_int(version.get(), 0));
  if (applied > migrations.size()) {
    return Error(ErrorCode::unsupported, step,
                 fmt::format("it was written by a newer Pavilion (schema {}, this one knows {})", applied, migrations.size()));
  }
  for (size_t index = applied; index < migrations.size(); ++index) {
    PV_TRY(queue->execute("BEGIN IMMEDIATE", step));
    const std::string set_version = fmt::format("PRAGMA user_version = {}", index + 1);
    auto migrated = queue->execute(migrations[index], step);
    if (migrated) migrated = queue->execute(set_version.c_str(), step);
    if (migrated) migrated = queue->execute("COMMIT", step);
    if (!migrated) {
      static_cast<void>(queue->execute("ROLLBACK", step));
      return std::move(migrated).error().add_context(fmt::format("migrating the queue to schema {}", index + 1));
    }
  }
  return queue;
}

Result<void> LocalQueue::append(std::span<const Event> events, uint64_t ring_drops, uint64_t handed_out) {
  const char* step = "writing interaction events to the local queue";
  PV_TRY(execute("BEGIN IMMEDIATE", step));
  auto body = [&]() -> Result<void> {
    Statement insert(database_,
                     "INSERT OR IGNORE INTO events (sequence, id, created_ms, type, session, package_id, package_version, "
                     "subject, value) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!insert) return sqlite_error(database_, step);
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
      if (sqlite3_step(statement) != SQLITE_DONE) return sqlite_error(database_, step);
      sqlite3_reset(statement);
      next_sequence = std::max(next_sequence, event.sequence + 1);
    }
    // Numbers handed out but never written (a full ring) still count: the next start goes on after them.
    Statement counters(database_,
                       "UPDATE counters SET value = CASE name "
                       "WHEN 'next_sequence' THEN max(value, ?) WHEN 'dropped_ring_full' THEN value + ? ELSE value END");
    if (!counters) return sqlite_error(database_, step);
    sqlite3_bind_int64(counters.get(), 1, static_cast<sqlite3_int64>(next_sequence));
    sqlite3_bind_int64(counters.get(), 2, static_cast<sqlite3_int64>(ring_drops));
    if (sqlite3_step(counters.get()) != SQLITE_DONE) return sqlite_error(database_, step);
    // The cap: the oldest go first, and every one is counted.
    Statement count(database_, "SELECT count(*) FROM events");
    if (!count || sqlite3_step(count.get()) != SQLITE_ROW) return sqlite_error(database_, step);
    const auto queued = static_cast<uint64_t>(sqlite3_column_int64(count.get(), 0));
    if (queued > max_events_) {
      Statement trim(database_,
                     "WITH oldest AS (SELECT sequence FROM events ORDER BY sequence LIMIT ?) "
                     "DELETE FROM events WHERE sequence IN oldest");
      Statement dropped(database_, "UPDATE counters SET value = value + ? WHERE name = 'dropped_over_cap'");
      if (!trim || !dropped) return sqlite_error(database_, step);
      sqlite3_bind_int64(trim.get(), 1, static_cast<sqlite3_int64>(queued - max_events_));
      sqlite3_bind_int64(dropped.get(), 1, static_cast<sqlite3_int64>(queued - max_events_));
      if (sqlite3_step(trim.get()) != SQLITE_DONE || sqlite3_step(dropped.get()) != SQLITE_DONE) {
        return sqlite_error(database_, step);
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
  if (!select) return sqlite_error(database_, step);
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
  if (status != SQLITE_DONE) return sqlite_error(database_, step);
  return events;
}

Result<void> LocalQueue::remove(std::span<const uint64_t> sequences) {
  const char* step = "removing acknowledged events from the local queue";
  PV_TRY(execute("BEGIN IMMEDIATE", step));
  Statement erase(database_, "DELETE FROM events WHERE sequence = ?");
  if (!erase) {
    static_cast<void>(execute("ROLLBACK", step));
    return sqlite_error(database_, step);
  }
  for (const uint64_t sequence : sequences) {
    sqlite3_bind_int64(erase.get(), 1, static_cast<sqlite3_int64>(sequence));
    if (sqlite3_step(erase.get()) != SQLITE_DONE) {
      Error error = sqlite_error(database_, step);
      static_cast<void>(execute("ROLLBACK", step));
      return error;
    }
    sqlite3_reset(erase.get());
  }
  PV_TRY(execute("COMMIT", step));
  // Give the pages back: free pages released, then the write-ahead log folded into the file and truncated.
  return execute("PRAGMA incremental_vacuum; PRAGMA wal_checkpoint(TRUNCATE);", step);
}

Result<QueueCounters> LocalQueue::counters() const {
  const char* step = "reading the local interaction queue's counters";
  QueueCounters out;
  Statement select(database_, "SELECT name, value FROM counters");
  if (!select) return sqlite_error(database_, step);
  while (sqlite3_step(select.get()) == SQLITE_ROW) {
    const std::string_view name(reinterpret_cast<const char*>(sqlite3_column_text(select.get(), 0)));
    const auto value = static_cast<uint64_t>(sqlite3_column_int64(select.get(), 1));
    if (name == "next_sequence") out.next_sequence = value;
    if (name == "dropped_over_cap") out.dropped_over_cap = value;
    if (name == "dropped_ring_full") out.dropped_ring_full = value;
  }
  Statement count(database_, "SELECT count(*) FROM events");
  if (!count || sqlite3_step(count.get()) != SQLITE_ROW) return sqlite_error(database_, step);
  out.queued = static_cast<uint64_t>(sqlite3_column_int64(count.get(), 0));
  return out;
}

}  // namespace pavilion::telemetry

// The few SQLite helpers the engine and the hub share (the kiosk's event queue, the hub's
// embedded store): errors as values, a prepared statement that finalizes itself, migrations
// numbered by PRAGMA user_version, and a file opened for data that must survive a power cut.
// Callers keep using SQLite's C API for binding and stepping; <sqlite3.h> is theirs to include,
// so this header does not hand it to every user of theirs.
#pragma once

#include "pavilion/core/error.h"

#include <filesystem>
#include <span>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace pavilion::sqlite {

// An error from `database`'s last failure; a full disk or an I/O failure is ErrorCode::io.
Error error(sqlite3* database, std::string what);

// Runs `sql` (one or more statements) with no results.
Result<void> execute(sqlite3* database, const char* sql, std::string_view what);

// A prepared statement, finalized when it goes out of scope. It borrows `database`, which must
// outlive it.
class Statement {
 public:
  // Check the statement (operator bool) before use: SQL the database refuses leaves it empty, and
  // error(database, …) says why.
  Statement(sqlite3* database, const char* sql);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  sqlite3_stmt* get() const { return statement_; }
  explicit operator bool() const { return statement_ != nullptr; }
  // Binds text that must outlive the statement's next step.
  void bind_text(int index, std::string_view text) const;
  // Valid until the next step, reset or finalize; empty for NULL.
  std::string_view column_text(int column) const;

 private:
  sqlite3_stmt* statement_ = nullptr;
};

// Applies `migrations` beyond PRAGMA user_version in one write transaction (so two connections
// opening a new file at once cannot both migrate it); a file from a newer schema is refused.
Result<void> migrate(sqlite3* database, std::span<const std::string> migrations, std::string_view what);

// Opens (creating) a database file for data that must survive a power cut: WAL (readers and one
// writer side by side), synchronous=FULL (a commit is on disk before it returns), and space freed
// by deletions given back incrementally. The caller owns the handle (sqlite3_close).
Result<sqlite3*> open_durable(const std::filesystem::path& file, std::string_view what);

}  // namespace pavilion::sqlite

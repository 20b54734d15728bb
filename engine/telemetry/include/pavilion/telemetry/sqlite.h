// The few SQLite helpers both ends of interaction logging share: the kiosk's queue and the hub's
// embedded store.
#pragma once

#include "pavilion/core/error.h"

#include <sqlite3.h>

#include <string>
#include <filesystem>
#include <span>
#include <string_view>

namespace pavilion::telemetry::sqlite {

// An error from `database`'s last failure; a full disk or an I/O failure is ErrorCode::io.
Error error(sqlite3* database, std::string what);

// Runs `sql` (one or more statements) with no results.
Result<void> execute(sqlite3* database, const char* sql, std::string_view what);

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
  // Binds text that must outlive the statement's next step.
  void bind_text(int index, std::string_view text) const {
    sqlite3_bind_text(statement_, index, text.data(), static_cast<int>(text.size()), SQLITE_STATIC);
  }
  std::string_view column_text(int column) const {
    const auto* characters = reinterpret_cast<const char*>(sqlite3_column_text(statement_, column));
    return characters == nullptr ? std::string_view() : std::string_view(characters);
  }

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

}  // namespace pavilion::telemetry::sqlite

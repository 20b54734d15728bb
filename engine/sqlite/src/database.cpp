#include "pavilion/sqlite/database.h"

#include <fmt/format.h>
#include <sqlite3.h>

namespace pavilion::sqlite {

Error error(sqlite3* database, std::string what) {
  const int code = sqlite3_extended_errcode(database);
  const ErrorCode kind = code == SQLITE_FULL || (code & 0xff) == SQLITE_IOERR ? ErrorCode::io : ErrorCode::internal;
  return Error(kind, std::move(what), fmt::format("{} ({})", sqlite3_errmsg(database), sqlite3_errstr(code)));
}

Result<void> execute(sqlite3* database, const char* sql, std::string_view what) {
  char* message = nullptr;
  if (sqlite3_exec(database, sql, nullptr, nullptr, &message) != SQLITE_OK) {
    sqlite3_free(message);
    return error(database, std::string(what));
  }
  return {};
}

Statement::Statement(sqlite3* database, const char* sql) {
  if (sqlite3_prepare_v2(database, sql, -1, &statement_, nullptr) != SQLITE_OK) statement_ = nullptr;
}

Statement::~Statement() { sqlite3_finalize(statement_); }

void Statement::bind_text(int index, std::string_view text) const {
  sqlite3_bind_text(statement_, index, text.data(), static_cast<int>(text.size()), SQLITE_STATIC);
}

std::string_view Statement::column_text(int column) const {
  const auto* characters = reinterpret_cast<const char*>(sqlite3_column_text(statement_, column));
  return characters == nullptr ? std::string_view() : std::string_view(characters);
}

Result<sqlite3*> open_durable(const std::filesystem::path& file, std::string_view what) {
  sqlite3* database = nullptr;
  if (sqlite3_open_v2(file.c_str(), &database, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                      nullptr) != SQLITE_OK) {
    Error failure = error(database, std::string(what));
    sqlite3_close(database);
    return failure;
  }
  // Another connection (the kiosk's writer and uploader, a second hub command) may hold the
  // write lock for a moment.
  sqlite3_busy_timeout(database, 10'000);
  if (auto set = execute(database, "PRAGMA auto_vacuum = INCREMENTAL; PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;",
                         what);
      !set) {
    sqlite3_close(database);
    return std::move(set).error();
  }
  return database;
}

Result<void> migrate(sqlite3* database, std::span<const std::string> migrations, std::string_view what) {
  const std::string step(what);
  PV_TRY(execute(database, "BEGIN IMMEDIATE", step));
  auto apply = [&]() -> Result<void> {
    Statement version(database, "PRAGMA user_version");
    if (!version || sqlite3_step(version.get()) != SQLITE_ROW) return error(database, step);
    const auto applied = static_cast<size_t>(sqlite3_column_int(version.get(), 0));
    // A statement left running would keep a migration from dropping a table.
    sqlite3_reset(version.get());
    if (applied > migrations.size()) {
      return Error(ErrorCode::unsupported, step,
                   fmt::format("it was written by a newer Pavilion (schema {}, this one knows {})", applied,
                               migrations.size()));
    }
    for (size_t index = applied; index < migrations.size(); ++index) {
      const std::string set_version = fmt::format("PRAGMA user_version = {}", index + 1);
      auto migrated = execute(database, migrations[index].c_str(), step);
      if (migrated) migrated = execute(database, set_version.c_str(), step);
      if (!migrated) return std::move(migrated).error().add_context(fmt::format("migrating to schema {}", index + 1));
    }
    return {};
  };
  if (auto applied = apply(); !applied) {
    static_cast<void>(execute(database, "ROLLBACK", step));
    return applied;
  }
  return execute(database, "COMMIT", step);
}

}  // namespace pavilion::sqlite

// libpq made safer to call: a result that clears itself, errors as values with the server's
// message, and one helper each for a query with text parameters and for parameterless commands.
// Shared by the PostgreSQL store and its partitioning of raw events.
#pragma once

#include "pavilion/core/error.h"

#include <libpq-fe.h>

#include <charconv>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pavilion::hub {
// A query's result, cleared when it goes out of scope.
class QueryResult {
 public:
  explicit QueryResult(PGresult* result) : result_(result) {}
  ~QueryResult() { PQclear(result_); }
  QueryResult(QueryResult&& other) noexcept : result_(std::exchange(other.result_, nullptr)) {}
  QueryResult(const QueryResult&) = delete;
  QueryResult& operator=(const QueryResult&) = delete;
  ExecStatusType status() const { return PQresultStatus(result_); }
  PGresult* get() const { return result_; }
  int rows() const { return PQntuples(result_); }
  std::string_view text(int row, int column) const {
    return {PQgetvalue(result_, row, column), static_cast<size_t>(PQgetlength(result_, row, column))};
  }
  int64_t integer(int row, int column) const {
    const std::string_view digits = text(row, column);
    int64_t value = 0;
    std::from_chars(digits.data(), digits.data() + digits.size(), value);
    return value;
  }
  bool is_null(int row, int column) const { return PQgetisnull(result_, row, column) != 0; }

 private:
  PGresult* result_ = nullptr;
};

inline Error postgres_error(PGconn* connection, std::string what) {
  std::string why = PQerrorMessage(connection);
  while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) why.pop_back();
  return Error(PQstatus(connection) == CONNECTION_OK ? ErrorCode::internal : ErrorCode::io, std::move(what), why);
}

// Runs `sql` with text parameters; the result must have the `expected` status.
inline Result<QueryResult> query(PGconn* connection, const char* sql, std::initializer_list<std::string> parameters,
                          std::string_view what, ExecStatusType expected = PGRES_TUPLES_OK) {
  std::vector<const char*> values;
  values.reserve(parameters.size());
  for (const std::string& parameter : parameters) values.push_back(parameter.c_str());
  QueryResult result(PQexecParams(connection, sql, static_cast<int>(values.size()), nullptr, values.data(), nullptr,
                                  nullptr, 0));
  if (result.status() != expected) return postgres_error(connection, std::string(what));
  return result;
}

// Runs one or more statements without parameters (PQexecParams takes only one).
inline Result<void> command(PGconn* connection, const char* sql, std::string_view what) {
  const QueryResult result(PQexec(connection, sql));
  if (result.status() != PGRES_COMMAND_OK) return postgres_error(connection, std::string(what));
  return {};
}

}  // namespace pavilion::hub

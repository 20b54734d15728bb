#include "postgres_server.h"

#include "pavilion/support/postgres_server.h"

#include <fmt/format.h>
#include <libpq-fe.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <optional>

namespace pavilion::testing {

Result<std::string> shared_postgres() {
  static std::mutex mutex;
  static std::optional<Result<std::string>> started;
  std::lock_guard lock(mutex);
  if (started) return *started;
  if (const char* folder = std::getenv("PAVILION_TEST_POSTGRES_DIR")) {
    std::ifstream file(std::filesystem::path(folder) / "uri");
    std::string uri;
    if (!std::getline(file, uri)) {
      started = Error(ErrorCode::not_found, "finding the tests' PostgreSQL server",
                      fmt::format("{}/uri is missing: the postgres_server fixture did not start", folder));
    } else {
      started = uri;
    }
    return *started;
  }
  static const std::filesystem::path own =
      std::filesystem::temp_directory_path() / fmt::format("pavilion-postgres-{}", ::getpid());
  started = support::start_postgres(own);
  if (started->ok()) std::atexit([] { static_cast<void>(support::stop_postgres(own)); });
  return *started;
}

Result<std::string> create_test_database() {
  PV_TRY_ASSIGN(const std::string server, shared_postgres());
  static std::atomic<int> counter{0};
  const std::string name = fmt::format("test_{}_{}", ::getpid(), counter++);
  PGconn* connection = PQconnectdb((server + "/postgres").c_str());
  const bool connected = PQstatus(connection) == CONNECTION_OK;
  PGresult* result = connected ? PQexec(connection, fmt::format("CREATE DATABASE {}", name).c_str()) : nullptr;
  const bool created = result != nullptr && PQresultStatus(result) == PGRES_COMMAND_OK;
  const std::string why = PQerrorMessage(connection);
  PQclear(result);
  PQfinish(connection);
  if (!created) return Error(ErrorCode::io, "creating a test database", why);
  return server + "/" + name;
}

}  // namespace pavilion::testing

// A real PostgreSQL server for the hub's tests: initdb in a folder of its own, listening only on
// a free loopback port, stopped at the end. CTest starts one for the whole run (the
// postgres_server fixture, tests/hub/postgres_fixture.cpp); each test then makes its own
// database in it, so tests run side by side without seeing each other's rows.
#pragma once

#include "pavilion/core/error.h"

#include <filesystem>
#include <string>

namespace pavilion::testing {

// initdb + pg_ctl start in `folder` (created; owned by the postgres user when run as root,
// because the server refuses to run as root). Returns the server's base URI,
// "postgresql://pavilion@127.0.0.1:PORT".
// `durable` keeps fsync on (benchmarks); tests turn it off.
Result<std::string> start_postgres(const std::filesystem::path& folder, bool durable = false);
Result<void> stop_postgres(const std::filesystem::path& folder);

// The URI of the server CTest started (PAVILION_TEST_POSTGRES_DIR names its folder), or a server
// started for this process when run by hand; stopped at exit.
Result<std::string> shared_postgres();

// A new empty database on the shared server; returns its URI.
Result<std::string> create_test_database();

}  // namespace pavilion::testing

// The hub's tests share one PostgreSQL server, started by support/'s start_postgres: CTest starts
// it for the whole run (the postgres_server fixture, tests/hub/postgres_fixture.cpp); each test
// then makes its own database in it, so tests run side by side without seeing each other's rows.
#pragma once

#include "pavilion/core/error.h"

#include <string>

namespace pavilion::testing {

// The URI of the server CTest started (PAVILION_TEST_POSTGRES_DIR names its folder), or a server
// started for this process when run by hand; stopped at exit.
Result<std::string> shared_postgres();

// A new empty database on the shared server; returns its URI.
Result<std::string> create_test_database();

}  // namespace pavilion::testing

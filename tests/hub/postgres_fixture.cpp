// CTest's postgres_server fixture: `postgres_fixture start DIR` before the hub's tests,
// `postgres_fixture stop DIR` after them.
#include "pavilion/support/postgres_server.h"

#include <fmt/format.h>

#include <string_view>

int main(int argc, char** argv) {
  if (argc != 3) {
    fmt::print(stderr, "usage: postgres_fixture start|stop DIR\n");
    return 2;
  }
  const std::string_view action = argv[1];
  const std::filesystem::path folder = argv[2];
  if (action == "start") {
    auto uri = pavilion::support::start_postgres(folder);
    if (!uri) {
      fmt::print(stderr, "{}\n", uri.error().describe());
      return 1;
    }
    fmt::print("PostgreSQL for the tests: {}\n", *uri);
    return 0;
  }
  if (auto stopped = pavilion::support::stop_postgres(folder); !stopped) {
    fmt::print(stderr, "{}\n", stopped.error().describe());
    return 1;
  }
  return 0;
}

// A throwaway PostgreSQL server for programs developers run against the hub (its tests and its
// benchmark): initdb in a folder of its own, listening only on a free loopback port, stopped at
// the end. Never part of what is shipped: a library's hub is pointed at its own server.
#pragma once

#include "pavilion/core/error.h"

#include <filesystem>
#include <string>

namespace pavilion::support {

// initdb + pg_ctl start in `folder` (emptied first; owned by the postgres user when run as root,
// because the server refuses to run as root). Returns the server's base URI,
// "postgresql://pavilion@127.0.0.1:PORT", also written to `folder`/uri.
// `durable` keeps fsync on (benchmarks); tests turn it off.
Result<std::string> start_postgres(const std::filesystem::path& folder, bool durable = false);
// pg_ctl stop (fast), then `folder` is removed.
Result<void> stop_postgres(const std::filesystem::path& folder);

}  // namespace pavilion::support

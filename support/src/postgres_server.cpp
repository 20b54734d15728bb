#include "pavilion/support/postgres_server.h"

#include "pavilion/support/free_port.h"

#include <fmt/format.h>
#include <fcntl.h>
#include <pwd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <optional>
#include <vector>

namespace pavilion::support {
namespace {

std::optional<std::filesystem::path> postgres_binaries() {
  std::optional<std::filesystem::path> best;
  std::error_code ignored;
  for (const auto& entry : std::filesystem::directory_iterator("/usr/lib/postgresql", ignored)) {
    const auto bin = entry.path() / "bin";
    if (std::filesystem::exists(bin / "initdb") && (!best || bin > *best)) best = bin;
  }
  return best;
}

// Runs a program and waits; as the postgres user when we are root.
Result<void> run(const std::vector<std::string>& arguments, const std::filesystem::path& log) {
  std::vector<std::string> command;
  if (::geteuid() == 0) command = {"/usr/sbin/runuser", "-u", "postgres", "--"};
  command.insert(command.end(), arguments.begin(), arguments.end());
  const pid_t child = ::fork();
  if (child == 0) {
    const int output = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (output >= 0) {
      ::dup2(output, 1);
      ::dup2(output, 2);
    }
    std::vector<char*> argv;
    for (std::string& argument : command) argv.push_back(argument.data());
    argv.push_back(nullptr);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  int status = 0;
  ::waitpid(child, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return Error(ErrorCode::io, fmt::format("running {}", arguments.front()),
                 fmt::format("it failed (status {}); see {}", status, log.string()));
  }
  return {};
}

}  // namespace

Result<std::string> start_postgres(const std::filesystem::path& folder, bool durable) {
  const char* step = "starting a PostgreSQL server on a loopback port";
  const auto bin = postgres_binaries();
  if (!bin) return Error(ErrorCode::not_found, step, "no /usr/lib/postgresql/*/bin/initdb; run scripts/setup");
  std::filesystem::remove_all(folder);
  std::filesystem::create_directories(folder);
  if (::geteuid() == 0) {
    const passwd* postgres = ::getpwnam("postgres");
    if (postgres == nullptr) return Error(ErrorCode::not_found, step, "there is no postgres user; run scripts/setup");
    if (::chown(folder.c_str(), postgres->pw_uid, postgres->pw_gid) != 0) {
      return Error(ErrorCode::io, step, fmt::format("cannot hand {} to the postgres user", folder.string()));
    }
  }
  PV_TRY(run({(*bin / "initdb").string(), "-D", (folder / "data").string(), "-U", "pavilion", "--auth=trust", "-E",
              "UTF8", "--locale=C.UTF-8", "--no-sync"},
             folder / "initdb.log"));
  const uint16_t port = free_loopback_port();
  PV_TRY(run({(*bin / "pg_ctl").string(), "-D", (folder / "data").string(), "-l", (folder / "data" / "server.log").string(), "-w", "-t", "60", "-o",
              fmt::format("-c listen_addresses=127.0.0.1 -p {} -k {} -c fsync={} -c max_connections=200", port,
                          folder.string(), durable ? "on" : "off"),
              "start"},
             folder / "pg_ctl.log"));
  const std::string uri = fmt::format("postgresql://pavilion@127.0.0.1:{}", port);
  std::ofstream(folder / "uri") << uri;
  return uri;
}

Result<void> stop_postgres(const std::filesystem::path& folder) {
  const auto bin = postgres_binaries();
  if (!bin) return Error(ErrorCode::not_found, "stopping a loopback PostgreSQL server", "no PostgreSQL binaries");
  PV_TRY(run({(*bin / "pg_ctl").string(), "-D", (folder / "data").string(), "-m", "fast", "-w", "stop"},
             folder / "pg_ctl.log"));
  std::filesystem::remove_all(folder);
  return {};
}

}  // namespace pavilion::support

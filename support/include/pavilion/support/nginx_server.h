// Debian's nginx, run unprivileged for the programs developers run against the hub (the caching
// proxy test, distribution_bench): in the foreground as a child of the caller, on a free loopback
// port, with its configuration, logs, temporary files and pid in a folder of its own; stopped
// (SIGTERM, then waited for) when the handle goes. Never part of what is shipped: a library
// configures its own nginx.
#pragma once

#include "pavilion/core/error.h"

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

namespace pavilion::support {

// /usr/sbin/nginx (where Debian installs it, often outside an unprivileged user's PATH) or the
// first nginx on PATH; none: nginx is not installed (scripts/setup installs it).
std::optional<std::filesystem::path> find_nginx();

struct NginxSettings {
  std::filesystem::path program;  // find_nginx()'s
  std::filesystem::path folder;   // made if missing: nginx.conf, error.log, access.log, temporary files
  std::string http_directives;    // inside http {}, before the server (proxy_cache_path, sendfile, …)
  std::string server_directives;  // inside server {}, after its listen line: the locations
  unsigned workers = 1;
};

class NginxServer {
 public:
  // Writes the configuration, starts nginx and waits (at most 10 s) until it accepts
  // connections; an nginx that ends first or never listens is an error quoting its error.log.
  static Result<std::unique_ptr<NginxServer>> start(const NginxSettings& settings);
  ~NginxServer();
  NginxServer(const NginxServer&) = delete;
  NginxServer& operator=(const NginxServer&) = delete;

  uint16_t port() const { return port_; }
  std::string url() const;  // "http://127.0.0.1:PORT"
  pid_t pid() const { return pid_; }  // the master process; its workers are its children
  std::string error_log() const;

 private:
  NginxServer(std::filesystem::path folder, uint16_t port, pid_t pid) : folder_(std::move(folder)), port_(port), pid_(pid) {}
  std::filesystem::path folder_;
  uint16_t port_ = 0;
  pid_t pid_ = 0;
};

}  // namespace pavilion::support

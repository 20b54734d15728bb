#include "pavilion/support/nginx_server.h"

#include "pavilion/core/file.h"
#include "pavilion/support/free_port.h"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

namespace pavilion::support {
namespace {

namespace fs = std::filesystem;

bool accepts(uint16_t port) {
  const int probe = ::socket(AF_INET, SOCK_STREAM, 0);
  if (probe < 0) return false;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const bool connected = ::connect(probe, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  ::close(probe);
  return connected;
}

std::string read_error_log(const fs::path& folder) {
  auto bytes = read_file(folder / "error.log");
  return bytes.ok() ? std::string(reinterpret_cast<const char*>(bytes->data()), bytes->size()) : "(no error.log)";
}

}  // namespace

std::optional<fs::path> find_nginx() {
  std::vector<fs::path> places{"/usr/sbin/nginx"};
  if (const char* path = std::getenv("PATH")) {
    std::stringstream folders(path);
    for (std::string folder; std::getline(folders, folder, ':');) places.push_back(fs::path(folder) / "nginx");
  }
  for (const fs::path& place : places) {
    if (::access(place.c_str(), X_OK) == 0) return place;
  }
  return std::nullopt;
}

Result<std::unique_ptr<NginxServer>> NginxServer::start(const NginxSettings& settings) {
  const char* step = "starting nginx on a loopback port";
  std::error_code failure;
  fs::create_directories(settings.folder, failure);
  if (failure) return Error(ErrorCode::io, step, fmt::format("cannot make {}: {}", settings.folder.string(), failure.message()));
  const uint16_t port = free_loopback_port();
  if (port == 0) return Error(ErrorCode::io, step, "no free loopback port");
  // A master running as root hands its workers to `user`; the folder is theirs to write then.
  const std::string user = ::geteuid() == 0 ? "user root root;\n" : "";
  const fs::path config = settings.folder / "nginx.conf";
  std::ofstream(config) << fmt::format(R"({user}daemon off;
worker_processes {workers};
pid {folder}/nginx.pid;
error_log {folder}/error.log info;
events {{ worker_connections 256; }}
http {{
  access_log {folder}/access.log;
  client_body_temp_path {folder}/client_body;
  proxy_temp_path {folder}/proxy_temp;
  fastcgi_temp_path {folder}/fastcgi_temp;
  uwsgi_temp_path {folder}/uwsgi_temp;
  scgi_temp_path {folder}/scgi_temp;
{http}
  server {{
    listen 127.0.0.1:{port};
{server}
  }}
}}
)",
                                       fmt::arg("user", user), fmt::arg("workers", settings.workers),
                                       fmt::arg("folder", settings.folder.string()), fmt::arg("port", port),
                                       fmt::arg("http", settings.http_directives),
                                       fmt::arg("server", settings.server_directives));
  std::vector<std::string> arguments{settings.program.string(), "-p", settings.folder.string(), "-c", config.string(),
                                     "-e", (settings.folder / "error.log").string()};
  std::vector<char*> argv;
  for (std::string& argument : arguments) argv.push_back(argument.data());
  argv.push_back(nullptr);
  const pid_t pid = ::fork();
  if (pid < 0) return Error(ErrorCode::io, step, "fork failed");
  if (pid == 0) {
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  std::unique_ptr<NginxServer> server(new NginxServer(settings.folder, port, pid));
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (::waitpid(pid, &status, WNOHANG) == pid) {
      server->pid_ = 0;
      return Error(ErrorCode::io, step, "nginx ended: " + read_error_log(settings.folder));
    }
    if (accepts(port)) return server;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return Error(ErrorCode::io, step, "nginx did not listen within 10 s: " + read_error_log(settings.folder));
}

NginxServer::~NginxServer() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGTERM);
  int status = 0;
  ::waitpid(pid_, &status, 0);
}

std::string NginxServer::url() const { return fmt::format("http://127.0.0.1:{}", port_); }

std::string NginxServer::error_log() const { return read_error_log(folder_); }

}  // namespace pavilion::support

#include "hub_link/hub_process.h"

#include "pavilion/core/log.h"

#include <fmt/format.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <optional>
#include <string_view>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace pavilion::kiosk {
namespace {

constexpr std::string_view program_name = "pavilion-hub";
constexpr const char* starting_hub = "starting the kiosk's own hub";
// hub/README.md: the line `pavilion-hub serve` prints on its standard output once it listens.
constexpr std::string_view listening_prefix = "listening on ";

std::string describe_status(int status) {
  if (WIFSIGNALED(status)) return fmt::format("signal {} ({})", WTERMSIG(status), strsignal(WTERMSIG(status)));
  return fmt::format("exit status {}", WEXITSTATUS(status));
}

bool write_all(int fd, std::string_view text) {
  while (!text.empty()) {
    const ssize_t written = ::write(fd, text.data(), text.size());
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) return false;
    text.remove_prefix(static_cast<size_t>(written));
  }
  return true;
}

int milliseconds_until(std::chrono::steady_clock::time_point deadline) {
  const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
  return static_cast<int>(std::max<int64_t>(0, left.count()));
}

// glibc 2.36's <sys/pidfd.h> declares these without extern "C", so C++ cannot link them; the
// system calls are made directly.
int open_pidfd(pid_t pid) { return static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)); }
void signal_pidfd(int pidfd, int signal_number) { ::syscall(SYS_pidfd_send_signal, pidfd, signal_number, nullptr, 0); }

bool is_runnable(const std::filesystem::path& file) {
  std::error_code ignored;
  return std::filesystem::is_regular_file(file, ignored) && ::access(file.c_str(), X_OK) == 0;
}

}  // namespace

// One running program: its standard output read here a line at a time, its standard error copied
// to ours by a thread. Signals go through a pidfd, so a recycled process id is never signalled.
struct HubProcess::Child {
  pid_t pid = -1;
  int pidfd = -1;
  int out = -1;  // read end of the child's standard output
  std::string out_buffer;  // read past the last line returned
  std::thread forwarder;
  std::mutex mutex;
  std::string last_error_line;  // the child's last line on standard error; under `mutex`
  std::optional<int> status;   // once reaped
  std::chrono::milliseconds stop_timeout{0};  // between SIGTERM and SIGKILL

  struct Line {
    std::optional<std::string> text;  // none: the child closed its standard output, or the time ran out
    bool timed_out = false;
  };

  ~Child() {
    if (!status) finish(stop_timeout, true);
    if (out >= 0) ::close(out);
  }

  static Result<std::unique_ptr<Child>> spawn(const std::filesystem::path& program, const std::vector<std::string>& arguments,
                                              const std::vector<std::string>& environment, std::chrono::milliseconds stop_timeout);

  Line read_line(std::chrono::steady_clock::time_point deadline) {
    for (;;) {
      if (const size_t end = out_buffer.find('\n'); end != std::string::npos) {
        std::string text = out_buffer.substr(0, end);
        out_buffer.erase(0, end + 1);
        return {std::move(text), false};
      }
      pollfd ready{out, POLLIN, 0};
      const int polled = ::poll(&ready, 1, milliseconds_until(deadline));
      if (polled < 0 && errno == EINTR) continue;
      if (polled == 0) return {std::nullopt, true};
      char chunk[256];
      const ssize_t count = ::read(out, chunk, sizeof chunk);
      if (count < 0 && errno == EINTR) continue;
      if (count <= 0) return {std::nullopt, false};
      out_buffer.append(chunk, static_cast<size_t>(count));
    }
  }

  // Waits up to `grace` for the child to exit (after SIGTERM when `terminate`), then SIGKILL;
  // reaps it and joins the forwarder. Returns the wait status.
  int finish(std::chrono::milliseconds grace, bool terminate) {
    if (status) return *status;
    if (terminate) signal_pidfd(pidfd, SIGTERM);
    pollfd exited{pidfd, POLLIN, 0};
    int polled = 0;
    const auto deadline = std::chrono::steady_clock::now() + grace;
    do {
      polled = ::poll(&exited, 1, milliseconds_until(deadline));
    } while (polled < 0 && errno == EINTR);
    if (polled == 0) {
      log::warn("kiosk", "{} (pid {}) did not stop within {} ms; killing it", program_name, pid, grace.count());
      signal_pidfd(pidfd, SIGKILL);
    }
    int wait_status = 0;
    while (::waitpid(pid, &wait_status, 0) < 0 && errno == EINTR) {
    }
    status = wait_status;
    ::close(pidfd);
    if (forwarder.joinable()) forwarder.join();
    return wait_status;
  }

  std::string error_line() {
    std::lock_guard lock(mutex);
    return last_error_line;
  }

 private:
  // Copies whole lines, so that the kiosk's own log lines never land inside one of the hub's.
  void forward_errors(int fd) {
    std::string pending;
    char chunk[4096];
    auto emit = [&](std::string_view line) {
      write_all(STDERR_FILENO, fmt::format("{}\n", line));
      if (line.empty()) return;
      std::lock_guard lock(mutex);
      last_error_line = line;
    };
    for (;;) {
      const ssize_t count = ::read(fd, chunk, sizeof chunk);
      if (count < 0 && errno == EINTR) continue;
      if (count <= 0) break;
      pending.append(chunk, static_cast<size_t>(count));
      size_t start = 0;
      for (size_t end; (end = pending.find('\n', start)) != std::string::npos; start = end + 1) {
        emit(std::string_view(pending).substr(start, end - start));
      }
      pending.erase(0, start);
    }
    if (!pending.empty()) emit(pending);
    ::close(fd);
  }
};

Result<std::unique_ptr<HubProcess::Child>> HubProcess::Child::spawn(const std::filesystem::path& program,
                                                                    const std::vector<std::string>& arguments,
                                                                    const std::vector<std::string>& environment,
                                                                    std::chrono::milliseconds stop_timeout) {
  // Everything the child needs is allocated before fork(): after it, in a process with other
  // threads, only async-signal-safe calls are allowed until execve.
  std::vector<char*> argv;
  std::string program_text = program.string();
  argv.push_back(program_text.data());
  std::vector<std::string> argument_copies = arguments;
  for (std::string& argument : argument_copies) argv.push_back(argument.data());
  argv.push_back(nullptr);
  std::vector<std::string> environment_copies = environment;
  std::vector<char*> envp;
  for (std::string& entry : environment_copies) envp.push_back(entry.data());
  envp.push_back(nullptr);

  int out_pipe[2];
  int error_pipe[2];
  int exec_pipe[2];  // carries execve's errno; closed unread when execve succeeds
  if (::pipe2(out_pipe, O_CLOEXEC) != 0) return Error(ErrorCode::io, "creating a pipe for pavilion-hub", std::strerror(errno));
  if (::pipe2(error_pipe, O_CLOEXEC) != 0) {
    const int failure = errno;
    for (const int fd : out_pipe) ::close(fd);
    return Error(ErrorCode::io, "creating a pipe for pavilion-hub", std::strerror(failure));
  }
  if (::pipe2(exec_pipe, O_CLOEXEC) != 0) {
    const int failure = errno;
    for (const int fd : {out_pipe[0], out_pipe[1], error_pipe[0], error_pipe[1]}) ::close(fd);
    return Error(ErrorCode::io, "creating a pipe for pavilion-hub", std::strerror(failure));
  }
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid == 0) {
    // The hub must not outlive the kiosk; if the kiosk is already gone, stop here.
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (::getppid() != parent) ::_exit(127);
    ::dup2(out_pipe[1], STDOUT_FILENO);
    ::dup2(error_pipe[1], STDERR_FILENO);
    // A signal mask or ignored signals of the kiosk's would survive execve: the hub starts as it
    // would from a shell, except that a write to its standard error after a crashed kiosk took
    // the forwarding end along fails instead of killing it, so it still stops cleanly.
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    for (const int signal_number : {SIGTERM, SIGINT}) ::signal(signal_number, SIG_DFL);
    ::signal(SIGPIPE, SIG_IGN);
    ::execve(argv[0], argv.data(), envp.data());
    const int failure = errno;
    [[maybe_unused]] const ssize_t ignored = ::write(exec_pipe[1], &failure, sizeof failure);
    ::_exit(127);
  }
  const int fork_failure = errno;
  for (const int fd : {out_pipe[1], error_pipe[1], exec_pipe[1]}) ::close(fd);
  if (pid < 0) {
    for (const int fd : {out_pipe[0], error_pipe[0], exec_pipe[0]}) ::close(fd);
    return Error(ErrorCode::io, fmt::format("starting {}", program_text), std::strerror(fork_failure));
  }
  auto child = std::make_unique<Child>();
  child->pid = pid;
  child->stop_timeout = stop_timeout;
  child->out = out_pipe[0];
  child->pidfd = open_pidfd(pid);
  int exec_failure = 0;
  ssize_t count = 0;
  do {
    count = ::read(exec_pipe[0], &exec_failure, sizeof exec_failure);
  } while (count < 0 && errno == EINTR);
  ::close(exec_pipe[0]);
  if (child->pidfd < 0) {
    // Only on a kernel older than 5.3; without the pidfd the child cannot be watched safely.
    const int failure = errno;
    ::kill(pid, SIGKILL);
    while (::waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
    }
    child->status = 0;
    ::close(error_pipe[0]);
    return Error(ErrorCode::unsupported, fmt::format("watching {}", program_text), fmt::format("pidfd_open: {}", std::strerror(failure)));
  }
  child->forwarder = std::thread([raw = child.get(), fd = error_pipe[0]] { raw->forward_errors(fd); });
  if (count > 0) {
    child->finish(stop_timeout, false);  // it is exiting already
    return Error(ErrorCode::io, starting_hub,
                 fmt::format("{} could not be run: {}", program_text, std::strerror(exec_failure)));
  }
  return child;
}

Result<std::filesystem::path> find_hub_program(const std::filesystem::path& configured) {
  if (!configured.empty()) {
    if (is_runnable(configured)) return configured;
    return Error(ErrorCode::not_found, starting_hub, fmt::format("the hub program {} is not there or cannot be run", configured.string()));
  }
  if (const char* named = std::getenv("PAVILION_HUB_PROGRAM"); named != nullptr && *named != '\0') {
    if (is_runnable(named)) return std::filesystem::path(named);
    return Error(ErrorCode::not_found, starting_hub,
                 fmt::format("the hub program {} (PAVILION_HUB_PROGRAM) is not there or cannot be run", named));
  }
  std::error_code failure;
  const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", failure);
  if (failure) return Error(ErrorCode::io, starting_hub, fmt::format("/proc/self/exe cannot be read: {}", failure.message()));
  const std::filesystem::path installed = self.parent_path() / program_name;
  const std::filesystem::path build_tree = (self.parent_path().parent_path() / "hub" / program_name).lexically_normal();
  for (const auto& candidate : {installed, build_tree}) {
    if (is_runnable(candidate)) return candidate;
  }
  return Error(ErrorCode::not_found, starting_hub,
               fmt::format("{} was not found at {} or {}; install it beside {} or name it in PAVILION_HUB_PROGRAM",
                           program_name, installed.string(), build_tree.string(), self.filename().string()));
}

Result<std::unique_ptr<HubProcess>> HubProcess::start(const HubProcessOptions& options) {
  PV_TRY_ASSIGN(const std::filesystem::path program, find_hub_program(options.program));
  std::vector<std::string> environment;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    if (!std::string_view(*entry).starts_with("PAVILION_HUB_")) environment.emplace_back(*entry);
  }
  environment.push_back(fmt::format("PAVILION_HUB_LISTEN={}:{}", options.listen_address, options.port));
  environment.push_back(fmt::format("PAVILION_HUB_DATABASE={}", options.database.string()));
  environment.push_back("PAVILION_HUB_THREADS=1");  // one kiosk's uploads

  // Enrolling first also creates or migrates the database, so its problems are told here.
  PV_TRY_ASSIGN(auto enrol, Child::spawn(program, {"enrol", options.device_id}, environment, options.stop_timeout));
  const Child::Line token = enrol->read_line(std::chrono::steady_clock::now() + options.start_timeout);
  if (token.timed_out) {
    enrol->finish(options.stop_timeout, true);
    return Error(ErrorCode::io, starting_hub, fmt::format("{} enrol gave no token within {} ms", program_name, options.start_timeout.count()));
  }
  const int enrol_status = enrol->finish(options.start_timeout, false);
  if (!token.text || token.text->empty() || enrol_status != 0) {
    return Error(ErrorCode::io, starting_hub,
                 fmt::format("{} enrol {} failed ({}): {}", program_name, options.device_id, describe_status(enrol_status),
                             enrol->error_line()));
  }

  PV_TRY_ASSIGN(auto serve, Child::spawn(program, {"serve"}, environment, options.stop_timeout));
  const Child::Line listening = serve->read_line(std::chrono::steady_clock::now() + options.start_timeout);
  if (listening.timed_out) {
    serve->finish(options.stop_timeout, true);
    return Error(ErrorCode::io, starting_hub,
                 fmt::format("{} serve did not say it was listening within {} ms", program_name, options.start_timeout.count()));
  }
  if (!listening.text) {
    const int status = serve->finish(options.stop_timeout, false);
    return Error(ErrorCode::io, starting_hub,
                 fmt::format("{} serve stopped before listening on {}:{} ({}): {}", program_name, options.listen_address,
                             options.port, describe_status(status), serve->error_line()));
  }
  if (!listening.text->starts_with(listening_prefix)) {
    serve->finish(options.stop_timeout, true);
    return Error(ErrorCode::invalid_input, starting_hub,
                 fmt::format("{} serve said \"{}\" where \"{}URL\" was expected; is {} from the same release as the kiosk?",
                             program_name, *listening.text, listening_prefix, program.string()));
  }
  std::string url = listening.text->substr(listening_prefix.size());
  log::info("kiosk", "the kiosk's own hub ({}, pid {}) listens on {}", program.string(), serve->pid, url);
  return std::unique_ptr<HubProcess>(new HubProcess(std::move(serve), std::move(url), std::move(*token.text)));
}

HubProcess::HubProcess(std::unique_ptr<Child> child, std::string url, std::string device_token)
    : child_(std::move(child)), url_(std::move(url)), device_token_(std::move(device_token)) {}

HubProcess::~HubProcess() {
  const int status = child_->finish(child_->stop_timeout, true);
  if (status != 0) log::warn("kiosk", "the kiosk's own hub ended with {}", describe_status(status));
}

pid_t HubProcess::pid() const { return child_->pid; }

}  // namespace pavilion::kiosk

#include "pavilion/bounded_child/bounded_child.h"

#include "pavilion/core/sanitizers.h"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <new>
#include <optional>

#include <fcntl.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <sanitizer/common_interface_defs.h>  // called only where a sanitizer's runtime is linked
#include <unistd.h>

namespace pavilion::bounded_child {
namespace {


constexpr auto watch_interval_ms = 20;

// What the child writes before the bytes of its work.
constexpr char finished_mark = 'F';
constexpr char allocation_failed_mark = 'M';

// Set in the child when an allocation fails under its address-space limit. Importers catch
// std::bad_alloc and report a failed import; this flag is what says the limit was the reason.
bool allocation_failed = false;  // the child has one thread

void note_allocation_failure() {
  allocation_failed = true;
  throw std::bad_alloc();
}

// The sizes of /proc/<pid>/statm, in bytes: the whole address space and what is resident.
struct MemoryUse {
  uint64_t address_space = 0;
  uint64_t resident = 0;
};

std::optional<MemoryUse> memory_use(pid_t pid) {
  const std::string file = fmt::format("/proc/{}/statm", pid);
  const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  char text[128] = {};
  const ssize_t count = ::read(fd, text, sizeof text - 1);
  ::close(fd);
  unsigned long long pages = 0;
  unsigned long long resident = 0;
  if (count <= 0 || std::sscanf(text, "%llu %llu", &pages, &resident) != 2) return std::nullopt;
  const auto page = static_cast<uint64_t>(::sysconf(_SC_PAGESIZE));
  return MemoryUse{pages * page, resident * page};
}

bool write_all(int fd, const void* data, size_t size) {
  const auto* bytes = static_cast<const char*>(data);
  while (size > 0) {
    const ssize_t written = ::write(fd, bytes, size);
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) return false;
    bytes += written;
    size -= static_cast<size_t>(written);
  }
  return true;
}

// Reads what is in the pipe now, without waiting.
void drain(int fd, std::vector<std::byte>& received) {
  std::byte buffer[65536];
  for (;;) {
    const ssize_t count = ::read(fd, buffer, sizeof buffer);
    if (count < 0 && errno == EINTR) continue;
    if (count <= 0) return;  // empty (EAGAIN) or closed
    received.insert(received.end(), buffer, buffer + count);
  }
}

[[noreturn]] void run_child(int fd, pid_t parent, const ChildLimits& limits, const std::function<std::vector<std::byte>()>& work) {
  // A child left behind by a parent that died would run on to its CPU limit.
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() != parent) ::_exit(1);
  // Handlers the parent installed (a crash reporter, a fuzzer's) are for the parent: a crash or a
  // CPU limit here ends the child alone, without a core file.
  for (const int signal_number : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGXCPU}) std::signal(signal_number, SIG_DFL);
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  const rlimit no_core{0, 0};
  ::setrlimit(RLIMIT_CORE, &no_core);
  const auto cpu_seconds = static_cast<rlim_t>(limits.cpu_time.count());
  const rlimit cpu{cpu_seconds, cpu_seconds + 1};  // SIGXCPU at the limit, SIGKILL a second later
  ::setrlimit(RLIMIT_CPU, &cpu);
  if constexpr (address_sanitizer) {
    // No limit on the address space, which the sanitizer's shadow fills at its first allocation:
    // the parent's watch on the child's resident memory is the bound.
    // A sanitizer's report (it reports an allocation it cannot make, where glibc's would fail)
    // ends the child as a crash does; the parent's death callback, a fuzzer's that keeps the
    // input as a crash of its own, is the parent's.
    __sanitizer_set_death_callback(nullptr);
  } else {
    // The child starts with its parent's mappings (other threads' stacks, memory arenas); the
    // budget is what it may add to them.
    if (const auto use = memory_use(::getpid())) {
      const rlimit space{use->address_space + limits.memory_bytes, use->address_space + limits.memory_bytes};
      ::setrlimit(RLIMIT_AS, &space);
    }
  }
  std::set_new_handler(note_allocation_failure);
  std::vector<std::byte> output;
  bool out_of_memory = false;
  try {
    output = work();
  } catch (const std::bad_alloc&) {
    out_of_memory = true;
  }
  out_of_memory = out_of_memory || allocation_failed;
  const char mark = out_of_memory ? allocation_failed_mark : finished_mark;
  const bool sent = write_all(fd, &mark, 1) && (out_of_memory || write_all(fd, output.data(), output.size()));
  ::_exit(sent ? 0 : 1);
}

// A child at work, as its parent watches it.
struct Running {
  size_t index = 0;
  pid_t pid = -1;
  int fd = -1;  // the reading end of its pipe
  uint64_t resident_before = 0;
  std::chrono::steady_clock::time_point started;
  std::vector<std::byte> received;
  std::optional<ChildEnd> killed_for;
};

Result<Running> start_child(size_t index, const ChildLimits& limits, const std::function<std::vector<std::byte>()>& work) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return Error(ErrorCode::io, "creating a pipe to a child process", std::strerror(errno));
  Running running;
  running.index = index;
  running.fd = fds[0];
  const pid_t parent = ::getpid();
  running.resident_before = memory_use(parent).value_or(MemoryUse{}).resident;
  running.started = std::chrono::steady_clock::now();
  running.pid = ::fork();
  if (running.pid < 0) {
    const int error = errno;
    ::close(fds[0]);
    ::close(fds[1]);
    return Error(ErrorCode::io, "starting a child process", std::strerror(error));
  }
  if (running.pid == 0) {
    ::close(fds[0]);
    run_child(fds[1], parent, limits, work);
  }
  ::close(fds[1]);
  ::fcntl(running.fd, F_SETFL, O_NONBLOCK);
  return running;
}

std::string describe_status(int status) {
  if (WIFSIGNALED(status)) return fmt::format("signal {} ({})", WTERMSIG(status), strsignal(WTERMSIG(status)));
  return fmt::format("exit status {}", WEXITSTATUS(status));
}

ChildOutcome outcome_of(Running& child, int status) {
  ChildOutcome outcome;
  if (child.killed_for) {
    outcome.end = *child.killed_for;
  } else if (WIFSIGNALED(status) && WTERMSIG(status) == SIGXCPU) {
    outcome.end = ChildEnd::out_of_cpu_time;
  } else if (WIFEXITED(status) && WEXITSTATUS(status) == 0 && !child.received.empty()) {
    const auto mark = static_cast<char>(child.received.front());
    outcome.end = mark == allocation_failed_mark ? ChildEnd::out_of_memory : ChildEnd::finished;
    outcome.output.assign(child.received.begin() + 1, child.received.end());
  } else {
    outcome.end = ChildEnd::crashed;
    outcome.crash = describe_status(status);
  }
  return outcome;
}

}  // namespace

std::vector<Result<ChildOutcome>> run_in_children(size_t count, uint32_t parallel, const ChildLimits& limits,
                                                  const std::function<std::vector<std::byte>(size_t)>& work,
                                                  const std::function<void(size_t)>& ended) {
  std::vector<std::optional<Result<ChildOutcome>>> outcomes(count);
  auto end = [&](size_t index, Result<ChildOutcome> outcome) {
    outcomes[index].emplace(std::move(outcome));
    if (ended) ended(index);
  };
  std::vector<Running> running;
  size_t next = 0;
  while (next < count || !running.empty()) {
    for (; next < count && running.size() < std::max(parallel, 1u); ++next) {
      auto started = start_child(next, limits, [&, index = next] { return work(index); });
      if (started) {
        running.push_back(std::move(*started));
      } else {
        end(next, std::move(started).error());
      }
    }
    std::vector<pollfd> ready;
    for (const Running& child : running) ready.push_back({child.fd, POLLIN, 0});
    ::poll(ready.data(), ready.size(), watch_interval_ms);
    // A pipe's end-of-file cannot say a child is done: a child forked later holds a copy of the
    // writing end. The child's exit does; it has written everything by then.
    for (auto child = running.begin(); child != running.end();) {
      drain(child->fd, child->received);
      int status = 0;
      const pid_t waited = ::waitpid(child->pid, &status, WNOHANG);
      if (waited == child->pid || (waited < 0 && errno != EINTR)) {
        drain(child->fd, child->received);
        ::close(child->fd);
        end(child->index, outcome_of(*child, status));
        child = running.erase(child);
        continue;
      }
      if (!child->killed_for) {
        const auto use = memory_use(child->pid);
        if (std::chrono::steady_clock::now() - child->started > limits.wall_time) {
          child->killed_for = ChildEnd::out_of_wall_time;
        } else if (use && use->resident > child->resident_before + limits.memory_bytes) {
          child->killed_for = ChildEnd::out_of_memory;
        }
        if (child->killed_for) ::kill(child->pid, SIGKILL);
      }
      ++child;
    }
  }
  std::vector<Result<ChildOutcome>> results;
  results.reserve(count);
  for (auto& outcome : outcomes) results.push_back(std::move(*outcome));
  return results;
}

}  // namespace pavilion::bounded_child

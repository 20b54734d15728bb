// The kiosk's own hub as a child process: this build's pavilion-hub started on a free port with a
// database of the test's own, the kiosk enrolled there, the hub stopped with the kiosk (and when
// the kiosk dies without stopping it), and the sentence for each way starting it fails.
#include "hub_link/hub_process.h"
#include "temporary_folder.h"

#include "pavilion/core/log.h"
#include "pavilion/hub/server.h"
#include "pavilion/hub/store.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <thread>

namespace pavilion::kiosk {
namespace {

using namespace std::chrono_literals;
using pavilion::testing::TemporaryFolder;

HubProcessOptions options_in(const TemporaryFolder& folder) {
  HubProcessOptions options;
  options.program = PAVILION_HUB_PROGRAM_FILE;
  options.device_id = "test-kiosk";
  options.port = 0;
  options.database = folder / "hub.sqlite";
  return options;
}

// "http://127.0.0.1:PORT" → PORT
uint16_t port_of(const std::string& url) { return static_cast<uint16_t>(std::stoi(url.substr(url.rfind(':') + 1))); }

// A connected socket to 127.0.0.1:port, or -1.
int connect_to(uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0) return fd;
  ::close(fd);
  return -1;
}

// Whether a process that is not this one's child has ended: gone, or a zombie its new parent has
// not reaped yet (a container's init may never reap it).
bool has_ended(pid_t pid) {
  std::ifstream stat(fmt::format("/proc/{}/stat", pid));
  std::string line;
  if (!std::getline(stat, line)) return true;
  const size_t name_end = line.rfind(')');
  const char state = name_end + 2 < line.size() ? line[name_end + 2] : 'X';
  return state == 'Z' || state == 'X';
}

bool accepts_connections(uint16_t port) {
  const int fd = connect_to(port);
  if (fd >= 0) ::close(fd);
  return fd >= 0;
}

// The whole answer to one plain GET, status line first.
std::string http_get(uint16_t port, std::string_view target) {
  const int fd = connect_to(port);
  if (fd < 0) return {};
  const std::string request = fmt::format("GET {} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", target);
  std::string answer;
  if (::write(fd, request.data(), request.size()) == static_cast<ssize_t>(request.size())) {
    char chunk[4096];
    for (ssize_t count; (count = ::read(fd, chunk, sizeof chunk)) > 0;) answer.append(chunk, static_cast<size_t>(count));
  }
  ::close(fd);
  return answer;
}

// The kiosk's warnings while a test runs (a hub that had to be killed, or ended badly).
class Warnings {
 public:
  Warnings() {
    log::set_sink([this](log::Level level, std::string_view line) {
      if (level < log::Level::warn) return;
      std::lock_guard lock(mutex_);
      lines_.emplace_back(line);
    });
  }
  ~Warnings() { log::set_sink(nullptr); }
  std::vector<std::string> lines() {
    std::lock_guard lock(mutex_);
    return lines_;
  }

 private:
  std::mutex mutex_;
  std::vector<std::string> lines_;
};

TEST(KioskHubProcess, StartsTheHubOnAFreePortEnrolsTheKioskAndStopsItCleanly) {
  TemporaryFolder folder;
  Warnings warnings;
  auto started = HubProcess::start(options_in(folder));
  ASSERT_TRUE(started.ok()) << started.error().describe();
  std::unique_ptr<HubProcess> hub = std::move(started).value();
  EXPECT_TRUE(hub->url().starts_with("http://127.0.0.1:")) << hub->url();
  const uint16_t port = port_of(hub->url());
  EXPECT_NE(port, 0);

  const std::string health = http_get(port, "/healthz");
  EXPECT_TRUE(health.starts_with("HTTP/1.1 200 OK\r\n")) << health;
  EXPECT_NE(health.find(R"("backend":"sqlite")"), std::string::npos) << health;

  const pid_t pid = hub->pid();
  const std::string token = hub->device_token();
  const auto stopping = std::chrono::steady_clock::now();
  hub.reset();
  EXPECT_LT(std::chrono::steady_clock::now() - stopping, 3s) << "SIGTERM alone stops it";
  EXPECT_EQ(::kill(pid, 0), -1) << "the hub has exited and been reaped";
  EXPECT_FALSE(accepts_connections(port));
  EXPECT_TRUE(warnings.lines().empty()) << warnings.lines().front();

  // The token the kiosk holds is the one the hub stored for it.
  auto store = hub::open_store((folder / "hub.sqlite").string());
  ASSERT_TRUE(store.ok()) << store.error().describe();
  EXPECT_EQ((*store)->device_for_token(hub::hash_token(token)).value(), std::optional<std::string>("test-kiosk"));
}

TEST(KioskHubProcess, TheHubStopsWhenTheKioskDiesWithoutStoppingIt) {
  TemporaryFolder folder;
  int url_pipe[2];
  ASSERT_EQ(::pipe(url_pipe), 0);
  const pid_t kiosk = ::fork();
  ASSERT_GE(kiosk, 0);
  if (kiosk == 0) {
    // A kiosk that crashes: it starts its hub, says where, and ends without any destructor.
    ::close(url_pipe[0]);
    auto started = HubProcess::start(options_in(folder));
    const std::string said = started ? fmt::format("{} {}", (*started)->pid(), (*started)->url()) : std::string();
    [[maybe_unused]] const ssize_t written = ::write(url_pipe[1], said.data(), said.size());
    std::_Exit(started ? 0 : 1);
  }
  ::close(url_pipe[1]);
  std::string said(256, '\0');
  const ssize_t count = ::read(url_pipe[0], said.data(), said.size());
  ::close(url_pipe[0]);
  int status = 0;
  ASSERT_EQ(::waitpid(kiosk, &status, 0), kiosk);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "the hub did not start in the child";
  ASSERT_GT(count, 0);
  said.resize(static_cast<size_t>(count));
  const pid_t hub = static_cast<pid_t>(std::stoi(said));
  const uint16_t port = port_of(said);
  // The process's end, not only its closed port: the hub still closes its database after it stops
  // listening, and the folder is removed beneath it only once it is gone.
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (!has_ended(hub) && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(20ms);
  EXPECT_TRUE(has_ended(hub)) << "the hub outlived its kiosk";
  EXPECT_FALSE(accepts_connections(port));
}

TEST(KioskHubProcess, FindsTheHubBesideTheRunningProgramOrWhereTheEnvironmentSays) {
  ::unsetenv("PAVILION_HUB_PROGRAM");
  // This test's program is build/tests/…, so the build tree's rule finds build/hub/pavilion-hub.
  const auto found = find_hub_program({});
  ASSERT_TRUE(found.ok()) << found.error().describe();
  EXPECT_EQ(std::filesystem::weakly_canonical(*found), std::filesystem::weakly_canonical(PAVILION_HUB_PROGRAM_FILE));

  ::setenv("PAVILION_HUB_PROGRAM", "/nonexistent/pavilion-hub", 1);
  const auto named = find_hub_program({});
  ::unsetenv("PAVILION_HUB_PROGRAM");
  ASSERT_FALSE(named.ok());
  EXPECT_EQ(named.error().why(), "the hub program /nonexistent/pavilion-hub (PAVILION_HUB_PROGRAM) is not there or cannot be run");
}

TEST(KioskHubProcess, AMissingProgramIsOneSentenceNamingIt) {
  TemporaryFolder folder;
  HubProcessOptions options = options_in(folder);
  options.program = folder / "pavilion-hub";
  const auto started = HubProcess::start(options);
  ASSERT_FALSE(started.ok());
  EXPECT_EQ(started.error().code(), ErrorCode::not_found);
  EXPECT_EQ(started.error().why(), fmt::format("the hub program {} is not there or cannot be run", options.program.string()));
  EXPECT_FALSE(std::filesystem::exists(options.database)) << "nothing was started";
}

TEST(KioskHubProcess, AProgramThatIsNotAHubIsRefused) {
  TemporaryFolder folder;
  HubProcessOptions options = options_in(folder);
  // Enrols (prints a token) but then says something other than where it listens.
  options.program = folder / "not-a-hub";
  std::ofstream(options.program) << "#!/bin/sh\necho hello\n";
  std::filesystem::permissions(options.program, std::filesystem::perms::owner_all);
  const auto started = HubProcess::start(options);
  ASSERT_FALSE(started.ok());
  EXPECT_NE(started.error().why().find("pavilion-hub serve said \"hello\" where \"listening on URL\" was expected"),
            std::string::npos)
      << started.error().why();
}

TEST(KioskHubProcess, AHubThatCannotListenSaysWhyInTheSentence) {
  TemporaryFolder folder;
  auto first = HubProcess::start(options_in(folder));
  ASSERT_TRUE(first.ok()) << first.error().describe();
  HubProcessOptions options = options_in(folder);
  options.port = port_of((*first)->url());
  options.database = folder / "second.sqlite";
  const auto second = HubProcess::start(options);
  ASSERT_FALSE(second.ok());
  const std::string& why = second.error().why();
  EXPECT_TRUE(why.starts_with(fmt::format("pavilion-hub serve stopped before listening on 127.0.0.1:{} (exit status 1): pavilion-hub: ",
                                          options.port)))
      << why;
  EXPECT_NE(why.find("Address already in use"), std::string::npos) << why;
}

TEST(KioskHubProcess, ADatabaseThatCannotBeOpenedFailsAtEnrolmentWithTheHubsReason) {
  TemporaryFolder folder;
  HubProcessOptions options = options_in(folder);
  options.database = folder / "no-such-folder" / "hub.sqlite";
  const auto started = HubProcess::start(options);
  ASSERT_FALSE(started.ok());
  EXPECT_TRUE(started.error().why().starts_with("pavilion-hub enrol test-kiosk failed (exit status 1): pavilion-hub: "))
      << started.error().why();
  EXPECT_NE(started.error().why().find("no-such-folder"), std::string::npos) << started.error().why();
}

}  // namespace
}  // namespace pavilion::kiosk

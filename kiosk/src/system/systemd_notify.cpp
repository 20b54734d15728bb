#include "pavilion/kiosk/systemd_notify.h"

#include "pavilion/core/log.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>

namespace pavilion::kiosk {

SystemdNotifier::SystemdNotifier() {
  const char* path = std::getenv("NOTIFY_SOCKET");
  if (path == nullptr || path[0] == '\0') return;
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  const size_t length = std::strlen(path);
  if (length >= sizeof(address.sun_path)) {
    log::warn("kiosk", "NOTIFY_SOCKET is longer than a socket path may be; systemd will not hear from the kiosk");
    return;
  }
  std::memcpy(address.sun_path, path, length);
  // An abstract socket is named with a leading '@', which stands for a zero byte.
  if (address.sun_path[0] == '@') address.sun_path[0] = '\0';
  socket_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (socket_ < 0 ||
      ::connect(socket_, reinterpret_cast<const sockaddr*>(&address),
                static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + length)) != 0) {
    log::warn("kiosk", "cannot reach systemd's notification socket {}: {}", path, std::strerror(errno));
    if (socket_ >= 0) ::close(socket_);
    socket_ = -1;
    return;
  }
  if (const char* usec = std::getenv("WATCHDOG_USEC")) {
    watchdog_interval_ = std::chrono::microseconds(std::strtoull(usec, nullptr, 10)) / 2;
  }
}

SystemdNotifier::~SystemdNotifier() {
  if (socket_ >= 0) ::close(socket_);
}

void SystemdNotifier::send(std::string_view message) {
  if (socket_ < 0) return;
  // Never blocks: a render loop must not wait on a service manager that is not reading.
  if (::send(socket_, message.data(), message.size(), MSG_NOSIGNAL | MSG_DONTWAIT) < 0) {
    log::warn("kiosk", "systemd notification '{}' failed: {}", message, std::strerror(errno));
  }
}

void SystemdNotifier::ready() { send("READY=1"); }

void SystemdNotifier::status(std::string_view text) {
  if (socket_ < 0) return;
  send(std::string("STATUS=").append(text));
}

void SystemdNotifier::stopping() { send("STOPPING=1"); }

void SystemdNotifier::frame_done() {
  if (socket_ < 0 || watchdog_interval_.count() == 0) return;
  const auto now = std::chrono::steady_clock::now();
  if (now - last_ping_ < watchdog_interval_) return;
  last_ping_ = now;
  send("WATCHDOG=1");
}

}  // namespace pavilion::kiosk

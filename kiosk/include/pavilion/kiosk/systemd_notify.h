// systemd's notification protocol (sd_notify(3)), spoken directly over its datagram socket so
// the kiosk needs no libsystemd: READY=1 once the first frame is on screen, WATCHDOG=1 while
// frames keep coming (a hung render loop stops them, and systemd restarts the kiosk after
// WatchdogSec), STATUS= in words for `systemctl status`, STOPPING=1 on the way out. Does nothing
// when not started by systemd (NOTIFY_SOCKET unset).
#pragma once

#include <chrono>
#include <string_view>

namespace pavilion::kiosk {

class SystemdNotifier {
 public:
  // Reads NOTIFY_SOCKET and WATCHDOG_USEC from the environment.
  SystemdNotifier();
  ~SystemdNotifier();
  SystemdNotifier(const SystemdNotifier&) = delete;
  SystemdNotifier& operator=(const SystemdNotifier&) = delete;

  bool enabled() const { return socket_ >= 0; }
  void ready();
  void status(std::string_view text);
  void stopping();
  // Pings the watchdog at half its interval; call once per frame.
  void frame_done();

 private:
  void send(std::string_view message);
  int socket_ = -1;
  std::chrono::steady_clock::duration watchdog_interval_{};
  std::chrono::steady_clock::time_point last_ping_{};
};

}  // namespace pavilion::kiosk

// The kiosk's own hub (kiosk.json "hub": {"embedded": …}) as a child process running the
// pavilion-hub program, so that the kiosk never links the hub: no HTTP server or libpq in it.
// Linux only; all of it lives here.
//
// start() enrols this kiosk (`pavilion-hub enrol DEVICE`, whose standard output is the token),
// then runs `pavilion-hub serve` and returns once the hub has printed its one line
// "listening on URL" (hub/README.md), which carries the port a listen port of 0 was given. The
// listen address, database and one server thread reach the hub through its PAVILION_HUB_*
// variables; other PAVILION_HUB_* variables of the kiosk's environment are not passed on, so
// what this hub does depends on the options alone. The hub's log lines go on to the kiosk's
// standard error, a line at a time.
//
// Lifetime: the hub runs until the HubProcess is destroyed (SIGTERM, then SIGKILL after
// stop_timeout). If the kiosk dies without destroying it (a crash, kill -9), the kernel sends the
// hub SIGTERM (PR_SET_PDEATHSIG), so no hub outlives its kiosk. The kernel ties that signal to
// the thread that called start(): call it from a thread that outlives the HubProcess (the
// kiosk's main thread), never from a worker that may end first.
#pragma once

#include "pavilion/core/error.h"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include <sys/types.h>

namespace pavilion::kiosk {

struct HubProcessOptions {
  // The pavilion-hub program. Empty: $PAVILION_HUB_PROGRAM if set, else pavilion-hub in the
  // folder of the running program (installed side by side), else ../hub/pavilion-hub from it (the
  // build tree: build/kiosk/pavilion-kiosk finds build/hub/pavilion-hub).
  std::filesystem::path program;
  std::string device_id;                   // the name this kiosk is enrolled under
  std::string listen_address = "127.0.0.1";
  uint16_t port = 8470;                    // 0: any free port; url() says which
  std::filesystem::path database;          // an SQLite file, as hub.json's "database"
  std::chrono::milliseconds start_timeout{10'000};  // for each of enrol and serve to answer
  std::chrono::milliseconds stop_timeout{5'000};    // after SIGTERM, before SIGKILL
};

// Where the hub program is, by the rules of HubProcessOptions::program. Fails with a sentence
// naming every place looked at.
Result<std::filesystem::path> find_hub_program(const std::filesystem::path& configured);

class HubProcess {
 public:
  // Enrols the kiosk and starts the hub; fails with one sentence that says which step failed and
  // why (the program missing, the hub's own error message, no answer within start_timeout).
  // See the file's opening comment for the thread to call it from.
  static Result<std::unique_ptr<HubProcess>> start(const HubProcessOptions& options);
  // Stops the hub: SIGTERM, up to stop_timeout for it to finish its work and exit, then SIGKILL.
  ~HubProcess();
  HubProcess(const HubProcess&) = delete;
  HubProcess& operator=(const HubProcess&) = delete;

  const std::string& url() const { return url_; }                    // "http://127.0.0.1:8470"
  const std::string& device_token() const { return device_token_; }  // a secret: never logged
  pid_t pid() const;

  struct Child;  // the running program; defined with the implementation

 private:
  HubProcess(std::unique_ptr<Child> child, std::string url, std::string device_token);
  std::unique_ptr<Child> child_;
  std::string url_;
  std::string device_token_;
};

}  // namespace pavilion::kiosk

// Sends a kiosk's update status (device_status.h) to its hub's `PUT /v1/devices/status`: at once
// when it changed, again every `refresh` so the fleet report's "last seen" stays true through a
// night without visitors, and after a failure with the uploader's backoff. Only the latest status
// matters, so nothing is queued on disk: a status the hub never got is replaced by the next. It
// runs on its own thread; report() only copies and wakes it, so any thread may call it.
#pragma once

#include "pavilion/core/error.h"
#include "pavilion/telemetry/device_status.h"
#include "pavilion/telemetry/event.h"

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace pavilion::telemetry {

struct StatusReporterConfig {
  std::string hub_url;            // as UploaderConfig's
  std::filesystem::path ca_file;  // as UploaderConfig's
  std::string device_id;
  std::string token;
  std::chrono::milliseconds refresh{std::chrono::minutes(5)};
  std::chrono::milliseconds backoff_initial{2'000};
  std::chrono::milliseconds backoff_max{std::chrono::minutes(10)};
  std::chrono::milliseconds request_timeout{20'000};
  WallClock wall_clock_ms = system_clock_ms;
};

struct StatusReporterStats {
  uint64_t sent = 0;           // statuses the hub acknowledged
  uint64_t failed_attempts = 0;
  int64_t last_success_ms = 0;  // wall clock; 0 before the first
  bool token_refused = false;   // the hub answered 401/403: the kiosk must be enrolled again
  std::string last_error;       // empty after a success
};

class StatusReporter {
 public:
  static Result<std::unique_ptr<StatusReporter>> start(const StatusReporterConfig& config);
  // Stops after the request on its way, if any (at most request_timeout): a status not yet sent
  // is not worth delaying a shutdown for, the next start sends the kiosk's status anew.
  ~StatusReporter();
  StatusReporter(const StatusReporter&) = delete;
  StatusReporter& operator=(const StatusReporter&) = delete;

  // The latest status; sent at once unless it equals the one the hub already has.
  void report(const UpdateStatus& status);
  // Sends the latest status now, whatever the refresh and backoff say, and returns how that went
  // (an error when none was reported yet).
  Result<void> send_now();
  StatusReporterStats stats() const;

 private:
  explicit StatusReporter(const StatusReporterConfig& config);
  void run();

  StatusReporterConfig config_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable done_;
  bool stopping_ = false;
  std::optional<UpdateStatus> latest_;
  std::optional<UpdateStatus> acknowledged_;  // what the hub has
  bool changed_ = false;  // latest_ differs from acknowledged_
  uint64_t send_requests_ = 0;
  uint64_t sends_done_ = 0;
  Result<void> last_send_ = Result<void>{};
  StatusReporterStats stats_;
  std::thread thread_;
};

}  // namespace pavilion::telemetry

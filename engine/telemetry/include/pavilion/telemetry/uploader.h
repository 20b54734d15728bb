// Sends the local queue to the hub: batches by count and age, zstd-compressed, with the device's
// token; retries with exponential backoff and jitter; deletes events only once the hub has
// acknowledged them, and sets aside (never resends) those it refuses as invalid. It runs on its
// own thread with its own connection to the queue file, so a backlog of days never slows the
// render thread.
#pragma once

#include "pavilion/core/error.h"
#include "pavilion/http/client.h"
#include "pavilion/telemetry/event.h"
#include "pavilion/telemetry/local_queue.h"

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace pavilion::telemetry {

struct UploaderConfig {
  std::filesystem::path queue_file;
  std::string hub_url;  // "https://hub.library.example:8470" (or http:// on a closed network)
  std::filesystem::path ca_file;  // https: the authorities that sign the hub's certificate; empty: the system's
  std::string device_id;
  std::string token;
  uint64_t max_queued_events = 2'000'000;  // the queue's cap, as in TelemetryConfig
  size_t batch_events = 500;                   // a full batch goes at once…
  std::chrono::milliseconds batch_age{10'000};  // …a partial one once its first event waited this long
  std::chrono::milliseconds poll_interval{1'000};
  std::chrono::milliseconds backoff_initial{2'000};
  std::chrono::milliseconds backoff_max{std::chrono::minutes(10)};
  std::chrono::milliseconds request_timeout{20'000};
  // On shutdown, what is queued is sent for at most this long (unless the hub is failing).
  std::chrono::milliseconds shutdown_budget{3'000};
  WallClock wall_clock_ms = system_clock_ms;
};

struct UploaderStats {
  uint64_t batches_acknowledged = 0;
  uint64_t events_stored = 0;       // new at the hub
  uint64_t events_duplicate = 0;    // the hub had them already (a resend after a lost answer)
  uint64_t events_rejected = 0;     // refused as invalid and set aside in the queue's quarantine
  uint64_t queued = 0;              // waiting in the queue at the last look
  uint64_t quarantined = 0;         // set aside in the queue file, ever (not only this run)
  uint64_t failed_attempts = 0;
  uint32_t consecutive_failures = 0;
  std::chrono::milliseconds current_backoff{0};
  int64_t last_success_ms = 0;      // wall clock; 0 before the first
  bool token_refused = false;       // the hub answered 401/403: the kiosk must be enrolled again
  std::string last_error;           // empty after a success
};

class Uploader {
 public:
  static Result<std::unique_ptr<Uploader>> start(const UploaderConfig& config);
  // Sends what is queued within the shutdown budget, then stops.
  ~Uploader();
  Uploader(const Uploader&) = delete;
  Uploader& operator=(const Uploader&) = delete;

  // Sends every queued event now, whatever the batch thresholds and backoff say, and waits until
  // the queue is empty or an attempt failed (that failure is returned; backoff then resumes).
  Result<void> upload_now();
  UploaderStats stats() const;

 private:
  enum class Outcome { sent, queue_empty, failed };
  Uploader(const UploaderConfig& config, std::unique_ptr<LocalQueue> queue);
  void run();
  Outcome send_batch(http::Client& client);
  void record_failure(std::string why, std::chrono::milliseconds at_least = {});
  void note_counters(const QueueCounters& counters);

  UploaderConfig config_;
  std::unique_ptr<LocalQueue> queue_;
  size_t batch_events_ = 0;  // halved while the hub says a batch is too large

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable done_;
  bool stopping_ = false;
  uint64_t upload_requests_ = 0;
  uint64_t uploads_done_ = 0;
  Result<void> last_upload_ = Result<void>{};
  UploaderStats stats_;
  std::thread thread_;
};

}  // namespace pavilion::telemetry

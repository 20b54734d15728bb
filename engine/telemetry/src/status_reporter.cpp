#include "pavilion/telemetry/status_reporter.h"

#include "pavilion/telemetry/hub_answer.h"
#include "pavilion/core/log.h"
#include "pavilion/http/client.h"
#include "pavilion/telemetry/wire.h"

#include <fmt/format.h>

#include <algorithm>

namespace pavilion::telemetry {
namespace {

using Clock = std::chrono::steady_clock;
constexpr const char* sending = "reporting the kiosk's update status";

// What one attempt came to: the failure's wait (the hub's Retry-After, or the backoff ceiling
// for a refused token) travels with it.
struct Attempt {
  Result<void> outcome;
  std::chrono::milliseconds at_least{0};
  bool token_refused = false;
};

Attempt send_status(http::Client& client, const StatusReporterConfig& config, const UpdateStatus& status) {
  http::Request request{"PUT", "/v1/devices/status",
                        {{"Authorization", "Bearer " + config.token}, {"Content-Type", "application/json"}},
                        encode_status(config.device_id, config.wall_clock_ms(), status)};
  auto response = client.send(request);
  if (!response) return {std::move(response).error()};
  if (response->status == 200) return {Result<void>{}};
  const std::string reason = hub_reason(*response);
  if (response->status == 401 || response->status == 403) {
    return {Error(ErrorCode::io, sending, fmt::format("the hub refused this kiosk's token ({}); enrol the kiosk again", reason)),
            config.backoff_max, true};
  }
  return {Error(ErrorCode::io, sending, fmt::format("the hub answered {}", reason)), parse_retry_after(response->retry_after)};
}

}  // namespace

Result<std::unique_ptr<StatusReporter>> StatusReporter::start(const StatusReporterConfig& config) {
  const char* step = "starting the update-status reporter";
  PV_TRY(http::Endpoint::parse(config.hub_url).add_context(step));
  if (!is_valid_device_id(config.device_id)) {
    return Error(ErrorCode::invalid_input, step,
                 fmt::format("the device id \"{}\" must be 1–64 letters, digits, '.', '_' or '-'", config.device_id));
  }
  return std::unique_ptr<StatusReporter>(new StatusReporter(config));
}

StatusReporter::StatusReporter(const StatusReporterConfig& config) : config_(config) {
  thread_ = std::thread([this] { run(); });
}

StatusReporter::~StatusReporter() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  done_.notify_all();
  thread_.join();
}

void StatusReporter::report(const UpdateStatus& status) {
  {
    std::lock_guard lock(mutex_);
    latest_ = status;
    changed_ = !acknowledged_ || *acknowledged_ != status;
  }
  wake_.notify_all();
}

Result<void> StatusReporter::send_now() {
  std::unique_lock lock(mutex_);
  const uint64_t ticket = ++send_requests_;
  wake_.notify_all();
  done_.wait(lock, [&] { return sends_done_ >= ticket || stopping_; });
  return last_send_;
}

StatusReporterStats StatusReporter::stats() const {
  std::lock_guard lock(mutex_);
  return stats_;
}

void StatusReporter::run() {
  auto endpoint = http::Endpoint::parse(config_.hub_url);  // checked in start()
  http::Client client(std::move(endpoint).value(), config_.request_timeout, config_.ca_file);
  // The next send without being asked: the refresh after a success, the retry after a failure.
  Clock::time_point next_attempt = Clock::now() + config_.refresh;
  bool backing_off = false;
  uint32_t failures = 0;
  std::unique_lock lock(mutex_);
  for (;;) {
    // A changed status goes at once, unless the hub is failing: then it waits for the retry.
    wake_.wait_until(lock, next_attempt,
                     [&] { return stopping_ || send_requests_ > sends_done_ || (changed_ && !backing_off); });
    if (stopping_) return;
    const uint64_t requests = send_requests_;
    const bool asked = requests > sends_done_;
    if (!asked && !(changed_ && !backing_off) && Clock::now() < next_attempt) continue;
    Result<void> outcome = Error(ErrorCode::invalid_input, sending, "the updater has not reported a status yet");
    if (!latest_) next_attempt = Clock::now() + config_.refresh;
    if (latest_) {
      const UpdateStatus status = *latest_;
      changed_ = false;  // a report() while this one is on its way sets it again
      lock.unlock();
      Attempt attempt = send_status(client, config_, status);
      lock.lock();
      outcome = std::move(attempt.outcome);
      if (outcome) {
        failures = 0;
        backing_off = false;
        acknowledged_ = status;
        next_attempt = Clock::now() + config_.refresh;
        ++stats_.sent;
        stats_.last_success_ms = config_.wall_clock_ms();
        stats_.token_refused = false;
        stats_.last_error.clear();
      } else {
        backing_off = true;
        next_attempt = Clock::now() + std::max(backoff_delay(config_.backoff_initial, config_.backoff_max, ++failures),
                                               attempt.at_least);
        ++stats_.failed_attempts;
        stats_.token_refused = attempt.token_refused;
        const std::string why = outcome.error().describe();
        if (why != stats_.last_error) log::warn("telemetry", "{}", why);
        stats_.last_error = why;
      }
    }
    if (asked) {
      last_send_ = outcome;
      sends_done_ = requests;
      done_.notify_all();
    }
  }
}

}  // namespace pavilion::telemetry

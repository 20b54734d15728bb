#include "pavilion/telemetry/uploader.h"

#include "pavilion/telemetry/hub_answer.h"
#include "pavilion/core/log.h"
#include "pavilion/telemetry/wire.h"

#include <fmt/format.h>
#include <zstd.h>

#include <algorithm>
#include <unordered_set>

namespace pavilion::telemetry {
namespace {

using Clock = std::chrono::steady_clock;

}  // namespace

Result<std::unique_ptr<Uploader>> Uploader::start(const UploaderConfig& config) {
  const char* step = "starting the interaction-log uploader";
  PV_TRY(http::Endpoint::parse(config.hub_url).add_context(step));
  if (!is_valid_device_id(config.device_id)) {
    return Error(ErrorCode::invalid_input, step,
                 fmt::format("the device id \"{}\" must be 1–64 letters, digits, '.', '_' or '-'", config.device_id));
  }
  if (config.batch_events == 0) return Error(ErrorCode::invalid_input, step, "a batch must hold at least one event");
  PV_TRY_ASSIGN(auto queue, LocalQueue::open(config.queue_file, config.max_queued_events));
  return std::unique_ptr<Uploader>(new Uploader(config, std::move(queue)));
}

Uploader::Uploader(const UploaderConfig& config, std::unique_ptr<LocalQueue> queue)
    : config_(config), queue_(std::move(queue)), batch_events_(config.batch_events) {
  thread_ = std::thread([this] { run(); });
}

Uploader::~Uploader() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

Result<void> Uploader::upload_now() {
  std::unique_lock lock(mutex_);
  const uint64_t ticket = ++upload_requests_;
  wake_.notify_all();
  done_.wait(lock, [&] { return uploads_done_ >= ticket || stopping_; });
  return last_upload_;
}

UploaderStats Uploader::stats() const {
  std::lock_guard lock(mutex_);
  return stats_;
}

void Uploader::note_counters(const QueueCounters& counters) {
  std::lock_guard lock(mutex_);
  stats_.queued = counters.queued;
  stats_.quarantined = counters.quarantined;
}

void Uploader::record_failure(std::string why, std::chrono::milliseconds at_least) {
  std::lock_guard lock(mutex_);
  ++stats_.failed_attempts;
  ++stats_.consecutive_failures;
  stats_.current_backoff = std::max(backoff_delay(config_.backoff_initial, config_.backoff_max, stats_.consecutive_failures), at_least);
  if (why != stats_.last_error) log::warn("telemetry", "uploading interaction events: {}", why);
  stats_.last_error = std::move(why);
}

Uploader::Outcome Uploader::send_batch(http::Client& client) {
  auto events = queue_->oldest(batch_events_);
  auto counters = queue_->counters();
  if (!events || !counters) {
    record_failure((!events ? events.error() : counters.error()).describe());
    return Outcome::failed;
  }
  note_counters(*counters);
  if (events->empty()) return Outcome::queue_empty;
  const BatchHeader header{config_.device_id, config_.wall_clock_ms(), counters->dropped_over_cap,
                           counters->dropped_ring_full};
  const std::string json = encode_batch(header, *events);
  http::Request request;
  request.target = "/v1/events";
  request.headers = {{"Authorization", "Bearer " + config_.token},
                     {"Content-Type", "application/json"},
                     {"Content-Encoding", "zstd"}};
  request.body.resize(ZSTD_compressBound(json.size()));
  const size_t compressed = ZSTD_compress(request.body.data(), request.body.size(), json.data(), json.size(), 3);
  if (ZSTD_isError(compressed)) {
    record_failure(fmt::format("compressing a batch: {}", ZSTD_getErrorName(compressed)));
    return Outcome::failed;
  }
  request.body.resize(compressed);

  auto response = client.send(request);
  if (!response) {
    record_failure(response.error().describe());
    return Outcome::failed;
  }
  const int status = response->status;
  std::vector<uint64_t> stored;
  std::vector<LocalQueue::Rejection> rejected;
  uint64_t duplicates = 0;
  if (status == 413 && batch_events_ > 1) {
    batch_events_ = std::max<size_t>(1, batch_events_ / 2);
    log::warn("telemetry", "the hub finds batches too large; sending {} events at a time", batch_events_);
    return Outcome::sent;  // nothing lost; the next, smaller batch goes at once
  }
  if (status == 401 || status == 403) {
    {
      std::lock_guard lock(mutex_);
      stats_.token_refused = true;
    }
    record_failure(fmt::format("the hub refused this kiosk's token ({}); enrol the kiosk again", hub_reason(*response)),
                   config_.backoff_max);
    return Outcome::failed;
  }
  if (status == 400 || status == 413) {
    // The hub could not read the batch at all: resending it would fail the same way forever.
    const std::string reason = hub_reason(*response);
    for (const Event& event : *events) rejected.push_back({event.sequence, reason});
  } else if (status == 200) {
    const std::optional<BatchAnswer> answer = read_batch_answer(response->body);
    if (!answer) {
      record_failure(fmt::format("the hub's answer is not a hub's answer to a batch: {:.200}", response->body));
      return Outcome::failed;
    }
    duplicates = answer->duplicates;
    std::unordered_set<uint64_t> refused;
    for (const BatchAnswer::Rejected& item : answer->rejected) {
      if (!item.sequence) continue;  // a refusal this kiosk cannot place on an event
      refused.insert(*item.sequence);
      rejected.push_back({*item.sequence, item.reason});
    }
    for (const Event& event : *events) {
      if (!refused.contains(event.sequence)) stored.push_back(event.sequence);
    }
  } else {
    record_failure(fmt::format("the hub answered {}", hub_reason(*response)),
                   parse_retry_after(response->retry_after));
    return Outcome::failed;
  }
  if (auto acknowledged = queue_->acknowledge(stored, rejected); !acknowledged) {
    // The hub has them; they go again and are counted there as duplicates, never twice.
    record_failure(acknowledged.error().describe());
    return Outcome::failed;
  }
  if (!rejected.empty()) {
    log::warn("telemetry", "the hub refused {} interaction events; they are kept aside in {} (first reason: {})",
              rejected.size(), queue_->file().string(), rejected.front().reason);
  }
  if (auto left = queue_->counters()) note_counters(*left);
  std::lock_guard lock(mutex_);
  ++stats_.batches_acknowledged;
  stats_.events_stored += stored.size() - std::min<uint64_t>(duplicates, stored.size());
  stats_.events_duplicate += duplicates;
  stats_.events_rejected += rejected.size();
  stats_.consecutive_failures = 0;
  stats_.current_backoff = {};
  stats_.token_refused = false;
  stats_.last_success_ms = config_.wall_clock_ms();
  stats_.last_error.clear();
  return Outcome::sent;
}

void Uploader::run() {
  auto endpoint = http::Endpoint::parse(config_.hub_url);  // checked in start()
  http::Client client(std::move(endpoint).value(), config_.request_timeout, config_.ca_file);
  // When unsent events were first seen waiting; `max()` while the queue is empty.
  constexpr Clock::time_point none_waiting = Clock::time_point::max();
  Clock::time_point waiting_since = none_waiting;
  Clock::time_point next_attempt = Clock::now();
  for (;;) {
    uint64_t requests = 0;
    bool stopping = false;
    {
      std::unique_lock lock(mutex_);
      const auto wake_at = std::max(Clock::now() + config_.poll_interval, next_attempt);
      wake_.wait_until(lock, wake_at, [&] { return stopping_ || upload_requests_ > uploads_done_; });
      requests = upload_requests_;
      stopping = stopping_;
    }
    const bool asked = requests > uploads_done_;
    const auto now = Clock::now();
    bool send = asked || stopping;
    if (!send && now >= next_attempt) {
      auto counters = queue_->counters();
      const uint64_t queued = counters ? counters->queued : 0;
      if (counters) note_counters(*counters);
      if (queued == 0) waiting_since = none_waiting;
      if (queued > 0 && waiting_since == none_waiting) waiting_since = now;
      send = queued >= batch_events_ || (waiting_since != none_waiting && now - waiting_since >= config_.batch_age);
    }
    Result<void> outcome;
    if (send && (!stopping || stats().consecutive_failures == 0)) {
      const auto deadline = now + config_.shutdown_budget;
      // A backlog goes batch after batch; the budget bounds only the last round before stopping.
      for (;;) {
        const Outcome sent = send_batch(client);
        if (sent == Outcome::queue_empty) {
          waiting_since = none_waiting;
          next_attempt = Clock::now();
          break;
        }
        if (sent == Outcome::failed) {
          const UploaderStats now_stats = stats();
          next_attempt = Clock::now() + now_stats.current_backoff;
          outcome = Error(ErrorCode::io, "uploading interaction events", now_stats.last_error);
          break;
        }
        if (stopping && Clock::now() >= deadline) break;
        std::lock_guard lock(mutex_);
        if (stopping_ && !stopping) break;
      }
    }
    {
      std::lock_guard lock(mutex_);
      if (asked) {
        last_upload_ = outcome;
        uploads_done_ = requests;
      }
    }
    done_.notify_all();
    if (stopping) return;
  }
}

}  // namespace pavilion::telemetry

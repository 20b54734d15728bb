#include "pavilion/telemetry/telemetry.h"

#include "pavilion/core/log.h"

#include <fmt/format.h>

#include <bit>

namespace pavilion::telemetry {
namespace {

// A batch that could not be written is kept and retried; beyond this many events the oldest
// go (counted as dropped) so a disk that stays full cannot take the kiosk's memory.
constexpr size_t max_pending_batches = 16;

}  // namespace

Result<std::unique_ptr<Telemetry>> Telemetry::start(const TelemetryConfig& config) {
  if (!std::has_single_bit(config.ring_capacity) || config.ring_capacity < 16) {
    return Error(ErrorCode::invalid_input, "starting interaction logging",
                 fmt::format("the ring holds {} events; it must be a power of two, at least 16", config.ring_capacity));
  }
  PV_TRY_ASSIGN(auto queue, LocalQueue::open(config.queue_file, config.max_queued_events));
  PV_TRY_ASSIGN(const QueueCounters counters, queue->counters());
  return std::unique_ptr<Telemetry>(new Telemetry(config, std::move(queue), counters.next_sequence));
}

Telemetry::Telemetry(const TelemetryConfig& config, std::unique_ptr<LocalQueue> queue, uint64_t first_sequence)
    : config_(config), queue_(std::move(queue)), slots_(new Slot[config.ring_capacity]), mask_(config.ring_capacity - 1) {
  for (uint64_t index = 0; index < config.ring_capacity; ++index) slots_[index].stamp.store(index, std::memory_order_relaxed);
  next_sequence_.store(first_sequence, std::memory_order_relaxed);
  writer_ = std::thread([this] { run_writer(); });
}

Telemetry::~Telemetry() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  writer_.join();
}

void Telemetry::set_package(std::string_view id, std::string_view version) {
  package_id_.assign(id);
  package_version_.assign(version);
}

bool Telemetry::record(EventType type, std::string_view subject, int64_t value) {
  return record_event(type, package_id_, package_version_, subject, value);
}

bool Telemetry::record(EventType type, const PackageRef& package, std::string_view subject, int64_t value) {
  FixedText<48> id;
  FixedText<24> version;
  id.assign(package.id);
  version.assign(package.version);
  return record_event(type, id, version, subject, value);
}

bool Telemetry::record_event(EventType type, const FixedText<48>& package_id, const FixedText<24>& package_version,
                             std::string_view subject, int64_t value) {
  const int64_t now = config_.wall_clock_ms();
  if (type == EventType::session_start) session_ = make_uuid_v4();
  // The number is taken even when the ring is full, so the loss shows as a gap at the hub.
  const uint64_t sequence = next_sequence_.fetch_add(1, std::memory_order_relaxed);
  recorded_.fetch_add(1, std::memory_order_relaxed);
  uint64_t position = head_.load(std::memory_order_relaxed);
  Slot* slot = nullptr;
  for (;;) {
    slot = &slots_[position & mask_];
    const uint64_t stamp = slot->stamp.load(std::memory_order_acquire);
    const auto difference = static_cast<int64_t>(stamp - position);
    if (difference == 0) {
      if (head_.compare_exchange_weak(position, position + 1, std::memory_order_relaxed)) break;
    } else if (difference < 0) {
      ring_drops_.fetch_add(1, std::memory_order_relaxed);
      ring_drops_total_.fetch_add(1, std::memory_order_relaxed);
      if (type == EventType::session_end) session_ = {};
      return false;
    } else {
      position = head_.load(std::memory_order_relaxed);
    }
  }
  Event& event = slot->event;
  event.id = make_uuid_v7(now);
  event.sequence = sequence;
  event.created_ms = now;
  event.type = type;
  event.session = session_;
  event.package_id = package_id;
  event.package_version = package_version;
  event.subject.assign(subject);
  event.value = value;
  slot->stamp.store(position + 1, std::memory_order_release);
  if (type == EventType::session_end) session_ = {};
  return true;
}

void Telemetry::drain_into(std::vector<Event>& batch) {
  for (;;) {
    Slot& slot = slots_[tail_ & mask_];
    if (slot.stamp.load(std::memory_order_acquire) != tail_ + 1) return;
    batch.push_back(slot.event);
    slot.stamp.store(tail_ + mask_ + 1, std::memory_order_release);
    ++tail_;
  }
}

void Telemetry::run_writer() {
  std::vector<Event> pending;
  pending.reserve(config_.ring_capacity);
  for (;;) {
    uint64_t requests = 0;
    bool stopping = false;
    {
      std::unique_lock lock(mutex_);
      wake_.wait_for(lock, config_.flush_interval, [&] { return stopping_ || flush_requests_ > flushes_done_; });
      requests = flush_requests_;
      stopping = stopping_;
    }
    drain_into(pending);
    const uint64_t ring_drops = ring_drops_.exchange(0, std::memory_order_relaxed);
    const uint64_t handed_out = next_sequence_.load(std::memory_order_relaxed);
    Result<void> written =
        pending.empty() && ring_drops == 0 ? Result<void>{} : queue_->append(pending, ring_drops, handed_out);
    {
      std::lock_guard lock(mutex_);
      if (written) {
        written_ += pending.size();
        pending.clear();
        last_error_.clear();
      } else {
        ++write_failures_;
        last_error_ = written.error().describe();
        ring_drops_.fetch_add(ring_drops, std::memory_order_relaxed);  // counted with the next write
        const size_t limit = max_pending_batches * config_.ring_capacity;
        if (pending.size() > limit) {
          const size_t excess = pending.size() - limit;
          pending.erase(pending.begin(), pending.begin() + static_cast<ptrdiff_t>(excess));
          ring_drops_.fetch_add(excess, std::memory_order_relaxed);
          ring_drops_total_.fetch_add(excess, std::memory_order_relaxed);
        }
      }
      flushes_done_ = requests;
    }
    flushed_.notify_all();
    // Stop only with nothing left behind, or when writing keeps failing.
    if (stopping && !written && !pending.empty()) {
      log::error("telemetry", "{} interaction events could not be written before shutting down: {}", pending.size(),
                 written.error().describe());
    }
    if (stopping && (pending.empty() || !written)) return;
  }
}

Result<void> Telemetry::flush() {
  std::unique_lock lock(mutex_);
  const uint64_t ticket = ++flush_requests_;
  const uint64_t failures_before = write_failures_;
  wake_.notify_one();
  flushed_.wait(lock, [&] { return flushes_done_ >= ticket; });
  if (write_failures_ != failures_before) {
    return Error(ErrorCode::io, "writing interaction events to the local queue", last_error_);
  }
  return {};
}

TelemetryStats Telemetry::stats() const {
  std::lock_guard lock(mutex_);
  return {recorded_.load(std::memory_order_relaxed), written_, ring_drops_total_.load(std::memory_order_relaxed),
          write_failures_, last_error_};
}

}  // namespace pavilion::telemetry

// The kiosk's side of interaction logging. The render thread records events into a lock-free
// ring (no locks, no allocation, no I/O); a writer thread moves them into the LocalQueue every
// flush interval. Destruction flushes everything recorded.
#pragma once

#include "pavilion/core/error.h"
#include "pavilion/telemetry/event.h"
#include "pavilion/telemetry/local_queue.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace pavilion::telemetry {

struct TelemetryConfig {
  std::filesystem::path queue_file;
  uint32_t ring_capacity = 4096;  // a power of two: events held between flushes
  std::chrono::milliseconds flush_interval{250};
  uint64_t max_queued_events = 2'000'000;  // about 400 MB; days of a busy kiosk offline
  WallClock wall_clock_ms = system_clock_ms;
};

// A scene package, as events name it.
struct PackageRef {
  std::string_view id;
  std::string_view version;
};

struct TelemetryStats {
  uint64_t recorded = 0;
  uint64_t written = 0;
  uint64_t dropped_ring_full = 0;
  uint64_t write_failures = 0;
  std::string last_error;  // empty while writes succeed
};

class Telemetry {
 public:
  static Result<std::unique_ptr<Telemetry>> start(const TelemetryConfig& config);
  ~Telemetry();
  Telemetry(const Telemetry&) = delete;
  Telemetry& operator=(const Telemetry&) = delete;

  // Any thread; safe for the render thread: no locks, no allocation, no I/O. A session_start
  // makes a new anonymous session id, carried by every event until session_end. Returns false
  // when the ring is full (the event's sequence number is then a gap the hub sees, and it is
  // counted as dropped).
  bool record(EventType type, std::string_view subject = {}, int64_t value = 0);
  // As record(), for an event about a package's content (an exhibit, a poem): it names `package`,
  // not the package shown, since a visitor can open an exhibit of another package from the menu
  // while the scene being left is still on screen.
  bool record(EventType type, const PackageRef& package, std::string_view subject, int64_t value = 0);
  // The package the next events not about a package's content are about: the scene shown (the
  // render thread only).
  void set_package(std::string_view id, std::string_view version);

  // Blocks until everything recorded before the call is in the queue file (or a write failed).
  Result<void> flush();
  TelemetryStats stats() const;

 private:
  Telemetry(const TelemetryConfig& config, std::unique_ptr<LocalQueue> queue, uint64_t first_sequence);
  bool record_event(EventType type, const FixedText<48>& package_id, const FixedText<24>& package_version,
                    std::string_view subject, int64_t value);
  void run_writer();
  void drain_into(std::vector<Event>& batch);

  TelemetryConfig config_;
  std::unique_ptr<LocalQueue> queue_;

  // The ring: a bounded multi-producer, single-consumer queue of slots with sequence stamps.
  struct Slot {
    std::atomic<uint64_t> stamp{0};
    Event event;
  };
  std::unique_ptr<Slot[]> slots_;
  uint64_t mask_ = 0;
  std::atomic<uint64_t> head_{0};   // next slot to claim (producers)
  uint64_t tail_ = 0;               // next slot to read (writer thread only)
  std::atomic<uint64_t> next_sequence_{0};
  std::atomic<uint64_t> recorded_{0};
  std::atomic<uint64_t> ring_drops_{0};        // not yet counted in the queue file
  std::atomic<uint64_t> ring_drops_total_{0};

  // Set by the render thread only.
  Uuid session_{};
  FixedText<48> package_id_;
  FixedText<24> package_version_;

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable flushed_;
  bool stopping_ = false;
  uint64_t flush_requests_ = 0;
  uint64_t flushes_done_ = 0;
  uint64_t written_ = 0;
  uint64_t write_failures_ = 0;
  std::string last_error_;
  std::thread writer_;
};

}  // namespace pavilion::telemetry

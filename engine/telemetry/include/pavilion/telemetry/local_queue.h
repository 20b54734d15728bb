// The kiosk's durable event queue: one SQLite file in WAL mode with full synchronisation, so an
// event written survives the process being killed and the machine being switched off at the
// wall. Events stay until the hub has acknowledged them; a cap on their number drops the oldest
// and counts every one dropped. Space freed by deletions is given back to the file system.
#pragma once

#include "pavilion/core/error.h"
#include "pavilion/telemetry/event.h"

#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <vector>

struct sqlite3;

namespace pavilion::telemetry {

struct QueueCounters {
  uint64_t queued = 0;               // events in the file now
  uint64_t next_sequence = 0;        // the number the next event recorded on this device gets
  uint64_t dropped_over_cap = 0;     // oldest events removed because the cap was reached, ever
  uint64_t dropped_ring_full = 0;    // events the render thread could not hand over, ever
  uint64_t quarantined = 0;          // events the hub refused as invalid, kept aside
};

class LocalQueue {
 public:
  // Opens or creates the queue (and its schema, migrating older ones). `max_events` caps it.
  static Result<std::unique_ptr<LocalQueue>> open(const std::filesystem::path& file, uint64_t max_events);
  ~LocalQueue();
  LocalQueue(const LocalQueue&) = delete;
  LocalQueue& operator=(const LocalQueue&) = delete;

  // Appends in one transaction, then enforces the cap. `ring_drops` adds to dropped_ring_full;
  // `handed_out` is how many sequence numbers the device has given out so far (the next start
  // goes on after them, even those of events that never arrived). On failure (a full disk)
  // nothing of the batch is stored and the caller keeps it.
  Result<void> append(std::span<const Event> events, uint64_t ring_drops = 0, uint64_t handed_out = 0);
  // The oldest events, at most `count`, in sequence order.
  Result<std::vector<Event>> oldest(size_t count) const;
  struct Rejection {
    uint64_t sequence = 0;
    std::string reason;
  };
  // After the hub's answer, in one transaction: `stored` events leave the queue, `rejected` ones
  // move to the quarantine table with the hub's reason (so they are not sent again). Then the
  // freed space goes back to the file system.
  Result<void> acknowledge(std::span<const uint64_t> stored, std::span<const Rejection> rejected = {});
  Result<std::vector<Rejection>> quarantined() const;
  Result<QueueCounters> counters() const;
  const std::filesystem::path& file() const { return file_; }

 private:
  LocalQueue(std::filesystem::path file, sqlite3* database, uint64_t max_events);
  Result<void> execute(const char* sql, std::string_view what) const;

  std::filesystem::path file_;
  sqlite3* database_ = nullptr;
  uint64_t max_events_ = 0;
};

}  // namespace pavilion::telemetry

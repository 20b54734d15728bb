// A branch hub's forwarding of its kiosks' events to its upstream hub (hub/README.md, "Branch
// hubs"). Ingest puts every new event in the store's relay outbox, in the batch's transaction;
// this thread sends the outbox's oldest events upstream, one device per request
// (POST /v1/relay/events, the kiosks' batch format with the device's id, its drop totals and the
// sequences this hub refused), and takes them out of the outbox only once the upstream hub has
// answered 200. A branch killed between the two sends them again, and the upstream hub's
// deduplication by event id stores them once. While the WAN is down it waits, longer after each
// failure (a Retry-After is honoured), and nothing leaves the outbox. Once the outbox is empty,
// each kiosk's update status newer than the one it last forwarded goes to PUT /v1/relay/status
// (hub/README.md, "The fleet").
#pragma once

#include "pavilion/core/error.h"
#include "pavilion/hub/config.h"
#include "pavilion/hub/store.h"

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

namespace pavilion::hub {

struct ForwarderStats {
  uint64_t batches = 0;            // acknowledged by the upstream hub
  uint64_t events_stored = 0;      // new there
  uint64_t events_duplicate = 0;   // it had them already (a resend)
  uint64_t events_refused = 0;     // it refused them as invalid (logged; they leave the outbox)
  uint64_t failed_attempts = 0;
  uint32_t consecutive_failures = 0;
  std::chrono::milliseconds current_backoff{0};
  std::string last_error;          // empty after a success
};

struct ForwarderTiming {
  size_t batch_events = 500;
  std::chrono::milliseconds backoff_initial{2'000};
  std::chrono::milliseconds backoff_max{std::chrono::minutes(10)};
  std::chrono::milliseconds request_timeout{20'000};
};

class EventForwarder {
 public:
  // Reads the relay token from upstream.token_file and starts the thread, which looks at the
  // outbox every upstream.poll. `store` is shared with the hub's server.
  static Result<std::unique_ptr<EventForwarder>> start(const UpstreamConfig& upstream, std::shared_ptr<Store> store,
                                                       const ForwarderTiming& timing = {});
  // Finishes the request in flight and stops; what is still in the outbox goes next time.
  ~EventForwarder();
  EventForwarder(const EventForwarder&) = delete;
  EventForwarder& operator=(const EventForwarder&) = delete;

  // Sends the whole outbox now, whatever the backoff says, and waits until it is empty or an
  // attempt failed (that failure is returned; backoff then resumes).
  Result<void> forward_now();
  ForwarderStats stats() const;

  struct State;

 private:
  explicit EventForwarder(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace pavilion::hub

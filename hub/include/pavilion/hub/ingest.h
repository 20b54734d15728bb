// Reading an upload batch (engine/telemetry/EVENTS.md, "Upload"): the batch as a whole must be
// readable, or it is refused with a reason; then each event is checked on its own, so one bad
// event is refused with its reason while the rest of the batch is stored.
#pragma once

#include "pavilion/hub/store.h"
#include "pavilion/telemetry/wire.h"

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace pavilion::hub {

struct EventRejection {
  size_t index = 0;                   // in the batch's "events"
  std::optional<uint64_t> sequence;   // when the event had a readable one
  std::string reason;                 // "events[3].type: \"zoomm\" is not an event type"
};

struct ParsedBatch {
  telemetry::BatchHeader header;
  std::vector<StoredEvent> events;  // valid ones, with corrected times
  std::vector<EventRejection> rejected;
};

struct BatchLimits {
  size_t max_events = 5000;
};

// Why a batch as a whole was refused; each maps to its own HTTP status, because the kiosk acts
// differently on each: sets the batch aside, sends smaller batches, or waits for an update.
struct BatchRefusal {
  enum class Kind { malformed, too_many_events, other_schema };
  Kind kind = Kind::malformed;
  std::string reason;  // a sentence for the kiosk's log: "sent_ms: must be a whole number"
};

// `received_ms` is the hub's clock on arrival; each event's corrected time is
// received − (sent − created).
std::variant<ParsedBatch, BatchRefusal> parse_batch(std::string_view json, int64_t received_ms,
                                                    const BatchLimits& limits);

}  // namespace pavilion::hub

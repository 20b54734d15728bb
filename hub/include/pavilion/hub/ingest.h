// Reading an upload batch (engine/telemetry/EVENTS.md, "Upload") with the kiosk's own decoder
// (telemetry::decode_batch in wire.h): the batch as a whole must be readable, or it is refused
// with a reason; then each event is checked on its own, so one bad event is refused with its
// reason while the rest of the batch is stored. What the hub adds: events in the form it stores,
// their times corrected for the kiosk's clock.
#pragma once

#include "pavilion/hub/store.h"
#include "pavilion/telemetry/wire.h"

#include <string_view>
#include <variant>
#include <vector>

namespace pavilion::hub {

using telemetry::BatchRefusal;
using telemetry::EventRejection;

struct ParsedBatch {
  telemetry::BatchHeader header;
  std::vector<StoredEvent> events;  // valid ones, with corrected times
  std::vector<EventRejection> rejected;
};

struct BatchLimits {
  size_t max_events = 5000;
};

// `received_ms` is the hub's clock on arrival; each event's corrected time is
// received − (sent − created).
std::variant<ParsedBatch, BatchRefusal> parse_batch(std::string_view json, int64_t received_ms,
                                                    const BatchLimits& limits);

// What Store::ingest keeps of a batch besides its events: the device, its drop totals and the
// sequence numbers of the events refused.
DeviceBatch device_batch(const ParsedBatch& batch, int64_t received_ms);

}  // namespace pavilion::hub

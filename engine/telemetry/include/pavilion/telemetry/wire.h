// The upload format (EVENTS.md, "Upload"): one JSON batch per request, written by the kiosk's
// uploader and read by the hub. Its one definition: the field names, each text field's limit
// (what the kiosk's FixedText holds), the encoder and the decoder all live in wire.cpp, so the
// two ends cannot drift apart.
#pragma once

#include "pavilion/telemetry/event.h"

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace pavilion::telemetry {

// What travels once per batch rather than with each event.
struct BatchHeader {
  std::string device_id;
  int64_t sent_ms = 0;             // the device's clock when the batch left it
  uint64_t dropped_over_cap = 0;   // the device's totals so far, for the hub's completeness report
  uint64_t dropped_ring_full = 0;
  // Sent only by a branch hub relaying a device's events upstream (EVENTS.md, "Relaying"): the
  // sequences of this device's events the branch refused, so the centre's completeness report
  // explains them. Empty from a kiosk (and not written then).
  std::vector<uint64_t> rejected_sequences;
};

// {"schema":1,"device":…,"sent_ms":…,"dropped_over_cap":…,"dropped_ring_full":…,["rejected_sequences":[…],]"events":[…]}
std::string encode_batch(const BatchHeader& header, std::span<const Event> events);

// One event of a batch that decode_batch refused, and why; the rest of the batch is kept.
struct EventRejection {
  size_t index = 0;                   // in the batch's "events"
  std::optional<uint64_t> sequence;   // when the event had a readable one
  std::string reason;                 // "events[3].type: \"zoomm\" is not an event type"
};

struct DecodedBatch {
  BatchHeader header;
  std::vector<Event> events;  // the valid ones, in the batch's order
  std::vector<EventRejection> rejected;
};

// Why a batch as a whole was refused; the hub answers each with its own HTTP status, because
// the kiosk acts differently on each: sets the batch aside, sends smaller batches, or waits for
// an update.
struct BatchRefusal {
  enum class Kind { malformed, too_many_events, other_schema };
  Kind kind = Kind::malformed;
  std::string reason;  // a sentence for the kiosk's log: "sent_ms: must be a whole number"
};

// Reads what encode_batch writes. The batch as a whole must be readable (JSON, this schema, a
// device id, at most `max_events` events), or it is refused with a reason; then each event is
// checked on its own — every field present and of its type, ids that are UUIDs (the event's a
// UUIDv7), a known type, text no longer than the kiosk's FixedText holds and free of NUL, a
// creation time from 2020 on and not after the batch's sent_ms — so one bad event is refused
// with its path and reason while the rest are kept. Any bytes are safe input (fuzzed).
std::variant<DecodedBatch, BatchRefusal> decode_batch(std::string_view json, size_t max_events);

std::optional<EventType> parse_event_type(std::string_view name);
// The 36-character form that format_uuid writes, either case.
std::optional<Uuid> parse_uuid(std::string_view text);
// Appends `text` as a JSON string literal, quotes included.
void append_json_string(std::string& out, std::string_view text);

// Device ids name kiosks in reports and logs: 1–64 characters of [A-Za-z0-9._-].
bool is_valid_device_id(std::string_view device_id);

}  // namespace pavilion::telemetry

// The upload format (EVENTS.md, "Upload"): one JSON batch per request, written by the kiosk's
// uploader and read by the hub. Both sides use these names and parsers, so they cannot drift.
#pragma once

#include "pavilion/telemetry/event.h"

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace pavilion::telemetry {

// What travels once per batch rather than with each event.
struct BatchHeader {
  std::string device_id;
  int64_t sent_ms = 0;             // the device's clock when the batch left it
  uint64_t dropped_over_cap = 0;   // the device's totals so far, for the hub's completeness report
  uint64_t dropped_ring_full = 0;
};

// {"schema":1,"device":…,"sent_ms":…,"dropped_over_cap":…,"dropped_ring_full":…,"events":[…]}
std::string encode_batch(const BatchHeader& header, std::span<const Event> events);

std::optional<EventType> parse_event_type(std::string_view name);
// The 36-character form that format_uuid writes, either case.
std::optional<Uuid> parse_uuid(std::string_view text);
// Appends `text` as a JSON string literal, quotes included.
void append_json_string(std::string& out, std::string_view text);

// Device ids name kiosks in reports and logs: 1–64 characters of [A-Za-z0-9._-].
bool is_valid_device_id(std::string_view device_id);

}  // namespace pavilion::telemetry

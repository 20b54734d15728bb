#include "pavilion/hub/ingest.h"

#include "pavilion/telemetry/book_events.h"

#include <array>

namespace pavilion::hub {
namespace {

// The kiosk's event as the hub stores it: ids in their text form, and the time corrected for the
// kiosk's clock.
StoredEvent stored_event(const telemetry::Event& event, int64_t sent_ms, int64_t received_ms) {
  StoredEvent out;
  std::array<char, 37> uuid{};
  telemetry::format_uuid(event.id, uuid);
  out.id = uuid.data();
  out.sequence = event.sequence;
  out.created_ms = event.created_ms;
  out.corrected_ms = received_ms - (sent_ms - event.created_ms);
  out.type = telemetry::to_string(event.type);
  telemetry::format_uuid(event.session, uuid);
  out.session = uuid.data();
  out.package_id = event.package_id.view();
  out.package_version = event.package_version.view();
  out.subject = event.subject.view();
  // A book's events name the opening after the exhibit (`analects#3`): counted under the book.
  if (telemetry::is_book_event(event.type)) out.exhibit = telemetry::parse_book_subject(out.subject).exhibit_id;
  else if (is_exhibit_event(out.type)) out.exhibit = out.subject;
  out.value = event.value;
  return out;
}

}  // namespace

std::variant<ParsedBatch, BatchRefusal> parse_batch(std::string_view text, int64_t received_ms,
                                                    const BatchLimits& limits) {
  auto decoded = telemetry::decode_batch(text, limits.max_events);
  if (auto* refusal = std::get_if<BatchRefusal>(&decoded)) return std::move(*refusal);
  auto& batch = std::get<telemetry::DecodedBatch>(decoded);
  ParsedBatch parsed{std::move(batch.header), {}, std::move(batch.rejected)};
  parsed.events.reserve(batch.events.size());
  for (const telemetry::Event& event : batch.events) {
    parsed.events.push_back(stored_event(event, parsed.header.sent_ms, received_ms));
  }
  return parsed;
}

DeviceBatch device_batch(const ParsedBatch& batch, int64_t received_ms) {
  DeviceBatch out{batch.header.device_id, received_ms, batch.header.dropped_over_cap, batch.header.dropped_ring_full, {}};
  for (const EventRejection& rejection : batch.rejected) {
    if (rejection.sequence) out.rejected_sequences.push_back(*rejection.sequence);
  }
  return out;
}

}  // namespace pavilion::hub

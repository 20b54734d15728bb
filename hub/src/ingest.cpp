#include "pavilion/hub/ingest.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace pavilion::hub {
namespace {

using json = nlohmann::json;

// 2020-01-01: no kiosk event is older; a clock set before this is broken beyond correcting.
constexpr int64_t earliest_ms = 1'577'836'800'000;

BatchRefusal batch_error(std::string why) { return {BatchRefusal::Kind::malformed, std::move(why)}; }

// Reads one event into `out`, or says what is wrong with it.
std::optional<std::string> read_event(const json& item, const std::string& path, int64_t sent_ms, int64_t received_ms,
                                      StoredEvent& out) {
  if (!item.is_object()) return fmt::format("{}: an event must be an object {{ … }}", path);
  auto integer = [&](const char* key, int64_t& into) -> std::optional<std::string> {
    const auto found = item.find(key);
    if (found == item.end() || !found->is_number_integer()) return fmt::format("{}.{}: must be a whole number", path, key);
    into = found->get<int64_t>();
    return std::nullopt;
  };
  auto text = [&](const char* key, size_t max_bytes, std::string& into) -> std::optional<std::string> {
    const auto found = item.find(key);
    if (found == item.end() || !found->is_string()) return fmt::format("{}.{}: must be a string", path, key);
    into = found->get<std::string>();
    if (into.size() > max_bytes) return fmt::format("{}.{}: longer than {} bytes", path, key, max_bytes);
    return std::nullopt;
  };
  const auto sequence = item.find("sequence");
  if (sequence == item.end() || !sequence->is_number_unsigned() ||
      sequence->get<uint64_t>() > static_cast<uint64_t>(INT64_MAX)) {
    return fmt::format("{}.sequence: must be a whole number ≥ 0", path);
  }
  out.sequence = sequence->get<uint64_t>();
  if (auto problem = text("id", 36, out.id)) return problem;
  const auto id = telemetry::parse_uuid(out.id);
  if (!id || (id->bytes[6] >> 4) != 7) return fmt::format("{}.id: \"{}\" is not a UUIDv7", path, out.id);
  std::array<char, 37> canonical{};
  telemetry::format_uuid(*id, canonical);
  out.id = canonical.data();
  if (auto problem = integer("created_ms", out.created_ms)) return problem;
  if (out.created_ms < earliest_ms) {
    return fmt::format("{}.created_ms: {} is before 2020; the kiosk's clock is wrong beyond correcting", path,
                       out.created_ms);
  }
  if (out.created_ms > sent_ms) {
    return fmt::format("{}.created_ms: {} is after the batch's sent_ms {}; both come from the same clock", path,
                       out.created_ms, sent_ms);
  }
  if (auto problem = text("type", 32, out.type)) return problem;
  if (!telemetry::parse_event_type(out.type)) return fmt::format("{}.type: \"{}\" is not an event type", path, out.type);
  if (auto problem = text("session", 36, out.session)) return problem;
  const auto session = telemetry::parse_uuid(out.session);
  if (!session) return fmt::format("{}.session: \"{}\" is not a UUID", path, out.session);
  telemetry::format_uuid(*session, canonical);
  out.session = canonical.data();
  if (auto problem = text("package_id", 47, out.package_id)) return problem;
  if (auto problem = text("package_version", 23, out.package_version)) return problem;
  if (auto problem = text("subject", 63, out.subject)) return problem;
  if (auto problem = integer("value", out.value)) return problem;
  out.exhibit = is_exhibit_event(out.type) ? out.subject : std::string();
  out.corrected_ms = received_ms - (sent_ms - out.created_ms);
  return std::nullopt;
}

}  // namespace

std::variant<ParsedBatch, BatchRefusal> parse_batch(std::string_view text, int64_t received_ms,
                                                    const BatchLimits& limits) {
  const json batch = json::parse(text, nullptr, false);
  if (batch.is_discarded()) return batch_error("the body is not JSON");
  if (!batch.is_object()) return batch_error("the body must be one JSON object { … }");
  const auto schema = batch.find("schema");
  if (schema == batch.end() || !schema->is_number_unsigned()) return batch_error("schema: must be a whole number");
  if (schema->get<uint64_t>() != telemetry::schema_version) {
    return BatchRefusal{BatchRefusal::Kind::other_schema,
                        fmt::format("schema {} is not one this hub reads ({}); update the hub or the kiosk",
                                    schema->dump(), telemetry::schema_version)};
  }
  ParsedBatch parsed;
  const auto device = batch.find("device");
  if (device == batch.end() || !device->is_string() || !telemetry::is_valid_device_id(device->get<std::string>())) {
    return batch_error("device: must be the kiosk's device id (1–64 letters, digits, '.', '_' or '-')");
  }
  parsed.header.device_id = device->get<std::string>();
  const auto sent = batch.find("sent_ms");
  if (sent == batch.end() || !sent->is_number_integer()) return batch_error("sent_ms: must be a whole number");
  parsed.header.sent_ms = sent->get<int64_t>();
  for (const auto& [key, into] : {std::pair{"dropped_over_cap", &parsed.header.dropped_over_cap},
                                  std::pair{"dropped_ring_full", &parsed.header.dropped_ring_full}}) {
    const auto found = batch.find(key);
    if (found == batch.end()) continue;
    if (!found->is_number_unsigned()) return batch_error(fmt::format("{}: must be a whole number ≥ 0", key));
    *into = found->get<uint64_t>();
  }
  const auto events = batch.find("events");
  if (events == batch.end() || !events->is_array()) return batch_error("events: must be an array [ … ]");
  if (events->size() > limits.max_events) {
    return BatchRefusal{BatchRefusal::Kind::too_many_events,
                        fmt::format("events: {} events in one batch; this hub takes at most {}", events->size(),
                                    limits.max_events)};
  }
  parsed.events.reserve(events->size());
  for (size_t index = 0; index < events->size(); ++index) {
    const json& item = (*events)[index];
    StoredEvent event;
    if (auto problem = read_event(item, fmt::format("events[{}]", index), parsed.header.sent_ms, received_ms, event)) {
      EventRejection rejection{index, std::nullopt, std::move(*problem)};
      if (item.is_object() && item.contains("sequence") && item["sequence"].is_number_unsigned()) {
        rejection.sequence = item["sequence"].get<uint64_t>();
      }
      parsed.rejected.push_back(std::move(rejection));
    } else {
      parsed.events.push_back(std::move(event));
    }
  }
  return parsed;
}

}  // namespace pavilion::hub

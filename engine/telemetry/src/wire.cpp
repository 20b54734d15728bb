#include "pavilion/telemetry/wire.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <concepts>
#include <cstdint>

namespace pavilion::telemetry {
namespace {

using json = nlohmann::json;

// The JSON names of a batch's fields and of each event's: the encoder writes them and the
// decoder reads them (and names them in its reasons) from here alone.
namespace key {
constexpr std::string_view schema = "schema";
constexpr std::string_view device = "device";
constexpr std::string_view sent_ms = "sent_ms";
constexpr std::string_view dropped_over_cap = "dropped_over_cap";
constexpr std::string_view dropped_ring_full = "dropped_ring_full";
constexpr std::string_view rejected_sequences = "rejected_sequences";
constexpr std::string_view events = "events";
constexpr std::string_view id = "id";
constexpr std::string_view sequence = "sequence";
constexpr std::string_view created_ms = "created_ms";
constexpr std::string_view type = "type";
constexpr std::string_view session = "session";
constexpr std::string_view package_id = "package_id";
constexpr std::string_view package_version = "package_version";
constexpr std::string_view subject = "subject";
constexpr std::string_view value = "value";
}  // namespace key

// 2020-01-01: no kiosk event is older; a clock set before this is broken beyond correcting.
constexpr int64_t earliest_ms = 1'577'836'800'000;

// `,"name":` (no comma before an object's first); our names need no escaping.
void append_key(std::string& out, std::string_view name, bool first = false) {
  if (!first) out.push_back(',');
  out.push_back('"');
  out += name;
  out += "\":";
}

void append_number(std::string& out, std::string_view name, std::integral auto number) {
  append_key(out, name);
  fmt::format_to(std::back_inserter(out), "{}", number);
}

void append_uuid(std::string& out, std::string_view name, const Uuid& uuid, bool first = false) {
  std::array<char, 37> text{};
  format_uuid(uuid, text);
  append_key(out, name, first);
  out.push_back('"');
  out += text.data();
  out.push_back('"');
}

// A longer "type" cannot name an event type, and is refused without being echoed whole.
size_t longest_event_type_name() {
  size_t longest = 0;
  for (uint8_t code = 1; code <= last_event_type; ++code) {
    longest = std::max(longest, to_string(static_cast<EventType>(code)).size());
  }
  return longest;
}

BatchRefusal malformed(std::string why) { return {BatchRefusal::Kind::malformed, std::move(why)}; }

// Reads one event into `out`, or says what is wrong with it, naming the field by its path.
std::optional<std::string> read_event(const json& item, const std::string& path, int64_t sent_ms, Event& out) {
  if (!item.is_object()) return fmt::format("{}: an event must be an object {{ … }}", path);
  auto integer = [&](std::string_view name, int64_t& into) -> std::optional<std::string> {
    const auto found = item.find(name);
    if (found == item.end() || !found->is_number_integer()) return fmt::format("{}.{}: must be a whole number", path, name);
    into = found->get<int64_t>();
    return std::nullopt;
  };
  auto text = [&](std::string_view name, size_t max_bytes, std::string_view& into) -> std::optional<std::string> {
    const auto found = item.find(name);
    if (found == item.end() || !found->is_string()) return fmt::format("{}.{}: must be a string", path, name);
    into = found->get_ref<const std::string&>();
    if (into.size() > max_bytes) return fmt::format("{}.{}: longer than {} bytes", path, name, max_bytes);
    return std::nullopt;
  };
  // A kiosk's text field holds what its FixedText holds; a NUL would end it there, so none
  // arrives from a kiosk (and PostgreSQL cannot store one).
  auto fixed_text = [&]<size_t N>(std::string_view name, FixedText<N>& into) -> std::optional<std::string> {
    std::string_view read;
    if (auto problem = text(name, FixedText<N>::max_bytes, read)) return problem;
    if (read.find('\0') != std::string_view::npos) return fmt::format("{}.{}: must not contain a NUL character", path, name);
    into.assign(read);
    return std::nullopt;
  };
  auto uuid = [&](std::string_view name, Uuid& into) -> std::optional<std::string> {
    std::string_view read;
    if (auto problem = text(name, 36, read)) return problem;
    const auto parsed = parse_uuid(read);
    if (!parsed) return fmt::format("{}.{}: \"{}\" is not a UUID", path, name, read);
    into = *parsed;
    return std::nullopt;
  };

  const auto sequence = item.find(key::sequence);
  if (sequence == item.end() || !sequence->is_number_unsigned() || sequence->get<uint64_t>() > static_cast<uint64_t>(INT64_MAX)) {
    return fmt::format("{}.{}: must be a whole number ≥ 0", path, key::sequence);
  }
  out.sequence = sequence->get<uint64_t>();
  std::string_view id;
  if (auto problem = text(key::id, 36, id)) return problem;
  const auto parsed_id = parse_uuid(id);
  if (!parsed_id || (parsed_id->bytes[6] >> 4) != 7) return fmt::format("{}.{}: \"{}\" is not a UUIDv7", path, key::id, id);
  out.id = *parsed_id;
  if (auto problem = integer(key::created_ms, out.created_ms)) return problem;
  if (out.created_ms < earliest_ms) {
    return fmt::format("{}.{}: {} is before 2020; the kiosk's clock is wrong beyond correcting", path, key::created_ms,
                       out.created_ms);
  }
  if (out.created_ms > sent_ms) {
    return fmt::format("{}.{}: {} is after the batch's {} {}; both come from the same clock", path, key::created_ms,
                       out.created_ms, key::sent_ms, sent_ms);
  }
  static const size_t longest_type = longest_event_type_name();
  std::string_view type;
  if (auto problem = text(key::type, longest_type, type)) return problem;
  const auto parsed_type = parse_event_type(type);
  if (!parsed_type) return fmt::format("{}.{}: \"{}\" is not an event type", path, key::type, type);
  out.type = *parsed_type;
  if (auto problem = uuid(key::session, out.session)) return problem;
  if (auto problem = fixed_text(key::package_id, out.package_id)) return problem;
  if (auto problem = fixed_text(key::package_version, out.package_version)) return problem;
  if (auto problem = fixed_text(key::subject, out.subject)) return problem;
  if (auto problem = integer(key::value, out.value)) return problem;
  return std::nullopt;
}

}  // namespace

void append_json_string(std::string& out, std::string_view text) {
  out.push_back('"');
  for (const char character : text) {
    const auto code = static_cast<unsigned char>(character);
    if (character == '"' || character == '\\') {
      out.push_back('\\');
      out.push_back(character);
    } else if (code < 0x20) {
      fmt::format_to(std::back_inserter(out), "\\u{:04x}", code);
    } else {
      out.push_back(character);
    }
  }
  out.push_back('"');
}

std::string encode_batch(const BatchHeader& header, std::span<const Event> events) {
  std::string out;
  out.reserve(160 + events.size() * 300);
  out.push_back('{');
  append_key(out, key::schema, /*first=*/true);
  fmt::format_to(std::back_inserter(out), "{}", schema_version);
  append_key(out, key::device);
  append_json_string(out, header.device_id);
  append_number(out, key::sent_ms, header.sent_ms);
  append_number(out, key::dropped_over_cap, header.dropped_over_cap);
  append_number(out, key::dropped_ring_full, header.dropped_ring_full);
  if (!header.rejected_sequences.empty()) {
    append_key(out, key::rejected_sequences);
    out.push_back('[');
    for (size_t index = 0; index < header.rejected_sequences.size(); ++index) {
      if (index > 0) out.push_back(',');
      fmt::format_to(std::back_inserter(out), "{}", header.rejected_sequences[index]);
    }
    out.push_back(']');
  }
  append_key(out, key::events);
  out.push_back('[');
  for (size_t index = 0; index < events.size(); ++index) {
    const Event& event = events[index];
    if (index > 0) out.push_back(',');
    out.push_back('{');
    append_uuid(out, key::id, event.id, /*first=*/true);
    append_number(out, key::sequence, event.sequence);
    append_number(out, key::created_ms, event.created_ms);
    append_key(out, key::type);
    append_json_string(out, to_string(event.type));
    append_uuid(out, key::session, event.session);
    append_key(out, key::package_id);
    append_json_string(out, event.package_id.view());
    append_key(out, key::package_version);
    append_json_string(out, event.package_version.view());
    append_key(out, key::subject);
    append_json_string(out, event.subject.view());
    append_number(out, key::value, event.value);
    out.push_back('}');
  }
  out += "]}";
  return out;
}

std::variant<DecodedBatch, BatchRefusal> decode_batch(std::string_view text, size_t max_events) {
  const json batch = json::parse(text, nullptr, false);
  if (batch.is_discarded()) return malformed("the body is not JSON");
  if (!batch.is_object()) return malformed("the body must be one JSON object { … }");
  const auto schema = batch.find(key::schema);
  if (schema == batch.end() || !schema->is_number_unsigned()) return malformed(fmt::format("{}: must be a whole number", key::schema));
  if (schema->get<uint64_t>() != schema_version) {
    return BatchRefusal{BatchRefusal::Kind::other_schema,
                        fmt::format("schema {} is not one this hub reads ({}); update the hub or the kiosk",
                                    schema->dump(), schema_version)};
  }
  DecodedBatch decoded;
  const auto device = batch.find(key::device);
  if (device == batch.end() || !device->is_string() || !is_valid_device_id(device->get_ref<const std::string&>())) {
    return malformed(fmt::format("{}: must be the kiosk's device id (1–64 letters, digits, '.', '_' or '-')", key::device));
  }
  decoded.header.device_id = device->get<std::string>();
  const auto sent = batch.find(key::sent_ms);
  if (sent == batch.end() || !sent->is_number_integer()) return malformed(fmt::format("{}: must be a whole number", key::sent_ms));
  decoded.header.sent_ms = sent->get<int64_t>();
  for (const auto& [name, into] : {std::pair{key::dropped_over_cap, &decoded.header.dropped_over_cap},
                                   std::pair{key::dropped_ring_full, &decoded.header.dropped_ring_full}}) {
    const auto found = batch.find(name);
    if (found == batch.end()) continue;
    if (!found->is_number_unsigned()) return malformed(fmt::format("{}: must be a whole number ≥ 0", name));
    *into = found->get<uint64_t>();
  }
  if (const auto refused = batch.find(key::rejected_sequences); refused != batch.end()) {
    if (!refused->is_array() || !std::ranges::all_of(*refused, [](const json& item) { return item.is_number_unsigned(); })) {
      return malformed(fmt::format("{}: must be an array of whole numbers ≥ 0", key::rejected_sequences));
    }
    for (const json& sequence : *refused) decoded.header.rejected_sequences.push_back(sequence.get<uint64_t>());
  }
  const auto events = batch.find(key::events);
  if (events == batch.end() || !events->is_array()) return malformed(fmt::format("{}: must be an array [ … ]", key::events));
  if (events->size() > max_events) {
    return BatchRefusal{BatchRefusal::Kind::too_many_events,
                        fmt::format("{}: {} events in one batch; this hub takes at most {}", key::events, events->size(),
                                    max_events)};
  }
  decoded.events.reserve(events->size());
  for (size_t index = 0; index < events->size(); ++index) {
    const json& item = (*events)[index];
    Event event;
    if (auto problem = read_event(item, fmt::format("{}[{}]", key::events, index), decoded.header.sent_ms, event)) {
      EventRejection rejection{index, std::nullopt, std::move(*problem)};
      if (item.is_object()) {
        const auto sequence = item.find(key::sequence);
        if (sequence != item.end() && sequence->is_number_unsigned()) rejection.sequence = sequence->get<uint64_t>();
      }
      decoded.rejected.push_back(std::move(rejection));
    } else {
      decoded.events.push_back(event);
    }
  }
  return decoded;
}

std::optional<EventType> parse_event_type(std::string_view name) {
  for (uint8_t code = 1; code <= last_event_type; ++code) {
    if (to_string(static_cast<EventType>(code)) == name) return static_cast<EventType>(code);
  }
  return std::nullopt;
}

std::optional<Uuid> parse_uuid(std::string_view text) {
  if (text.size() != 36) return std::nullopt;
  Uuid uuid;
  size_t byte = 0;
  for (size_t at = 0; at < 36;) {
    if (at == 8 || at == 13 || at == 18 || at == 23) {
      if (text[at] != '-') return std::nullopt;
      ++at;
      continue;
    }
    auto nibble = [](char character) -> int {
      if (character >= '0' && character <= '9') return character - '0';
      if (character >= 'a' && character <= 'f') return character - 'a' + 10;
      if (character >= 'A' && character <= 'F') return character - 'A' + 10;
      return -1;
    };
    const int high = nibble(text[at]);
    const int low = nibble(text[at + 1]);
    if (high < 0 || low < 0) return std::nullopt;
    uuid.bytes[byte++] = static_cast<uint8_t>(high << 4 | low);
    at += 2;
  }
  return uuid;
}

bool is_valid_device_id(std::string_view device_id) {
  return !device_id.empty() && device_id.size() <= 64 && std::ranges::all_of(device_id, [](char character) {
    return (character >= 'a' && character <= 'z') || (character >= 'A' && character <= 'Z') ||
           (character >= '0' && character <= '9') || character == '.' || character == '_' || character == '-';
  });
}

}  // namespace pavilion::telemetry

#include "pavilion/telemetry/wire.h"

#include <fmt/format.h>

#include <algorithm>

namespace pavilion::telemetry {

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
  fmt::format_to(std::back_inserter(out), R"({{"schema":{},"device":)", schema_version);
  append_json_string(out, header.device_id);
  fmt::format_to(std::back_inserter(out), R"(,"sent_ms":{},"dropped_over_cap":{},"dropped_ring_full":{},"events":[)",
                 header.sent_ms, header.dropped_over_cap, header.dropped_ring_full);
  std::array<char, 37> id{};
  std::array<char, 37> session{};
  for (size_t index = 0; index < events.size(); ++index) {
    const Event& event = events[index];
    format_uuid(event.id, id);
    format_uuid(event.session, session);
    fmt::format_to(std::back_inserter(out), R"({}{{"id":"{}","sequence":{},"created_ms":{},"type":"{}","session":"{}","package_id":)",
                   index == 0 ? "" : ",", id.data(), event.sequence, event.created_ms, to_string(event.type),
                   session.data());
    append_json_string(out, event.package_id.view());
    out += R"(,"package_version":)";
    append_json_string(out, event.package_version.view());
    out += R"(,"subject":)";
    append_json_string(out, event.subject.view());
    fmt::format_to(std::back_inserter(out), R"(,"value":{}}})", event.value);
  }
  out += "]}";
  return out;
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

// Interaction events (EVENTS.md documents them): anonymous, typed, fixed-size records that the
// render thread can fill without allocating.
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace pavilion::telemetry {

inline constexpr uint32_t schema_version = 1;

enum class EventType : uint8_t {
  session_start = 1,
  session_end = 2,
  scene_enter = 3,
  scene_exit = 4,
  exhibit_open = 5,
  exhibit_close = 6,
  page_turn = 7,
  zoom = 8,
  poem_play = 9,
  poem_complete = 10,
  poem_abort = 11,
  hotspot_open = 12,
  gaze_dwell = 13,
  language_change = 14,
  accessibility_change = 15,
  error = 16,
  show_moment = 17,
  opening_dwell = 18,
  book_close = 19,
  zoom_reached = 20,
};
inline constexpr uint8_t last_event_type = 20;
std::string_view to_string(EventType type);

// The wall clock, Unix milliseconds UTC. Configs take a pointer to it so tests can set a kiosk's
// clock hours off.
int64_t system_clock_ms();
using WallClock = int64_t (*)();

// A UUIDv7 (RFC 9562): 48 bits of Unix milliseconds, then random bits; sorts by creation time.
struct Uuid {
  std::array<uint8_t, 16> bytes{};
  friend bool operator==(const Uuid&, const Uuid&) = default;
};
// Thread-safe and allocation-free: a per-thread generator seeded from the operating system.
Uuid make_uuid_v7(int64_t unix_milliseconds);
// Random (version 4): anonymous session ids, which say nothing about when or where.
Uuid make_uuid_v4();
// "0190a5b2-…", 36 characters, written into `out`.
void format_uuid(const Uuid& uuid, std::array<char, 37>& out);

// Text that fits in N−1 bytes, cut at a UTF-8 character boundary, always terminated.
template <size_t N>
struct FixedText {
  static constexpr size_t max_bytes = N - 1;  // the upload format's limit for the field (wire.h)
  std::array<char, N> bytes{};
  void assign(std::string_view text) {
    size_t length = std::min(text.size(), N - 1);
    while (length > 0 && length < text.size() && (static_cast<unsigned char>(text[length]) & 0xc0) == 0x80) --length;
    if (length > 0) std::memcpy(bytes.data(), text.data(), length);  // an empty view may hold a null pointer
    bytes[length] = '\0';
  }
  std::string_view view() const { return std::string_view(bytes.data()); }
};

struct Event {
  Uuid id;
  uint64_t sequence = 0;       // per device, one more for each event recorded (gaps show losses)
  int64_t created_ms = 0;      // the device's clock, Unix milliseconds UTC
  EventType type = EventType::error;
  Uuid session;                // zero outside a visitor's session
  FixedText<48> package_id;    // the scene package shown, if any
  FixedText<24> package_version;
  FixedText<64> subject;       // an exhibit or scene id, a language tag, a setting's name, an error's code
  int64_t value = 0;           // milliseconds of a dwell, a page number, a setting's new value
};

}  // namespace pavilion::telemetry

#include "pavilion/telemetry/event.h"

#include <chrono>
#include <cstring>
#include <random>

namespace pavilion::telemetry {
namespace {

// One generator per thread, seeded once from the operating system's entropy.
std::mt19937_64& generator() {
  thread_local std::mt19937_64 engine = [] {
    std::random_device device;
    std::seed_seq seed{device(), device(), device(), device(), device(), device(), device(), device()};
    return std::mt19937_64(seed);
  }();
  return engine;
}

void fill_random(Uuid& uuid) {
  const uint64_t high = generator()();
  const uint64_t low = generator()();
  std::memcpy(uuid.bytes.data(), &high, 8);
  std::memcpy(uuid.bytes.data() + 8, &low, 8);
}

}  // namespace

int64_t system_clock_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string_view to_string(EventType type) {
  switch (type) {
    case EventType::session_start: return "session_start";
    case EventType::session_end: return "session_end";
    case EventType::scene_enter: return "scene_enter";
    case EventType::scene_exit: return "scene_exit";
    case EventType::exhibit_open: return "exhibit_open";
    case EventType::exhibit_close: return "exhibit_close";
    case EventType::page_turn: return "page_turn";
    case EventType::zoom: return "zoom";
    case EventType::poem_play: return "poem_play";
    case EventType::poem_complete: return "poem_complete";
    case EventType::poem_abort: return "poem_abort";
    case EventType::hotspot_open: return "hotspot_open";
    case EventType::gaze_dwell: return "gaze_dwell";
    case EventType::language_change: return "language_change";
    case EventType::accessibility_change: return "accessibility_change";
    case EventType::error: return "error";
    case EventType::show_moment: return "show_moment";
    case EventType::opening_dwell: return "opening_dwell";
    case EventType::book_close: return "book_close";
    case EventType::zoom_reached: return "zoom_reached";
  }
  return "unknown";
}

Uuid make_uuid_v7(int64_t unix_milliseconds) {
  Uuid uuid;
  fill_random(uuid);
  // RFC 9562 method 1: within one millisecond the 12 bits after the version count up from a
  // random start, so one thread's ids sort in the order they were made.
  thread_local uint64_t last_milliseconds = 0;
  thread_local uint32_t counter = 0;
  auto milliseconds = static_cast<uint64_t>(unix_milliseconds);
  if (milliseconds <= last_milliseconds) {
    milliseconds = last_milliseconds;
    if (++counter > 0xfff) {  // 4096 in one millisecond: borrow the next one
      ++milliseconds;
      counter = 0;
    }
  } else {
    counter = static_cast<uint32_t>(generator()() & 0x7ff);  // headroom for the increments
  }
  last_milliseconds = milliseconds;
  uuid.bytes[6] = static_cast<uint8_t>(counter >> 8);
  uuid.bytes[7] = static_cast<uint8_t>(counter & 0xff);
  for (int byte = 0; byte < 6; ++byte) uuid.bytes[static_cast<size_t>(byte)] = static_cast<uint8_t>(milliseconds >> (40 - 8 * byte));
  uuid.bytes[6] = static_cast<uint8_t>(0x70 | (uuid.bytes[6] & 0x0f));  // version 7
  uuid.bytes[8] = static_cast<uint8_t>(0x80 | (uuid.bytes[8] & 0x3f));  // RFC 9562 variant
  return uuid;
}

Uuid make_uuid_v4() {
  Uuid uuid;
  fill_random(uuid);
  uuid.bytes[6] = static_cast<uint8_t>(0x40 | (uuid.bytes[6] & 0x0f));
  uuid.bytes[8] = static_cast<uint8_t>(0x80 | (uuid.bytes[8] & 0x3f));
  return uuid;
}

void format_uuid(const Uuid& uuid, std::array<char, 37>& out) {
  constexpr std::string_view hex = "0123456789abcdef";
  size_t at = 0;
  for (size_t byte = 0; byte < 16; ++byte) {
    if (byte == 4 || byte == 6 || byte == 8 || byte == 10) out[at++] = '-';
    out[at++] = hex[uuid.bytes[byte] >> 4];
    out[at++] = hex[uuid.bytes[byte] & 0x0f];
  }
  out[at] = '\0';
}

}  // namespace pavilion::telemetry

#include "pavilion/telemetry/book_events.h"

#include <algorithm>
#include <charconv>

namespace pavilion::telemetry {

bool is_book_event(EventType type) {
  return type == EventType::page_turn || type == EventType::zoom || type == EventType::opening_dwell || type == EventType::book_close ||
         type == EventType::zoom_reached;
}

FixedText<64> book_subject(std::string_view exhibit_id, uint32_t opening) {
  char number[12];
  number[0] = opening_separator;
  const auto written = std::to_chars(number + 1, number + sizeof(number), opening).ptr;
  const std::string_view suffix(number, static_cast<size_t>(written - number));
  // Cut as FixedText cuts, between characters, to leave the number whole.
  size_t length = std::min(exhibit_id.size(), FixedText<64>::max_bytes - suffix.size());
  while (length > 0 && length < exhibit_id.size() && (static_cast<unsigned char>(exhibit_id[length]) & 0xc0) == 0x80) --length;
  FixedText<64> out;
  std::copy_n(exhibit_id.begin(), length, out.bytes.begin());
  std::copy(suffix.begin(), suffix.end(), out.bytes.begin() + static_cast<ptrdiff_t>(length));
  out.bytes[length + suffix.size()] = '\0';
  return out;
}

BookSubject parse_book_subject(std::string_view subject) {
  const size_t separator = subject.rfind(opening_separator);
  if (separator == std::string_view::npos) return {subject, std::nullopt};
  const std::string_view digits = subject.substr(separator + 1);
  uint32_t opening = 0;
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), opening);
  if (error != std::errc() || end != digits.data() + digits.size() || digits.empty() || digits[0] == '0' || opening > 999'999'999) {
    return {subject, std::nullopt};
  }
  return {subject.substr(0, separator), opening};
}

}  // namespace pavilion::telemetry

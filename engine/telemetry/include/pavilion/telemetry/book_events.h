// What a book exhibit's events say about where the visitor was (EVENTS.md, "Books"): the subject
// of page_turn, zoom, zoom_reached, opening_dwell and book_close is the exhibit's id, '#', and an opening's
// number in the book's reading order, from 1 (`analects#3`). Defined once here: the kiosk writes
// subjects with book_subject, the hub reads them with parse_book_subject.
#pragma once

#include "pavilion/telemetry/event.h"

#include <cstdint>
#include <optional>
#include <string_view>

namespace pavilion::telemetry {

inline constexpr char opening_separator = '#';

// page_turn, zoom, zoom_reached, opening_dwell and book_close.
bool is_book_event(EventType type);

// `exhibit_id#opening`, within the subject's limit: an id too long to leave room for the number is
// cut (between UTF-8 characters), never the number. No allocation.
FixedText<64> book_subject(std::string_view exhibit_id, uint32_t opening);

struct BookSubject {
  std::string_view exhibit_id;      // the whole subject when it names no opening
  std::optional<uint32_t> opening;  // empty: none, or not a number from 1 to 999 999 999
};
// Views into `subject`.
BookSubject parse_book_subject(std::string_view subject);

}  // namespace pavilion::telemetry

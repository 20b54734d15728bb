// A book's events name the opening after the exhibit, in one format the kiosk writes and the hub
// reads (book_events.h).
#include "pavilion/telemetry/book_events.h"

#include <gtest/gtest.h>

#include <string>

namespace pavilion::telemetry {
namespace {

TEST(TelemetryBookEvents, TheSubjectIsTheExhibitAndTheOpeningAndReadsBack) {
  const FixedText<64> subject = book_subject("analects", 3);
  EXPECT_EQ(subject.view(), "analects#3");
  const BookSubject read = parse_book_subject(subject.view());
  EXPECT_EQ(read.exhibit_id, "analects");
  EXPECT_EQ(read.opening, 3u);
}

TEST(TelemetryBookEvents, ALongIdIsCutBetweenCharactersAndTheNumberStaysWhole) {
  // 20 three-byte characters (60 bytes): "#1234" needs 5 of the 63, so one character goes.
  std::string id;
  for (int i = 0; i < 20; ++i) id += "書";
  const FixedText<64> subject = book_subject(id, 1234);
  EXPECT_LE(subject.view().size(), FixedText<64>::max_bytes);
  const BookSubject read = parse_book_subject(subject.view());
  EXPECT_EQ(read.exhibit_id, id.substr(0, 19 * 3));
  EXPECT_EQ(read.opening, 1234u);
}

TEST(TelemetryBookEvents, ASubjectWithoutAnOpeningIsTheExhibitAlone) {
  for (const std::string_view subject : {"analects", "analects#", "analects#0", "analects#07", "analects#3a", "analects#99999999999"}) {
    const BookSubject read = parse_book_subject(subject);
    EXPECT_EQ(read.exhibit_id, subject);
    EXPECT_FALSE(read.opening.has_value()) << subject;
  }
  // Only the last '#' separates: an id may hold one.
  EXPECT_EQ(parse_book_subject("a#b#12").exhibit_id, "a#b");
}

TEST(TelemetryBookEvents, TheFiveBookEventsAreKnownAndNamed) {
  for (const EventType type :
       {EventType::page_turn, EventType::zoom, EventType::opening_dwell, EventType::book_close, EventType::zoom_reached}) {
    EXPECT_TRUE(is_book_event(type));
    EXPECT_NE(to_string(type), "unknown");
  }
  EXPECT_EQ(to_string(EventType::opening_dwell), "opening_dwell");
  EXPECT_EQ(to_string(EventType::book_close), "book_close");
  EXPECT_EQ(to_string(EventType::zoom_reached), "zoom_reached");
  EXPECT_FALSE(is_book_event(EventType::exhibit_close));
}

}  // namespace
}  // namespace pavilion::telemetry

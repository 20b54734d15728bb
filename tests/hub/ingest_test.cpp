// Reading upload batches: a batch that cannot be read is refused as a whole with a reason; a bad
// event is refused on its own with its path and reason while the rest are kept; times are
// corrected for a kiosk clock that is hours off.
#include "backends.h"

#include "pavilion/hub/ingest.h"
#include "pavilion/telemetry/book_events.h"
#include "pavilion/telemetry/wire.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <gtest/gtest.h>

namespace pavilion::hub {
namespace {

constexpr int64_t now = 1'795'428'000'000;

telemetry::Event kiosk_event(uint64_t sequence, int64_t created_ms) {
  telemetry::Event event = testing::kiosk_event(sequence, created_ms, "celadon \"vase\" 青瓷", telemetry::EventType::exhibit_close);
  event.value = 4200;
  return event;
}

BatchRefusal refusal_of(std::string_view json) {
  auto parsed = parse_batch(json, now, {});
  EXPECT_TRUE(std::holds_alternative<BatchRefusal>(parsed)) << json;
  return std::holds_alternative<BatchRefusal>(parsed) ? std::get<BatchRefusal>(parsed) : BatchRefusal{};
}

TEST(Ingest, WhatTheKioskEncodesTheHubReadsBackWithCorrectedTimes) {
  // The kiosk's clock is three hours slow: it made the event 2 s before sending, by its clock.
  const int64_t kiosk_now = now - 3 * 3'600'000;
  const std::vector<telemetry::Event> events{kiosk_event(7, kiosk_now - 2'000), kiosk_event(8, kiosk_now - 1'000)};
  const std::string json = telemetry::encode_batch({"kiosk-01", kiosk_now, 2, 1}, events);
  auto parsed = parse_batch(json, now, {});
  ASSERT_TRUE(std::holds_alternative<ParsedBatch>(parsed)) << std::get<BatchRefusal>(parsed).reason;
  const ParsedBatch& batch = std::get<ParsedBatch>(parsed);
  EXPECT_EQ(batch.header.device_id, "kiosk-01");
  EXPECT_EQ(batch.header.dropped_over_cap, 2u);
  EXPECT_EQ(batch.header.dropped_ring_full, 1u);
  ASSERT_EQ(batch.events.size(), 2u);
  EXPECT_TRUE(batch.rejected.empty());
  const StoredEvent& first = batch.events[0];
  EXPECT_EQ(first.sequence, 7u);
  EXPECT_EQ(first.created_ms, kiosk_now - 2'000);
  EXPECT_EQ(first.corrected_ms, now - 2'000);  // received − (sent − created)
  EXPECT_EQ(first.type, "exhibit_close");
  EXPECT_EQ(first.subject, "celadon \"vase\" 青瓷");
  EXPECT_EQ(first.exhibit, first.subject);
  EXPECT_EQ(first.value, 4200);
  std::array<char, 37> id{};
  telemetry::format_uuid(events[0].id, id);
  EXPECT_EQ(first.id, id.data());
}

TEST(Ingest, ABooksEventsAreCountedUnderTheBookAndKeepTheOpeningInTheirSubject) {
  std::vector<telemetry::Event> events;
  const std::vector<std::pair<telemetry::EventType, int64_t>> reading{{telemetry::EventType::zoom, 400},
                                                                      {telemetry::EventType::zoom_reached, 1'250},
                                                                      {telemetry::EventType::opening_dwell, 12'500},
                                                                      {telemetry::EventType::page_turn, 4},
                                                                      {telemetry::EventType::book_close, 2}};
  for (const auto& [type, value] : reading) {
    events.push_back(testing::kiosk_event(events.size() + 1, now - 1'000, telemetry::book_subject("analects", 3).view(), type));
    events.back().value = value;
  }
  // From a kiosk that names no opening: still the book's.
  events.push_back(testing::kiosk_event(9, now - 1'000, "analects", telemetry::EventType::page_turn));
  auto parsed = parse_batch(telemetry::encode_batch({"kiosk-01", now, 0, 0}, events), now, {});
  ASSERT_TRUE(std::holds_alternative<ParsedBatch>(parsed)) << std::get<BatchRefusal>(parsed).reason;
  const ParsedBatch& batch = std::get<ParsedBatch>(parsed);
  EXPECT_TRUE(batch.rejected.empty());
  ASSERT_EQ(batch.events.size(), 6u);
  const std::vector<std::string> types{"zoom", "zoom_reached", "opening_dwell", "page_turn", "book_close", "page_turn"};
  for (size_t i = 0; i < batch.events.size(); ++i) {
    EXPECT_EQ(batch.events[i].type, types[i]);
    EXPECT_EQ(batch.events[i].exhibit, "analects");
    EXPECT_EQ(batch.events[i].subject, i < 5 ? "analects#3" : "analects");
    EXPECT_EQ(batch.events[i].value, i < 5 ? reading[i].second : 0);
  }
}

TEST(Ingest, EachBadEventIsRefusedWithItsPathAndTheRestAreKept) {
  const std::string good = telemetry::encode_batch({"kiosk-01", now, 0, 0}, std::vector{kiosk_event(1, now - 10)});
  const std::string event_json = good.substr(good.find("[{") + 1, good.rfind("}]") - good.find("[{"));
  auto with = [&](std::string_view from, std::string_view to) {
    std::string changed = event_json;
    changed.replace(changed.find(from), from.size(), to);
    return changed;
  };
  const std::string json = fmt::format(
      R"({{"schema":1,"device":"kiosk-01","sent_ms":{},"events":[{},{},{},{},{},{},"text"]}})", now, event_json,
      with("\"exhibit_close\"", "\"exhibit_closed\""), with("\"sequence\":1", "\"sequence\":-1"),
      with("\"created_ms\":", "\"created_ms\":1000000000000,\"x\":"), with("\"value\":4200", "\"value\":\"many\""),
      with(R"(celadon \"vase\" 青瓷)", std::string(70, 'x')));
  auto parsed = parse_batch(json, now, {});
  ASSERT_TRUE(std::holds_alternative<ParsedBatch>(parsed)) << std::get<BatchRefusal>(parsed).reason;
  const ParsedBatch& batch = std::get<ParsedBatch>(parsed);
  ASSERT_EQ(batch.events.size(), 1u);
  ASSERT_EQ(batch.rejected.size(), 6u);
  EXPECT_EQ(batch.rejected[0].reason, "events[1].type: \"exhibit_closed\" is not an event type");
  EXPECT_EQ(batch.rejected[0].sequence, std::optional<uint64_t>(1));
  EXPECT_EQ(batch.rejected[1].reason, "events[2].sequence: must be a whole number ≥ 0");
  EXPECT_EQ(batch.rejected[1].sequence, std::nullopt);
  EXPECT_NE(batch.rejected[2].reason.find("events[3].created_ms: 1000000000000 is before 2020"), std::string::npos);
  EXPECT_EQ(batch.rejected[3].reason, "events[4].value: must be a whole number");
  EXPECT_EQ(batch.rejected[4].reason, "events[5].subject: longer than 63 bytes");
  EXPECT_EQ(batch.rejected[5].reason, "events[6]: an event must be an object { … }");
}

TEST(Ingest, AnEventFromAfterItsBatchWasSentIsRefused) {
  const std::string json = telemetry::encode_batch({"kiosk-01", now - 5'000, 0, 0}, std::vector{kiosk_event(1, now)});
  const auto parsed = parse_batch(json, now, {});
  const auto& batch = std::get<ParsedBatch>(parsed);
  ASSERT_EQ(batch.rejected.size(), 1u);
  EXPECT_NE(batch.rejected[0].reason.find("after the batch's sent_ms"), std::string::npos);
}

// What a kiosk can record, the hub reads whole: each text field filled to what the kiosk's
// FixedText holds, in ASCII and in Chinese ending on the last byte; a text the kiosk had to cut
// (a character that did not fit) arrives as the kiosk cut it. One byte more cannot have come from
// a kiosk and is refused naming the field.
TEST(Ingest, TextAtTheKiosksLimitsArrivesWholeAndOneByteMoreIsRefusedNamingTheField) {
  auto check = []<size_t N>(std::string_view field, telemetry::FixedText<N> telemetry::Event::*text,
                             std::string StoredEvent::*stored) {
    SCOPED_TRACE(field);
    constexpr size_t limit = N - 1;
    std::string chinese_to_the_limit(limit % 3, 'x');
    for (size_t character = 0; character < limit / 3; ++character) chinese_to_the_limit += "青";
    ASSERT_EQ(chinese_to_the_limit.size(), limit);
    const std::string cut_by_the_kiosk = std::string(limit - 1, 'x') + "青";
    for (const std::string& recorded : {std::string(limit, 'x'), chinese_to_the_limit, cut_by_the_kiosk}) {
      telemetry::Event event = kiosk_event(1, now - 10);
      (event.*text).assign(recorded);
      const auto parsed = parse_batch(telemetry::encode_batch({"kiosk-01", now, 0, 0}, std::vector{event}), now, {});
      ASSERT_TRUE(std::holds_alternative<ParsedBatch>(parsed));
      const ParsedBatch& batch = std::get<ParsedBatch>(parsed);
      ASSERT_EQ(batch.events.size(), 1u) << batch.rejected.at(0).reason;
      EXPECT_EQ(batch.events[0].*stored, (event.*text).view());
      EXPECT_EQ((batch.events[0].*stored).size(), recorded == cut_by_the_kiosk ? limit - 1 : limit);
    }

    telemetry::Event event = kiosk_event(1, now - 10);
    (event.*text).assign(std::string(limit, 'x'));
    std::string json = telemetry::encode_batch({"kiosk-01", now, 0, 0}, std::vector{event});
    const std::string at_the_limit = fmt::format(R"("{}":"{}")", field, std::string(limit, 'x'));
    json.replace(json.find(at_the_limit), at_the_limit.size(),
                 fmt::format(R"("{}":"{}")", field, std::string(limit + 1, 'x')));
    const auto parsed = parse_batch(json, now, {});
    ASSERT_TRUE(std::holds_alternative<ParsedBatch>(parsed));
    const ParsedBatch& batch = std::get<ParsedBatch>(parsed);
    EXPECT_TRUE(batch.events.empty());
    ASSERT_EQ(batch.rejected.size(), 1u);
    EXPECT_EQ(batch.rejected[0].reason, fmt::format("events[0].{}: longer than {} bytes", field, limit));
  };
  check("package_id", &telemetry::Event::package_id, &StoredEvent::package_id);
  check("package_version", &telemetry::Event::package_version, &StoredEvent::package_version);
  check("subject", &telemetry::Event::subject, &StoredEvent::subject);
}

// A kiosk's text ends at its first NUL, so none arrives from one (and PostgreSQL could not store
// it): such an event is refused on its own instead of failing the whole batch at the store.
TEST(Ingest, ANulInAnEventsTextIsRefusedNamingTheField) {
  std::string json =
      telemetry::encode_batch({"kiosk-01", now, 0, 0}, std::vector{kiosk_event(1, now - 10), kiosk_event(2, now - 5)});
  const std::string gallery = R"("package_id":"gallery")";
  json.replace(json.find(gallery), gallery.size(), R"("package_id":"gal\u0000lery")");
  const auto parsed = parse_batch(json, now, {});
  ASSERT_TRUE(std::holds_alternative<ParsedBatch>(parsed)) << std::get<BatchRefusal>(parsed).reason;
  const ParsedBatch& batch = std::get<ParsedBatch>(parsed);
  ASSERT_EQ(batch.events.size(), 1u);
  EXPECT_EQ(batch.events[0].sequence, 2u);
  ASSERT_EQ(batch.rejected.size(), 1u);
  EXPECT_EQ(batch.rejected[0].reason, "events[0].package_id: must not contain a NUL character");
}

TEST(Ingest, ABatchThatCannotBeReadIsRefusedWithAReason) {
  EXPECT_EQ(refusal_of("{\"schema\":1,").reason, "the body is not JSON");
  EXPECT_EQ(refusal_of("[1,2]").reason, "the body must be one JSON object { … }");
  EXPECT_EQ(refusal_of(R"({"schema":1,"device":"k 1","sent_ms":1,"events":[]})").reason,
            "device: must be the kiosk's device id (1–64 letters, digits, '.', '_' or '-')");
  EXPECT_EQ(refusal_of(R"({"schema":1,"device":"k1","sent_ms":"now","events":[]})").reason,
            "sent_ms: must be a whole number");
  EXPECT_EQ(refusal_of(R"({"schema":1,"device":"k1","sent_ms":1,"events":{}})").reason, "events: must be an array [ … ]");
  EXPECT_EQ(refusal_of(R"({"schema":1,"device":"k1","sent_ms":1,"dropped_over_cap":-1,"events":[]})").reason,
            "dropped_over_cap: must be a whole number ≥ 0");
  const BatchRefusal newer = refusal_of(R"({"schema":2,"device":"k1","sent_ms":1,"events":[]})");
  EXPECT_EQ(newer.kind, BatchRefusal::Kind::other_schema);
  const std::string many = fmt::format(R"({{"schema":1,"device":"k1","sent_ms":1,"events":[{}]}})",
                                       fmt::join(std::vector<std::string>(6, "{}"), ","));
  auto limited = parse_batch(many, now, BatchLimits{5});
  ASSERT_TRUE(std::holds_alternative<BatchRefusal>(limited));
  EXPECT_EQ(std::get<BatchRefusal>(limited).kind, BatchRefusal::Kind::too_many_events);
}

}  // namespace
}  // namespace pavilion::hub

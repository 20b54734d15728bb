// The upload format's one definition (wire.h): what the uploader encodes, the decoder the hub
// uses reads back field for field, for every event type.
#include "pavilion/telemetry/hub_answer.h"
#include "pavilion/telemetry/wire.h"

#include <gtest/gtest.h>

#include <vector>

namespace pavilion::telemetry {
namespace {

TEST(HubAnswer, ABatchAnswerIsReadWithItsTypesChecked) {
  const auto answer = read_batch_answer(
      R"({"stored": 3, "duplicates": 1, "rejected": [{"sequence": 7, "reason": "unknown type"}, {"reason": 5}]})");
  ASSERT_TRUE(answer.has_value());
  EXPECT_EQ(answer->stored, 3u);
  EXPECT_EQ(answer->duplicates, 1u);
  ASSERT_EQ(answer->rejected.size(), 2u);
  EXPECT_EQ(answer->rejected[0].sequence, std::optional<uint64_t>(7));
  EXPECT_EQ(answer->rejected[0].reason, "unknown type");
  EXPECT_EQ(answer->rejected[1].sequence, std::nullopt);
  EXPECT_EQ(answer->rejected[1].reason, "refused by the hub");
  EXPECT_TRUE(read_batch_answer("{}").has_value());
  // A proxy's page or a hub of another version: the batch goes again, nothing throws.
  for (const char* body : {"<html>", "[]", R"({"duplicates": "3"})", R"({"stored": -1})", R"({"rejected": {}})",
                           R"({"rejected": [1]})", R"({"rejected": [{"sequence": "7"}]})"}) {
    EXPECT_EQ(read_batch_answer(body), std::nullopt) << body;
  }
}

TEST(Wire, DecodeReadsBackEveryFieldEncodeWroteForEveryEventType) {
  constexpr int64_t sent_ms = 1'795'428'000'000;
  std::vector<Event> events;
  for (uint8_t code = 1; code <= last_event_type; ++code) {
    Event event;
    event.created_ms = sent_ms - 2'000 + code;
    event.id = make_uuid_v7(event.created_ms);
    event.sequence = 40 + code;
    event.type = static_cast<EventType>(code);
    if (code % 2 == 0) event.session = make_uuid_v4();  // the rest outside a session: all zero
    event.package_id.assign("gallery \"north\" \\ wing");
    event.package_version.assign("2026.11.1");
    event.subject.assign(code % 2 == 0 ? "青瓷瓶\tline\nbreak" : "");
    event.value = code % 3 == 0 ? -7 : int64_t{4200} * code;
    events.push_back(event);
  }
  const BatchHeader header{"branch-12.kiosk_1", sent_ms, 3, 4};
  const auto decoded = decode_batch(encode_batch(header, events), events.size());
  ASSERT_TRUE(std::holds_alternative<DecodedBatch>(decoded)) << std::get<BatchRefusal>(decoded).reason;
  const DecodedBatch& batch = std::get<DecodedBatch>(decoded);
  EXPECT_EQ(batch.header.device_id, header.device_id);
  EXPECT_EQ(batch.header.sent_ms, header.sent_ms);
  EXPECT_EQ(batch.header.dropped_over_cap, 3u);
  EXPECT_EQ(batch.header.dropped_ring_full, 4u);
  EXPECT_TRUE(batch.rejected.empty()) << batch.rejected.at(0).reason;
  ASSERT_EQ(batch.events.size(), events.size());
  for (size_t index = 0; index < events.size(); ++index) {
    const Event& sent = events[index];
    const Event& read = batch.events[index];
    SCOPED_TRACE(to_string(sent.type));
    EXPECT_EQ(read.id, sent.id);
    EXPECT_EQ(read.sequence, sent.sequence);
    EXPECT_EQ(read.created_ms, sent.created_ms);
    EXPECT_EQ(read.type, sent.type);
    EXPECT_EQ(read.session, sent.session);
    EXPECT_EQ(read.package_id.view(), sent.package_id.view());
    EXPECT_EQ(read.package_version.view(), sent.package_version.view());
    EXPECT_EQ(read.subject.view(), sent.subject.view());
    EXPECT_EQ(read.value, sent.value);
  }
}

}  // namespace
}  // namespace pavilion::telemetry

// Both storage backends behave the same: deduplication forever, hourly counts that outlive raw
// events, completeness with gaps, migrations that run once.
#include "backends.h"

#include "pavilion/hub/ingest.h"
#include "pavilion/hub/reports.h"
#include "pavilion/telemetry/book_events.h"
#include "pavilion/telemetry/wire.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include <map>

namespace pavilion::hub {
namespace {

using testing::TemporaryFolder;

constexpr int64_t hour = 3'600'000;
// 2026-11-23T10:00:00Z
constexpr int64_t ten_o_clock = 1'795'428'000'000;

class StoreTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    database_ = testing::test_database(GetParam(), folder_);
    store_ = testing::open_test_store(database_);
    ASSERT_NE(store_, nullptr);
  }
  DeviceBatch batch(int64_t received_ms = ten_o_clock) const { return {"kiosk-01", received_ms, 0, 0, {}}; }

  TemporaryFolder folder_;
  std::string database_;
  std::unique_ptr<Store> store_;
};

TEST_P(StoreTest, EnrolmentMapsATokenHashToItsDeviceAndANewTokenReplacesTheOld) {
  ASSERT_TRUE(store_->enrol("kiosk-01", "hash-one", ten_o_clock).ok());
  ASSERT_TRUE(store_->enrol("kiosk-01", "hash-two", ten_o_clock + 1).ok());
  EXPECT_EQ(store_->device_for_token("hash-two").value(), std::optional<std::string>("kiosk-01"));
  EXPECT_EQ(store_->device_for_token("hash-one").value(), std::nullopt);
}

TEST_P(StoreTest, AnEventStoredOnceIsADuplicateForeverAndCountsOnce) {
  std::vector<StoredEvent> events;
  for (uint64_t sequence = 0; sequence < 5; ++sequence) events.push_back(testing::stored_event(sequence, ten_o_clock + 60'000));
  const auto first = store_->ingest(batch(), events);
  ASSERT_TRUE(first.ok()) << first.error().describe();
  EXPECT_EQ(first->stored, 5u);
  EXPECT_EQ(first->duplicates, 0u);
  // The same batch again "days later", and a batch that overlaps it.
  const auto again = store_->ingest(batch(ten_o_clock + 72 * hour), events);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->stored, 0u);
  EXPECT_EQ(again->duplicates, 5u);
  std::vector<StoredEvent> overlapping{events[4], testing::stored_event(5, ten_o_clock + 120'000)};
  const auto overlap = store_->ingest(batch(), overlapping);
  ASSERT_TRUE(overlap.ok());
  EXPECT_EQ(overlap->stored, 1u);
  EXPECT_EQ(overlap->duplicates, 1u);

  const auto rows = store_->hourly(ten_o_clock, ten_o_clock + hour).value();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].events, 6u);
  EXPECT_EQ(rows[0].exhibit, "vase");
  const auto report = store_->completeness().value();
  ASSERT_EQ(report.size(), 1u);
  EXPECT_EQ(report[0].received, 6u);
  EXPECT_EQ(report[0].expected, 6u);
  EXPECT_TRUE(report[0].gaps.empty());
}

TEST_P(StoreTest, HourlyCountsAreByHourExhibitAndType) {
  std::vector<StoredEvent> events{
      testing::stored_event(0, ten_o_clock + 5'000, "session_start", ""),
      testing::stored_event(1, ten_o_clock + 6'000, "exhibit_open", "vase"),
      testing::stored_event(2, ten_o_clock + 9'000, "exhibit_close", "vase"),
      testing::stored_event(3, ten_o_clock + hour + 1'000, "exhibit_open", "ding"),
      testing::stored_event(4, ten_o_clock + hour + 2'000, "language_change", "en"),
  };
  ASSERT_TRUE(store_->ingest(batch(), events).ok());
  const auto rows = store_->hourly(ten_o_clock, ten_o_clock + 2 * hour).value();
  const auto json = nlohmann::json::parse(hourly_report_json(ten_o_clock, ten_o_clock + 2 * hour, rows));
  ASSERT_EQ(json["hours"].size(), 2u);
  EXPECT_EQ(json["hours"][0]["hour"], "2026-11-23T10:00:00Z");
  EXPECT_EQ(json["hours"][0]["events"], 3);
  // Events about no exhibit are counted under "" (sorted first), then each exhibit with its types.
  EXPECT_EQ(json["hours"][0]["exhibits"][0]["exhibit"], "");
  EXPECT_EQ(json["hours"][0]["exhibits"][1]["exhibit"], "vase");
  EXPECT_EQ(json["hours"][0]["exhibits"][1]["by_type"]["exhibit_open"], 1);
  EXPECT_EQ(json["hours"][0]["exhibits"][1]["by_type"]["exhibit_close"], 1);
  EXPECT_EQ(json["hours"][1]["exhibits"][1]["exhibit"], "ding");
  // The range is half-open: the second hour alone.
  EXPECT_EQ(store_->hourly(ten_o_clock + hour, ten_o_clock + 2 * hour).value().size(), 2u);
}

TEST_P(StoreTest, ABooksEventsAreStoredAndCountedUnderTheBookByType) {
  // As a kiosk sends them (book_reading.h): the opening in the subject, the book as the exhibit.
  std::vector<telemetry::Event> events;
  const std::vector<telemetry::EventType> reading{telemetry::EventType::exhibit_open, telemetry::EventType::zoom,
                                                  telemetry::EventType::opening_dwell, telemetry::EventType::page_turn,
                                                  telemetry::EventType::opening_dwell, telemetry::EventType::book_close};
  for (const telemetry::EventType type : reading) {
    const uint32_t opening = events.size() < 4 ? 1 : 2;  // turned after the first dwell
    const telemetry::FixedText<64> subject = telemetry::book_subject("analects", opening);
    const bool about_the_book = telemetry::is_book_event(type);
    events.push_back(testing::kiosk_event(events.size(), ten_o_clock + 1'000 * static_cast<int64_t>(events.size()),
                                          about_the_book ? subject.view() : std::string_view("analects"), type));
  }
  auto parsed = parse_batch(telemetry::encode_batch({"kiosk-01", ten_o_clock + 60'000, 0, 0}, events), ten_o_clock + 60'000, {});
  ASSERT_TRUE(std::holds_alternative<ParsedBatch>(parsed));
  const ParsedBatch& batch = std::get<ParsedBatch>(parsed);
  const auto counts = store_->ingest(device_batch(batch, ten_o_clock + 60'000), batch.events);
  ASSERT_TRUE(counts.ok()) << counts.error().describe();
  EXPECT_EQ(counts->stored, reading.size());
  const auto rows = store_->hourly(ten_o_clock, ten_o_clock + hour).value();
  std::map<std::string, uint64_t> by_type;
  for (const HourlyCount& row : rows) {
    EXPECT_EQ(row.exhibit, "analects") << row.type;
    by_type[row.type] += row.events;
  }
  const std::map<std::string, uint64_t> expected{
      {"book_close", 1}, {"exhibit_open", 1}, {"opening_dwell", 2}, {"page_turn", 1}, {"zoom", 1}};
  EXPECT_EQ(by_type, expected);
}

TEST_P(StoreTest, CompletenessShowsGapsAndWhatTheKioskSaysItDropped) {
  std::vector<StoredEvent> events;
  for (const uint64_t sequence : {3, 4, 5, 9, 10}) events.push_back(testing::stored_event(sequence, ten_o_clock));
  DeviceBatch with_drops = batch();
  with_drops.dropped_over_cap = 3;  // the kiosk's cap removed 0–2
  with_drops.rejected_sequences = {6};
  ASSERT_TRUE(store_->ingest(with_drops, events).ok());
  ASSERT_TRUE(store_->ingest(with_drops, {}).ok());  // a resend does not count the rejection twice
  const auto report = store_->completeness().value();
  ASSERT_EQ(report.size(), 1u);
  const DeviceCompleteness& device = report[0];
  EXPECT_EQ(device.received, 5u);
  EXPECT_EQ(device.expected, 11u);
  EXPECT_EQ(device.dropped_over_cap, 3u);
  EXPECT_EQ(device.rejected, 1u);
  EXPECT_EQ(device.unexplained(), 2u);  // 7 and 8: lost somewhere, and the report says so
  const std::vector<std::pair<uint64_t, uint64_t>> gaps{{0, 2}, {6, 8}};
  EXPECT_EQ(device.gaps, gaps);
}

TEST_P(StoreTest, RetentionRemovesRawEventsAndKeepsTheAggregates) {
  std::vector<StoredEvent> old_events{testing::stored_event(0, ten_o_clock), testing::stored_event(1, ten_o_clock)};
  std::vector<StoredEvent> new_events{testing::stored_event(2, ten_o_clock + 48 * hour)};
  ASSERT_TRUE(store_->ingest(batch(ten_o_clock), old_events).ok());
  ASSERT_TRUE(store_->ingest(batch(ten_o_clock + 48 * hour), new_events).ok());
  EXPECT_EQ(store_->expire_raw_events(ten_o_clock + 24 * hour).value(), 2u);
  EXPECT_EQ(store_->hourly(ten_o_clock, ten_o_clock + hour).value().at(0).events, 2u);
  const auto device = store_->completeness().value().at(0);
  EXPECT_EQ(device.received, 3u);
  EXPECT_EQ(device.expected, 3u);
  EXPECT_TRUE(device.gaps.empty()) << "expired events are not gaps";
  // An expired event sent again is no longer known: that is the documented cost of retention.
  EXPECT_EQ(store_->expire_raw_events(ten_o_clock + 24 * hour).value(), 0u);
}

TEST_P(StoreTest, ReopeningMigratesNothingTwiceAndKeepsTheData) {
  ASSERT_TRUE(store_->enrol("kiosk-01", "hash", ten_o_clock).ok());
  store_.reset();
  auto reopened = open_store(database_);
  ASSERT_TRUE(reopened.ok()) << reopened.error().describe();
  EXPECT_EQ((*reopened)->device_for_token("hash").value(), std::optional<std::string>("kiosk-01"));
  EXPECT_TRUE((*reopened)->check().ok());
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreTest, ::testing::Values("sqlite", "postgresql"), testing::backend_name);

TEST(SqliteStore, ANewerSchemaIsRefusedWithASentence) {
  TemporaryFolder folder;
  const auto file = folder / "hub.sqlite";
  ASSERT_TRUE(open_sqlite_store(file.string()).ok());
  sqlite3* database = nullptr;
  ASSERT_EQ(sqlite3_open(file.c_str(), &database), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(database, "PRAGMA user_version = 99", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(database);
  const auto reopened = open_sqlite_store(file.string());
  ASSERT_FALSE(reopened.ok());
  EXPECT_NE(reopened.error().why().find("newer Pavilion"), std::string::npos) << reopened.error().describe();
}

TEST(SqliteStore, TheRollupOfAnOlderSchemaIsKeptWhenItsKeyTakesTheDayFirst) {
  TemporaryFolder folder;
  const auto file = folder / "hub.sqlite";
  ASSERT_TRUE(open_sqlite_store(file.string()).ok());
  // The database as schema 4 left it: the rollup keyed by the package before the day, and none
  // of the later steps' tables.
  sqlite3* database = nullptr;
  ASSERT_EQ(sqlite3_open(file.c_str(), &database), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(database,
                         "DROP TABLE visit_rollup; CREATE TABLE visit_rollup (measure TEXT NOT NULL, branch TEXT NOT NULL, "
                         "package_id TEXT NOT NULL, day INTEGER NOT NULL, exhibit TEXT NOT NULL, bucket INTEGER NOT NULL, "
                         "amount INTEGER NOT NULL, PRIMARY KEY (measure, branch, package_id, day, exhibit, bucket)) WITHOUT ROWID; "
                         "INSERT INTO visit_rollup VALUES ('visitors', '*', 'gallery', 20415, '', 0, 3), "
                         "('visitors', '*', '', 20416, '', 0, 5); DROP TABLE IF EXISTS repository_files; "
                         "DROP TABLE IF EXISTS relays; DROP TABLE IF EXISTS relay_outbox; DROP TABLE IF EXISTS device_status; "
                         "DROP TABLE IF EXISTS device_packages; PRAGMA user_version = 4",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(database);
  ASSERT_TRUE(open_sqlite_store(file.string()).ok());
  ASSERT_EQ(sqlite3_open(file.c_str(), &database), SQLITE_OK);
  std::vector<std::string> read;
  sqlite3_stmt* rows = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(database, "SELECT package_id, day, amount FROM visit_rollup", -1, &rows, nullptr), SQLITE_OK);
  while (sqlite3_step(rows) == SQLITE_ROW) {
    read.push_back(fmt::format("{} {} {}", reinterpret_cast<const char*>(sqlite3_column_text(rows, 0)),
                               sqlite3_column_int64(rows, 1), sqlite3_column_int64(rows, 2)));
  }
  sqlite3_finalize(rows);
  sqlite3_close(database);
  // Both rows kept, now in the new key's order: the day before the package.
  EXPECT_EQ(read, (std::vector<std::string>{"gallery 20415 3", " 20416 5"}));
}

TEST(PostgresStore, AnUnreachableServerIsAClearError) {
  const auto store = open_store("postgresql://pavilion@127.0.0.1:1/hub?connect_timeout=2");
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().code(), ErrorCode::io);
  EXPECT_NE(store.error().describe().find("connecting to the hub's PostgreSQL database"), std::string::npos);
}

TEST(Reports, TimesAreReadAndWrittenAsUtc) {
  EXPECT_EQ(parse_utc_time("2026-11-23"), std::optional<int64_t>(ten_o_clock - 10 * hour));
  EXPECT_EQ(parse_utc_time("2026-11-23T10:00:00Z"), std::optional<int64_t>(ten_o_clock));
  EXPECT_EQ(format_utc_time(ten_o_clock + 61'000), "2026-11-23T10:01:01Z");
  EXPECT_EQ(parse_utc_time("2026-02-30"), std::nullopt);
  EXPECT_EQ(parse_utc_time("2026-11-23T24:00:00Z"), std::nullopt);
  EXPECT_EQ(parse_utc_time("yesterday"), std::nullopt);
}

}  // namespace
}  // namespace pavilion::hub

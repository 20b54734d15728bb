// PostgreSQL keeps raw events in month partitions (hub/src/schema.h, step 4): events stored before
// the step move into their months, ingest makes a new month's partition, deduplication still
// spans every month, and retention drops a month whole when it can and deletes row by row when
// it cannot.
#include "backends.h"

#include "postgres_partitions.h"
#include "schema.h"

#include <fmt/format.h>
#include <libpq-fe.h>

#include <chrono>
#include <map>

namespace pavilion::hub {
namespace {

// 2026-10-10T10:00:00Z and the first days of some months, UTC.
constexpr int64_t october_10 = 1'791'626'400'000;
constexpr int64_t day = 86'400'000;
constexpr int64_t september_5 = october_10 - 35 * day;
constexpr int64_t november_1 = 1'793'491'200'000;
constexpr int64_t january_2027 = 1'798'761'600'000;

// A connection of the test's own, to look at what the store did.
class Database {
 public:
  explicit Database(const std::string& uri) : connection_(PQconnectdb(uri.c_str())) {
    EXPECT_EQ(PQstatus(connection_), CONNECTION_OK) << PQerrorMessage(connection_);
  }
  ~Database() { PQfinish(connection_); }
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  void run(const std::string& sql) {
    PGresult* result = PQexec(connection_, sql.c_str());
    EXPECT_TRUE(PQresultStatus(result) == PGRES_COMMAND_OK || PQresultStatus(result) == PGRES_TUPLES_OK)
        << sql << ": " << PQerrorMessage(connection_);
    PQclear(result);
  }
  // The first column of every row, as text.
  std::vector<std::string> column(const std::string& sql) {
    PGresult* result = PQexec(connection_, sql.c_str());
    EXPECT_EQ(PQresultStatus(result), PGRES_TUPLES_OK) << sql << ": " << PQerrorMessage(connection_);
    std::vector<std::string> values;
    for (int row = 0; row < PQntuples(result); ++row) values.emplace_back(PQgetvalue(result, row, 0));
    PQclear(result);
    return values;
  }
  // Which partition holds each event, by id.
  std::map<std::string, std::string> partition_of_each() {
    std::map<std::string, std::string> where;
    PGresult* result = PQexec(connection_, "SELECT id, tableoid::regclass::text FROM events");
    for (int row = 0; row < PQntuples(result); ++row) where[PQgetvalue(result, row, 0)] = PQgetvalue(result, row, 1);
    PQclear(result);
    return where;
  }
  bool exists(const std::string& table) { return column(fmt::format("SELECT to_regclass('{}') IS NOT NULL", table))[0] == "t"; }

 private:
  PGconn* connection_;
};

DeviceBatch batch_received(int64_t received_ms) { return {"kiosk-01", received_ms, 0, 0, {}}; }

Result<IngestCounts> ingest(Store& store, int64_t received_ms, const std::vector<StoredEvent>& events) {
  return store.ingest(batch_received(received_ms), events);
}

TEST(PostgresPartitions, EventsStoredBeforeTheStepMoveIntoTheirMonths) {
  const std::string uri = testing::create_test_database().value();
  const std::vector<std::string> steps = schema_migrations(SchemaBackend::postgresql);
  const std::string september_id = testing::stored_event(0, september_5).id;
  const std::string october_id = testing::stored_event(1, october_10).id;
  ASSERT_EQ(steps.size(), 8u);
  {
    // A hub of the schema before partitions, holding events of two months and one whose id
    // says 2115 (a kiosk's clock far off).
    Database database(uri);
    database.run("CREATE TABLE pavilion_schema (version INTEGER NOT NULL)");
    for (size_t step = 0; step < 3; ++step) {
      database.run(steps[step]);
      database.run(fmt::format("INSERT INTO pavilion_schema VALUES ({})", step + 1));
    }
    for (const auto& [id, received] : {std::pair{september_id, september_5}, {october_id, october_10},
                                       {std::string("ffffffff-0000-7000-8000-000000000000"), october_10}}) {
      database.run(fmt::format("INSERT INTO events VALUES ('{}', 'kiosk-01', 0, 0, 0, {}, 'exhibit_open', '', 'gallery', "
                               "'1.0.0', 'vase', 0)",
                               id, received));
    }
  }
  const auto store = testing::open_test_store(uri);
  ASSERT_NE(store, nullptr);
  Database database(uri);
  EXPECT_EQ(database.column("SELECT max(version) FROM pavilion_schema"), std::vector<std::string>{"8"});
  EXPECT_FALSE(database.exists("events_before_partitions"));
  const auto where = database.partition_of_each();
  ASSERT_EQ(where.size(), 3u);
  EXPECT_EQ(where.at(september_id), "events_2026_09");
  EXPECT_EQ(where.at(october_id), "events_2026_10");
  EXPECT_EQ(where.at("ffffffff-0000-7000-8000-000000000000"), "events_default");
}

TEST(PostgresPartitions, IngestMakesANewMonthsPartitionAndDuplicatesSpanEveryMonth) {
  const std::string uri = testing::create_test_database().value();
  const auto store = testing::open_test_store(uri);
  ASSERT_NE(store, nullptr);
  std::vector<StoredEvent> events{testing::stored_event(0, october_10), testing::stored_event(1, january_2027 + day)};
  const auto first = store->ingest(batch_received(january_2027 + 2 * day), events);
  ASSERT_TRUE(first.ok()) << first.error().describe();
  EXPECT_EQ(first->stored, 2u);

  Database database(uri);
  auto where = database.partition_of_each();
  EXPECT_EQ(where.at(events[0].id), "events_2026_10");
  EXPECT_EQ(where.at(events[1].id), "events_2027_01");

  // The same batch a month later: nothing new, whichever month each event lies in.
  const auto again = store->ingest(batch_received(january_2027 + 32 * day), events);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->stored, 0u);
  EXPECT_EQ(again->duplicates, 2u);
  EXPECT_EQ(database.column("SELECT count(*) FROM events"), std::vector<std::string>{"2"});

  // An event whose month has no partition yet lands in the default one and moves to its own
  // when the month is made (here by a second store of the same database, as another hub process).
  const StoredEvent stray = testing::stored_event(2, january_2027 + 40 * day);
  database.run(fmt::format("INSERT INTO events SELECT '{}', device_id, 2, 0, 0, 0, type, session, package_id, "
                           "package_version, subject, value FROM events LIMIT 1",
                           stray.id));
  EXPECT_EQ(database.partition_of_each().at(stray.id), "events_default");
  const auto other = testing::open_test_store(uri);
  ASSERT_NE(other, nullptr);
  ASSERT_TRUE(ingest(*other, january_2027 + 41 * day, {testing::stored_event(3, january_2027 + 41 * day)}).ok());
  EXPECT_EQ(database.partition_of_each().at(stray.id), "events_2027_02");
}

TEST(PostgresPartitions, RetentionDropsWholeMonthsAndDeletesTheRestRowByRow) {
  const std::string uri = testing::create_test_database().value();
  const auto store = testing::open_test_store(uri);
  ASSERT_NE(store, nullptr);
  // September's events all arrived in September; one of October's arrived late, in November.
  ASSERT_TRUE(ingest(*store, september_5, {testing::stored_event(0, september_5),
                                          testing::stored_event(1, september_5 + 1000)}).ok());
  ASSERT_TRUE(ingest(*store, october_10, {testing::stored_event(2, october_10)}).ok());
  const StoredEvent late = testing::stored_event(3, october_10 + day);
  ASSERT_TRUE(ingest(*store, november_1 + 20 * day, {late}).ok());
  Database database(uri);
  ASSERT_TRUE(database.exists("events_2026_09"));

  const auto removed = store->expire_raw_events(november_1);
  ASSERT_TRUE(removed.ok()) << removed.error().describe();
  EXPECT_EQ(*removed, 3u);
  EXPECT_FALSE(database.exists("events_2026_09"));
  EXPECT_TRUE(database.exists("events_2026_10"));
  EXPECT_EQ(database.column("SELECT id FROM events"), std::vector<std::string>{late.id});
  // Expiry also made this month's partition and the next two ahead of their events.
  const int64_t now = telemetry::system_clock_ms();
  for (const int64_t month : {now, now + 31 * day, now + 62 * day}) {
    const auto start = id_month_ms(testing::stored_event(0, month).id).value();
    const std::chrono::year_month_day date(std::chrono::floor<std::chrono::days>(
        std::chrono::sys_time<std::chrono::milliseconds>(std::chrono::milliseconds(start))));
    EXPECT_TRUE(database.exists(fmt::format("events_{:04}_{:02}", static_cast<int>(date.year()),
                                            static_cast<unsigned>(date.month()))));
  }
}

TEST(PostgresPartitions, AnIdsMonthIsReadFromItsFirstThirteenCharacters) {
  EXPECT_EQ(id_month_ms(testing::stored_event(0, october_10).id), std::optional<int64_t>(october_10 - 9 * day - 10 * 3'600'000));
  EXPECT_EQ(id_month_ms("not-an-id"), std::nullopt);
  EXPECT_EQ(id_month_ms("0192D4E5-1234-7000-8000-000000000000"), std::nullopt);  // the hub stores ids in lower case
}

}  // namespace
}  // namespace pavilion::hub

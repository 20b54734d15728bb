// hub_bench: pavilion-hub's ingest over real HTTP on 127.0.0.1, for SQLite and for PostgreSQL
// (a server this benchmark starts itself, with fsync on).
//
//   K kiosks (threads, each with its own token and kept-alive connection) send B batches of E
//   events each, zstd-compressed as the uploader sends them. Figures: events per second over
//   the whole run, and the 50th and 99th percentile of the time from sending a batch to its
//   acknowledgement. The reference, in the same run and on the same database settings, is the
//   same rows inserted directly: one transaction per batch, no HTTP, parsing, validation,
//   deduplication or aggregates (SQLite through one connection, as the hub uses it; PostgreSQL
//   through one connection per kiosk, as the hub's pool does).
//
//   hub_bench [--kiosks K] [--batches B] [--events E]
#include "pavilion/http/client.h"
#include "pavilion/hub/server.h"
#include "pavilion/sqlite/database.h"
#include "pavilion/support/postgres_server.h"
#include "pavilion/telemetry/wire.h"

#include <fmt/format.h>
#include <libpq-fe.h>
#include <sqlite3.h>
#include <zstd.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <string_view>
#include <thread>
#include <vector>

namespace {

using namespace pavilion;
using Clock = std::chrono::steady_clock;

struct Settings {
  size_t kiosks = 4;
  size_t batches = 50;
  size_t events = 500;
};

struct Figures {
  double events_per_second = 0;
  double p50_ms = 0;
  double p99_ms = 0;
};

[[noreturn]] void fail(const Error& error) {
  fmt::print(stderr, "hub_bench: {}\n", error.describe());
  std::exit(1);
}

// Each kiosk's batches, as its uploader would send them.
std::vector<std::vector<telemetry::Event>> make_batches(const Settings& settings, int64_t now) {
  std::vector<std::vector<telemetry::Event>> out(settings.batches);
  uint64_t sequence = 0;
  for (auto& batch : out) {
    for (size_t index = 0; index < settings.events; ++index, ++sequence) {
      telemetry::Event event;
      event.id = telemetry::make_uuid_v7(now);
      event.sequence = sequence;
      event.created_ms = now - 1000;
      event.type = sequence % 2 == 0 ? telemetry::EventType::exhibit_open : telemetry::EventType::exhibit_close;
      event.package_id.assign("gallery");
      event.package_version.assign("1.0.0");
      event.subject.assign(sequence % 3 == 0 ? "celadon-vase" : "bronze-ding");
      event.value = static_cast<int64_t>(sequence);
      batch.push_back(event);
    }
  }
  return out;
}

Figures summarise(std::vector<double>& latencies_ms, size_t events, double seconds) {
  std::sort(latencies_ms.begin(), latencies_ms.end());
  return {static_cast<double>(events) / seconds, latencies_ms[latencies_ms.size() / 2],
          latencies_ms[std::min(latencies_ms.size() - 1, latencies_ms.size() * 99 / 100)]};
}

Figures through_the_hub(const std::string& database, const Settings& settings) {
  auto store = hub::open_store(database);
  if (!store) fail(store.error());
  hub::HubConfig config;
  config.port = 0;
  config.retention_days = 0;
  config.threads = static_cast<unsigned>(settings.kiosks);
  auto server = hub::HubServer::start(config, std::move(store).value());
  if (!server) fail(server.error());
  const int64_t now = telemetry::system_clock_ms();
  std::vector<std::string> tokens;
  std::vector<std::vector<std::string>> bodies(settings.kiosks);
  for (size_t kiosk = 0; kiosk < settings.kiosks; ++kiosk) {
    const std::string device = fmt::format("bench-kiosk-{}", kiosk);
    tokens.push_back(hub::enrol_device((*server)->store(), device).value());
    for (const auto& batch : make_batches(settings, now)) {
      const std::string json = telemetry::encode_batch({device, now, 0, 0}, batch);
      std::string compressed(ZSTD_compressBound(json.size()), '\0');
      compressed.resize(ZSTD_compress(compressed.data(), compressed.size(), json.data(), json.size(), 3));
      bodies[kiosk].push_back(std::move(compressed));
    }
  }
  std::vector<std::vector<double>> latencies(settings.kiosks);
  const auto started = Clock::now();
  std::vector<std::thread> kiosks;
  for (size_t kiosk = 0; kiosk < settings.kiosks; ++kiosk) {
    kiosks.emplace_back([&, kiosk] {
      http::Client client(http::Endpoint::parse((*server)->url()).value(), std::chrono::seconds(60));
      for (std::string& body : bodies[kiosk]) {
        const auto sent = Clock::now();
        auto answer = client.send({"POST", "/v1/events",
                                   {{"Authorization", "Bearer " + tokens[kiosk]}, {"Content-Encoding", "zstd"}},
                                   std::move(body)});
        if (!answer) fail(answer.error());
        if (answer->status != 200) fail(Error(ErrorCode::internal, "sending a batch", answer->body));
        latencies[kiosk].push_back(std::chrono::duration<double, std::milli>(Clock::now() - sent).count());
      }
    });
  }
  for (std::thread& thread : kiosks) thread.join();
  const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
  std::vector<double> all;
  for (const auto& some : latencies) all.insert(all.end(), some.begin(), some.end());
  return summarise(all, settings.kiosks * settings.batches * settings.events, seconds);
}

// The reference: the same rows, one transaction per batch, straight into the database.
Figures direct_sqlite(const std::filesystem::path& file, const Settings& settings) {
  sqlite3* database = nullptr;
  sqlite3_open(file.c_str(), &database);
  if (auto made = sqlite::execute(database,
                                  "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; CREATE TABLE events (id TEXT "
                                  "PRIMARY KEY, device_id TEXT, sequence INTEGER, created_ms INTEGER, corrected_ms "
                                  "INTEGER, received_ms INTEGER, type TEXT, session TEXT, package_id TEXT, "
                                  "package_version TEXT, subject TEXT, value INTEGER)",
                                  "making the reference table");
      !made) {
    fail(made.error());
  }
  const int64_t now = telemetry::system_clock_ms();
  std::vector<double> latencies;
  const auto started = Clock::now();
  for (size_t kiosk = 0; kiosk < settings.kiosks; ++kiosk) {
    const std::string device = fmt::format("bench-kiosk-{}", kiosk);
    for (const auto& batch : make_batches(settings, now)) {
      const auto sent = Clock::now();
      static_cast<void>(sqlite::execute(database, "BEGIN", "reference"));
      sqlite::Statement insert(database, "INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
      for (const telemetry::Event& event : batch) {
        std::array<char, 37> id{};
        std::array<char, 37> session{};
        telemetry::format_uuid(event.id, id);
        telemetry::format_uuid(event.session, session);
        sqlite3_stmt* row = insert.get();
        sqlite3_bind_text(row, 1, id.data(), -1, SQLITE_TRANSIENT);
        insert.bind_text(2, device);
        sqlite3_bind_int64(row, 3, static_cast<sqlite3_int64>(event.sequence));
        sqlite3_bind_int64(row, 4, event.created_ms);
        sqlite3_bind_int64(row, 5, event.created_ms);
        sqlite3_bind_int64(row, 6, now);
        insert.bind_text(7, telemetry::to_string(event.type));
        sqlite3_bind_text(row, 8, session.data(), -1, SQLITE_TRANSIENT);
        insert.bind_text(9, event.package_id.view());
        insert.bind_text(10, event.package_version.view());
        insert.bind_text(11, event.subject.view());
        sqlite3_bind_int64(row, 12, event.value);
        sqlite3_step(row);
        sqlite3_reset(row);
      }
      static_cast<void>(sqlite::execute(database, "COMMIT", "reference"));
      latencies.push_back(std::chrono::duration<double, std::milli>(Clock::now() - sent).count());
    }
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
  sqlite3_close(database);
  return summarise(latencies, settings.kiosks * settings.batches * settings.events, seconds);
}

// As the hub does, one connection per kiosk, side by side.
Figures direct_postgres(const std::string& uri, const Settings& settings) {
  PGconn* setup = PQconnectdb(uri.c_str());
  if (PQstatus(setup) != CONNECTION_OK) fail(Error(ErrorCode::io, "connecting for the reference", PQerrorMessage(setup)));
  PQclear(PQexec(setup,
                 "CREATE TABLE events (id TEXT PRIMARY KEY, device_id TEXT, sequence BIGINT, created_ms BIGINT, "
                 "corrected_ms BIGINT, received_ms BIGINT, type TEXT, session TEXT, package_id TEXT, package_version "
                 "TEXT, subject TEXT, value BIGINT)"));
  PQfinish(setup);
  const int64_t now = telemetry::system_clock_ms();
  std::vector<std::vector<double>> latencies(settings.kiosks);
  std::vector<std::vector<std::string>> statements(settings.kiosks);
  for (size_t kiosk = 0; kiosk < settings.kiosks; ++kiosk) {
    const std::string device = fmt::format("bench-kiosk-{}", kiosk);
    for (const auto& batch : make_batches(settings, now)) {
      // One multi-row INSERT per batch: the usual way to load rows without COPY.
      std::string sql = "INSERT INTO events VALUES ";
      for (const telemetry::Event& event : batch) {
        std::array<char, 37> id{};
        telemetry::format_uuid(event.id, id);
        fmt::format_to(std::back_inserter(sql),
                       "{}('{}','{}',{},{},{},{},'{}','00000000-0000-0000-0000-000000000000','{}','{}','{}',{})",
                       &event == batch.data() ? "" : ",", id.data(), device, event.sequence, event.created_ms,
                       event.created_ms, now, telemetry::to_string(event.type), event.package_id.view(),
                       event.package_version.view(), event.subject.view(), event.value);
      }
      statements[kiosk].push_back(std::move(sql));
    }
  }
  const auto started = Clock::now();
  std::vector<std::thread> kiosks;
  for (size_t kiosk = 0; kiosk < settings.kiosks; ++kiosk) {
    kiosks.emplace_back([&, kiosk] {
      PGconn* connection = PQconnectdb(uri.c_str());
      for (const std::string& sql : statements[kiosk]) {
        const auto sent = Clock::now();
        PGresult* result = PQexec(connection, sql.c_str());
        if (PQresultStatus(result) != PGRES_COMMAND_OK) fail(Error(ErrorCode::io, "reference insert", PQerrorMessage(connection)));
        PQclear(result);
        latencies[kiosk].push_back(std::chrono::duration<double, std::milli>(Clock::now() - sent).count());
      }
      PQfinish(connection);
    });
  }
  for (std::thread& thread : kiosks) thread.join();
  const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
  std::vector<double> all;
  for (const auto& some : latencies) all.insert(all.end(), some.begin(), some.end());
  return summarise(all, settings.kiosks * settings.batches * settings.events, seconds);
}

void print_row(std::string_view name, const Figures& figures) {
  fmt::print("  {:<40} {:>12.0f} {:>9.2f} {:>9.2f}\n", name, figures.events_per_second, figures.p50_ms, figures.p99_ms);
}

}  // namespace

int main(int argc, char** argv) {
  Settings settings;
  for (int index = 1; index + 1 < argc; index += 2) {
    const std::string_view option = argv[index];
    const std::string_view value = argv[index + 1];
    size_t* target = option == "--kiosks" ? &settings.kiosks : option == "--batches" ? &settings.batches
                     : option == "--events" ? &settings.events : nullptr;
    if (target == nullptr) {
      fmt::print(stderr, "usage: hub_bench [--kiosks K] [--batches B] [--events E]\n");
      return 2;
    }
    std::from_chars(value.data(), value.data() + value.size(), *target);
  }
  const auto folder = std::filesystem::temp_directory_path() / "pavilion-hub-bench";
  std::filesystem::remove_all(folder);
  std::filesystem::create_directories(folder);
  auto postgres = support::start_postgres(folder / "postgres", /*durable=*/true);
  if (!postgres) fail(postgres.error());
  auto make_database = [&](std::string_view name) {
    PGconn* connection = PQconnectdb((*postgres + "/postgres").c_str());
    PQclear(PQexec(connection, fmt::format("CREATE DATABASE {}", name).c_str()));
    PQfinish(connection);
    return fmt::format("{}/{}", *postgres, name);
  };

  const Figures sqlite_hub = through_the_hub((folder / "hub.sqlite").string(), settings);
  const Figures sqlite_direct = direct_sqlite(folder / "direct.sqlite", settings);
  const Figures postgres_hub = through_the_hub(make_database("hub"), settings);
  const Figures postgres_direct = direct_postgres(make_database("direct"), settings);
  static_cast<void>(support::stop_postgres(folder / "postgres"));
  std::filesystem::remove_all(folder);

  fmt::print("hub_bench: {} kiosks × {} batches × {} events = {} events per backend\n", settings.kiosks,
             settings.batches, settings.events, settings.kiosks * settings.batches * settings.events);
  fmt::print("  {:<40} {:>12} {:>9} {:>9}\n", "", "events/s", "p50 ms", "p99 ms");
  print_row("SQLite: through the hub (HTTP, ack)", sqlite_hub);
  print_row("SQLite: direct inserts (reference)", sqlite_direct);
  print_row("PostgreSQL: through the hub (HTTP, ack)", postgres_hub);
  print_row("PostgreSQL: direct inserts (reference)", postgres_direct);
  fmt::print("  ratio hub / direct: SQLite {:.2f}, PostgreSQL {:.2f}\n",
             sqlite_hub.events_per_second / sqlite_direct.events_per_second,
             postgres_hub.events_per_second / postgres_direct.events_per_second);
  return 0;
}

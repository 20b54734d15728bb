// hub_dashboard_bench: what the dashboard costs the hub, on SQLite and on PostgreSQL (a server
// this benchmark starts itself, with fsync on).
//
//   Ingest: the batches of `pavilion-hub simulate` (read once by parse_batch, outside the
//   timing) stored by Store::ingest — raw events, hourly counts, the dashboard's visits and
//   rollup, the device's progress, one transaction per batch — against the same rows inserted
//   directly into a table of raw events alone (one transaction, one statement per batch on
//   PostgreSQL), in the same run, on a new database each. Rounds alternate the two; each
//   round's ratio is printed, then the median and the spread, since a ratio that holds only
//   on a good run is no ratio.
//
//   Views: a year of simulated visits (ten branches by default, fifty with --full: about ten
//   million events), then each view through the real HTTP API (GET /api/views/VIEW, signed in as
//   an administrator), `--runs` times per filter: p50 and p95 milliseconds from request to the
//   whole answer.
//
//   hub_dashboard_bench [--full] [--branches N] [--days N] [--ingest-branches N]
//                       [--ingest-days N] [--rounds N] [--runs N] [--backend sqlite|postgresql]
//                       [--part ingest|views]
#include "pavilion/core/log.h"
#include "pavilion/http/client.h"
#include "pavilion/hub/config.h"
#include "pavilion/hub/ingest.h"
#include "pavilion/hub/server.h"
#include "pavilion/hub/simulate.h"
#include "pavilion/sqlite/database.h"
#include "pavilion/support/postgres_server.h"

#include <fmt/format.h>
#include <libpq-fe.h>
#include <sqlite3.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <mutex>
#include <string_view>
#include <vector>

#include <unistd.h>

namespace {

using namespace pavilion;
using Clock = std::chrono::steady_clock;

struct Settings {
  size_t branches = 10;
  size_t days = 365;
  size_t ingest_branches = 4;
  size_t ingest_days = 60;
  size_t rounds = 5;
  size_t runs = 20;
  std::string backend;  // empty: both
  std::string part;     // "ingest" or "views"; empty: both
};

// The data sets end here, so that every run measures the same visits.
constexpr std::chrono::sys_days last_day = std::chrono::sys_days(std::chrono::year{2026} / 11 / 30);

[[noreturn]] void fail(const Error& error) {
  fmt::print(stderr, "hub_dashboard_bench: {}\n", error.describe());
  std::exit(1);
}

template <class T>
T must(Result<T> result) {
  if (!result) fail(result.error());
  return std::move(result).value();
}

void must(Result<void> result) {
  if (!result) fail(result.error());
}

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

double percentile(std::vector<double> values, double share) {
  std::sort(values.begin(), values.end());
  return values[std::min(values.size() - 1, static_cast<size_t>(share * static_cast<double>(values.size())))];
}

// ---- Ingest ---------------------------------------------------------------------------------

struct Batch {
  hub::DeviceBatch device;
  std::vector<hub::StoredEvent> events;
};

struct Uploads {
  std::vector<std::pair<std::string, std::string>> devices;  // id, branch
  std::vector<Batch> batches;                                // in order of arrival
  size_t events = 0;
};

Uploads simulated_uploads(const Settings& settings) {
  hub::SimulationOptions options;
  options.branches = settings.ingest_branches;
  options.days = static_cast<uint32_t>(settings.ingest_days);
  options.last_day = last_day;
  std::mutex mutex;
  Uploads uploads;
  std::vector<std::pair<int64_t, std::string>> bodies;
  hub::SimulationTarget target;
  target.enrol = [&](const std::string& device, const std::string& branch) -> Result<void> {
    std::lock_guard lock(mutex);
    uploads.devices.emplace_back(device, branch);
    return {};
  };
  target.upload = [&](std::string body, int64_t received_ms) -> Result<void> {
    std::lock_guard lock(mutex);
    bodies.emplace_back(received_ms, std::move(body));
    return {};
  };
  must(hub::simulate_uploads(options, target));
  std::ranges::stable_sort(bodies, {}, &std::pair<int64_t, std::string>::first);
  for (const auto& [received_ms, body] : bodies) {
    auto parsed = hub::parse_batch(body, received_ms, hub::BatchLimits{options.batch_events});
    auto& batch = std::get<hub::ParsedBatch>(parsed);
    uploads.events += batch.events.size();
    uploads.batches.push_back({hub::device_batch(batch, received_ms), std::move(batch.events)});
  }
  return uploads;
}

double through_the_store(const std::string& database, const Uploads& uploads) {
  const auto store = must(hub::open_store(database));
  for (const auto& [device, branch] : uploads.devices) must(hub::enrol_device(*store, device, {branch, true}));
  const auto started = Clock::now();
  for (const Batch& batch : uploads.batches) must(store->ingest(batch.device, batch.events));
  return static_cast<double>(uploads.events) / seconds_since(started);
}

// The reference: a table of raw events alone (the shape of the hub's, its primary key the id),
// one transaction per batch through SQLite's C API, as durable as the hub's store.
double direct_sqlite(const std::filesystem::path& file, const Uploads& uploads) {
  sqlite3* database = must(sqlite::open_durable(file.string(), "opening the reference database"));
  must(sqlite::execute(database,
                       "CREATE TABLE events (id TEXT PRIMARY KEY, device_id TEXT, sequence INTEGER, created_ms INTEGER, "
                       "corrected_ms INTEGER, received_ms INTEGER, type TEXT, session TEXT, package_id TEXT, "
                       "package_version TEXT, subject TEXT, value INTEGER)",
                       "making the reference table"));
  const auto started = Clock::now();
  {
    sqlite::Statement insert(database, "INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    for (const Batch& batch : uploads.batches) {
      must(sqlite::execute(database, "BEGIN", "reference"));
      for (const hub::StoredEvent& event : batch.events) {
        sqlite3_stmt* row = insert.get();
        insert.bind_text(1, event.id);
        insert.bind_text(2, batch.device.device_id);
        sqlite3_bind_int64(row, 3, static_cast<sqlite3_int64>(event.sequence));
        sqlite3_bind_int64(row, 4, event.created_ms);
        sqlite3_bind_int64(row, 5, event.corrected_ms);
        sqlite3_bind_int64(row, 6, batch.device.received_ms);
        insert.bind_text(7, event.type);
        insert.bind_text(8, event.session);
        insert.bind_text(9, event.package_id);
        insert.bind_text(10, event.package_version);
        insert.bind_text(11, event.subject);
        sqlite3_bind_int64(row, 12, event.value);
        if (sqlite3_step(row) != SQLITE_DONE) fail(sqlite::error(database, "reference insert"));
        sqlite3_reset(row);
      }
      must(sqlite::execute(database, "COMMIT", "reference"));
    }
  }
  const double rate = static_cast<double>(uploads.events) / seconds_since(started);
  sqlite3_close(database);
  return rate;
}

void append_literal(std::string& sql, PGconn* connection, std::string_view text) {
  std::string escaped(text.size() * 2 + 1, '\0');
  escaped.resize(PQescapeStringConn(connection, escaped.data(), text.data(), text.size(), nullptr));
  sql += '\'';
  sql += escaped;
  sql += '\'';
}

// The reference on PostgreSQL: one multi-row INSERT per batch (one round trip, as the hub's one
// statement per batch), prepared before the clock starts.
double direct_postgres(const std::string& uri, const Uploads& uploads) {
  PGconn* connection = PQconnectdb(uri.c_str());
  if (PQstatus(connection) != CONNECTION_OK) fail(Error(ErrorCode::io, "connecting for the reference", PQerrorMessage(connection)));
  PQclear(PQexec(connection,
                 "CREATE TABLE events (id TEXT PRIMARY KEY, device_id TEXT, sequence BIGINT, created_ms BIGINT, "
                 "corrected_ms BIGINT, received_ms BIGINT, type TEXT, session TEXT, package_id TEXT, package_version "
                 "TEXT, subject TEXT, value BIGINT)"));
  std::vector<std::string> statements;
  for (const Batch& batch : uploads.batches) {
    std::string sql = "INSERT INTO events VALUES ";
    for (const hub::StoredEvent& event : batch.events) {
      if (&event != batch.events.data()) sql += ',';
      sql += '(';
      append_literal(sql, connection, event.id);
      sql += ',';
      append_literal(sql, connection, batch.device.device_id);
      fmt::format_to(std::back_inserter(sql), ",{},{},{},{},", event.sequence, event.created_ms, event.corrected_ms,
                     batch.device.received_ms);
      for (const std::string* text : {&event.type, &event.session, &event.package_id, &event.package_version, &event.subject}) {
        append_literal(sql, connection, *text);
        sql += ',';
      }
      fmt::format_to(std::back_inserter(sql), "{})", event.value);
    }
    statements.push_back(std::move(sql));
  }
  const auto started = Clock::now();
  for (const std::string& sql : statements) {
    PGresult* result = PQexec(connection, sql.c_str());
    if (PQresultStatus(result) != PGRES_COMMAND_OK) fail(Error(ErrorCode::io, "reference insert", PQerrorMessage(connection)));
    PQclear(result);
  }
  const double rate = static_cast<double>(uploads.events) / seconds_since(started);
  PQfinish(connection);
  return rate;
}

// ---- Views ----------------------------------------------------------------------------------

struct Query {
  std::string label;
  std::string target;  // after /api/views/VIEW
};

std::string cookie_of(const http::Response& response) {
  for (const auto& [name, value] : response.headers) {
    if (name == "Set-Cookie" || name == "set-cookie") return value.substr(0, value.find(';'));
  }
  fail(Error(ErrorCode::internal, "signing in", "the hub set no session cookie"));
}

void time_views(const std::string& backend, const hub::HubConfig& config, const Settings& settings) {
  std::shared_ptr<hub::Store> store = must(hub::open_store(config.database));
  hub::SimulationOptions options;
  options.branches = settings.branches;
  options.days = static_cast<uint32_t>(settings.days);
  options.last_day = last_day;
  const auto started = Clock::now();
  options.progress = [&](const hub::SimulationProgress& progress) {
    if (progress.branches_done % 5 == 0 || progress.branches_done == progress.branches) {
      fmt::print(stderr, "  {}: {}/{} branches simulated, {} events, {:.0f} s\n", backend, progress.branches_done,
                 progress.branches, progress.events, seconds_since(started));
    }
  };
  const hub::SimulationSummary summary = must(hub::simulate(*store, options));
  const double load_seconds = seconds_since(started);

  must(hub::add_person(*store, "bench-admin", hub::Role::administrator, std::nullopt, "a benchmark's password"));
  auto server = must(hub::HubServer::start(config, store));
  http::Client client(http::Endpoint::parse(server->url()).value(), std::chrono::seconds(120));
  const auto session = must(client.send({"POST", "/api/session", {{"Content-Type", "application/json"}},
                                         R"({"user":"bench-admin","password":"a benchmark's password"})"}));
  if (session.status != 200) fail(Error(ErrorCode::internal, "signing in", session.body));
  const std::string cookie = cookie_of(session);

  const auto day_text = [](std::chrono::sys_days day) {
    const std::chrono::year_month_day date(day);
    return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(date.year()), static_cast<unsigned>(date.month()),
                       static_cast<unsigned>(date.day()));
  };
  const std::string year = fmt::format("from={}&to={}", day_text(last_day - std::chrono::days(settings.days - 1)),
                                       day_text(last_day));
  const std::string month = fmt::format("from={}&to={}", day_text(last_day - std::chrono::days(27)), day_text(last_day));
  const std::vector<Query> queries{
      {"year, every branch", year},
      {"28 days, every branch", month},
      {"year, one branch", year + "&branch=" + hub::simulated_branch_id(7)},
      {"year, the poetry garden", year + "&package=poetry-garden"},
  };
  fmt::print("{}: {} branches × {} days: {} events ({} visits) loaded through ingest in {:.0f} s ({:.0f} events/s)\n",
             backend, settings.branches, settings.days, summary.stored, summary.sessions, load_seconds,
             static_cast<double>(summary.stored) / load_seconds);
  fmt::print("  {:<10} {:<26} {:>9} {:>9} {:>10}\n", "view", "filter", "p50 ms", "p95 ms", "bytes");
  for (const char* view : {"overview", "when", "what", "how", "campaigns", "health"}) {
    for (const Query& query : queries) {
      std::vector<double> times;
      size_t bytes = 0;
      for (size_t run = 0; run < settings.runs; ++run) {
        const auto sent = Clock::now();
        const auto answer = must(client.send({"GET", fmt::format("/api/views/{}?{}", view, query.target), {{"Cookie", cookie}}, ""}));
        times.push_back(std::chrono::duration<double, std::milli>(Clock::now() - sent).count());
        if (answer.status != 200) fail(Error(ErrorCode::internal, fmt::format("reading the {} view", view), answer.body));
        bytes = answer.body.size();
      }
      fmt::print("  {:<10} {:<26} {:>9.1f} {:>9.1f} {:>10}\n", view, query.label, percentile(times, 0.5),
                 percentile(times, 0.95), bytes);
    }
  }
  std::fflush(stdout);
}

void measure_ingest(const Settings& settings, bool sqlite, bool postgres,
                    const std::function<std::string(bool on_postgres)>& new_database) {
  const Uploads uploads = simulated_uploads(settings);
  fmt::print("hub_dashboard_bench: ingest of {} events in {} batches ({} branches × {} days of simulated visits)\n",
             uploads.events, uploads.batches.size(), settings.ingest_branches, settings.ingest_days);
  fmt::print("  {:<12} {:>6} {:>16} {:>16} {:>7}\n", "backend", "round", "store events/s", "direct events/s", "ratio");
  for (const bool on_postgres : {false, true}) {
    if (on_postgres ? !postgres : !sqlite) continue;
    const char* name = on_postgres ? "PostgreSQL" : "SQLite";
    std::vector<double> ratios;
    for (size_t round = 0; round < settings.rounds; ++round) {
      const double store = through_the_store(new_database(on_postgres), uploads);
      const std::string reference = new_database(on_postgres);
      const double direct = on_postgres ? direct_postgres(reference, uploads) : direct_sqlite(reference, uploads);
      ratios.push_back(store / direct);
      fmt::print("  {:<12} {:>6} {:>16.0f} {:>16.0f} {:>7.2f}\n", name, round + 1, store, direct, store / direct);
    }
    fmt::print("  {:<12} ratio store / direct: median {:.2f}, lowest {:.2f}, highest {:.2f}\n", name,
               percentile(ratios, 0.5), *std::ranges::min_element(ratios), *std::ranges::max_element(ratios));
  }
  std::fflush(stdout);
}

std::optional<Settings> parse_settings(int argc, char** argv) {
  Settings settings;
  for (int index = 1; index < argc; ++index) {
    const std::string_view option = argv[index];
    if (option == "--full") {
      settings.branches = 50;
      continue;
    }
    if (index + 1 >= argc) return std::nullopt;
    const std::string_view value = argv[++index];
    if (option == "--backend") {
      if (value != "sqlite" && value != "postgresql") return std::nullopt;
      settings.backend = value;
      continue;
    }
    if (option == "--part") {
      if (value != "ingest" && value != "views") return std::nullopt;
      settings.part = value;
      continue;
    }
    size_t* target = option == "--branches"          ? &settings.branches
                     : option == "--days"            ? &settings.days
                     : option == "--ingest-branches" ? &settings.ingest_branches
                     : option == "--ingest-days"     ? &settings.ingest_days
                     : option == "--rounds"          ? &settings.rounds
                     : option == "--runs"            ? &settings.runs
                                                     : nullptr;
    if (target == nullptr || std::from_chars(value.data(), value.data() + value.size(), *target).ec != std::errc() ||
        *target == 0) {
      return std::nullopt;
    }
  }
  return settings;
}

}  // namespace

int main(int argc, char** argv) {
  const auto settings = parse_settings(argc, argv);
  if (!settings) {
    fmt::print(stderr,
               "usage: hub_dashboard_bench [--full] [--branches N] [--days N] [--ingest-branches N] [--ingest-days N]\n"
               "                           [--rounds N] [--runs N] [--backend sqlite|postgresql] [--part ingest|views]\n");
    return 2;
  }
  const bool sqlite = settings->backend != "postgresql";
  const bool postgres = settings->backend != "sqlite";
  // A folder of this run's own: two runs at once must not remove each other's database server.
  const auto folder = std::filesystem::temp_directory_path() / fmt::format("pavilion-hub-dashboard-bench-{}", ::getpid());
  std::filesystem::remove_all(folder);
  std::filesystem::create_directories(folder);
  std::string server;
  if (postgres) server = must(support::start_postgres(folder / "postgres", /*durable=*/true));
  size_t databases = 0;
  auto new_database = [&](bool on_postgres) {
    const std::string name = fmt::format("bench_{}", ++databases);
    if (!on_postgres) return (folder / (name + ".sqlite")).string();
    PGconn* connection = PQconnectdb((server + "/postgres").c_str());
    PQclear(PQexec(connection, fmt::format("CREATE DATABASE {}", name).c_str()));
    PQfinish(connection);
    return fmt::format("{}/{}", server, name);
  };

  // The hub's settings as a library in China would write them; load_hub_config makes the time
  // zone the process's, as pavilion-hub does.
  const auto config_file = folder / "hub.json";
  std::ofstream(config_file) << R"({"listen": "127.0.0.1:0", "time_zone": "Asia/Shanghai", "threads": 4})";
  hub::HubConfig config = must(hub::load_hub_config(config_file));

  // The hub's own lines (listening on …) would break the tables up.
  log::configure(log::Level::warn, log::Format::text);
  if (settings->part != "views") measure_ingest(*settings, sqlite, postgres, new_database);
  if (settings->part != "ingest") {
    for (const bool on_postgres : {false, true}) {
      if (on_postgres ? !postgres : !sqlite) continue;
      config.database = new_database(on_postgres);
      time_views(on_postgres ? "PostgreSQL" : "SQLite", config, *settings);
    }
  }
  if (postgres) static_cast<void>(support::stop_postgres(folder / "postgres"));
  std::filesystem::remove_all(folder);
  return 0;
}


// pavilion-hub: the analytics hub. See hub/README.md.
#include "pavilion/core/log.h"
#include "pavilion/core/number.h"
#include "pavilion/hub/forwarder.h"
#include "pavilion/hub/mirror.h"
#include "pavilion/hub/reports.h"
#include "pavilion/hub/server.h"
#include "pavilion/hub/simulate.h"
#include "pavilion/telemetry/event.h"
#include "repository/command.h"
#include "user_command.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <optional>
#include <string_view>
#include <vector>

namespace {

using namespace pavilion;

constexpr std::string_view usage = R"(Usage: pavilion-hub serve [--config hub.json]
       pavilion-hub enrol DEVICE_ID [--branch ID] [--config hub.json]
       pavilion-hub enrol RELAY_ID --relay --branch ID [--config hub.json]
       pavilion-hub report hourly [--from DATE] [--to DATE] [--config hub.json]
       pavilion-hub report completeness [--config hub.json]
       pavilion-hub report fleet [--json] [--config hub.json]
       pavilion-hub expire [--config hub.json]
       pavilion-hub user add NAME --role administrator|librarian|viewer [--branch ID] [--config hub.json]
       pavilion-hub user password NAME [--config hub.json]
       pavilion-hub user remove NAME [--config hub.json]
       pavilion-hub user list [--config hub.json]
       pavilion-hub simulate [--branches 50] [--days 365] [--end DATE] [--seed N] [--config hub.json]
       pavilion-hub repository init --root-key R.key … --threshold N --targets-key T.key
                                    --snapshot-key S.key --timestamp-key TS.key [--config hub.json]
       pavilion-hub repository rotate-root --old-root-key R.key … --root-key R2.key … --threshold N
                                           [--timestamp-key TS2.key] [--config hub.json]
       pavilion-hub publish PACKAGE.pvpkg --channel NAME --trusted-key CURATOR.pub … [--config hub.json]
       pavilion-hub campaign add NAME --channel NAME --starts 2027-01-28T08:00 --ends 2027-02-12T21:00
                                  [--branches ID,ID] [--stage-days 7] [--config hub.json]
       pavilion-hub campaign remove NAME [--config hub.json]
       pavilion-hub channel remove-package PACKAGE_ID --channel NAME [--config hub.json]

Receives kiosks' interaction logs, keeps them in SQLite or PostgreSQL, and answers reports.

  serve          listen for kiosks (Ctrl-C or SIGTERM stops it cleanly); prints
                 "listening on http://ADDRESS:PORT" once, when it does; a branch hub (hub.json's
                 upstream) also forwards its kiosks' events and mirrors the centre's packages
  enrol          give a kiosk a new token (printed once; the hub keeps only its hash); --branch
                 names the library branch it stands in, for the dashboard; with --relay, a
                 branch hub's token for forwarding its kiosks' events here (they are enrolled
                 under --branch)
  report         events per hour and exhibit (DATE: 2026-11-23 or 2026-11-23T14:00:00Z, UTC;
                 the last 7 days by default), or each kiosk's received vs expected events,
                 or the fleet: per branch and kiosk what it shows, stages and failed, its
                 metadata versions and disk, when last seen (a table, or JSON with --json)
  expire         remove raw events past retention_days now (serve does it every hour)
  simulate       store a demonstration data set: a year of visits at 50 branches' kiosks and
                 headsets (demo-branch-01-kiosk-1 …), enrolled as simulated devices, through
                 the same ingest as kiosks' uploads; --end is its last day (yesterday by
                 default), --seed makes another set (the same seed gives the same set)
  user           the dashboard's people: add one (the password, at least 12 characters, on
                 standard input; a librarian sees one --branch), change a password, remove
                 one (their sessions end), list them
  repository     the package repository kiosks update from (hub/README.md): init signs root/1.json
                 with the offline root keys (a threshold of them signs each later root) and names
                 the online keys; rotate-root makes the next root, signed by the old keys and the new
  publish        a signed package's blobs into the repository and it into a channel (a version of
                 the same package there before leaves it); only its changed blobs are new
  campaign       a channel shown at the branches given (all by default) between two local times,
                 staged --stage-days before
  channel        remove-package takes a package out of a channel
  --config FILE  the hub's settings (hub/README.md); PAVILION_HUB_* variables override them

Exit status: 0 on success, 1 on an error, 2 for a wrong command line.
)";

// The options that take no value.
bool is_flag(std::string_view argument) { return argument == "--json" || argument == "--relay"; }

int fail_usage(std::string_view message) {
  fmt::print(stderr, "pavilion-hub: {}\n\n{}", message, usage);
  return 2;
}

// A whole number for an option, within [low, high].
std::optional<uint64_t> whole_number(const std::optional<std::string>& text, uint64_t fallback, uint64_t low,
                                     uint64_t high) {
  if (!text) return fallback;
  const std::optional<uint64_t> number = parse_whole_number(*text);
  if (!number || *number < low || *number > high) return std::nullopt;
  return number;
}

int fail(const Error& error) {
  fmt::print(stderr, "pavilion-hub: {}\n", error.describe());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (auto problem = log::configure_from_environment()) fmt::print(stderr, "pavilion-hub: {}\n", *problem);
  // `user …` has options of its own (user_command.h). The command is the first word that is not
  // an option's value (every option here but the flags takes one).
  for (int index = 1; index < argc; ++index) {
    const std::string_view argument = argv[index];
    if (argument.starts_with("-") ||
        (index > 1 && std::string_view(argv[index - 1]).starts_with("--") && !is_flag(argv[index - 1]))) {
      continue;
    }
    if (argument == "user") return hub::user_command(std::vector<std::string_view>(argv + 1, argv + argc), usage);
    if (hub::is_repository_command(argument)) {
      return hub::repository_command(std::vector<std::string_view>(argv + 1, argv + argc), usage);
    }
    break;
  }
  std::vector<std::string_view> words;
  std::optional<std::filesystem::path> config_file;
  std::optional<std::string> from;
  std::optional<std::string> to;
  std::optional<std::string> branches;
  std::optional<std::string> days;
  std::optional<std::string> end;
  std::optional<std::string> seed;
  std::optional<std::string> branch;
  bool as_json = false;
  bool relay = false;
  for (int index = 1; index < argc; ++index) {
    const std::string_view argument = argv[index];
    auto value = [&]() -> std::optional<std::string> {
      if (index + 1 >= argc) return std::nullopt;
      return std::string(argv[++index]);
    };
    if (argument == "--help" || argument == "-h") {
      fmt::print("{}", usage);
      return 0;
    }
    if (argument == "--json") {
      as_json = true;
      continue;
    }
    if (argument == "--relay") {
      relay = true;
      continue;
    }
    std::optional<std::string>* const target = argument == "--from"       ? &from
                                               : argument == "--to"       ? &to
                                               : argument == "--branches" ? &branches
                                               : argument == "--days"     ? &days
                                               : argument == "--end"      ? &end
                                               : argument == "--seed"     ? &seed
                                               : argument == "--branch"   ? &branch
                                                                          : nullptr;
    if (argument == "--config" || target != nullptr) {
      const auto given = value();
      if (!given) return fail_usage(fmt::format("{} needs a value", argument));
      if (target != nullptr) *target = *given;
      else config_file = *given;
    } else if (argument.starts_with("--")) {
      return fail_usage(fmt::format("unknown option {}", argument));
    } else {
      words.push_back(argument);
    }
  }
  if (words.empty()) return fail_usage("say what to do: serve, enrol, report, expire, simulate or user");

  auto config = hub::load_hub_config(config_file);
  if (!config) return fail(config.error());
  auto opened = hub::open_store(config->database);
  if (!opened) return fail(opened.error());
  std::shared_ptr<hub::Store> store = std::move(opened).value();

  const std::string_view command = words[0];
  if (command == "serve" && words.size() == 1) {
    // Signals are waited for on this thread, so the server's threads never see them.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    auto server = hub::HubServer::start(*config, store);
    if (!server) return fail(server.error());
    // A branch hub's link upstream (hub/README.md, "Branch hubs"); stopped before the server.
    std::unique_ptr<hub::EventForwarder> forwarder;
    if (!config->upstream.url.empty() && config->upstream.forward_events) {
      auto started = hub::EventForwarder::start(config->upstream, store);
      if (!started) return fail(started.error());
      forwarder = std::move(started).value();
    }
    std::unique_ptr<hub::RepositoryMirror> mirror;
    if (!config->upstream.url.empty() && !config->upstream.root.empty()) {
      auto started = hub::RepositoryMirror::start(*config, store);
      if (!started) return fail(started.error());
      mirror = std::move(started).value();
    }
    // The one line on standard output, for a program that starts the hub and needs its port
    // (a kiosk's own hub, listen port 0); logs go to standard error.
    fmt::print("listening on {}\n", (*server)->url());
    std::fflush(stdout);
    if (config->admin_token.empty()) {
      log::warn("hub", "no admin_token is set: enrolment and reports over HTTP are off (use `pavilion-hub enrol`)");
    }
    int received = 0;
    sigwait(&signals, &received);
    log::info("hub", "stopping ({})", received == SIGTERM ? "SIGTERM" : "SIGINT");
    return 0;
  }
  if (command == "enrol" && words.size() == 2 && relay) {
    if (!branch) return fail_usage("a relay enrols its devices under a branch: give --branch ID");
    auto token = hub::enrol_relay(*store, words[1], *branch);
    if (!token) return fail(token.error());
    fmt::print("{}\n", *token);
    return 0;
  }
  if (command == "enrol" && words.size() == 2) {
    auto token = hub::enrol_device(*store, words[1], {branch.value_or(""), false});
    if (!token) return fail(token.error());
    fmt::print("{}\n", *token);
    return 0;
  }
  if (command == "report" && words.size() == 2 && words[1] == "hourly") {
    const int64_t now = telemetry::system_clock_ms();
    const auto from_ms = from ? hub::parse_utc_time(*from) : std::optional<int64_t>(now - 7 * 86'400'000LL);
    const auto to_ms = to ? hub::parse_utc_time(*to) : std::optional<int64_t>(now);
    if (!from_ms || !to_ms || *to_ms <= *from_ms) {
      return fail_usage("--from and --to take dates (2026-11-23) or UTC times (2026-11-23T14:00:00Z), --to after --from");
    }
    auto rows = store->hourly(*from_ms, *to_ms);
    if (!rows) return fail(rows.error());
    fmt::print("{}\n", hub::hourly_report_json(*from_ms, *to_ms, *rows));
    return 0;
  }
  if (command == "report" && words.size() == 2 && words[1] == "completeness") {
    auto devices = store->completeness();
    if (!devices) return fail(devices.error());
    fmt::print("{}\n", hub::completeness_report_json(*devices));
    return 0;
  }
  if (command == "report" && words.size() == 2 && words[1] == "fleet") {
    auto kiosks = store->fleet();
    if (!kiosks) return fail(kiosks.error());
    if (as_json) fmt::print("{}\n", hub::fleet_report_json(*kiosks));
    else fmt::print("{}", hub::fleet_report_text(*kiosks));
    return 0;
  }
  if (command == "expire" && words.size() == 1) {
    const int64_t cutoff = telemetry::system_clock_ms() - static_cast<int64_t>(config->retention_days) * 86'400'000LL;
    if (config->retention_days == 0) {
      fmt::print("retention_days is 0: raw events are kept forever\n");
      return 0;
    }
    auto removed = store->expire_raw_events(cutoff);
    if (!removed) return fail(removed.error());
    fmt::print("removed {} raw events older than {} days\n", *removed, config->retention_days);
    return 0;
  }
  if (command == "simulate" && words.size() == 1) {
    hub::SimulationOptions options;
    const auto branch_count = whole_number(branches, 50, 1, 999);
    const auto day_count = whole_number(days, 365, 1, 3650);
    const auto seed_number = whole_number(seed, 1, 0, UINT64_MAX);
    if (!branch_count || !day_count || !seed_number) {
      return fail_usage("--branches takes 1 to 999, --days 1 to 3650, --seed a whole number");
    }
    options.branches = *branch_count;
    options.days = static_cast<uint32_t>(*day_count);
    options.seed = *seed_number;
    using namespace std::chrono;
    if (end) {
      const auto end_ms = hub::parse_utc_time(*end);
      if (!end_ms || end->size() != 10) return fail_usage("--end takes a day, such as 2026-11-30");
      options.last_day = floor<std::chrono::days>(sys_time<milliseconds>(milliseconds(*end_ms)));
    } else {
      // Yesterday in China, the libraries the demonstration stands for.
      options.last_day = floor<std::chrono::days>(sys_time<milliseconds>(milliseconds(telemetry::system_clock_ms())) + hours(8)) -
                         std::chrono::days(1);
    }
    const auto started = steady_clock::now();
    options.progress = [&](const hub::SimulationProgress& progress) {
      fmt::print(stderr, "simulate: {}/{} branches, {} events stored, {:.0f} s\n", progress.branches_done,
                 progress.branches, progress.events, duration<double>(steady_clock::now() - started).count());
    };
    auto summary = hub::simulate(*store, options);
    if (!summary) return fail(summary.error());
    fmt::print("simulated {} devices at {} branches over {} days: {} visits, {} events ({} stored, {} already there), "
               "{} batches\n",
               summary->devices, options.branches, options.days, summary->sessions, summary->events, summary->stored,
               summary->duplicates, summary->batches);
    return summary->rejected == 0 ? 0 : 1;
  }
  return fail_usage(fmt::format("'{}' is not a command I know", fmt::join(words, " ")));
}

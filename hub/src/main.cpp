// pavilion-hub: the analytics hub. See hub/README.md.
#include "pavilion/core/log.h"
#include "pavilion/hub/reports.h"
#include "pavilion/hub/server.h"
#include "pavilion/telemetry/event.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <csignal>
#include <cstdio>
#include <optional>
#include <string_view>
#include <vector>

namespace {

using namespace pavilion;

constexpr std::string_view usage = R"(Usage: pavilion-hub serve [--config hub.json]
       pavilion-hub enrol DEVICE_ID [--config hub.json]
       pavilion-hub report hourly [--from DATE] [--to DATE] [--config hub.json]
       pavilion-hub report completeness [--config hub.json]
       pavilion-hub expire [--config hub.json]

Receives kiosks' interaction logs, keeps them in SQLite or PostgreSQL, and answers reports.

  serve          listen for kiosks (Ctrl-C or SIGTERM stops it cleanly); prints
                 "listening on http://ADDRESS:PORT" once, when it does
  enrol          give a kiosk a new token (printed once; the hub keeps only its hash)
  report         events per hour and exhibit (DATE: 2026-11-23 or 2026-11-23T14:00:00Z, UTC;
                 the last 7 days by default), or each kiosk's received vs expected events
  expire         remove raw events past retention_days now (serve does it every hour)
  --config FILE  the hub's settings (hub/README.md); PAVILION_HUB_* variables override them

Exit status: 0 on success, 1 on an error, 2 for a wrong command line.
)";

int fail_usage(std::string_view message) {
  fmt::print(stderr, "pavilion-hub: {}\n\n{}", message, usage);
  return 2;
}

int fail(const Error& error) {
  fmt::print(stderr, "pavilion-hub: {}\n", error.describe());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (auto problem = log::configure_from_environment()) fmt::print(stderr, "pavilion-hub: {}\n", *problem);
  std::vector<std::string_view> words;
  std::optional<std::filesystem::path> config_file;
  std::optional<std::string> from;
  std::optional<std::string> to;
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
    if (argument == "--config" || argument == "--from" || argument == "--to") {
      const auto given = value();
      if (!given) return fail_usage(fmt::format("{} needs a value", argument));
      if (argument == "--config") config_file = *given;
      if (argument == "--from") from = *given;
      if (argument == "--to") to = *given;
    } else if (argument.starts_with("--")) {
      return fail_usage(fmt::format("unknown option {}", argument));
    } else {
      words.push_back(argument);
    }
  }
  if (words.empty()) return fail_usage("say what to do: serve, enrol, report or expire");

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
  if (command == "enrol" && words.size() == 2) {
    auto token = hub::enrol_device(*store, words[1]);
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
  return fail_usage(fmt::format("'{}' is not a command I know", fmt::join(words, " ")));
}

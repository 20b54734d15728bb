// pavilion-hub's settings: a JSON file (hub/README.md documents every field), then environment
// variables on top, as container and systemd deployments expect.
#pragma once

#include "pavilion/core/error.h"
#include "pavilion/core/localized_text.h"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace pavilion::hub {

// The dashboard's files: share/pavilion/web beside an installed program's bin folder, else where
// this build put them.
std::filesystem::path default_web_root();

// A day the library counts as a holiday in the dashboard's calendar.
struct Holiday {
  int64_t day = 0;  // local day (days since 1970-01-01)
  LocalizedText name;
};

// A branch hub's link to the hub above it (hub/README.md, "Branch hubs"): it forwards its kiosks'
// events there and mirrors the repository's channels its kiosks follow. No url: a central hub.
struct UpstreamConfig {
  std::string url;                  // "https://hub.centre.example:8470"
  std::filesystem::path token_file;  // the relay token `pavilion-hub enrol ID --relay` printed at the centre
  std::filesystem::path ca_file;     // https: the authorities that sign the centre's certificate; empty: the system's
  std::filesystem::path root;        // the centre's root.json, pinned at install (mirroring verifies from it)
  std::vector<std::string> channels;  // the channels mirrored; empty: every channel
  std::chrono::milliseconds poll{60'000};  // poll_seconds: how often the timestamp is checked and the outbox sent
  bool forward_events = true;
  // Heads and blobs the centre's targets no longer name stay this long: a kiosk may still be
  // fetching the version before, and it may hold a timestamp naming it for the timestamp's whole
  // lifetime (a day, hub/README.md "The package repository"). Tests shorten it.
  std::chrono::seconds keep_unnamed_blobs{std::chrono::hours(24)};
};

struct HubConfig {
  std::string listen_address = "127.0.0.1";
  uint16_t port = 8470;  // 0: any free port (tests, an embedded hub)
  // An SQLite file's path, or "postgresql://user@host:port/database".
  std::string database = "pavilion-hub.sqlite";
  // Enrols devices and reads reports; without one those endpoints answer 403.
  std::string admin_token;
  size_t max_request_bytes = 1 << 20;   // a request's body as sent (compressed)
  size_t max_batch_bytes = 16 << 20;    // a batch after decompression
  size_t max_events_per_batch = 5000;
  uint32_t retention_days = 400;        // raw events; 0 keeps them forever. Aggregates stay.
  // HTTPS: a PEM certificate chain and its private key. Without them the hub speaks plain HTTP
  // (behind a reverse proxy that does TLS, or on a closed network).
  std::filesystem::path tls_certificate;
  std::filesystem::path tls_private_key;
  unsigned threads = 4;
  std::chrono::seconds idle_timeout{30};
  // The dashboard's files (hub/web/ as the build lays it out); the build's own folder by default.
  std::filesystem::path web_root = default_web_root();
  // The dashboard (hub/DASHBOARD.md). An IANA zone name for its days and hours; empty is the
  // machine's. load_hub_config makes it the process's zone (dashboard/time_zone.h).
  std::string time_zone;
  std::map<std::string, LocalizedText> branches;  // branch id → the name shown for it
  std::vector<Holiday> holidays;                  // by day
  uint32_t exhibit_seconds = 60;                  // what an exhibit that is not a poem or book needs
  uint32_t book_page_seconds = 20;                // per page of a book
  // The package repository (hub/README.md, "The package repository"): its blobs and package heads
  // are kept in repository_folder/blobs; empty means "pavilion-hub-repository" beside an SQLite
  // database (or in the working folder with PostgreSQL). The central hub's online keys (secret
  // key files, as `pavilion-pack keygen` writes them); a hub without them serves but never signs.
  std::filesystem::path repository_folder;
  std::filesystem::path targets_key;
  std::filesystem::path snapshot_key;
  std::filesystem::path timestamp_key;
  UpstreamConfig upstream;
};

using Environment = std::function<std::optional<std::string>(const char* name)>;
std::optional<std::string> process_environment(const char* name);

// Reads `file` (if given), then PAVILION_HUB_LISTEN ("host:port"), PAVILION_HUB_DATABASE,
// PAVILION_HUB_ADMIN_TOKEN, PAVILION_HUB_RETENTION_DAYS, PAVILION_HUB_THREADS,
// PAVILION_HUB_TLS_CERTIFICATE, PAVILION_HUB_TLS_PRIVATE_KEY, PAVILION_HUB_WEB_ROOT and
// PAVILION_HUB_REPOSITORY (the repository folder). Every problem
// is listed with its file and field. Sets the process's time zone to `time_zone` (before any
// thread starts).
Result<HubConfig> load_hub_config(const std::optional<std::filesystem::path>& file,
                                  const Environment& environment = process_environment);

}  // namespace pavilion::hub

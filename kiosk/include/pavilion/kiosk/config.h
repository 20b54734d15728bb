// What an operator writes down about one kiosk (kiosk.json, documented in kiosk/README.md):
// where its content is and whom to trust, the library's name, timeouts, the operator PIN, the
// opening hours and the playlist with campaign dates. Read with every problem reported at its
// JSON path, so a typo is found before the kiosk goes on the floor.
#pragma once

#include "pavilion/checking/json_checker.h"
#include "pavilion/core/error.h"
#include "pavilion/scene/scene.h"

#include <array>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace pavilion::kiosk {

// A date and time on the library's wall clock.
struct LocalTime {
  std::chrono::year_month_day date;
  std::chrono::weekday weekday;
  uint32_t minute_of_day = 0;  // 0 … 1439
};

LocalTime to_local(std::chrono::sys_seconds utc, std::chrono::minutes utc_offset);

// Opening hours per weekday (index 0 = Sunday, as std::chrono::weekday counts).
struct OpeningHours {
  struct Day {
    bool open = true;
    uint32_t opens = 0;             // minute of the day
    uint32_t closes = 24 * 60;      // minute of the day, after opens
  };
  std::array<Day, 7> days{};  // open all day, every day, unless configured
  bool is_open(const LocalTime& time) const;
  // When it opens next after `time` (today or a later day), for the "closed" screen; nothing if never.
  std::optional<std::pair<std::chrono::weekday, uint32_t>> next_opening(const LocalTime& time) const;
};

// One package in the playlist, shown only within its campaign's dates (inclusive, local).
struct PlaylistEntry {
  std::string package;  // file name inside the content folder
  std::optional<std::chrono::year_month_day> from;
  std::optional<std::chrono::year_month_day> until;
  bool active_on(std::chrono::year_month_day date) const;
};

// Where the interaction log goes (hub/README.md): a hub on the network, or one this kiosk runs
// itself (a single kiosk, a demo, a library without a server).
struct HubLink {
  std::string device_id;            // names this kiosk at the hub
  std::string url;                  // "http://hub.library.example:8470"; empty with an embedded hub
  std::filesystem::path token_file;  // the token `pavilion-hub enrol` printed (a secret: not in kiosk.json)
  std::filesystem::path ca_file;     // https: the authority that signs the hub's certificate; empty: the system's
  struct Embedded {
    std::string listen_address = "127.0.0.1";
    uint16_t port = 8470;
    std::filesystem::path database;
  };
  std::optional<Embedded> embedded;
};

// Where the kiosk's packages come from when a hub publishes them (kiosk/src/updates,
// engine/distribution/PROTOCOL.md): the repository, what to follow, and what it may spend.
struct UpdateSettings {
  std::string url;                  // the repository's hub; default: the hub link's url
  std::filesystem::path ca_file;    // https: as HubLink's (default: the hub link's)
  std::vector<std::string> channels;  // followed always; campaigns add theirs in their dates
  std::string branch;               // this library, as campaigns name branches
  std::filesystem::path root;       // root.json from the centre, trusted at install
  std::filesystem::path state;      // folder: trusted metadata, blob store, installed.json
  uint64_t disk_budget_bytes = 4096ull << 20;
  uint64_t bytes_per_second = 0;  // 0: no limit
  // Downloads start only between these minutes of the library's day (from > until wraps past
  // midnight); none: any time.
  struct Window {
    uint32_t from = 0;
    uint32_t until = 24 * 60;
    bool contains(uint32_t minute_of_day) const;
  };
  std::optional<Window> download_window;
  double poll_seconds = 300;
};

// The run-time flash limiter (engine/render's RendererConfig::max_luminance_step): whether each
// pixel's change of luminance is capped, under WCAG 2.3.1's flash threshold, while a scene shows.
// pavilion-pack checks shows for flashes before they are published; the limiter is for content
// that missed the check (built by an older pavilion-pack, or where it could not run).
enum class FlashLimit : uint8_t {
  off,        // never
  unchecked,  // scenes with a show whose package records no passed flash check (the default)
  always,     // every scene
};

// Whether a scene is drawn with the flash limiter under `setting`. A scene without a show has
// nothing timed that could flash (the check draws only shows), so `unchecked` leaves it alone.
bool limits_flashes(FlashLimit setting, bool scene_has_show, bool package_flash_checked);

struct KioskConfig {
  std::filesystem::path file;     // where it was read from, for messages
  std::filesystem::path content;  // folder of .pvpkg packages
  std::vector<std::filesystem::path> trusted_keys;
  bool developer_mode = false;  // accept unsigned packages: for curators' previews, never on a floor
  LocalizedText library_name{"图书馆", "Library"};
  double idle_timeout_seconds = 90;  // without a touch, "still there?" appears…
  double still_there_seconds = 20;   // …and counts down this long before the kiosk resets
  std::string operator_pin = "0000";
  // Screen density, so touch targets can be kept at least 9 mm wide (WCAG 2.2 target size).
  double pixels_per_mm = 3.8;  // a 24-inch 1080p touch screen
  std::chrono::minutes utc_offset{0};
  OpeningHours opening_hours;
  // Empty: every package in the content folder, in file-name order, always.
  std::vector<PlaylistEntry> playlist;
  // The durable queue of interaction events (engine/telemetry/EVENTS.md); empty: none kept.
  std::filesystem::path telemetry_queue;
  std::optional<HubLink> hub;  // none: events stay in the queue (up to its cap)
  std::optional<UpdateSettings> updates;  // none: only what is copied into `content`
  FlashLimit flash_limit = FlashLimit::unchecked;
};

// Defaults, with the UTC offset of this machine's time zone.
KioskConfig default_kiosk_config();

// Reads kiosk.json. Paths inside it are relative to its folder. Fails with every error found.
Result<KioskConfig> read_kiosk_config(const std::filesystem::path& file);
std::optional<KioskConfig> parse_kiosk_config(std::string_view text, const std::filesystem::path& file,
                                              std::vector<checking::Finding>& findings);

}  // namespace pavilion::kiosk

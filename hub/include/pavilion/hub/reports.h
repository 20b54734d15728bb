// The hub's first queries as JSON documents, shared by the HTTP API and the command line.
#pragma once

#include "pavilion/hub/store.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pavilion::hub {

// "2026-11-23" (midnight UTC) or "2026-11-23T14:00:00Z" → Unix milliseconds.
std::optional<int64_t> parse_utc_time(std::string_view text);
// "2026-11-23T14:00:00Z"
std::string format_utc_time(int64_t unix_milliseconds);

// {"from":…,"to":…,"hours":[{"hour":…,"events":N,"exhibits":[{"package_id","exhibit","events","by_type":{…}}]}]}
// Events about no exhibit (sessions, languages, errors) are counted under the exhibit "".
std::string hourly_report_json(int64_t from_ms, int64_t to_ms, const std::vector<HourlyCount>& rows);
// {"devices":[{"device":…,"received":N,"expected":N,"missing":N,"dropped_over_cap":…,
//  "dropped_ring_full":…,"rejected":…,"unexplained":N,"gaps":[[first,last],…],"last_seen":…}]}
std::string completeness_report_json(const std::vector<DeviceCompleteness>& devices);

// The fleet (hub/README.md, "The fleet"), by branch and kiosk: what each shows ("installed"),
// stages or downloads ("pending"), what failed or was rolled back and since when, the metadata
// versions it trusts, its disk, its last check and error, and when it was last seen.
// {"branches":[{"branch":…,"kiosks":[{"device":…,"last_seen":…|null,"reported":…|null,
//  "installed":[{"id","version","since"}],"pending":[{…,"state","detail"}],"failed":[…],
//  "metadata":{"root","timestamp","snapshot","targets"},"disk":{"used","budget","free"},
//  "last_check":…|null,"last_result":…,"last_error":{"zh-CN","en"}}]}]}
std::string fleet_report_json(const std::vector<FleetKiosk>& kiosks);
// The same as a table for a terminal: one line per kiosk, then a line per failure and per kiosk
// whose last check went wrong.
std::string fleet_report_text(const std::vector<FleetKiosk>& kiosks);

}  // namespace pavilion::hub

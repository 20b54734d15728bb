// What a kiosk wants from the targets it trusts, at a moment (PROTOCOL.md, "Metadata files"): the
// packages of its channels always, and each campaign meant for its branch from `stage_days`
// before it starts (held: downloaded, verified, staged) and shown from its start until its end,
// both in the library's own time. Pure, so the calendar's rules are tested without a network.
#pragma once

#include "pavilion/distribution/metadata.h"
#include "pavilion/kiosk/config.h"

#include <chrono>
#include <optional>
#include <vector>

namespace pavilion::kiosk {

struct WantedPackage {
  distribution::PackageTarget target;
  // A campaign's dates in UTC (none: always shown).
  std::optional<distribution::Seconds> shown_from;
  std::optional<distribution::Seconds> shown_until;
};

// One version per package id: the first channel that lists an id wins (the kiosk's channels in
// kiosk.json's order, then campaigns by name); a channel named by a campaign follows the
// campaign's dates and branches even when the kiosk lists it. Campaigns not yet within their
// staging days, or over, are left out.
std::vector<WantedPackage> wanted_packages(const distribution::Targets& targets, const UpdateSettings& settings,
                                           std::chrono::minutes utc_offset, distribution::Seconds now);

// A campaign's "2027-01-28T08:00" (the library's own time) in UTC; none when malformed.
std::optional<distribution::Seconds> campaign_time(std::string_view local, std::chrono::minutes utc_offset);

// Whether downloads may start at `now` (UTC) under kiosk.json's download window.
bool in_download_window(const UpdateSettings& settings, std::chrono::minutes utc_offset, distribution::Seconds now);
// When the download window open at `now` closes (UTC); none when kiosk.json names no window.
std::optional<distribution::Seconds> download_window_end(const UpdateSettings& settings, std::chrono::minutes utc_offset,
                                                         distribution::Seconds now);

}  // namespace pavilion::kiosk

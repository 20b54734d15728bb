#include "updates/update_plan.h"

#include "pavilion/core/log.h"

#include <algorithm>
#include <set>
#include <string>

namespace pavilion::kiosk {

using distribution::Seconds;

std::optional<Seconds> campaign_time(std::string_view local, std::chrono::minutes utc_offset) {
  if (local.size() != 16) return std::nullopt;
  const auto as_if_utc = distribution::parse_utc(std::string(local) + ":00Z");
  if (!as_if_utc) return std::nullopt;
  return *as_if_utc - std::chrono::duration_cast<std::chrono::seconds>(utc_offset).count();
}

bool in_download_window(const UpdateSettings& settings, std::chrono::minutes utc_offset, Seconds now) {
  if (!settings.download_window) return true;
  return settings.download_window->contains(to_local(std::chrono::sys_seconds(std::chrono::seconds(now)), utc_offset).minute_of_day);
}

std::optional<Seconds> download_window_end(const UpdateSettings& settings, std::chrono::minutes utc_offset, Seconds now) {
  if (!settings.download_window) return std::nullopt;
  const uint32_t minute = to_local(std::chrono::sys_seconds(std::chrono::seconds(now)), utc_offset).minute_of_day;
  const uint32_t until = settings.download_window->until;
  const uint32_t minutes_left = until > minute ? until - minute : until + 24 * 60 - minute;
  return now - now % 60 + Seconds{minutes_left} * 60;
}

std::vector<WantedPackage> wanted_packages(const distribution::Targets& targets, const UpdateSettings& settings,
                                           std::chrono::minutes utc_offset, Seconds now) {
  std::vector<WantedPackage> wanted;
  std::set<std::string> ids;
  const auto add_channel = [&](const std::string& channel, std::optional<Seconds> from, std::optional<Seconds> until) {
    const auto found = targets.channels.find(channel);
    if (found == targets.channels.end()) return;
    // A channel lists each id once as publishing replaces; should it list one twice, the later wins.
    std::vector<const distribution::PackageTarget*> chosen;
    for (const std::string& key : found->second) {
      const auto target = targets.packages.find(key);
      if (target == targets.packages.end()) continue;  // read_targets refuses such a file; nothing to fetch
      const auto same = std::find_if(chosen.begin(), chosen.end(), [&](auto* item) { return item->id == target->second.id; });
      if (same != chosen.end()) {
        *same = &target->second;
      } else {
        chosen.push_back(&target->second);
      }
    }
    for (const distribution::PackageTarget* target : chosen) {
      if (ids.insert(target->id).second) wanted.push_back({*target, from, until});
    }
  };
  std::set<std::string> campaign_channels;
  for (const auto& [name, campaign] : targets.campaigns) campaign_channels.insert(campaign.channel);
  for (const std::string& channel : settings.channels) {
    if (!campaign_channels.contains(channel)) add_channel(channel, std::nullopt, std::nullopt);
  }
  for (const auto& [name, campaign] : targets.campaigns) {
    if (!campaign.branches.empty() &&
        std::find(campaign.branches.begin(), campaign.branches.end(), settings.branch) == campaign.branches.end()) {
      continue;
    }
    const auto starts = campaign_time(campaign.starts, utc_offset);
    const auto ends = campaign_time(campaign.ends, utc_offset);
    if (!starts || !ends) {
      log::warn("updates", "campaign {}: its dates '{}' to '{}' are not YYYY-MM-DDTHH:MM; left out", name, campaign.starts,
                campaign.ends);
      continue;
    }
    const Seconds held_from = *starts - static_cast<Seconds>(campaign.stage_days) * 86400;
    if (now < held_from || now >= *ends) continue;
    add_channel(campaign.channel, starts, ends);
  }
  return wanted;
}

}  // namespace pavilion::kiosk

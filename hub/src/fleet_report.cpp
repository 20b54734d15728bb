// The fleet report (reports.h): one grouping of a kiosk's packages, written as JSON for the API
// and as a table for `pavilion-hub report fleet`.
#include "json_text.h"
#include "pavilion/hub/reports.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>

namespace pavilion::hub {
namespace {

using nlohmann::json;

enum class Group { installed, pending, failed };

Group group_of(std::string_view state) {
  if (state == "showing") return Group::installed;
  if (state == "staged" || state == "downloading") return Group::pending;
  return Group::failed;  // "failed", "rolled_back"
}

json time_or_null(int64_t unix_ms) { return unix_ms == 0 ? json(nullptr) : json(format_utc_time(unix_ms)); }

json kiosk_json(const FleetKiosk& kiosk) {
  std::array<json, 3> groups{json::array(), json::array(), json::array()};
  for (size_t index = 0; index < kiosk.status.packages.size(); ++index) {
    const telemetry::PackageStatus& package = kiosk.status.packages[index];
    const Group group = group_of(package.state);
    json item{{"id", package.id}, {"version", package.version}, {"since", time_or_null(kiosk.since_ms[index])}};
    if (group != Group::installed) {
      item["state"] = package.state;
      item["detail"] = package.detail;
    }
    groups[static_cast<size_t>(group)].push_back(std::move(item));
  }
  const telemetry::UpdateStatus& status = kiosk.status;
  return {{"device", kiosk.device_id},
          {"last_seen", time_or_null(kiosk.last_seen_ms)},
          {"reported", time_or_null(kiosk.reported_ms)},
          {"installed", std::move(groups[0])},
          {"pending", std::move(groups[1])},
          {"failed", std::move(groups[2])},
          {"metadata",
           {{"root", status.root_version}, {"timestamp", status.timestamp_version},
            {"snapshot", status.snapshot_version}, {"targets", status.targets_version}}},
          {"disk", {{"used", status.disk_used}, {"budget", status.disk_budget}, {"free", status.disk_free}}},
          {"last_check", time_or_null(status.last_check_ms)},
          {"last_result", status.last_result},
          {"last_error", {{"zh-CN", status.last_error.zh_cn}, {"en", status.last_error.en}}}};
}

std::string bytes_text(uint64_t bytes) {
  constexpr std::array<std::string_view, 5> units{"B", "KB", "MB", "GB", "TB"};
  double amount = static_cast<double>(bytes);
  size_t unit = 0;
  while (amount >= 1000 && unit + 1 < units.size()) {
    amount /= 1000;
    ++unit;
  }
  return unit == 0 ? fmt::format("{} B", bytes) : fmt::format("{:.1f} {}", amount, units[unit]);
}

// "gallery 1.2.0, garden 2.0.0 (staged)"; "-" for none.
std::string packages_text(const FleetKiosk& kiosk, Group group) {
  std::string out;
  for (const telemetry::PackageStatus& package : kiosk.status.packages) {
    if (group_of(package.state) != group) continue;
    if (!out.empty()) out += ", ";
    out += fmt::format("{} {}", package.id, package.version);
    if (group != Group::installed) out += fmt::format(" ({})", package.state);
  }
  return out.empty() ? "-" : out;
}

}  // namespace

std::string fleet_report_json(const std::vector<FleetKiosk>& kiosks) {
  json branches = json::array();
  for (const FleetKiosk& kiosk : kiosks) {  // ordered by branch, then id
    if (branches.empty() || branches.back()["branch"] != kiosk.branch) {
      branches.push_back({{"branch", kiosk.branch}, {"kiosks", json::array()}});
    }
    branches.back()["kiosks"].push_back(kiosk_json(kiosk));
  }
  return json_text(json{{"branches", std::move(branches)}});
}

std::string fleet_report_text(const std::vector<FleetKiosk>& kiosks) {
  using Row = std::array<std::string, 8>;
  std::vector<Row> rows{{"BRANCH", "KIOSK", "LAST SEEN", "INSTALLED", "PENDING", "FAILED", "METADATA r/t/s/t",
                         "DISK used/budget (free)"}};
  std::vector<std::string> notes;
  for (const FleetKiosk& kiosk : kiosks) {
    const telemetry::UpdateStatus& status = kiosk.status;
    const bool reported = kiosk.reported_ms != 0;
    rows.push_back({kiosk.branch.empty() ? "-" : kiosk.branch, kiosk.device_id,
                    kiosk.last_seen_ms == 0 ? "never" : format_utc_time(kiosk.last_seen_ms),
                    reported ? packages_text(kiosk, Group::installed) : "(no status yet)",
                    packages_text(kiosk, Group::pending), packages_text(kiosk, Group::failed),
                    reported ? fmt::format("{}/{}/{}/{}", status.root_version, status.timestamp_version,
                                           status.snapshot_version, status.targets_version)
                             : "-",
                    reported ? fmt::format("{} / {} ({})", bytes_text(status.disk_used), bytes_text(status.disk_budget),
                                           bytes_text(status.disk_free))
                             : "-"});
    for (size_t index = 0; index < status.packages.size(); ++index) {
      const telemetry::PackageStatus& package = status.packages[index];
      if (group_of(package.state) != Group::failed) continue;
      notes.push_back(fmt::format("{}: {} {} {} since {}{}{}", kiosk.device_id, package.id, package.version,
                                  package.state, format_utc_time(kiosk.since_ms[index]),
                                  package.detail.empty() ? "" : ": ", package.detail));
    }
    if (reported && !status.last_result.empty() && status.last_result != "ok") {
      notes.push_back(fmt::format("{}: last check {}: {}{}{}", kiosk.device_id,
                                  status.last_check_ms == 0 ? "never" : format_utc_time(status.last_check_ms),
                                  status.last_result, status.last_error.en.empty() ? "" : " — ", status.last_error.en));
    }
  }
  std::array<size_t, 8> widths{};
  for (const Row& row : rows) {
    for (size_t column = 0; column < row.size(); ++column) widths[column] = std::max(widths[column], row[column].size());
  }
  std::string out;
  for (const Row& row : rows) {
    std::string line;
    for (size_t column = 0; column < row.size(); ++column) {
      line += column + 1 == row.size() ? row[column] : fmt::format("{:<{}}  ", row[column], widths[column]);
    }
    out += line + "\n";
  }
  if (kiosks.empty()) out += "(no kiosks enrolled)\n";
  for (const std::string& note : notes) out += note + "\n";
  return out;
}

}  // namespace pavilion::hub

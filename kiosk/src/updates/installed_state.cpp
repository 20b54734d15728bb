#include "updates/installed_state.h"

#include "pavilion/core/file.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace pavilion::kiosk {
namespace {

using distribution::Seconds;
using nlohmann::json;

json version_json(const std::optional<InstalledVersion>& version) {
  if (!version) return nullptr;
  return {{"version", version->version}, {"head", version->head.to_hex()}, {"head_length", version->head_length}};
}

std::optional<InstalledVersion> version_from(const json& object) {
  if (object.is_null()) return std::nullopt;
  const auto head = ContentHash::from_hex(object.at("head").get<std::string>());
  if (!head) throw std::invalid_argument("a head is not a hash in hex");
  return InstalledVersion{object.at("version").get<std::string>(), *head, object.at("head_length").get<uint64_t>()};
}

json time_json(const std::optional<Seconds>& time) {
  return time ? json(distribution::format_utc(*time)) : json(nullptr);
}

std::optional<Seconds> time_from(const json& value) {
  if (value.is_null()) return std::nullopt;
  const auto time = distribution::parse_utc(value.get<std::string>());
  if (!time) throw std::invalid_argument("a time is not YYYY-MM-DDTHH:MM:SSZ");
  return time;
}

bool ended(const InstalledPackage& package, Seconds now) { return package.shown_until && now >= *package.shown_until; }

bool staged_due(const InstalledPackage& package, Seconds now) {
  return package.staged && (!package.shown_from || now >= *package.shown_from) && !ended(package, now);
}

}  // namespace

Result<InstalledState> InstalledState::load(const std::filesystem::path& file) {
  std::error_code error;
  if (!std::filesystem::exists(file, error)) return InstalledState{};
  PV_TRY_ASSIGN(const auto bytes, read_file(file));
  InstalledState state;
  try {
    const json root = json::parse(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
    for (const auto& [id, item] : root.at("packages").items()) {
      InstalledPackage& package = state.packages[id];
      package.showing = version_from(item.at("showing"));
      package.staged = version_from(item.at("staged"));
      package.previous = version_from(item.at("previous"));
      package.shown_from = time_from(item.at("shown_from"));
      package.shown_until = time_from(item.at("shown_until"));
      package.failed_version = item.at("failed_version").get<std::string>();
      package.failed_detail = item.at("failed_detail").get<std::string>();
      package.rolled_back = item.at("rolled_back").get<bool>();
    }
  } catch (const std::exception& exception) {
    return Error(ErrorCode::invalid_input, fmt::format("reading {}", file.string()), exception.what());
  }
  return state;
}

Result<void> InstalledState::save(const std::filesystem::path& file) const {
  json root = {{"packages", json::object()}};
  for (const auto& [id, package] : packages) {
    root["packages"][id] = {{"showing", version_json(package.showing)},
                            {"staged", version_json(package.staged)},
                            {"previous", version_json(package.previous)},
                            {"shown_from", time_json(package.shown_from)},
                            {"shown_until", time_json(package.shown_until)},
                            {"failed_version", package.failed_version},
                            {"failed_detail", package.failed_detail},
                            {"rolled_back", package.rolled_back}};
  }
  const std::string text = root.dump(2) + "\n";
  return write_file_atomic(file, std::as_bytes(std::span(text.data(), text.size())));
}

bool InstalledState::switch_due(Seconds now) const {
  for (const auto& [id, package] : packages) {
    if (staged_due(package, now) || (package.showing && ended(package, now))) return true;
  }
  return false;
}

size_t InstalledState::switch_now(Seconds now) {
  size_t switched = 0;
  for (auto& [id, package] : packages) {
    if (package.showing && ended(package, now)) {
      package.previous = std::move(package.showing);
      package.showing.reset();
      ++switched;
    } else if (staged_due(package, now)) {
      if (package.showing) package.previous = std::move(package.showing);
      package.showing = std::move(package.staged);
      package.staged.reset();
      ++switched;
    }
  }
  return switched;
}

bool InstalledState::roll_back(const std::string& id, const std::string& version, const std::string& detail) {
  const auto found = packages.find(id);
  if (found == packages.end() || !found->second.showing || found->second.showing->version != version) return false;
  InstalledPackage& package = found->second;
  package.failed_version = version;
  package.failed_detail = detail;
  package.rolled_back = package.previous.has_value();
  package.showing = std::move(package.previous);
  package.previous.reset();
  return true;
}

}  // namespace pavilion::kiosk

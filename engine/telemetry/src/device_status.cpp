#include "pavilion/telemetry/device_status.h"

#include "pavilion/telemetry/wire.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <optional>

namespace pavilion::telemetry {
namespace {

using json = nlohmann::json;

// The JSON names, written by the encoder and read (and named in reasons) by the decoder.
namespace key {
constexpr const char* schema = "schema";
constexpr const char* device = "device";
constexpr const char* sent_ms = "sent_ms";
constexpr const char* packages = "packages";
constexpr const char* id = "id";
constexpr const char* version = "version";
constexpr const char* state = "state";
constexpr const char* detail = "detail";
constexpr const char* metadata = "metadata";
constexpr const char* root = "root";
constexpr const char* timestamp = "timestamp";
constexpr const char* snapshot = "snapshot";
constexpr const char* targets = "targets";
constexpr const char* disk = "disk";
constexpr const char* used = "used";
constexpr const char* budget = "budget";
constexpr const char* free = "free";
constexpr const char* last_check_ms = "last_check_ms";
constexpr const char* last_result = "last_result";
constexpr const char* last_error = "last_error";
constexpr const char* zh_cn = "zh-CN";
constexpr const char* en = "en";
}  // namespace key

constexpr int status_schema = 1;

// Reads the members of one JSON object, each check naming the member by its path.
class Fields {
 public:
  Fields(const json& object, std::string path) : object_(object), path_(std::move(path)) {}

  std::optional<std::string> whole(const char* name, uint64_t& into) const {
    const auto found = object_.find(name);
    if (found == object_.end() || !found->is_number_unsigned() || found->get<uint64_t>() > static_cast<uint64_t>(INT64_MAX)) {
      return fmt::format("{}: must be a whole number ≥ 0", where(name));
    }
    into = found->get<uint64_t>();
    return std::nullopt;
  }
  std::optional<std::string> whole(const char* name, int64_t& into) const {
    uint64_t read = 0;
    if (auto problem = whole(name, read)) return problem;
    into = static_cast<int64_t>(read);
    return std::nullopt;
  }
  std::optional<std::string> text(const char* name, size_t max_bytes, std::string& into, bool required = false) const {
    const auto found = object_.find(name);
    if (found == object_.end() || !found->is_string()) return fmt::format("{}: must be a string", where(name));
    const auto& read = found->get_ref<const std::string&>();
    if (read.size() > max_bytes) return fmt::format("{}: longer than {} bytes", where(name), max_bytes);
    // PostgreSQL cannot store a NUL, and no kiosk sends one.
    if (read.find('\0') != std::string::npos) return fmt::format("{}: must not contain a NUL character", where(name));
    if (required && read.empty()) return fmt::format("{}: must not be empty", where(name));
    into = read;
    return std::nullopt;
  }
  std::optional<std::string> object(const char* name, const json*& into) const {
    const auto found = object_.find(name);
    if (found == object_.end() || !found->is_object()) return fmt::format("{}: must be an object {{ … }}", where(name));
    into = &*found;
    return std::nullopt;
  }
  std::string where(const char* name) const { return path_.empty() ? std::string(name) : fmt::format("{}.{}", path_, name); }

 private:
  const json& object_;
  std::string path_;
};

std::optional<std::string> read_package(const json& item, const std::string& path, PackageStatus& out) {
  if (!item.is_object()) return fmt::format("{}: a package must be an object {{ … }}", path);
  const Fields fields(item, path);
  if (auto problem = fields.text(key::id, StatusLimits::id_bytes, out.id, true)) return problem;
  if (auto problem = fields.text(key::version, StatusLimits::id_bytes, out.version, true)) return problem;
  if (auto problem = fields.text(key::state, StatusLimits::id_bytes, out.state)) return problem;
  if (std::ranges::find(package_states, out.state) == std::end(package_states)) {
    return fmt::format("{}: \"{}\" is not a package state (showing, staged, downloading, failed, rolled_back)",
                       fields.where(key::state), out.state);
  }
  return fields.text(key::detail, StatusLimits::sentence_bytes, out.detail);
}

std::optional<std::string> read_status(const json& document, DecodedStatus& out) {
  if (!document.is_object()) return "a status must be a JSON object { … }";
  const auto schema = document.find(key::schema);
  if (schema == document.end() || !schema->is_number_integer()) return "schema: must be a whole number";
  if (schema->get<int64_t>() != status_schema) {
    return fmt::format("schema: {} is not a status schema this hub reads ({})", schema->dump(), status_schema);
  }
  const Fields fields(document, "");
  if (auto problem = fields.text(key::device, 64, out.device_id)) return problem;
  if (!is_valid_device_id(out.device_id)) return "device: must be 1–64 letters, digits, '.', '_' or '-'";
  if (auto problem = fields.whole(key::sent_ms, out.sent_ms)) return problem;
  UpdateStatus& status = out.status;
  const auto packages = document.find(key::packages);
  if (packages == document.end() || !packages->is_array()) return "packages: must be an array [ … ]";
  if (packages->size() > StatusLimits::packages) {
    return fmt::format("packages: {} packages, more than the {} a status may list", packages->size(), StatusLimits::packages);
  }
  for (size_t index = 0; index < packages->size(); ++index) {
    PackageStatus& package = status.packages.emplace_back();
    if (auto problem = read_package((*packages)[index], fmt::format("packages[{}]", index), package)) return problem;
  }
  const json* metadata = nullptr;
  if (auto problem = fields.object(key::metadata, metadata)) return problem;
  const Fields versions(*metadata, key::metadata);
  for (const auto& [name, into] : {std::pair{key::root, &status.root_version}, {key::timestamp, &status.timestamp_version},
                                   {key::snapshot, &status.snapshot_version}, {key::targets, &status.targets_version}}) {
    if (auto problem = versions.whole(name, *into)) return problem;
  }
  const json* disk = nullptr;
  if (auto problem = fields.object(key::disk, disk)) return problem;
  const Fields bytes(*disk, key::disk);
  for (const auto& [name, into] : {std::pair{key::used, &status.disk_used}, {key::budget, &status.disk_budget},
                                   {key::free, &status.disk_free}}) {
    if (auto problem = bytes.whole(name, *into)) return problem;
  }
  if (auto problem = fields.whole(key::last_check_ms, status.last_check_ms)) return problem;
  if (auto problem = fields.text(key::last_result, StatusLimits::sentence_bytes, status.last_result)) return problem;
  const json* error = nullptr;
  if (auto problem = fields.object(key::last_error, error)) return problem;
  const Fields sentence(*error, key::last_error);
  if (auto problem = sentence.text(key::zh_cn, StatusLimits::sentence_bytes, status.last_error.zh_cn)) return problem;
  return sentence.text(key::en, StatusLimits::sentence_bytes, status.last_error.en);
}

}  // namespace

std::string encode_status(std::string_view device_id, int64_t sent_ms, const UpdateStatus& status) {
  json packages = json::array();
  for (const PackageStatus& package : status.packages) {
    packages.push_back({{key::id, package.id}, {key::version, package.version}, {key::state, package.state},
                        {key::detail, package.detail}});
  }
  const json document{
      {key::schema, status_schema},
      {key::device, device_id},
      {key::sent_ms, sent_ms},
      {key::packages, std::move(packages)},
      {key::metadata,
       {{key::root, status.root_version}, {key::timestamp, status.timestamp_version},
        {key::snapshot, status.snapshot_version}, {key::targets, status.targets_version}}},
      {key::disk, {{key::used, status.disk_used}, {key::budget, status.disk_budget}, {key::free, status.disk_free}}},
      {key::last_check_ms, status.last_check_ms},
      {key::last_result, status.last_result},
      {key::last_error, {{key::zh_cn, status.last_error.zh_cn}, {key::en, status.last_error.en}}}};
  // Text cut mid-character somewhere upstream is sent with U+FFFD rather than not at all.
  return document.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::variant<DecodedStatus, std::string> decode_status(std::string_view text) {
  const json document = json::parse(text, nullptr, false);
  if (document.is_discarded()) return std::string("the status is not JSON (or not UTF-8)");
  DecodedStatus decoded;
  if (auto problem = read_status(document, decoded)) return std::move(*problem);
  return decoded;
}

}  // namespace pavilion::telemetry

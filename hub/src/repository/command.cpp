#include "command.h"

#include "pavilion/core/number.h"
#include "pavilion/hub/repository.h"
#include "pavilion/telemetry/event.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <map>
#include <optional>
#include <string>

namespace pavilion::hub {
namespace {

// The options these commands take; those marked repeatable may be given several times.
struct Options {
  std::vector<std::string_view> words;
  std::map<std::string_view, std::vector<std::string>> values;
  std::optional<std::string> one(std::string_view name) const {
    const auto found = values.find(name);
    if (found == values.end()) return std::nullopt;
    return found->second.back();
  }
  std::vector<std::string> all(std::string_view name) const {
    const auto found = values.find(name);
    return found == values.end() ? std::vector<std::string>() : found->second;
  }
};

constexpr std::string_view known_options[] = {"--config",     "--root-key",    "--old-root-key", "--threshold",
                                              "--targets-key", "--snapshot-key", "--timestamp-key", "--channel",
                                              "--trusted-key", "--starts",       "--ends",          "--branches",
                                              "--stage-days"};

std::variant<Options, std::string> parse(const std::vector<std::string_view>& arguments) {
  Options options;
  for (size_t index = 0; index < arguments.size(); ++index) {
    const std::string_view argument = arguments[index];
    if (!argument.starts_with("--")) {
      options.words.push_back(argument);
      continue;
    }
    if (std::ranges::find(known_options, argument) == std::end(known_options)) {
      return fmt::format("unknown option {}", argument);
    }
    if (index + 1 >= arguments.size()) return fmt::format("{} needs a value", argument);
    options.values[argument].emplace_back(arguments[++index]);
  }
  return options;
}

int fail(const Error& error) {
  fmt::print(stderr, "pavilion-hub: {}\n", error.describe());
  return 1;
}

Result<std::vector<package::KeyPair>> secret_keys(const std::vector<std::string>& paths) {
  std::vector<package::KeyPair> keys;
  for (const std::string& path : paths) {
    PV_TRY_ASSIGN(package::KeyPair key, package::read_secret_key(path));
    keys.push_back(key);
  }
  return keys;
}

std::optional<uint32_t> small_number(const std::optional<std::string>& text, uint32_t fallback, uint32_t high) {
  if (!text) return fallback;
  const std::optional<uint64_t> value = parse_whole_number(*text);
  if (!value || *value > high) return std::nullopt;
  return static_cast<uint32_t>(*value);
}

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> items;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t comma = std::min(text.find(',', start), text.size());
    if (comma > start) items.push_back(text.substr(start, comma - start));
    start = comma + 1;
  }
  return items;
}

Seconds now() { return telemetry::system_clock_ms() / 1000; }

}  // namespace

bool is_repository_command(std::string_view word) {
  return word == "repository" || word == "publish" || word == "campaign" || word == "channel";
}

int repository_command(const std::vector<std::string_view>& arguments, std::string_view usage) {
  auto parsed = parse(arguments);
  auto wrong = [&](std::string_view message) {
    fmt::print(stderr, "pavilion-hub: {}\n\n{}", message, usage);
    return 2;
  };
  if (const auto* problem = std::get_if<std::string>(&parsed)) return wrong(*problem);
  const Options& options = std::get<Options>(parsed);
  const std::vector<std::string_view>& words = options.words;
  const std::string command = fmt::format("{}", fmt::join(words, " "));
  const auto config_file = options.one("--config");

  auto config = load_hub_config(config_file ? std::optional<std::filesystem::path>(*config_file) : std::nullopt);
  if (!config) return fail(config.error());
  auto store = open_store(config->database);
  if (!store) return fail(store.error());

  if (words.size() == 2 && words[0] == "repository" && words[1] == "init") {
    const auto threshold = small_number(options.one("--threshold"), 1, 255);
    const auto targets = options.one("--targets-key");
    const auto snapshot = options.one("--snapshot-key");
    const auto timestamp = options.one("--timestamp-key");
    if (options.all("--root-key").empty() || !threshold || !targets || !snapshot || !timestamp) {
      return wrong("repository init needs --root-key (one or more), --threshold, --targets-key, --snapshot-key and "
                   "--timestamp-key: secret key files from `pavilion-pack keygen`");
    }
    NewRepository repository;
    repository.threshold = *threshold;
    auto roots = secret_keys(options.all("--root-key"));
    if (!roots) return fail(roots.error());
    repository.root_keys = std::move(*roots);
    for (const auto& [path, into] : {std::pair{&*targets, &repository.targets}, std::pair{&*snapshot, &repository.snapshot},
                                     std::pair{&*timestamp, &repository.timestamp}}) {
      auto key = package::read_secret_key(*path);
      if (!key) return fail(key.error());
      *into = *key;
    }
    if (auto made = init_repository(**store, repository, now()); !made) return fail(made.error());
    fmt::print("made root/1.json ({} root keys, threshold {}) and empty targets, snapshot and timestamp; keep the root "
               "keys offline, and name the three online keys in hub.json (targets_key, snapshot_key, timestamp_key)\n",
               repository.root_keys.size(), repository.threshold);
    return 0;
  }
  if (words.size() == 2 && words[0] == "repository" && words[1] == "rotate-root") {
    const auto threshold = small_number(options.one("--threshold"), 1, 255);
    if (options.all("--old-root-key").empty() || options.all("--root-key").empty() || !threshold) {
      return wrong("repository rotate-root needs --old-root-key (a threshold of the current root keys), --root-key "
                   "(the new ones) and --threshold");
    }
    RootRotation rotation;
    rotation.threshold = *threshold;
    auto old_keys = secret_keys(options.all("--old-root-key"));
    if (!old_keys) return fail(old_keys.error());
    auto new_keys = secret_keys(options.all("--root-key"));
    if (!new_keys) return fail(new_keys.error());
    rotation.old_root_keys = std::move(*old_keys);
    rotation.root_keys = std::move(*new_keys);
    if (const auto timestamp = options.one("--timestamp-key")) {
      auto key = package::read_secret_key(*timestamp);
      if (!key) return fail(key.error());
      rotation.timestamp = *key;
    }
    auto version = rotate_root(**store, rotation, now());
    if (!version) return fail(version.error());
    fmt::print("made root/{}.json{}\n", *version,
               rotation.timestamp ? "; the timestamp is signed with the new timestamp key: name it in hub.json" : "");
    return 0;
  }

  auto keys = read_online_keys(*config);
  if (!keys) return fail(keys.error());
  if (words.size() == 2 && words[0] == "publish") {
    const auto channel = options.one("--channel");
    if (!channel || options.all("--trusted-key").empty()) {
      return wrong("publish needs --channel NAME and --trusted-key CURATOR.pub (whose signatures kiosks trust)");
    }
    std::vector<std::filesystem::path> trusted;
    for (const std::string& path : options.all("--trusted-key")) trusted.emplace_back(path);
    auto trust = package::trust_key_files(trusted, false);
    if (!trust) return fail(trust.error());
    auto blobs = distribution::BlobStore::open(config->repository_folder / "blobs");
    if (!blobs) return fail(blobs.error());
    auto published = publish_package(**store, *blobs, *keys, std::string(words[1]), *channel, *trust, now());
    if (!published) return fail(published.error());
    fmt::print("published {} in {} as targets version {}: {} new blobs ({} bytes), {} already held\n",
               published->target.key(), *channel, published->targets_version, published->blobs_written,
               published->bytes_written, published->blobs_already_held);
    return 0;
  }
  if (words.size() == 3 && words[0] == "campaign" && words[1] == "add") {
    distribution::Campaign campaign;
    campaign.name = std::string(words[2]);
    const auto channel = options.one("--channel");
    const auto starts = options.one("--starts");
    const auto ends = options.one("--ends");
    const auto stage_days = small_number(options.one("--stage-days"), 7, 365);
    if (!channel || !starts || !ends || !stage_days) {
      return wrong("campaign add needs --channel, --starts and --ends (local time, 2027-01-28T08:00); --stage-days is "
                   "0 to 365");
    }
    campaign.channel = *channel;
    campaign.starts = *starts;
    campaign.ends = *ends;
    campaign.stage_days = *stage_days;
    if (const auto branches = options.one("--branches")) campaign.branches = split_list(*branches);
    auto version = add_campaign(**store, *keys, campaign, now());
    if (!version) return fail(version.error());
    fmt::print("campaign {} shows {} from {} to {} (local time) at {}; targets version {}\n", campaign.name,
               campaign.channel, campaign.starts, campaign.ends,
               campaign.branches.empty() ? std::string("every branch") : fmt::format("{}", fmt::join(campaign.branches, ", ")),
               *version);
    return 0;
  }
  if (words.size() == 3 && words[0] == "campaign" && words[1] == "remove") {
    auto version = remove_campaign(**store, *keys, words[2], now());
    if (!version) return fail(version.error());
    fmt::print("removed the campaign {}; targets version {}\n", words[2], *version);
    return 0;
  }
  if (words.size() == 3 && words[0] == "channel" && words[1] == "remove-package") {
    const auto channel = options.one("--channel");
    if (!channel) return wrong("channel remove-package ID needs --channel NAME");
    auto version = remove_from_channel(**store, *keys, *channel, words[2], now());
    if (!version) return fail(version.error());
    fmt::print("removed {} from {}; targets version {}\n", words[2], *channel, *version);
    return 0;
  }
  return wrong(fmt::format("'{}' is not a command I know", command));
}

}  // namespace pavilion::hub

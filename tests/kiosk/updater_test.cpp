// The kiosk's updater (kiosk/src/updates): its rules on their own (kiosk.json's updates block,
// the download window, switching and rolling back), then against a real central hub on loopback
// publishing real packages: a changed texture costs one blob and metadata, a version that will
// not load rolls back, two packages share a blob, a campaign is staged ahead and switches on the
// virtual clock, expired metadata freezes nothing it shows, the disk budget and the download
// window hold, a restart forgets no trust, and a running kiosk switches only between visitors.
#include "temporary_folder.h"

#include "pavilion/core/file.h"
#include "pavilion/core/png.h"
#include "pavilion/distribution/blob_store.h"
#include "pavilion/hub/repository.h"
#include "pavilion/hub/server.h"
#include "pavilion/hub/store.h"
#include "pavilion/kiosk/config.h"
#include "pavilion/kiosk/kiosk.h"
#include "pavilion/kiosk/script.h"
#include "pavilion/pack/builder.h"
#include "pavilion/package/reader.h"
#include "pavilion/package/writer.h"
#include "repository/signed_state.h"
#include "updates/installed_state.h"
#include "updates/update_plan.h"
#include "updates/updater.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <set>

namespace pavilion::updater_tests {
namespace {

namespace fs = std::filesystem;
using distribution::Seconds;
using kiosk::InstalledState;
using kiosk::InstalledVersion;
using kiosk::UpdateStatus;
using package::KeyPair;
using testing::TemporaryFolder;

constexpr Seconds start = 1'800'000'000;  // 2027-01-15T08:00:00Z
constexpr Seconds day = 86'400;
constexpr Seconds hour = 3'600;

// --- the rules, without a network ---------------------------------------------------------------

std::optional<kiosk::KioskConfig> parse(std::string_view text, std::vector<checking::Finding>& findings) {
  return kiosk::parse_kiosk_config(text, "/srv/kiosk/kiosk.json", findings);
}

TEST(UpdaterRules, ReadsTheUpdatesBlockWithTheHubAsItsDefault) {
  std::vector<checking::Finding> findings;
  const auto config = parse(R"({"content": "packages", "trusted_keys": ["curator.pub"], "telemetry_queue": "events.sqlite",
      "operator_pin": "2468",
      "hub": {"url": "https://hub.branch.example:8470", "device_id": "kiosk-1", "token_file": "token", "ca_file": "ca.pem"},
      "updates": {"channels": ["permanent", "children"], "branch": "branch-12", "root": "root.json", "state": "updates",
                  "disk_budget_mb": 2048, "bytes_per_second": 500000, "download_window": "22:00-06:00", "poll_seconds": 60}})",
                            findings);
  ASSERT_TRUE(config.has_value()) << (findings.empty() ? "" : findings[0].describe());
  ASSERT_TRUE(config->updates.has_value());
  const kiosk::UpdateSettings& updates = *config->updates;
  EXPECT_EQ(updates.url, "https://hub.branch.example:8470");
  EXPECT_EQ(updates.ca_file, "/srv/kiosk/ca.pem");
  EXPECT_EQ(updates.channels, (std::vector<std::string>{"permanent", "children"}));
  EXPECT_EQ(updates.branch, "branch-12");
  EXPECT_EQ(updates.root, "/srv/kiosk/root.json");
  EXPECT_EQ(updates.state, "/srv/kiosk/updates");
  EXPECT_EQ(updates.disk_budget_bytes, 2048ull << 20);
  EXPECT_EQ(updates.bytes_per_second, 500000u);
  ASSERT_TRUE(updates.download_window.has_value());
  EXPECT_EQ(updates.download_window->from, 22u * 60);
  EXPECT_EQ(updates.download_window->until, 6u * 60);
  EXPECT_EQ(updates.poll_seconds, 60);
}

TEST(UpdaterRules, ReportsEveryMistakeInTheUpdatesBlockAtItsPlace) {
  std::vector<checking::Finding> findings;
  EXPECT_FALSE(parse(R"({"content": "packages", "trusted_keys": ["curator.pub"],
      "updates": {"channels": [], "state": "updates", "download_window": "25:00-03:00", "disk_budget_mb": 0, "chanels": 1}})",
                     findings));
  std::string places;
  for (const checking::Finding& finding : findings) {
    places += finding.location + " ";
    EXPECT_FALSE(finding.message_zh.empty()) << finding.location;
  }
  for (const char* expected : {"updates.url", "updates.channels", "updates.root", "updates.download_window",
                               "updates.disk_budget_mb", "updates.chanels"}) {
    EXPECT_NE(places.find(expected), std::string::npos) << expected << " in " << places;
  }
}

TEST(UpdaterRules, TheDownloadWindowMayRunPastMidnight) {
  const kiosk::UpdateSettings::Window night{22 * 60, 6 * 60};
  EXPECT_TRUE(night.contains(23 * 60));
  EXPECT_TRUE(night.contains(0));
  EXPECT_TRUE(night.contains(6 * 60 - 1));
  EXPECT_FALSE(night.contains(6 * 60));
  EXPECT_FALSE(night.contains(12 * 60));
  const kiosk::UpdateSettings::Window early{60, 5 * 60};
  EXPECT_TRUE(early.contains(60));
  EXPECT_FALSE(early.contains(5 * 60));
  EXPECT_FALSE(early.contains(23 * 60));
}

InstalledVersion version(std::string name, uint8_t seed) {
  InstalledVersion installed{std::move(name), {}, 1000};
  installed.head.bytes.fill(seed);
  return installed;
}

TEST(UpdaterRules, SwitchesAtTheirTimeRollsBackToTheLastGoodAndPersists) {
  TemporaryFolder folder;
  InstalledState state;
  state.packages["gallery"].showing = version("1", 1);
  state.packages["gallery"].staged = version("2", 2);
  kiosk::InstalledPackage& campaign = state.packages["festival"];
  campaign.staged = version("1", 3);
  campaign.shown_from = start + day;
  campaign.shown_until = start + 2 * day;

  EXPECT_TRUE(state.switch_due(start));
  EXPECT_EQ(state.switch_now(start), 1u);  // the gallery now; the festival waits for its day
  EXPECT_EQ(state.packages["gallery"].showing, version("2", 2));
  EXPECT_EQ(state.packages["gallery"].previous, version("1", 1));
  EXPECT_FALSE(state.switch_due(start + day - 1));
  EXPECT_TRUE(state.switch_due(start + day));
  EXPECT_EQ(state.switch_now(start + day), 1u);
  EXPECT_EQ(state.packages["festival"].showing, version("1", 3));

  EXPECT_FALSE(state.roll_back("gallery", "1", "not the version shown"));
  EXPECT_TRUE(state.roll_back("gallery", "2", "its scene would not load"));
  EXPECT_EQ(state.packages["gallery"].showing, version("1", 1));
  EXPECT_FALSE(state.packages["gallery"].previous.has_value());
  EXPECT_EQ(state.packages["gallery"].failed_version, "2");
  EXPECT_TRUE(state.packages["gallery"].rolled_back);

  ASSERT_TRUE(state.save(folder / "installed.json").ok());
  auto loaded = InstalledState::load(folder / "installed.json");
  ASSERT_TRUE(loaded.ok()) << loaded.error().describe();
  EXPECT_EQ(loaded->packages.size(), 2u);
  EXPECT_EQ(loaded->packages["gallery"].failed_detail, "its scene would not load");
  EXPECT_EQ(loaded->packages["festival"].shown_until, start + 2 * day);

  EXPECT_TRUE(loaded->switch_due(start + 2 * day));  // the festival is over
  EXPECT_EQ(loaded->switch_now(start + 2 * day), 1u);
  EXPECT_FALSE(loaded->packages["festival"].showing.has_value());
  EXPECT_FALSE(InstalledState::load(folder / "missing.json")->switch_due(start));
}

// --- against a real central hub on loopback -----------------------------------------------------

struct Keys {
  KeyPair root = package::generate_key_pair();
  KeyPair targets = package::generate_key_pair();
  KeyPair snapshot = package::generate_key_pair();
  KeyPair timestamp = package::generate_key_pair();
  KeyPair curator = package::generate_key_pair();
  hub::OnlineKeys online() const { return {targets, snapshot, timestamp}; }
};

// Bytes that do not compress away, different for each seed.
std::vector<std::byte> texture(uint32_t seed, size_t size = 20'000) {
  std::vector<std::byte> bytes(size);
  uint32_t state = seed * 2654435761u + 1;
  for (std::byte& byte : bytes) {
    state ^= state << 13;
    state ^= state >> 17;
    state ^= state << 5;
    byte = static_cast<std::byte>(state);
  }
  return bytes;
}

// Every file of a blob store (heads and blobs), partial downloads aside, by name.
std::set<std::string> stored_files(const fs::path& folder) {
  std::set<std::string> names;
  if (!fs::exists(folder)) return names;
  for (const auto& entry : fs::recursive_directory_iterator(folder)) {
    if (entry.is_regular_file() && entry.path().parent_path().filename() != "partial") names.insert(entry.path().filename().string());
  }
  return names;
}

bool has_state(const UpdateStatus& status, std::string_view id, std::string_view version, std::string_view state) {
  return std::any_of(status.packages.begin(), status.packages.end(), [&](const kiosk::PackageStatus& package) {
    return package.id == id && package.version == version && package.state == state;
  });
}

std::string describe(const UpdateStatus& status) {
  std::string text = "last result: " + status.last_result + "\n";
  for (const kiosk::PackageStatus& package : status.packages) {
    text += fmt::format("  {} {}: {} {}\n", package.id, package.version, package.state, package.detail);
  }
  return text;
}

class Updater : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = hub::open_store((folder_ / "hub.sqlite").string());
    ASSERT_TRUE(store.ok()) << store.error().describe();
    store_ = std::move(store).value();
    const auto made = hub::init_repository(*store_, {{keys_.root}, 1, keys_.targets, keys_.snapshot, keys_.timestamp}, start);
    ASSERT_TRUE(made.ok()) << made.error().describe();
    auto root = store_->repository_file("root/1.json");
    ASSERT_TRUE(root.ok() && root->has_value());
    ASSERT_TRUE(write_file_atomic(folder_ / "root.json", std::as_bytes(std::span((*root)->data(), (*root)->size()))).ok());
    ASSERT_TRUE(package::write_key_files(keys_.curator, folder_ / "curator.key", folder_ / "curator.pub").ok());
    hub::HubConfig config;
    config.port = 0;
    config.retention_days = 0;
    config.threads = 2;
    config.repository_folder = folder_ / "repository";
    auto blobs = distribution::BlobStore::open(config.repository_folder / "blobs");
    ASSERT_TRUE(blobs.ok()) << blobs.error().describe();
    blobs_.emplace(std::move(blobs).value());
    auto server = hub::HubServer::start(config, store_);
    ASSERT_TRUE(server.ok()) << server.error().describe();
    server_ = std::move(server).value();
  }

  // A package of `seeds` textures, not a scene: enough for everything but showing it.
  fs::path blob_package(std::string_view id, std::string_view version, const std::vector<uint32_t>& seeds) {
    package::PackageWriter writer;
    for (const uint32_t seed : seeds) writer.add(package::prepare_blob(package::BlobKind::texture, texture(seed), 1));
    writer.set_manifest(nlohmann::json{{"format", 1}, {"id", id}, {"version", version}}.dump());
    const fs::path path = folder_ / fmt::format("{}-{}.pvpkg", id, version);
    const auto written = writer.write(path, &keys_.curator);
    EXPECT_TRUE(written.ok()) << written.error().describe();
    return path;
  }

  // A real scene, one panel in `color`: a package the kiosk shows.
  fs::path scene_package(std::string_view id, std::string_view version, uint8_t color) {
    const fs::path source = folder_ / fmt::format("scene-{}-{}", id, version);
    fs::create_directories(source);
    ImageRgba8 poster(64, 64);
    for (size_t index = 0; index < poster.pixels.size(); index += 4) {
      poster.pixels[index] = color;
      poster.pixels[index + 1] = static_cast<uint8_t>(index / 256);
      poster.pixels[index + 2] = 40;
      poster.pixels[index + 3] = 255;
    }
    EXPECT_TRUE(write_png(source / "poster.png", poster).ok());
    const nlohmann::json scene = {
        {"id", id},
        {"version", version},
        {"title", {{"zh-CN", "灯会"}, {"en", "Lantern fair"}}},
        {"viewpoints", {{{"name", {{"zh-CN", "入口"}, {"en", "Entrance"}}}, {"position", {0, 1.6, 3}}, {"target", {0, 1.5, 0}}, {"fov", 50}}}},
        {"exhibits",
         {{{"id", "poster"},
           {"kind", "panel"},
           {"image", "poster.png"},
           {"size", {1, 1}},
           {"position", {0, 1.5, 0}},
           {"metadata", {{"title", {{"zh-CN", "海报"}, {"en", "Poster"}}}, {"rights", {{"zh-CN", "CC0 公有领域"}, {"en", "CC0, public domain"}}}}},
           {"alt_text", {{"zh-CN", "一张红色海报。"}, {"en", "A red poster."}}}}}}};
    const std::string text = scene.dump(2);
    EXPECT_TRUE(write_file_atomic(source / "scene.json", std::as_bytes(std::span(text.data(), text.size()))).ok());
    pack::BuildOptions options;
    options.scene_directory = source;
    options.output = folder_ / fmt::format("{}-{}.pvpkg", id, version);
    options.key = &keys_.curator;
    options.thumbnails = false;
    options.jobs = 2;
    const auto built = pack::build_package(options);
    EXPECT_TRUE(built.ok()) << built.error().describe();
    return options.output;
  }

  hub::Published publish(const fs::path& package, std::string_view channel) {
    auto published = hub::publish_package(*store_, *blobs_, keys_.online(), package, channel,
                                          {{keys_.curator.public_key}, false}, now_);
    EXPECT_TRUE(published.ok()) << published.error().describe();
    return published.ok() ? *published : hub::Published{};
  }

  // The running hub renews its timestamp; here the test does, at the virtual clock's time.
  void renew() { ASSERT_TRUE(hub::renew_metadata(*store_, keys_.online(), now_).ok()); }

  kiosk::KioskConfig kiosk_config(const std::string& name, const std::string& branch = "branch-12") const {
    kiosk::KioskConfig config;
    config.file = folder_ / (name + ".json");
    config.content = folder_ / (name + "-content");
    config.trusted_keys = {folder_ / "curator.pub"};
    config.utc_offset = std::chrono::minutes(8 * 60);  // Beijing
    kiosk::UpdateSettings updates;
    updates.url = server_->url();
    updates.channels = {"permanent"};
    updates.branch = branch;
    updates.root = folder_ / "root.json";
    updates.state = folder_ / name;
    updates.disk_budget_bytes = 64ull << 20;
    config.updates = updates;
    return config;
  }

  std::unique_ptr<kiosk::Updater> updater(const kiosk::KioskConfig& config) {
    auto opened = kiosk::Updater::open(config, [this] { return now_.load(); });
    EXPECT_TRUE(opened.ok()) << opened.error().describe();
    return opened.ok() ? std::move(opened).value() : nullptr;
  }

  static std::vector<std::string> shown(const kiosk::Updater& updater) {
    std::vector<std::string> names;
    for (const kiosk::StoredPackage& package : updater.showing()) names.push_back(package.name());
    return names;
  }

  static bool noted(kiosk::Updater& updater, std::string_view words) {
    const std::vector<std::string> notes = updater.take_notes();
    return std::any_of(notes.begin(), notes.end(), [&](const std::string& note) { return note.find(words) != std::string::npos; });
  }

  TemporaryFolder folder_;
  Keys keys_;
  std::shared_ptr<hub::Store> store_;
  std::optional<distribution::BlobStore> blobs_;
  std::unique_ptr<hub::HubServer> server_;
  std::atomic<Seconds> now_{start};
};

TEST_F(Updater, AChangedTextureCostsOneBlobAndTheMetadata) {
  publish(blob_package("gallery", "1", {1, 2, 3, 4, 5, 6, 7, 8}), "permanent");
  const kiosk::KioskConfig config = kiosk_config("kiosk");
  auto kiosk = updater(config);
  ASSERT_NE(kiosk, nullptr);
  kiosk->poll();
  ASSERT_TRUE(has_state(kiosk->status(), "gallery", "1", "staged")) << describe(kiosk->status());
  EXPECT_EQ(kiosk->switch_now(now_), 1u);
  EXPECT_EQ(shown(*kiosk), std::vector<std::string>{"gallery@1"});
  const std::set<std::string> before = stored_files(config.updates->state / "blobs");
  EXPECT_EQ(before.size(), 9u);  // the head and eight blobs
  const uint64_t bytes_before = kiosk->bytes_received();

  now_ += hour;
  const hub::Published changed = publish(blob_package("gallery", "2", {1, 2, 3, 4, 5, 6, 7, 9}), "permanent");
  kiosk->poll();
  ASSERT_TRUE(has_state(kiosk->status(), "gallery", "2", "staged")) << describe(kiosk->status());
  const std::set<std::string> after = stored_files(config.updates->state / "blobs");
  std::vector<std::string> added;
  std::set_difference(after.begin(), after.end(), before.begin(), before.end(), std::back_inserter(added));
  EXPECT_EQ(added.size(), 2u) << "the new head and the one changed blob";
  EXPECT_TRUE(std::find(added.begin(), added.end(), changed.target.head_hash.to_hex()) != added.end());
  const uint64_t fetched = kiosk->bytes_received() - bytes_before;
  const uint64_t blob_and_head = changed.target.head_length + 20'000;
  EXPECT_GE(fetched, blob_and_head);
  EXPECT_LE(fetched, blob_and_head + 64 * 1024) << "metadata beyond the changed blob and head";
  std::cout << "one changed texture: " << fetched << " bytes fetched, " << (fetched - blob_and_head)
            << " of them metadata and blob index overhead\n";
  EXPECT_EQ(kiosk->status().last_result, "ok");
}

TEST_F(Updater, AVersionThatWillNotLoadRollsBackAndIsNotTriedAgain) {
  publish(scene_package("lantern", "1", 200), "permanent");
  const kiosk::KioskConfig config = kiosk_config("kiosk");
  auto kiosk = updater(config);
  ASSERT_NE(kiosk, nullptr);
  kiosk->poll();
  ASSERT_TRUE(kiosk->switch_due(now_)) << describe(kiosk->status());
  kiosk->switch_now(now_);
  const scene::LoadOptions options{};
  {
    const kiosk::ContentLibrary library = kiosk::open_installed_content(config, options, kiosk.get());
    ASSERT_EQ(library.entries().size(), 1u);
    EXPECT_EQ(library.entries()[0].version, "1");
  }

  // Version 2 is signed and whole, so it is fetched and staged; but it holds no scene.
  now_ += hour;
  const hub::Published broken = publish(blob_package("lantern", "2", {11, 12}), "permanent");
  kiosk->poll();
  ASSERT_TRUE(has_state(kiosk->status(), "lantern", "2", "staged")) << describe(kiosk->status());
  ASSERT_TRUE(kiosk->switch_due(now_));
  kiosk->switch_now(now_);
  EXPECT_EQ(shown(*kiosk), std::vector<std::string>{"lantern@2"});
  static_cast<void>(kiosk->take_notes());
  {
    // What the operator reads about it: nothing in the content folder to check.
    const kiosk::ContentLibrary library = kiosk::ContentLibrary::open(config, options, kiosk->showing());
    ASSERT_EQ(library.problems().size(), 1u);
    const LocalizedText& summary = library.problems()[0].summary;
    EXPECT_NE(summary.en.find("from the update server"), std::string::npos) << summary.en;
    EXPECT_NE(summary.zh_cn.find("更新服务器"), std::string::npos) << summary.zh_cn;
    EXPECT_EQ(summary.en.find("content folder"), std::string::npos) << summary.en;
  }
  {
    const kiosk::ContentLibrary library = kiosk::open_installed_content(config, options, kiosk.get());
    ASSERT_EQ(library.entries().size(), 1u);
    EXPECT_EQ(library.entries()[0].version, "1");
    EXPECT_TRUE(library.problems().empty()) << "the failed version is off the screen, its story in the updater's status: "
                                            << (library.problems().empty() ? "" : library.problems()[0].detail);
  }
  EXPECT_EQ(shown(*kiosk), std::vector<std::string>{"lantern@1"});
  EXPECT_TRUE(has_state(kiosk->status(), "lantern", "2", "rolled_back")) << describe(kiosk->status());
  EXPECT_TRUE(noted(*kiosk, "lantern 2 would not load; back to 1"));

  // Not fetched nor staged again, even after a restart.
  kiosk.reset();
  kiosk = updater(config);
  const uint64_t before = kiosk->bytes_received();
  kiosk->poll();
  EXPECT_FALSE(kiosk->switch_due(now_));
  EXPECT_TRUE(has_state(kiosk->status(), "lantern", "2", "rolled_back")) << describe(kiosk->status());
  EXPECT_LT(kiosk->bytes_received() - before, 16u * 1024) << "metadata only";
  EXPECT_FALSE(stored_files(config.updates->state / "blobs").contains(broken.target.head_hash.to_hex()))
      << "a failed version's files are collected";

  // A newer version is tried.
  now_ += hour;
  publish(scene_package("lantern", "3", 90), "permanent");
  kiosk->poll();
  ASSERT_TRUE(kiosk->switch_due(now_)) << describe(kiosk->status());
  kiosk->switch_now(now_);
  const kiosk::ContentLibrary library = kiosk::open_installed_content(config, options, kiosk.get());
  ASSERT_EQ(library.entries().size(), 1u);
  EXPECT_EQ(library.entries()[0].version, "3");
}

TEST_F(Updater, TwoPackagesSharingABlobStoreItOnceAndADroppedOneIsCollected) {
  const hub::Published first = publish(blob_package("lanterns", "1", {1, 2, 3}), "permanent");
  publish(blob_package("riddles", "1", {3, 4}), "permanent");
  const kiosk::KioskConfig config = kiosk_config("kiosk");
  auto kiosk = updater(config);
  ASSERT_NE(kiosk, nullptr);
  kiosk->poll();
  const fs::path blobs = config.updates->state / "blobs";
  EXPECT_EQ(stored_files(blobs).size(), 6u) << "two heads and four blobs, the shared one once";
  EXPECT_LT(kiosk->bytes_received(), first.target.size * 2) << describe(kiosk->status());
  EXPECT_EQ(kiosk->switch_now(now_), 2u);

  // Dropped from its channel: off the screen at the next safe moment, then its own blobs go.
  now_ += hour;
  ASSERT_TRUE(hub::remove_from_channel(*store_, keys_.online(), "permanent", "lanterns", now_).ok());
  kiosk->poll();
  ASSERT_TRUE(kiosk->switch_due(now_));
  kiosk->switch_now(now_);
  EXPECT_EQ(shown(*kiosk), std::vector<std::string>{"riddles@1"});
  kiosk->poll();
  EXPECT_EQ(stored_files(blobs).size(), 3u) << "riddles' head, its blob and the one it shared";
  EXPECT_EQ(kiosk->status().disk_used, [&] {
    uint64_t bytes = 0;
    for (const auto& entry : fs::recursive_directory_iterator(blobs)) bytes += entry.is_regular_file() ? entry.file_size() : 0;
    return bytes;
  }());
}

TEST_F(Updater, ACampaignIsStagedAheadSwitchesAtItsStartAndEndsOnTime) {
  publish(blob_package("festival", "1", {21, 22}), "spring");
  // Its dates in the library's own time; the kiosk is in Beijing (UTC+8).
  ASSERT_TRUE(hub::add_campaign(*store_, keys_.online(), {"spring-festival", "spring", {"branch-12"}, "2027-01-28T08:00",
                                                          "2027-02-12T21:00", 7}, now_)
                  .ok());
  const Seconds starts = *distribution::parse_utc("2027-01-28T00:00:00Z");
  const Seconds ends = *distribution::parse_utc("2027-02-12T13:00:00Z");
  const kiosk::KioskConfig config = kiosk_config("kiosk");
  auto kiosk = updater(config);
  auto elsewhere = updater(kiosk_config("elsewhere", "branch-7"));
  ASSERT_NE(kiosk, nullptr);
  ASSERT_NE(elsewhere, nullptr);

  kiosk->poll();  // thirteen days ahead: not yet
  EXPECT_TRUE(kiosk->status().packages.empty()) << describe(kiosk->status());
  EXPECT_TRUE(stored_files(config.updates->state / "blobs").empty());

  now_ = starts - 6 * day;  // within its seven staging days
  renew();
  kiosk->poll();
  elsewhere->poll();
  ASSERT_TRUE(has_state(kiosk->status(), "festival", "1", "staged")) << describe(kiosk->status());
  EXPECT_NE(describe(kiosk->status()).find("switches at 2027-01-28 08:00"), std::string::npos) << describe(kiosk->status());
  EXPECT_TRUE(elsewhere->status().packages.empty()) << "another branch's kiosk holds nothing of it";
  EXPECT_FALSE(kiosk->switch_due(now_));
  EXPECT_TRUE(shown(*kiosk).empty());

  EXPECT_FALSE(kiosk->switch_due(starts - 1));
  EXPECT_TRUE(kiosk->switch_due(starts));
  EXPECT_EQ(kiosk->switch_now(starts), 1u);
  EXPECT_EQ(shown(*kiosk), std::vector<std::string>{"festival@1"});

  EXPECT_FALSE(kiosk->switch_due(ends - 1));
  EXPECT_TRUE(kiosk->switch_due(ends));
  EXPECT_EQ(kiosk->switch_now(ends), 1u);
  EXPECT_TRUE(shown(*kiosk).empty());
  EXPECT_TRUE(noted(*kiosk, "festival 1 is no longer shown"));
}

TEST_F(Updater, ExpiredMetadataKeepsWhatItShowsAndSaysWhy) {
  publish(blob_package("gallery", "1", {1, 2}), "permanent");
  const kiosk::KioskConfig config = kiosk_config("kiosk");
  auto kiosk = updater(config);
  ASSERT_NE(kiosk, nullptr);
  kiosk->poll();
  kiosk->switch_now(now_);
  static_cast<void>(kiosk->take_notes());

  // The hub is frozen (nobody renews its timestamp) while a new version sits in it unsigned by a
  // fresh timestamp: two days on, the kiosk refuses it all and keeps what it shows.
  publish(blob_package("gallery", "2", {1, 3}), "permanent");
  now_ += 2 * day;
  kiosk->poll();
  const UpdateStatus status = kiosk->status();
  EXPECT_NE(status.last_result, "ok");
  EXPECT_NE(status.last_result.find("timestamp"), std::string::npos) << status.last_result;
  EXPECT_FALSE(status.last_error.en.empty());
  EXPECT_FALSE(status.last_error.zh_cn.empty());
  EXPECT_EQ(shown(*kiosk), std::vector<std::string>{"gallery@1"});
  EXPECT_FALSE(kiosk->switch_due(now_));
  EXPECT_TRUE(noted(*kiosk, "update refused"));
  kiosk->poll();
  EXPECT_TRUE(kiosk->take_notes().empty()) << "a lasting refusal is noted once";
  const auto lines = kiosk->operator_lines();
  EXPECT_TRUE(std::any_of(lines.begin(), lines.end(), [&](const LocalizedText& line) {
    return line.en.find(status.last_error.en) != std::string::npos && line.zh_cn.find(status.last_error.zh_cn) != std::string::npos;
  }));
}

TEST_F(Updater, ADownloadBeyondTheDiskBudgetIsRefusedAndSaidSo) {
  publish(blob_package("atlas", "1", {1, 2, 3, 4, 5, 6}), "permanent");  // about 120 kB
  kiosk::KioskConfig config = kiosk_config("kiosk");
  config.updates->disk_budget_bytes = 100'000;
  auto kiosk = updater(config);
  ASSERT_NE(kiosk, nullptr);
  kiosk->poll();
  const UpdateStatus status = kiosk->status();
  EXPECT_TRUE(has_state(status, "atlas", "1", "failed")) << describe(status);
  EXPECT_NE(status.last_error.en.find("disk budget"), std::string::npos) << status.last_error.en;
  EXPECT_NE(status.last_error.zh_cn.find("磁盘预算"), std::string::npos);
  EXPECT_LE(status.disk_used, 100'000u);
  EXPECT_EQ(stored_files(config.updates->state / "blobs").size(), 1u) << "its head only: no blob was started";
  EXPECT_FALSE(kiosk->switch_due(now_));

  // With room, the same kiosk fetches it.
  kiosk.reset();
  config.updates->disk_budget_bytes = 1'000'000;
  kiosk = updater(config);
  kiosk->poll();
  EXPECT_TRUE(has_state(kiosk->status(), "atlas", "1", "staged")) << describe(kiosk->status());
}

TEST_F(Updater, DownloadsWaitForTheDownloadWindow) {
  publish(blob_package("gallery", "1", {1, 2}), "permanent");
  kiosk::KioskConfig config = kiosk_config("kiosk");
  config.updates->download_window = kiosk::UpdateSettings::Window{60, 5 * 60};  // 01:00–05:00 in Beijing
  auto kiosk = updater(config);
  ASSERT_NE(kiosk, nullptr);
  kiosk->poll();  // 16:00 in Beijing
  EXPECT_TRUE(has_state(kiosk->status(), "gallery", "1", "downloading")) << describe(kiosk->status());
  EXPECT_NE(describe(kiosk->status()).find("waits for the download window 01:00–05:00"), std::string::npos);
  EXPECT_TRUE(stored_files(config.updates->state / "blobs").empty());

  now_ = start + 10 * hour;  // 02:00 the next morning in Beijing
  renew();
  kiosk->poll();
  EXPECT_TRUE(has_state(kiosk->status(), "gallery", "1", "staged")) << describe(kiosk->status());
}

TEST_F(Updater, ADownloadStopsWhenItsWindowClosesAndResumesInTheNext) {
  const hub::Published atlas = publish(blob_package("atlas", "1", {1, 2, 3, 4, 5, 6}), "permanent");  // 120 kB of blobs
  kiosk::KioskConfig config = kiosk_config("kiosk");
  config.updates->download_window = kiosk::UpdateSettings::Window{60, 5 * 60};  // 01:00–05:00 in Beijing
  config.updates->bytes_per_second = 40'000;
  config.updates->poll_seconds = 3600;
  now_ = start + 10 * hour;  // 02:00 in Beijing
  renew();
  auto kiosk = updater(config);
  ASSERT_NE(kiosk, nullptr);
  kiosk->start();
  std::this_thread::sleep_for(std::chrono::seconds(1));
  now_ = start + 13 * hour;  // 05:00: the window closes a third of the way in
  for (int tries = 0; tries < 100 && kiosk->status().last_check_ms == 0; ++tries) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  const uint64_t first = kiosk->bytes_received();
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(kiosk->bytes_received(), first) << "nothing fetched after the window closed";
  kiosk->stop();
  EXPECT_GT(first, 10'000u);
  EXPECT_LT(first, 100'000u) << describe(kiosk->status());
  EXPECT_FALSE(has_state(kiosk->status(), "atlas", "1", "staged")) << describe(kiosk->status());
  EXPECT_NE(describe(kiosk->status()).find("waits for the download window 01:00–05:00"), std::string::npos)
      << describe(kiosk->status());
  const std::vector<LocalizedText> lines = kiosk->operator_lines();
  EXPECT_TRUE(std::any_of(lines.begin(), lines.end(), [](const LocalizedText& line) {
    return line.zh_cn.find("atlas 1：下载中 — 等待下载时段 01:00–05:00") != std::string::npos &&
           line.en.find("atlas 1: downloading — waits for the download window 01:00–05:00") != std::string::npos;
  }));

  // The next night's window takes up where this one stopped.
  kiosk.reset();
  config.updates->bytes_per_second = 0;
  now_ = start + 34 * hour;  // 02:00 the morning after
  renew();
  kiosk = updater(config);
  kiosk->poll();
  ASSERT_TRUE(has_state(kiosk->status(), "atlas", "1", "staged")) << describe(kiosk->status());
  EXPECT_LE(first + kiosk->bytes_received(), atlas.target.head_length + 120'000 + 32 * 1024) << "no byte fetched twice";
}

TEST_F(Updater, AnOldVersionRelabelledAsNewIsRefused) {
  const hub::Published old = publish(blob_package("gallery", "1", {1, 2}), "permanent");
  const kiosk::KioskConfig config = kiosk_config("kiosk");
  // Whoever holds the online targets key lists version 1's signed package as version 2.
  now_ += hour;
  const auto relabelled = hub::change_targets(*store_, keys_.online(), now_, [&](distribution::Targets& targets) -> Result<void> {
    distribution::PackageTarget target = old.target;
    target.version = "2";
    targets.packages.emplace(target.key(), target);
    targets.channels["permanent"] = {target.key()};
    return {};
  });
  ASSERT_TRUE(relabelled.ok()) << relabelled.error().describe();
  auto kiosk = updater(config);
  ASSERT_NE(kiosk, nullptr);
  kiosk->poll();
  const UpdateStatus status = kiosk->status();
  EXPECT_TRUE(has_state(status, "gallery", "2", "failed")) << describe(status);
  EXPECT_FALSE(kiosk->switch_due(now_));
  EXPECT_NE(status.last_result.find("gallery 2: the package's own manifest names it \"gallery\" version \"1\""), std::string::npos)
      << status.last_result;
  EXPECT_EQ(status.last_error, distribution::Refusal{distribution::RefusalKind::mismatch}.sentence());
  EXPECT_TRUE(stored_files(config.updates->state / "blobs").empty()) << "no blob fetched, and the refused head collected";
  kiosk->poll();
  EXPECT_TRUE(has_state(kiosk->status(), "gallery", "2", "failed")) << "not tried again: " << describe(kiosk->status());
}

// Responses tampered with at the hub, served over HTTP: each refusal reaches the status (the
// fleet report) and the operator screen, whole in each language.
TEST_F(Updater, TamperedAndOversizedResponsesReachTheStatusAndTheOperatorScreen) {
  const hub::Published gallery = publish(blob_package("gallery", "1", {1, 2}), "permanent");
  const fs::path head = blobs_->path_of(gallery.target.head_hash);
  auto original = read_file(head);
  ASSERT_TRUE(original.ok()) << original.error().describe();
  const auto serve = [&](std::vector<std::byte> bytes) {
    fs::permissions(head, fs::perms::owner_write, fs::perm_options::add);
    ASSERT_TRUE(write_file_atomic(head, bytes).ok());
  };
  const auto check = [&](const std::string& name, distribution::RefusalKind kind, std::string_view detail) {
    auto kiosk = updater(kiosk_config(name));
    ASSERT_NE(kiosk, nullptr);
    kiosk->poll();
    const UpdateStatus status = kiosk->status();
    EXPECT_NE(status.last_result.find(detail), std::string::npos) << name << ": " << status.last_result;
    const LocalizedText sentence = distribution::Refusal{kind}.sentence();
    EXPECT_EQ(status.last_error, sentence) << name;
    EXPECT_FALSE(has_state(status, "gallery", "1", "staged")) << describe(status);
    const std::vector<LocalizedText> lines = kiosk->operator_lines();
    EXPECT_TRUE(std::any_of(lines.begin(), lines.end(), [&](const LocalizedText& line) {
      return line.zh_cn.find(sentence.zh_cn) != std::string::npos && line.en.find(sentence.en) != std::string::npos;
    })) << name;
    for (const LocalizedText& line : lines) {
      EXPECT_EQ(line.zh_cn.find(status.last_result), std::string::npos) << "English in the Chinese line: " << line.zh_cn;
    }
    EXPECT_TRUE(noted(*kiosk, "update refused")) << name;
  };

  std::vector<std::byte> flipped = *original;
  flipped[flipped.size() / 2] ^= std::byte{1};
  serve(flipped);
  check("flipped", distribution::RefusalKind::wrong_hash, gallery.target.head_hash.to_hex());

  std::vector<std::byte> longer = *original;
  longer.resize(longer.size() + 4096);
  serve(longer);
  check("longer", distribution::RefusalKind::oversized, gallery.target.head_hash.to_hex());

  serve(*original);
  auto timestamp = store_->repository_file("timestamp.json");
  ASSERT_TRUE(timestamp.ok() && timestamp->has_value());
  std::string tampered = **timestamp;
  const size_t expires = tampered.find("\"expires\"");
  ASSERT_NE(expires, std::string::npos) << tampered;
  tampered[tampered.find_first_of("0123456789", expires)] ^= 1;  // a year moved: the signature no longer holds
  const std::vector<std::pair<std::string, std::string>> files{{"timestamp.json", tampered}};
  ASSERT_TRUE(store_->put_repository_files(files).ok());
  check("tampered", distribution::RefusalKind::signature, "timestamp");
}

// A kiosk in service keeps the system's time, whatever its frames take: a staged version due three
// seconds on switches after slow frames whose capped sum (a quarter of a second each) is far less.
TEST_F(Updater, AKioskInServiceKeepsTheSystemsTimeThroughSlowFrames) {
  publish(scene_package("lantern", "1", 200), "permanent");
  kiosk::KioskConfig config = kiosk_config("kiosk");
  {
    auto staging = updater(config);
    ASSERT_NE(staging, nullptr);
    staging->poll();
    ASSERT_TRUE(has_state(staging->status(), "lantern", "1", "staged")) << describe(staging->status());
  }
  const auto due = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()) + std::chrono::seconds(3);
  auto installed = InstalledState::load(config.updates->state / "installed.json");
  ASSERT_TRUE(installed.ok()) << installed.error().describe();
  installed->packages["lantern"].shown_from = due.time_since_epoch().count();
  ASSERT_TRUE(installed->save(config.updates->state / "installed.json").ok());
  server_.reset();  // the hub is down: the kiosk goes by what it recorded

  kiosk::KioskOptions options;
  options.headless = true;
  options.validation = true;
  options.width = 320;
  options.height = 180;
  // Slow frames until a second past the switch's time; then fast ones, so that the scene's load
  // (on its own thread, however busy the machine) is done well before the last frame.
  options.max_frames = 300;
  options.after_frame = [due](const kiosk::KioskReport&) {
    if (std::chrono::system_clock::now() < due + std::chrono::seconds(1)) std::this_thread::sleep_for(std::chrono::milliseconds(500));
  };
  auto kiosk = kiosk::Kiosk::create(config, options);
  ASSERT_TRUE(kiosk.ok()) << kiosk.error().describe();
  ASSERT_TRUE((*kiosk)->run().ok());
  ASSERT_GE(std::chrono::system_clock::now(), due + std::chrono::seconds(1));
  EXPECT_EQ((*kiosk)->report().shown_package, "lantern@1") << "switched when the system's clock reached its time";
}

TEST_F(Updater, ARestartKeepsItsTrustAndStillRefusesARollback) {
  publish(blob_package("gallery", "1", {1, 2}), "permanent");
  auto old_timestamp = store_->repository_file("timestamp.json");
  ASSERT_TRUE(old_timestamp.ok() && old_timestamp->has_value());
  now_ += hour;
  publish(blob_package("gallery", "2", {1, 3}), "permanent");
  const kiosk::KioskConfig config = kiosk_config("kiosk");
  auto kiosk = updater(config);
  ASSERT_NE(kiosk, nullptr);
  kiosk->poll();
  kiosk->switch_now(now_);
  const uint64_t trusted_timestamp = kiosk->status().timestamp_version;
  ASSERT_GT(trusted_timestamp, 1u);

  // Restarted, and offered the older timestamp (a replay): refused, from the persisted trust.
  kiosk.reset();
  const std::vector<std::pair<std::string, std::string>> replay{{"timestamp.json", **old_timestamp}};
  ASSERT_TRUE(store_->put_repository_files(replay).ok());
  kiosk = updater(config);
  EXPECT_EQ(shown(*kiosk), std::vector<std::string>{"gallery@2"});
  kiosk->poll();
  const UpdateStatus status = kiosk->status();
  EXPECT_NE(status.last_result, "ok");
  EXPECT_EQ(status.timestamp_version, trusted_timestamp);
  EXPECT_FALSE(status.last_error.en.empty());
  EXPECT_EQ(shown(*kiosk), std::vector<std::string>{"gallery@2"});
}

TEST_F(Updater, StopsQuicklyWhilePollingOnItsOwnThread) {
  publish(blob_package("gallery", "1", {1, 2}), "permanent");
  kiosk::KioskConfig config = kiosk_config("kiosk");
  config.updates->poll_seconds = 3600;
  auto kiosk = updater(config);
  ASSERT_NE(kiosk, nullptr);
  kiosk->start();
  for (int tries = 0; tries < 200 && kiosk->status().last_check_ms == 0; ++tries) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(kiosk->status().last_check_ms, start * 1000);
  const auto stopping = std::chrono::steady_clock::now();
  kiosk->stop();
  EXPECT_LT(std::chrono::steady_clock::now() - stopping, std::chrono::seconds(1)) << "not waiting out the hour";
  EXPECT_TRUE(has_state(kiosk->status(), "gallery", "1", "staged")) << describe(kiosk->status());
}

TEST_F(Updater, ALimitedDownloadStopsAtOnceAndResumesWhereItStopped) {
  const hub::Published atlas = publish(blob_package("atlas", "1", {1, 2, 3, 4, 5, 6}), "permanent");  // 120 kB of blobs
  kiosk::KioskConfig config = kiosk_config("kiosk");
  config.updates->bytes_per_second = 40'000;
  auto kiosk = updater(config);
  ASSERT_NE(kiosk, nullptr);
  kiosk->start();
  std::this_thread::sleep_for(std::chrono::seconds(1));
  const auto stopping = std::chrono::steady_clock::now();
  kiosk->stop();
  EXPECT_LT(std::chrono::steady_clock::now() - stopping, std::chrono::milliseconds(500)) << "a transfer in progress ends at once";
  const uint64_t first = kiosk->bytes_received();
  EXPECT_GT(first, 10'000u);
  EXPECT_LT(first, 100'000u) << "about 40 kB a second";
  EXPECT_FALSE(has_state(kiosk->status(), "atlas", "1", "staged")) << describe(kiosk->status());

  // The next run, unlimited, fetches only what the first did not.
  kiosk.reset();
  config.updates->bytes_per_second = 0;
  kiosk = updater(config);
  kiosk->poll();
  ASSERT_TRUE(has_state(kiosk->status(), "atlas", "1", "staged")) << describe(kiosk->status());
  const uint64_t whole = atlas.target.head_length + 120'000;
  EXPECT_LE(first + kiosk->bytes_received(), whole + 32 * 1024) << "no byte fetched twice, metadata aside";
}

TEST_F(Updater, TheKioskSwitchesOnlyBetweenVisitors) {
  const Seconds starts = *distribution::parse_utc("2027-01-28T00:00:00Z");  // 08:00 in Beijing
  now_ = starts - 2 * hour;
  publish(scene_package("lantern", "1", 200), "permanent");
  publish(scene_package("festival", "1", 30), "spring");
  ASSERT_TRUE(hub::add_campaign(*store_, keys_.online(), {"spring-festival", "spring", {}, "2027-01-28T08:00",
                                                          "2027-02-12T21:00", 7}, now_)
                  .ok());
  kiosk::KioskConfig config = kiosk_config("kiosk");
  config.idle_timeout_seconds = 10;
  config.still_there_seconds = 5;
  {
    auto staging = updater(config);  // the kiosk's last run: the lanterns shown, the festival staged
    ASSERT_NE(staging, nullptr);
    staging->poll();
    ASSERT_EQ(staging->switch_now(now_), 1u) << describe(staging->status());
  }

  // Ten seconds before the festival starts a visitor begins, and stays for its start; the kiosk
  // switches once the visit has timed out (at about 16 s) and the attract loop is back.
  kiosk::KioskOptions options;
  options.headless = true;
  options.validation = true;
  options.width = 320;
  options.height = 180;
  std::vector<checking::Finding> findings;
  options.script = kiosk::parse_visit_script(
      R"({"start": "2027-01-27T23:59:50Z", "frame_seconds": 0.1, "steps": [{"wait": 1}, {"tap": "begin"}, {"wait": 25}]})",
      "visit.json", findings);
  ASSERT_TRUE(options.script.has_value());
  std::vector<std::string> shown_by_frame;
  options.after_frame = [&](const kiosk::KioskReport& report) { shown_by_frame.push_back(report.shown_package); };
  auto kiosk = kiosk::Kiosk::create(config, options);
  ASSERT_TRUE(kiosk.ok()) << kiosk.error().describe();
  ASSERT_TRUE((*kiosk)->run().ok());
  const auto first_festival = std::find(shown_by_frame.begin(), shown_by_frame.end(), "festival@1");
  ASSERT_NE(first_festival, shown_by_frame.end()) << "the festival never showed";
  const double switched_at = 0.1 * static_cast<double>(first_festival - shown_by_frame.begin() + 1);
  EXPECT_GE(switched_at, 16.0) << "switched mid-visit";
  EXPECT_LE(switched_at, 20.0);
  EXPECT_EQ(shown_by_frame[150], "lantern@1") << "mid-visit, after the festival's start";
  EXPECT_EQ((*kiosk)->report().shown_package, "festival@1");
}

}  // namespace
}  // namespace pavilion::updater_tests

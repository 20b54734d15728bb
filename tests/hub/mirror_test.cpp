// A branch hub mirroring the centre's repository (hub/README.md, "Branch hubs"), real hubs on
// loopback: each head and blob crosses the WAN once per branch however many kiosks fetch it; a
// new version costs only its changed blobs; kiosks pointed at the branch verify the centre's
// signatures; the branch keeps serving what it has while the WAN is cut; a root rotation reaches
// kiosks pinned to the old root through the branch; and a branch pinned to another root mirrors
// nothing.
#include "backends.h"

#include "pavilion/core/file.h"
#include "pavilion/distribution/blob_store.h"
#include "pavilion/distribution/repository_client.h"
#include "pavilion/distribution/trusted_state.h"
#include "pavilion/http/client.h"
#include "pavilion/hub/mirror.h"
#include "pavilion/hub/repository.h"
#include "pavilion/hub/server.h"
#include "pavilion/package/reader.h"
#include "pavilion/package/writer.h"
#include "pavilion/telemetry/wire.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <thread>
#include <utility>

namespace pavilion::hub {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using distribution::Refusal;
using package::KeyPair;

Seconds seconds_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

struct Keys {
  KeyPair root = package::generate_key_pair();
  KeyPair targets = package::generate_key_pair();
  KeyPair snapshot = package::generate_key_pair();
  KeyPair timestamp = package::generate_key_pair();
  KeyPair curator = package::generate_key_pair();
  NewRepository repository() const { return {{root}, 1, targets, snapshot, timestamp}; }
  OnlineKeys online() const { return {targets, snapshot, timestamp}; }
  package::TrustPolicy trust() const { return {{curator.public_key}, false, false}; }
};

// Bytes that do not compress away, different for each seed.
std::vector<std::byte> texture(uint32_t seed) {
  std::vector<std::byte> bytes(30'000);
  uint32_t state = seed * 2654435761u + 1;
  for (std::byte& byte : bytes) {
    state ^= state << 13;
    state ^= state >> 17;
    state ^= state << 5;
    byte = static_cast<std::byte>(state);
  }
  return bytes;
}

// The heads and blobs a blob store holds, partial downloads aside.
size_t blob_files(const fs::path& folder) {
  size_t count = 0;
  for (const auto& entry : fs::recursive_directory_iterator(folder)) {
    if (entry.is_regular_file() && entry.path().parent_path().filename() != "partial") ++count;
  }
  return count;
}

template <class T>
bool accepted(const distribution::Checked<T>& checked) {
  if (const auto* refusal = std::get_if<Refusal>(&checked)) {
    ADD_FAILURE() << refusal->detail;
    return false;
  }
  return true;
}

// One of the branch's kiosks: its own trusted state (pinned to the centre's root) and blob store,
// fetching from the branch alone.
struct Kiosk {
  Kiosk(const fs::path& folder, const fs::path& pinned_root, const std::string& url)
      : state(distribution::TrustedState::open(folder / "trusted", pinned_root).value()),
        blobs(distribution::BlobStore::open(folder / "blobs").value()),
        client(distribution::RepositoryClient::connect({url, {}, 5s, 0}).value()) {}

  // Verifies the metadata and fetches every package of every channel; the packages' heads and
  // blobs then open as the curator signed them.
  bool update(const package::TrustPolicy& trust) {
    if (!accepted(distribution::refresh_metadata(state, client, seconds_now()))) return false;
    for (const auto& [key, target] : state.targets()->packages) {
      if (!blobs.holds(target.head_hash) && !accepted(client.fetch_blob(target.head_hash, target.head_length, blobs))) {
        return false;
      }
      auto head = package::PackageReader::open_head(blobs.path_of(target.head_hash), trust);
      if (!head) return false;
      for (size_t blob = 0; blob < (*head)->index().size(); ++blob) {
        const ContentHash& hash = (*head)->stored_hashes()[blob];
        if (!blobs.holds(hash) && !accepted(client.fetch_blob(hash, (*head)->index()[blob].stored_size, blobs))) return false;
      }
      auto reader = package::PackageReader::open_stored(
          blobs.path_of(target.head_hash), [&](const ContentHash& hash) { return blobs.path_of(hash); }, trust);
      EXPECT_TRUE(reader.ok()) << key << ": " << reader.error().describe();
      if (!reader) return false;
    }
    return true;
  }

  distribution::TrustedState state;
  distribution::BlobStore blobs;
  distribution::RepositoryClient client;
};

class Mirror : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    centre_config_.port = 0;
    centre_config_.threads = 2;
    centre_config_.retention_days = 0;
    centre_config_.repository_folder = folder_ / "centre-repository";
    centre_store_ = testing::open_test_store((folder_ / "centre.sqlite").string());
    ASSERT_NE(centre_store_, nullptr);
    auto blobs = distribution::BlobStore::open(centre_config_.repository_folder / "blobs");
    ASSERT_TRUE(blobs.ok()) << blobs.error().describe();
    centre_blobs_.emplace(std::move(blobs).value());
    ASSERT_TRUE(init_repository(*centre_store_, keys_.repository(), seconds_now()).ok());
    publish("gallery", "1.0.0", {1, 2, 3});
    centre_ = HubServer::start(centre_config_, centre_store_).value();
    // The root a branch (and each kiosk) is installed with.
    std::ofstream(pinned_root_) << centre_store_->repository_file("root/1.json").value().value();

    branch_config_.port = 0;
    branch_config_.threads = 2;
    branch_config_.retention_days = 0;
    branch_config_.repository_folder = folder_ / "branch-repository";
    branch_config_.upstream.url = centre_->url();
    branch_config_.upstream.root = pinned_root_;
    branch_config_.upstream.forward_events = false;
    branch_config_.upstream.poll = 1h;  // rounds run when the test asks
    branch_database_ = testing::test_database(GetParam(), folder_);
    branch_store_ = testing::open_test_store(branch_database_);
    ASSERT_NE(branch_store_, nullptr);
    branch_ = HubServer::start(branch_config_, branch_store_).value();
  }

  void publish(std::string_view id, std::string_view version, const std::vector<uint32_t>& seeds) {
    package::PackageWriter writer;
    for (const uint32_t seed : seeds) writer.add(package::prepare_blob(package::BlobKind::texture, texture(seed), 1));
    writer.set_manifest(nlohmann::json{{"format", 1}, {"id", id}, {"version", version}}.dump());
    const fs::path path = folder_ / fmt::format("{}-{}.pvpkg", id, version);
    ASSERT_TRUE(writer.write(path, &keys_.curator).ok());
    const auto published =
        publish_package(*centre_store_, *centre_blobs_, keys_.online(), path, "permanent", keys_.trust(), seconds_now());
    ASSERT_TRUE(published.ok()) << published.error().describe();
  }

  std::unique_ptr<RepositoryMirror> start_mirror() {
    auto mirror = RepositoryMirror::start(branch_config_, branch_store_);
    EXPECT_TRUE(mirror.ok()) << mirror.error().describe();
    return mirror ? std::move(mirror).value() : nullptr;
  }

  // Blob and head requests a hub answered with their bytes (its /metrics).
  static uint64_t blobs_served(const HubServer& hub) {
    http::Client client(http::Endpoint::parse(hub.url()).value(), 5s);
    http::Request request;
    request.method = "GET";
    request.target = "/metrics";
    const auto response = client.send(request);
    EXPECT_TRUE(response.ok());
    constexpr std::string_view line = "pavilion_hub_requests_total{route=\"/v1/repository/blobs\",status=\"200\"} ";
    const size_t at = response->body.find(line);
    return at == std::string::npos ? 0 : std::stoull(response->body.substr(at + line.size()));
  }

  testing::TemporaryFolder folder_;
  Keys keys_;
  fs::path pinned_root_ = folder_ / "centre-root.json";
  HubConfig centre_config_;
  std::shared_ptr<Store> centre_store_;
  std::optional<distribution::BlobStore> centre_blobs_;
  std::unique_ptr<HubServer> centre_;
  HubConfig branch_config_;
  std::string branch_database_;
  std::shared_ptr<Store> branch_store_;
  std::unique_ptr<HubServer> branch_;
};

TEST_P(Mirror, EachBlobCrossesTheWanOncePerBranchHoweverManyKiosksFetchIt) {
  auto mirror = start_mirror();
  ASSERT_NE(mirror, nullptr);
  ASSERT_TRUE(mirror->mirror_now().ok()) << mirror->stats().last_error;
  EXPECT_EQ(blobs_served(*centre_), 4u);  // the head and three textures
  EXPECT_EQ(mirror->stats().blobs_fetched, 4u);

  std::vector<std::unique_ptr<Kiosk>> kiosks;
  for (int index = 0; index < 3; ++index) {
    kiosks.push_back(std::make_unique<Kiosk>(folder_ / fmt::format("kiosk-{}", index), pinned_root_, branch_->url()));
    ASSERT_TRUE(kiosks.back()->update(keys_.trust()));
  }
  EXPECT_EQ(blobs_served(*branch_), 12u);
  EXPECT_EQ(blobs_served(*centre_), 4u) << "the kiosks' fetches never reach the centre";
  // What the kiosks trust is the centre's, byte for byte: the branch signed nothing.
  EXPECT_EQ(kiosks.front()->state.file(distribution::Role::timestamp),
            centre_store_->repository_file("timestamp.json").value().value());

  // Nothing new upstream: a round costs no blob.
  ASSERT_TRUE(mirror->mirror_now().ok());
  EXPECT_EQ(blobs_served(*centre_), 4u);
  // A new version with one texture changed: its head and that texture, once.
  publish("gallery", "1.1.0", {1, 2, 4});
  ASSERT_TRUE(mirror->mirror_now().ok()) << mirror->stats().last_error;
  EXPECT_EQ(blobs_served(*centre_), 6u);
  for (const auto& kiosk : kiosks) ASSERT_TRUE(kiosk->update(keys_.trust()));
  EXPECT_EQ(kiosks.back()->state.targets()->packages.count("gallery@1.1.0"), 1u);
  EXPECT_EQ(blobs_served(*centre_), 6u);
  // The version before stays however many rounds run (a kiosk may still be fetching it): its
  // time is upstream.keep_unnamed_blobs, a day.
  for (int round = 0; round < 3; ++round) ASSERT_TRUE(mirror->mirror_now().ok());
  EXPECT_EQ(blob_files(branch_config_.repository_folder / "blobs"), 6u);
}

TEST_P(Mirror, BlobsTheCentreNoLongerNamesGoOnlyOnceTheirTimeIsUp) {
  branch_config_.upstream.keep_unnamed_blobs = 1s;
  auto mirror = start_mirror();
  ASSERT_NE(mirror, nullptr);
  ASSERT_TRUE(mirror->mirror_now().ok()) << mirror->stats().last_error;
  publish("gallery", "1.1.0", {1, 2, 4});
  ASSERT_TRUE(mirror->mirror_now().ok()) << mirror->stats().last_error;
  ASSERT_TRUE(mirror->mirror_now().ok());
  EXPECT_EQ(blob_files(branch_config_.repository_folder / "blobs"), 6u) << "removed within the second";
  std::this_thread::sleep_for(1100ms);
  ASSERT_TRUE(mirror->mirror_now().ok());
  EXPECT_EQ(blob_files(branch_config_.repository_folder / "blobs"), 4u) << "the old head and texture stay past their time";
}

TEST_P(Mirror, WithTheWanCutTheBranchKeepsServingWhatItHolds) {
  auto mirror = start_mirror();
  ASSERT_NE(mirror, nullptr);
  ASSERT_TRUE(mirror->mirror_now().ok()) << mirror->stats().last_error;
  centre_.reset();
  const auto cut = mirror->mirror_now();
  ASSERT_FALSE(cut.ok());
  ASSERT_TRUE(mirror->stats().last_refusal.has_value());
  EXPECT_EQ(mirror->stats().last_refusal->kind, distribution::RefusalKind::unreachable);
  Kiosk kiosk(folder_ / "kiosk", pinned_root_, branch_->url());
  EXPECT_TRUE(kiosk.update(keys_.trust()));
  EXPECT_EQ(kiosk.state.targets()->packages.count("gallery@1.0.0"), 1u);
}

TEST_P(Mirror, ARootRotationReachesKiosksPinnedToTheOldRootThroughTheBranch) {
  const KeyPair new_root = package::generate_key_pair();
  const auto rotated = rotate_root(*centre_store_, {{keys_.root}, {new_root}, 1, std::nullopt}, seconds_now());
  ASSERT_TRUE(rotated.ok()) << rotated.error().describe();
  // A branch installed after the rotation, pinned to root 2: it still serves root 1 to older kiosks.
  std::ofstream(pinned_root_, std::ios::trunc) << centre_store_->repository_file("root/2.json").value().value();
  auto mirror = start_mirror();
  ASSERT_NE(mirror, nullptr);
  ASSERT_TRUE(mirror->mirror_now().ok()) << mirror->stats().last_error;
  EXPECT_EQ(branch_store_->repository_file("root/1.json").value(), centre_store_->repository_file("root/1.json").value());
  const fs::path old_root = folder_ / "old-root.json";
  std::ofstream(old_root) << centre_store_->repository_file("root/1.json").value().value();
  Kiosk kiosk(folder_ / "kiosk", old_root, branch_->url());
  ASSERT_TRUE(kiosk.update(keys_.trust()));
  EXPECT_EQ(kiosk.state.root().version, 2u);
}

TEST_P(Mirror, ABranchPinnedToAnotherRootMirrorsNothing) {
  Keys strangers;
  auto other = testing::open_test_store((folder_ / "other.sqlite").string());
  ASSERT_TRUE(init_repository(*other, strangers.repository(), seconds_now()).ok());
  std::ofstream(pinned_root_, std::ios::trunc) << other->repository_file("root/1.json").value().value();
  auto mirror = start_mirror();
  ASSERT_NE(mirror, nullptr);
  ASSERT_FALSE(mirror->mirror_now().ok());
  ASSERT_TRUE(mirror->stats().last_refusal.has_value());
  EXPECT_EQ(mirror->stats().last_refusal->kind, distribution::RefusalKind::signature) << mirror->stats().last_error;
  EXPECT_FALSE(branch_store_->repository_file("timestamp.json").value().has_value());
  EXPECT_EQ(blobs_served(*centre_), 0u);
}

// This build's pavilion-hub as a child process, its standard output in a file; stopped with
// SIGTERM and waited for when it goes.
class HubProgram {
 public:
  HubProgram(std::vector<std::string> arguments, const fs::path& output) : output_(output) {
    arguments.insert(arguments.begin(), PAVILION_HUB_PROGRAM);
    std::vector<char*> argv;
    for (std::string& argument : arguments) argv.push_back(argument.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, output.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    EXPECT_EQ(posix_spawn(&pid_, PAVILION_HUB_PROGRAM, &actions, nullptr, argv.data(), environ), 0);
    posix_spawn_file_actions_destroy(&actions);
  }
  ~HubProgram() {
    if (pid_ <= 0) return;
    kill(pid_, SIGTERM);
    int status = 0;
    waitpid(pid_, &status, 0);
  }
  HubProgram(const HubProgram&) = delete;
  HubProgram& operator=(const HubProgram&) = delete;

  // Its standard output once it has written `count` lines (within 20 s), or "".
  std::string output(size_t count = 1) const {
    for (int wait = 0; wait < 2000; ++wait) {
      const auto bytes = read_file(output_);
      const std::string text = bytes ? std::string(reinterpret_cast<const char*>(bytes->data()), bytes->size()) : "";
      if (static_cast<size_t>(std::ranges::count(text, '\n')) >= count) return text;
      std::this_thread::sleep_for(10ms);
    }
    return {};
  }
  // Waits for it to end by itself; its exit status.
  int wait() {
    int status = 0;
    waitpid(std::exchange(pid_, 0), &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

 private:
  fs::path output_;
  pid_t pid_ = 0;
};

// The program as a branch installs it: `enrol --relay` at the centre, hub.json's upstream, serve.
TEST_P(Mirror, TheServeCommandOfABranchForwardsItsKiosksEventsAndMirrorsTheCentre) {
  std::ofstream(folder_ / "centre.json") << nlohmann::json{{"database", "centre.sqlite"}}.dump();
  std::string relay_token;
  {
    HubProgram enrol({"enrol", "branch-12-hub", "--relay", "--branch", "branch-12", "--config", (folder_ / "centre.json").string()},
                     folder_ / "relay-token");
    ASSERT_EQ(enrol.wait(), 0);
    relay_token = enrol.output();
    ASSERT_EQ(relay_token.size(), 49u) << relay_token;  // 48 hex digits and a newline
  }
  branch_.reset();  // the program takes the branch's place, on the same database
  std::ofstream(folder_ / "branch.json") << nlohmann::json{
      {"listen", "127.0.0.1:0"},
      {"database", branch_database_},
      {"retention_days", 0},
      {"repository_folder", "branch-program-repository"},
      {"upstream", {{"url", centre_->url()}, {"token_file", "relay-token"}, {"root", pinned_root_.filename().string()}, {"poll_seconds", 1}}}}
                                              .dump();
  std::string kiosk_token;
  {
    HubProgram enrol({"enrol", "branch-12-kiosk-1", "--branch", "branch-12", "--config", (folder_ / "branch.json").string()},
                     folder_ / "kiosk-token");
    ASSERT_EQ(enrol.wait(), 0);
    kiosk_token = enrol.output();
    kiosk_token.pop_back();
  }
  HubProgram branch({"serve", "--config", (folder_ / "branch.json").string()}, folder_ / "serve.out");
  const std::string listening = branch.output();
  ASSERT_TRUE(listening.starts_with("listening on http://")) << listening;
  const std::string url = listening.substr(13, listening.size() - 14);

  // A kiosk's batch to the branch reaches the centre.
  http::Client client(http::Endpoint::parse(url).value(), 5s);
  std::vector<telemetry::Event> events;
  const int64_t now = telemetry::system_clock_ms();
  for (uint64_t sequence = 0; sequence < 3; ++sequence) {
    telemetry::Event event;
    event.id = telemetry::make_uuid_v7(now);
    event.sequence = sequence;
    event.created_ms = now;
    event.type = telemetry::EventType::exhibit_open;
    event.subject.assign("vase");
    events.push_back(event);
  }
  const auto stored = client.send({"POST", "/v1/events", {{"Authorization", "Bearer " + kiosk_token}},
                                   telemetry::encode_batch({"branch-12-kiosk-1", now, 0, 0, {}}, events)});
  ASSERT_TRUE(stored.ok()) << stored.error().describe();
  ASSERT_EQ(stored->status, 200) << stored->body;
  const auto at_centre = [&] {
    const auto report = centre_store_->completeness();
    if (!report) return uint64_t{0};
    for (const DeviceCompleteness& device : *report) {
      if (device.device_id == "branch-12-kiosk-1") return device.received;
    }
    return uint64_t{0};
  };
  for (int wait = 0; wait < 1000 && at_centre() < 3; ++wait) std::this_thread::sleep_for(10ms);
  EXPECT_EQ(at_centre(), 3u);

  // The centre's metadata is served by the branch as it is, and a kiosk there updates from it.
  const std::string timestamp = centre_store_->repository_file("timestamp.json").value().value();
  std::string served;
  for (int wait = 0; wait < 1000 && served != timestamp; ++wait) {
    const auto answer = client.send({"GET", "/v1/repository/timestamp.json", {}, {}});
    if (answer && answer->status == 200) served = answer->body;
    std::this_thread::sleep_for(10ms);
  }
  EXPECT_EQ(served, timestamp);
  Kiosk kiosk(folder_ / "kiosk", pinned_root_, url);
  EXPECT_TRUE(kiosk.update(keys_.trust()));
}

INSTANTIATE_TEST_SUITE_P(Hub, Mirror, ::testing::Values("sqlite", "postgresql"), testing::backend_name);

}  // namespace
}  // namespace pavilion::hub

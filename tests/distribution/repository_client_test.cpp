#include "pavilion/core/file.h"
#include "pavilion/distribution/repository_client.h"
#include "fault_server.h"
#include "temporary_folder.h"
#include "test_repository.h"

#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <random>
#include <thread>

namespace pavilion::distribution {
namespace {

std::string random_text(size_t size, uint32_t seed) {
  std::mt19937 random(seed);
  std::string text(size, '\0');
  for (char& c : text) c = static_cast<char>(random());
  return text;
}

ContentHash hash_of(std::string_view text) { return hash_content(std::as_bytes(std::span(text.data(), text.size()))); }

template <class T>
const Refusal& refusal_of(const Checked<T>& checked) {
  EXPECT_TRUE(std::holds_alternative<Refusal>(checked)) << "expected a refusal";
  static const Refusal none;
  const Refusal* refusal = std::get_if<Refusal>(&checked);
  return refusal ? *refusal : none;
}

template <class T>
std::string describe(const Checked<T>& checked) {
  const Refusal* refusal = std::get_if<Refusal>(&checked);
  return refusal ? std::string(to_string(refusal->kind)) + ": " + refusal->detail : "accepted";
}

class Fetching : public ::testing::Test {
 protected:
  RepositoryClient connect(uint64_t bytes_per_second = 0) {
    return RepositoryClient::connect({server_.url(), {}, std::chrono::seconds(5), bytes_per_second}).value();
  }
  std::string stored(const ContentHash& hash) const {
    const auto bytes = read_file(store_.path_of(hash)).value();
    return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
  }

  pavilion::testing::TemporaryFolder folder_;
  pavilion::testing::FaultServer server_;
  BlobStore store_ = BlobStore::open(folder_ / "blobs").value();
  const std::string blob_ = random_text(1 << 20, 1);
  const ContentHash hash_ = hash_of(blob_);
};

TEST_F(Fetching, ATransferCutAtSixteenPointsResumesEachTimeAndStoresOnlyTheRightBytes) {
  server_.put("blobs/" + hash_.to_hex(), blob_);
  RepositoryClient client = connect();
  const uint64_t step = blob_.size() / 16;
  for (uint64_t cut = step; cut < blob_.size(); cut += step) {
    server_.cut_at(cut);
    const auto fetched = client.fetch_blob(hash_, blob_.size(), store_);
    EXPECT_EQ(refusal_of(fetched).kind, RefusalKind::unreachable) << describe(fetched);
    EXPECT_EQ(store_.partial_size(hash_), cut) << "every byte before the cut is kept";
    EXPECT_FALSE(store_.holds(hash_));
  }
  server_.cut_at(std::nullopt);
  const auto fetched = client.fetch_blob(hash_, blob_.size(), store_);
  ASSERT_TRUE(std::holds_alternative<uint64_t>(fetched)) << describe(fetched);
  EXPECT_EQ(std::get<uint64_t>(fetched), step) << "the last call fetched only the last sixteenth";
  EXPECT_TRUE(store_.holds(hash_));
  EXPECT_EQ(stored(hash_), blob_);
  EXPECT_EQ(client.bytes_received(), blob_.size()) << "no byte was fetched twice";
  const auto requests = server_.requests();
  ASSERT_EQ(requests.size(), 16u);
  EXPECT_EQ(requests[0].second, "");
  for (size_t request = 1; request < requests.size(); ++request) {
    EXPECT_EQ(requests[request].second, "bytes=" + std::to_string(request * step) + "-");
  }
  EXPECT_EQ(std::get<uint64_t>(client.fetch_blob(hash_, blob_.size(), store_)), 0u) << "a held blob is not fetched";
  EXPECT_EQ(server_.requests().size(), 16u);
}

TEST_F(Fetching, AServerThatIgnoresRangeIsReadFromTheStartAgain) {
  server_.put("blobs/" + hash_.to_hex(), blob_);
  RepositoryClient client = connect();
  server_.cut_at(blob_.size() / 3);
  EXPECT_EQ(refusal_of(client.fetch_blob(hash_, blob_.size(), store_)).kind, RefusalKind::unreachable);
  server_.cut_at(std::nullopt);
  server_.ignore_range(true);
  const auto fetched = client.fetch_blob(hash_, blob_.size(), store_);
  ASSERT_TRUE(std::holds_alternative<uint64_t>(fetched)) << describe(fetched);
  EXPECT_EQ(std::get<uint64_t>(fetched), blob_.size());
  EXPECT_EQ(stored(hash_), blob_);
  EXPECT_EQ(server_.requests().back().second, "bytes=" + std::to_string(blob_.size() / 3) + "-");
}

TEST_F(Fetching, APartialLongerThanTheServersFileIsDroppedAndFetchedAgain) {
  const std::string small = random_text(1000, 2);
  server_.put("blobs/" + hash_of(small).to_hex(), small);
  {
    std::ofstream partial(store_.partial_path(hash_of(small)), std::ios::binary);
    partial << small << "and more";  // a partial longer than the blob: dropped without asking
  }
  RepositoryClient client = connect();
  const auto fetched = client.fetch_blob(hash_of(small), 1000, store_);
  ASSERT_TRUE(std::holds_alternative<uint64_t>(fetched)) << describe(fetched);
  EXPECT_EQ(stored(hash_of(small)), small);
}

TEST_F(Fetching, ARangeTheServerCannotSatisfyDropsThePartialAndStartsAgain) {
  const std::string shorter = blob_.substr(0, 600);  // the server holds less than the index pins
  server_.put("blobs/" + hash_.to_hex(), shorter);
  {
    std::ofstream partial(store_.partial_path(hash_), std::ios::binary);
    partial << blob_.substr(0, 800);
  }
  RepositoryClient client = connect();
  const auto fetched = client.fetch_blob(hash_, blob_.size(), store_);
  EXPECT_EQ(refusal_of(fetched).kind, RefusalKind::unreachable) << describe(fetched);
  EXPECT_NE(refusal_of(fetched).detail.find("ended after 600 of"), std::string::npos) << describe(fetched);
  const auto requests = server_.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].second, "bytes=800-") << "answered 416";
  EXPECT_EQ(requests[1].second, "") << "then from the start";
  EXPECT_FALSE(store_.holds(hash_));
}

TEST_F(Fetching, MoreBytesThanPinnedAreRefusedAsOversizedAndNothingIsKept) {
  server_.put("blobs/" + hash_.to_hex(), blob_);
  server_.send_extra(10);
  RepositoryClient client = connect();
  const auto fetched = client.fetch_blob(hash_, blob_.size(), store_);
  EXPECT_EQ(refusal_of(fetched).kind, RefusalKind::oversized) << describe(fetched);
  EXPECT_FALSE(store_.holds(hash_));
  EXPECT_EQ(store_.partial_size(hash_), 0u);
  EXPECT_LT(client.bytes_received(), 1024u) << "refused at the Content-Length, before the body";

  server_.put("timestamp.json", std::string(max_timestamp_length + 1, ' '));
  server_.send_extra(0);
  const auto metadata = client.fetch_metadata("timestamp.json", max_timestamp_length, Role::timestamp);
  EXPECT_EQ(refusal_of(metadata).kind, RefusalKind::oversized) << describe(metadata);
  EXPECT_EQ(refusal_of(metadata).role, Role::timestamp);
  EXPECT_NE(refusal_of(metadata).detail.find("/v1/repository/timestamp.json"), std::string::npos);
}

TEST_F(Fetching, AWrongByteIsRefusedAsAWrongHashAndTheDownloadDropped) {
  server_.put("blobs/" + hash_.to_hex(), blob_);
  server_.corrupt_at(blob_.size() - 7);
  RepositoryClient client = connect();
  const auto fetched = client.fetch_blob(hash_, blob_.size(), store_);
  EXPECT_EQ(refusal_of(fetched).kind, RefusalKind::wrong_hash) << describe(fetched);
  EXPECT_EQ(refusal_of(fetched).role, Role::targets);
  EXPECT_FALSE(store_.holds(hash_));
  EXPECT_EQ(store_.partial_size(hash_), 0u) << "a resume must not build on wrong bytes";
  server_.corrupt_at(std::nullopt);
  ASSERT_TRUE(std::holds_alternative<uint64_t>(client.fetch_blob(hash_, blob_.size(), store_)));
  EXPECT_EQ(stored(hash_), blob_);
  // A cache in front may hold the wrong bytes as immutable: the retry asks it to revalidate.
  const auto heads = server_.request_heads();
  ASSERT_EQ(heads.size(), 2u);
  EXPECT_EQ(heads[0].find("no-cache"), std::string::npos) << heads[0];
  EXPECT_NE(heads[1].find("Cache-Control: no-cache"), std::string::npos) << heads[1];
  EXPECT_NE(heads[1].find("Pragma: no-cache"), std::string::npos) << heads[1];
}

TEST_F(Fetching, ABlobAnotherProcessIsFetchingIsLeftToItAndFetchedOnceItIsFree) {
  server_.put("blobs/" + hash_.to_hex(), blob_);
  auto other = store_.claim_partial(hash_).value();  // its own open file, as another process's would be
  ASSERT_TRUE(other);
  ASSERT_TRUE(other->write(std::as_bytes(std::span(blob_.data(), 1000))).ok());
  RepositoryClient client = connect();
  const auto fetched = client.fetch_blob(hash_, blob_.size(), store_);
  EXPECT_EQ(refusal_of(fetched).kind, RefusalKind::unreachable) << describe(fetched);
  EXPECT_NE(refusal_of(fetched).detail.find("another process"), std::string::npos) << describe(fetched);
  EXPECT_TRUE(server_.requests().empty());
  EXPECT_EQ(store_.partial_size(hash_), 1000u) << "the other's bytes untouched";
  other.reset();
  const auto later = client.fetch_blob(hash_, blob_.size(), store_);
  ASSERT_TRUE(std::holds_alternative<uint64_t>(later)) << describe(later);
  EXPECT_EQ(stored(hash_), blob_);
}

TEST_F(Fetching, ABlobTrickledBelowTheMinimumRateIsCutAsTooSlowAndResumesLater) {
  server_.put("blobs/" + hash_.to_hex(), blob_);
  server_.trickle(4096, std::chrono::milliseconds(10));  // some 400 KiB/s
  ClientSettings settings{server_.url(), {}, std::chrono::seconds(5), 0};
  settings.minimum_bytes_per_second = 4 << 20;  // the 1 MiB blob within 0.2 s + 0.25 s
  settings.slow_grace = std::chrono::milliseconds(200);
  RepositoryClient client = RepositoryClient::connect(settings).value();
  const auto started = std::chrono::steady_clock::now();
  const auto fetched = client.fetch_blob(hash_, blob_.size(), store_);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(1500));
  EXPECT_EQ(refusal_of(fetched).kind, RefusalKind::unreachable) << describe(fetched);
  EXPECT_NE(refusal_of(fetched).detail.find("too slow"), std::string::npos) << describe(fetched);
  EXPECT_GT(store_.partial_size(hash_), 0u);
  EXPECT_LT(store_.partial_size(hash_), blob_.size());
  server_.trickle(0, std::chrono::milliseconds(0));
  const auto resumed = client.fetch_blob(hash_, blob_.size(), store_);
  ASSERT_TRUE(std::holds_alternative<uint64_t>(resumed)) << describe(resumed);
  EXPECT_EQ(stored(hash_), blob_);
}

TEST_F(Fetching, OurOwnBandwidthLimitNeverCountsAsTooSlow) {
  const std::string blob = blob_.substr(0, 256 * 1024);
  server_.put("blobs/" + hash_of(blob).to_hex(), blob);
  ClientSettings settings{server_.url(), {}, std::chrono::seconds(5), 256 * 1024};  // about a second
  settings.minimum_bytes_per_second = 4 << 20;  // above the limit: the floor becomes half of it
  settings.slow_grace = std::chrono::milliseconds(200);
  RepositoryClient client = RepositoryClient::connect(settings).value();
  const auto fetched = client.fetch_blob(hash_of(blob), blob.size(), store_);
  ASSERT_TRUE(std::holds_alternative<uint64_t>(fetched)) << describe(fetched);
  EXPECT_EQ(stored(hash_of(blob)), blob);
}

TEST_F(Fetching, AMetadataFileTrickledBelowTheMinimumRateIsCutAsTooSlow) {
  server_.put("timestamp.json", std::string(4000, ' '));
  server_.trickle(100, std::chrono::milliseconds(20));  // the whole file in some 0.8 s
  ClientSettings settings{server_.url(), {}, std::chrono::seconds(5), 0};
  settings.minimum_bytes_per_second = 1 << 20;
  settings.slow_grace = std::chrono::milliseconds(200);
  RepositoryClient client = RepositoryClient::connect(settings).value();
  const auto started = std::chrono::steady_clock::now();
  const auto fetched = client.fetch_metadata("timestamp.json", max_timestamp_length, Role::timestamp);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(600));
  EXPECT_EQ(refusal_of(fetched).kind, RefusalKind::unreachable) << describe(fetched);
  EXPECT_NE(refusal_of(fetched).detail.find("too slow"), std::string::npos) << describe(fetched);
}

TEST_F(Fetching, AMissingFileIsNoneAndAFailingServerIsUnreachableNamingTheAddressAndStatus) {
  RepositoryClient client = connect();
  const auto missing = client.fetch_metadata("root/2.json", max_root_length, Role::root);
  ASSERT_TRUE(std::holds_alternative<std::optional<std::string>>(missing)) << describe(missing);
  EXPECT_FALSE(std::get<std::optional<std::string>>(missing));
  // A blob the signed targets name and the server lacks: most likely a mirror mid-update.
  const auto absent = client.fetch_blob(hash_, blob_.size(), store_);
  EXPECT_EQ(refusal_of(absent).kind, RefusalKind::missing) << describe(absent);
  EXPECT_NE(refusal_of(absent).detail.find("404"), std::string::npos) << describe(absent);
  server_.answer_status(410);
  EXPECT_EQ(refusal_of(client.fetch_blob(hash_, blob_.size(), store_)).kind, RefusalKind::missing);
  const auto gone = client.fetch_metadata("root/2.json", max_root_length, Role::root);
  ASSERT_TRUE(std::holds_alternative<std::optional<std::string>>(gone)) << describe(gone);
  EXPECT_FALSE(std::get<std::optional<std::string>>(gone));

  server_.put("timestamp.json", "{}");
  server_.answer_status(503);
  const auto failing = client.fetch_metadata("timestamp.json", max_timestamp_length, Role::timestamp);
  EXPECT_EQ(refusal_of(failing).kind, RefusalKind::unreachable);
  EXPECT_NE(refusal_of(failing).detail.find(server_.url() + "/v1/repository/timestamp.json"), std::string::npos)
      << refusal_of(failing).detail;
  EXPECT_NE(refusal_of(failing).detail.find("503"), std::string::npos) << refusal_of(failing).detail;

  server_.answer_status(std::nullopt);
  const auto found = client.fetch_metadata("timestamp.json", max_timestamp_length, Role::timestamp);
  ASSERT_TRUE(std::holds_alternative<std::optional<std::string>>(found)) << describe(found);
  EXPECT_EQ(std::get<std::optional<std::string>>(found), std::optional<std::string>("{}"));
}

TEST_F(Fetching, NoRepositoryAtTheAddressIsUnreachable) {
  auto client = RepositoryClient::connect({"http://127.0.0.1:1", {}, std::chrono::seconds(2), 0});
  ASSERT_TRUE(client.ok());
  const auto fetched = client->fetch_metadata("timestamp.json", max_timestamp_length, Role::timestamp);
  EXPECT_EQ(refusal_of(fetched).kind, RefusalKind::unreachable) << describe(fetched);
  EXPECT_FALSE(RepositoryClient::connect({"ftp://hub", {}, std::chrono::seconds(2), 0}).ok());
}

TEST_F(Fetching, TheStopFlagEndsATransferAndKeepsWhatArrived) {
  server_.put("blobs/" + hash_.to_hex(), blob_);
  RepositoryClient client = connect(256 * 1024);
  std::atomic<bool> stop = false;
  std::thread stopper([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    stop = true;
  });
  const auto fetched = client.fetch_blob(hash_, blob_.size(), store_, &stop);
  stopper.join();
  EXPECT_EQ(refusal_of(fetched).kind, RefusalKind::unreachable) << describe(fetched);
  EXPECT_NE(refusal_of(fetched).detail.find("stopped"), std::string::npos) << describe(fetched);
  EXPECT_GT(store_.partial_size(hash_), 0u);
  EXPECT_LT(store_.partial_size(hash_), blob_.size());
  stop = false;
  const auto resumed = RepositoryClient::connect({server_.url(), {}, std::chrono::seconds(5), 0})->fetch_blob(
      hash_, blob_.size(), store_, &stop);
  ASSERT_TRUE(std::holds_alternative<uint64_t>(resumed)) << describe(resumed);
  EXPECT_EQ(stored(hash_), blob_);
}

TEST_F(Fetching, TheBandwidthLimitIsKept) {
  const std::string blob = blob_.substr(0, 512 * 1024);
  server_.put("blobs/" + hash_of(blob).to_hex(), blob);
  RepositoryClient client = connect(1024 * 1024);  // 1 MiB/s: half a second, less the first burst
  const auto started = std::chrono::steady_clock::now();
  const auto fetched = client.fetch_blob(hash_of(blob), blob.size(), store_);
  const auto elapsed = std::chrono::steady_clock::now() - started;
  ASSERT_TRUE(std::holds_alternative<uint64_t>(fetched)) << describe(fetched);
  EXPECT_GE(elapsed, std::chrono::milliseconds(300));
  EXPECT_LT(elapsed, std::chrono::seconds(3));
}

// PROTOCOL.md steps 1–4 against files the central hub's functions write.
class Refreshing : public Fetching {
 protected:
  void SetUp() override {
    pinned_ = folder_ / "root.json";
    std::ofstream(pinned_) << repository_.root_file;
    serve_chain();
  }
  void serve_chain() {
    server_.put("timestamp.json", repository_.timestamp_file);
    server_.put("snapshot/" + std::to_string(repository_.snapshot.version) + ".json", repository_.snapshot_file);
    server_.put("targets/" + std::to_string(repository_.targets.version) + ".json", repository_.targets_file);
  }

  testing::TestRepository repository_;
  std::filesystem::path pinned_;
};

TEST_F(Refreshing, WalksRootVersionsThenFetchesWhatTheTimestampPins) {
  server_.put("root/2.json", repository_.rotate_root(repository_.root_keys));
  server_.put("root/3.json", repository_.rotate_root(repository_.root_keys));
  repository_.sign_chain();
  serve_chain();
  TrustedState state = TrustedState::open(folder_ / "trusted", pinned_).value();
  RepositoryClient client = connect();
  const auto refreshed = refresh_metadata(state, client, testing::now);
  ASSERT_TRUE(std::holds_alternative<std::monostate>(refreshed)) << describe(refreshed);
  EXPECT_EQ(state.root().version, 3u);
  ASSERT_TRUE(state.targets());
  EXPECT_EQ(state.targets()->version, 1u);
  EXPECT_TRUE(state.targets()->packages.contains("gallery@2026.11.1"));

  repository_.publish();
  repository_.targets.packages.clear();
  repository_.targets.channels.clear();
  repository_.targets.campaigns.clear();
  repository_.sign_chain();
  serve_chain();
  const size_t before = server_.requests().size();
  const auto published = refresh_metadata(state, client, testing::now);
  ASSERT_TRUE(std::holds_alternative<std::monostate>(published)) << describe(published);
  EXPECT_EQ(state.targets()->version, 2u);
  EXPECT_TRUE(state.targets()->packages.empty());
  std::vector<std::string> asked;
  for (size_t request = before; request < server_.requests().size(); ++request) asked.push_back(server_.requests()[request].first);
  EXPECT_EQ(asked, (std::vector<std::string>{"/v1/repository/root/4.json", "/v1/repository/timestamp.json",
                                             "/v1/repository/snapshot/2.json", "/v1/repository/targets/2.json"}));

  const size_t unchanged = server_.requests().size();
  const auto again = refresh_metadata(state, client, testing::now);
  ASSERT_TRUE(std::holds_alternative<std::monostate>(again)) << describe(again);
  EXPECT_EQ(server_.requests().size(), unchanged + 2) << "nothing new: a root probe and the timestamp only";
}

TEST_F(Refreshing, ASnapshotLongerThanItsPinIsCutAndRefusedAndTheTrustedStateKept) {
  TrustedState state = TrustedState::open(folder_ / "trusted", pinned_).value();
  RepositoryClient client = connect();
  ASSERT_TRUE(std::holds_alternative<std::monostate>(refresh_metadata(state, client, testing::now)));
  repository_.publish();
  serve_chain();
  server_.put("snapshot/2.json", repository_.snapshot_file + std::string(1 << 20, ' '));  // endless data
  const auto refreshed = refresh_metadata(state, client, testing::now);
  EXPECT_EQ(refusal_of(refreshed).kind, RefusalKind::oversized) << describe(refreshed);
  EXPECT_EQ(refusal_of(refreshed).role, Role::snapshot);
  EXPECT_EQ(state.snapshot()->version, 1u);
  EXPECT_EQ(state.targets()->version, 1u);
  EXPECT_LT(client.bytes_received(), 64u * 1024) << "cut at the pinned length, not read to its end";
}

TEST_F(Refreshing, ASnapshotTheTimestampNamesButTheRepositoryLacksIsMissing) {
  TrustedState state = TrustedState::open(folder_ / "trusted", pinned_).value();
  RepositoryClient client = connect();
  repository_.publish();
  server_.put("timestamp.json", repository_.timestamp_file);  // snapshot/2.json never served
  const auto refreshed = refresh_metadata(state, client, testing::now);
  EXPECT_EQ(refusal_of(refreshed).kind, RefusalKind::missing) << describe(refreshed);
  EXPECT_NE(refusal_of(refreshed).sentence().en.find("lacks a file"), std::string::npos);
  EXPECT_NE(refusal_of(refreshed).detail.find("snapshot/2.json"), std::string::npos) << describe(refreshed);
  EXPECT_FALSE(state.snapshot());
}

TEST_F(Refreshing, ARootNotSignedByTheTrustedKeysStopsTheWalk) {
  const std::vector<package::KeyPair> strangers{package::generate_key_pair(), package::generate_key_pair()};
  repository_.root.root = {{strangers[0].public_key, strangers[1].public_key}, 2};
  server_.put("root/2.json", repository_.rotate_root(strangers));
  TrustedState state = TrustedState::open(folder_ / "trusted", pinned_).value();
  RepositoryClient client = connect();
  const auto refreshed = refresh_metadata(state, client, testing::now);
  EXPECT_EQ(refusal_of(refreshed).kind, RefusalKind::signature) << describe(refreshed);
  EXPECT_EQ(state.root().version, 1u);
  EXPECT_FALSE(state.timestamp()) << "nothing below a refused root is fetched";
}

TEST_F(Refreshing, StopEndsARefreshWithoutWaitingForASlowServer) {
  server_.trickle(50, std::chrono::milliseconds(100));  // the timestamp in several seconds
  ClientSettings settings{server_.url(), {}, std::chrono::seconds(5), 0};
  settings.minimum_bytes_per_second = 0;  // no floor: only the stop flag ends it early
  RepositoryClient client = RepositoryClient::connect(settings).value();
  TrustedState state = TrustedState::open(folder_ / "trusted", pinned_).value();
  std::atomic<bool> stop = false;
  std::thread stopper([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(150));
    stop = true;
  });
  const auto started = std::chrono::steady_clock::now();
  const auto refreshed = refresh_metadata(state, client, testing::now, &stop);
  stopper.join();
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(1000));
  EXPECT_EQ(refusal_of(refreshed).kind, RefusalKind::unreachable) << describe(refreshed);
  EXPECT_NE(refusal_of(refreshed).detail.find("stopped"), std::string::npos) << describe(refreshed);
  EXPECT_FALSE(state.timestamp());
}

}  // namespace
}  // namespace pavilion::distribution

// The central hub as the package repository (hub/README.md, "The package repository"): init,
// publishing into the blob store and signed metadata, campaigns, root rotation, the timestamp's
// renewal, serving over real HTTP (ETags, ranges, 304, 416), refusals of packages it cannot
// publish, and hub processes sharing PostgreSQL that never fork a version.
#include "backends.h"
#include "damage.h"

#include "pavilion/core/file.h"
#include "pavilion/distribution/metadata.h"
#include "pavilion/distribution/repository_client.h"
#include "pavilion/distribution/trusted_state.h"
#include "pavilion/http/client.h"
#include "pavilion/hub/repository.h"
#include "pavilion/hub/server.h"
#include "pavilion/package/reader.h"
#include "pavilion/package/writer.h"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <netinet/in.h>
#include <nlohmann/json.hpp>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <thread>

namespace pavilion::hub {
namespace {

namespace fs = std::filesystem;
using distribution::Role;
using package::KeyPair;
using testing::TemporaryFolder;

constexpr Seconds now = 1'800'000'000;  // 2027-01-15T08:00:00Z

struct Keys {
  KeyPair root1 = package::generate_key_pair();
  KeyPair root2 = package::generate_key_pair();
  KeyPair targets = package::generate_key_pair();
  KeyPair snapshot = package::generate_key_pair();
  KeyPair timestamp = package::generate_key_pair();
  KeyPair curator = package::generate_key_pair();

  NewRepository repository() const { return {{root1, root2}, 2, targets, snapshot, timestamp}; }
  OnlineKeys online() const { return {targets, snapshot, timestamp}; }
  package::TrustPolicy trust() const { return {{curator.public_key}, false, false}; }
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

fs::path write_package(const fs::path& folder, std::string_view id, std::string_view version,
                       const std::vector<uint32_t>& texture_seeds, const KeyPair* key) {
  package::PackageWriter writer;
  for (const uint32_t seed : texture_seeds) writer.add(package::prepare_blob(package::BlobKind::texture, texture(seed), 1));
  writer.set_manifest(nlohmann::json{{"format", 1}, {"id", id}, {"version", version}}.dump());
  const fs::path path = folder / fmt::format("{}-{}.pvpkg", id, version);
  const auto written = writer.write(path, key);
  EXPECT_TRUE(written.ok()) << written.error().describe();
  return path;
}

std::string file_of(Store& store, const std::string& name) {
  auto file = store.repository_file(name);
  EXPECT_TRUE(file.ok()) << file.error().describe();
  EXPECT_TRUE(file.ok() && file->has_value()) << name << " is not stored";
  return file.ok() && file->has_value() ? **file : std::string();
}

template <class T>
T accepted(distribution::Checked<T> checked) {
  if (const auto* refusal = std::get_if<distribution::Refusal>(&checked)) {
    ADD_FAILURE() << refusal->detail;
    return T();
  }
  return std::get<T>(checked);
}

bool signed_well(std::string_view file, Role role, const distribution::RoleKeys& keys) {
  const auto checked = distribution::check_signatures(file, role, keys);
  if (const auto* refusal = std::get_if<distribution::Refusal>(&checked)) ADD_FAILURE() << refusal->detail;
  return std::holds_alternative<std::monostate>(checked);
}

// The blob store's files (heads and blobs), partial downloads aside.
size_t blob_files(const distribution::BlobStore& blobs) {
  size_t count = 0;
  for (const auto& entry : fs::recursive_directory_iterator(blobs.folder())) {
    if (entry.is_regular_file() && entry.path().parent_path().filename() != "partial") ++count;
  }
  return count;
}

// The newest targets as the timestamp names them, each file on the way checked against the root.
struct Chain {
  distribution::Root root;
  distribution::Timestamp timestamp;
  distribution::Snapshot snapshot;
  distribution::Targets targets;
};
Chain verified_chain(Store& store, uint64_t root_version = 1) {
  Chain chain;
  const std::string root = file_of(store, fmt::format("root/{}.json", root_version));
  chain.root = accepted(distribution::read_root(root));
  EXPECT_TRUE(signed_well(root, Role::root, chain.root.root));
  const std::string timestamp = file_of(store, "timestamp.json");
  EXPECT_TRUE(signed_well(timestamp, Role::timestamp, chain.root.timestamp));
  chain.timestamp = accepted(distribution::read_timestamp(timestamp));
  const std::string snapshot = file_of(store, fmt::format("snapshot/{}.json", chain.timestamp.snapshot.version));
  EXPECT_EQ(distribution::pin_of(snapshot, chain.timestamp.snapshot.version), chain.timestamp.snapshot);
  EXPECT_TRUE(signed_well(snapshot, Role::snapshot, chain.root.snapshot));
  chain.snapshot = accepted(distribution::read_snapshot(snapshot));
  const std::string targets = file_of(store, fmt::format("targets/{}.json", chain.snapshot.targets.version));
  EXPECT_EQ(distribution::pin_of(targets, chain.snapshot.targets.version), chain.snapshot.targets);
  EXPECT_TRUE(signed_well(targets, Role::targets, chain.root.targets));
  chain.targets = accepted(distribution::read_targets(targets));
  return chain;
}

class RepositoryTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    store_ = testing::open_test_store(testing::test_database(GetParam(), folder_));
    ASSERT_NE(store_, nullptr);
    auto blobs = distribution::BlobStore::open(folder_ / "repository/blobs");
    ASSERT_TRUE(blobs.ok()) << blobs.error().describe();
    blobs_.emplace(std::move(blobs).value());
    const auto made = init_repository(*store_, keys_.repository(), now);
    ASSERT_TRUE(made.ok()) << made.error().describe();
  }
  Result<Published> publish(const fs::path& package, std::string_view channel = "permanent") {
    return publish_package(*store_, *blobs_, keys_.online(), package, channel, keys_.trust(), now);
  }

  TemporaryFolder folder_;
  Keys keys_;
  std::unique_ptr<Store> store_;
  std::optional<distribution::BlobStore> blobs_;
};

TEST_P(RepositoryTest, InitMakesARootSignedByItsThresholdAndEmptyMetadata) {
  const Chain chain = verified_chain(*store_);
  EXPECT_EQ(chain.root.version, 1u);
  EXPECT_EQ(chain.root.root.threshold, 2u);
  EXPECT_EQ(chain.root.root.keys, (std::vector{keys_.root1.public_key, keys_.root2.public_key}));
  EXPECT_EQ(chain.root.expires, now + root_lifetime);
  EXPECT_EQ(chain.timestamp.version, 1u);
  EXPECT_EQ(chain.timestamp.expires, now + timestamp_lifetime);
  EXPECT_EQ(chain.targets.expires, now + targets_lifetime);
  EXPECT_TRUE(chain.targets.packages.empty());
  // A second init would make a second root 1.
  const auto again = init_repository(*store_, keys_.repository(), now);
  ASSERT_FALSE(again.ok());
  EXPECT_NE(again.error().why().find("already holds a repository"), std::string::npos) << again.error().why();
}

TEST_P(RepositoryTest, PublishedPackageIsSignedInTargetsAndReassemblesFromTheBlobStore) {
  const fs::path package = write_package(folder_.path(), "gallery", "1.0.0", {1, 2, 3}, &keys_.curator);
  const auto published = publish(package);
  ASSERT_TRUE(published.ok()) << published.error().describe();
  EXPECT_EQ(published->targets_version, 2u);
  EXPECT_EQ(published->blobs_written, 4u);  // three textures and the head
  EXPECT_EQ(published->blobs_already_held, 0u);

  const Chain chain = verified_chain(*store_);
  EXPECT_EQ(chain.timestamp.version, 2u);
  EXPECT_EQ(chain.snapshot.version, 2u);
  EXPECT_EQ(chain.targets.version, 2u);
  ASSERT_EQ(chain.targets.packages.count("gallery@1.0.0"), 1u);
  const distribution::PackageTarget& target = chain.targets.packages.at("gallery@1.0.0");
  EXPECT_EQ(target.size, fs::file_size(package));
  EXPECT_EQ(target.blob_count, 3u);
  EXPECT_EQ(chain.targets.channels.at("permanent"), std::vector<std::string>{"gallery@1.0.0"});

  // What a kiosk fetches (the head by its hash, each blob by its stored hash) opens as the
  // package, its signature intact and its blobs readable.
  ASSERT_TRUE(blobs_->holds(target.head_hash));
  EXPECT_EQ(fs::file_size(blobs_->path_of(target.head_hash)), target.head_length);
  auto reader = package::PackageReader::open_stored(
      blobs_->path_of(target.head_hash), [&](const ContentHash& hash) { return blobs_->path_of(hash); }, keys_.trust());
  ASSERT_TRUE(reader.ok()) << reader.error().describe();
  ASSERT_EQ((*reader)->index().size(), 3u);
  for (uint32_t blob = 0; blob < 3; ++blob) {
    const auto content = (*reader)->read_blob(blob);
    ASSERT_TRUE(content.ok()) << content.error().describe();
  }
}

TEST_P(RepositoryTest, ANewVersionWithOneTextureChangedStoresOnlyThatBlobAndItsHead) {
  ASSERT_TRUE(publish(write_package(folder_.path(), "gallery", "1.0.0", {1, 2, 3}, &keys_.curator)).ok());
  const size_t before = blob_files(*blobs_);
  EXPECT_EQ(before, 4u);
  const auto second = publish(write_package(folder_.path(), "gallery", "1.1.0", {1, 2, 4}, &keys_.curator));
  ASSERT_TRUE(second.ok()) << second.error().describe();
  EXPECT_EQ(second->blobs_written, 2u);
  EXPECT_EQ(second->blobs_already_held, 2u);
  EXPECT_EQ(blob_files(*blobs_), before + 2);

  // The new version replaces the old in its channel, and targets forgets the old.
  const Chain chain = verified_chain(*store_);
  EXPECT_EQ(chain.targets.version, 3u);
  EXPECT_EQ(chain.targets.channels.at("permanent"), std::vector<std::string>{"gallery@1.1.0"});
  EXPECT_EQ(chain.targets.packages.count("gallery@1.0.0"), 0u);

  // The same package again changes nothing but versions; other contents under one version are refused.
  ASSERT_TRUE(publish(folder_ / "gallery-1.1.0.pvpkg").ok());
  EXPECT_EQ(blob_files(*blobs_), before + 2);
  const fs::path other = folder_ / "other";
  fs::create_directories(other);
  const auto changed = publish(write_package(other, "gallery", "1.1.0", {1, 2, 5}, &keys_.curator));
  ASSERT_FALSE(changed.ok());
  EXPECT_NE(changed.error().why().find("already published with other contents"), std::string::npos);
}

TEST_P(RepositoryTest, RefusesPackagesItCannotPublishAndChangesNothing) {
  auto refusal = [&](const fs::path& package) {
    const auto published = publish(package);
    EXPECT_FALSE(published.ok()) << package;
    return published.ok() ? std::string() : published.error().describe();
  };
  const fs::path text = folder_ / "notes.pvpkg";
  ASSERT_TRUE(write_file_atomic(text, std::as_bytes(std::span(std::string_view("not a package at all")))).ok());
  EXPECT_NE(refusal(text).find("notes.pvpkg"), std::string::npos);

  fs::create_directories(folder_ / "unsigned");
  EXPECT_NE(refusal(write_package(folder_ / "unsigned", "gallery", "1.0.0", {1}, nullptr)).find("unsigned"), std::string::npos);
  fs::create_directories(folder_ / "stranger");
  const KeyPair stranger = package::generate_key_pair();
  EXPECT_NE(refusal(write_package(folder_ / "stranger", "gallery", "1.0.0", {1}, &stranger)).find("trust"), std::string::npos);

  // A blob's bytes changed on the way (its index, which the signature covers, is intact).
  fs::create_directories(folder_ / "damaged");
  const fs::path damaged = write_package(folder_ / "damaged", "gallery", "1.0.0", {1, 2}, &keys_.curator);
  {
    auto reader = package::PackageReader::open(damaged, keys_.trust());
    ASSERT_TRUE(reader.ok());
    testing::flip_byte(damaged, (*reader)->index()[1].offset + 10);
  }
  EXPECT_NE(refusal(damaged).find("damaged"), std::string::npos);

  // Written before stored hashes: 64-byte index entries, signed again.
  fs::create_directories(folder_ / "old");
  const fs::path old = write_package(folder_ / "old", "gallery", "1.0.0", {1}, &keys_.curator);
  {
    std::vector<std::byte> bytes = read_file(old).value();
    package::Header header;
    std::memcpy(&header, bytes.data(), sizeof(header));
    package::IndexEntry entry;
    std::memcpy(&entry, bytes.data() + header.index_offset, sizeof(entry));
    std::fill_n(bytes.begin() + static_cast<ptrdiff_t>(header.index_offset), sizeof(package::IndexEntryWithStoredHash),
                std::byte{0});
    std::memcpy(bytes.data() + header.index_offset, &entry, sizeof(entry));
    header.index_entry_size = sizeof(package::IndexEntry);
    const std::string_view manifest(reinterpret_cast<const char*>(bytes.data() + header.manifest_offset), header.manifest_size);
    header.signature = package::sign(keys_.curator, package::signed_bytes(header, manifest, std::as_bytes(std::span(&entry, 1))));
    std::memcpy(bytes.data(), &header, sizeof(header));
    ASSERT_TRUE(write_file_atomic(old, bytes).ok());
  }
  EXPECT_NE(refusal(old).find("re-pack it with this pavilion-pack"), std::string::npos);

  const Chain chain = verified_chain(*store_);
  EXPECT_EQ(chain.targets.version, 1u);
  EXPECT_TRUE(chain.targets.packages.empty());
}

TEST_P(RepositoryTest, CampaignsAndChannelsChangeTargets) {
  ASSERT_TRUE(publish(write_package(folder_.path(), "lanterns", "1.0.0", {7}, &keys_.curator), "spring-festival").ok());
  const distribution::Campaign campaign{"spring-2027", "spring-festival", {"branch-12", "branch-14"},
                                        "2027-01-28T08:00", "2027-02-12T21:00", 7};
  const auto added = add_campaign(*store_, keys_.online(), campaign, now);
  ASSERT_TRUE(added.ok()) << added.error().describe();
  Chain chain = verified_chain(*store_);
  ASSERT_EQ(chain.targets.campaigns.count("spring-2027"), 1u);
  EXPECT_EQ(chain.targets.campaigns.at("spring-2027").branches, campaign.branches);
  EXPECT_EQ(chain.targets.campaigns.at("spring-2027").starts, "2027-01-28T08:00");

  for (const auto& [starts, ends] : {std::pair{"2027-01-28 08:00", "2027-02-12T21:00"}, {"2027-02-30T08:00", "2027-03-01T08:00"},
                                     {"2027-02-12T21:00", "2027-01-28T08:00"}}) {
    distribution::Campaign wrong = campaign;
    wrong.starts = starts;
    wrong.ends = ends;
    EXPECT_FALSE(add_campaign(*store_, keys_.online(), wrong, now).ok()) << starts << " " << ends;
  }
  ASSERT_TRUE(remove_campaign(*store_, keys_.online(), "spring-2027", now).ok());
  EXPECT_FALSE(remove_campaign(*store_, keys_.online(), "spring-2027", now).ok());
  ASSERT_TRUE(remove_from_channel(*store_, keys_.online(), "spring-festival", "lanterns", now).ok());
  chain = verified_chain(*store_);
  EXPECT_TRUE(chain.targets.campaigns.empty());
  EXPECT_TRUE(chain.targets.channels.empty());
  EXPECT_TRUE(chain.targets.packages.empty());
}

// Targets kiosks would refuse stop the whole fleet's updates, and a stored version is never
// written again: the hub refuses to sign them, and its own state stays readable.
TEST_P(RepositoryTest, NoCommandSignsTargetsAKioskWouldRefuse) {
  const distribution::Campaign campaign{"spring-2027", "spring-festival", {}, "2027-01-28T08:00", "2027-02-12T21:00", 7};
  const auto before_its_channel = add_campaign(*store_, keys_.online(), campaign, now);
  ASSERT_FALSE(before_its_channel.ok());
  EXPECT_NE(before_its_channel.error().why().find("publish one first"), std::string::npos)
      << before_its_channel.error().describe();
  EXPECT_EQ(verified_chain(*store_).targets.version, 1u);

  ASSERT_TRUE(publish(write_package(folder_.path(), "lanterns", "1.0.0", {7}, &keys_.curator), "spring-festival").ok());
  // Names the reader refuses (a leading '.'), wherever they are in the campaign.
  distribution::Campaign hidden = campaign;
  hidden.name = ".spring";
  distribution::Campaign hidden_branch = campaign;
  hidden_branch.branches = {".branch-12"};
  for (const distribution::Campaign& wrong : {hidden, hidden_branch}) {
    const auto added = add_campaign(*store_, keys_.online(), wrong, now);
    ASSERT_FALSE(added.ok()) << wrong.name;
    EXPECT_NE(added.error().why().find("kiosks could not read"), std::string::npos) << added.error().describe();
  }
  EXPECT_EQ(verified_chain(*store_).targets.version, 2u);

  ASSERT_TRUE(add_campaign(*store_, keys_.online(), campaign, now).ok());
  const auto emptied = remove_from_channel(*store_, keys_.online(), "spring-festival", "lanterns", now);
  ASSERT_FALSE(emptied.ok());
  EXPECT_NE(emptied.error().why().find("campaign remove spring-2027"), std::string::npos) << emptied.error().describe();
  const Chain chain = verified_chain(*store_);
  EXPECT_EQ(chain.targets.version, 3u);
  EXPECT_EQ(chain.targets.channels.at("spring-festival"), std::vector<std::string>{"lanterns@1.0.0"});
  // The hub can still change what it holds.
  const auto next = publish(write_package(folder_.path(), "lanterns", "1.0.1", {8}, &keys_.curator), "spring-festival");
  ASSERT_TRUE(next.ok()) << next.error().describe();
  EXPECT_EQ(next->targets_version, 4u);
}

TEST_P(RepositoryTest, TheTimestampIsSignedAgainOnceAnHourOldAndTargetsBeforeTheyExpire) {
  auto renew = [&](Seconds at) {
    const auto renewed = renew_metadata(*store_, keys_.online(), at);
    EXPECT_TRUE(renewed.ok()) << renewed.error().describe();
    return renewed.ok() && *renewed;
  };
  EXPECT_FALSE(renew(now + 1800));
  EXPECT_TRUE(renew(now + 3601));
  Chain chain = verified_chain(*store_);
  EXPECT_EQ(chain.timestamp.version, 2u);
  EXPECT_EQ(chain.timestamp.expires, now + 3601 + timestamp_lifetime);
  EXPECT_EQ(chain.snapshot.version, 1u);
  EXPECT_FALSE(renew(now + 3601 + 60));
  // Without the targets key only the timestamp is renewed, however close targets' expiry.
  const Seconds late = now + targets_lifetime - 86'400;
  OnlineKeys timestamp_only{std::nullopt, std::nullopt, keys_.timestamp};
  ASSERT_TRUE(renew_metadata(*store_, timestamp_only, late).value());
  EXPECT_EQ(verified_chain(*store_).targets.version, 1u);
  EXPECT_TRUE(renew(late + 60));
  chain = verified_chain(*store_);
  EXPECT_EQ(chain.targets.version, 2u);
  EXPECT_EQ(chain.targets.expires, late + 60 + targets_lifetime);
  EXPECT_EQ(chain.timestamp.version, 4u);
  // A key the root does not name signs nothing.
  OnlineKeys stranger{std::nullopt, std::nullopt, package::generate_key_pair()};
  EXPECT_FALSE(renew_metadata(*store_, stranger, late + 7200).ok());
}

TEST_P(RepositoryTest, ANewRootIsSignedByTheOldThresholdAndTheNewKeys) {
  const KeyPair root3 = package::generate_key_pair();
  const KeyPair new_timestamp = package::generate_key_pair();
  // One of two old keys is below the old threshold.
  const auto short_of_keys = rotate_root(*store_, {{keys_.root1}, {root3}, 1, std::nullopt}, now);
  ASSERT_FALSE(short_of_keys.ok());
  EXPECT_NE(short_of_keys.error().why().find("not enough"), std::string::npos) << short_of_keys.error().why();

  const auto rotated = rotate_root(*store_, {{keys_.root1, keys_.root2}, {root3}, 1, new_timestamp}, now + 60);
  ASSERT_TRUE(rotated.ok()) << rotated.error().describe();
  EXPECT_EQ(*rotated, 2u);
  const distribution::Root first = accepted(distribution::read_root(file_of(*store_, "root/1.json")));
  const std::string second_file = file_of(*store_, "root/2.json");
  EXPECT_TRUE(signed_well(second_file, Role::root, first.root));
  // The chain from root 2 verifies: the timestamp was signed at once with the new key.
  const Chain chain = verified_chain(*store_, 2);
  EXPECT_EQ(chain.root.root.keys, std::vector{root3.public_key});
  EXPECT_EQ(chain.root.timestamp.keys, std::vector{new_timestamp.public_key});
  EXPECT_EQ(chain.timestamp.version, 2u);
  // The old timestamp key is revoked: the hub holding it renews nothing.
  EXPECT_FALSE(renew_metadata(*store_, keys_.online(), now + 7200).ok());
}

INSTANTIATE_TEST_SUITE_P(Repository, RepositoryTest, ::testing::Values("sqlite", "postgresql"), testing::backend_name);

// A raw HTTP exchange, for what the test client does not send (HEAD).
std::string raw_exchange(uint16_t port, const std::string& request) {
  const int socket = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  EXPECT_EQ(::connect(socket, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
  EXPECT_EQ(::send(socket, request.data(), request.size(), 0), static_cast<ssize_t>(request.size()));
  std::string answer;
  std::array<char, 4096> buffer{};
  for (ssize_t got = 0; (got = ::recv(socket, buffer.data(), buffer.size(), 0)) > 0;) answer.append(buffer.data(), got);
  ::close(socket);
  return answer;
}

std::string header_of(const http::Response& response, std::string_view name) {
  for (const auto& [field, value] : response.headers) {
    if (field.size() == name.size() && strncasecmp(field.data(), name.data(), name.size()) == 0) return value;
  }
  return {};
}

class RepositoryServing : public ::testing::Test {
 protected:
  void SetUp() override {
    HubConfig config;
    config.port = 0;
    config.retention_days = 0;
    config.threads = 2;
    config.repository_folder = folder_ / "repository";
    auto store = open_store((folder_ / "hub.sqlite").string());
    ASSERT_TRUE(store.ok()) << store.error().describe();
    std::shared_ptr<Store> shared = std::move(store).value();
    ASSERT_TRUE(init_repository(*shared, keys_.repository(), now).ok());
    auto blobs = distribution::BlobStore::open(config.repository_folder / "blobs");
    ASSERT_TRUE(blobs.ok());
    const fs::path package = write_package(folder_.path(), "gallery", "1.0.0", {1, 2}, &keys_.curator);
    auto published = publish_package(*shared, *blobs, keys_.online(), package, "permanent", keys_.trust(), now);
    ASSERT_TRUE(published.ok()) << published.error().describe();
    head_ = published->target.head_hash;
    head_bytes_ = read_file(blobs->path_of(head_)).value();
    auto server = HubServer::start(config, shared);
    ASSERT_TRUE(server.ok()) << server.error().describe();
    server_ = std::move(server).value();
    client_ = std::make_unique<http::Client>(http::Endpoint::parse(server_->url()).value(), std::chrono::seconds(10));
  }
  http::Response get(std::string target, std::vector<std::pair<std::string, std::string>> headers = {},
                     std::string method = "GET") {
    auto response = client_->send({std::move(method), std::move(target), std::move(headers), {}});
    EXPECT_TRUE(response.ok()) << response.error().describe();
    return response.ok() ? *response : http::Response();
  }
  std::string head_path() const { return "/v1/repository/blobs/" + head_.to_hex(); }

  TemporaryFolder folder_;
  Keys keys_;
  ContentHash head_;
  std::vector<std::byte> head_bytes_;
  std::unique_ptr<HubServer> server_;
  std::unique_ptr<http::Client> client_;
};

TEST_F(RepositoryServing, MetadataIsServedAsStoredTheTimestampRevalidatedTheRestImmutable) {
  const http::Response timestamp = get("/v1/repository/timestamp.json");
  ASSERT_EQ(timestamp.status, 200);
  EXPECT_EQ(timestamp.body, file_of(server_->store(), "timestamp.json"));
  EXPECT_EQ(header_of(timestamp, "Cache-Control"), "no-cache");
  const std::string etag = header_of(timestamp, "ETag");
  ASSERT_EQ(etag.size(), 66u);
  const http::Response unchanged = get("/v1/repository/timestamp.json", {{"If-None-Match", etag}});
  EXPECT_EQ(unchanged.status, 304);
  EXPECT_TRUE(unchanged.body.empty());

  for (const std::string name : {"root/1.json", "snapshot/2.json", "targets/2.json", "targets/1.json"}) {
    const http::Response file = get("/v1/repository/" + name);
    ASSERT_EQ(file.status, 200) << name;
    EXPECT_EQ(file.body, file_of(server_->store(), name));
    EXPECT_EQ(header_of(file, "Cache-Control"), "public, max-age=31536000, immutable");
  }
  // A root not yet made: the client's walk ends here, and no cache may keep the answer.
  const http::Response absent = get("/v1/repository/root/2.json");
  EXPECT_EQ(absent.status, 404);
  EXPECT_EQ(header_of(absent, "Cache-Control"), "no-store");
  // Only the names the repository serves: the timestamps' history, leading zeros, other methods.
  for (const std::string target : {"/v1/repository/timestamp/2.json", "/v1/repository/root/01.json",
                                   "/v1/repository/root/1.json/", "/v1/repository/../healthz", "/v1/repository/",
                                   "/v1/repository/targets/-1.json", "/v1/repository/root/x.json"}) {
    EXPECT_EQ(get(target).status, 404) << target;
  }
  const http::Response posted = get("/v1/repository/timestamp.json", {}, "POST");
  EXPECT_EQ(posted.status, 405);
  EXPECT_EQ(header_of(posted, "Allow"), "GET, HEAD");
}

TEST_F(RepositoryServing, BlobsHaveStrongETagsRangesAnd304) {
  const uint64_t size = head_bytes_.size();
  const std::string whole(reinterpret_cast<const char*>(head_bytes_.data()), size);
  const http::Response full = get(head_path());
  ASSERT_EQ(full.status, 200);
  EXPECT_EQ(full.body, whole);
  const std::string etag = "\"" + head_.to_hex() + "\"";
  EXPECT_EQ(header_of(full, "ETag"), etag);
  EXPECT_EQ(header_of(full, "Cache-Control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(header_of(full, "Accept-Ranges"), "bytes");
  EXPECT_EQ(full.content_type, "application/octet-stream");

  EXPECT_EQ(get(head_path(), {{"If-None-Match", etag}}).status, 304);
  EXPECT_EQ(get(head_path(), {{"If-None-Match", "\"0000\", " + etag}}).status, 304);

  const http::Response resumed = get(head_path(), {{"Range", "bytes=100-"}});
  ASSERT_EQ(resumed.status, 206);
  EXPECT_EQ(resumed.body, whole.substr(100));
  EXPECT_EQ(header_of(resumed, "Content-Range"), fmt::format("bytes 100-{}/{}", size - 1, size));
  const http::Response middle = get(head_path(), {{"Range", "bytes=10-19"}});
  ASSERT_EQ(middle.status, 206);
  EXPECT_EQ(middle.body, whole.substr(10, 10));
  const http::Response tail = get(head_path(), {{"Range", "bytes=-7"}});
  ASSERT_EQ(tail.status, 206);
  EXPECT_EQ(tail.body, whole.substr(size - 7));
  // A range past the end (a partial file already whole) is unsatisfiable and says the size.
  const http::Response beyond = get(head_path(), {{"Range", fmt::format("bytes={}-", size)}});
  EXPECT_EQ(beyond.status, 416);
  EXPECT_EQ(header_of(beyond, "Content-Range"), fmt::format("bytes */{}", size));
  // If-Range naming another version: the whole blob.
  EXPECT_EQ(get(head_path(), {{"Range", "bytes=100-"}, {"If-Range", "\"other\""}}).status, 200);

  // Strict names: upper-case hex, a short hash, a blob not held.
  std::string upper = head_.to_hex();
  std::ranges::transform(upper, upper.begin(), [](char c) { return static_cast<char>(std::toupper(c)); });
  EXPECT_EQ(get("/v1/repository/blobs/" + upper).status, 404);
  EXPECT_EQ(get("/v1/repository/blobs/" + head_.to_hex().substr(1)).status, 404);
  EXPECT_EQ(get("/v1/repository/blobs/" + std::string(64, 'a')).status, 404);

  // HEAD: the headers with the body's length, no body.
  const std::string answer = raw_exchange(server_->port(), fmt::format("HEAD {} HTTP/1.1\r\nHost: hub\r\nConnection: close\r\n\r\n",
                                                                       head_path()));
  EXPECT_TRUE(answer.starts_with("HTTP/1.1 200")) << answer;
  EXPECT_NE(answer.find(fmt::format("Content-Length: {}\r\n", size)), std::string::npos) << answer;
  EXPECT_TRUE(answer.ends_with("\r\n\r\n")) << answer;
  const std::string timestamp = file_of(server_->store(), "timestamp.json");
  const std::string metadata = raw_exchange(
      server_->port(), "HEAD /v1/repository/timestamp.json HTTP/1.1\r\nHost: hub\r\nConnection: close\r\n\r\n");
  EXPECT_NE(metadata.find(fmt::format("Content-Length: {}\r\n", timestamp.size())), std::string::npos) << metadata;
  EXPECT_TRUE(metadata.ends_with("\r\n\r\n")) << metadata;
}

template <class T>
bool taken(const distribution::Checked<T>& checked) {
  if (const auto* refusal = std::get_if<distribution::Refusal>(&checked)) ADD_FAILURE() << refusal->detail;
  return std::holds_alternative<T>(checked);
}

// A kiosk's side over real HTTP: its trusted state from the pinned root accepts what the hub
// serves, and it fetches the package's head and then the blobs the head names that it lacks.
TEST_F(RepositoryServing, AKioskTrustsWhatIsServedAndFetchesOnlyTheChangedBlobOfANewVersion) {
  const fs::path kiosk = folder_ / "kiosk";
  fs::create_directories(kiosk);
  const std::string root = file_of(server_->store(), "root/1.json");
  ASSERT_TRUE(write_file_atomic(kiosk / "root.json", std::as_bytes(std::span(root))).ok());
  auto state = distribution::TrustedState::open(kiosk / "trusted", kiosk / "root.json");
  ASSERT_TRUE(state.ok()) << state.error().describe();
  auto kiosk_blobs = distribution::BlobStore::open(kiosk / "blobs");
  ASSERT_TRUE(kiosk_blobs.ok());
  auto client = distribution::RepositoryClient::connect({server_->url()});
  ASSERT_TRUE(client.ok()) << client.error().describe();

  // What the newest targets name of `key`: its head, then each blob not already held. Returns
  // how many files were fetched.
  auto install = [&](const std::string& key) -> size_t {
    EXPECT_TRUE(taken(distribution::refresh_metadata(*state, *client, now)));
    const distribution::PackageTarget target = state->targets()->packages.at(key);
    size_t fetched = 0;
    if (!kiosk_blobs->holds(target.head_hash)) {
      EXPECT_TRUE(taken(client->fetch_blob(target.head_hash, target.head_length, *kiosk_blobs)));
      ++fetched;
    }
    const std::vector<std::byte> head = read_file(kiosk_blobs->path_of(target.head_hash)).value();
    package::Header header;
    std::memcpy(&header, head.data(), sizeof(header));
    for (uint32_t blob = 0; blob < header.blob_count; ++blob) {
      package::IndexEntryWithStoredHash entry;
      std::memcpy(&entry, head.data() + header.index_offset + blob * sizeof(entry), sizeof(entry));
      if (kiosk_blobs->holds(entry.stored_hash)) continue;
      EXPECT_TRUE(taken(client->fetch_blob(entry.stored_hash, entry.entry.stored_size, *kiosk_blobs)));
      ++fetched;
    }
    auto reader = package::PackageReader::open_stored(
        kiosk_blobs->path_of(target.head_hash), [&](const ContentHash& hash) { return kiosk_blobs->path_of(hash); },
        keys_.trust());
    EXPECT_TRUE(reader.ok()) << reader.error().describe();
    return fetched;
  };
  EXPECT_EQ(install("gallery@1.0.0"), 3u);  // the head and two textures
  EXPECT_EQ(state->targets()->version, 2u);

  // The centre publishes the next version with one texture changed: the head and that texture.
  auto blobs = distribution::BlobStore::open(folder_ / "repository/blobs").value();
  fs::create_directories(folder_ / "next");
  const fs::path next = write_package(folder_ / "next", "gallery", "1.1.0", {1, 3}, &keys_.curator);
  ASSERT_TRUE(publish_package(server_->store(), blobs, keys_.online(), next, "permanent", keys_.trust(), now + 60).ok());
  EXPECT_EQ(install("gallery@1.1.0"), 2u);
  EXPECT_EQ(state->targets()->version, 3u);
  EXPECT_EQ(state->timestamp()->version, 3u);
}

// Two hub processes on one PostgreSQL database (two stores, each with its own connections, and a
// server on each) publishing and renewing at once: every change lands, the versions run on without
// a gap or a second file of one version, and both servers serve the same newest timestamp.
TEST(RepositoryOnPostgres, TwoHubsChangingTheRepositoryAtOnceNeverForkAVersion) {
  TemporaryFolder folder;
  Keys keys;
  const std::string uri = testing::create_test_database().value();
  std::shared_ptr<Store> first = testing::open_test_store(uri);
  std::shared_ptr<Store> second = testing::open_test_store(uri);
  ASSERT_TRUE(first && second);
  ASSERT_TRUE(init_repository(*first, keys.repository(), now).ok());
  HubConfig config;
  config.port = 0;
  config.retention_days = 0;
  config.threads = 2;
  config.repository_folder = folder / "repository";
  auto first_server = HubServer::start(config, first);
  auto second_server = HubServer::start(config, second);
  ASSERT_TRUE(first_server.ok() && second_server.ok());

  constexpr int per_hub = 6;
  std::vector<fs::path> packages;
  for (int index = 0; index < 2 * per_hub; ++index) {
    packages.push_back(write_package(folder.path(), fmt::format("package-{}", index), "1.0.0",
                                     {static_cast<uint32_t>(index)}, &keys.curator));
  }
  auto hub = [&](Store& store, int first_package) {
    auto blobs = distribution::BlobStore::open(config.repository_folder / "blobs").value();
    for (int index = first_package; index < first_package + per_hub; ++index) {
      const auto published =
          publish_package(store, blobs, keys.online(), packages[index], "permanent", keys.trust(), now);
      EXPECT_TRUE(published.ok()) << published.error().describe();
      // The running hub's timestamp renewal, as if an hour had passed each time.
      const auto renewed = renew_metadata(store, keys.online(), now + 3600 * (index + 1));
      EXPECT_TRUE(renewed.ok()) << renewed.error().describe();
    }
  };
  std::thread one(hub, std::ref(*first), 0);
  std::thread other(hub, std::ref(*second), per_hub);
  one.join();
  other.join();

  const Chain chain = verified_chain(*first);
  EXPECT_EQ(chain.targets.packages.size(), static_cast<size_t>(2 * per_hub)) << "a publication was lost";
  EXPECT_EQ(chain.targets.version, 1u + 2 * per_hub);
  // Every version of each role, one file each, and each snapshot pins the targets of its version.
  for (uint64_t version = 1; version <= chain.targets.version; ++version) {
    const std::string snapshot = file_of(*second, fmt::format("snapshot/{}.json", version));
    const auto pinned = accepted(distribution::read_snapshot(snapshot)).targets;
    EXPECT_EQ(pinned.version, version);
    EXPECT_EQ(distribution::pin_of(file_of(*second, fmt::format("targets/{}.json", version)), version), pinned);
  }
  for (uint64_t version = 1; version <= chain.timestamp.version; ++version) {
    const auto timestamp = accepted(distribution::read_timestamp(file_of(*second, fmt::format("timestamp/{}.json", version))));
    EXPECT_EQ(timestamp.version, version);
  }
  http::Client first_client(http::Endpoint::parse((*first_server)->url()).value(), std::chrono::seconds(10));
  http::Client second_client(http::Endpoint::parse((*second_server)->url()).value(), std::chrono::seconds(10));
  const auto from_first = first_client.send({"GET", "/v1/repository/timestamp.json", {}, {}});
  const auto from_second = second_client.send({"GET", "/v1/repository/timestamp.json", {}, {}});
  ASSERT_TRUE(from_first.ok() && from_second.ok());
  EXPECT_EQ(from_first->body, from_second->body);
  EXPECT_EQ(accepted(distribution::read_timestamp(from_first->body)).version, chain.timestamp.version);
}

// The running hub holding the timestamp key signs a timestamp found over an hour old at once.
TEST(RepositoryRenewal, AServerWithTheTimestampKeyRenewsAnHourOldTimestamp) {
  TemporaryFolder folder;
  Keys keys;
  const Seconds two_hours_ago = std::chrono::duration_cast<std::chrono::seconds>(
                                    std::chrono::system_clock::now().time_since_epoch()).count() - 7200;
  std::shared_ptr<Store> store = testing::open_test_store((folder / "hub.sqlite").string());
  ASSERT_TRUE(store && init_repository(*store, keys.repository(), two_hours_ago).ok());
  HubConfig config;
  config.port = 0;
  config.retention_days = 0;
  config.threads = 1;
  config.timestamp_key = folder / "timestamp.key";
  ASSERT_TRUE(package::write_key_files(keys.timestamp, config.timestamp_key, folder / "timestamp.pub").ok());
  auto server = HubServer::start(config, store);
  ASSERT_TRUE(server.ok()) << server.error().describe();
  uint64_t version = 1;
  for (int wait = 0; wait < 100 && version == 1; ++wait) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    version = accepted(distribution::read_timestamp(file_of(*store, "timestamp.json"))).version;
  }
  EXPECT_EQ(version, 2u);
  const Chain chain = verified_chain(*store);
  EXPECT_GT(chain.timestamp.expires, two_hours_ago + 7200 + timestamp_lifetime - 60);
}

// pavilion-hub's own commands, as a curator at the centre types them, with key files as
// `pavilion-pack keygen` writes them.
TEST(RepositoryCommands, InitPublishAndACampaignFromTheCommandLine) {
  TemporaryFolder folder;
  Keys keys;
  for (const auto& [name, key] : {std::pair{"root-1", &keys.root1}, {"root-2", &keys.root2}, {"targets", &keys.targets},
                                  {"snapshot", &keys.snapshot}, {"timestamp", &keys.timestamp}, {"curator", &keys.curator}}) {
    ASSERT_TRUE(package::write_key_files(*key, folder / (std::string(name) + ".key"), folder / (std::string(name) + ".pub")).ok());
  }
  const std::string config = R"({"database": "hub.sqlite", "targets_key": "targets.key", "snapshot_key": "snapshot.key",
                                 "timestamp_key": "timestamp.key"})";
  ASSERT_TRUE(write_file_atomic(folder / "hub.json", std::as_bytes(std::span(config))).ok());
  const fs::path package = write_package(folder.path(), "gallery", "1.0.0", {1, 2}, &keys.curator);
  fs::create_directories(folder / "unsigned");
  const fs::path unsigned_package = write_package(folder / "unsigned", "gallery", "1.0.1", {1}, nullptr);
  // The exit status, with what the command printed in `output`.
  std::string output;
  auto run = [&](const std::string& arguments) {
    const std::string command = fmt::format("cd {} && {} {} --config hub.json > out.txt 2>&1", folder.path().string(),
                                            PAVILION_HUB_PROGRAM, arguments);
    const int status = std::system(command.c_str());
    const auto printed = read_file(folder / "out.txt");
    output = printed.ok() ? std::string(reinterpret_cast<const char*>(printed->data()), printed->size()) : "";
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  };
  EXPECT_EQ(run("repository init --root-key root-1.key --root-key root-2.key --threshold 2 --targets-key targets.key "
                "--snapshot-key snapshot.key --timestamp-key timestamp.key"), 0) << output;
  EXPECT_EQ(run(fmt::format("publish {} --channel permanent --trusted-key curator.pub", package.string())), 0) << output;
  EXPECT_NE(output.find("published gallery@1.0.0 in permanent as targets version 2: 3 new blobs"), std::string::npos)
      << output;
  EXPECT_EQ(run(fmt::format("publish {} --channel permanent --trusted-key curator.pub", unsigned_package.string())), 1);
  EXPECT_NE(output.find("unsigned"), std::string::npos) << output;
  EXPECT_EQ(run(fmt::format("publish {} --channel permanent", package.string())), 2) << output;
  EXPECT_EQ(run("campaign add spring-2027 --channel permanent --starts 2027-01-28T08:00 --ends 2027-02-12T21:00 "
                "--branches branch-12,branch-14 --stage-days 10"), 0) << output;

  auto store = open_store((folder / "hub.sqlite").string());
  ASSERT_TRUE(store.ok());
  const Chain chain = verified_chain(**store);
  EXPECT_EQ(chain.root.root.threshold, 2u);
  EXPECT_EQ(chain.targets.channels.at("permanent"), std::vector<std::string>{"gallery@1.0.0"});
  const distribution::Campaign& campaign = chain.targets.campaigns.at("spring-2027");
  EXPECT_EQ(campaign.branches, (std::vector<std::string>{"branch-12", "branch-14"}));
  EXPECT_EQ(campaign.stage_days, 10u);
  EXPECT_TRUE(fs::is_directory(folder / "pavilion-hub-repository/blobs"));
}

TEST(RepositoryConfig, TheFolderIsBesideTheDatabaseUnlessTheEnvironmentNamesOne) {
  TemporaryFolder folder;
  auto environment = [&](std::optional<std::string> repository) {
    return [&, repository](const char* name) -> std::optional<std::string> {
      if (std::string_view(name) == "PAVILION_HUB_DATABASE") return (folder / "state/hub.sqlite").string();
      if (std::string_view(name) == "PAVILION_HUB_REPOSITORY") return repository;
      return std::nullopt;
    };
  };
  EXPECT_EQ(load_hub_config(std::nullopt, environment(std::nullopt)).value().repository_folder,
            folder / "state/pavilion-hub-repository");
  EXPECT_EQ(load_hub_config(std::nullopt, environment("/srv/repository")).value().repository_folder,
            fs::path("/srv/repository"));
}

}  // namespace
}  // namespace pavilion::hub

// Debian's nginx as a caching proxy in front of the central hub's blobs (hub/README.md, "Behind
// an HTTP cache"): nginx runs unprivileged on a loopback port with a configuration, cache and logs
// in the test's folder; kiosks fetch a published package's blobs through it, and once a blob is
// in the cache the hub is not asked for it again (its /metrics count), nginx saying HIT — whole
// blobs and byte ranges alike. Skipped only where nginx is not installed (scripts/setup installs
// it).
#include "backends.h"

#include "pavilion/core/file.h"
#include "pavilion/distribution/repository_client.h"
#include "pavilion/http/client.h"
#include "pavilion/hub/repository.h"
#include "pavilion/hub/server.h"
#include "pavilion/package/reader.h"
#include "pavilion/package/writer.h"
#include "pavilion/support/nginx_server.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <regex>

namespace pavilion::hub {
namespace {

namespace fs = std::filesystem;

constexpr Seconds now = 1'800'000'000;  // 2027-01-15T08:00:00Z

// The cache in front of the hub, as a library would configure it: blobs cached (they never change:
// the hub says immutable, and proxy_cache_valid keeps them without it too), one request upstream
// per blob however many kiosks ask at once (proxy_cache_lock), everything else passed through.
support::NginxSettings cache_settings(const fs::path& program, const fs::path& folder, uint16_t hub_port) {
  const std::string upstream = fmt::format("http://127.0.0.1:{}", hub_port);
  support::NginxSettings settings;
  settings.program = program;
  settings.folder = folder;
  settings.http_directives = fmt::format(
      "  proxy_cache_path {}/cache levels=1:2 keys_zone=blobs:1m max_size=256m inactive=30d use_temp_path=off;",
      folder.string());
  settings.server_directives = fmt::format(R"(    location /v1/repository/blobs/ {{
      proxy_pass {upstream};
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_cache blobs;
      proxy_cache_valid 200 30d;
      proxy_cache_lock on;
      add_header X-Cache-Status $upstream_cache_status always;
    }}
    location / {{
      proxy_pass {upstream};
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }})",
                                           fmt::arg("upstream", upstream));
  return settings;
}

// Bytes that do not compress away, different for each seed.
std::vector<std::byte> texture(uint32_t seed, size_t size) {
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

std::string header(const http::Response& response, std::string_view name) {
  for (const auto& [key, value] : response.headers) {
    if (key.size() == name.size() && std::equal(key.begin(), key.end(), name.begin(), [](char a, char b) {
          return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
        })) {
      return value;
    }
  }
  return {};
}

struct Blob {
  ContentHash hash;
  uint64_t length = 0;
};

class NginxCache : public ::testing::Test {
 protected:
  void SetUp() override {
    nginx_program_ = support::find_nginx();
    if (!nginx_program_) GTEST_SKIP() << "nginx is not installed (scripts/setup installs Debian's nginx)";
    const package::KeyPair root = package::generate_key_pair();
    const package::KeyPair targets = package::generate_key_pair();
    const package::KeyPair snapshot = package::generate_key_pair();
    const package::KeyPair timestamp = package::generate_key_pair();
    const package::KeyPair curator = package::generate_key_pair();
    HubConfig config;
    config.port = 0;
    config.retention_days = 0;
    config.threads = 2;
    config.repository_folder = folder_ / "repository";
    std::shared_ptr<Store> store = testing::open_test_store((folder_ / "hub.sqlite").string());
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(init_repository(*store, {{root}, 1, targets, snapshot, timestamp}, now).ok());
    auto blobs = distribution::BlobStore::open(config.repository_folder / "blobs");
    ASSERT_TRUE(blobs.ok()) << blobs.error().describe();

    // A package of three textures of 300 KB, published into the hub's blob store.
    package::PackageWriter writer;
    for (uint32_t seed = 1; seed <= 3; ++seed) {
      writer.add(package::prepare_blob(package::BlobKind::texture, texture(seed, 300'000), 1));
    }
    writer.set_manifest(nlohmann::json{{"format", 1}, {"id", "gallery"}, {"version", "1.0.0"}}.dump());
    const fs::path file = folder_ / "gallery-1.0.0.pvpkg";
    ASSERT_TRUE(writer.write(file, &curator).ok());
    const package::TrustPolicy trust{{curator.public_key}, false, false};
    auto published = publish_package(*store, *blobs, {targets, snapshot, timestamp}, file, "permanent", trust, now);
    ASSERT_TRUE(published.ok()) << published.error().describe();
    blobs_.push_back({published->target.head_hash, published->target.head_length});
    auto stored = package::PackageReader::open_stored(
        blobs->path_of(published->target.head_hash), [&](const ContentHash& hash) { return blobs->path_of(hash); }, trust);
    ASSERT_TRUE(stored.ok()) << stored.error().describe();
    for (const ContentHash& hash : (*stored)->stored_hashes()) blobs_.push_back({hash, fs::file_size(blobs->path_of(hash))});
    ASSERT_EQ(blobs_.size(), 4u);
    blob_bytes_ = read_file(blobs->path_of(blobs_[1].hash)).value();

    auto server = HubServer::start(config, store);
    ASSERT_TRUE(server.ok()) << server.error().describe();
    hub_ = std::move(server).value();
    hub_client_ = std::make_unique<http::Client>(http::Endpoint::parse(hub_->url()).value(), std::chrono::seconds(10));
    auto nginx = support::NginxServer::start(cache_settings(*nginx_program_, folder_ / "nginx", hub_->port()));
    ASSERT_TRUE(nginx.ok()) << nginx.error().describe();
    nginx_ = std::move(nginx).value();
    cache_client_ = std::make_unique<http::Client>(http::Endpoint::parse(nginx_->url()).value(), std::chrono::seconds(10));
  }

  // Requests for blobs the hub has answered, by its /metrics.
  uint64_t hub_blob_requests() {
    auto metrics = hub_client_->send({"GET", "/metrics", {}, {}});
    EXPECT_TRUE(metrics.ok()) << metrics.error().describe();
    if (!metrics.ok()) return 0;
    static const std::regex line(R"re(pavilion_hub_requests_total\{route="/v1/repository/blobs",status="\d+"\} (\d+))re");
    uint64_t total = 0;
    for (std::sregex_iterator found(metrics->body.begin(), metrics->body.end(), line), end; found != end; ++found) {
      total += std::stoull((*found)[1].str());
    }
    return total;
  }
  http::Response through_cache(const Blob& blob, std::vector<std::pair<std::string, std::string>> headers = {}) {
    auto response = cache_client_->send({"GET", "/v1/repository/blobs/" + blob.hash.to_hex(), std::move(headers), {}});
    EXPECT_TRUE(response.ok()) << response.error().describe();
    return response.ok() ? *response : http::Response();
  }

  testing::TemporaryFolder folder_;
  std::optional<fs::path> nginx_program_;
  std::vector<Blob> blobs_;  // the head first
  std::vector<std::byte> blob_bytes_;  // blobs_[1]'s
  std::unique_ptr<HubServer> hub_;
  std::unique_ptr<http::Client> hub_client_;
  std::unique_ptr<support::NginxServer> nginx_;
  std::unique_ptr<http::Client> cache_client_;
};

TEST_F(NginxCache, ServesABlobTheSecondTimeWithoutAskingTheHub) {
  const std::string body(reinterpret_cast<const char*>(blob_bytes_.data()), blob_bytes_.size());
  ASSERT_EQ(hub_blob_requests(), 0u);
  const http::Response first = through_cache(blobs_[1]);
  ASSERT_EQ(first.status, 200) << first.body << nginx_->error_log();
  EXPECT_EQ(header(first, "X-Cache-Status"), "MISS");
  EXPECT_EQ(first.body, body);
  // What lets any cache keep it: a strong validator and an immutable lifetime, passed on by nginx.
  EXPECT_EQ(header(first, "ETag"), fmt::format("\"{}\"", blobs_[1].hash.to_hex()));
  EXPECT_NE(header(first, "Cache-Control").find("immutable"), std::string::npos) << header(first, "Cache-Control");
  EXPECT_EQ(hub_blob_requests(), 1u);

  const http::Response second = through_cache(blobs_[1]);
  ASSERT_EQ(second.status, 200);
  EXPECT_EQ(header(second, "X-Cache-Status"), "HIT");
  EXPECT_EQ(second.body, body);
  EXPECT_EQ(header(second, "ETag"), header(first, "ETag"));
  // A resumed download's range, and a kiosk's revalidation, from the cache too.
  const http::Response range = through_cache(blobs_[1], {{"Range", "bytes=1000-1999"}});
  ASSERT_EQ(range.status, 206);
  EXPECT_EQ(header(range, "X-Cache-Status"), "HIT");
  EXPECT_EQ(range.body, body.substr(1000, 1000));
  const http::Response revalidated = through_cache(blobs_[1], {{"If-None-Match", header(first, "ETag")}});
  EXPECT_EQ(revalidated.status, 304);
  EXPECT_EQ(hub_blob_requests(), 1u) << "the hub was asked again for a blob the cache holds";
}

// Two kiosks' repository clients fetch the whole package through the cache into their own blob
// stores: the hub serves each blob once, the second kiosk's bytes all come from nginx.
TEST_F(NginxCache, TwoKiosksFetchingThroughItCostTheHubEachBlobOnce) {
  for (int kiosk = 0; kiosk < 2; ++kiosk) {
    auto client = distribution::RepositoryClient::connect({nginx_->url()});
    ASSERT_TRUE(client.ok()) << client.error().describe();
    auto store = distribution::BlobStore::open(folder_ / fmt::format("kiosk-{}", kiosk));
    ASSERT_TRUE(store.ok()) << store.error().describe();
    for (const Blob& blob : blobs_) {
      const auto fetched = client->fetch_blob(blob.hash, blob.length, *store);
      const auto* refusal = std::get_if<distribution::Refusal>(&fetched);
      ASSERT_EQ(refusal, nullptr) << refusal->detail;
      EXPECT_EQ(std::get<uint64_t>(fetched), blob.length);
      EXPECT_TRUE(store->holds(blob.hash));
    }
    EXPECT_EQ(hub_blob_requests(), blobs_.size()) << "after kiosk " << kiosk;
  }
}

}  // namespace
}  // namespace pavilion::hub

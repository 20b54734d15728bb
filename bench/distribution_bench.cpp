// distribution_bench: what package distribution (engine/distribution/PROTOCOL.md) costs, on real
// hubs over loopback HTTP, each figure beside a reference measured in the same run. A kiosk here
// is what the kiosk's updater holds: a TrustedState pinned to the centre's root, a BlobStore and a
// RepositoryClient, in a folder of its own.
//
//   bytes:   a package of --megabytes of incompressible textures of --texture-megabytes each is
//            published; a kiosk fetches it all (the reference: a full download). One texture is
//            changed and the package published again; the kiosk updates: the metadata, head and
//            blob bytes it fetched against the full download (the issue's goal: the new blob,
//            metadata and at most 64 KiB more).
//   serving: the published blobs streamed by 1 and by --connections clients at once from the hub,
//            against Debian's nginx serving the same files of the same blob folder statically
//            (sendfile), rounds alternating which goes first: MB/s each and hub / nginx.
//   polls:   a kiosk's poll with nothing new, as each minute's is (a new connection, since the hub
//            closes idle ones after 30 s; root/N+1.json 404, then timestamp.json unchanged): the
//            hub's CPU per poll (its own threads' time on a CPU, the polling threads' not counted)
//            against nginx serving the same two files (its processes'), and what 200 kiosks
//            polling every minute cost the hub.
//   branch:  a campaign package of --megabytes published at the centre, mirrored by one branch
//            hub (the WAN), fetched from the branch by --kiosks kiosks, --concurrent at a time (the
//            LAN): bytes on each, and the time from publishing until every kiosk holds it
//            verified; the reference: one kiosk fetching it straight from the centre. Each
//            kiosk's folder is removed once it holds the package, so the disk needs
//            --concurrent copies, not --kiosks.
//
//   distribution_bench [--megabytes 200] [--texture-megabytes 2] [--kiosks 50] [--concurrent 4]
//                      [--connections 4] [--polls 2000] [--runs 3] [--part bytes|serving|polls|branch]
#include "pavilion/distribution/blob_store.h"
#include "pavilion/distribution/repository_client.h"
#include "pavilion/distribution/trusted_state.h"
#include "pavilion/http/client.h"
#include "pavilion/hub/config.h"
#include "pavilion/hub/mirror.h"
#include "pavilion/hub/repository.h"
#include "pavilion/hub/server.h"
#include "pavilion/hub/store.h"
#include "pavilion/package/reader.h"
#include "pavilion/package/writer.h"
#include "pavilion/support/nginx_server.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <mutex>
#include <regex>
#include <thread>
#include <vector>

#include <sys/wait.h>
#include <unistd.h>

namespace {

using namespace pavilion;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;
using distribution::Seconds;

struct Settings {
  uint64_t megabytes = 200;
  uint64_t texture_megabytes = 2;
  size_t kiosks = 50;
  size_t concurrent = 4;
  size_t connections = 4;
  size_t polls = 2000;
  size_t runs = 3;
  std::string part;  // empty: every part
};

[[noreturn]] void fail(std::string_view message) {
  fmt::print(stderr, "distribution_bench: {}\n", message);
  std::exit(1);
}

template <class T>
T must(Result<T> result) {
  if (!result) fail(result.error().describe());
  return std::move(result).value();
}

void must(Result<void> result) {
  if (!result) fail(result.error().describe());
}

template <class T>
T accepted(distribution::Checked<T> checked, std::string_view what) {
  if (const auto* refusal = std::get_if<distribution::Refusal>(&checked)) {
    fail(fmt::format("{}: refused ({}): {}", what, distribution::to_string(refusal->kind), refusal->detail));
  }
  return std::get<T>(std::move(checked));
}

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

Seconds seconds_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

double mb(uint64_t bytes) { return static_cast<double>(bytes) / 1e6; }
double kib(uint64_t bytes) { return static_cast<double>(bytes) / 1024.0; }

// CPU seconds of a thread or process so far: its time on a CPU, in nanoseconds, from the
// scheduler (/proc/PID/schedstat; a single-threaded nginx worker's all).
double cpu_seconds(const fs::path& schedstat_file) {
  std::ifstream schedstat(schedstat_file);
  uint64_t nanoseconds = 0;
  schedstat >> nanoseconds;
  return static_cast<double>(nanoseconds) / 1e9;
}

// Every thread of this process but the main one. Taken when no client thread runs, it is the
// servers' threads alone: the polling threads, and the resolver threads each new connection's
// Asio context starts, have ended by then, and their time must not count as the hub's.
double other_threads_cpu_seconds() {
  double seconds = 0;
  const std::string main_thread = std::to_string(::getpid());
  for (const auto& task : fs::directory_iterator("/proc/self/task")) {
    if (task.path().filename() != main_thread) seconds += cpu_seconds(task.path() / "schedstat");
  }
  return seconds;
}

// An nginx master's workers: its children (Linux lists them per thread).
std::vector<pid_t> child_processes(pid_t pid) {
  std::ifstream children(fmt::format("/proc/{}/task/{}/children", pid, pid));
  std::vector<pid_t> pids;
  for (pid_t child = 0; children >> child;) pids.push_back(child);
  return pids;
}

// ---- Packages and hubs ----------------------------------------------------------------------

// Bytes that do not compress away, different for each seed (as a photographed page's texture,
// already compressed, behaves).
std::vector<std::byte> texture(uint64_t seed, size_t size) {
  std::vector<std::byte> bytes(size);
  uint64_t state = seed * 0x9E3779B97F4A7C15ull + 1;
  for (size_t at = 0; at < size; at += sizeof state) {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    std::memcpy(bytes.data() + at, &state, std::min(sizeof state, size - at));
  }
  return bytes;
}

struct Keys {
  package::KeyPair root = package::generate_key_pair();
  package::KeyPair targets = package::generate_key_pair();
  package::KeyPair snapshot = package::generate_key_pair();
  package::KeyPair timestamp = package::generate_key_pair();
  package::KeyPair curator = package::generate_key_pair();
  hub::OnlineKeys online() const { return {targets, snapshot, timestamp}; }
  package::TrustPolicy trust() const { return {{curator.public_key}, false, false}; }
};

// A package of one texture blob per seed, signed by the curator; returns its file's size.
uint64_t write_package(const fs::path& path, std::string_view id, std::string_view version,
                       const std::vector<uint64_t>& seeds, size_t texture_bytes, const Keys& keys) {
  package::PackageWriter writer;
  for (const uint64_t seed : seeds) {
    writer.add(package::prepare_blob(package::BlobKind::texture, texture(seed, texture_bytes), 1));
  }
  writer.set_manifest(nlohmann::json{{"format", 1}, {"id", id}, {"version", version}}.dump());
  must(writer.write(path, &keys.curator));
  return fs::file_size(path);
}

// A hub's settings with its database and repository in `folder` (made here).
hub::HubConfig hub_config(const fs::path& folder) {
  fs::create_directories(folder);
  hub::HubConfig config;
  config.port = 0;
  config.retention_days = 0;
  config.database = (folder / "hub.sqlite").string();
  config.repository_folder = folder / "repository";
  return config;
}

// The central hub: a repository made with the bench's keys, serving on loopback; packages are
// published into it as `pavilion-hub publish` does.
struct Centre {
  Centre(const fs::path& folder, const Keys& repository_keys)
      : keys(repository_keys),
        config(hub_config(folder)),
        pinned_root(folder / "centre-root.json"),
        store(must(hub::open_store(config.database))),
        blobs(must(distribution::BlobStore::open(config.repository_folder / "blobs"))) {
    must(hub::init_repository(*store, {{keys.root}, 1, keys.targets, keys.snapshot, keys.timestamp}, seconds_now()));
    server = must(hub::HubServer::start(config, store));
    std::ofstream(pinned_root) << must(store->repository_file("root/1.json")).value();
  }

  hub::Published publish(const fs::path& package, std::string_view channel) {
    return must(hub::publish_package(*store, blobs, keys.online(), package, channel, keys.trust(), seconds_now()));
  }

  // Every head and blob of a published package, the head first.
  std::vector<std::pair<ContentHash, uint64_t>> files_of(const distribution::PackageTarget& target) const {
    std::vector<std::pair<ContentHash, uint64_t>> files{{target.head_hash, target.head_length}};
    const auto head = must(package::PackageReader::open_head(blobs.path_of(target.head_hash), keys.trust()));
    for (size_t blob = 0; blob < head->index().size(); ++blob) {
      files.emplace_back(head->stored_hashes()[blob], head->index()[blob].stored_size);
    }
    return files;
  }

  // Blob and head requests the hub answered with their bytes (its /metrics).
  uint64_t blobs_served() const {
    http::Client client(must(http::Endpoint::parse(server->url())), 10s);
    const auto metrics = must(client.send({"GET", "/metrics", {}, {}}));
    static const std::regex line(R"re(pavilion_hub_requests_total\{route="/v1/repository/blobs",status="200"\} (\d+))re");
    std::smatch found;
    return std::regex_search(metrics.body, found, line) ? std::stoull(found[1].str()) : 0;
  }

  const Keys& keys;
  hub::HubConfig config;
  fs::path pinned_root;  // root/1.json, as each kiosk and branch is installed with
  std::shared_ptr<hub::Store> store;
  distribution::BlobStore blobs;
  std::unique_ptr<hub::HubServer> server;
};

// What one update of a kiosk fetched: body bytes by kind (HTTP headers not counted).
struct Fetched {
  uint64_t metadata = 0;
  uint64_t heads = 0;
  uint64_t blobs = 0;
  size_t blob_count = 0;  // blobs alone, heads not counted
  uint64_t total() const { return metadata + heads + blobs; }
};

// A kiosk as its updater holds one: trusted metadata pinned to the centre's root, its own blob
// store, one repository client.
struct Kiosk {
  Kiosk(const fs::path& folder, const fs::path& pinned_root, const std::string& url)
      : state(must(distribution::TrustedState::open(folder / "trusted", pinned_root))),
        blobs(must(distribution::BlobStore::open(folder / "blobs"))),
        client(must(distribution::RepositoryClient::connect({url, {}, 30s, 0}))) {}

  // Refreshes the metadata, fetches what it lacks of every package targets names, and opens each
  // from its stored head and blobs as the kiosk would show it.
  Fetched update(const package::TrustPolicy& trust) {
    Fetched fetched;
    const uint64_t before = client.bytes_received();
    accepted(distribution::refresh_metadata(state, client, seconds_now()), "refreshing the metadata");
    fetched.metadata = client.bytes_received() - before;
    for (const auto& [key, target] : state.targets()->packages) {
      if (!blobs.holds(target.head_hash)) {
        fetched.heads += accepted(client.fetch_blob(target.head_hash, target.head_length, blobs), "fetching a head");
      }
      const auto head = must(package::PackageReader::open_head(blobs.path_of(target.head_hash), trust));
      for (size_t blob = 0; blob < head->index().size(); ++blob) {
        const ContentHash& hash = head->stored_hashes()[blob];
        if (blobs.holds(hash)) continue;
        fetched.blobs += accepted(client.fetch_blob(hash, head->index()[blob].stored_size, blobs), "fetching a blob");
        ++fetched.blob_count;
      }
      must(package::PackageReader::open_stored(
          blobs.path_of(target.head_hash), [&](const ContentHash& hash) { return blobs.path_of(hash); }, trust));
    }
    return fetched;
  }

  distribution::TrustedState state;
  distribution::BlobStore blobs;
  distribution::RepositoryClient client;
};

std::vector<uint64_t> texture_seeds(const Settings& settings) {
  std::vector<uint64_t> seeds(std::max<uint64_t>(1, settings.megabytes / settings.texture_megabytes));
  for (size_t index = 0; index < seeds.size(); ++index) seeds[index] = index + 1;
  return seeds;
}

size_t texture_bytes(const Settings& settings) { return settings.texture_megabytes * 1'000'000; }

// ---- bytes: one texture changed -------------------------------------------------------------

void bytes_part(const Settings& settings, const fs::path& folder) {
  fmt::print("\n== bytes: one texture changed in a {} MB package, against a full download ==\n", settings.megabytes);
  const Keys keys;
  Centre centre(folder / "centre", keys);
  std::vector<uint64_t> seeds = texture_seeds(settings);
  const fs::path file = folder / "package.pvpkg";
  const uint64_t package_size = write_package(file, "gallery", "1.0.0", seeds, texture_bytes(settings), keys);
  centre.publish(file, "permanent");

  Kiosk kiosk(folder / "kiosk", centre.pinned_root, centre.server->url());
  auto started = Clock::now();
  const Fetched full = kiosk.update(keys.trust());
  const double full_seconds = seconds_since(started);

  seeds[seeds.size() / 2] = seeds.size() + 1;
  write_package(file, "gallery", "1.1.0", seeds, texture_bytes(settings), keys);
  const hub::Published published = centre.publish(file, "permanent");
  fs::remove(file);
  started = Clock::now();
  const Fetched update = kiosk.update(keys.trust());
  const double update_seconds = seconds_since(started);

  fmt::print("package: {:.1f} MB file, {} textures of {:.1f} MB; publishing the change stored {} new files ({:.2f} MB)\n",
             mb(package_size), seeds.size(), mb(texture_bytes(settings)), published.blobs_written,
             mb(published.bytes_written));
  fmt::print("full download:  {:>12} bytes (metadata {:.1f} KiB, head {:.1f} KiB, {} blobs {:.2f} MB) in {:.2f} s\n",
             full.total(), kib(full.metadata), kib(full.heads), full.blob_count, mb(full.blobs), full_seconds);
  fmt::print("texture update: {:>12} bytes (metadata {:.1f} KiB, head {:.1f} KiB, {} blob {:.2f} MB) in {:.2f} s\n",
             update.total(), kib(update.metadata), kib(update.heads), update.blob_count, mb(update.blobs),
             update_seconds);
  const uint64_t beyond = update.total() - update.blobs;
  fmt::print("beyond the new blob: {:.1f} KiB (goal: at most 64 KiB: {}); update / full download: {:.4f}\n", kib(beyond),
             update.blob_count == 1 && beyond <= 64 * 1024 ? "met" : "NOT met",
             static_cast<double>(update.total()) / static_cast<double>(full.total()));
}

// ---- serving and polls: the hub against nginx -----------------------------------------------

// nginx serving a hub's repository as static files: blobs from the hub's own blob folder (named
// FOLDER/ab/abcd…), metadata from files written out of the hub's store.
std::unique_ptr<support::NginxServer> start_nginx(const fs::path& folder, const fs::path& blobs,
                                                  const fs::path& metadata) {
  const auto program = support::find_nginx();
  if (!program) fail("nginx is not installed (scripts/setup installs Debian's nginx)");
  support::NginxSettings settings;
  settings.program = *program;
  settings.folder = folder;
  settings.workers = std::max(1u, std::thread::hardware_concurrency());
  settings.http_directives = "  sendfile on;\n  tcp_nopush on;\n  access_log off;\n  keepalive_requests 100000;\n";
  settings.server_directives = fmt::format(
      R"(    location ~ "^/v1/repository/blobs/(?<prefix>[0-9a-f]{{2}})(?<rest>[0-9a-f]{{62}})$" {{
      alias {blobs}/$prefix/$prefix$rest;
    }}
    location /v1/repository/ {{
      alias {metadata}/;
    }})",
      fmt::arg("blobs", blobs.string()), fmt::arg("metadata", metadata.string()));
  return must(support::NginxServer::start(settings));
}

// The repository's metadata files as the hub serves them, written out for nginx: every root, the
// timestamp, and the snapshot and targets it names.
void write_metadata_files(hub::Store& store, const fs::path& folder) {
  const auto write = [&](const std::string& name) {
    const auto file = must(store.repository_file(name));
    if (!file) return false;
    fs::create_directories((folder / name).parent_path());
    std::ofstream(folder / name) << *file;
    return true;
  };
  for (uint64_t version = 1; write(fmt::format("root/{}.json", version)); ++version) {
  }
  write("timestamp.json");
  const auto timestamp = accepted(distribution::read_timestamp(*must(store.repository_file("timestamp.json"))), "timestamp");
  write(fmt::format("snapshot/{}.json", timestamp.snapshot.version));
  const auto snapshot = accepted(
      distribution::read_snapshot(*must(store.repository_file(fmt::format("snapshot/{}.json", timestamp.snapshot.version)))),
      "snapshot");
  write(fmt::format("targets/{}.json", snapshot.targets.version));
}

// Every file streamed by `connections` clients at once, each starting at a different file and
// going once through all; every body byte counted and thrown away. Returns MB/s.
double stream_everything(const std::string& url, const std::vector<std::pair<ContentHash, uint64_t>>& files,
                         size_t connections) {
  std::atomic<uint64_t> bytes{0};
  const auto started = Clock::now();
  std::vector<std::thread> threads;
  for (size_t connection = 0; connection < connections; ++connection) {
    threads.emplace_back([&, connection] {
      http::Client client(must(http::Endpoint::parse(url)), 30s);
      http::BodySink sink;
      sink.write = [](std::span<const std::byte>) { return true; };
      for (size_t step = 0; step < files.size(); ++step) {
        const auto& [hash, length] = files[(connection * files.size() / connections + step) % files.size()];
        const auto response = must(client.stream({"GET", "/v1/repository/blobs/" + hash.to_hex(), {}, {}}, sink));
        if (response.status != 200 || response.body_bytes != length) {
          fail(fmt::format("{} answered {} with {} of {} bytes", url, response.status, response.body_bytes, length));
        }
        bytes += response.body_bytes;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  return mb(bytes) / seconds_since(started);
}

// The same with curl (one process per connection, each going through every file on one
// kept-alive connection), a client that is not itself the limit; none when curl is missing.
std::optional<double> curl_everything(const fs::path& folder, const std::string& url,
                                      const std::vector<std::pair<ContentHash, uint64_t>>& files, size_t connections) {
  if (::access("/usr/bin/curl", X_OK) != 0) return std::nullopt;
  uint64_t bytes = 0;
  std::vector<fs::path> configs;
  for (size_t connection = 0; connection < connections; ++connection) {
    configs.push_back(folder / fmt::format("curl-{}.conf", connection));
    std::ofstream config(configs.back());
    for (size_t step = 0; step < files.size(); ++step) {
      const auto& [hash, length] = files[(connection * files.size() / connections + step) % files.size()];
      config << fmt::format("url = \"{}/v1/repository/blobs/{}\"\noutput = \"/dev/null\"\n", url, hash.to_hex());
      bytes += length;
    }
  }
  const auto started = Clock::now();
  std::vector<pid_t> children;
  for (const fs::path& config : configs) {
    std::vector<std::string> arguments{"/usr/bin/curl", "--silent", "--fail", "--config", config.string()};
    std::vector<char*> argv;
    for (std::string& argument : arguments) argv.push_back(argument.data());
    argv.push_back(nullptr);
    const pid_t child = ::fork();
    if (child == 0) {
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
    children.push_back(child);
  }
  for (const pid_t child : children) {
    int status = 0;
    ::waitpid(child, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) fail(fmt::format("curl from {} ended with status {}", url, status));
  }
  return mb(bytes) / seconds_since(started);
}

// Rounds alternating which server goes first; each round's rates and ratio, then the median.
void compare_serving(std::string_view client, size_t connections, size_t runs, uint64_t total,
                     const std::function<double(const std::string& url)>& rate, const std::string& hub_url,
                     const std::string& nginx_url) {
  std::vector<double> ratios;
  for (size_t run = 0; run < runs; ++run) {
    double hub_rate = 0;
    double nginx_rate = 0;
    if (run % 2 == 0) {
      hub_rate = rate(hub_url);
      nginx_rate = rate(nginx_url);
    } else {
      nginx_rate = rate(nginx_url);
      hub_rate = rate(hub_url);
    }
    ratios.push_back(hub_rate / nginx_rate);
    fmt::print("{}, {} connection(s), {:.0f} MB each: hub {:6.0f} MB/s, nginx {:6.0f} MB/s, hub / nginx {:.2f}\n", client,
               connections, mb(total), hub_rate, nginx_rate, ratios.back());
  }
  fmt::print("{}, {} connection(s): hub / nginx median {:.2f} ({:.2f}–{:.2f})\n", client, connections, median(ratios),
             *std::min_element(ratios.begin(), ratios.end()), *std::max_element(ratios.begin(), ratios.end()));
}

void serving_part(const Settings& settings, const fs::path& folder, Centre& centre,
                  const std::vector<std::pair<ContentHash, uint64_t>>& files, support::NginxServer& nginx) {
  fmt::print("\n== serving: blobs from the hub ({} threads) against nginx ({} workers, sendfile), same files ==\n",
             centre.config.threads, std::max(1u, std::thread::hardware_concurrency()));
  uint64_t total = 0;
  for (const auto& file : files) total += file.second;
  // Both read from the page cache: each file read once through each before timing.
  stream_everything(centre.server->url(), files, 1);
  stream_everything(nginx.url(), files, 1);
  for (const size_t connections : {size_t{1}, settings.connections}) {
    compare_serving("http::Client", connections, settings.runs, total * connections,
                    [&](const std::string& url) { return stream_everything(url, files, connections); },
                    centre.server->url(), nginx.url());
    if (!curl_everything(folder, nginx.url(), files, 1)) {
      fmt::print("curl is not installed: no figures with it\n");
      continue;
    }
    compare_serving("curl", connections, settings.runs, total * connections,
                    [&](const std::string& url) { return *curl_everything(folder, url, files, connections); },
                    centre.server->url(), nginx.url());
  }
}

struct PollCost {
  double server_cpu_us = 0;  // per poll
  double polls_per_second = 0;
};

// `polls` polls with nothing new, by one thread per kiosk folder, each with its own kiosk's
// trusted state (up to date beforehand); each poll a new connection. `server_cpu` reads the
// server's CPU seconds so far, before the polling threads start and after they end.
PollCost measure_polls(const std::string& url, const std::vector<fs::path>& kiosk_folders, const fs::path& pinned_root,
                       size_t polls, const std::function<double()>& server_cpu) {
  std::vector<distribution::TrustedState> states;
  for (const fs::path& kiosk : kiosk_folders) {
    states.push_back(must(distribution::TrustedState::open(kiosk, pinned_root)));
    auto client = must(distribution::RepositoryClient::connect({url, {}, 10s, 0}));
    accepted(distribution::refresh_metadata(states.back(), client, seconds_now()), "bringing a kiosk up to date");
  }
  const double before = server_cpu();
  const auto started = Clock::now();
  std::vector<std::thread> threads;
  for (size_t thread = 0; thread < states.size(); ++thread) {
    threads.emplace_back([&, thread] {
      for (size_t poll = thread; poll < polls; poll += states.size()) {
        auto client = must(distribution::RepositoryClient::connect({url, {}, 10s, 0}));
        const uint64_t timestamp_version = states[thread].timestamp()->version;
        accepted(distribution::refresh_metadata(states[thread], client, seconds_now()), "polling");
        if (states[thread].timestamp()->version != timestamp_version) fail("a poll found something new");
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  const double seconds = seconds_since(started);
  const double after = server_cpu();
  return {(after - before) * 1e6 / static_cast<double>(polls), static_cast<double>(polls) / seconds};
}

void polls_part(const Settings& settings, const fs::path& folder, Centre& centre, support::NginxServer& nginx) {
  fmt::print("\n== polls: a kiosk's poll with nothing new (new connection, root N+1 404, timestamp unchanged) ==\n");
  const std::vector<fs::path> kiosks{folder / "poll-kiosk-1", folder / "poll-kiosk-2"};
  const auto nginx_cpu = [&] {
    double seconds = cpu_seconds(fmt::format("/proc/{}/schedstat", nginx.pid()));
    for (const pid_t worker : child_processes(nginx.pid())) seconds += cpu_seconds(fmt::format("/proc/{}/schedstat", worker));
    return seconds;
  };
  std::vector<double> hub_us;
  std::vector<double> nginx_us;
  for (size_t run = 0; run < settings.runs; ++run) {
    const PollCost hub = measure_polls(centre.server->url(), kiosks, centre.pinned_root, settings.polls, other_threads_cpu_seconds);
    const PollCost reference = measure_polls(nginx.url(), kiosks, centre.pinned_root, settings.polls, nginx_cpu);
    hub_us.push_back(hub.server_cpu_us);
    nginx_us.push_back(reference.server_cpu_us);
    fmt::print("{} polls: hub {:.0f} µs CPU per poll ({:.0f} polls/s), nginx {:.0f} µs ({:.0f} polls/s), hub / nginx {:.1f}\n",
               settings.polls, hub.server_cpu_us, hub.polls_per_second, reference.server_cpu_us,
               reference.polls_per_second, hub.server_cpu_us / reference.server_cpu_us);
  }
  const double per_poll = median(hub_us);
  // 200 kiosks each polling once a minute: 200/60 polls a second.
  const double share = per_poll * 1e-6 * 200.0 / 60.0;
  fmt::print("median: hub {:.0f} µs per poll, nginx {:.0f} µs (hub / nginx {:.1f}); 200 kiosks every minute: "
             "{:.2f} ms of CPU a second, {:.3f}% of one core\n",
             per_poll, median(nginx_us), per_poll / median(nginx_us), per_poll * 200.0 / 60.0 / 1000.0, share * 100.0);
}

// ---- branch: a campaign through one branch hub ----------------------------------------------

void branch_part(const Settings& settings, const fs::path& folder) {
  fmt::print("\n== branch: a {} MB campaign to {} kiosks through one branch hub ({} kiosks at a time) ==\n",
             settings.megabytes, settings.kiosks, settings.concurrent);
  const Keys keys;
  Centre centre(folder / "centre", keys);

  hub::HubConfig branch_config = hub_config(folder / "branch");
  branch_config.upstream.url = centre.server->url();
  branch_config.upstream.root = centre.pinned_root;
  branch_config.upstream.forward_events = false;
  branch_config.upstream.poll = 1h;  // rounds run when the bench asks, as if its poll came then
  std::shared_ptr<hub::Store> branch_store = must(hub::open_store(branch_config.database));
  const auto branch = must(hub::HubServer::start(branch_config, branch_store));
  const auto mirror = must(hub::RepositoryMirror::start(branch_config, branch_store));
  must(mirror->mirror_now());

  const fs::path file = folder / "campaign.pvpkg";
  // Seeds of their own: nothing of the campaign is held anywhere yet.
  std::vector<uint64_t> seeds = texture_seeds(settings);
  for (uint64_t& seed : seeds) seed += 1'000'000;
  const uint64_t package_size = write_package(file, "spring-festival", "2027.1", seeds, texture_bytes(settings), keys);
  const auto published_at = Clock::now();
  centre.publish(file, "spring-festival");
  fs::remove(file);
  must(hub::add_campaign(*centre.store, keys.online(),
                         {"spring-festival-2027", "spring-festival", {}, "2027-01-28T08:00", "2027-02-12T21:00", 7},
                         seconds_now()));
  const double publish_seconds = seconds_since(published_at);

  // The reference: one kiosk straight from the centre.
  auto started = Clock::now();
  const Fetched direct = Kiosk(folder / "direct-kiosk", centre.pinned_root, centre.server->url()).update(keys.trust());
  const double direct_seconds = seconds_since(started);
  fs::remove_all(folder / "direct-kiosk");
  const uint64_t centre_blobs_before = centre.blobs_served();

  started = Clock::now();
  const uint64_t wan_before = mirror->stats().bytes_fetched;
  must(mirror->mirror_now());
  const uint64_t wan = mirror->stats().bytes_fetched - wan_before;
  const double wan_seconds = seconds_since(started);
  const uint64_t wan_files = centre.blobs_served() - centre_blobs_before;

  started = Clock::now();
  std::atomic<size_t> next{0};
  std::atomic<uint64_t> lan{0};
  std::mutex mutex;
  std::vector<double> kiosk_seconds;
  std::vector<std::thread> threads;
  for (size_t worker = 0; worker < settings.concurrent; ++worker) {
    threads.emplace_back([&] {
      for (size_t index = next++; index < settings.kiosks; index = next++) {
        const fs::path kiosk_folder = folder / fmt::format("kiosk-{}", index);
        const auto kiosk_started = Clock::now();
        const Fetched fetched = Kiosk(kiosk_folder, centre.pinned_root, branch->url()).update(keys.trust());
        const double seconds = seconds_since(kiosk_started);
        if (fetched.blob_count != seeds.size()) fail(fmt::format("kiosk {} fetched {} blobs", index, fetched.blob_count));
        lan += fetched.total();
        fs::remove_all(kiosk_folder);
        std::lock_guard lock(mutex);
        kiosk_seconds.push_back(seconds);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  const double lan_seconds = seconds_since(started);

  fmt::print("campaign package: {:.1f} MB, {} blobs; published (blobs into the store, then metadata) in {:.2f} s\n",
             mb(package_size), seeds.size(), publish_seconds);
  fmt::print("reference, one kiosk straight from the centre: {:.1f} MB in {:.2f} s ({:.0f} MB/s)\n", mb(direct.total()),
             direct_seconds, mb(direct.total()) / direct_seconds);
  fmt::print("WAN (centre → branch mirror): {:.1f} MB, {} head and blob requests at the centre, in {:.2f} s\n", mb(wan),
             wan_files, wan_seconds);
  fmt::print("LAN (branch → {} kiosks): {:.1f} MB in {:.2f} s ({:.0f} MB/s); a kiosk took median {:.2f} s, at most {:.2f} s\n",
             settings.kiosks, mb(lan), lan_seconds, mb(lan) / lan_seconds, median(kiosk_seconds),
             *std::max_element(kiosk_seconds.begin(), kiosk_seconds.end()));
  fmt::print("all {} kiosks hold it verified {:.1f} s after the mirror's round began ({:.1f} × one kiosk's direct "
             "fetch); WAN / (kiosks × direct bytes) {:.4f}, LAN / (kiosks × direct bytes) {:.4f}\n",
             settings.kiosks, wan_seconds + lan_seconds, (wan_seconds + lan_seconds) / direct_seconds,
             static_cast<double>(wan) / (static_cast<double>(settings.kiosks) * static_cast<double>(direct.total())),
             static_cast<double>(lan) / (static_cast<double>(settings.kiosks) * static_cast<double>(direct.total())));
}

std::optional<Settings> parse_settings(int argc, char** argv) {
  Settings settings;
  for (int index = 1; index < argc; index += 2) {
    const std::string_view name = argv[index];
    if (index + 1 >= argc) return std::nullopt;
    const std::string_view value = argv[index + 1];
    if (name == "--part") {
      if (value != "bytes" && value != "serving" && value != "polls" && value != "branch") return std::nullopt;
      settings.part = value;
      continue;
    }
    uint64_t number = 0;
    const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), number);
    if (error != std::errc() || end != value.data() + value.size() || number == 0) return std::nullopt;
    if (name == "--megabytes") settings.megabytes = number;
    else if (name == "--texture-megabytes") settings.texture_megabytes = number;
    else if (name == "--kiosks") settings.kiosks = number;
    else if (name == "--concurrent") settings.concurrent = number;
    else if (name == "--connections") settings.connections = number;
    else if (name == "--polls") settings.polls = number;
    else if (name == "--runs") settings.runs = number;
    else return std::nullopt;
  }
  return settings;
}

}  // namespace

int main(int argc, char** argv) {
  std::setvbuf(stdout, nullptr, _IOLBF, 0);  // each figure as it comes, into a log too
  const auto settings = parse_settings(argc, argv);
  if (!settings) {
    fmt::print(stderr,
               "usage: distribution_bench [--megabytes 200] [--texture-megabytes 2] [--kiosks 50] [--concurrent 4]\n"
               "                          [--connections 4] [--polls 2000] [--runs 3] [--part bytes|serving|polls|branch]\n");
    return 2;
  }
  const auto folder = fs::temp_directory_path() / fmt::format("pavilion-distribution-bench-{}", ::getpid());
  fs::remove_all(folder);
  fs::create_directories(folder);
  const auto wants = [&](std::string_view part) { return settings->part.empty() || settings->part == part; };
  // Each part's folder goes when it ends: the disk holds one part's copies at a time.
  if (wants("bytes")) bytes_part(*settings, folder / "bytes");
  fs::remove_all(folder / "bytes");
  if (wants("serving") || wants("polls")) {
    const Keys keys;
    Centre centre(folder / "serving" / "centre", keys);
    const fs::path file = folder / "serving" / "package.pvpkg";
    write_package(file, "gallery", "1.0.0", texture_seeds(*settings), texture_bytes(*settings), keys);
    const auto files = centre.files_of(centre.publish(file, "permanent").target);
    fs::remove(file);
    write_metadata_files(*centre.store, folder / "serving" / "metadata");
    const auto nginx = start_nginx(folder / "serving" / "nginx", centre.blobs.folder(), folder / "serving" / "metadata");
    if (wants("serving")) serving_part(*settings, folder / "serving", centre, files, *nginx);
    if (wants("polls")) polls_part(*settings, folder / "serving", centre, *nginx);
  }
  fs::remove_all(folder / "serving");
  if (wants("branch")) branch_part(*settings, folder / "branch");
  fs::remove_all(folder);
  return 0;
}

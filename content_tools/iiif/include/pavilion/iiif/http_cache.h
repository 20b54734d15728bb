// Fetching over HTTP(S) through a cache on disk, for page images and the Image API's info.json:
// one file per URL, revalidated with the server's ETag or Last-Modified (a 304 costs no body), so
// re-packing a book downloads only what changed; when the server cannot be reached, what the cache
// holds is used with a warning, so a library can re-pack offline. Entries are written atomically
// (a temporary file renamed into place) and carry the hash of their body: a damaged entry is
// noticed when read and fetched again. The cache holds at most `max_bytes`; the entries used
// longest ago go first.
//
// A failure is a Problem: its kind, the URL, and a sentence in English and Chinese a curator can
// act on. One HttpCache is used from one thread at a time; two processes must not share a folder.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pavilion/core/error.h"
#include "pavilion/core/localized_text.h"

namespace pavilion::http {
class Client;
}

namespace pavilion::iiif {

struct Problem {
  enum class Kind {
    not_found,     // the server answered 404 or 410
    refused,       // any other answer than 200 (and 304 when revalidating)
    timeout,       // the server accepted but did not answer in time
    unreachable,   // no connection (refused, no such host, TLS failure)
    too_large,     // the body is over the limit
    not_an_image,  // the bytes are not a picture we can read
    malformed,     // an info.json or a URL that cannot be used
    offline,       // a warning: the server could not be asked, the cached copy was used
  };
  Kind kind = Kind::refused;
  std::string url;
  LocalizedText sentence;  // names the URL and what went wrong
};

std::string_view to_string(Problem::Kind kind);

struct Fetched {
  enum class Origin {
    downloaded,   // a 200: the body is new (or the cache had none)
    revalidated,  // a 304: the cached body is still current
    offline,      // the server could not be asked; the cached body, with a warning
  };
  std::vector<std::byte> body;
  std::string content_type;
  Origin origin = Origin::downloaded;
  std::optional<Problem> warning;  // set when origin is offline
};

// Either what was fetched, or why nothing was.
struct FetchResult {
  std::optional<Fetched> fetched;
  std::optional<Problem> problem;
  bool ok() const { return fetched.has_value(); }
};

class HttpCache {
 public:
  struct Settings {
    std::filesystem::path folder;  // the cache's own, made if missing: files it did not write are removed
    uint64_t max_bytes = uint64_t{4} << 30;         // bodies on disk, all entries together
    uint64_t max_body_bytes = uint64_t{512} << 20;  // one response; larger is a too_large problem
    std::chrono::milliseconds timeout{15000};       // each step of an exchange (connect, each read)
    std::filesystem::path ca_file;                  // https: the authorities trusted; empty: the system's
  };
  struct Counters {
    uint64_t requests = 0;     // HTTP requests sent
    uint64_t revalidated = 0;  // 304s
    uint64_t downloaded = 0;   // 200s stored
    uint64_t offline = 0;      // answered from the cache without the server
    uint64_t corrupt = 0;      // entries whose body did not match its hash, dropped
    uint64_t evicted = 0;      // entries removed to stay within max_bytes
  };

  // Reads the entries already in the folder (their last use from the files' times).
  static Result<std::unique_ptr<HttpCache>> open(Settings settings);
  ~HttpCache();
  HttpCache(const HttpCache&) = delete;
  HttpCache& operator=(const HttpCache&) = delete;

  // The body at `url` ("http://…" or "https://…"): from the server, revalidated against the
  // cache when it holds the URL, or from the cache alone with a warning when the server cannot be
  // reached (a timeout, no connection, a 5xx). A 404 is a problem even when the cache holds a
  // copy: the server has said the image is gone.
  FetchResult get(std::string_view url);

  // Bytes of bodies now held, and whether `url` is among them.
  uint64_t stored_bytes() const { return stored_bytes_; }
  bool holds(std::string_view url) const;
  // Where the body for `url` is kept (whether or not it is there): for tests that damage it.
  std::filesystem::path body_path(std::string_view url) const;
  const Counters& counters() const { return counters_; }

 private:
  struct Entry;
  explicit HttpCache(Settings settings);
  http::Client* client_for(std::string_view origin, Problem& problem, std::string_view url);
  std::optional<Fetched> read_entry(const std::string& key, std::string_view url);
  void store(const std::string& key, std::string_view url, const Fetched& fetched, std::string etag,
             std::string last_modified);
  void drop(const std::string& key);
  void evict();

  Settings settings_;
  std::map<std::string, std::unique_ptr<http::Client>> clients_;  // by scheme, host and port
  std::map<std::string, Entry> entries_;                          // by key (the hash of the URL)
  uint64_t stored_bytes_ = 0;
  uint64_t clock_ = 0;  // orders uses within this process, after those read from the files' times
  Counters counters_;
};

// The sentence for a failed request, exported for the image resolver's own problems.
Problem make_problem(Problem::Kind kind, std::string_view url, std::string_view detail_en = {},
                     std::string_view detail_zh = {});

}  // namespace pavilion::iiif

#include "pavilion/iiif/http_cache.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>
#include <regex>
#include <system_error>

#include "pavilion/core/file.h"
#include "pavilion/core/hash.h"
#include "pavilion/http/client.h"

namespace pavilion::iiif {
namespace fs = std::filesystem;

struct HttpCache::Entry {
  std::string url;
  std::string etag;
  std::string last_modified;
  std::string content_type;
  std::string body_hash;  // hex of the body's content hash
  uint64_t size = 0;
  uint64_t last_use = 0;
};

namespace {

constexpr int max_redirects = 5;

std::string cache_key(std::string_view url) {
  return hash_content(std::as_bytes(std::span(url.data(), url.size()))).to_hex().substr(0, 40);
}

std::string header(const std::vector<std::pair<std::string, std::string>>& headers, std::string_view name) {
  for (const auto& [key, value] : headers) {
    if (key.size() == name.size() && std::equal(key.begin(), key.end(), name.begin(), [](char a, char b) {
          return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
        })) {
      return value;
    }
  }
  return {};
}

// "http://host:port/a/b?c" → {"http://host:port", "/a/b?c"}; empty when it is not an http(s) URL.
std::optional<std::pair<std::string, std::string>> split_url(std::string_view url) {
  if (!url.starts_with("http://") && !url.starts_with("https://")) return std::nullopt;
  const size_t authority = url.find("://") + 3;
  const size_t slash = url.find('/', authority);
  if (slash == authority) return std::nullopt;
  if (slash == std::string_view::npos) return std::pair{std::string(url), std::string("/")};
  return std::pair{std::string(url.substr(0, slash)), std::string(url.substr(slash))};
}

}  // namespace

std::string_view to_string(Problem::Kind kind) {
  switch (kind) {
    case Problem::Kind::not_found: return "not found";
    case Problem::Kind::refused: return "refused";
    case Problem::Kind::timeout: return "timeout";
    case Problem::Kind::unreachable: return "unreachable";
    case Problem::Kind::too_large: return "too large";
    case Problem::Kind::not_an_image: return "not an image";
    case Problem::Kind::malformed: return "malformed";
    case Problem::Kind::offline: return "offline";
  }
  return "unknown";
}

Problem make_problem(Problem::Kind kind, std::string_view url, std::string_view detail_en, std::string_view detail_zh) {
  Problem problem{kind, std::string(url), {}};
  LocalizedText& text = problem.sentence;
  switch (kind) {
    case Problem::Kind::not_found:
      text.en = fmt::format(
          "The server has no file at {} ({}): check the address in the manifest, or give the "
          "page image as a local file.",
          url, detail_en);
      text.zh_cn = fmt::format("服务器上没有 {}（{}）：请检查清单中的地址，或以本地文件提供该页图像。", url, detail_zh);
      break;
    case Problem::Kind::refused:
      text.en = fmt::format(
          "The server answered {} for {} instead of sending it: try again later, or ask the "
          "library that runs the server.",
          detail_en, url);
      text.zh_cn = fmt::format("服务器对 {1} 的回应是 {0}，没有发送文件：请稍后重试，或联系运行该服务器的图书馆。",
                               detail_zh, url);
      break;
    case Problem::Kind::timeout:
      text.en = fmt::format(
          "{} did not answer in time ({}): the server may be busy or down; try again later, or "
          "give the page image as a local file.",
          url, detail_en);
      text.zh_cn = fmt::format("{} 没有及时回应（{}）：服务器可能繁忙或已停止；请稍后重试，或以本地文件提供该页图像。",
                               url, detail_zh);
      break;
    case Problem::Kind::unreachable:
      if (detail_en.find("certificate") != std::string_view::npos) {
        // TLS: the server is there, but who it is could not be checked.
        text.en = fmt::format(
            "Could not connect securely to the server of {} ({}): its certificate is not trusted; "
            "check the address, or give the certificate authority the library uses (pavilion-pack --ca-file FILE.pem).",
            url, detail_en);
        text.zh_cn = fmt::format(
            "无法安全连接到 {} 所在的服务器（{}）：其证书不受信任；请检查地址，或指定该图书馆使用的证书颁发机构"
            "（pavilion-pack --ca-file 文件.pem）。",
            url,
            detail_zh);
        break;
      }
      text.en =
          fmt::format("Could not connect to the server of {} ({}): check the address and the network.", url, detail_en);
      text.zh_cn = fmt::format("无法连接到 {} 所在的服务器（{}）：请检查地址和网络。", url, detail_zh);
      break;
    case Problem::Kind::too_large:
      text.en = fmt::format("{} is too large ({}): ask for a smaller image, or give the page image as a local file.",
                            url, detail_en);
      text.zh_cn = fmt::format("{} 太大（{}）：请索取较小的图像，或以本地文件提供该页图像。", url, detail_zh);
      break;
    case Problem::Kind::not_an_image:
      text.en = fmt::format("{} is not a picture ({}): check that the address names a page image.", url, detail_en);
      text.zh_cn = fmt::format("{} 不是图片（{}）：请检查该地址指向的是书页图像。", url, detail_zh);
      break;
    case Problem::Kind::malformed:
      text.en = fmt::format("{} cannot be used: {}.", url, detail_en);
      text.zh_cn = fmt::format("{} 无法使用：{}。", url, detail_zh);
      break;
    case Problem::Kind::offline:
      text.en = fmt::format(
          "Could not ask the server for {} ({}); the copy kept in the cache was used, and may be "
          "out of date.",
          url, detail_en);
      text.zh_cn = fmt::format("无法向服务器请求 {}（{}）；已使用缓存中保存的副本，它可能已过时。", url, detail_zh);
      break;
  }
  return problem;
}

HttpCache::HttpCache(Settings settings) : settings_(std::move(settings)) {}
HttpCache::~HttpCache() = default;

Result<std::unique_ptr<HttpCache>> HttpCache::open(Settings settings) {
  std::error_code failure;
  fs::create_directories(settings.folder, failure);
  if (failure) {
    return Error(ErrorCode::io, fmt::format("making the image cache folder {}", settings.folder.string()),
                 failure.message());
  }
  std::unique_ptr<HttpCache> cache(new HttpCache(std::move(settings)));
  // The last use of each entry is its description's modification time (touched on every use):
  // sorted by it, the entries get this process's clock in that order.
  std::vector<std::pair<fs::file_time_type, std::string>> uses;
  for (const fs::directory_entry& file : fs::directory_iterator(cache->settings_.folder, failure)) {
    if (file.path().extension() != ".meta") continue;
    auto bytes = read_file(file.path());
    if (!bytes.ok()) continue;
    const auto meta =
        nlohmann::json::parse(reinterpret_cast<const char*>(bytes->data()),
                              reinterpret_cast<const char*>(bytes->data() + bytes->size()), nullptr, false);
    // A description cut short or spoiled cannot say what its body is: both go. Each field is
    // checked for its type, as json's value() throws at a string where a number should be.
    const auto text_of = [&](const char* field) {
      const auto found = meta.is_object() ? meta.find(field) : meta.end();
      return meta.is_object() && found != meta.end() && found->is_string() ? found->get<std::string>() : std::string();
    };
    if (!meta.is_object() || text_of("url").empty() || text_of("hash").empty() || !meta.contains("size") ||
        !meta["size"].is_number_unsigned()) {
      cache->drop(file.path().stem().string());
      continue;
    }
    Entry entry;
    entry.url = text_of("url");
    entry.etag = text_of("etag");
    entry.last_modified = text_of("last_modified");
    entry.content_type = text_of("content_type");
    entry.body_hash = text_of("hash");
    entry.size = meta["size"].get<uint64_t>();
    const std::string key = file.path().stem().string();
    uses.emplace_back(fs::last_write_time(file.path(), failure), key);
    cache->stored_bytes_ += entry.size;
    cache->entries_.emplace(key, std::move(entry));
  }
  // Bodies nothing describes (a crash between writing a body and its description, a temporary
  // file left by one) would hold space outside the bound: they go. Only names the cache makes
  // (a key, then .meta or .body, perhaps a temporary suffix): a folder given by mistake keeps
  // everyone else's files.
  static const std::regex ours(R"([0-9a-f]{40}\.(meta|body)(\.tmp-[0-9]+)?)");
  for (const fs::directory_entry& file : fs::directory_iterator(cache->settings_.folder, failure)) {
    const std::string name = file.path().filename().string();
    if (!std::regex_match(name, ours)) continue;
    if (file.path().extension() == ".meta" && cache->entries_.contains(file.path().stem().string())) continue;
    if (file.path().extension() == ".body" && cache->entries_.contains(file.path().stem().string())) continue;
    std::error_code ignored;
    fs::remove(file.path(), ignored);
  }
  std::sort(uses.begin(), uses.end());
  for (const auto& [time, key] : uses) cache->entries_.at(key).last_use = ++cache->clock_;
  cache->evict();
  return cache;
}

bool HttpCache::holds(std::string_view url) const { return entries_.contains(cache_key(url)); }

fs::path HttpCache::body_path(std::string_view url) const { return settings_.folder / (cache_key(url) + ".body"); }

http::Client* HttpCache::client_for(std::string_view origin, Problem& problem, std::string_view url) {
  const auto found = clients_.find(std::string(origin));
  if (found != clients_.end()) return found->second.get();
  auto endpoint = http::Endpoint::parse(origin);
  if (!endpoint.ok()) {
    problem = make_problem(Problem::Kind::malformed, url, endpoint.error().why(), "地址不是有效的 http(s) 网址");
    return nullptr;
  }
  auto client = std::make_unique<http::Client>(std::move(endpoint).value(), settings_.timeout, settings_.ca_file);
  return clients_.emplace(std::string(origin), std::move(client)).first->second.get();
}

std::optional<Fetched> HttpCache::read_entry(const std::string& key, std::string_view url) {
  const auto found = entries_.find(key);
  if (found == entries_.end() || found->second.url != url) return std::nullopt;
  auto bytes = read_file(settings_.folder / (key + ".body"));
  if (!bytes.ok() || bytes->size() != found->second.size || hash_content(*bytes).to_hex() != found->second.body_hash) {
    ++counters_.corrupt;
    drop(key);
    return std::nullopt;
  }
  Fetched fetched;
  fetched.body = std::move(bytes).value();
  fetched.content_type = found->second.content_type;
  return fetched;
}

void HttpCache::drop(const std::string& key) {
  std::error_code ignored;  // a file already gone is what we want
  fs::remove(settings_.folder / (key + ".meta"), ignored);
  fs::remove(settings_.folder / (key + ".body"), ignored);
  const auto found = entries_.find(key);
  if (found == entries_.end()) return;
  stored_bytes_ -= found->second.size;
  entries_.erase(found);
}

void HttpCache::store(const std::string& key, std::string_view url, const Fetched& fetched, std::string etag,
                      std::string last_modified) {
  drop(key);
  Entry entry;
  entry.url = std::string(url);
  entry.etag = std::move(etag);
  entry.last_modified = std::move(last_modified);
  entry.content_type = fetched.content_type;
  entry.body_hash = hash_content(fetched.body).to_hex();
  entry.size = fetched.body.size();
  entry.last_use = ++clock_;
  // A cache that cannot write (a full disk) still gives the body; the next run fetches it again.
  // The body first, then its description: a crash between them leaves a body nothing names (or an
  // old description whose hash no longer matches), which reading notices.
  if (!write_file_atomic(settings_.folder / (key + ".body"), fetched.body).ok()) return;
  const std::string meta = nlohmann::json{
      {"url", entry.url},
      {"etag", entry.etag},
      {"last_modified", entry.last_modified},
      {"content_type", entry.content_type},
      {"hash", entry.body_hash},
      {"size", entry.size}}.dump();
  if (!write_file_atomic(settings_.folder / (key + ".meta"), std::as_bytes(std::span(meta.data(), meta.size()))).ok()) {
    drop(key);
    return;
  }
  stored_bytes_ += entry.size;
  entries_.emplace(key, std::move(entry));
  ++counters_.downloaded;
  evict();
}

void HttpCache::evict() {
  while (stored_bytes_ > settings_.max_bytes && !entries_.empty()) {
    const auto oldest = std::min_element(entries_.begin(), entries_.end(), [](const auto& a, const auto& b) {
      return a.second.last_use < b.second.last_use;
    });
    ++counters_.evicted;
    drop(oldest->first);
  }
}

FetchResult HttpCache::get(std::string_view url) {
  const auto parts = split_url(url);
  if (!parts) {
    return {std::nullopt, make_problem(Problem::Kind::malformed, url, "only http:// and https:// addresses are fetched",
                                       "只能获取 http:// 和 https:// 地址")};
  }
  const std::string key = cache_key(url);
  std::optional<Fetched> cached = read_entry(key, url);
  const auto touch = [&] {
    Entry& entry = entries_.at(key);
    entry.last_use = ++clock_;
    std::error_code ignored;  // the order across runs is a hint; losing it loses nothing else
    fs::last_write_time(settings_.folder / (key + ".meta"), fs::file_time_type::clock::now(), ignored);
  };
  const auto from_cache = [&](std::string_view why_en, std::string_view why_zh) {
    ++counters_.offline;
    touch();
    cached->origin = Fetched::Origin::offline;
    cached->warning = make_problem(Problem::Kind::offline, url, why_en, why_zh);
    return FetchResult{std::move(cached), std::nullopt};
  };

  std::vector<std::byte> body;
  http::BodySink sink;
  sink.limit = [&](const http::StreamedResponse&) { return settings_.max_body_bytes; };
  sink.write = [&](std::span<const std::byte> piece) {
    body.insert(body.end(), piece.begin(), piece.end());
    return true;
  };
  // Image servers move their images (http to https, an old path to a new one): a few redirects
  // are followed; the entry stays under the URL the manifest names.
  std::pair<std::string, std::string> place = *parts;
  std::optional<Result<http::StreamedResponse>> response;
  for (int redirects = 0;; ++redirects) {
    Problem problem;
    http::Client* client = client_for(place.first, problem, url);
    if (!client) return {std::nullopt, std::move(problem)};
    http::Request request{"GET", place.second, {}, {}};
    if (cached) {
      const Entry& entry = entries_.at(key);
      if (!entry.etag.empty()) request.headers.emplace_back("If-None-Match", entry.etag);
      if (!entry.last_modified.empty()) request.headers.emplace_back("If-Modified-Since", entry.last_modified);
    }
    body.clear();
    ++counters_.requests;
    response = client->stream(request, sink);
    if (!response->ok() || redirects == max_redirects) break;
    const int status = (*response)->status;
    const std::string location = header((*response)->headers, "Location");
    if ((status != 301 && status != 302 && status != 303 && status != 307 && status != 308) || location.empty()) break;
    if (const auto elsewhere = split_url(location)) {
      place = *elsewhere;
    } else if (location.starts_with('/')) {
      place.second = location;
    } else {
      place.second = place.second.substr(0, place.second.rfind('/') + 1) + location;
    }
  }
  if (!response->ok()) {
    const Error& error = response->error();
    const bool timed_out = error.why().find("no progress within") != std::string::npos;
    const std::string detail_en =
        timed_out ? fmt::format("no answer within {} ms", settings_.timeout.count()) : error.why();
    const std::string detail_zh = timed_out ? fmt::format("{} 毫秒内没有回应", settings_.timeout.count())
                                            : fmt::format("连接失败：{}", error.why());
    if (cached) return from_cache(detail_en, detail_zh);
    return {std::nullopt,
            make_problem(timed_out ? Problem::Kind::timeout : Problem::Kind::unreachable, url, detail_en, detail_zh)};
  }
  const http::StreamedResponse& answer = response->value();
  const int status = answer.status;
  if (status == 304 && cached) {
    ++counters_.revalidated;
    touch();
    cached->origin = Fetched::Origin::revalidated;
    return {std::move(cached), std::nullopt};
  }
  if (status == 404 || status == 410) {
    drop(key);  // the server says it is gone: a copy kept would hide that
    return {std::nullopt, make_problem(Problem::Kind::not_found, url, fmt::format("HTTP {}", status),
                                       fmt::format("HTTP {}", status))};
  }
  if (status >= 500 && cached) {
    return from_cache(fmt::format("the server answered HTTP {}", status), fmt::format("服务器回应 HTTP {}", status));
  }
  if (status >= 300 && status < 400) {
    // Still moving after the redirects followed, or moved without saying where: the last address
    // asked is named, for the image server's keepers.
    const bool nowhere = header(answer.headers, "Location").empty();
    return {std::nullopt,
            make_problem(Problem::Kind::refused, url,
                         nowhere ? fmt::format("HTTP {} at {}{}, a move that says not where to", status, place.first,
                                               place.second)
                                 : fmt::format("HTTP {}, moved more than {} times, last asked at {}{},", status,
                                               max_redirects, place.first, place.second),
                         nowhere ? fmt::format("HTTP {}（{}{} 表示已转移，却未说明转移到哪里）", status, place.first,
                                               place.second)
                                 : fmt::format("HTTP {}（转移了 {} 次以上，最后请求的地址是 {}{}）", status, max_redirects,
                                               place.first, place.second))};
  }
  if (status != 200) {
    return {std::nullopt,
            make_problem(Problem::Kind::refused, url, fmt::format("HTTP {}", status), fmt::format("HTTP {}", status))};
  }
  if (answer.end == http::StreamedResponse::End::oversized) {
    const double limit_mib = static_cast<double>(settings_.max_body_bytes) / (1 << 20);
    return {std::nullopt,
            make_problem(Problem::Kind::too_large, url, fmt::format("over the limit of {:.1f} MiB", limit_mib),
                         fmt::format("超过 {:.1f} MiB 的上限", limit_mib))};
  }
  if (answer.end != http::StreamedResponse::End::complete) {
    return {std::nullopt, make_problem(Problem::Kind::unreachable, url, "the transfer was cut off", "传输中断")};
  }
  Fetched fetched;
  fetched.body = std::move(body);
  fetched.content_type = header(answer.headers, "Content-Type");
  store(key, url, fetched, header(answer.headers, "ETag"), header(answer.headers, "Last-Modified"));
  return {std::move(fetched), std::nullopt};
}

}  // namespace pavilion::iiif

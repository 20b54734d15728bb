#include "serve.h"

#include "../json_text.h"
#include "pavilion/core/hash.h"
#include "pavilion/core/log.h"
#include "pavilion/core/number.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <utility>

namespace pavilion::hub {
namespace {

namespace http = boost::beast::http;
using Request = http::request<http::string_body>;

constexpr std::string_view prefix = "/v1/repository/";
// Versioned files and blobs never change: any cache may keep them for a year without asking.
constexpr std::string_view immutable = "public, max-age=31536000, immutable";

// "root/12.json" and the like: a role's stem and a version without leading zeros.
bool is_versioned_name(std::string_view name) {
  for (const std::string_view stem : {"root/", "snapshot/", "targets/"}) {
    if (!name.starts_with(stem) || !name.ends_with(".json")) continue;
    const std::string_view digits = name.substr(stem.size(), name.size() - stem.size() - 5);
    return !digits.empty() && digits.size() <= 19 && digits.front() != '0' &&
           std::ranges::all_of(digits, [](char c) { return c >= '0' && c <= '9'; });
  }
  return false;
}

bool is_blob_hash(std::string_view hex) {
  return hex.size() == 64 && std::ranges::all_of(hex, [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

TextResponse text(const Request& request, http::status status, std::string body, std::string_view type) {
  TextResponse response(status, request.version());
  response.set(http::field::server, "pavilion-hub");
  response.set(http::field::content_type, type);
  response.keep_alive(request.keep_alive());
  response.body() = std::move(body);
  response.prepare_payload();
  return response;
}

TextResponse refuse(const Request& request, http::status status, std::string_view reason) {
  TextResponse response = text(request, status, json_text(nlohmann::json{{"error", reason}}), "application/json");
  // A client walks root versions until one is missing: no cache may remember the absence.
  response.set(http::field::cache_control, "no-store");
  return response;
}

// Whether If-None-Match names `etag` (a list, or "*").
bool matches(std::string_view if_none_match, std::string_view etag) {
  if (if_none_match.empty()) return false;
  if (if_none_match == "*") return true;
  while (!if_none_match.empty()) {
    const size_t comma = std::min(if_none_match.find(','), if_none_match.size());
    std::string_view candidate = if_none_match.substr(0, comma);
    while (candidate.starts_with(' ')) candidate.remove_prefix(1);
    while (candidate.ends_with(' ')) candidate.remove_suffix(1);
    if (candidate == etag || (candidate.starts_with("W/") && candidate.substr(2) == etag)) return true;
    if_none_match.remove_prefix(std::min(comma + 1, if_none_match.size()));
  }
  return false;
}

TextResponse not_modified(const Request& request, const std::string& etag, std::string_view cache_control) {
  TextResponse response(http::status::not_modified, request.version());
  response.set(http::field::server, "pavilion-hub");
  response.set(http::field::etag, etag);
  response.set(http::field::cache_control, cache_control);
  response.keep_alive(request.keep_alive());
  return response;
}

// The headers of a body that a HEAD request does not get: its length stays the body's.
TextResponse without_body(TextResponse response, uint64_t length) {
  response.body().clear();
  response.content_length(length);
  return response;
}

std::variant<TextResponse, FileResponse> serve_metadata(const Request& request, Store& store, const std::string& name,
                                                        std::string& route) {
  const bool mutable_file = name == "timestamp.json";
  route = mutable_file ? "/v1/repository/timestamp.json" : "/v1/repository/metadata";
  auto file = store.repository_file(name);
  if (!file) {
    log::error("hub", "{}", file.error().describe());
    return refuse(request, http::status::service_unavailable, "the hub cannot reach its database; ask again later");
  }
  if (!*file) return refuse(request, http::status::not_found, fmt::format("the repository holds no {}", name));
  // The timestamp is asked for every minute by every kiosk: revalidated each time, 304 when unchanged.
  const std::string_view cache_control = mutable_file ? "no-cache" : immutable;
  const std::string etag = fmt::format("\"{}\"", hash_content(std::as_bytes(std::span(**file))).to_hex());
  if (matches(request[http::field::if_none_match], etag)) return not_modified(request, etag, cache_control);
  const uint64_t length = (*file)->size();
  TextResponse response = text(request, http::status::ok, std::move(**file), "application/json");
  response.set(http::field::etag, etag);
  response.set(http::field::cache_control, cache_control);
  if (request.method() == http::verb::head) return without_body(std::move(response), length);
  return response;
}

std::variant<TextResponse, FileResponse> serve_blob(const Request& request, const distribution::BlobStore* blobs,
                                                    std::string_view hex, std::string& route) {
  route = "/v1/repository/blobs";
  const auto hash = ContentHash::from_hex(hex);
  if (blobs == nullptr || !hash || !blobs->holds(*hash)) {
    return refuse(request, http::status::not_found, fmt::format("the repository holds no blob {}", hex));
  }
  const std::filesystem::path path = blobs->path_of(*hash);
  std::error_code missing;
  const uint64_t size = std::filesystem::file_size(path, missing);
  if (missing) return refuse(request, http::status::not_found, fmt::format("the repository holds no blob {}", hex));
  const std::string etag = fmt::format("\"{}\"", hex);
  if (matches(request[http::field::if_none_match], etag)) return not_modified(request, etag, immutable);

  auto range = parse_range(request[http::field::range], size);
  // If-Range names what the client holds part of; another version would get the whole file.
  // A blob's ETag never changes, but a client may send a date or another tag.
  if (const std::string_view if_range = request[http::field::if_range]; !if_range.empty() && if_range != etag) {
    range = std::monostate();
  }
  if (std::holds_alternative<Unsatisfiable>(range)) {
    TextResponse response = refuse(request, http::status::range_not_satisfiable,
                                   fmt::format("the blob is {} bytes long; ask for a range inside it", size));
    response.set(http::field::content_range, fmt::format("bytes */{}", size));
    return response;
  }
  const ByteRange window = std::holds_alternative<ByteRange>(range) ? std::get<ByteRange>(range) : ByteRange{0, size};
  const bool partial = std::holds_alternative<ByteRange>(range);
  auto headers = [&](auto& response) {
    response.set(http::field::server, "pavilion-hub");
    response.set(http::field::content_type, "application/octet-stream");
    response.set(http::field::etag, etag);
    response.set(http::field::cache_control, immutable);
    response.set(http::field::accept_ranges, "bytes");
    if (partial) {
      response.set(http::field::content_range,
                   fmt::format("bytes {}-{}/{}", window.first, window.first + window.length - 1, size));
    }
    response.keep_alive(request.keep_alive());
  };
  const http::status status = partial ? http::status::partial_content : http::status::ok;
  if (request.method() == http::verb::head) {
    TextResponse response(status, request.version());
    headers(response);
    response.content_length(window.length);
    return response;
  }
  FileResponse response(status, request.version());
  if (!response.body().open(path, window.first, window.length)) {
    log::error("hub", "opening the blob {}: {}", path.string(), std::strerror(errno));
    return refuse(request, http::status::not_found, fmt::format("the repository holds no blob {}", hex));
  }
  headers(response);
  response.prepare_payload();
  return response;
}

}  // namespace

BlobBody::value_type::value_type(value_type&& other) noexcept
    : descriptor_(std::exchange(other.descriptor_, -1)), offset_(other.offset_), length_(other.length_) {}

BlobBody::value_type& BlobBody::value_type::operator=(value_type&& other) noexcept {
  if (this != &other) {
    if (descriptor_ >= 0) ::close(descriptor_);
    descriptor_ = std::exchange(other.descriptor_, -1);
    offset_ = other.offset_;
    length_ = other.length_;
  }
  return *this;
}

BlobBody::value_type::~value_type() {
  if (descriptor_ >= 0) ::close(descriptor_);
}

bool BlobBody::value_type::open(const std::filesystem::path& path, uint64_t offset, uint64_t length) {
  if (descriptor_ >= 0) ::close(descriptor_);
  descriptor_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  offset_ = offset;
  length_ = length;
  return descriptor_ >= 0;
}

boost::optional<std::pair<BlobBody::writer::const_buffers_type, bool>> BlobBody::writer::get(
    boost::beast::error_code& failure) {
  constexpr size_t piece_size = 128 * 1024;
  failure = {};
  if (remaining_ == 0) return boost::none;
  if (!piece_) piece_ = std::make_unique<char[]>(piece_size);
  const size_t wanted = static_cast<size_t>(std::min<uint64_t>(remaining_, piece_size));
  ssize_t got = 0;
  do {
    got = ::pread(body_.descriptor(), piece_.get(), wanted, static_cast<off_t>(position_));
  } while (got < 0 && errno == EINTR);
  if (got < 0) {
    failure = boost::beast::error_code(errno, boost::system::system_category());
    return boost::none;
  }
  if (got == 0) {  // the file is shorter than it was when the answer began
    failure = http::error::short_read;
    return boost::none;
  }
  position_ += static_cast<uint64_t>(got);
  remaining_ -= static_cast<uint64_t>(got);
  return std::pair{const_buffers_type(piece_.get(), static_cast<size_t>(got)), remaining_ > 0};
}

std::variant<std::monostate, ByteRange, Unsatisfiable> parse_range(std::string_view header, uint64_t size) {
  constexpr std::string_view unit = "bytes=";
  if (!header.starts_with(unit) || header.find(',') != std::string_view::npos) return std::monostate();
  const std::string_view spec = header.substr(unit.size());
  const size_t dash = spec.find('-');
  if (dash == std::string_view::npos) return std::monostate();
  const std::string_view first_text = spec.substr(0, dash);
  const std::string_view last_text = spec.substr(dash + 1);
  if (first_text.empty()) {  // "-S": the last S bytes
    const auto suffix = parse_whole_number(last_text);
    if (!suffix) return std::monostate();
    if (*suffix == 0 || size == 0) return Unsatisfiable();
    const uint64_t length = std::min(*suffix, size);
    return ByteRange{size - length, length};
  }
  const auto first = parse_whole_number(first_text);
  if (!first) return std::monostate();
  uint64_t last = size == 0 ? 0 : size - 1;
  if (!last_text.empty()) {
    const auto given = parse_whole_number(last_text);
    if (!given || *given < *first) return std::monostate();
    last = std::min(last, *given);
  }
  if (*first >= size) return Unsatisfiable();
  return ByteRange{*first, last - *first + 1};
}

std::variant<TextResponse, FileResponse> serve_repository(const Request& request, Store& store,
                                                          const distribution::BlobStore* blobs, std::string& route) {
  route = "/v1/repository";
  if (request.method() != http::verb::get && request.method() != http::verb::head) {
    TextResponse response = refuse(request, http::status::method_not_allowed, "the repository answers GET and HEAD");
    response.set(http::field::allow, "GET, HEAD");
    return response;
  }
  std::string_view path = request.target();
  path = path.substr(0, path.find('?'));
  const std::string_view name = path.substr(std::min(prefix.size(), path.size()));
  if (name == "timestamp.json" || is_versioned_name(name)) return serve_metadata(request, store, std::string(name), route);
  if (name.starts_with("blobs/") && is_blob_hash(name.substr(6))) return serve_blob(request, blobs, name.substr(6), route);
  return refuse(request, http::status::not_found, "the repository serves timestamp.json, root/N.json, snapshot/N.json, "
                                                  "targets/N.json and blobs/HASH");
}

}  // namespace pavilion::hub

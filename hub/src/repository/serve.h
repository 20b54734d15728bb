// GET and HEAD /v1/repository/… (engine/distribution/PROTOCOL.md, "Objects a repository
// serves"): the metadata from the Store, blobs streamed from the blob store's files with strong
// ETags, immutable caching and byte ranges, so any HTTP cache can stand in front. No token: every
// byte served is signed or pinned by a hash.
#pragma once

#include "pavilion/distribution/blob_store.h"
#include "pavilion/hub/store.h"

#include <boost/asio/buffer.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/optional.hpp>
#include <boost/beast/http/string_body.hpp>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace pavilion::hub {

// A blob's bytes as a Beast body: a window [offset, offset + length) of an open file, read with
// pread in pieces of 128 KiB (Beast's own file body reads 4 KiB at a time: a 200 MB blob over
// loopback came at 600 MB/s with it, 780 MB/s with this). Read-only: only responses carry it.
struct BlobBody {
  class value_type {
   public:
    value_type() = default;
    value_type(value_type&& other) noexcept;
    value_type& operator=(value_type&& other) noexcept;
    ~value_type();
    // Opens `path`'s window; false (with errno) when it cannot be opened.
    bool open(const std::filesystem::path& path, uint64_t offset, uint64_t length);
    int descriptor() const { return descriptor_; }
    uint64_t offset() const { return offset_; }
    uint64_t length() const { return length_; }

   private:
    int descriptor_ = -1;
    uint64_t offset_ = 0;
    uint64_t length_ = 0;
  };

  static uint64_t size(const value_type& body) { return body.length(); }

  class writer {
   public:
    using const_buffers_type = boost::asio::const_buffer;
    template <bool is_request, class Fields>
    writer(const boost::beast::http::header<is_request, Fields>&, const value_type& body)
        : body_(body), position_(body.offset()), remaining_(body.length()) {}
    void init(boost::beast::error_code& failure) { failure = {}; }
    boost::optional<std::pair<const_buffers_type, bool>> get(boost::beast::error_code& failure);

   private:
    const value_type& body_;
    uint64_t position_;
    uint64_t remaining_;
    std::unique_ptr<char[]> piece_;
  };
};

using FileResponse = boost::beast::http::response<BlobBody>;
using TextResponse = boost::beast::http::response<boost::beast::http::string_body>;

// What a Range header asks of a file of `size` bytes (RFC 9110 §14): the whole file (no header,
// another unit, several ranges, or one that does not parse, all of which a server may ignore),
// one range, or none it can satisfy (416).
struct ByteRange {
  uint64_t first = 0;
  uint64_t length = 0;
};
struct Unsatisfiable {};
std::variant<std::monostate, ByteRange, Unsatisfiable> parse_range(std::string_view header, uint64_t size);

// Answers a request whose path starts with /v1/repository/: 200 (or 206, 304, 416) with the file;
// 404 for a name that is not one the repository serves (strictly: "timestamp.json",
// "root/N.json", "snapshot/N.json", "targets/N.json", "blobs/" and 64 lower-case hex digits) or
// that it does not hold; 405 for methods other than GET and HEAD; 503 when the database does not
// answer. `blobs` may be null (no repository folder): every blob is then 404. `route` names the
// kind of request for /metrics.
std::variant<TextResponse, FileResponse> serve_repository(
    const boost::beast::http::request<boost::beast::http::string_body>& request, Store& store,
    const distribution::BlobStore* blobs, std::string& route);

}  // namespace pavilion::hub

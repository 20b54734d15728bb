// GET and HEAD /v1/repository/… (engine/distribution/PROTOCOL.md, "Objects a repository
// serves"): the metadata from the Store, blobs streamed from the blob store's files with strong
// ETags, immutable caching and byte ranges, so any HTTP cache can stand in front. No token: every
// byte served is signed or pinned by a hash.
#pragma once

#include "pavilion/distribution/blob_store.h"
#include "pavilion/hub/store.h"

#include <boost/beast/core/file.hpp>
#include <boost/beast/http/basic_file_body.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace pavilion::hub {

// A byte range of one file, as Beast's basic_file_body reads a file: size() is the range's
// length and reading starts at its first byte. Read-only.
class FileWindow {
 public:
  using error_code = boost::beast::error_code;
  // Opens `path` for reading, the window [offset, offset + length).
  void open_window(const char* path, uint64_t offset, uint64_t length, error_code& failure);

  bool is_open() const { return file_.is_open(); }
  void close(error_code& failure) { file_.close(failure); }
  void open(const char* path, boost::beast::file_mode mode, error_code& failure);
  uint64_t size(error_code& failure) const;
  uint64_t pos(error_code& failure) { return file_.pos(failure); }
  void seek(uint64_t offset, error_code& failure) { file_.seek(offset, failure); }
  size_t read(void* buffer, size_t size, error_code& failure) { return file_.read(buffer, size, failure); }
  size_t write(const void* buffer, size_t size, error_code& failure);

 private:
  boost::beast::file file_;
  uint64_t length_ = 0;
};

using FileResponse = boost::beast::http::response<boost::beast::http::basic_file_body<FileWindow>>;
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

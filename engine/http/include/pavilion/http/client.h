// A small HTTP/1.1 client for talking to a Pavilion hub (the kiosk's uploader, and tests and
// benchmarks): one kept-alive connection, every step bounded by a timeout, every failure an
// Error that names the address and the step. No Boost or OpenSSL type appears here.
#pragma once

#include "pavilion/core/error.h"

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pavilion::http {

struct Endpoint {
  std::string host;
  uint16_t port = 80;
  std::string base_path;  // "" or "/prefix", no trailing slash
  bool tls = false;       // https: TLS 1.2 or later, the certificate checked against the host name
  // "http[s]://host[:port][/prefix]"
  static Result<Endpoint> parse(std::string_view url);
  std::string describe() const;
};

struct Request {
  std::string method = "POST";
  std::string target;  // after the endpoint's base path: "/v1/events"
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

struct Response {
  int status = 0;
  std::string body;
  std::string content_type;
  std::string retry_after;  // the Retry-After header, if the server sent one
  std::vector<std::pair<std::string, std::string>> headers;  // every header, as sent (Set-Cookie, …)
};

// A Content-Range header: "bytes FIRST-LAST/TOTAL" (a 206's) or "bytes */TOTAL" (a 416's); TOTAL
// may be "*", unknown.
struct ContentRange {
  std::optional<std::pair<uint64_t, uint64_t>> range;  // first and last byte, inclusive
  std::optional<uint64_t> total;
  static std::optional<ContentRange> parse(std::string_view value);
};

// A response whose body went to a BodySink rather than into memory.
struct StreamedResponse {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;  // every header, as sent
  std::optional<uint64_t> content_length;
  std::optional<ContentRange> content_range;  // present when the server sent a valid one
  uint64_t body_bytes = 0;                    // given to the sink
  enum class End {
    complete,   // the whole body arrived
    oversized,  // more than the sink's limit: cut there (at the header when Content-Length said so)
    stopped,    // the stop flag was set, or the sink returned false
    late,       // the sink's deadline passed while the body was arriving: cut there
  };
  End end = End::complete;
};

// Where a streamed body goes. Every function is called on the sending thread, during stream().
struct BodySink {
  // Called once the status and headers are in, before any body byte: the most body bytes to
  // accept. Empty: no limit.
  std::function<uint64_t(const StreamedResponse& head)> limit;
  // Each piece of the body as it arrives (at most 64 KiB); false ends the transfer (`stopped`).
  std::function<bool(std::span<const std::byte> piece)> write;
  // Watched while the exchange runs: set, it ends the transfer (`stopped`) within some 50 ms, or
  // fails stream() when no head had arrived.
  const std::atomic<bool>* stop = nullptr;
  // When the whole exchange must be over, however steadily a slow server keeps each step within
  // the client's timeout: passed before the head is in, stream() fails (a timeout); during the
  // body, the transfer ends `late` with what arrived given to the sink.
  std::optional<std::chrono::steady_clock::time_point> deadline;
};

class Client {
 public:
  // For https, `ca_file` (PEM) holds the authorities trusted to sign the hub's certificate, such
  // as a library's own; empty trusts the system's store.
  Client(Endpoint endpoint, std::chrono::milliseconds timeout, const std::filesystem::path& ca_file = {});
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // Connects if needed. A kept-alive connection the server has closed meanwhile is reopened
  // once; callers only send requests that are safe to repeat (the hub deduplicates).
  Result<Response> send(const Request& request);
  // The same, with the body streamed to `sink` as it arrives (a large download, resumed with a
  // Range header in `request`). A transfer cut off (oversized, stopped) closes the connection; the
  // next request opens a new one. A failure after the headers arrived is not retried: the sink
  // has what it was given.
  Result<StreamedResponse> stream(const Request& request, const BodySink& sink);
  // Limits how fast stream() reads bodies (a token bucket over every request of this client,
  // sleeping between reads; bursts of at most an eighth of a second's bytes). 0: no limit.
  void limit_bandwidth(uint64_t bytes_per_second);
  const Endpoint& endpoint() const { return endpoint_; }

  struct Connection;  // the transport; defined with the implementation

 private:
  Endpoint endpoint_;
  std::chrono::milliseconds timeout_;
  std::unique_ptr<Connection> connection_;
};

}  // namespace pavilion::http

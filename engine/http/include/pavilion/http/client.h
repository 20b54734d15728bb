// A small HTTP/1.1 client for talking to a Pavilion hub (the kiosk's uploader, and tests and
// benchmarks): one kept-alive connection, every step bounded by a timeout, every failure an
// Error that names the address and the step. No Boost or OpenSSL type appears here.
#pragma once

#include "pavilion/core/error.h"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
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
  const Endpoint& endpoint() const { return endpoint_; }

  struct Connection;  // the transport; defined with the implementation

 private:
  Endpoint endpoint_;
  std::chrono::milliseconds timeout_;
  std::unique_ptr<Connection> connection_;
};

}  // namespace pavilion::http

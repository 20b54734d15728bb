// A small HTTP/1.1 client for the uploader (and for tests and benchmarks that talk to a hub):
// one kept-alive connection, every step bounded by a timeout, every failure an Error that names
// the address and the step.
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

namespace pavilion::telemetry {

struct HttpEndpoint {
  std::string host;
  uint16_t port = 80;
  std::string base_path;  // "" or "/prefix", no trailing slash
  bool tls = false;       // https: TLS 1.2 or later, the certificate checked against the host name
  // "http[s]://host[:port][/prefix]"
  static Result<HttpEndpoint> parse(std::string_view url);
  std::string describe() const;
};

struct HttpRequest {
  std::string method = "POST";
  std::string target;  // after the endpoint's base path: "/v1/events"
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

struct HttpResponse {
  int status = 0;
  std::string body;
  std::string content_type;
  std::string retry_after;  // the Retry-After header, if the server sent one
};

class HttpClient {
 public:
  // For https, `ca_file` (PEM) holds the authorities trusted to sign the hub's certificate, such
  // as a library's own; empty trusts the system's store.
  HttpClient(HttpEndpoint endpoint, std::chrono::milliseconds timeout, const std::filesystem::path& ca_file = {});
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Connects if needed. A kept-alive connection the server has closed meanwhile is reopened
  // once; callers only send requests that are safe to repeat (the hub deduplicates).
  Result<HttpResponse> send(const HttpRequest& request);
  const HttpEndpoint& endpoint() const { return endpoint_; }

  struct Connection;  // the transport; defined with the implementation

 private:
  HttpEndpoint endpoint_;
  std::chrono::milliseconds timeout_;
  std::unique_ptr<Connection> connection_;
};

}  // namespace pavilion::telemetry

#include "pavilion/telemetry/http_client.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <fmt/format.h>

#include <charconv>

namespace pavilion::telemetry {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

Result<HttpEndpoint> HttpEndpoint::parse(std::string_view url) {
  const std::string what = fmt::format("reading the hub address \"{}\"", url);
  constexpr std::string_view scheme = "http://";
  if (url.starts_with("https://")) {
    return Error(ErrorCode::unsupported, what,
                 "Pavilion speaks plain HTTP to its hub; put TLS in a reverse proxy in front of the hub and give "
                 "kiosks an http:// address on the library's network, or a local proxy that forwards to https");
  }
  if (!url.starts_with(scheme)) return Error(ErrorCode::invalid_input, what, "it must start with http://");
  std::string_view rest = url.substr(scheme.size());
  HttpEndpoint endpoint;
  const size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  if (slash != std::string_view::npos) {
    std::string_view path = rest.substr(slash);
    while (path.ends_with('/')) path.remove_suffix(1);
    endpoint.base_path = std::string(path);
  }
  const size_t colon = authority.rfind(':');
  if (colon != std::string_view::npos) {
    const std::string_view port_text = authority.substr(colon + 1);
    unsigned port = 0;
    const auto parsed = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (parsed.ec != std::errc() || parsed.ptr != port_text.data() + port_text.size() || port == 0 || port > 65535) {
      return Error(ErrorCode::invalid_input, what, fmt::format("\"{}\" is not a port number (1–65535)", port_text));
    }
    endpoint.port = static_cast<uint16_t>(port);
    authority = authority.substr(0, colon);
  }
  if (authority.empty()) return Error(ErrorCode::invalid_input, what, "it names no host");
  endpoint.host = std::string(authority);
  return endpoint;
}

std::string HttpEndpoint::describe() const { return fmt::format("http://{}:{}{}", host, port, base_path); }

struct HttpClient::Connection {
  asio::io_context context;
  beast::tcp_stream stream{context};
  beast::flat_buffer buffer;
  bool open = false;
};

HttpClient::HttpClient(HttpEndpoint endpoint, std::chrono::milliseconds timeout)
    : endpoint_(std::move(endpoint)), timeout_(timeout), connection_(std::make_unique<Connection>()) {}

HttpClient::~HttpClient() = default;

namespace {

// One exchange on `connection`; `step` says how far it got, for the error.
asio::awaitable<void> exchange(beast::tcp_stream& stream, beast::flat_buffer& buffer, bool& open,
                               const HttpEndpoint& endpoint, std::chrono::milliseconds timeout,
                               http::request<http::string_body>& request, http::response<http::string_body>& response,
                               beast::error_code& failure, const char*& step) {
  if (!open) {
    step = "resolving";
    asio::ip::tcp::resolver resolver(co_await asio::this_coro::executor);
    const auto addresses = co_await resolver.async_resolve(endpoint.host, std::to_string(endpoint.port),
                                                           asio::redirect_error(asio::use_awaitable, failure));
    if (failure) co_return;
    step = "connecting";
    stream.expires_after(timeout);
    co_await stream.async_connect(addresses, asio::redirect_error(asio::use_awaitable, failure));
    if (failure) co_return;
    open = true;
    buffer.clear();
  }
  step = "sending";
  stream.expires_after(timeout);
  co_await http::async_write(stream, request, asio::redirect_error(asio::use_awaitable, failure));
  if (failure) co_return;
  step = "waiting for the answer";
  stream.expires_after(timeout);
  http::response_parser<http::string_body> parser;
  parser.body_limit(64 * 1024 * 1024);
  co_await http::async_read(stream, buffer, parser, asio::redirect_error(asio::use_awaitable, failure));
  if (failure) co_return;
  response = parser.release();
}

}  // namespace

Result<HttpResponse> HttpClient::send(const HttpRequest& request) {
  const std::string target = endpoint_.base_path + request.target;
  http::request<http::string_body> message(http::string_to_verb(request.method), target, 11);
  message.set(http::field::host, endpoint_.host);
  message.set(http::field::user_agent, "pavilion");
  for (const auto& [name, value] : request.headers) message.set(name, value);
  message.body() = request.body;
  message.prepare_payload();

  for (int attempt = 0;; ++attempt) {
    Connection& connection = *connection_;
    const bool reused = connection.open;
    beast::error_code failure;
    const char* step = "starting";
    http::response<http::string_body> response;
    connection.context.restart();
    asio::co_spawn(connection.context,
                   exchange(connection.stream, connection.buffer, connection.open, endpoint_, timeout_, message,
                            response, failure, step),
                   asio::detached);
    connection.context.run();
    if (!failure) {
      if (!response.keep_alive()) {
        beast::error_code ignored;
        connection.stream.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
        connection.stream.close();
        connection.open = false;
      }
      HttpResponse out;
      out.status = static_cast<int>(response.result_int());
      out.body = std::move(response.body());
      out.content_type = std::string(response[http::field::content_type]);
      out.retry_after = std::string(response[http::field::retry_after]);
      return out;
    }
    connection.stream.close();
    connection.open = false;
    // The server may have closed a kept-alive connection while it sat idle: try a fresh one once.
    if (reused && attempt == 0) continue;
    const std::string why = failure == beast::error::timeout
                                ? fmt::format("no progress within {} ms", timeout_.count())
                                : failure.message();
    return Error(ErrorCode::io, fmt::format("{} {} {}{}", step, request.method, endpoint_.describe(), request.target),
                 why);
  }
}

}  // namespace pavilion::telemetry

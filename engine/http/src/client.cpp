#include "pavilion/http/client.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <fmt/format.h>

#include <charconv>
#include <optional>

namespace pavilion::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace beast_http = beast::http;

Result<Endpoint> Endpoint::parse(std::string_view url) {
  const std::string what = fmt::format("reading the hub address \"{}\"", url);
  Endpoint endpoint;
  std::string_view rest;
  if (url.starts_with("https://")) {
    endpoint.tls = true;
    endpoint.port = 443;
    rest = url.substr(8);
  } else if (url.starts_with("http://")) {
    rest = url.substr(7);
  } else {
    return Error(ErrorCode::invalid_input, what, "it must start with http:// or https://");
  }
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

std::string Endpoint::describe() const {
  return fmt::format("{}://{}:{}{}", tls ? "https" : "http", host, port, base_path);
}

struct Client::Connection {
  asio::io_context context;
  asio::ssl::context tls{asio::ssl::context::tls_client};
  std::string tls_problem;  // a CA file that could not be read: every send fails with it
  beast::tcp_stream plain{context};
  // A TLS session cannot be reused once shut down, so each connection gets a new stream.
  std::optional<beast::ssl_stream<beast::tcp_stream>> secure;
  beast::flat_buffer buffer;
  bool open = false;

  beast::tcp_stream& lowest() { return secure ? beast::get_lowest_layer(*secure) : plain; }
  void close() {
    beast::error_code ignored;
    lowest().socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
    lowest().close();
    secure.reset();
    open = false;
  }
};

Client::Client(Endpoint endpoint, std::chrono::milliseconds timeout, const std::filesystem::path& ca_file)
    : endpoint_(std::move(endpoint)), timeout_(timeout), connection_(std::make_unique<Connection>()) {
  if (!endpoint_.tls) return;
  asio::ssl::context& tls = connection_->tls;
  tls.set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                  asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 | asio::ssl::context::no_tlsv1_1);
  tls.set_verify_mode(asio::ssl::verify_peer);
  beast::error_code failure;
  if (ca_file.empty()) {
    tls.set_default_verify_paths(failure);
  } else {
    tls.load_verify_file(ca_file.string(), failure);
  }
  if (failure) {
    connection_->tls_problem = fmt::format("the certificate authorities in {} could not be read: {}",
                                           ca_file.empty() ? "the system store" : ca_file.string(), failure.message());
  }
}

Client::~Client() = default;

namespace {

// Resolves, connects and (for https) shakes hands; `step` says how far it got, for the error.
asio::awaitable<void> open_connection(Client::Connection& connection, const Endpoint& endpoint,
                                      std::chrono::milliseconds timeout, beast::error_code& failure, const char*& step) {
  step = "resolving";
  asio::ip::tcp::resolver resolver(co_await asio::this_coro::executor);
  const auto addresses = co_await resolver.async_resolve(endpoint.host, std::to_string(endpoint.port),
                                                         asio::redirect_error(asio::use_awaitable, failure));
  if (failure) co_return;
  if (endpoint.tls) connection.secure.emplace(connection.context, connection.tls);
  step = "connecting";
  connection.lowest().expires_after(timeout);
  co_await connection.lowest().async_connect(addresses, asio::redirect_error(asio::use_awaitable, failure));
  if (failure) co_return;
  if (endpoint.tls) {
    step = "checking the hub's certificate";
    // SNI, so a proxy serving several names picks the right certificate; and the name checked.
    if (!SSL_set_tlsext_host_name(connection.secure->native_handle(), endpoint.host.c_str())) {
      failure = beast::error_code(static_cast<int>(::ERR_get_error()), asio::error::get_ssl_category());
      co_return;
    }
    connection.secure->set_verify_callback(asio::ssl::host_name_verification(endpoint.host));
    connection.lowest().expires_after(timeout);
    co_await connection.secure->async_handshake(asio::ssl::stream_base::client,
                                                asio::redirect_error(asio::use_awaitable, failure));
    if (failure) co_return;
  }
  connection.open = true;
  connection.buffer.clear();
}

template <class Stream>
asio::awaitable<void> exchange(Stream& stream, beast::tcp_stream& lowest, beast::flat_buffer& buffer,
                               std::chrono::milliseconds timeout, beast_http::request<beast_http::string_body>& request,
                               beast_http::response<beast_http::string_body>& response, beast::error_code& failure,
                               const char*& step) {
  step = "sending";
  lowest.expires_after(timeout);
  co_await beast_http::async_write(stream, request, asio::redirect_error(asio::use_awaitable, failure));
  if (failure) co_return;
  step = "waiting for the answer";
  lowest.expires_after(timeout);
  beast_http::response_parser<beast_http::string_body> parser;
  parser.body_limit(64 * 1024 * 1024);
  co_await beast_http::async_read(stream, buffer, parser, asio::redirect_error(asio::use_awaitable, failure));
  if (failure) co_return;
  response = parser.release();
}

asio::awaitable<void> round_trip(Client::Connection& connection, const Endpoint& endpoint,
                                 std::chrono::milliseconds timeout, beast_http::request<beast_http::string_body>& request,
                                 beast_http::response<beast_http::string_body>& response, beast::error_code& failure,
                                 const char*& step) {
  if (!connection.open) {
    co_await open_connection(connection, endpoint, timeout, failure, step);
    if (failure) co_return;
  }
  if (connection.secure) {
    co_await exchange(*connection.secure, connection.lowest(), connection.buffer, timeout, request, response, failure, step);
  } else {
    co_await exchange(connection.plain, connection.lowest(), connection.buffer, timeout, request, response, failure, step);
  }
}

}  // namespace

Result<Response> Client::send(const Request& request) {
  const std::string what = fmt::format("{} {}{}", request.method, endpoint_.describe(), request.target);
  if (!connection_->tls_problem.empty()) return Error(ErrorCode::io, what, connection_->tls_problem);
  const std::string target = endpoint_.base_path + request.target;
  beast_http::request<beast_http::string_body> message(beast_http::string_to_verb(request.method), target, 11);
  message.set(beast_http::field::host, endpoint_.host);
  message.set(beast_http::field::user_agent, "pavilion");
  for (const auto& [name, value] : request.headers) message.set(name, value);
  message.body() = request.body;
  message.prepare_payload();

  for (int attempt = 0;; ++attempt) {
    Connection& connection = *connection_;
    const bool reused = connection.open;
    beast::error_code failure;
    const char* step = "starting";
    beast_http::response<beast_http::string_body> response;
    connection.context.restart();
    asio::co_spawn(connection.context, round_trip(connection, endpoint_, timeout_, message, response, failure, step),
                   asio::detached);
    connection.context.run();
    if (!failure) {
      if (!response.keep_alive()) connection.close();
      Response out;
      out.status = static_cast<int>(response.result_int());
      out.body = std::move(response.body());
      out.content_type = std::string(response[beast_http::field::content_type]);
      out.retry_after = std::string(response[beast_http::field::retry_after]);
      for (const auto& field : response) out.headers.emplace_back(field.name_string(), field.value());
      return out;
    }
    connection.close();
    // The server may have closed a kept-alive connection while it sat idle: try a fresh one once.
    if (reused && attempt == 0) continue;
    const std::string why = failure == beast::error::timeout
                                ? fmt::format("no progress within {} ms", timeout_.count())
                                : failure.message();
    return Error(ErrorCode::io, fmt::format("{} {}", step, what), why);
  }
}

}  // namespace pavilion::http

#include "pavilion/http/client.h"

#include "pavilion/core/number.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <memory>
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
    const std::optional<uint64_t> port = parse_whole_number(port_text);
    if (!port || *port == 0 || *port > 65535) {
      return Error(ErrorCode::invalid_input, what, fmt::format("\"{}\" is not a port number (1–65535)", port_text));
    }
    endpoint.port = static_cast<uint16_t>(*port);
    authority = authority.substr(0, colon);
  }
  if (authority.empty()) return Error(ErrorCode::invalid_input, what, "it names no host");
  endpoint.host = std::string(authority);
  return endpoint;
}

std::string Endpoint::describe() const {
  return fmt::format("{}://{}:{}{}", tls ? "https" : "http", host, port, base_path);
}

namespace {

// A token bucket: reads take tokens, which come back at the rate; a read that overdraws them is
// followed by a sleep until the debt is paid.
class Throttle {
 public:
  void set_rate(uint64_t bytes_per_second) {
    rate_ = static_cast<double>(bytes_per_second);
    tokens_ = capacity();
    last_ = std::chrono::steady_clock::now();
  }
  // How many bytes the next read may take.
  size_t allowance(size_t wanted) const {
    if (rate_ == 0) return wanted;
    return std::clamp<size_t>(static_cast<size_t>(capacity()), 1, wanted);
  }
  // Takes `count` bytes' tokens; returns how long to sleep before reading on.
  std::chrono::nanoseconds take(uint64_t count) {
    if (rate_ == 0) return {};
    const auto now = std::chrono::steady_clock::now();
    tokens_ = std::min(capacity(), tokens_ + std::chrono::duration<double>(now - last_).count() * rate_);
    last_ = now;
    tokens_ -= static_cast<double>(count);
    if (tokens_ >= 0) return {};
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::duration<double>(-tokens_ / rate_));
  }

 private:
  double capacity() const { return rate_ / 8; }  // an eighth of a second's bytes at most in one burst

  double rate_ = 0;
  double tokens_ = 0;
  std::chrono::steady_clock::time_point last_;
};

}  // namespace

std::optional<ContentRange> ContentRange::parse(std::string_view value) {
  if (!value.starts_with("bytes ")) return std::nullopt;
  value.remove_prefix(6);
  const size_t slash = value.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  const std::string_view range = value.substr(0, slash);
  const std::string_view total = value.substr(slash + 1);
  ContentRange parsed;
  if (total != "*") {
    parsed.total = parse_whole_number(total);
    if (!parsed.total) return std::nullopt;
  }
  if (range == "*") return parsed.total ? std::optional(parsed) : std::nullopt;
  const size_t dash = range.find('-');
  if (dash == std::string_view::npos) return std::nullopt;
  const auto first = parse_whole_number(range.substr(0, dash));
  const auto last = parse_whole_number(range.substr(dash + 1));
  if (!first || !last || *last < *first || (parsed.total && *last >= *parsed.total)) return std::nullopt;
  parsed.range = std::pair(*first, *last);
  return parsed;
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
  Throttle throttle;  // kept across requests, so a resumed download keeps to the same limit
  std::vector<char> piece = std::vector<char>(64 * 1024);  // a streamed body's next bytes

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

// Arms the connection's timer for the next step: the client's timeout, or less when the sink's
// deadline comes first.
void arm(beast::tcp_stream& lowest, std::chrono::milliseconds timeout, const BodySink& sink) {
  const auto step_end = std::chrono::steady_clock::now() + timeout;
  lowest.expires_at(sink.deadline ? std::min(step_end, *sink.deadline) : step_end);
}

// While a stream's exchange waits on a slow server, looks at the sink's stop flag every 50 ms and
// cancels the wait once it is set: a stop must not wait out a whole step's timeout. The exchange
// ends the watch (`done`) however it ends, so the I/O context's run() returns without delay.
struct StopWatch {
  explicit StopWatch(const asio::any_io_executor& executor) : timer(executor) {}
  asio::steady_timer timer;
  bool done = false;
  bool fired = false;
};

asio::awaitable<void> watch_stop(std::shared_ptr<StopWatch> watch, beast::tcp_stream& lowest, const std::atomic<bool>& stop) {
  while (!watch->done) {
    watch->timer.expires_after(std::chrono::milliseconds(50));
    beast::error_code ignored;
    co_await watch->timer.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
    if (!watch->done && stop.load()) {
      watch->fired = true;
      lowest.cancel();
      co_return;
    }
  }
}

// Reads a response's head, then its body piece by piece into `sink`, within the sink's limit
// and the connection's bandwidth; `answered` once the head is in.
template <class Stream>
asio::awaitable<void> stream_exchange(Stream& stream, Client::Connection& connection, std::chrono::milliseconds timeout,
                                      beast_http::request<beast_http::string_body>& request, const BodySink& sink,
                                      StreamedResponse& out, bool& keep_alive, beast::error_code& failure,
                                      const char*& step, bool& answered) {
  beast::tcp_stream& lowest = connection.lowest();
  std::shared_ptr<StopWatch> watch;
  if (sink.stop) {
    watch = std::make_shared<StopWatch>(co_await asio::this_coro::executor);
    asio::co_spawn(co_await asio::this_coro::executor, watch_stop(watch, lowest, *sink.stop), asio::detached);
  }
  struct EndWatch {
    StopWatch* watch;
    ~EndWatch() {
      if (!watch) return;
      watch->done = true;
      watch->timer.cancel();
    }
  } end_watch{watch.get()};
  step = "sending";
  arm(lowest, timeout, sink);
  co_await beast_http::async_write(stream, request, asio::redirect_error(asio::use_awaitable, failure));
  if (failure) co_return;
  step = "waiting for the answer";
  beast_http::response_parser<beast_http::buffer_body> parser;
  parser.body_limit(std::numeric_limits<uint64_t>::max());  // the sink's limit is checked here, piece by piece
  arm(lowest, timeout, sink);
  co_await beast_http::async_read_header(stream, connection.buffer, parser,
                                         asio::redirect_error(asio::use_awaitable, failure));
  if (failure) co_return;
  answered = true;
  const auto& head = parser.get();
  out.status = static_cast<int>(head.result_int());
  for (const auto& field : head) out.headers.emplace_back(field.name_string(), field.value());
  if (parser.content_length()) out.content_length = *parser.content_length();
  if (const auto range = head.find(beast_http::field::content_range); range != head.end()) {
    out.content_range = ContentRange::parse(range->value());
  }
  const uint64_t limit = sink.limit ? sink.limit(out) : std::numeric_limits<uint64_t>::max();
  if (out.content_length && *out.content_length > limit) {
    out.end = StreamedResponse::End::oversized;
    co_return;
  }
  step = "receiving the body";
  // Beast reads as much as the buffer has room for; left at its size after the head (about a
  // kilobyte), a 200 MB download took some 200 000 reads and as many timer re-arms.
  connection.buffer.reserve(connection.piece.size());
  while (!parser.is_done()) {
    if (sink.stop && sink.stop->load()) {
      out.end = StreamedResponse::End::stopped;
      co_return;
    }
    auto& body = parser.get().body();
    const size_t wanted = connection.throttle.allowance(connection.piece.size());
    body.data = connection.piece.data();
    body.size = wanted;
    arm(lowest, timeout, sink);
    co_await beast_http::async_read(stream, connection.buffer, parser, asio::redirect_error(asio::use_awaitable, failure));
    if (failure == beast_http::error::need_buffer) failure = {};  // the piece is full: not an error
    const bool late = failure == beast::error::timeout && sink.deadline && std::chrono::steady_clock::now() >= *sink.deadline;
    const bool stopped = failure == asio::error::operation_aborted && watch && watch->fired;
    if (late || stopped) failure = {};
    // What arrived before a cut goes to the sink too, so a resumed download starts after it.
    const size_t received = wanted - body.size;
    const size_t accepted = static_cast<size_t>(std::min<uint64_t>(received, limit - out.body_bytes));
    if (accepted > 0) {
      out.body_bytes += accepted;
      if (!sink.write(std::as_bytes(std::span(connection.piece).first(accepted)))) {
        out.end = StreamedResponse::End::stopped;
        co_return;
      }
    }
    if (accepted < received) {
      out.end = StreamedResponse::End::oversized;
      co_return;
    }
    if (failure) co_return;
    if (late || stopped) {
      out.end = late ? StreamedResponse::End::late : StreamedResponse::End::stopped;
      co_return;
    }
    if (const auto pause = connection.throttle.take(received); pause.count() > 0) {
      asio::steady_timer timer(co_await asio::this_coro::executor, pause);
      co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, failure));
      if (failure) co_return;
    }
  }
  keep_alive = parser.keep_alive();
}

// Opens the connection if needed, then runs `exchange` on its stream, plain or TLS.
template <class Exchange>
asio::awaitable<void> round_trip(Client::Connection& connection, const Endpoint& endpoint,
                                 std::chrono::milliseconds timeout, Exchange& exchange, beast::error_code& failure,
                                 const char*& step, bool& answered) {
  if (!connection.open) {
    co_await open_connection(connection, endpoint, timeout, failure, step);
    if (failure) co_return;
  }
  if (connection.secure) {
    co_await exchange(*connection.secure, failure, step, answered);
  } else {
    co_await exchange(connection.plain, failure, step, answered);
  }
}

// Runs one exchange to its end. The server may have closed a kept-alive connection while it sat
// idle: then a fresh one is tried once, if no answer had begun to arrive.
template <class Exchange>
Result<void> run_exchange(Client::Connection& connection, const Endpoint& endpoint, std::chrono::milliseconds timeout,
                          const std::string& what, Exchange exchange) {
  for (int attempt = 0;; ++attempt) {
    const bool reused = connection.open;
    beast::error_code failure;
    const char* step = "starting";
    bool answered = false;
    connection.context.restart();
    asio::co_spawn(connection.context, round_trip(connection, endpoint, timeout, exchange, failure, step, answered),
                   asio::detached);
    connection.context.run();
    if (!failure) return {};
    connection.close();
    if (reused && attempt == 0 && !answered) continue;
    const std::string why =
        failure == beast::error::timeout ? fmt::format("no progress within {} ms", timeout.count()) : failure.message();
    return Error(ErrorCode::io, fmt::format("{} {}", step, what), why);
  }
}

beast_http::request<beast_http::string_body> message_for(const Endpoint& endpoint, const Request& request) {
  beast_http::request<beast_http::string_body> message(beast_http::string_to_verb(request.method),
                                                       endpoint.base_path + request.target, 11);
  message.set(beast_http::field::host, endpoint.host);
  message.set(beast_http::field::user_agent, "pavilion");
  for (const auto& [name, value] : request.headers) message.set(name, value);
  message.body() = request.body;
  message.prepare_payload();
  return message;
}

}  // namespace

Result<Response> Client::send(const Request& request) {
  const std::string what = fmt::format("{} {}{}", request.method, endpoint_.describe(), request.target);
  if (!connection_->tls_problem.empty()) return Error(ErrorCode::io, what, connection_->tls_problem);
  auto message = message_for(endpoint_, request);
  beast_http::response<beast_http::string_body> response;
  // `answered` stays false: a whole response is read or none, so any failure may be retried.
  PV_TRY(run_exchange(*connection_, endpoint_, timeout_, what,
                      [&](auto& stream, beast::error_code& failure, const char*& step, bool&) {
                        return exchange(stream, connection_->lowest(), connection_->buffer, timeout_, message, response,
                                        failure, step);
                      }));
  if (!response.keep_alive()) connection_->close();
  Response out;
  out.status = static_cast<int>(response.result_int());
  out.body = std::move(response.body());
  out.content_type = std::string(response[beast_http::field::content_type]);
  out.retry_after = std::string(response[beast_http::field::retry_after]);
  for (const auto& field : response) out.headers.emplace_back(field.name_string(), field.value());
  return out;
}

Result<StreamedResponse> Client::stream(const Request& request, const BodySink& sink) {
  const std::string what = fmt::format("{} {}{}", request.method, endpoint_.describe(), request.target);
  if (!connection_->tls_problem.empty()) return Error(ErrorCode::io, what, connection_->tls_problem);
  auto message = message_for(endpoint_, request);
  StreamedResponse out;
  bool keep_alive = false;
  PV_TRY(run_exchange(*connection_, endpoint_, timeout_, what,
                      [&](auto& stream, beast::error_code& failure, const char*& step, bool& answered) {
                        return stream_exchange(stream, *connection_, timeout_, message, sink, out, keep_alive, failure,
                                               step, answered);
                      }));
  // A body not read to its end leaves the connection mid-message: only a new one can go on.
  if (out.end != StreamedResponse::End::complete || !keep_alive) connection_->close();
  return out;
}

void Client::limit_bandwidth(uint64_t bytes_per_second) { connection_->throttle.set_rate(bytes_per_second); }

}  // namespace pavilion::http

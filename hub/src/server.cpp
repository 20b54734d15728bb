#include "pavilion/hub/server.h"

#include "dashboard/api.h"
#include "json_text.h"
#include "metrics.h"
#include "pavilion/core/log.h"
#include "pavilion/hub/ingest.h"
#include "pavilion/hub/reports.h"
#include "pavilion/hub/repository.h"
#include "repository/serve.h"
#include "pavilion/telemetry/device_status.h"
#include "pavilion/telemetry/wire.h"
#include "web_files.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <sodium.h>
#include <zstd.h>

#include <algorithm>
#include <condition_variable>
#include <thread>

namespace pavilion::hub {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;
using nlohmann::json;

constexpr int64_t day_ms = 86'400'000;

Response answer(const Request& request, http::status status, std::string body,
                std::string_view content_type = "application/json") {
  Response response(status, request.version());
  response.set(http::field::server, "pavilion-hub");
  response.set(http::field::content_type, content_type);
  response.keep_alive(request.keep_alive());
  response.body() = std::move(body);
  response.prepare_payload();
  return response;
}

Response refuse(const Request& request, http::status status, std::string_view reason) {
  return answer(request, status, json_text(json{{"error", reason}}));
}

std::optional<std::string_view> bearer_token(const Request& request) {
  const std::string_view header = request[http::field::authorization];
  constexpr std::string_view prefix = "Bearer ";
  if (!header.starts_with(prefix) || header.size() == prefix.size()) return std::nullopt;
  return header.substr(prefix.size());
}

std::optional<std::string> query_parameter(std::string_view query, std::string_view name) {
  while (!query.empty()) {
    const size_t end = std::min(query.find('&'), query.size());
    const std::string_view pair = query.substr(0, end);
    const size_t equals = pair.find('=');
    if (pair.substr(0, equals) == name && equals != std::string_view::npos) return std::string(pair.substr(equals + 1));
    query.remove_prefix(std::min(end + 1, query.size()));
  }
  return std::nullopt;
}

enum class Inflate { ok, too_large, corrupt };

// Decompresses a zstd body, stopping as soon as it would pass `limit` (a small body can claim to
// inflate to gigabytes).
Inflate inflate_zstd(std::string_view compressed, size_t limit, std::string& out) {
  std::unique_ptr<ZSTD_DCtx, size_t (*)(ZSTD_DCtx*)> context(ZSTD_createDCtx(), ZSTD_freeDCtx);
  ZSTD_inBuffer input{compressed.data(), compressed.size(), 0};
  size_t last = 1;
  while (input.pos < input.size || last != 0) {
    const size_t before = out.size();
    if (before >= limit) return Inflate::too_large;
    out.resize(std::min(limit, before + ZSTD_DStreamOutSize()));
    ZSTD_outBuffer output{out.data() + before, out.size() - before, 0};
    last = ZSTD_decompressStream(context.get(), &output, &input);
    out.resize(before + output.pos);
    if (ZSTD_isError(last)) return Inflate::corrupt;
    if (input.pos == input.size && output.pos == 0 && last != 0) return Inflate::corrupt;  // truncated
  }
  return Inflate::ok;
}

// 24 random bytes as hex: a device's or a relay's token.
std::string new_token() {
  std::array<unsigned char, 24> secret{};
  randombytes_buf(secret.data(), secret.size());
  std::string token(secret.size() * 2 + 1, '\0');
  sodium_bin2hex(token.data(), token.size(), secret.data(), secret.size());
  token.pop_back();
  return token;
}

}  // namespace

std::string hash_token(std::string_view token) {
  std::array<unsigned char, crypto_generichash_BYTES> digest{};
  crypto_generichash(digest.data(), digest.size(), reinterpret_cast<const unsigned char*>(token.data()), token.size(),
                     nullptr, 0);
  std::string hex(digest.size() * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), digest.data(), digest.size());
  hex.pop_back();
  return hex;
}

Result<std::string> enrol_device(Store& store, std::string_view device_id, const EnrolOptions& options) {
  if (!telemetry::is_valid_device_id(device_id)) {
    return Error(ErrorCode::invalid_input, "enrolling a device",
                 fmt::format("the device id \"{}\" must be 1–64 letters, digits, '.', '_' or '-'", device_id));
  }
  // Branch ids follow the device ids' rule, which also keeps the dashboard's "*" (every branch) free.
  if (!options.branch.empty() && !telemetry::is_valid_device_id(options.branch)) {
    return Error(ErrorCode::invalid_input, "enrolling a device",
                 fmt::format("the branch id \"{}\" must be 1–64 letters, digits, '.', '_' or '-'", options.branch));
  }
  const std::string token = new_token();
  PV_TRY(store.enrol(device_id, hash_token(token), telemetry::system_clock_ms(), options));
  return token;
}

Result<std::string> enrol_relay(Store& store, std::string_view relay_id, std::string_view branch) {
  for (const auto& [what, id] : {std::pair{"relay", relay_id}, std::pair{"branch", branch}}) {
    if (!telemetry::is_valid_device_id(id)) {
      return Error(ErrorCode::invalid_input, "enrolling a relay",
                   fmt::format("the {} id \"{}\" must be 1–64 letters, digits, '.', '_' or '-'", what, id));
    }
  }
  const std::string token = new_token();
  PV_TRY(store.enrol_relay(relay_id, hash_token(token), telemetry::system_clock_ms(), branch));
  return token;
}

struct HubServer::State {
  HubConfig config;
  std::shared_ptr<Store> store;
  Metrics metrics;
  asio::io_context context;
  tcp::acceptor acceptor{context};
  std::vector<std::thread> threads;
  std::string admin_hash;
  std::optional<asio::ssl::context> tls;  // with a certificate and key configured
  std::optional<DashboardApi> dashboard;  // every /api/ request
  std::optional<distribution::BlobStore> blobs;  // the repository's, with a repository folder
  OnlineKeys keys;                               // the central hub's online keys, if it holds them

  std::mutex retention_mutex;
  std::condition_variable retention_wake;
  bool stopping = false;
  std::thread retention;
  std::thread repository_upkeep;  // renews the timestamp while the hub holds its key

  Response handle(const Request& request, std::string& route);
  Response ingest(const Request& request);
  Response relay_ingest(const Request& request);
  std::variant<ParsedBatch, Response> read_batch(const Request& request, int64_t received_ms);
  Response store_batch(const Request& request, DeviceBatch device, const ParsedBatch& batch);
  Response enrol(const Request& request);
  Response put_device_status(const Request& request);
  Response relay_status(const Request& request);
  // Whose token the request bears, or the answer refusing it; `what` is what to send again later.
  std::variant<std::string, Response> kiosk_of(const Request& request, std::string_view what);
  std::variant<RelayIdentity, Response> relay_of(const Request& request, std::string_view what);
  // The relayed device enrolled under the relay's branch the first time; an answer when it cannot be.
  std::optional<Response> adopt(const Request& request, const RelayIdentity& relay, const std::string& device_id,
                                std::string_view what);
  Response store_status(const Request& request, telemetry::DecodedStatus& report);
  bool is_admin(const Request& request) const;
  asio::awaitable<void> accept();
  asio::awaitable<void> serve(tcp::socket socket);
  template <class Stream>
  asio::awaitable<void> converse(Stream& stream, beast::tcp_stream& lowest);
  void run_retention();
  void run_repository_upkeep();
};

bool HubServer::State::is_admin(const Request& request) const {
  const auto token = bearer_token(request);
  if (!token || admin_hash.empty()) return false;
  const std::string presented = hash_token(*token);
  return sodium_memcmp(presented.data(), admin_hash.data(), admin_hash.size()) == 0;
}

// The body as a batch (zstd or plain), or the answer refusing it.
std::variant<ParsedBatch, Response> HubServer::State::read_batch(const Request& request, int64_t received_ms) {
  std::string inflated;
  std::string_view body = request.body();
  const std::string_view encoding = request[http::field::content_encoding];
  if (encoding == "zstd") {
    const Inflate result = inflate_zstd(body, config.max_batch_bytes, inflated);
    if (result == Inflate::too_large) {
      return refuse(request, http::status::payload_too_large,
                    fmt::format("the batch inflates to more than {} bytes; send fewer events at a time", config.max_batch_bytes));
    }
    if (result == Inflate::corrupt) return refuse(request, http::status::bad_request, "the body is not valid zstd data");
    body = inflated;
  } else if (!encoding.empty() && encoding != "identity") {
    return refuse(request, http::status::unsupported_media_type,
                  fmt::format("Content-Encoding '{}' is not one this hub reads (zstd or none)", encoding));
  }
  auto parsed = parse_batch(body, received_ms, BatchLimits{config.max_events_per_batch});
  if (const auto* refusal = std::get_if<BatchRefusal>(&parsed)) {
    const http::status status = refusal->kind == BatchRefusal::Kind::too_many_events ? http::status::payload_too_large
                                : refusal->kind == BatchRefusal::Kind::other_schema  ? http::status::unprocessable_entity
                                                                                      : http::status::bad_request;
    return refuse(request, status, refusal->reason);
  }
  return std::move(std::get<ParsedBatch>(parsed));
}

// Stores a batch read by read_batch and answers what became of each event.
Response HubServer::State::store_batch(const Request& request, DeviceBatch device, const ParsedBatch& batch) {
  // A branch hub keeps what it stores in its outbox until its upstream hub has it.
  device.forward = !config.upstream.url.empty() && config.upstream.forward_events;
  auto counts = store->ingest(device, batch.events);
  if (!counts) {
    log::error("hub", "{}", counts.error().describe());
    return refuse(request, http::status::service_unavailable, "the hub could not store the batch; send it again later");
  }
  metrics.count_batch(counts->stored, counts->duplicates, batch.rejected.size());
  json rejected = json::array();
  for (const EventRejection& rejection : batch.rejected) {
    json item{{"index", rejection.index}, {"reason", rejection.reason}};
    if (rejection.sequence) item["sequence"] = *rejection.sequence;
    rejected.push_back(std::move(item));
  }
  if (!batch.rejected.empty()) {
    log::warn("hub", "refused {} of {} events from {}: {}", batch.rejected.size(),
              batch.rejected.size() + batch.events.size(), batch.header.device_id, batch.rejected.front().reason);
  }
  return answer(request, http::status::ok,
                json_text(json{{"stored", counts->stored}, {"duplicates", counts->duplicates}, {"rejected", std::move(rejected)}}));
}

std::variant<std::string, Response> HubServer::State::kiosk_of(const Request& request, std::string_view what) {
  const auto token = bearer_token(request);
  if (!token) return refuse(request, http::status::unauthorized, "send the kiosk's token as 'Authorization: Bearer …'");
  auto device = store->device_for_token(hash_token(*token));
  if (!device) {
    log::error("hub", "{}", device.error().describe());
    return refuse(request, http::status::service_unavailable,
                  fmt::format("the hub cannot reach its database; send {} again later", what));
  }
  if (!*device) return refuse(request, http::status::unauthorized, "this token is not enrolled at the hub; enrol the kiosk again");
  return std::move(**device);
}

std::variant<RelayIdentity, Response> HubServer::State::relay_of(const Request& request, std::string_view what) {
  const auto token = bearer_token(request);
  if (!token) return refuse(request, http::status::unauthorized, "send the relay's token as 'Authorization: Bearer …'");
  auto relay = store->relay_for_token(hash_token(*token));
  if (!relay) {
    log::error("hub", "{}", relay.error().describe());
    return refuse(request, http::status::service_unavailable,
                  fmt::format("the hub cannot reach its database; send {} again later", what));
  }
  if (!*relay) {
    return refuse(request, http::status::unauthorized,
                  "this token is not a relay's; enrol the branch hub with `pavilion-hub enrol ID --relay --branch B`");
  }
  return std::move(**relay);
}

std::optional<Response> HubServer::State::adopt(const Request& request, const RelayIdentity& relay,
                                                const std::string& device_id, std::string_view what) {
  auto branch = store->adopt_relayed_device(device_id, relay.branch, telemetry::system_clock_ms());
  if (!branch) {
    log::error("hub", "{}", branch.error().describe());
    return refuse(request, http::status::service_unavailable, fmt::format("the hub could not store {}; send it again later", what));
  }
  if (*branch != relay.branch) {
    // 409, not 403: the relay's token is good, this one device is not the relay's to send.
    return refuse(request, http::status::conflict,
                  fmt::format("the device '{}' is enrolled under the branch '{}', not the relay {}'s '{}'", device_id,
                              *branch, relay.relay_id, relay.branch));
  }
  return std::nullopt;
}

Response HubServer::State::ingest(const Request& request) {
  auto device = kiosk_of(request, "the batch");
  if (auto* refused = std::get_if<Response>(&device)) return std::move(*refused);
  const std::string& device_id = std::get<std::string>(device);
  const int64_t received_ms = telemetry::system_clock_ms();
  auto parsed = read_batch(request, received_ms);
  if (auto* refused = std::get_if<Response>(&parsed)) return std::move(*refused);
  const ParsedBatch& batch = std::get<ParsedBatch>(parsed);
  if (batch.header.device_id != device_id) {
    return refuse(request, http::status::forbidden,
                  fmt::format("the batch says it comes from '{}' but the token is {}'s", batch.header.device_id, device_id));
  }
  // A kiosk's own "rejected_sequences" are not taken: only this hub's refusals count against it.
  return store_batch(request, device_batch(batch, received_ms), batch);
}

// A branch hub's forwarding of one device's batch (hub/README.md, "Branch hubs"): the device is
// enrolled under the relay's branch the first time, and the sequences the branch refused count
// here as refused too.
Response HubServer::State::relay_ingest(const Request& request) {
  auto relay = relay_of(request, "the batch");
  if (auto* refused = std::get_if<Response>(&relay)) return std::move(*refused);
  const int64_t received_ms = telemetry::system_clock_ms();
  auto parsed = read_batch(request, received_ms);
  if (auto* refused = std::get_if<Response>(&parsed)) return std::move(*refused);
  const ParsedBatch& batch = std::get<ParsedBatch>(parsed);
  if (auto refused = adopt(request, std::get<RelayIdentity>(relay), batch.header.device_id, "the batch")) return std::move(*refused);
  DeviceBatch device = device_batch(batch, received_ms);
  device.rejected_sequences.insert(device.rejected_sequences.end(), batch.header.rejected_sequences.begin(),
                                   batch.header.rejected_sequences.end());
  return store_batch(request, std::move(device), batch);
}

// A kiosk's update status for the fleet report (hub/README.md, "The fleet"): the latest replaces
// the one before.
Response HubServer::State::put_device_status(const Request& request) {
  auto device = kiosk_of(request, "the status");
  if (auto* refused = std::get_if<Response>(&device)) return std::move(*refused);
  const std::string& device_id = std::get<std::string>(device);
  auto decoded = telemetry::decode_status(request.body());
  if (const auto* reason = std::get_if<std::string>(&decoded)) return refuse(request, http::status::bad_request, *reason);
  telemetry::DecodedStatus& report = std::get<telemetry::DecodedStatus>(decoded);
  if (report.device_id != device_id) {
    return refuse(request, http::status::forbidden,
                  fmt::format("the status says it comes from '{}' but the token is {}'s", report.device_id, device_id));
  }
  return store_status(request, report);
}

// Its last check's time is corrected to the hub's clock as events' times are.
Response HubServer::State::store_status(const Request& request, telemetry::DecodedStatus& report) {
  const int64_t received_ms = telemetry::system_clock_ms();
  if (report.status.last_check_ms != 0) {
    report.status.last_check_ms = std::clamp<int64_t>(received_ms - (report.sent_ms - report.status.last_check_ms), 0, received_ms);
  }
  if (auto stored = store->put_device_status(report.device_id, received_ms, report.status); !stored) {
    log::error("hub", "{}", stored.error().describe());
    return refuse(request, http::status::service_unavailable, "the hub could not store the status; send it again later");
  }
  return answer(request, http::status::ok, json_text(json{{"device", report.device_id}, {"reported", format_utc_time(received_ms)}}));
}

// A branch hub forwarding one of its kiosks' statuses (hub/README.md, "The fleet"): the kiosk is
// enrolled under the relay's branch the first time, as its events are.
Response HubServer::State::relay_status(const Request& request) {
  auto relay = relay_of(request, "the status");
  if (auto* refused = std::get_if<Response>(&relay)) return std::move(*refused);
  auto decoded = telemetry::decode_status(request.body());
  if (const auto* reason = std::get_if<std::string>(&decoded)) return refuse(request, http::status::bad_request, *reason);
  telemetry::DecodedStatus& report = std::get<telemetry::DecodedStatus>(decoded);
  if (auto refused = adopt(request, std::get<RelayIdentity>(relay), report.device_id, "the status")) return std::move(*refused);
  return store_status(request, report);
}

Response HubServer::State::enrol(const Request& request) {
  if (!is_admin(request)) return refuse(request, http::status::forbidden, "enrolling a kiosk needs the hub's admin token");
  const json body = json::parse(request.body(), nullptr, false);
  if (!body.is_object() || !body.contains("device") || !body["device"].is_string()) {
    return refuse(request, http::status::bad_request,
                  "send {\"device\": \"<the kiosk's device id>\"}, and \"branch\": \"<its branch id>\" if you like");
  }
  if (body.contains("branch") && !body["branch"].is_string()) {
    return refuse(request, http::status::bad_request, "\"branch\" is the branch's id, a string");
  }
  const std::string device_id = body["device"].get<std::string>();
  auto token = enrol_device(*store, device_id, {body.value("branch", std::string()), false});
  if (!token) {
    const bool bad_name = token.error().code() == ErrorCode::invalid_input;
    if (!bad_name) log::error("hub", "{}", token.error().describe());
    return refuse(request, bad_name ? http::status::bad_request : http::status::service_unavailable, token.error().why());
  }
  log::info("hub", "enrolled device {}", device_id);
  return answer(request, http::status::created, json_text(json{{"device", device_id}, {"token", *token}}));
}

Response HubServer::State::handle(const Request& request, std::string& route) {
  const std::string_view target = request.target();
  const size_t question = target.find('?');
  const std::string_view path = target.substr(0, question);
  const std::string_view query = question == std::string_view::npos ? std::string_view() : target.substr(question + 1);
  if (path.starts_with("/api/")) return dashboard->handle(request, route);
  if (auto file = serve_web_file(request, config.web_root)) {
    route = "web";  // the dashboard's own files
    return std::move(*file);
  }
  struct Route {
    std::string_view path;
    http::verb method;
  };
  constexpr std::array<Route, 10> routes{{{"/healthz", http::verb::get},
                                         {"/metrics", http::verb::get},
                                         {"/v1/events", http::verb::post},
                                         {"/v1/relay/events", http::verb::post},
                                         {"/v1/devices", http::verb::post},
                                         {"/v1/devices/status", http::verb::put},
                                         {"/v1/relay/status", http::verb::put},
                                         {"/v1/reports/fleet", http::verb::get},
                                         {"/v1/reports/hourly", http::verb::get},
                                         {"/v1/reports/completeness", http::verb::get}}};
  const auto known = std::ranges::find(routes, path, &Route::path);
  if (known == routes.end()) {
    route = "other";
    return refuse(request, http::status::not_found, fmt::format("there is no {} here", path));
  }
  route = std::string(path);
  if (request.method() != known->method) {
    Response response = refuse(request, http::status::method_not_allowed,
                               fmt::format("{} takes {}", path, http::to_string(known->method)));
    response.set(http::field::allow, http::to_string(known->method));
    return response;
  }
  if (path == "/healthz") {
    if (auto healthy = store->check(); !healthy) {
      return answer(request, http::status::service_unavailable,
                    json_text(json{{"status", "unavailable"}, {"backend", store->backend()}, {"error", healthy.error().why()}}));
    }
    return answer(request, http::status::ok, json_text(json{{"status", "ok"}, {"backend", store->backend()}}));
  }
  if (path == "/metrics") return answer(request, http::status::ok, metrics.text(store->backend()), "text/plain; version=0.0.4");
  if (path == "/v1/events") return ingest(request);
  if (path == "/v1/relay/events") return relay_ingest(request);
  if (path == "/v1/devices") return enrol(request);
  if (path == "/v1/devices/status") return put_device_status(request);
  if (path == "/v1/relay/status") return relay_status(request);
  if (!is_admin(request)) return refuse(request, http::status::forbidden, "reports need the hub's admin token");
  if (path == "/v1/reports/fleet") {
    auto fleet = store->fleet();
    if (!fleet) return refuse(request, http::status::service_unavailable, fleet.error().why());
    return answer(request, http::status::ok, fleet_report_json(*fleet));
  }
  if (path == "/v1/reports/completeness") {
    auto report = store->completeness();
    if (!report) return refuse(request, http::status::service_unavailable, report.error().why());
    return answer(request, http::status::ok, completeness_report_json(*report));
  }
  const int64_t now = telemetry::system_clock_ms();
  const auto from_text = query_parameter(query, "from");
  const auto to_text = query_parameter(query, "to");
  const auto from = from_text ? parse_utc_time(*from_text) : std::optional<int64_t>(now - 7 * day_ms);
  const auto to = to_text ? parse_utc_time(*to_text) : std::optional<int64_t>(now);
  if (!from || !to || *to <= *from) {
    return refuse(request, http::status::bad_request,
                  "give from and to as dates (2026-11-23) or UTC times (2026-11-23T14:00:00Z), to after from");
  }
  auto rows = store->hourly(*from, *to);
  if (!rows) return refuse(request, http::status::service_unavailable, rows.error().why());
  return answer(request, http::status::ok, hourly_report_json(*from, *to, *rows));
}

template <class Stream>
asio::awaitable<void> HubServer::State::converse(Stream& stream, beast::tcp_stream& lowest) {
  beast::flat_buffer buffer;
  for (;;) {
    http::request_parser<http::string_body> parser;
    parser.header_limit(16 * 1024);
    parser.body_limit(config.max_request_bytes);
    lowest.expires_after(config.idle_timeout);
    beast::error_code failure;
    co_await http::async_read(stream, buffer, parser, asio::redirect_error(asio::use_awaitable, failure));
    const auto started = std::chrono::steady_clock::now();
    Response response;
    std::optional<FileResponse> file;  // a blob, streamed from its file
    std::string route = "other";
    bool close = false;
    if (failure == http::error::body_limit || failure == http::error::header_limit) {
      Request head = parser.get();
      response = refuse(head, http::status::payload_too_large,
                        fmt::format("requests are limited to {} bytes; send fewer events at a time", config.max_request_bytes));
      close = true;  // the rest of the body is still on the wire
    } else if (failure == http::error::end_of_stream || failure == beast::error::timeout ||
               failure == asio::error::connection_reset || failure == asio::error::operation_aborted ||
               failure.category() == asio::error::get_ssl_category() || failure == asio::ssl::error::stream_truncated) {
      break;
    } else if (failure) {
      Request empty;
      response = refuse(empty, http::status::bad_request, "the request is not valid HTTP/1.1");
      close = true;
    } else {
      const Request request = parser.release();
      try {
        if (request.target().starts_with("/v1/repository/")) {
          auto answer = serve_repository(request, *store, blobs ? &*blobs : nullptr, route);
          if (auto* streamed = std::get_if<FileResponse>(&answer)) file = std::move(*streamed);
          else response = std::move(std::get<TextResponse>(answer));
        } else {
          response = handle(request, route);
        }
      } catch (const std::exception& unexpected) {
        // A request must never end the hub (or the kiosk's visits with it): answer and go on.
        log::error("hub", "answering {}: {}", route, unexpected.what());
        response = refuse(request, http::status::internal_server_error, "the hub could not answer this request");
      }
      close = !request.keep_alive();
    }
    if (close) response.keep_alive(false);
    const unsigned status = file ? file->result_int() : response.result_int();
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    metrics.count_request(route, static_cast<int>(status), seconds);
    log::debug("hub", "{} → {} in {:.1f} ms", route, status, seconds * 1000);
    lowest.expires_after(config.idle_timeout);
    if (file) {
      // A large blob over a slow library link takes longer than the idle timeout: it bounds each
      // piece written instead of the whole answer.
      http::response_serializer<FileResponse::body_type> serializer(*file);
      while (!failure && !serializer.is_done()) {
        lowest.expires_after(config.idle_timeout);
        co_await http::async_write_some(stream, serializer, asio::redirect_error(asio::use_awaitable, failure));
      }
    } else {
      co_await http::async_write(stream, response, asio::redirect_error(asio::use_awaitable, failure));
    }
    if (failure || close) break;
  }
}

asio::awaitable<void> HubServer::State::serve(tcp::socket socket) {
  beast::tcp_stream plain(std::move(socket));
  if (tls) {
    beast::ssl_stream<beast::tcp_stream&> secure(plain, *tls);
    plain.expires_after(config.idle_timeout);
    beast::error_code failure;
    co_await secure.async_handshake(asio::ssl::stream_base::server, asio::redirect_error(asio::use_awaitable, failure));
    if (failure) {
      log::debug("hub", "a TLS handshake failed: {}", failure.message());
      co_return;
    }
    co_await converse(secure, plain);
  } else {
    co_await converse(plain, plain);
  }
  // A lingering close: read (and drop) what the client still sends, for a moment, so closing with
  // unread bytes does not reset the connection before the client has read our answer.
  beast::error_code ignored;
  plain.socket().shutdown(tcp::socket::shutdown_send, ignored);
  std::array<char, 16 * 1024> discard{};
  size_t drained = 0;
  plain.expires_after(std::chrono::seconds(2));
  while (drained < config.max_request_bytes * 4) {
    beast::error_code failure;
    drained += co_await plain.async_read_some(asio::buffer(discard), asio::redirect_error(asio::use_awaitable, failure));
    if (failure) break;
  }
}

asio::awaitable<void> HubServer::State::accept() {
  for (;;) {
    beast::error_code failure;
    // Each connection on a strand of its own: the context runs on several threads, and the
    // stream's timeout handler (beast::tcp_stream closes the socket when a read or write outlives
    // idle_timeout) would otherwise run on one thread while the connection's coroutine starts its
    // next read on another, on a socket being closed (a crash in the reactor, seen with clients
    // keeping connections open about as long as idle_timeout).
    const asio::any_io_executor strand = asio::make_strand(context);
    tcp::socket socket = co_await acceptor.async_accept(strand, asio::redirect_error(asio::use_awaitable, failure));
    if (failure == asio::error::operation_aborted || !acceptor.is_open()) co_return;
    if (failure) {
      log::warn("hub", "accepting a connection: {}", failure.message());
      continue;
    }
    asio::co_spawn(strand, serve(std::move(socket)), asio::detached);
  }
}

void HubServer::State::run_retention() {
  std::unique_lock lock(retention_mutex);
  while (!stopping) {
    lock.unlock();
    const int64_t cutoff = telemetry::system_clock_ms() - static_cast<int64_t>(config.retention_days) * day_ms;
    if (auto removed = store->expire_raw_events(cutoff); !removed) {
      log::error("hub", "{}", removed.error().describe());
    } else if (*removed > 0) {
      log::info("hub", "removed {} raw events older than {} days; their hourly counts stay", *removed, config.retention_days);
    }
    lock.lock();
    retention_wake.wait_for(lock, std::chrono::hours(1), [&] { return stopping; });
  }
}

void HubServer::State::run_repository_upkeep() {
  std::unique_lock lock(retention_mutex);
  while (!stopping) {
    lock.unlock();
    const Seconds now = telemetry::system_clock_ms() / 1000;
    if (auto renewed = renew_metadata(*store, keys, now); !renewed) {
      // Before `repository init` there is nothing to renew.
      if (renewed.error().code() != ErrorCode::not_found) log::error("hub", "{}", renewed.error().describe());
    } else if (*renewed) {
      log::info("hub", "signed the repository's timestamp again");
    }
    lock.lock();
    // Often enough that a timestamp is renewed soon after it is an hour old.
    retention_wake.wait_for(lock, std::chrono::minutes(5), [&] { return stopping; });
  }
}

Result<std::unique_ptr<HubServer>> HubServer::start(const HubConfig& config, std::shared_ptr<Store> store,
                                                    std::function<int64_t()> now_ms) {
  const std::string step = fmt::format("starting the hub on {}:{}", config.listen_address, config.port);
  if (sodium_init() < 0) return Error(ErrorCode::internal, step, "libsodium could not start");
  auto state = std::make_unique<State>();
  state->config = config;
  state->store = std::move(store);
  if (!config.admin_token.empty()) state->admin_hash = hash_token(config.admin_token);
  beast::error_code failure;
  if (!config.tls_certificate.empty() || !config.tls_private_key.empty()) {
    auto& tls = state->tls.emplace(asio::ssl::context::tls_server);
    tls.set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                    asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 | asio::ssl::context::no_tlsv1_1);
    tls.use_certificate_chain_file(config.tls_certificate.string(), failure);
    if (failure) {
      return Error(ErrorCode::invalid_input, step,
                   fmt::format("the TLS certificate {} could not be used: {}", config.tls_certificate.string(), failure.message()));
    }
    tls.use_private_key_file(config.tls_private_key.string(), asio::ssl::context::pem, failure);
    if (failure) {
      return Error(ErrorCode::invalid_input, step,
                   fmt::format("the TLS private key {} could not be used: {}", config.tls_private_key.string(), failure.message()));
    }
  }
  const auto address = asio::ip::make_address(config.listen_address, failure);
  if (failure) return Error(ErrorCode::invalid_input, step, fmt::format("'{}' is not an IP address", config.listen_address));
  const tcp::endpoint endpoint(address, config.port);
  state->acceptor.open(endpoint.protocol(), failure);
  if (!failure) state->acceptor.set_option(asio::socket_base::reuse_address(true), failure);
  if (!failure) state->acceptor.bind(endpoint, failure);
  if (!failure) state->acceptor.listen(asio::socket_base::max_listen_connections, failure);
  if (failure) return Error(ErrorCode::io, step, failure.message());
  if (!now_ms) now_ms = telemetry::system_clock_ms;
  state->dashboard.emplace(state->config, *state->store, std::move(now_ms), state->tls.has_value());
  if (!config.repository_folder.empty()) {
    PV_TRY_ASSIGN(state->blobs, distribution::BlobStore::open(config.repository_folder / "blobs"));
  }
  PV_TRY_ASSIGN(state->keys, read_online_keys(config));
  asio::co_spawn(state->context, state->accept(), asio::detached);
  for (unsigned index = 0; index < std::max(1u, config.threads); ++index) {
    state->threads.emplace_back([context = &state->context] { context->run(); });
  }
  if (config.retention_days > 0) state->retention = std::thread([raw = state.get()] { raw->run_retention(); });
  if (state->keys.timestamp) state->repository_upkeep = std::thread([raw = state.get()] { raw->run_repository_upkeep(); });
  log::info("hub", "listening on {}://{}:{} ({} storage)", state->tls ? "https" : "http", config.listen_address,
            state->acceptor.local_endpoint().port(), state->store->backend());
  return std::unique_ptr<HubServer>(new HubServer(std::move(state)));
}

HubServer::HubServer(std::unique_ptr<State> state) : state_(std::move(state)) {}

HubServer::~HubServer() {
  {
    std::lock_guard lock(state_->retention_mutex);
    state_->stopping = true;
  }
  state_->retention_wake.notify_all();
  if (state_->retention.joinable()) state_->retention.join();
  if (state_->repository_upkeep.joinable()) state_->repository_upkeep.join();
  asio::post(state_->context, [state = state_.get()] {
    beast::error_code ignored;
    state->acceptor.close(ignored);
  });
  state_->context.stop();
  for (std::thread& thread : state_->threads) thread.join();
}

uint16_t HubServer::port() const { return state_->acceptor.local_endpoint().port(); }

std::string HubServer::url() const {
  return fmt::format("{}://{}:{}", state_->tls ? "https" : "http", state_->config.listen_address, port());
}

Store& HubServer::store() { return *state_->store; }

}  // namespace pavilion::hub

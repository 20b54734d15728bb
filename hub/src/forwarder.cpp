#include "pavilion/hub/forwarder.h"

#include "pavilion/core/file.h"
#include "pavilion/core/log.h"
#include "pavilion/http/client.h"
#include "pavilion/telemetry/device_status.h"
#include "pavilion/telemetry/hub_answer.h"
#include "pavilion/telemetry/wire.h"
#include "periodic.h"

#include <fmt/format.h>
#include <zstd.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <mutex>

namespace pavilion::hub {
namespace {

// The event as the kiosk sent it, for the upstream hub's decoder. Its creation time is this
// hub's corrected time, sent with this hub's clock, so the upstream hub corrects once more for
// this hub's clock alone. Nothing when the stored event no longer reads as an event (never
// written by this hub's own ingest).
std::optional<telemetry::Event> kiosk_event(const StoredEvent& stored) {
  const auto id = telemetry::parse_uuid(stored.id);
  const auto session = telemetry::parse_uuid(stored.session);
  const auto type = telemetry::parse_event_type(stored.type);
  if (!id || !session || !type) return std::nullopt;
  telemetry::Event event;
  event.id = *id;
  event.sequence = stored.sequence;
  event.created_ms = stored.corrected_ms;
  event.type = *type;
  event.session = *session;
  event.package_id.assign(stored.package_id);
  event.package_version.assign(stored.package_version);
  event.subject.assign(stored.subject);
  event.value = stored.value;
  return event;
}


}  // namespace

struct EventForwarder::State {
  UpstreamConfig upstream;
  ForwarderTiming timing;
  std::string token;
  std::shared_ptr<Store> store;
  std::unique_ptr<http::Client> client;
  size_t batch_events = 0;  // halved while the upstream hub finds batches too large
  // Each kiosk's status this thread has forwarded, by when this hub received it. Only the latest
  // status matters, so this is kept in memory: after a restart every kiosk's goes once more.
  std::map<std::string, int64_t> statuses_forwarded;
  // Sequences of each kiosk's events the upstream hub refused outright (400, 409, 413 for a single
  // event): they left the outbox, so they go along with the kiosk's next batch as sequences this
  // hub refused, and the upstream hub's completeness report counts them as rejected rather than
  // unexplained. Kept in memory: after a restart those not yet sent show there as unexplained gaps.
  std::map<std::string, std::vector<uint64_t>> refused_upstream;

  mutable std::mutex mutex;  // stats, read by other threads
  ForwarderStats stats;
  std::unique_ptr<Periodic> thread;  // last: stopped first

  enum class Outcome { sent, empty, failed };
  Result<void> drain(const std::atomic<bool>& stopping);
  Outcome send_some();
  Outcome send(const ForwardBatch& batch);
  Outcome send_statuses();
  void fail(std::string why, std::chrono::milliseconds at_least = {});
};

void EventForwarder::State::fail(std::string why, std::chrono::milliseconds at_least) {
  std::lock_guard lock(mutex);
  ++stats.failed_attempts;
  ++stats.consecutive_failures;
  stats.current_backoff =
      std::max(telemetry::backoff_delay(timing.backoff_initial, timing.backoff_max, stats.consecutive_failures), at_least);
  if (why != stats.last_error) log::warn("hub", "forwarding events upstream: {}", why);
  stats.last_error = std::move(why);
}

// One device's batch, up to the upstream hub's acknowledgement and its removal from the outbox.
EventForwarder::State::Outcome EventForwarder::State::send(const ForwardBatch& batch) {
  std::vector<telemetry::Event> events;
  std::vector<std::string> ids;
  std::vector<std::string> unreadable;
  telemetry::BatchHeader header{batch.device.device_id, telemetry::system_clock_ms(), batch.device.dropped_over_cap,
                                batch.device.dropped_ring_full, batch.device.rejected_sequences};
  std::vector<uint64_t>& refused_before = refused_upstream[batch.device.device_id];
  header.rejected_sequences.insert(header.rejected_sequences.end(), refused_before.begin(), refused_before.end());
  for (const StoredEvent& stored : batch.events) {
    if (auto event = kiosk_event(stored)) {
      events.push_back(*event);
      ids.push_back(stored.id);
      // A clock set back since: the upstream hub refuses events made after their batch was sent.
      header.sent_ms = std::max(header.sent_ms, event->created_ms);
    } else {
      unreadable.push_back(stored.id);
    }
  }
  if (!unreadable.empty()) {
    log::error("hub", "{} stored events of {} do not read as events and are not forwarded (first {})", unreadable.size(),
               batch.device.device_id, unreadable.front());
    if (auto removed = store->forwarded(unreadable); !removed) {
      fail(removed.error().describe());
      return Outcome::failed;
    }
  }
  const std::string json = telemetry::encode_batch(header, events);
  http::Request request;
  request.target = "/v1/relay/events";
  request.headers = {{"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}, {"Content-Encoding", "zstd"}};
  request.body.resize(ZSTD_compressBound(json.size()));
  const size_t compressed = ZSTD_compress(request.body.data(), request.body.size(), json.data(), json.size(), 3);
  if (ZSTD_isError(compressed)) {
    fail(fmt::format("compressing a batch: {}", ZSTD_getErrorName(compressed)));
    return Outcome::failed;
  }
  request.body.resize(compressed);
  auto response = client->send(request);
  if (!response) {
    fail(response.error().describe());
    return Outcome::failed;
  }
  const int status = response->status;
  if (status == 413 && batch_events > 1) {
    batch_events = std::max<size_t>(1, batch_events / 2);
    log::warn("hub", "the upstream hub finds batches too large; forwarding {} events at a time", batch_events);
    return Outcome::sent;  // nothing left the outbox; the next, smaller batch goes at once
  }
  if (status == 401 || status == 403) {
    fail(fmt::format("the upstream hub refused this branch's relay token ({}); enrol it again with "
                     "`pavilion-hub enrol ID --relay --branch B` there",
                     telemetry::hub_reason(*response)),
         timing.backoff_max);
    return Outcome::failed;
  }
  uint64_t stored = 0;
  uint64_t duplicates = 0;
  uint64_t refused = 0;
  bool refused_outright = false;
  if (status == 200) {
    const std::optional<telemetry::BatchAnswer> answer = telemetry::read_batch_answer(response->body);
    if (!answer) {
      fail(fmt::format("the upstream hub's answer is not a hub's answer to a batch; trying again later: {:.200}",
                       response->body));
      return Outcome::failed;
    }
    stored = answer->stored;
    duplicates = answer->duplicates;
    refused = answer->rejected.size();
    if (refused > 0) {
      log::warn("hub", "the upstream hub refused {} events of {}: {}", refused, batch.device.device_id,
                answer->rejected.front().reason);
    }
  } else if (status == 400 || status == 409 || status == 413) {
    // Sending these again would be refused the same way for ever, and would hold up every device
    // behind them; they stay in this hub's own database.
    log::error("hub", "the upstream hub will not take {} events of {}: {}", ids.size(), batch.device.device_id,
               telemetry::hub_reason(*response));
    refused = ids.size();
    // A kiosk the upstream hub refuses for ever (409) must not grow this without end; past the
    // bound its refusals are in this log only.
    constexpr size_t max_carried = 100'000;
    for (const telemetry::Event& event : events) {
      if (refused_before.size() < max_carried) refused_before.push_back(event.sequence);
    }
    refused_outright = true;
  } else {
    fail(fmt::format("the upstream hub answered {}", telemetry::hub_reason(*response)),
         telemetry::parse_retry_after(response->retry_after));
    return Outcome::failed;
  }
  if (!refused_outright) refused_before.clear();  // the upstream hub keeps them now
  if (auto removed = store->forwarded(ids); !removed) {
    // The upstream hub has them; they go again and are duplicates there, never counted twice.
    fail(removed.error().describe());
    return Outcome::failed;
  }
  std::lock_guard lock(mutex);
  ++stats.batches;
  stats.events_stored += stored;
  stats.events_duplicate += duplicates;
  stats.events_refused += refused;
  stats.consecutive_failures = 0;
  stats.current_backoff = {};
  stats.last_error.clear();
  return Outcome::sent;
}

EventForwarder::State::Outcome EventForwarder::State::send_some() {
  auto batches = store->events_to_forward(batch_events);
  if (!batches) {
    fail(batches.error().describe());
    return Outcome::failed;
  }
  if (batches->empty()) return Outcome::empty;
  for (const ForwardBatch& batch : *batches) {
    if (const Outcome sent = send(batch); sent != Outcome::sent) return sent;
  }
  return Outcome::sent;
}

// Every kiosk's status newer than the one last forwarded, to PUT /v1/relay/status (hub/README.md,
// "The fleet"), with this hub's clock: the status's last check is this hub's corrected time.
EventForwarder::State::Outcome EventForwarder::State::send_statuses() {
  auto kiosks = store->fleet();
  if (!kiosks) {
    fail(kiosks.error().describe());
    return Outcome::failed;
  }
  for (const FleetKiosk& kiosk : *kiosks) {
    const auto forwarded = statuses_forwarded.find(kiosk.device_id);
    if (kiosk.reported_ms == 0 || (forwarded != statuses_forwarded.end() && forwarded->second >= kiosk.reported_ms)) continue;
    auto response = client->send({"PUT", "/v1/relay/status",
                                  {{"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}},
                                  telemetry::encode_status(kiosk.device_id, telemetry::system_clock_ms(), kiosk.status)});
    if (!response) {
      fail(response.error().describe());
      return Outcome::failed;
    }
    if (response->status == 401 || response->status == 403) {
      fail(fmt::format("the upstream hub refused this branch's relay token ({})", telemetry::hub_reason(*response)),
           timing.backoff_max);
      return Outcome::failed;
    }
    if (response->status == 400 || response->status == 409) {
      // Refused for what it is: sent again only once the kiosk reports another.
      log::error("hub", "the upstream hub will not take {}'s status: {}", kiosk.device_id, telemetry::hub_reason(*response));
    } else if (response->status != 200) {
      fail(fmt::format("the upstream hub answered {}", telemetry::hub_reason(*response)),
           telemetry::parse_retry_after(response->retry_after));
      return Outcome::failed;
    }
    statuses_forwarded[kiosk.device_id] = kiosk.reported_ms;
    std::lock_guard lock(mutex);
    stats.consecutive_failures = 0;
    stats.current_backoff = {};
    stats.last_error.clear();
  }
  return Outcome::empty;
}

// The whole outbox, batch after batch, until it is empty or an attempt fails; then the kiosks'
// statuses.
Result<void> EventForwarder::State::drain(const std::atomic<bool>& stopping) {
  for (;;) {
    Outcome sent = send_some();
    if (sent == Outcome::empty) sent = send_statuses();
    if (sent == Outcome::empty) return {};
    if (sent == Outcome::failed) {
      std::lock_guard lock(mutex);
      return Error(ErrorCode::io, "forwarding events upstream", stats.last_error);
    }
    if (stopping) return {};
  }
}

Result<std::unique_ptr<EventForwarder>> EventForwarder::start(const UpstreamConfig& upstream, std::shared_ptr<Store> store,
                                                              const ForwarderTiming& timing) {
  const char* step = "starting to forward events upstream";
  PV_TRY(http::Endpoint::parse(upstream.url).add_context(step));
  if (timing.batch_events == 0) return Error(ErrorCode::invalid_input, step, "a batch must hold at least one event");
  PV_TRY_ASSIGN(const auto bytes, read_file(upstream.token_file));
  std::string token(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  while (!token.empty() && std::isspace(static_cast<unsigned char>(token.back()))) token.pop_back();
  if (token.empty()) {
    return Error(ErrorCode::invalid_input, step,
                 fmt::format("{} holds no token; put there what `pavilion-hub enrol ID --relay --branch B` printed at "
                             "the upstream hub",
                             upstream.token_file.string()));
  }
  auto state = std::make_unique<State>();
  state->upstream = upstream;
  state->timing = timing;
  state->token = std::move(token);
  state->store = std::move(store);
  state->client = std::make_unique<http::Client>(http::Endpoint::parse(upstream.url).value(), timing.request_timeout,
                                                 upstream.ca_file);
  state->batch_events = timing.batch_events;
  State* raw = state.get();
  state->thread = std::make_unique<Periodic>(
      upstream.poll, [raw](const std::atomic<bool>& stopping) { return raw->drain(stopping); },
      [raw] {
        std::lock_guard lock(raw->mutex);
        return raw->stats.current_backoff;
      });
  return std::unique_ptr<EventForwarder>(new EventForwarder(std::move(state)));
}

EventForwarder::EventForwarder(std::unique_ptr<State> state) : state_(std::move(state)) {}

EventForwarder::~EventForwarder() { state_->thread.reset(); }

Result<void> EventForwarder::forward_now() { return state_->thread->run_now(); }

ForwarderStats EventForwarder::stats() const {
  std::lock_guard lock(state_->mutex);
  return state_->stats;
}

}  // namespace pavilion::hub

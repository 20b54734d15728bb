// pavilion-hub's HTTP server (Boost.Beast on Asio): interaction-log ingest, device enrolment,
// reports, /healthz, /metrics and the dashboard's /api (hub/DASHBOARD.md). hub/README.md
// documents each endpoint. The client's address is never stored or logged.
#pragma once

#include "pavilion/core/error.h"
#include "pavilion/hub/config.h"
#include "pavilion/hub/store.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace pavilion::hub {

// BLAKE2b-256 of a token, hex: the store keeps only this, so a copy of the database enrols no one.
std::string hash_token(std::string_view token);
// A new random token for `device_id` (replacing any earlier one), stored as its hash, with the
// device's branch and whether it is simulated (both replace earlier ones too).
Result<std::string> enrol_device(Store& store, std::string_view device_id, const EnrolOptions& options = {});
// A new random token for the branch hub `relay_id` (replacing any earlier one): it opens only
// /v1/relay/events, where the devices it brings are enrolled under `branch`.
Result<std::string> enrol_relay(Store& store, std::string_view relay_id, std::string_view branch);

class HubServer {
 public:
  // Listens at once (port 0 picks a free one) and serves on config.threads threads. `now_ms` is
  // the dashboard's clock (sessions, lockouts, the audit log); empty is the system's. Tests move it.
  static Result<std::unique_ptr<HubServer>> start(const HubConfig& config, std::shared_ptr<Store> store,
                                                  std::function<int64_t()> now_ms = {});
  // Stops accepting, ends open connections and joins its threads.
  ~HubServer();
  HubServer(const HubServer&) = delete;
  HubServer& operator=(const HubServer&) = delete;

  uint16_t port() const;
  std::string url() const;  // "http://127.0.0.1:8470"
  Store& store();

 private:
  struct State;
  explicit HubServer(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace pavilion::hub

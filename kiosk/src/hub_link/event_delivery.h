// Where a kiosk's interaction events go, the same for its touch screen and its headset mode: the
// durable local queue (engine/telemetry) and, with a hub in kiosk.json, the uploader to it — or
// to the hub the kiosk runs itself ("embedded": pavilion-hub as a child process, hub_process.h),
// where it enrols itself. With the events goes the updater's status, for the hub's fleet report.
#pragma once

#include "hub_link/hub_process.h"
#include "pavilion/kiosk/config.h"
#include "pavilion/telemetry/status_reporter.h"
#include "pavilion/telemetry/telemetry.h"
#include "pavilion/telemetry/uploader.h"

#include <chrono>
#include <functional>
#include <memory>
#include <string>

namespace pavilion::kiosk {

class EventDelivery {
 public:
  // Never fails: without its log the kiosk still serves visitors. What cannot start is said in
  // the log and through `note` (a line for the operator screen), and the rest goes on without it.
  static std::unique_ptr<EventDelivery> start(const KioskConfig& config, const std::function<void(std::string)>& note);
  // Everything recorded goes into the queue, the queue to the hub (for a few seconds), then the
  // embedded hub stops: in that order.
  ~EventDelivery();
  EventDelivery(const EventDelivery&) = delete;
  EventDelivery& operator=(const EventDelivery&) = delete;

  // Null when no queue is configured or it could not be opened; lives as long as this object.
  telemetry::Telemetry* telemetry() const { return telemetry_.get(); }
  // Null without a hub, or when the upload could not start.
  const telemetry::Uploader* uploader() const { return uploader_.get(); }
  // The updater's status for the hub's fleet report, sent when it changed (status_reporter.h).
  // The frame loop calls this every frame: `read` is called at most once in status_interval, and
  // not at all without a hub.
  void report_status(const std::function<telemetry::UpdateStatus()>& read);
  static constexpr std::chrono::seconds status_interval{5};
  // Null without a hub, or when reporting could not start.
  const telemetry::StatusReporter* status_reporter() const { return status_reporter_.get(); }

 private:
  EventDelivery() = default;
  void start_upload(const KioskConfig& config, const std::function<void(std::string)>& note);

  std::unique_ptr<telemetry::Telemetry> telemetry_;
  std::unique_ptr<HubProcess> embedded_hub_;
  std::unique_ptr<telemetry::Uploader> uploader_;
  std::unique_ptr<telemetry::StatusReporter> status_reporter_;
  std::chrono::steady_clock::time_point status_read_{};
};

}  // namespace pavilion::kiosk

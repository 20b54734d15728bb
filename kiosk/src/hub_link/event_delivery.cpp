#include "hub_link/event_delivery.h"

#include "pavilion/core/file.h"
#include "pavilion/core/log.h"

#include <fmt/format.h>

#include <cctype>

namespace pavilion::kiosk {

std::unique_ptr<EventDelivery> EventDelivery::start(const KioskConfig& config,
                                                    const std::function<void(std::string)>& note) {
  std::unique_ptr<EventDelivery> delivery(new EventDelivery());
  if (config.telemetry_queue.empty()) return delivery;
  auto started = telemetry::Telemetry::start({.queue_file = config.telemetry_queue});
  if (!started) {
    log::error("kiosk", "interaction events will not be kept: {}", started.error().describe());
    note(fmt::format("interaction log unavailable: {}", started.error().why()));
    return delivery;
  }
  delivery->telemetry_ = std::move(*started);
  if (config.hub) delivery->start_upload(config, note);
  return delivery;
}

EventDelivery::~EventDelivery() {
  telemetry_.reset();
  uploader_.reset();
  status_reporter_.reset();
  embedded_hub_.reset();
}

void EventDelivery::report_status(const std::function<telemetry::UpdateStatus()>& read) {
  const auto now = std::chrono::steady_clock::now();
  if (!status_reporter_ || now - status_read_ < status_interval) return;
  status_read_ = now;
  status_reporter_->report(read());
}

void EventDelivery::start_upload(const KioskConfig& config, const std::function<void(std::string)>& note) {
  const HubLink& link = *config.hub;
  std::string url = link.url;
  std::string token;
  if (link.embedded) {
    // The kiosk enrols itself at its own hub; the token stays between the two processes.
    auto own = HubProcess::start({.device_id = link.device_id,
                                  .listen_address = link.embedded->listen_address,
                                  .port = link.embedded->port,
                                  .database = link.embedded->database});
    if (!own) {
      log::error("kiosk", "the kiosk's own hub could not start: {}", own.error().describe());
      note(fmt::format("embedded hub unavailable: {}", own.error().why()));
      return;
    }
    embedded_hub_ = std::move(own).value();
    url = embedded_hub_->url();
    token = embedded_hub_->device_token();
  } else {
    auto bytes = read_file(link.token_file);
    if (!bytes) {
      log::error("kiosk", "interaction events will not be uploaded: {}", bytes.error().describe());
      note(fmt::format("no hub token: {}", bytes.error().why()));
      return;
    }
    token.assign(reinterpret_cast<const char*>(bytes->data()), bytes->size());
    while (!token.empty() && std::isspace(static_cast<unsigned char>(token.back()))) token.pop_back();
  }
  auto started = telemetry::Uploader::start(
      {.queue_file = config.telemetry_queue, .hub_url = url, .ca_file = link.ca_file, .device_id = link.device_id,
       .token = token});
  if (!started) {
    log::error("kiosk", "interaction events will not be uploaded: {}", started.error().describe());
    note(fmt::format("uploader unavailable: {}", started.error().why()));
    return;
  }
  uploader_ = std::move(started).value();
  auto reporting = telemetry::StatusReporter::start(
      {.hub_url = url, .ca_file = link.ca_file, .device_id = link.device_id, .token = token});
  if (!reporting) {
    log::error("kiosk", "the update status will not be reported: {}", reporting.error().describe());
    return;
  }
  status_reporter_ = std::move(reporting).value();
}

}  // namespace pavilion::kiosk

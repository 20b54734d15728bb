#include "event_delivery.h"

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
  embedded_hub_.reset();
}

void EventDelivery::start_upload(const KioskConfig& config, const std::function<void(std::string)>& note) {
  const HubLink& link = *config.hub;
  std::string url = link.url;
  std::string token;
  if (link.embedded) {
    hub::HubConfig hub_config;
    hub_config.listen_address = link.embedded->listen_address;
    hub_config.port = link.embedded->port;
    hub_config.database = link.embedded->database.string();
    hub_config.threads = 1;
    auto store = hub::open_store(hub_config.database);
    auto server = store ? hub::HubServer::start(hub_config, std::move(store).value()) : std::move(store).error();
    // The kiosk enrols itself at its own hub; the token never leaves this process.
    auto enrolled = server ? hub::enrol_device((*server)->store(), link.device_id) : server.error();
    if (!enrolled) {
      log::error("kiosk", "the embedded hub could not start: {}", enrolled.error().describe());
      note(fmt::format("embedded hub unavailable: {}", enrolled.error().why()));
      return;
    }
    embedded_hub_ = std::move(server).value();
    url = embedded_hub_->url();
    token = std::move(enrolled).value();
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
}

}  // namespace pavilion::kiosk

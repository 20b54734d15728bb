// A kiosk's interaction logging alone, for the kill -9 tests: `run` records events without end
// (a visitor who never stops) while the writer and uploader work, until it is killed; `drain`
// sends everything queued and exits.
#include "pavilion/telemetry/telemetry.h"
#include "pavilion/telemetry/uploader.h"

#include <fmt/format.h>

#include <string_view>
#include <thread>

int main(int argc, char** argv) {
  using namespace pavilion::telemetry;
  if (argc != 5) {
    fmt::print(stderr, "usage: telemetry_fault_child QUEUE HUB_URL TOKEN run|drain\n");
    return 2;
  }
  const std::string_view mode = argv[4];
  TelemetryConfig telemetry_config;
  telemetry_config.queue_file = argv[1];
  telemetry_config.flush_interval = std::chrono::milliseconds(15);
  auto telemetry = Telemetry::start(telemetry_config);
  if (!telemetry) {
    fmt::print(stderr, "{}\n", telemetry.error().describe());
    return 1;
  }
  UploaderConfig upload_config;
  upload_config.queue_file = argv[1];
  upload_config.hub_url = argv[2];
  upload_config.token = argv[3];
  upload_config.device_id = "fault-kiosk";
  upload_config.batch_events = 25;
  upload_config.batch_age = std::chrono::milliseconds(20);
  upload_config.poll_interval = std::chrono::milliseconds(5);
  upload_config.backoff_initial = std::chrono::milliseconds(10);
  upload_config.backoff_max = std::chrono::milliseconds(50);
  auto uploader = Uploader::start(upload_config);
  if (!uploader) {
    fmt::print(stderr, "{}\n", uploader.error().describe());
    return 1;
  }
  if (mode == "drain") {
    for (int attempt = 0; attempt < 100; ++attempt) {
      if ((*uploader)->upload_now().ok()) return 0;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    fmt::print(stderr, "could not drain: {}\n", (*uploader)->stats().last_error);
    return 1;
  }
  for (int64_t count = 0;; ++count) {
    (*telemetry)->record(count % 2 == 0 ? EventType::exhibit_open : EventType::exhibit_close, "vase", count);
    if (count % 8 == 0) std::this_thread::sleep_for(std::chrono::microseconds(500));
  }
}

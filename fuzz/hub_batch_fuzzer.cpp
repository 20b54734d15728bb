// libFuzzer target: any bytes as an upload batch at the hub, read by the decoder the kiosk's
// uploader shares (telemetry::decode_batch). The parser must refuse the batch or account for
// every event, stored or rejected, within the kiosk's own limits, and never crash.
#include "pavilion/hub/ingest.h"

#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  constexpr int64_t received_ms = 1'795'428'000'000;
  auto parsed = pavilion::hub::parse_batch(text, received_ms, pavilion::hub::BatchLimits{64});
  if (const auto* batch = std::get_if<pavilion::hub::ParsedBatch>(&parsed)) {
    if (batch->events.size() + batch->rejected.size() > 64) std::abort();
    for (const auto& event : batch->events) {
      if (event.id.size() != 36 || event.subject.size() > decltype(pavilion::telemetry::Event::subject)::max_bytes) {
        std::abort();
      }
    }
  }
  return 0;
}

// libFuzzer target: any bytes as what a kiosk sends the hub — an upload batch, read by the decoder
// the kiosk's uploader shares (telemetry::decode_batch), and an update status, read by the
// decoder the kiosk's status reporter shares (telemetry::decode_status). The batch parser must
// refuse the batch or account for every event, stored or rejected, within the kiosk's own limits;
// a status read must lie within its limits and read back the same once written again; neither
// may crash.
#include "pavilion/hub/ingest.h"
#include "pavilion/telemetry/device_status.h"

#include <algorithm>
#include <cstdlib>

namespace {

void check_status(std::string_view text) {
  using namespace pavilion::telemetry;
  const auto decoded = decode_status(text);
  const auto* read = std::get_if<DecodedStatus>(&decoded);
  if (read == nullptr) return;
  if (read->status.packages.size() > StatusLimits::packages) std::abort();
  for (const PackageStatus& package : read->status.packages) {
    if (package.id.empty() || package.id.size() > StatusLimits::id_bytes || package.detail.size() > StatusLimits::sentence_bytes ||
        std::ranges::find(package_states, package.state) == std::end(package_states)) {
      std::abort();
    }
  }
  const auto again = decode_status(encode_status(read->device_id, read->sent_ms, read->status));
  const auto* reread = std::get_if<DecodedStatus>(&again);
  if (reread == nullptr || reread->device_id != read->device_id || reread->sent_ms != read->sent_ms ||
      !(reread->status == read->status)) {
    std::abort();
  }
}

}  // namespace

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
  check_status(text);
  return 0;
}

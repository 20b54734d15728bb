// What the uploader, the status reporter and a branch hub forwarding upstream need to talk to a
// hub that may be down for hours: the wait before trying again, and the hub's reason read from
// its answer.
#pragma once

#include "pavilion/http/client.h"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pavilion::telemetry {

// Exponential backoff with "equal jitter": half the step is kept, half is random, so a library's
// kiosks coming back after a hub outage do not all knock at the same moment, and no kiosk
// retries almost at once. `failures` counts from 1.
std::chrono::milliseconds backoff_delay(std::chrono::milliseconds initial, std::chrono::milliseconds ceiling,
                                        uint32_t failures);
// Retry-After in seconds (at most an hour); zero when absent or not a number.
std::chrono::milliseconds parse_retry_after(std::string_view header);
// The hub's {"error": "…"}, or "HTTP 503" when it sent none.
std::string hub_reason(const http::Response& response);

// What a hub said of a batch it took (EVENTS.md, "Upload"): {"stored": N, "duplicates": N,
// "rejected": [{"sequence": S, "reason": "…"}, …]}, every part optional. Nothing when the answer
// is not that (a proxy's page, a hub of another version): the batch then goes again later.
struct BatchAnswer {
  struct Rejected {
    std::optional<uint64_t> sequence;
    std::string reason = "refused by the hub";
  };
  uint64_t stored = 0;
  uint64_t duplicates = 0;
  std::vector<Rejected> rejected;
};
std::optional<BatchAnswer> read_batch_answer(std::string_view body);

}  // namespace pavilion::telemetry

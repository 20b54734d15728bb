// What the uploader, the status reporter and a branch hub forwarding upstream need to talk to a
// hub that may be down for hours: the wait before trying again, and the hub's reason read from
// its answer.
#pragma once

#include "pavilion/http/client.h"

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

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

}  // namespace pavilion::telemetry

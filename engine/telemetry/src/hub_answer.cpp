#include "pavilion/telemetry/hub_answer.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <random>

namespace pavilion::telemetry {

std::chrono::milliseconds backoff_delay(std::chrono::milliseconds initial, std::chrono::milliseconds ceiling,
                                        uint32_t failures) {
  int64_t step = initial.count();
  for (uint32_t doubling = 1; doubling < failures && step < ceiling.count(); ++doubling) step *= 2;
  step = std::min(step, ceiling.count());
  thread_local std::mt19937_64 random{std::random_device{}()};
  std::uniform_int_distribution<int64_t> jitter(0, step / 2);
  return std::chrono::milliseconds(step - step / 2 + jitter(random));
}

std::chrono::milliseconds parse_retry_after(std::string_view header) {
  int64_t seconds = 0;
  const auto parsed = std::from_chars(header.data(), header.data() + header.size(), seconds);
  if (parsed.ec != std::errc() || seconds < 0) return {};
  return std::chrono::seconds(std::min<int64_t>(seconds, 3600));
}

std::string hub_reason(const http::Response& response) {
  const auto answer = nlohmann::json::parse(response.body, nullptr, false);
  if (answer.is_object() && answer.contains("error") && answer["error"].is_string()) {
    return answer["error"].get<std::string>();
  }
  return fmt::format("HTTP {}", response.status);
}

}  // namespace pavilion::telemetry

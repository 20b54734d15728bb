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

std::optional<BatchAnswer> read_batch_answer(std::string_view body) {
  const auto answer = nlohmann::json::parse(body, nullptr, false);
  if (!answer.is_object()) return std::nullopt;
  BatchAnswer read;
  for (const auto& [name, into] : {std::pair{"stored", &read.stored}, std::pair{"duplicates", &read.duplicates}}) {
    const auto found = answer.find(name);
    if (found == answer.end()) continue;
    if (!found->is_number_unsigned()) return std::nullopt;
    *into = found->get<uint64_t>();
  }
  if (const auto rejected = answer.find("rejected"); rejected != answer.end()) {
    if (!rejected->is_array()) return std::nullopt;
    for (const auto& item : *rejected) {
      if (!item.is_object()) return std::nullopt;
      BatchAnswer::Rejected entry;
      if (const auto sequence = item.find("sequence"); sequence != item.end()) {
        if (!sequence->is_number_unsigned()) return std::nullopt;
        entry.sequence = sequence->get<uint64_t>();
      }
      if (const auto reason = item.find("reason"); reason != item.end() && reason->is_string()) {
        entry.reason = reason->get<std::string>();
      }
      read.rejected.push_back(std::move(entry));
    }
  }
  return read;
}

}  // namespace pavilion::telemetry

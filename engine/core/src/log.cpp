#include "pavilion/core/log.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>

namespace pavilion::log {
namespace {

struct Logger {
  std::mutex mutex;
  std::atomic<Level> min_level{Level::info};
  Format format = Format::text;
  Sink sink;
};

Logger& logger() {
  static Logger instance;
  return instance;
}

void append_utc_timestamp(std::string& out) {
  using namespace std::chrono;
  const auto now = system_clock::now();
  const auto millis = duration_cast<milliseconds>(now.time_since_epoch()).count() % 1000;
  const auto seconds = system_clock::to_time_t(now);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  fmt::format_to(std::back_inserter(out), "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
                 utc.tm_year + 1900, utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min,
                 utc.tm_sec, millis);
}

void append_json_string(std::string& out, std::string_view text) {
  out += '"';
  for (const char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          fmt::format_to(std::back_inserter(out), "\\u{:04x}", static_cast<unsigned>(c));
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

}  // namespace

std::string_view to_string(Level level) {
  switch (level) {
    case Level::debug: return "debug";
    case Level::info: return "info";
    case Level::warn: return "warn";
    case Level::error: return "error";
  }
  return "unknown";
}

std::optional<Level> parse_level(std::string_view name) {
  for (Level level : {Level::debug, Level::info, Level::warn, Level::error}) {
    if (name == to_string(level)) return level;
  }
  return std::nullopt;
}

void configure(Level min_level, Format format) {
  auto& state = logger();
  std::lock_guard lock(state.mutex);
  state.min_level = min_level;
  state.format = format;
}

std::optional<std::string> configure_from_environment() {
  auto& state = logger();
  Level level = state.min_level;
  Format format = state.format;
  if (const char* value = std::getenv("PAVILION_LOG"); value && *value) {
    auto parsed = parse_level(value);
    if (!parsed) return fmt::format("PAVILION_LOG is '{}'; use debug, info, warn or error", value);
    level = *parsed;
  }
  if (const char* value = std::getenv("PAVILION_LOG_FORMAT"); value && *value) {
    const std::string_view name = value;
    if (name == "json") {
      format = Format::json;
    } else if (name == "text") {
      format = Format::text;
    } else {
      return fmt::format("PAVILION_LOG_FORMAT is '{}'; use text or json", value);
    }
  }
  configure(level, format);
  return std::nullopt;
}

bool enabled(Level level) { return level >= logger().min_level.load(std::memory_order_relaxed); }

void set_sink(Sink sink) {
  auto& state = logger();
  std::lock_guard lock(state.mutex);
  state.sink = std::move(sink);
}

void write(Level level, std::string_view channel, std::string_view message) {
  if (!enabled(level)) return;
  auto& state = logger();
  std::lock_guard lock(state.mutex);
  std::string line;
  line.reserve(message.size() + 64);
  if (state.format == Format::json) {
    line += "{\"time\":\"";
    append_utc_timestamp(line);
    line += "\",\"level\":\"";
    line += to_string(level);
    line += "\",\"channel\":";
    append_json_string(line, channel);
    line += ",\"message\":";
    append_json_string(line, message);
    line += '}';
  } else {
    append_utc_timestamp(line);
    fmt::format_to(std::back_inserter(line), " {:<5} {}: {}", to_string(level), channel, message);
  }
  if (state.sink) {
    state.sink(level, line);
  } else {
    line += '\n';
    std::fwrite(line.data(), 1, line.size(), stderr);
  }
}

}  // namespace pavilion::log

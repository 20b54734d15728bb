// Process-wide logging: one line per message to stderr (or a sink set by tests), as human text
// or as JSON lines for machines (log collectors on kiosks and hubs).
//
//   log::info("render", "using {} ({})", name, reason);
//
// Formatting happens only when the level is enabled. Not for per-frame use: a line allocates.
#pragma once

#include <fmt/format.h>

#include <functional>
#include <optional>
#include <string_view>
#include <utility>

namespace pavilion::log {

enum class Level { debug, info, warn, error };
enum class Format { text, json };

std::string_view to_string(Level level);
std::optional<Level> parse_level(std::string_view name);

// Sets the least level written and the line format. Thread-safe.
void configure(Level min_level, Format format);
// Reads PAVILION_LOG (debug|info|warn|error) and PAVILION_LOG_FORMAT (text|json); unset keeps
// the defaults (info, text). Returns a sentence describing a bad value, if any.
std::optional<std::string> configure_from_environment();

bool enabled(Level level);

// Receives each formatted line (without a newline). Replaces stderr while set; pass nullptr to
// restore stderr. Thread-safe; the sink is called under the logger's lock.
using Sink = std::function<void(Level level, std::string_view line)>;
void set_sink(Sink sink);

void write(Level level, std::string_view channel, std::string_view message);

template <class... Args>
void debug(std::string_view channel, fmt::format_string<Args...> format, Args&&... args) {
  if (enabled(Level::debug)) write(Level::debug, channel, fmt::format(format, std::forward<Args>(args)...));
}
template <class... Args>
void info(std::string_view channel, fmt::format_string<Args...> format, Args&&... args) {
  if (enabled(Level::info)) write(Level::info, channel, fmt::format(format, std::forward<Args>(args)...));
}
template <class... Args>
void warn(std::string_view channel, fmt::format_string<Args...> format, Args&&... args) {
  if (enabled(Level::warn)) write(Level::warn, channel, fmt::format(format, std::forward<Args>(args)...));
}
template <class... Args>
void error(std::string_view channel, fmt::format_string<Args...> format, Args&&... args) {
  if (enabled(Level::error)) write(Level::error, channel, fmt::format(format, std::forward<Args>(args)...));
}

}  // namespace pavilion::log

// Whole numbers as protocols, configuration files and command lines write them.
#pragma once

#include <charconv>
#include <cstdint>
#include <optional>
#include <string_view>

namespace pavilion {

// The whole text as a decimal number: digits only (no sign, space or "0x"), within uint64_t;
// nothing otherwise, and for "".
inline std::optional<uint64_t> parse_whole_number(std::string_view text) {
  uint64_t value = 0;
  const auto [end, problem] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || problem != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace pavilion

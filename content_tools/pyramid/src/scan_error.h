// The one shape of a scan's error: which file, what is wrong and what to do about it, in English
// and then in Chinese, so a curator reads it in either language.
#pragma once

#include "pavilion/core/error.h"

#include <cstdint>
#include <filesystem>
#include <string>

namespace pavilion::pyramid {

Error scan_error(ErrorCode code, const std::filesystem::path& file, const std::string& english,
                 const std::string& chinese);

// Sides up to 2^20 px (a metre of paper at 40 000 dpi); a header claiming more is damaged or not
// a page, and its rows alone would not fit in memory.
constexpr uint32_t max_scan_side = 1u << 20;
Result<void> check_scan_size(const std::filesystem::path& file, uint32_t width, uint32_t height);

// The most a band of rows may take, in a reader's buffer or a pyramid level's window: a scan as
// wide as max_scan_side fits at the default tile size; a header asking for more is refused before
// anything is allocated.
constexpr uint64_t max_band_bytes = uint64_t{1} << 30;

}  // namespace pavilion::pyramid

// Page scans made up for the pyramid's tests and benchmark (content_tools/pyramid): paper with
// fibres, columns of brush-stroke characters between red rules, a red seal. The same pixels for
// the same (seed, x, y) on every machine; written a row at a time, so a scan of any size is made
// without its pixels ever being in memory together.
#pragma once

#include "pavilion/core/error.h"
#include "pavilion/core/image.h"

#include <cstdint>
#include <filesystem>
#include <span>

namespace pavilion::support {

enum class ScanFile { jpeg, png, tiff_strips, tiff_tiles };

// Row y of a width-wide page, as RGBA8 (opaque) into `rgba` (width × 4 bytes).
void synthetic_page_row(uint32_t seed, uint32_t width, uint32_t y, std::span<uint8_t> rgba);

// The page region [x, x + width) × [y, y + height), for comparing with tiles.
ImageRgba8 synthetic_page(uint32_t seed, uint32_t x, uint32_t y, uint32_t width, uint32_t height);

// Writes a width × height synthetic page to `path`: JPEG at `jpeg_quality` (4:2:0), PNG, or
// TIFF (RGB, deflate) in strips or 256 × 256 tiles.
Result<void> write_synthetic_scan(const std::filesystem::path& path, ScanFile file, uint32_t width, uint32_t height,
                                  uint32_t seed, int jpeg_quality = 92);

}  // namespace pavilion::support

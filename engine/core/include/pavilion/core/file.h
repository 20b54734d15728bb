// Whole-file reads and crash-safe whole-file writes.
#pragma once

#include "pavilion/core/error.h"

#include <cstddef>
#include <filesystem>
#include <span>
#include <vector>

namespace pavilion {

Result<std::vector<std::byte>> read_file(const std::filesystem::path& path);

// Writes to a temporary file beside `path`, flushes it to disk, then renames it over `path`, so
// readers see either the old file or the whole new one, never a partial write (power loss, a
// full disk). On failure the old file is untouched and the temporary file is removed.
Result<void> write_file_atomic(const std::filesystem::path& path, std::span<const std::byte> bytes);

}  // namespace pavilion

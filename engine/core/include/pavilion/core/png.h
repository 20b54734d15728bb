// PNG files to and from RGBA8 images (libpng).
#pragma once

#include "pavilion/core/error.h"
#include "pavilion/core/image.h"

#include <filesystem>

namespace pavilion {

// Any PNG (grey, palette, 16-bit, with or without alpha) becomes RGBA8. A truncated or corrupt
// file is an invalid_input error that names the file and what libpng found wrong.
Result<ImageRgba8> read_png(const std::filesystem::path& path);

// Written atomically (see write_file_atomic): a reader never sees half a PNG.
Result<void> write_png(const std::filesystem::path& path, const ImageRgba8& image);

}  // namespace pavilion

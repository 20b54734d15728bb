#include "pavilion/core/png.h"

#include "pavilion/core/file.h"

#include <png.h>

#include <fmt/format.h>
#include <fmt/std.h>

namespace pavilion {
namespace {
// libpng's simplified API keeps its state behind png_image; this frees it on every path.
struct PngImage : png_image {
  PngImage() : png_image{} { version = PNG_IMAGE_VERSION; }
  PngImage(const PngImage&) = delete;
  PngImage& operator=(const PngImage&) = delete;
  ~PngImage() { png_image_free(this); }
};
}  // namespace

Result<ImageRgba8> read_png(const std::filesystem::path& path) {
  PV_TRY_ASSIGN(const auto bytes, read_file(path));
  PngImage png;
  if (!png_image_begin_read_from_memory(&png, bytes.data(), bytes.size())) {
    return Error(ErrorCode::invalid_input, "reading a PNG image", fmt::format("{}: {}", path, png.message));
  }
  png.format = PNG_FORMAT_RGBA;
  ImageRgba8 image(png.width, png.height);
  if (!png_image_finish_read(&png, nullptr, image.pixels.data(), 0, nullptr)) {
    return Error(ErrorCode::invalid_input, "decoding a PNG image", fmt::format("{}: {}", path, png.message));
  }
  return image;
}

Result<void> write_png(const std::filesystem::path& path, const ImageRgba8& image) {
  expects(image.pixels.size() == size_t{image.width} * image.height * 4, "image pixels match its size");
  PngImage png;
  png.width = image.width;
  png.height = image.height;
  png.format = PNG_FORMAT_RGBA;
  png_alloc_size_t size = 0;
  if (!png_image_write_get_memory_size(png, size, 0, image.pixels.data(), 0, nullptr)) {
    return Error(ErrorCode::internal, "encoding a PNG image", fmt::format("{}: {}", path, png.message));
  }
  std::vector<std::byte> encoded(size);
  if (!png_image_write_to_memory(&png, encoded.data(), &size, 0, image.pixels.data(), 0, nullptr)) {
    return Error(ErrorCode::internal, "encoding a PNG image", fmt::format("{}: {}", path, png.message));
  }
  encoded.resize(size);
  return write_file_atomic(path, encoded);
}

}  // namespace pavilion

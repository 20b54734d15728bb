#include "pavilion/pack/texture_import.h"

#include "pavilion/core/file.h"
#include "pavilion/scene/block_compression.h"

#include <stb_image.h>
#include <tiffio.h>

#include <fmt/format.h>
#include <fmt/std.h>

#include <algorithm>
#include <cstring>
#include <memory>

namespace pavilion::pack {
namespace {

Error unreadable(const std::string& name, std::string why) {
  return Error(ErrorCode::invalid_input, fmt::format("reading the image {}", name), std::move(why));
}

bool has_extension(const std::filesystem::path& path, std::initializer_list<std::string_view> extensions) {
  std::string extension = path.extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(), [](unsigned char c) { return std::tolower(c); });
  return std::find(extensions.begin(), extensions.end(), extension) != extensions.end();
}

Result<ImageRgba8> decode_tiff(const std::filesystem::path& path) {
  // libtiff reports through handlers that print; a failed open is reported by its result.
  TIFFSetErrorHandler(nullptr);
  TIFFSetWarningHandler(nullptr);
  std::unique_ptr<TIFF, void (*)(TIFF*)> tiff(TIFFOpen(path.c_str(), "r"), &TIFFClose);
  if (!tiff) return unreadable(path.string(), "it is not a TIFF image libtiff can open");
  uint32_t width = 0;
  uint32_t height = 0;
  TIFFGetField(tiff.get(), TIFFTAG_IMAGEWIDTH, &width);
  TIFFGetField(tiff.get(), TIFFTAG_IMAGELENGTH, &height);
  if (width == 0 || height == 0 || width > 65536 || height > 65536) {
    return unreadable(path.string(), fmt::format("its size {}×{} is not supported", width, height));
  }
  ImageRgba8 image(width, height);
  if (!TIFFReadRGBAImageOriented(tiff.get(), width, height, reinterpret_cast<uint32_t*>(image.pixels.data()),
                                 ORIENTATION_TOPLEFT, 0)) {
    return unreadable(path.string(), "its pixels could not be decoded");
  }
  return image;
}

bool has_transparency(const ImageRgba8& image) {
  for (size_t pixel = 3; pixel < image.pixels.size(); pixel += 4) {
    if (image.pixels[pixel] != 255) return true;
  }
  return false;
}

}  // namespace

Result<ImageRgba8> decode_image_file(const std::filesystem::path& path) {
  if (has_extension(path, {".tif", ".tiff"})) return decode_tiff(path);
  PV_TRY_ASSIGN(const auto bytes, read_file(path));
  return decode_image_bytes(bytes, path.string());
}

Result<ImageRgba8> decode_image_bytes(std::span<const std::byte> bytes, const std::string& name) {
  if (bytes.size() > size_t{INT32_MAX}) return unreadable(name, "it is larger than 2 GB");
  int width = 0;
  int height = 0;
  int channels = 0;
  std::unique_ptr<stbi_uc, void (*)(void*)> pixels(
      stbi_load_from_memory(reinterpret_cast<const stbi_uc*>(bytes.data()), static_cast<int>(bytes.size()), &width,
                            &height, &channels, 4),
      &stbi_image_free);
  if (!pixels) {
    return unreadable(name, fmt::format("{} (PNG and JPEG are read; TIFF by its .tif extension)", stbi_failure_reason()));
  }
  ImageRgba8 image(static_cast<uint32_t>(width), static_cast<uint32_t>(height));
  std::copy_n(pixels.get(), image.pixels.size(), image.pixels.begin());
  return image;
}

scene::TextureData build_texture(std::string name, ImageRgba8 image, TextureUse use, const TextureSettings& settings) {
  using scene::TextureFormat;
  const bool alpha = use == TextureUse::color && has_transparency(image);
  const TextureFormat rgba = use == TextureUse::color ? TextureFormat::rgba8_srgb : TextureFormat::rgba8_unorm;
  const ColorSpace space = use == TextureUse::color ? ColorSpace::srgb : ColorSpace::linear;
  while (image.width > settings.max_size || image.height > settings.max_size) image = downsample(image, space);

  const std::vector<ImageRgba8> smaller_levels = build_mip_chain(image, space);

  scene::TextureData texture;
  texture.name = std::move(name);
  texture.width = image.width;
  texture.height = image.height;
  texture.mip_levels = static_cast<uint32_t>(smaller_levels.size() + 1);
  texture.format = rgba;
  if (settings.compress) {
    switch (use) {
      case TextureUse::color: texture.format = alpha ? TextureFormat::bc3_srgb : TextureFormat::bc1_srgb; break;
      case TextureUse::normal: texture.format = TextureFormat::bc5_unorm; break;
      case TextureUse::surface: texture.format = TextureFormat::bc1_unorm; break;
    }
  }
  auto append = [&](const ImageRgba8& level) {
    if (scene::is_block_compressed(texture.format)) {
      const auto blocks = scene::compress_level(level, texture.format);
      texture.bytes.insert(texture.bytes.end(), blocks.begin(), blocks.end());
    } else {
      const auto* pixels = reinterpret_cast<const std::byte*>(level.pixels.data());
      texture.bytes.insert(texture.bytes.end(), pixels, pixels + level.pixels.size());
    }
  };
  append(image);
  for (const ImageRgba8& level : smaller_levels) append(level);
  return texture;
}

}  // namespace pavilion::pack

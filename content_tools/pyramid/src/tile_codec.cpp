#include "pavilion/pyramid/tile_codec.h"

#include "bc1_encoder.h"
#include "pavilion/scene/page_tiles.h"
#include "jpeg_errors.h"

#include <fmt/format.h>

#include <cmath>
#include <csetjmp>
#include <cstring>
#include <limits>

#include <jpeglib.h>
#include <squish.h>
#include <webp/decode.h>
#include <webp/encode.h>

namespace pavilion::pyramid {
namespace {

// Fills *out (malloc'd by libjpeg) and *size; false with errors->message on failure.
bool compress_jpeg(jpeg_compress_struct& info, JpegErrors& errors, const ImageRgba8& tile, int quality,
                   unsigned char** out, unsigned long* size) {
  if (setjmp(errors.jump) != 0) return false;
  jpeg_create_compress(&info);
  jpeg_mem_dest(&info, out, size);
  info.image_width = tile.width;
  info.image_height = tile.height;
  info.input_components = 4;
  info.in_color_space = JCS_EXT_RGBA;
  jpeg_set_defaults(&info);
  jpeg_set_quality(&info, quality, TRUE);
  info.optimize_coding = TRUE;  // a few percent smaller for a little encode time, and no decode cost
  jpeg_start_compress(&info, TRUE);
  while (info.next_scanline < info.image_height) {
    JSAMPROW row = const_cast<uint8_t*>(tile.at(0, info.next_scanline));
    jpeg_write_scanlines(&info, &row, 1);
  }
  jpeg_finish_compress(&info);
  return true;
}

bool decompress_jpeg(jpeg_decompress_struct& info, JpegErrors& errors, const std::byte* bytes, size_t size,
                     ImageRgba8& image) {
  if (setjmp(errors.jump) != 0) return false;
  jpeg_create_decompress(&info);
  jpeg_mem_src(&info, reinterpret_cast<const unsigned char*>(bytes), static_cast<unsigned long>(size));
  jpeg_read_header(&info, TRUE);
  info.out_color_space = JCS_EXT_RGBA;
  jpeg_start_decompress(&info);
  if (info.output_width != image.width || info.output_height != image.height) {
    std::snprintf(errors.message, sizeof errors.message, "%ux%u instead of %ux%u", info.output_width,
                  info.output_height, image.width, image.height);
    return false;
  }
  while (info.output_scanline < info.output_height) {
    JSAMPROW row = image.at(0, info.output_scanline);
    jpeg_read_scanlines(&info, &row, 1);
  }
  jpeg_finish_decompress(&info);
  return true;
}

Error bad_tile(TileEncoding encoding, std::string_view why) {
  return Error(ErrorCode::invalid_input, fmt::format("decoding a {} tile", to_string(encoding)), std::string(why));
}

}  // namespace

std::string_view to_string(TileEncoding encoding) {
  switch (encoding) {
    case TileEncoding::rgba8: return "rgba8";
    case TileEncoding::bc1: return "bc1";
    case TileEncoding::jpeg: return "jpeg";
    case TileEncoding::webp: return "webp";
  }
  return "unknown";
}

Result<std::vector<std::byte>> encode_tile(const ImageRgba8& tile, TileEncoding encoding, int quality) {
  expects(tile.width > 0 && tile.height > 0 && quality >= 1 && quality <= 100, "a tile and a quality in 1..100");
  switch (encoding) {
    case TileEncoding::rgba8: {
      std::vector<std::byte> bytes(tile.pixels.size());
      std::memcpy(bytes.data(), tile.pixels.data(), bytes.size());
      return bytes;
    }
    case TileEncoding::bc1: {
      std::vector<std::byte> bytes(scene::page_tile_bytes(scene::PageTileFormat::bc1, tile.width, tile.height));
      encode_bc1(tile, bytes);
      return bytes;
    }
    case TileEncoding::jpeg: {
      jpeg_compress_struct info{};
      JpegErrors errors{};
      info.err = jump_on_jpeg_errors(errors);
      unsigned char* out = nullptr;
      unsigned long size = 0;
      const bool ok = compress_jpeg(info, errors, tile, quality, &out, &size);
      jpeg_destroy_compress(&info);
      std::vector<std::byte> bytes;
      if (ok) bytes.assign(reinterpret_cast<std::byte*>(out), reinterpret_cast<std::byte*>(out) + size);
      std::free(out);
      if (!ok) return Error(ErrorCode::internal, "encoding a JPEG tile", errors.message);
      return bytes;
    }
    case TileEncoding::webp: {
      uint8_t* out = nullptr;
      const size_t size = WebPEncodeRGBA(tile.pixels.data(), static_cast<int>(tile.width), static_cast<int>(tile.height),
                                         static_cast<int>(tile.width * 4), static_cast<float>(quality), &out);
      if (size == 0) return Error(ErrorCode::internal, "encoding a WebP tile", "WebPEncodeRGBA failed");
      std::vector<std::byte> bytes(reinterpret_cast<std::byte*>(out), reinterpret_cast<std::byte*>(out) + size);
      WebPFree(out);
      return bytes;
    }
  }
  return Error(ErrorCode::internal, "encoding a tile", "unknown encoding");
}

Result<ImageRgba8> decode_tile(std::span<const std::byte> bytes, TileEncoding encoding, uint32_t width,
                               uint32_t height) {
  ImageRgba8 image(width, height);
  switch (encoding) {
    case TileEncoding::rgba8:
      if (bytes.size() != image.pixels.size()) return bad_tile(encoding, "wrong size");
      std::memcpy(image.pixels.data(), bytes.data(), bytes.size());
      return image;
    case TileEncoding::bc1: {
      const int flags = squish::kDxt1;
      if (bytes.size() != static_cast<size_t>(squish::GetStorageRequirements(static_cast<int>(width),
                                                                             static_cast<int>(height), flags))) {
        return bad_tile(encoding, "wrong size");
      }
      squish::DecompressImage(image.pixels.data(), static_cast<int>(width), static_cast<int>(height), bytes.data(), flags);
      return image;
    }
    case TileEncoding::jpeg: {
      jpeg_decompress_struct info{};
      JpegErrors errors{};
      info.err = jump_on_jpeg_errors(errors);
      const bool ok = decompress_jpeg(info, errors, bytes.data(), bytes.size(), image);
      jpeg_destroy_decompress(&info);
      if (!ok) return bad_tile(encoding, errors.message);
      return image;
    }
    case TileEncoding::webp: {
      int decoded_width = 0;
      int decoded_height = 0;
      const auto* data = reinterpret_cast<const uint8_t*>(bytes.data());
      if (WebPGetInfo(data, bytes.size(), &decoded_width, &decoded_height) == 0 ||
          decoded_width != static_cast<int>(width) || decoded_height != static_cast<int>(height) ||
          WebPDecodeRGBAInto(data, bytes.size(), image.pixels.data(), image.pixels.size(),
                             static_cast<int>(width * 4)) == nullptr) {
        return bad_tile(encoding, "not a WebP image of the tile's size");
      }
      return image;
    }
  }
  return bad_tile(encoding, "unknown encoding");
}

double psnr(const ImageRgba8& a, const ImageRgba8& b) {
  expects(a.width == b.width && a.height == b.height, "images of one size");
  double squared = 0.0;
  for (size_t i = 0; i < a.pixels.size(); i += 4) {
    for (size_t channel = 0; channel < 3; ++channel) {
      const double difference = static_cast<int>(a.pixels[i + channel]) - static_cast<int>(b.pixels[i + channel]);
      squared += difference * difference;
    }
  }
  if (squared == 0.0) return std::numeric_limits<double>::infinity();
  const double mean = squared / (static_cast<double>(a.pixels.size()) / 4.0 * 3.0);
  return 10.0 * std::log10(255.0 * 255.0 / mean);
}

}  // namespace pavilion::pyramid

// How a tile's pixels are stored in the package, and back. Encoders and decoders are pure
// functions of their input (the same pixels and settings give the same bytes on every machine and
// thread), which content addressing relies on. Safe to call from any number of threads.
#pragma once

#include "pavilion/core/error.h"
#include "pavilion/core/image.h"

#include <cstddef>
#include <span>
#include <string_view>
#include <vector>

namespace pavilion::pyramid {

enum class TileEncoding {
  rgba8,  // the pixels as they are: the reference, 4 bytes a pixel, uploaded as they are
  bc1,    // BC1 (DXT1) blocks, opaque (bc1_encoder.h): half a byte a pixel, uploaded without decoding
  jpeg,   // libjpeg-turbo, 4:2:0: decoded on a worker thread to RGBA8 before upload
  webp,   // libwebp lossy: decoded on a worker thread to RGBA8 before upload
};

std::string_view to_string(TileEncoding encoding);

// `quality` 1..100 for jpeg and webp; ignored by the others. Fails only on a codec's own failure.
Result<std::vector<std::byte>> encode_tile(const ImageRgba8& tile, TileEncoding encoding, int quality);

// The pixels again (for BC1 by libsquish, as a GPU would sample them). A tile whose bytes are not
// a valid `encoding` image of width × height is an invalid_input error.
Result<ImageRgba8> decode_tile(std::span<const std::byte> bytes, TileEncoding encoding, uint32_t width,
                               uint32_t height);

// Peak signal-to-noise ratio over R, G and B of two images of one size, in dB; infinity when equal.
double psnr(const ImageRgba8& a, const ImageRgba8& b);

}  // namespace pavilion::pyramid

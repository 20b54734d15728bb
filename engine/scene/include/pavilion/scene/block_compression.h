// Block compression of texture levels: BC1 and BC3 through libsquish, BC5 (two BC4 channels,
// for normal maps) here. Encoding is for pavilion-pack; decoding is the fallback for devices that
// cannot sample BC textures.
#pragma once

#include "pavilion/core/image.h"
#include "pavilion/scene/render_scene.h"

#include <cstddef>
#include <span>
#include <vector>

namespace pavilion::scene {

// `format` is one of the BC formats; the result holds texture_mip_bytes() bytes for this level.
std::vector<std::byte> compress_level(const ImageRgba8& level, TextureFormat format);

// Decodes one level of `width` × `height` texels. BC5 fills red and green; blue is 0, alpha 255.
ImageRgba8 decompress_level(std::span<const std::byte> blocks, uint32_t width, uint32_t height, TextureFormat format);

}  // namespace pavilion::scene

// Source images to GPU-ready textures: decoded (PNG, JPEG, TIFF), limited in size, given a full
// mip chain filtered in linear light, and block-compressed (BC1, BC3 or BC5) by their use.
#pragma once

#include "pavilion/core/error.h"
#include "pavilion/core/image.h"
#include "pavilion/scene/render_scene.h"

#include <cstddef>
#include <filesystem>
#include <span>
#include <string>

namespace pavilion::pack {

enum class TextureUse {
  color,       // base colour, emissive, panel images: sRGB; BC1, or BC3 where there is alpha
  normal,      // tangent-space normals: BC5 (x and y)
  surface,     // metallic-roughness or occlusion data: linear BC1
};

struct TextureSettings {
  uint32_t max_size = 4096;  // larger images are halved until they fit
  bool compress = true;      // false keeps RGBA8 (previews, tests)
};

Result<ImageRgba8> decode_image_file(const std::filesystem::path& path);
// `name` only names the image in errors (a texture embedded in a model).
Result<ImageRgba8> decode_image_bytes(std::span<const std::byte> bytes, const std::string& name);

scene::TextureData build_texture(std::string name, ImageRgba8 image, TextureUse use, const TextureSettings& settings);

}  // namespace pavilion::pack

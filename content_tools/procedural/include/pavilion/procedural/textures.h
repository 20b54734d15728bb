// Textures made from formulas, with full mip chains, as the renderer takes them.
#pragma once

#include "pavilion/core/image.h"
#include "pavilion/scene/render_scene.h"

#include <functional>
#include <string>

namespace pavilion::procedural {

// Builds the mip chain of `base` (in linear light for sRGB formats) and packs every level.
scene::TextureData make_texture(std::string name, const ImageRgba8& base, scene::TextureFormat format);

// Fills a size×size image from `texel(u, v)` with u, v in [0, 1) at texel centres.
ImageRgba8 generate_image(uint32_t size, const std::function<glm::vec4(float u, float v)>& texel);

// A tangent-space normal map (glTF convention: +X right, +Y up in the image) from a height
// field; `strength` scales the slopes. Heights wrap at the edges, so tiling stays seamless.
ImageRgba8 normal_map_from_heights(uint32_t size, const std::function<float(float u, float v)>& height, float strength);

// Smooth value noise in [0, 1], tiling with period `period` (in cells) over the unit square.
float tiling_noise(float u, float v, int period, uint32_t seed);

}  // namespace pavilion::procedural

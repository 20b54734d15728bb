// Opaque BC1 blocks for page tiles, fast enough that packing a scan in BC1 costs about what
// packing it in JPEG does (bench/pyramid_bench). libsquish's range fit, which this replaces for
// tiles, spends most of its time in general code for weights and transparency that a page scan
// never needs.
#pragma once

#include "pavilion/core/image.h"

#include <cstddef>
#include <span>

namespace pavilion::pyramid {

// The image's blocks, four by four texels from the top left, row after row, eight bytes each, in
// four-colour mode (every texel opaque; alpha is ignored). Texels past a right or bottom edge
// repeat the edge. `blocks` holds exactly ceil(width/4) × ceil(height/4) × 8 bytes. Deterministic.
void encode_bc1(const ImageRgba8& image, std::span<std::byte> blocks);

}  // namespace pavilion::pyramid

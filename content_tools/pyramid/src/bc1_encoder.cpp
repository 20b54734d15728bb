#include "bc1_encoder.h"

#include "pavilion/core/error.h"
#include "pavilion/scene/page_tiles.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>

namespace pavilion::pyramid {
namespace {

// Four texels' values of one channel in GCC's portable vectors (SSE on x86-64, NEON on Arm):
// every step below works on four texels at once and without branches on them, since a page's
// blocks are too varied for a branch predictor (bench/pyramid_bench).
using Lanes = float __attribute__((vector_size(16)));
using LaneMask = int32_t __attribute__((vector_size(16)));
using Bytes16 = uint8_t __attribute__((vector_size(16)));  // four RGBA8 texels

// A block's sixteen texels, row by row: texels 4 × row … 4 × row + 3 in lane group `row`.
struct Texels {
  std::array<Lanes, 4> red{};
  std::array<Lanes, 4> green{};
  std::array<Lanes, 4> blue{};
};

struct Rgb {
  float red = 0.0f;
  float green = 0.0f;
  float blue = 0.0f;
};

// In a fixed order, so the same block always gives the same bytes.
float sum(Lanes lanes) { return (lanes[0] + lanes[1]) + (lanes[2] + lanes[3]); }

// BC1 has two modes, chosen by the order of a block's endpoints. Four colours: the endpoints and
// their thirds. Three colours: the endpoints and their midpoint, whose fourth index is black (or
// transparent) and never used here. A page's ink, paper and the grey between them often fit the
// three-colour mode far better.
enum class Mode { four_colours, three_colours };

// Two 5:6:5 endpoints, a 2-bit index per texel and the squared error they leave.
struct Candidate {
  Mode mode = Mode::four_colours;
  uint16_t first = 0;
  uint16_t second = 0;
  std::array<LaneMask, 4> indices{};
  float error = INFINITY;
};

constexpr int expand5(int value) { return value << 3 | value >> 2; }
constexpr int expand6(int value) { return value << 2 | value >> 4; }

int quantize(float value, int levels) {
  return std::clamp(static_cast<int>(value * static_cast<float>(levels) / 255.0f + 0.5f), 0, levels);
}

uint16_t pack565(const Rgb& colour) {
  return static_cast<uint16_t>(quantize(colour.red, 31) << 11 | quantize(colour.green, 63) << 5 | quantize(colour.blue, 31));
}

// The colours a decoder makes of two endpoints, with the integer thirds and halves every decoder
// this engine meets uses (libsquish's, and so decode_tile's).
struct Palette {
  std::array<Rgb, 4> colours{};
  int size = 4;
};

Palette palette_of(Mode mode, uint16_t first, uint16_t second) {
  const std::array<int, 3> a{expand5(first >> 11), expand6(first >> 5 & 63), expand5(first & 31)};
  const std::array<int, 3> b{expand5(second >> 11), expand6(second >> 5 & 63), expand5(second & 31)};
  std::array<std::array<float, 3>, 4> entries{};
  for (size_t channel = 0; channel < 3; ++channel) {
    entries[0][channel] = static_cast<float>(a[channel]);
    entries[1][channel] = static_cast<float>(b[channel]);
    entries[2][channel] = static_cast<float>(mode == Mode::four_colours ? (2 * a[channel] + b[channel]) / 3
                                                                       : (a[channel] + b[channel]) / 2);
    entries[3][channel] = static_cast<float>((a[channel] + 2 * b[channel]) / 3);
  }
  Palette palette;
  palette.size = mode == Mode::four_colours ? 4 : 3;
  for (size_t entry = 0; entry < 4; ++entry) palette.colours[entry] = {entries[entry][0], entries[entry][1], entries[entry][2]};
  return palette;
}

Lanes squared_distance(const Texels& texels, size_t row, const Rgb& colour) {
  const Lanes red = texels.red[row] - colour.red;
  const Lanes green = texels.green[row] - colour.green;
  const Lanes blue = texels.blue[row] - colour.blue;
  return red * red + green * green + blue * blue;
}

// Each texel takes the nearest of the endpoints' colours.
Candidate evaluate(const Texels& texels, Mode mode, uint16_t first, uint16_t second) {
  const Palette palette = palette_of(mode, first, second);
  Candidate candidate{mode, first, second, {}, 0.0f};
  Lanes total{};
  for (size_t row = 0; row < 4; ++row) {
    Lanes nearest = squared_distance(texels, row, palette.colours[0]);
    LaneMask index{};
    for (int entry = 1; entry < palette.size; ++entry) {
      const Lanes distance = squared_distance(texels, row, palette.colours[static_cast<size_t>(entry)]);
      const LaneMask closer = distance < nearest;
      nearest = closer ? distance : nearest;
      index = closer ? LaneMask{} + entry : index;
    }
    candidate.indices[row] = index;
    total += nearest;
  }
  candidate.error = sum(total);
  return candidate;
}

// The principal axis of the texels' colours by power iteration on their covariance: the line
// a block's colours lie nearest to, along which BC1's colours are spaced.
Rgb principal_axis(const Texels& texels, const Rgb& mean) {
  Lanes rr{}, rg{}, rb{}, gg{}, gb{}, bb{};
  for (size_t row = 0; row < 4; ++row) {
    const Lanes red = texels.red[row] - mean.red;
    const Lanes green = texels.green[row] - mean.green;
    const Lanes blue = texels.blue[row] - mean.blue;
    rr += red * red;
    rg += red * green;
    rb += red * blue;
    gg += green * green;
    gb += green * blue;
    bb += blue * blue;
  }
  const float xx = sum(rr), xy = sum(rg), xz = sum(rb), yy = sum(gg), yz = sum(gb), zz = sum(bb);
  // Starting from the row of the channel that varies most keeps the start off any axis
  // perpendicular to the principal one.
  Rgb axis = xx >= yy && xx >= zz ? Rgb{xx, xy, xz} : yy >= zz ? Rgb{xy, yy, yz} : Rgb{xz, yz, zz};
  for (int iteration = 0; iteration < 4; ++iteration) {
    const Rgb next{xx * axis.red + xy * axis.green + xz * axis.blue, xy * axis.red + yy * axis.green + yz * axis.blue,
                   xz * axis.red + yz * axis.green + zz * axis.blue};
    const float largest = std::max({std::abs(next.red), std::abs(next.green), std::abs(next.blue)});
    if (largest == 0.0f) return {1.0f, 1.0f, 1.0f};
    const float scale = 1.0f / largest;
    axis = {next.red * scale, next.green * scale, next.blue * scale};
  }
  return axis;
}

// The endpoints that best reproduce the texels with the indices they have (least squares, each
// texel a fixed blend of the two), then re-indexed.
Candidate refine(const Texels& texels, const Candidate& from) {
  // The first endpoint's weight in each index's colour.
  const float between = from.mode == Mode::four_colours ? 2.0f / 3.0f : 0.5f;
  const float last = from.mode == Mode::four_colours ? 1.0f / 3.0f : 0.0f;
  Lanes aa{}, ab{}, bb{}, ax_red{}, ax_green{}, ax_blue{}, bx_red{}, bx_green{}, bx_blue{};
  for (size_t row = 0; row < 4; ++row) {
    const LaneMask index = from.indices[row];
    Lanes a{};
    a = index == 0 ? Lanes{} + 1.0f : a;
    a = index == 2 ? Lanes{} + between : a;
    a = index == 3 ? Lanes{} + last : a;
    const Lanes b = 1.0f - a;
    aa += a * a;
    ab += a * b;
    bb += b * b;
    ax_red += a * texels.red[row];
    ax_green += a * texels.green[row];
    ax_blue += a * texels.blue[row];
    bx_red += b * texels.red[row];
    bx_green += b * texels.green[row];
    bx_blue += b * texels.blue[row];
  }
  const float a2 = sum(aa), a_b = sum(ab), b2 = sum(bb);
  const float determinant = a2 * b2 - a_b * a_b;
  if (std::abs(determinant) < 1e-6f) return from;  // every texel on one index: nothing to solve
  const float scale = 1.0f / determinant;
  const Rgb ax{sum(ax_red), sum(ax_green), sum(ax_blue)};
  const Rgb bx{sum(bx_red), sum(bx_green), sum(bx_blue)};
  const Rgb first{(b2 * ax.red - a_b * bx.red) * scale, (b2 * ax.green - a_b * bx.green) * scale,
                  (b2 * ax.blue - a_b * bx.blue) * scale};
  const Rgb second{(a2 * bx.red - a_b * ax.red) * scale, (a2 * bx.green - a_b * ax.green) * scale,
                   (a2 * bx.blue - a_b * ax.blue) * scale};
  return evaluate(texels, from.mode, pack565(first), pack565(second));
}

// For one 8-bit value, the 5- or 6-bit endpoints whose two-thirds blend decodes nearest to it:
// a flat colour BC1 cannot hold exactly is hit far more closely by a blend than by rounding
// both endpoints the same way.
struct OneColour {
  std::array<std::array<uint8_t, 2>, 256> five{};
  std::array<std::array<uint8_t, 2>, 256> six{};
};

template <int Bits>
std::array<std::array<uint8_t, 2>, 256> one_colour_table() {
  constexpr int levels = 1 << Bits;
  std::array<std::array<uint8_t, 2>, 256> table{};
  for (int value = 0; value < 256; ++value) {
    int best = 256;
    for (int first = 0; first < levels; ++first) {
      for (int second = 0; second < levels; ++second) {
        const int a = Bits == 5 ? expand5(first) : expand6(first);
        const int b = Bits == 5 ? expand5(second) : expand6(second);
        const int error = std::abs((2 * a + b) / 3 - value);
        if (error < best) {
          best = error;
          table[static_cast<size_t>(value)] = {static_cast<uint8_t>(first), static_cast<uint8_t>(second)};
        }
      }
    }
  }
  return table;
}

const OneColour& one_colour() {
  static const OneColour tables{one_colour_table<5>(), one_colour_table<6>()};
  return tables;
}

Candidate one_colour_fit(const Texels& texels, const Rgb& mean) {
  const OneColour& tables = one_colour();
  const auto& red = tables.five[static_cast<size_t>(quantize(mean.red, 255))];
  const auto& green = tables.six[static_cast<size_t>(quantize(mean.green, 255))];
  const auto& blue = tables.five[static_cast<size_t>(quantize(mean.blue, 255))];
  return evaluate(texels, Mode::four_colours, static_cast<uint16_t>(red[0] << 11 | green[0] << 5 | blue[0]),
                  static_cast<uint16_t>(red[1] << 11 | green[1] << 5 | blue[1]));
}

void write_block(Candidate candidate, std::byte* out) {
  // The mode is the endpoints' order: four colours need the first above the second, three the
  // first at most the second. Swapping them swaps indices 0 and 1, and in four colours 2 and 3.
  // Equal endpoints in four colours would read as three, whose index 3 is black, so every texel
  // takes index 0, the one colour there is.
  const bool four = candidate.mode == Mode::four_colours;
  if (four ? candidate.first < candidate.second : candidate.first > candidate.second) {
    std::swap(candidate.first, candidate.second);
    for (LaneMask& row : candidate.indices) row = four ? row ^ 1 : row < 2 ? row ^ 1 : row;
  } else if (four && candidate.first == candidate.second) {
    candidate.indices.fill(LaneMask{});
  }
  uint32_t bits = 0;
  for (size_t texel = 0; texel < 16; ++texel) {
    bits |= static_cast<uint32_t>(candidate.indices[texel / 4][texel % 4]) << (2 * texel);
  }
  const std::array<uint8_t, 8> bytes{static_cast<uint8_t>(candidate.first), static_cast<uint8_t>(candidate.first >> 8),
                                     static_cast<uint8_t>(candidate.second), static_cast<uint8_t>(candidate.second >> 8),
                                     static_cast<uint8_t>(bits), static_cast<uint8_t>(bits >> 8),
                                     static_cast<uint8_t>(bits >> 16), static_cast<uint8_t>(bits >> 24)};
  std::memcpy(out, bytes.data(), bytes.size());
}

// The better of one mode's range fit and its least-squares refinement.
Candidate fit(const Texels& texels, Mode mode, uint16_t first, uint16_t second) {
  Candidate best = evaluate(texels, mode, first, second);
  // One round of least squares, with the three-colour mode, brings range fit's quality up to
  // libsquish's cluster fit for a tenth of its time; a second round gained nothing measurable
  // (bench/pyramid_bench).
  if (best.error > 0.0f) {
    const Candidate refined = refine(texels, best);
    if (refined.error < best.error) best = refined;
  }
  return best;
}

void encode_block(const Texels& texels, std::byte* out) {
  Lanes red{}, green{}, blue{};
  for (size_t row = 0; row < 4; ++row) {
    red += texels.red[row];
    green += texels.green[row];
    blue += texels.blue[row];
  }
  const Rgb mean{sum(red) / 16.0f, sum(green) / 16.0f, sum(blue) / 16.0f};
  const Rgb axis = principal_axis(texels, mean);
  // The texels' extent along the axis gives the endpoints (libsquish's range fit).
  Lanes lowest = Lanes{} + INFINITY;
  Lanes highest = Lanes{} - INFINITY;
  for (size_t row = 0; row < 4; ++row) {
    const Lanes along = (texels.red[row] - mean.red) * axis.red + (texels.green[row] - mean.green) * axis.green +
                        (texels.blue[row] - mean.blue) * axis.blue;
    lowest = along < lowest ? along : lowest;
    highest = along > highest ? along : highest;
  }
  const float length = axis.red * axis.red + axis.green * axis.green + axis.blue * axis.blue;
  const float low_along = std::min(std::min(lowest[0], lowest[1]), std::min(lowest[2], lowest[3])) / length;
  const float high_along = std::max(std::max(highest[0], highest[1]), std::max(highest[2], highest[3])) / length;
  const Rgb start{mean.red + axis.red * low_along, mean.green + axis.green * low_along, mean.blue + axis.blue * low_along};
  const Rgb end{mean.red + axis.red * high_along, mean.green + axis.green * high_along, mean.blue + axis.blue * high_along};
  const uint16_t high = pack565(end);
  const uint16_t low = pack565(start);
  Candidate best = fit(texels, Mode::four_colours, high, low);
  // Three colours win on blocks of two or three distinct tones (ink on paper, a rule's edge),
  // where four colours leave large errors. Trying them also where four leave under 64 a texel
  // (8 levels in one channel) gained nothing on the bench's page tiles (43.55 dB either way) and
  // took a quarter to a third longer.
  if (best.error > 16.0f * 64.0f) {
    const Candidate three = fit(texels, Mode::three_colours, high, low);
    if (three.error < best.error) best = three;
  }
  // A block whose endpoints met (paper, an even wash of ink) is better as a blend of two.
  if (best.first == best.second && best.error > 0.0f) {
    const Candidate flat = one_colour_fit(texels, mean);
    if (flat.error < best.error) best = flat;
  }
  write_block(best, out);
}

}  // namespace

void encode_bc1(const ImageRgba8& image, std::span<std::byte> blocks) {
  const uint32_t blocks_wide = (image.width + 3) / 4;
  const uint32_t blocks_high = (image.height + 3) / 4;
  expects(blocks.size() == scene::page_tile_bytes(scene::PageTileFormat::bc1, image.width, image.height),
          "eight bytes for each block of the image");
  Texels texels;
  for (uint32_t block_y = 0; block_y < blocks_high; ++block_y) {
    for (uint32_t block_x = 0; block_x < blocks_wide; ++block_x) {
      for (uint32_t row = 0; row < 4; ++row) {
        const uint8_t* source_row = image.at(0, std::min(block_y * 4 + row, image.height - 1));
        Bytes16 rgba;
        if (block_x * 4 + 4 <= image.width) {
          std::memcpy(&rgba, source_row + size_t{block_x} * 16, sizeof rgba);
        } else {
          // Past the right edge: the edge texel again.
          for (uint32_t column = 0; column < 4; ++column) {
            std::memcpy(reinterpret_cast<uint8_t*>(&rgba) + column * 4,
                        source_row + size_t{std::min(block_x * 4 + column, image.width - 1)} * 4, 4);
          }
        }
        texels.red[row] = __builtin_convertvector(__builtin_shufflevector(rgba, rgba, 0, 4, 8, 12), Lanes);
        texels.green[row] = __builtin_convertvector(__builtin_shufflevector(rgba, rgba, 1, 5, 9, 13), Lanes);
        texels.blue[row] = __builtin_convertvector(__builtin_shufflevector(rgba, rgba, 2, 6, 10, 14), Lanes);
      }
      encode_block(texels, blocks.data() + (size_t{block_y} * blocks_wide + block_x) * 8);
    }
  }
}

}  // namespace pavilion::pyramid

#include "leaf_sheet.h"

#include "pavilion/core/file.h"

#include <fmt/format.h>

#include <csetjmp>
#include <cstdio>
#include <cstdlib>
#include <numbers>
#include <thread>

#include <jpeglib.h>

namespace pavilion::procedural::leaf {
namespace {

constexpr uint32_t tone_step = 16;
constexpr uint32_t mottle_step = 4;

float bilinear(const std::vector<float>& grid, uint32_t columns, float gx, float gy) {
  const auto x0 = static_cast<uint32_t>(gx);
  const auto y0 = static_cast<uint32_t>(gy);
  const float fx = gx - static_cast<float>(x0);
  const float fy = gy - static_cast<float>(y0);
  const float* row0 = &grid[size_t{y0} * columns + x0];
  const float* row1 = row0 + columns;
  return (row0[0] * (1 - fx) + row0[1] * fx) * (1 - fy) + (row1[0] * (1 - fx) + row1[1] * fx) * fy;
}

std::vector<float> sample_grid(uint32_t columns, uint32_t rows, uint32_t step, float period, int octaves, uint32_t seed) {
  std::vector<float> grid(size_t{columns} * rows);
  for (uint32_t gy = 0; gy < rows; ++gy) {
    for (uint32_t gx = 0; gx < columns; ++gx) {
      grid[size_t{gy} * columns + gx] =
          fractal_noise(static_cast<float>(gx * step) / period, static_cast<float>(gy * step) / period, seed, octaves);
    }
  }
  return grid;
}

struct JpegErrors {
  jpeg_error_mgr manager;
  std::jmp_buf jump;
  char message[JMSG_LENGTH_MAX];
};

[[noreturn]] void fail_jpeg(j_common_ptr info) {
  auto* errors = reinterpret_cast<JpegErrors*>(info->err);
  errors->manager.format_message(info, errors->message);
  std::longjmp(errors->jump, 1);
}

}  // namespace

float value_noise(float x, float y, uint32_t seed) {
  const float fx = std::floor(x);
  const float fy = std::floor(y);
  const auto ix = static_cast<uint32_t>(static_cast<int32_t>(fx));
  const auto iy = static_cast<uint32_t>(static_cast<int32_t>(fy));
  float tx = x - fx;
  float ty = y - fy;
  tx = tx * tx * (3 - 2 * tx);
  ty = ty * ty * (3 - 2 * ty);
  const float a = hash01(ix, iy, seed);
  const float b = hash01(ix + 1, iy, seed);
  const float c = hash01(ix, iy + 1, seed);
  const float d = hash01(ix + 1, iy + 1, seed);
  return (a * (1 - tx) + b * tx) * (1 - ty) + (c * (1 - tx) + d * tx) * ty;
}

float fractal_noise(float x, float y, uint32_t seed, int octaves) {
  float sum = 0;
  float weight = 1;
  float total = 0;
  for (int octave = 0; octave < octaves; ++octave) {
    sum += weight * value_noise(x, y, seed + static_cast<uint32_t>(octave) * 1013u);
    total += weight;
    weight *= 0.5f;
    x *= 2.03f;
    y *= 2.03f;
  }
  return sum / total;
}

Sheet::Sheet(uint32_t width, uint32_t height, const Paper& paper, std::array<Ink, ink_layers> inks)
    : width_(width), height_(height), paper_(paper), inks_(inks) {
  tone_columns_ = width / tone_step + 2;
  tone_grid_ = sample_grid(tone_columns_, height / tone_step + 2, tone_step, static_cast<float>(height) / 3.0f, 5, paper.seed);
  mottle_columns_ = width / mottle_step + 2;
  // The formation of handmade paper: clouds a few millimetres across (a sheet's height is ~27 cm).
  mottle_grid_ = sample_grid(mottle_columns_, height / mottle_step + 2, mottle_step, static_cast<float>(height) / 90.0f, 3,
                             paper.seed + 7);
}

void Sheet::rule(InkLayer layer, float x0, float y0, float x1, float y1, float thickness, float waver, float breaks, uint32_t seed) {
  const bool vertical = std::abs(x1 - x0) < std::abs(y1 - y0);
  const float start = vertical ? std::min(y0, y1) : std::min(x0, x1);
  const float end = vertical ? std::max(y0, y1) : std::max(x0, x1);
  const float across = vertical ? x0 : y0;
  const float scale = static_cast<float>(height_);
  for (auto along = static_cast<int32_t>(start); along <= static_cast<int32_t>(end); ++along) {
    const float t = static_cast<float>(along);
    // A rule carved by hand drifts over tens of centimetres and is slightly thicker where the
    // knife went twice.
    const float centre = across + waver * (2 * fractal_noise(t / (scale * 0.08f), 0.5f, seed, 3) - 1);
    float half = 0.5f * thickness * (0.85f + 0.3f * value_noise(t / (scale * 0.01f), 3.5f, seed + 1));
    float strength = 1;
    if (breaks > 0) {
      // Worn through where the noise dips: gaps a few millimetres long, and thin ink around them.
      const float wear = fractal_noise(t / (scale * 0.012f), 9.5f, seed + 2, 4);
      strength = smoothstep(breaks * 0.9f, breaks * 0.9f + 0.08f, wear);
      half *= 0.6f + 0.4f * strength;
    }
    if (strength <= 0) continue;
    for (auto offset = static_cast<int32_t>(std::floor(centre - half - 1)); offset <= static_cast<int32_t>(std::ceil(centre + half + 1));
         ++offset) {
      const float distance = std::abs(static_cast<float>(offset) + 0.5f - centre);
      const float coverage = std::clamp(half + 0.5f - distance, 0.0f, 1.0f) * strength;
      if (coverage <= 0) continue;
      if (vertical) cover(layer, offset, along, coverage);
      else cover(layer, along, offset, coverage);
    }
  }
}

void Sheet::polygon(InkLayer layer, std::span<const std::array<float, 2>> points, float roughness, uint32_t seed) {
  float left = points[0][0], right = left, top = points[0][1], bottom = top;
  for (const auto& point : points) {
    left = std::min(left, point[0]);
    right = std::max(right, point[0]);
    top = std::min(top, point[1]);
    bottom = std::max(bottom, point[1]);
  }
  const auto inside = [&](float x, float y) {
    bool in = false;
    for (size_t i = 0, j = points.size() - 1; i < points.size(); j = i++) {
      const auto& a = points[i];
      const auto& b = points[j];
      if ((a[1] > y) != (b[1] > y) && x < (b[0] - a[0]) * (y - a[1]) / (b[1] - a[1]) + a[0]) in = !in;
    }
    return in;
  };
  const auto margin = static_cast<int32_t>(roughness) + 2;
  for (int32_t y = static_cast<int32_t>(top) - margin; y <= static_cast<int32_t>(bottom) + margin; ++y) {
    for (int32_t x = static_cast<int32_t>(left) - margin; x <= static_cast<int32_t>(right) + margin; ++x) {
      // The edge moves by up to `roughness` pixels with noise: sample where the noise displaces it.
      const float fx = static_cast<float>(x), fy = static_cast<float>(y);
      const float dx = roughness * (2 * value_noise(fx / 7, fy / 7, seed) - 1);
      const float dy = roughness * (2 * value_noise(fx / 7, fy / 7, seed + 5) - 1);
      int hits = 0;
      for (int sy = 0; sy < 3; ++sy) {
        for (int sx = 0; sx < 3; ++sx) {
          hits += inside(fx + dx + (static_cast<float>(sx) + 0.5f) / 3, fy + dy + (static_cast<float>(sy) + 0.5f) / 3) ? 1 : 0;
        }
      }
      if (hits > 0) cover(layer, x, y, static_cast<float>(hits) / 9.0f);
    }
  }
}

void Sheet::ring(InkLayer layer, float cx, float cy, float radius, float width, uint32_t seed) {
  const auto reach = static_cast<int32_t>(radius + width + 2);
  const float pressure_angle = hash01(static_cast<uint32_t>(cx), static_cast<uint32_t>(cy), seed) * 2 * std::numbers::pi_v<float>;
  for (int32_t y = -reach; y <= reach; ++y) {
    for (int32_t x = -reach; x <= reach; ++x) {
      const float fx = static_cast<float>(x) + 0.5f, fy = static_cast<float>(y) + 0.5f;
      const float angle = std::atan2(fy, fx);
      // A brush ring is heavier where the stroke starts and thins where it closes.
      const float stroke = width * (0.75f + 0.45f * (0.5f + 0.5f * std::cos(angle - pressure_angle)));
      const float r = radius * (1 + 0.08f * (2 * value_noise(angle * 1.5f + 10, 0.5f, seed) - 1));
      const float distance = std::abs(std::sqrt(fx * fx + fy * fy) - (width >= radius ? 0.0f : r));
      const float half = width >= radius ? r : stroke * 0.5f;
      const float coverage = std::clamp(half + 0.5f - distance, 0.0f, 1.0f);
      if (coverage > 0) cover(layer, static_cast<int32_t>(cx) + x, static_cast<int32_t>(cy) + y, coverage);
    }
  }
}

void Sheet::stamp(InkLayer layer, int32_t x, int32_t y, uint32_t bitmap_width, uint32_t bitmap_height, std::span<const float> coverage) {
  for (uint32_t row = 0; row < bitmap_height; ++row) {
    for (uint32_t column = 0; column < bitmap_width; ++column) {
      const float value = coverage[size_t{row} * bitmap_width + column];
      if (value > 0) cover(layer, x + static_cast<int32_t>(column), y + static_cast<int32_t>(row), value);
    }
  }
}

void Sheet::age() {
  fibres_.assign(size_t{width_} * height_, 128);
  stains_.assign(size_t{width_} * height_, 0);
  const float h = static_cast<float>(height_);
  uint32_t counter = 0;
  const auto random = [&] { return hash01(counter++, 17, paper_.seed + 101); };

  // Fibres: short curved strands, most a little lighter than the sheet (bast and bamboo fibres
  // catch the light), some darker (bark and impurities).
  const auto fibre_count = static_cast<uint32_t>(paper_.fibres_per_megapixel * static_cast<float>(width_) * h / 1e6f);
  for (uint32_t fibre = 0; fibre < fibre_count; ++fibre) {
    float x = random() * static_cast<float>(width_);
    float y = random() * h;
    float angle = random() * 2 * std::numbers::pi_v<float>;
    const float length = paper_.fibre_length * h * (0.15f + 0.85f * random() * random());
    const float bend = (random() - 0.5f) * 4.0f / length;
    const float width = 0.6f + 1.6f * random() * (h / 6000.0f);
    const bool dark = random() < 0.22f;
    const float strength = (dark ? -1.0f : 1.0f) * (25.0f + 60.0f * random());
    for (float walked = 0; walked < length; walked += 0.7f) {
      const float fade = std::sin(std::numbers::pi_v<float> * walked / length);  // tapered ends
      const auto reach = static_cast<int32_t>(width) + 1;
      for (int32_t oy = -reach; oy <= reach; ++oy) {
        for (int32_t ox = -reach; ox <= reach; ++ox) {
          const auto px = static_cast<int32_t>(x) + ox;
          const auto py = static_cast<int32_t>(y) + oy;
          if (px < 0 || py < 0 || static_cast<uint32_t>(px) >= width_ || static_cast<uint32_t>(py) >= height_) continue;
          const float d = std::sqrt(static_cast<float>(ox * ox + oy * oy));
          const float c = std::clamp(width * 0.5f + 0.5f - d, 0.0f, 1.0f) * fade;
          if (c <= 0) continue;
          uint8_t& at = fibres_[size_t(py) * width_ + size_t(px)];
          const float value = 128 + strength * c;
          at = static_cast<uint8_t>(std::clamp(dark ? std::min<float>(at, value) : std::max<float>(at, value), 0.0f, 255.0f));
        }
      }
      x += std::cos(angle) * 0.7f;
      y += std::sin(angle) * 0.7f;
      angle += bend * 0.7f;
    }
  }

  // Foxing: rust-brown spots where iron in the paper oxidised, in loose clusters; and a tide
  // stain or two, a faint blot with a darker rim where water once dried.
  const auto blot = [&](float cx, float cy, float radius, float strength, float rim, uint32_t seed) {
    const auto reach = static_cast<int32_t>(radius * 1.5f) + 2;
    for (int32_t oy = -reach; oy <= reach; ++oy) {
      for (int32_t ox = -reach; ox <= reach; ++ox) {
        const auto px = static_cast<int32_t>(cx) + ox;
        const auto py = static_cast<int32_t>(cy) + oy;
        if (px < 0 || py < 0 || static_cast<uint32_t>(px) >= width_ || static_cast<uint32_t>(py) >= height_) continue;
        const float fx = static_cast<float>(ox), fy = static_cast<float>(oy);
        const float wobble = 1 + 0.45f * (2 * fractal_noise(fx / (radius * 0.6f) + 50, fy / (radius * 0.6f), seed, 3) - 1);
        const float d = std::sqrt(fx * fx + fy * fy) / (radius * wobble);
        if (d >= 1.05f) continue;
        float value = strength * smoothstep(1.0f, 0.35f, d) * (0.7f + 0.3f * value_noise(fx / 3, fy / 3, seed + 3));
        value += rim * smoothstep(0.8f, 0.97f, d) * smoothstep(1.05f, 0.98f, d);
        uint8_t& at = stains_[size_t(py) * width_ + size_t(px)];
        at = static_cast<uint8_t>(std::clamp(static_cast<float>(at) + value * 255.0f, 0.0f, 255.0f));
      }
    }
  };
  for (int cluster = 0; cluster < std::max(1, paper_.foxing_spots / 6); ++cluster) {
    const float cx = random() * static_cast<float>(width_);
    const float cy = random() * h;
    for (int spot = 0; spot < 6; ++spot) {
      const float radius = h * (0.0008f + 0.005f * random() * random());
      blot(cx + (random() - 0.5f) * h * 0.05f, cy + (random() - 0.5f) * h * 0.05f, radius, 0.25f + 0.4f * random(), 0.1f,
           paper_.seed + 300 + counter);
    }
  }
  for (int stain = 0; stain < paper_.tide_stains; ++stain) {
    // From an edge, where water reaches a book.
    const float cx = random() < 0.5f ? random() * static_cast<float>(width_) * 0.15f : static_cast<float>(width_) * (0.85f + 0.15f * random());
    blot(cx, h * (0.6f + 0.4f * random()), h * (0.06f + 0.06f * random()), 0.08f, 0.12f, paper_.seed + 900 + counter);
  }
}

float Sheet::tone_at(uint32_t x, uint32_t y) const {
  return bilinear(tone_grid_, tone_columns_, static_cast<float>(x) / tone_step, static_cast<float>(y) / tone_step);
}

void Sheet::compose_rows(uint32_t first_row, uint32_t rows, uint8_t* out) const {
  const float w = static_cast<float>(width_), h = static_cast<float>(height_);
  const float edge_width = h * 0.035f;
  for (uint32_t y = first_row; y < first_row + rows; ++y) {
    const float fy = static_cast<float>(y);
    // The mould's laid lines: thin, close rows a shade darker; its chain lines farther apart.
    float laid = 1;
    if (paper_.laid_line_spacing > 0) {
      const float phase = std::cos(2 * std::numbers::pi_v<float> * fy / paper_.laid_line_spacing);
      laid -= 0.012f * std::pow(std::max(0.0f, phase), 6.0f);
    }
    for (uint32_t x = 0; x < width_; ++x) {
      const float fx = static_cast<float>(x);
      float shade = 1 + paper_.tone_variation * (2 * tone_at(x, y) - 1);
      shade += paper_.mottle * (2 * bilinear(mottle_grid_, mottle_columns_, fx / mottle_step, fy / mottle_step) - 1);
      shade += paper_.grain * (2 * hash01(x, y, paper_.seed + 3) - 1);
      shade *= laid;
      if (paper_.chain_line_spacing > 0) {
        const float phase = std::cos(2 * std::numbers::pi_v<float> * fx / paper_.chain_line_spacing);
        shade -= 0.015f * std::pow(std::max(0.0f, phase), 40.0f);
      }
      if (paper_.fold_x >= 0) {
        // A fold pressed flat for scanning: a soft dark valley with a lit shoulder beside it.
        const float d = (fx - paper_.fold_x) / (h / 6000.0f);
        shade -= 0.035f * std::exp(-d * d / 32.0f);
        shade += 0.012f * std::exp(-(d - 9) * (d - 9) / 60.0f);
      }
      const size_t at = size_t{y} * width_ + x;
      if (!fibres_.empty()) shade += 0.0011f * (static_cast<float>(fibres_[at]) - 128);
      // Edges handled for centuries are darker, irregularly.
      const float edge = std::min({fx, w - 1 - fx, fy, h - 1 - fy}) / (edge_width * (0.6f + 0.8f * tone_at(x, y)));
      shade -= paper_.edge_darkening * (1 - smoothstep(0.0f, 1.0f, edge));
      Rgb colour{paper_.colour[0] * shade, paper_.colour[1] * (shade * 0.995f), paper_.colour[2] * (shade * 0.985f)};
      // Darker paper is also browner: the same oxidation.
      colour[2] -= (1 - shade) * 40;
      if (!stains_.empty() && stains_[at] > 0) {
        const float s = static_cast<float>(stains_[at]) / 255.0f;
        for (size_t c = 0; c < 3; ++c) colour[c] += (paper_.stain_colour[c] - colour[c]) * s;
      }
      for (size_t layer = 0; layer < ink_layers; ++layer) {
        if (masks_[layer].empty() || masks_[layer][at] == 0) continue;
        const Ink& ink = inks_[layer];
        float amount = static_cast<float>(masks_[layer][at]) / 255.0f;
        // Uneven inking over centimetres, and paper showing through the thinnest ink.
        const float density = 1 - ink.density_variation * fractal_noise(fx / (h * 0.02f), fy / (h * 0.02f), 77 + static_cast<uint32_t>(layer), 2);
        // Where a raised fibre or a pit in the paper missed the block.
        const float speck = value_noise(fx / 2.5f, fy / 2.5f, paper_.seed + 31 + static_cast<uint32_t>(layer)) +
                            (fibres_.empty() ? 0.0f : 0.004f * std::max(0.0f, static_cast<float>(fibres_[at]) - 128));
        amount *= density * (1 - ink.starved * smoothstep(0.75f, 1.0f, speck));
        for (size_t c = 0; c < 3; ++c) {
          // Ink is darker on darker paper: it absorbs on top of what the paper already absorbs.
          const float inked_colour = ink.colour[c] * std::min(1.0f, shade * 1.05f);
          colour[c] += (inked_colour - colour[c]) * amount;
        }
      }
      uint8_t* pixel = out + (size_t{y - first_row} * width_ + x) * 3;
      for (size_t c = 0; c < 3; ++c) pixel[c] = static_cast<uint8_t>(std::clamp(colour[c] + 0.5f, 0.0f, 255.0f));
    }
  }
}

Result<void> Sheet::write_jpeg(const std::filesystem::path& file, int quality) const {
  constexpr uint32_t band = 128;
  std::vector<uint8_t> rows(size_t{band} * width_ * 3);
  const auto compose_band = [&](uint32_t first) {
    const uint32_t count = std::min(band, height_ - first);
    const uint32_t half = count / 2;
    std::thread helper([&] { compose_rows(first, half, rows.data()); });
    compose_rows(first + half, count - half, rows.data() + size_t{half} * width_ * 3);
    helper.join();
    return count;
  };

  jpeg_compress_struct info{};
  JpegErrors errors{};
  info.err = jpeg_std_error(&errors.manager);
  errors.manager.error_exit = fail_jpeg;
  unsigned char* buffer = nullptr;
  unsigned long size = 0;
  if (setjmp(errors.jump)) {
    jpeg_destroy_compress(&info);
    std::free(buffer);
    return Error(ErrorCode::internal, fmt::format("encoding {}", file.string()), errors.message);
  }
  jpeg_create_compress(&info);
  jpeg_mem_dest(&info, &buffer, &size);
  info.image_width = width_;
  info.image_height = height_;
  info.input_components = 3;
  info.in_color_space = JCS_RGB;
  jpeg_set_defaults(&info);
  jpeg_set_quality(&info, quality, TRUE);
  info.dct_method = JDCT_ISLOW;
  jpeg_start_compress(&info, TRUE);
  while (info.next_scanline < height_) {
    const uint32_t count = compose_band(info.next_scanline);
    for (uint32_t row = 0; row < count; ++row) {
      JSAMPROW pointer = rows.data() + size_t{row} * width_ * 3;
      jpeg_write_scanlines(&info, &pointer, 1);
    }
  }
  jpeg_finish_compress(&info);
  jpeg_destroy_compress(&info);
  const auto written = write_file_atomic(file, std::span(reinterpret_cast<const std::byte*>(buffer), size));
  std::free(buffer);
  return written;
}

std::vector<float> inked(std::span<const float> coverage, uint32_t width, uint32_t height, int32_t x, int32_t y, float radius,
                         float spread, uint32_t seed) {
  const auto r = std::max(1, static_cast<int32_t>(radius));
  const auto blur_line = [&](std::vector<float>& values, bool rows) {
    const uint32_t lines = rows ? height : width;
    const uint32_t length = rows ? width : height;
    std::vector<float> line(length);
    for (uint32_t l = 0; l < lines; ++l) {
      const auto at = [&](uint32_t i) -> float& { return rows ? values[size_t{l} * width + i] : values[size_t{i} * width + l]; };
      float sum = 0;
      for (int32_t i = -r; i <= r; ++i) sum += (i >= 0 && static_cast<uint32_t>(i) < length) ? at(static_cast<uint32_t>(i)) : 0;
      for (uint32_t i = 0; i < length; ++i) {
        line[i] = sum / static_cast<float>(2 * r + 1);
        const auto out_index = static_cast<int64_t>(i) - r;
        const auto in_index = static_cast<int64_t>(i) + r + 1;
        if (out_index >= 0) sum -= at(static_cast<uint32_t>(out_index));
        if (in_index < static_cast<int64_t>(length)) sum += at(static_cast<uint32_t>(in_index));
      }
      for (uint32_t i = 0; i < length; ++i) at(i) = line[i];
    }
  };
  std::vector<float> blurred(coverage.begin(), coverage.end());
  blur_line(blurred, true);
  blur_line(blurred, false);
  const float feature = radius * 2.5f;
  for (uint32_t row = 0; row < height; ++row) {
    for (uint32_t column = 0; column < width; ++column) {
      float& value = blurred[size_t{row} * width + column];
      if (value <= 0) continue;
      const float px = static_cast<float>(x + static_cast<int32_t>(column)), py = static_cast<float>(y + static_cast<int32_t>(row));
      const float threshold = 0.5f - spread + 0.22f * (fractal_noise(px / feature, py / feature, seed, 2) - 0.5f);
      value = smoothstep(threshold - 0.08f, threshold + 0.08f, value);
    }
  }
  return blurred;
}

}  // namespace pavilion::procedural::leaf

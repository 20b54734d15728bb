// flash_bench: what the flash-safety check costs per frame, against real time.
//
//   A 1280×720 show (a drifting gradient, a patch flashing twice a second, a strip of stripes)
//   analysed frame by frame as a headset's 100° eye at 90 Hz, and as a screen: frames analysed
//   a second and the ratio to 90 frames a second. The reference, in the same run, is the least
//   any per-pixel check does: each frame's mean relative luminance through the same sRGB table.
//
//   flash_bench [--frames N]
#include "pavilion/core/image.h"
#include "pavilion/core/number.h"
#include "pavilion/flash/flash.h"

#include <fmt/format.h>

#include <array>
#include <chrono>
#include <string_view>
#include <vector>

namespace {

using namespace pavilion;
using Clock = std::chrono::steady_clock;

constexpr uint32_t width = 1280, height = 720;
constexpr size_t distinct_frames = 16;  // cycled: a show's worth of pixels without 300 MB of them

std::vector<ImageRgba8> make_show() {
  std::vector<ImageRgba8> frames;
  for (size_t frame = 0; frame < distinct_frames; ++frame) {
    ImageRgba8 image(width, height);
    const bool lit = (frame / 4) % 2 == 1;
    for (uint32_t y = 0; y < height; ++y) {
      for (uint32_t x = 0; x < width; ++x) {
        uint8_t* pixel = image.at(x, y);
        const auto gradient = static_cast<uint8_t>((x + frame * 8) * 255 / (width + distinct_frames * 8));
        pixel[0] = gradient;
        pixel[1] = static_cast<uint8_t>(gradient / 2);
        pixel[2] = static_cast<uint8_t>(255 - gradient);
        if (lit && x >= 500 && x < 700 && y >= 260 && y < 460) pixel[0] = pixel[1] = pixel[2] = 255;
        if (y >= 600 && (x / 10) % 2 == 0) pixel[0] = pixel[1] = pixel[2] = 20;
        pixel[3] = 255;
      }
    }
    frames.push_back(std::move(image));
  }
  return frames;
}

double analyse_ms(const flash::FlashViewing& viewing, const std::vector<ImageRgba8>& show, size_t frames) {
  flash::FlashAnalyser analyser(viewing);
  (void)analyser.add_frame(width, height, show[0].pixels);  // sizes its buffers
  const auto start = Clock::now();
  for (size_t frame = 1; frame <= frames; ++frame) {
    (void)analyser.add_frame(width, height, show[frame % show.size()].pixels);
  }
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count() / static_cast<double>(frames);
}

double reference_ms(const std::vector<ImageRgba8>& show, size_t frames, double& keep) {
  std::array<float, 256> linear{};
  for (int level = 0; level < 256; ++level) linear[level] = srgb_to_linear(static_cast<uint8_t>(level));
  const auto start = Clock::now();
  for (size_t frame = 1; frame <= frames; ++frame) {
    const std::vector<uint8_t>& pixels = show[frame % show.size()].pixels;
    double sum = 0;
    for (size_t index = 0; index < pixels.size(); index += 4) {
      sum += 0.2126f * linear[pixels[index]] + 0.7152f * linear[pixels[index + 1]] + 0.0722f * linear[pixels[index + 2]];
    }
    keep += sum;
  }
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count() / static_cast<double>(frames);
}

}  // namespace

int main(int argc, char** argv) {
  size_t frames = 180;
  if (argc == 3 && std::string_view(argv[1]) == "--frames") {
    const auto parsed = parse_whole_number(argv[2]);
    if (!parsed || *parsed == 0) {
      fmt::print(stderr, "usage: flash_bench [--frames N]\n");
      return 2;
    }
    frames = *parsed;
  } else if (argc != 1) {
    fmt::print(stderr, "usage: flash_bench [--frames N]\n");
    return 2;
  }
  const std::vector<ImageRgba8> show = make_show();
  double keep = 0;
  const double reference = reference_ms(show, frames, keep);
  fmt::print("flash analysis of {}×{} frames, {} frames each\n", width, height, frames);
  fmt::print("  reference (mean luminance only)  {:7.2f} ms a frame\n", reference);
  for (const auto& [name, viewing] : {std::pair{"headset 100°, 90 Hz", flash::FlashViewing::headset(90, 100)},
                                      std::pair{"screen, 90 Hz", flash::FlashViewing::screen(90)}}) {
    const double ms = analyse_ms(viewing, show, frames);
    fmt::print("  {:<31}  {:7.2f} ms a frame, {:6.1f} frames/s, {:4.2f}× real time, {:4.1f}× the reference\n", name, ms,
               1000 / ms, 1000 / ms / 90, ms / reference);
  }
  if (keep < 0) fmt::print("{}\n", keep);  // keeps the reference loop from being optimised away
  return 0;
}

// What the GPU benchmarks share: their common command line (--size WxH, --frames N, --msaa N,
// --gpu NAME, beside each one's own options) and opening the device. One reader, so that every
// benchmark takes the same options the same way and refuses the same mistakes.
#pragma once

#include "pavilion/render/context.h"
#include "pavilion/render/renderer.h"

#include <charconv>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace pavilion::bench {

template <class Number>
bool parse_number(std::string_view text, Number& value) {
  return std::from_chars(text.data(), text.data() + text.size(), value).ec == std::errc();
}

// "A,B,C": positive numbers, replacing `counts`.
inline bool parse_counts(std::string_view text, std::vector<uint32_t>& counts) {
  counts.clear();
  for (size_t start = 0; start <= text.size();) {
    const size_t comma = std::min(text.find(',', start), text.size());
    uint32_t count = 0;
    if (!parse_number(text.substr(start, comma - start), count) || count == 0) return false;
    counts.push_back(count);
    start = comma + 1;
  }
  return true;
}

struct GpuBenchOptions {
  uint32_t width = 1280;
  uint32_t height = 720;
  uint32_t frames = 60;  // measured, after `warmup` frames
  uint32_t warmup = 10;
  uint32_t msaa = render::automatic_msaa;
  std::string gpu;  // a device name to prefer, else the best one
};

// Reads `--name value` pairs: the shared ones into `options`, the others through `own`, which
// says false for a name it does not take or a value it refuses. False on anything wrong.
inline bool parse_gpu_bench_options(int argc, char** argv, GpuBenchOptions& options,
                                    const std::function<bool(std::string_view, std::string_view)>& own = {}) {
  if (argc % 2 != 1) return false;
  for (int index = 1; index + 1 < argc; index += 2) {
    const std::string_view name = argv[index];
    const std::string_view value = argv[index + 1];
    bool ok = true;
    if (name == "--size") {
      const size_t x = value.find('x');
      ok = x != std::string_view::npos && parse_number(value.substr(0, x), options.width) &&
           parse_number(value.substr(x + 1), options.height) && options.width > 0 && options.height > 0;
    } else if (name == "--frames") {
      ok = parse_number(value, options.frames) && options.frames > 0;
    } else if (name == "--msaa") {
      ok = parse_number(value, options.msaa);
    } else if (name == "--gpu") {
      options.gpu = value;
    } else {
      ok = own && own(name, value);
    }
    if (!ok) return false;
  }
  return true;
}

// The device `gpu` names (or the best); says why on stderr and gives null when there is none.
inline std::unique_ptr<render::GpuContext> open_gpu(const char* bench, const std::string& gpu) {
  render::ContextConfig config;
  config.application_name = bench;
  config.preferred_device = gpu;
  auto context = render::GpuContext::create(config);
  if (!context) {
    std::fprintf(stderr, "%s: %s\n", bench, context.error().describe().c_str());
    return nullptr;
  }
  return std::move(*context);
}

}  // namespace pavilion::bench

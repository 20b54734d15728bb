// What the book tests pack: generated page scans and the small text files beside them.
#pragma once

#include "pavilion/core/file.h"
#include "pavilion/core/image.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <span>
#include <string_view>

namespace pavilion::testing {

// A page: ink strokes on paper, different on every page.
inline ImageRgba8 page_scan(uint32_t page) {
  ImageRgba8 image(300, 400);
  for (uint32_t y = 0; y < image.height; ++y) {
    for (uint32_t x = 0; x < image.width; ++x) {
      uint8_t* pixel = image.at(x, y);
      const bool ink = (x * 7 + y * 3 + page * 131) % 97 < 9;
      pixel[0] = ink ? 40 : 226;
      pixel[1] = ink ? 32 : 212;
      pixel[2] = ink ? 30 : 180;
      pixel[3] = 255;
    }
  }
  return image;
}

// `text` as the file at `path`, its folders made.
inline void write_text(const std::filesystem::path& path, std::string_view text) {
  std::filesystem::create_directories(path.parent_path());
  ASSERT_TRUE(write_file_atomic(path, std::as_bytes(std::span(text.data(), text.size()))).ok());
}

}  // namespace pavilion::testing

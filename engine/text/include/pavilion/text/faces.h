// The book faces poems are set in, from Debian's font packages (scripts/setup installs them).
#pragma once

#include <cstdint>
#include <filesystem>

namespace pavilion::text {

struct FaceFile {
  std::filesystem::path file;
  uint32_t index = 0;  // the face within a collection (.ttc)
};

// Noto Serif CJK SC (fonts-noto-cjk), a Song face: face 2 of its collection is Simplified Chinese.
inline FaceFile song_face() { return {"/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", 2}; }
// LXGW WenKai (fonts-lxgw-wenkai), a brush-written Kai face, with pinyin.
inline FaceFile kai_face() { return {"/usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf", 0}; }

}  // namespace pavilion::text

// Damage done to files on purpose, as a failing disk or a bad copy would.
#pragma once

#include <cstdint>
#include <filesystem>
#include <fstream>

namespace pavilion::testing {

// Flips bits of one byte of a file in place.
inline void flip_byte(const std::filesystem::path& path, uint64_t offset) {
  std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
  file.seekg(static_cast<std::streamoff>(offset));
  char value = 0;
  file.read(&value, 1);
  value = static_cast<char>(value ^ 0x5a);
  file.seekp(static_cast<std::streamoff>(offset));
  file.write(&value, 1);
}

}  // namespace pavilion::testing

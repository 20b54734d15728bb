// Read-only memory mapping of a whole file.
#pragma once

#include "pavilion/core/error.h"

#include <cstddef>
#include <filesystem>
#include <span>

namespace pavilion {

// Owns a read-only, private mapping; the bytes stay valid until the MappedFile is destroyed or
// moved from. An empty file maps to an empty span.
class MappedFile {
 public:
  static Result<MappedFile> open(const std::filesystem::path& path);

  MappedFile(MappedFile&& other) noexcept;
  MappedFile& operator=(MappedFile&& other) noexcept;
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  ~MappedFile();

  std::span<const std::byte> bytes() const { return {data_, size_}; }
  // Maps in the pages of bytes [offset, offset + size) in one step, reading from disk now what is
  // not cached, rather than taking a page fault every few pages as they are read. Advice only.
  void prefetch(size_t offset, size_t size) const;
  const std::filesystem::path& path() const { return path_; }

 private:
  MappedFile(std::filesystem::path path, const std::byte* data, size_t size)
      : path_(std::move(path)), data_(data), size_(size) {}
  void unmap();

  std::filesystem::path path_;
  const std::byte* data_ = nullptr;
  size_t size_ = 0;
};

}  // namespace pavilion

// Whole-file reads and crash-safe whole-file writes.
#pragma once

#include "pavilion/core/error.h"

#include <cstddef>
#include <filesystem>
#include <span>
#include <vector>

namespace pavilion {

Result<std::vector<std::byte>> read_file(const std::filesystem::path& path);

// Writes a file in pieces to a temporary file beside its destination; commit() flushes it to
// disk and renames it over the destination, so readers see either the old file or the whole new
// one, never a partial write (power loss, a full disk). Destroyed without a commit, or after a
// failed write, it removes the temporary file and leaves the old one untouched.
class AtomicFileWriter {
 public:
  static Result<AtomicFileWriter> create(const std::filesystem::path& path);
  AtomicFileWriter(AtomicFileWriter&& other) noexcept;
  AtomicFileWriter& operator=(AtomicFileWriter&&) = delete;
  ~AtomicFileWriter();

  Result<void> write(std::span<const std::byte> bytes);
  Result<void> commit();

 private:
  AtomicFileWriter(std::filesystem::path path, std::filesystem::path temporary, int fd)
      : path_(std::move(path)), temporary_(std::move(temporary)), fd_(fd) {}
  void abandon();

  std::filesystem::path path_;
  std::filesystem::path temporary_;
  int fd_ = -1;
};

// The whole file at once, through an AtomicFileWriter.
Result<void> write_file_atomic(const std::filesystem::path& path, std::span<const std::byte> bytes);

}  // namespace pavilion

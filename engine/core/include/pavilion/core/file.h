// Whole-file reads and crash-safe whole-file writes.
#pragma once

#include "pavilion/core/error.h"

#include <cstddef>
#include <filesystem>
#include <span>
#include <vector>

namespace pavilion {

Result<std::vector<std::byte>> read_file(const std::filesystem::path& path);

// Flushes a folder's entries to disk: a rename or a new file in it is durable only once its
// folder is, so without this a power cut may bring back the old file after its new one was flushed.
Result<void> sync_folder(const std::filesystem::path& folder);

// Writes a file in pieces to a temporary file beside its destination; commit() flushes it to
// disk, renames it over the destination and flushes the folder, so readers see either the old
// file or the whole new one, never a partial write (power loss, a full disk), and a committed
// file stays committed after a power cut. Destroyed without a commit, or after a
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

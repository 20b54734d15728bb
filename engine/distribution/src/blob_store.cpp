#include "pavilion/distribution/blob_store.h"

#include "pavilion/core/file.h"

#include <fcntl.h>
#include <unistd.h>

#include <fmt/format.h>
#include <fmt/std.h>

#include <cerrno>
#include <cstring>
#include <system_error>
#include <vector>

namespace pavilion::distribution {
namespace fs = std::filesystem;
namespace {

Error io_error(std::string what, const fs::path& path, const std::error_code& failure) {
  return Error(ErrorCode::io, std::move(what), fmt::format("{}: {}", path, failure.message()));
}

Error errno_error(std::string what, const fs::path& path) {
  return io_error(std::move(what), path, std::error_code(errno, std::generic_category()));
}

// Hashes a file in pieces: a blob may be hundreds of megabytes, and a kiosk's memory is for
// scenes. Also flushes it to disk, since the caller is about to let it into the store.
Result<ContentHash> hash_and_sync(const fs::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return errno_error("opening a downloaded blob", path);
  ContentHasher hasher;
  std::vector<std::byte> piece(1 << 20);
  for (;;) {
    const ssize_t count = ::read(fd, piece.data(), piece.size());
    if (count < 0 && errno == EINTR) continue;
    if (count < 0) {
      auto failure = errno_error("reading a downloaded blob", path);
      ::close(fd);
      return failure;
    }
    if (count == 0) break;
    hasher.update(std::span(piece).first(static_cast<size_t>(count)));
  }
  if (::fsync(fd) != 0) {
    auto failure = errno_error("flushing a downloaded blob to disk", path);
    ::close(fd);
    return failure;
  }
  ::close(fd);
  return hasher.finish();
}

// The store's own files are named by their hash; anything else (a temporary a crash left) is not.
std::optional<ContentHash> hash_named(const fs::path& file) { return ContentHash::from_hex(file.filename().string()); }

}  // namespace

Result<BlobStore> BlobStore::open(const fs::path& folder) {
  std::error_code failure;
  fs::create_directories(folder / "partial", failure);
  if (failure) return io_error("creating the blob store", folder, failure);
  return BlobStore(folder);
}

fs::path BlobStore::path_of(const ContentHash& hash) const {
  const std::string hex = hash.to_hex();
  return folder_ / hex.substr(0, 2) / hex;
}

bool BlobStore::holds(const ContentHash& hash) const {
  std::error_code failure;
  return fs::is_regular_file(path_of(hash), failure);
}

Result<void> BlobStore::put(const ContentHash& hash, std::span<const std::byte> bytes) {
  const ContentHash actual = hash_content(bytes);
  if (actual != hash) {
    return Error(ErrorCode::invalid_input, fmt::format("storing blob {}", hash.to_hex()),
                 fmt::format("its {} bytes hash to {}", bytes.size(), actual.to_hex()));
  }
  if (holds(hash)) return {};  // a blob's bytes never change
  const fs::path path = path_of(hash);
  std::error_code failure;
  fs::create_directories(path.parent_path(), failure);
  if (failure) return io_error("creating a blob store folder", path.parent_path(), failure);
  return write_file_atomic(path, bytes);
}

fs::path BlobStore::partial_path(const ContentHash& hash) const { return folder_ / "partial" / hash.to_hex(); }

uint64_t BlobStore::partial_size(const ContentHash& hash) const {
  std::error_code failure;
  const uintmax_t size = fs::file_size(partial_path(hash), failure);
  return failure ? 0 : size;
}

Result<void> BlobStore::complete(const ContentHash& hash) {
  const fs::path partial = partial_path(hash);
  PV_TRY_ASSIGN(const ContentHash actual, hash_and_sync(partial));
  std::error_code failure;
  if (actual != hash) {
    fs::remove(partial, failure);
    return Error(ErrorCode::invalid_input, fmt::format("storing the downloaded blob {}", hash.to_hex()),
                 fmt::format("its bytes hash to {}; the download was dropped", actual.to_hex()));
  }
  const fs::path path = path_of(hash);
  fs::create_directories(path.parent_path(), failure);
  if (failure) return io_error("creating a blob store folder", path.parent_path(), failure);
  fs::rename(partial, path, failure);
  if (failure) return io_error("moving a downloaded blob into the store", path, failure);
  return {};
}

uint64_t BlobStore::bytes_held() const {
  uint64_t total = 0;
  std::error_code failure;
  for (auto entry = fs::recursive_directory_iterator(folder_, failure); !failure && entry != fs::recursive_directory_iterator();
       entry.increment(failure)) {
    std::error_code size_failure;
    if (entry->is_regular_file(size_failure)) {
      const uintmax_t size = entry->file_size(size_failure);
      if (!size_failure) total += size;
    }
  }
  return total;
}

Result<uint64_t> BlobStore::collect_garbage(const std::set<ContentHash>& keep) {
  uint64_t freed = 0;
  std::error_code failure;
  std::vector<fs::path> doomed;
  for (auto entry = fs::recursive_directory_iterator(folder_, failure); !failure && entry != fs::recursive_directory_iterator();
       entry.increment(failure)) {
    if (!entry->is_regular_file()) continue;
    const auto hash = hash_named(entry->path());
    if (!hash || !keep.contains(*hash)) doomed.push_back(entry->path());
  }
  if (failure) return io_error("listing the blob store", folder_, failure);
  for (const fs::path& path : doomed) {
    std::error_code size_failure;
    const uintmax_t size = fs::file_size(path, size_failure);
    if (fs::remove(path, failure) && !size_failure) freed += size;
    if (failure) return io_error("removing a blob no package needs", path, failure);
  }
  return freed;
}

}  // namespace pavilion::distribution

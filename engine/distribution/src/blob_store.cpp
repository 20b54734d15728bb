#include "pavilion/distribution/blob_store.h"

#include "pavilion/core/file.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>
#include <fmt/std.h>

#include <cerrno>
#include <cstring>
#include <system_error>
#include <utility>
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

// Hashes an open file in pieces: a blob may be hundreds of megabytes, and a kiosk's memory is
// for scenes. Also flushes it to disk, since the caller is about to let it into the store.
Result<ContentHash> hash_and_sync(int fd, const fs::path& path) {
  ContentHasher hasher;
  std::vector<std::byte> piece(1 << 20);
  for (off_t offset = 0;;) {
    const ssize_t count = ::pread(fd, piece.data(), piece.size(), offset);
    if (count < 0 && errno == EINTR) continue;
    if (count < 0) return errno_error("reading a downloaded blob", path);
    if (count == 0) break;
    hasher.update(std::span(piece).first(static_cast<size_t>(count)));
    offset += count;
  }
  if (::fsync(fd) != 0) return errno_error("flushing a downloaded blob to disk", path);
  return hasher.finish();
}

// Flushes the folders a blob's rename touched (its own, and the store's when the first was new),
// so a power cut cannot lose a blob that a saved list of installed packages already names.
Result<void> sync_blob_folders(const fs::path& blob, const fs::path& store) {
  PV_TRY(sync_folder(blob.parent_path()));
  return sync_folder(store);
}

// The store's own files are named by their hash; anything else (a temporary a crash left) is not.
std::optional<ContentHash> hash_named(const fs::path& file) { return ContentHash::from_hex(file.filename().string()); }

}  // namespace

PartialBlob::PartialBlob(PartialBlob&& other) noexcept
    : hash_(other.hash_), path_(std::move(other.path_)), fd_(std::exchange(other.fd_, -1)) {}

PartialBlob::~PartialBlob() {
  if (fd_ >= 0) ::close(fd_);
}

uint64_t PartialBlob::size() const {
  struct stat status{};
  return ::fstat(fd_, &status) == 0 ? static_cast<uint64_t>(status.st_size) : 0;
}

Result<void> PartialBlob::truncate(uint64_t length) {
  if (::ftruncate(fd_, static_cast<off_t>(length)) != 0 || ::lseek(fd_, static_cast<off_t>(length), SEEK_SET) < 0) {
    return errno_error("cutting a partial download", path_);
  }
  return {};
}

Result<void> PartialBlob::write(std::span<const std::byte> bytes) {
  while (!bytes.empty()) {
    const ssize_t written = ::write(fd_, bytes.data(), bytes.size());
    if (written < 0 && errno == EINTR) continue;
    if (written < 0) return errno_error("writing a partial download", path_);
    bytes = bytes.subspan(static_cast<size_t>(written));
  }
  return {};
}

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
  PV_TRY(write_file_atomic(path, bytes));
  return sync_folder(folder_);
}

fs::path BlobStore::partial_path(const ContentHash& hash) const { return folder_ / "partial" / hash.to_hex(); }

uint64_t BlobStore::partial_size(const ContentHash& hash) const {
  std::error_code failure;
  const uintmax_t size = fs::file_size(partial_path(hash), failure);
  return failure ? 0 : size;
}

Result<std::optional<PartialBlob>> BlobStore::claim_partial(const ContentHash& hash) const {
  const fs::path path = partial_path(hash);
  for (;;) {
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) return errno_error("opening a partial download", path);
    PartialBlob partial(hash, path, fd);  // closes (and so unlocks) on every return below
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
      if (errno == EWOULDBLOCK) return std::optional<PartialBlob>();
      return errno_error("locking a partial download", path);
    }
    // The holder before us may have moved the file into the store (or dropped it) between our
    // open and our lock: then we hold a file that is no longer the partial one, and try again.
    struct stat held{}, named{};
    if (::fstat(fd, &held) != 0) return errno_error("examining a partial download", path);
    if (::stat(path.c_str(), &named) == 0 && named.st_dev == held.st_dev && named.st_ino == held.st_ino) {
      return std::optional<PartialBlob>(std::move(partial));
    }
  }
}

Result<void> BlobStore::complete(PartialBlob partial) {
  const ContentHash& hash = partial.hash();
  const fs::path& path_held = partial.path_;
  PV_TRY_ASSIGN(const ContentHash actual, hash_and_sync(partial.fd_, path_held));
  std::error_code failure;
  if (actual != hash) {
    fs::remove(path_held, failure);
    return Error(ErrorCode::invalid_input, fmt::format("storing the downloaded blob {}", hash.to_hex()),
                 fmt::format("its bytes hash to {}; the download was dropped", actual.to_hex()));
  }
  const fs::path path = path_of(hash);
  fs::create_directories(path.parent_path(), failure);
  if (failure) return io_error("creating a blob store folder", path.parent_path(), failure);
  // Renamed while still locked, so nobody else can claim it between the check and the move; and
  // only if the name is still the file checked (not a new one put there after a removal).
  struct stat held{}, named{};
  if (::fstat(partial.fd_, &held) != 0 || ::stat(path_held.c_str(), &named) != 0 || held.st_dev != named.st_dev ||
      held.st_ino != named.st_ino) {
    return Error(ErrorCode::io, fmt::format("storing the downloaded blob {}", hash.to_hex()),
                 fmt::format("{} was removed while it was fetched; the download starts again", path_held));
  }
  fs::rename(path_held, path, failure);
  if (failure) return io_error("moving a downloaded blob into the store", path, failure);
  return sync_blob_folders(path, folder_);
}

Result<void> BlobStore::complete(const ContentHash& hash) {
  PV_TRY_ASSIGN(auto claimed, claim_partial(hash));
  if (!claimed) {
    return Error(ErrorCode::io, fmt::format("storing the downloaded blob {}", hash.to_hex()),
                 fmt::format("{} is held by another process fetching it", partial_path(hash)));
  }
  return complete(std::move(*claimed));
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
    std::error_code type_failure;  // a file removed meanwhile is no reason to stop collecting
    if (!entry->is_regular_file(type_failure)) continue;
    const auto hash = hash_named(entry->path());
    if (!hash || !keep.contains(*hash)) doomed.push_back(entry->path());
  }
  if (failure) return io_error("listing the blob store", folder_, failure);
  for (const fs::path& path : doomed) {
    // A partial file another process is fetching into stays: removed under it, its download
    // would go on into a file nobody can complete.
    std::optional<PartialBlob> held;
    if (const auto hash = hash_named(path); hash && path.parent_path() == folder_ / "partial") {
      auto claimed = claim_partial(*hash);
      if (!claimed) return claimed.error();
      if (!*claimed) continue;
      held.emplace(std::move(**claimed));
    }
    std::error_code size_failure;
    const uintmax_t size = fs::file_size(path, size_failure);
    if (fs::remove(path, failure) && !size_failure) freed += size;
    if (failure) return io_error("removing a blob no package needs", path, failure);
  }
  return freed;
}

}  // namespace pavilion::distribution

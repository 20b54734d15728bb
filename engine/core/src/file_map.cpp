#include "pavilion/core/file_map.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fmt/format.h>
#include <fmt/std.h>

namespace pavilion {

Result<MappedFile> MappedFile::open(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return Error(ErrorCode::io, "opening a file to map", fmt::format("{}: {}", path, std::strerror(errno)));
  }
  struct stat status {};
  if (::fstat(fd, &status) != 0) {
    const int error_number = errno;
    ::close(fd);
    return Error(ErrorCode::io, "reading a file's size", fmt::format("{}: {}", path, std::strerror(error_number)));
  }
  if (!S_ISREG(status.st_mode)) {
    ::close(fd);
    return Error(ErrorCode::io, "mapping a file", fmt::format("{} is not a regular file", path));
  }
  const auto size = static_cast<size_t>(status.st_size);
  if (size == 0) {
    ::close(fd);
    return MappedFile(path, nullptr, 0);
  }
  void* address = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
  const int error_number = errno;
  ::close(fd);  // the mapping keeps the file open
  if (address == MAP_FAILED) {
    return Error(ErrorCode::io, "mapping a file", fmt::format("{}: {}", path, std::strerror(error_number)));
  }
  return MappedFile(path, static_cast<const std::byte*>(address), size);
}

MappedFile::MappedFile(MappedFile&& other) noexcept
    : path_(std::move(other.path_)), data_(std::exchange(other.data_, nullptr)), size_(std::exchange(other.size_, 0)) {}

MappedFile& MappedFile::operator=(MappedFile&& other) noexcept {
  if (this != &other) {
    unmap();
    path_ = std::move(other.path_);
    data_ = std::exchange(other.data_, nullptr);
    size_ = std::exchange(other.size_, 0);
  }
  return *this;
}

MappedFile::~MappedFile() { unmap(); }

void MappedFile::prefetch(size_t offset, size_t size) const {
  expects(offset <= size_ && size <= size_ - offset, "the range lies inside the file");
  if (size == 0) return;
  // The mapping starts on a page boundary, so rounding the offset down keeps it inside.
  const auto page = static_cast<size_t>(::sysconf(_SC_PAGESIZE));
  const size_t first = offset / page * page;
  static_cast<void>(::madvise(const_cast<std::byte*>(data_) + first, offset + size - first, MADV_POPULATE_READ));
}

void MappedFile::unmap() {
  if (data_) ::munmap(const_cast<std::byte*>(data_), size_);
  data_ = nullptr;
  size_ = 0;
}

}  // namespace pavilion

#include "pavilion/core/file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fmt/format.h>
#include <fmt/std.h>

namespace pavilion {
namespace {

Error io_error(std::string what, const std::filesystem::path& path, int error_number,
               std::source_location where = std::source_location::current()) {
  return Error(ErrorCode::io, std::move(what), fmt::format("{}: {}", path, std::strerror(error_number)), where);
}

class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }
  // Closes now so the caller can see a failed close (some file systems report write errors late).
  int close() {
    const int result = ::close(fd_);
    fd_ = -1;
    return result;
  }

 private:
  int fd_;
};

}  // namespace

Result<std::vector<std::byte>> read_file(const std::filesystem::path& path) {
  FileDescriptor file(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (file.get() < 0) return io_error("opening a file to read", path, errno);
  std::vector<std::byte> bytes;
  std::byte buffer[65536];
  for (;;) {
    const ssize_t count = ::read(file.get(), buffer, sizeof buffer);
    if (count < 0) {
      if (errno == EINTR) continue;
      return io_error("reading a file", path, errno);
    }
    if (count == 0) break;
    bytes.insert(bytes.end(), buffer, buffer + count);
  }
  return bytes;
}

Result<void> write_file_atomic(const std::filesystem::path& path, std::span<const std::byte> bytes) {
  std::filesystem::path temporary = path;
  temporary += fmt::format(".tmp-{}", ::getpid());
  FileDescriptor file(::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
  if (file.get() < 0) return io_error("creating a file", temporary, errno);

  auto fail = [&](std::string what, int error_number) {
    ::unlink(temporary.c_str());
    return io_error(std::move(what), path, error_number);
  };
  size_t written = 0;
  while (written < bytes.size()) {
    const ssize_t count = ::write(file.get(), bytes.data() + written, bytes.size() - written);
    if (count < 0) {
      if (errno == EINTR) continue;
      return fail("writing a file", errno);
    }
    written += static_cast<size_t>(count);
  }
  if (::fsync(file.get()) != 0) return fail("flushing a file to disk", errno);
  if (file.close() != 0) return fail("closing a written file", errno);
  if (::rename(temporary.c_str(), path.c_str()) != 0) return fail("replacing a file", errno);
  return {};
}

}  // namespace pavilion

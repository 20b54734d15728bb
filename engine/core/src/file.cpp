#include "pavilion/core/file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>
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

Result<void> sync_folder(const std::filesystem::path& folder) {
  FileDescriptor file(::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (file.get() < 0) return io_error("opening a folder to flush it", folder, errno);
  if (::fsync(file.get()) != 0) return io_error("flushing a folder to disk", folder, errno);
  return {};
}

Result<AtomicFileWriter> AtomicFileWriter::create(const std::filesystem::path& path) {
  std::filesystem::path temporary = path;
  temporary += fmt::format(".tmp-{}", ::getpid());
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return io_error("creating a file", temporary, errno);
  return AtomicFileWriter(path, std::move(temporary), fd);
}

AtomicFileWriter::AtomicFileWriter(AtomicFileWriter&& other) noexcept
    : path_(std::move(other.path_)), temporary_(std::move(other.temporary_)), fd_(std::exchange(other.fd_, -1)) {}

AtomicFileWriter::~AtomicFileWriter() { abandon(); }

void AtomicFileWriter::abandon() {
  if (fd_ < 0) return;
  ::close(fd_);
  ::unlink(temporary_.c_str());
  fd_ = -1;
}

Result<void> AtomicFileWriter::write(std::span<const std::byte> bytes) {
  expects(fd_ >= 0, "writing to an open file");
  size_t written = 0;
  while (written < bytes.size()) {
    const ssize_t count = ::write(fd_, bytes.data() + written, bytes.size() - written);
    if (count < 0) {
      if (errno == EINTR) continue;
      const int error_number = errno;
      abandon();
      return io_error("writing a file", path_, error_number);
    }
    written += static_cast<size_t>(count);
  }
  return {};
}

Result<void> AtomicFileWriter::commit() {
  expects(fd_ >= 0, "committing an open file");
  auto fail = [&](std::string what, int error_number) {
    abandon();
    return io_error(std::move(what), path_, error_number);
  };
  if (::fsync(fd_) != 0) return fail("flushing a file to disk", errno);
  const int result = ::close(fd_);
  fd_ = -1;
  if (result != 0) {
    const int error_number = errno;
    ::unlink(temporary_.c_str());
    return io_error("closing a written file", path_, error_number);
  }
  if (::rename(temporary_.c_str(), path_.c_str()) != 0) {
    const int error_number = errno;
    ::unlink(temporary_.c_str());
    return io_error("replacing a file", path_, error_number);
  }
  return sync_folder(path_.has_parent_path() ? path_.parent_path() : std::filesystem::path("."));
}

Result<void> write_file_atomic(const std::filesystem::path& path, std::span<const std::byte> bytes) {
  PV_TRY_ASSIGN(auto writer, AtomicFileWriter::create(path));
  PV_TRY(writer.write(bytes));
  return writer.commit();
}

}  // namespace pavilion

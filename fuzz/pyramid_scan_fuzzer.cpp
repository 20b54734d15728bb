// libFuzzer target: any bytes as a page scan (JPEG, PNG or TIFF, told by its first bytes). Opening
// and reading every row, and tiling what was read, must give pixels or an error, never a crash.
// The bytes reach the readers as a file (a memfd), the way scans do.
#include "pavilion/pyramid/pyramid.h"

#include <sys/mman.h>
#include <unistd.h>

#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const int file = memfd_create("scan", 0);
  if (file < 0) return 0;
  if (write(file, data, size) == static_cast<ssize_t>(size)) {
    auto scan = pavilion::pyramid::open_scan("/proc/self/fd/" + std::to_string(file));
    // A header may claim any size; a few million pixels keep each input within the time limit.
    if (scan && uint64_t{(*scan)->width()} * (*scan)->height() <= (uint64_t{1} << 22)) {
      const pavilion::pyramid::PyramidOptions options{
          .tile_size = 64, .overlap = 1, .encoding = pavilion::pyramid::TileEncoding::rgba8, .threads = 1};
      static_cast<void>(pavilion::pyramid::build_pyramid(
          **scan, options, [](pavilion::pyramid::EncodedTile&&) -> pavilion::Result<void> { return {}; }));
    }
  }
  close(file);
  return 0;
}

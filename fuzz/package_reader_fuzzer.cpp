// libFuzzer target: any bytes as a .pvpkg. The reader must refuse or read them, never crash,
// hang or read outside the file; every blob it accepts is decompressed and checked, and the scene
// tables are decoded.
#include "pavilion/package/reader.h"
#include "pavilion/scene/scene_tables.h"

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace pavilion;
  // The reader maps files; a file in memory-backed /dev/shm keeps each run fast.
  static const std::filesystem::path path = "/dev/shm/pavilion-fuzz-" + std::to_string(::getpid()) + ".pvpkg";
  if (std::FILE* file = std::fopen(path.c_str(), "wb")) {
    std::fwrite(data, 1, size, file);
    std::fclose(file);
  } else {
    return 0;
  }
  package::TrustPolicy trust;
  trust.report_only = true;
  auto reader = package::PackageReader::open(path, trust);
  if (!reader) return 0;
  for (uint32_t blob = 0; blob < (*reader)->index().size(); ++blob) {
    if ((*reader)->index()[blob].raw_size > (uint64_t{64} << 20)) continue;  // keep runs small, not the reader's limit
    auto content = (*reader)->read_blob(blob);
    if (content && (*reader)->index()[blob].kind == package::BlobKind::scene) {
      static_cast<void>(scene::decode_scene_tables(*content));
    }
  }
  return 0;
}

// libFuzzer target: any bytes as a model file, its first line naming the format's extension
// ("off", "ply", "obj", "gltf", …: Assimp goes by it). Whatever the file, the import ends within
// its limits with a model that survives the build cache's encoding, or a refusal with a reason.
// Assimp itself is not instrumented, so coverage guides the fuzzer through our side of the
// import; each input is imported in a child process, as pavilion-pack does.
#include "pavilion/pack/model_import.h"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

namespace {

// A folder for the inputs, removed when the fuzzer exits.
struct Scratch {
  Scratch() {
    std::string pattern = (std::filesystem::temp_directory_path() / "pavilion-model-fuzz-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) std::abort();
    folder = pattern;
  }
  ~Scratch() {
    std::error_code ignored;
    std::filesystem::remove_all(folder, ignored);
  }
  std::filesystem::path folder;
};

}  // namespace

// libFuzzer stops at any allocation of its malloc limit (by default the RSS limit), in the import's
// child too, where a damaged file's allocations are expected: the import's own limits bound them.
extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) {
  static std::vector<char*> arguments(*argv, *argv + *argc);
  static std::string unlimited = "-malloc_limit_mb=1000000000";
  arguments.insert(arguments.begin() + 1, unlimited.data());
  arguments.push_back(nullptr);
  *argc = static_cast<int>(arguments.size() - 1);
  *argv = arguments.data();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const Scratch scratch;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const size_t line_end = std::min(input.find('\n'), input.size());
  std::string extension(input.substr(0, std::min<size_t>(line_end, 8)));
  if (extension.empty() || extension.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789") != std::string::npos) {
    extension = "bin";
  }
  const std::filesystem::path file = scratch.folder / ("model." + extension);
  const std::string_view body = input.substr(std::min(line_end + 1, input.size()));
  std::ofstream(file, std::ios::binary).write(body.data(), static_cast<std::streamsize>(body.size()));

  const pavilion::pack::ImportLimits limits{uint64_t{256} << 20, std::chrono::seconds(2), std::chrono::seconds(5)};
  const auto model = pavilion::pack::import_model(file, limits);
  std::filesystem::remove(file);
  if (!model) {
    if (model.error().why().empty()) std::abort();  // every refusal has a reason
    return 0;
  }
  if (!pavilion::pack::decode_imported_model(pavilion::pack::encode_imported_model(*model))) std::abort();
  return 0;
}

// libFuzzer target: any text as scene.json. The parser must report findings, never crash.
#include "pavilion/pack/scene_source.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::vector<pavilion::pack::Finding> findings;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  static_cast<void>(pavilion::pack::parse_scene_source(text, "/nonexistent/scene.json", findings));
  return 0;
}

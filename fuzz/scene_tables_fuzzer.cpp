// libFuzzer target: any bytes as a scene blob, a mesh blob, a thumbnail blob, a glyph atlas or a sound.
#include "pavilion/scene/scene_tables.h"
#include "pavilion/scene/sound.h"
#include "pavilion/scene/thumbnail.h"
#include "pavilion/text/atlas.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::span bytes(reinterpret_cast<const std::byte*>(data), size);
  if (auto tables = pavilion::scene::decode_scene_tables(bytes)) {
    static_cast<void>(pavilion::scene::encode_scene_tables(*tables));
  }
  static_cast<void>(pavilion::scene::decode_mesh(bytes, "fuzzed"));
  static_cast<void>(pavilion::scene::decode_thumbnail(bytes));
  static_cast<void>(pavilion::scene::decode_sound(bytes));
  if (auto atlas = pavilion::text::decode_atlas(bytes)) {
    for (const pavilion::text::AtlasGlyph& glyph : atlas->glyphs) static_cast<void>(atlas->find(glyph.key));
  }
  return 0;
}

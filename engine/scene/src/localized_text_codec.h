// A text in both languages as the scene tables hold it: Chinese, then English. Shared by the
// tables' parts (scene_tables.cpp, show_tables.cpp) so both write and read it alike.
#pragma once

#include "pavilion/core/bytes.h"
#include "pavilion/core/error.h"
#include "pavilion/scene/scene.h"

#include <string_view>

namespace pavilion::scene {

inline void write_text(ByteWriter& out, const LocalizedText& text) {
  out.write_string(text.zh_cn);
  out.write_string(text.en);
}

inline Result<LocalizedText> read_text(ByteReader& in, std::string_view what) {
  LocalizedText text;
  PV_TRY_ASSIGN(text.zh_cn, in.read_string(what));
  PV_TRY_ASSIGN(text.en, in.read_string(what));
  return text;
}

}  // namespace pavilion::scene

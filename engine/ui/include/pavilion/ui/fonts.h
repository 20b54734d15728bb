// The typefaces of the kiosk's interface, from Debian's font packages: Noto Sans CJK SC for
// running text (legible at any size, full Chinese and Latin coverage) and LXGW WenKai, a Kai
// (regular-script) face, for exhibit titles, which should feel written rather than printed.
#pragma once

#include "pavilion/core/error.h"

#include <imgui.h>

#include <filesystem>
#include <string>

namespace pavilion::ui {

struct FontFace {
  std::filesystem::path file;
  int collection_index = 0;  // the face within a .ttc collection
};

// Noto Sans CJK SC (face 2 of Debian's fonts-noto-cjk collection).
FontFace body_face();
// LXGW WenKai Regular (fonts-lxgw-wenkai).
FontFace title_face();

// Fails with the package to install when a face's file is missing.
Result<void> check_face(const FontFace& face);

// Makes `atlas` rasterize faces as the interface shows them: FreeType, lightly hinted. Call before
// adding any.
void configure_atlas(ImFontAtlas& atlas);
// How a face is added to such an atlas.
ImFontConfig face_config(const FontFace& face);
// Adds `face` to `atlas` at `pixels`, holding the glyphs of `ranges` (which must live until the
// atlas is built); fails when the face cannot be read.
Result<ImFont*> add_face(ImFontAtlas& atlas, const FontFace& face, float pixels, const ImWchar* ranges);

}  // namespace pavilion::ui

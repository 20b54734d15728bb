// Font subsetting at pack time, so a poem carries a few kilobytes of its font, not 20 MB.
#pragma once

#include "pavilion/core/error.h"
#include "pavilion/text/font.h"

#include <cstddef>
#include <string_view>
#include <vector>

namespace pavilion::text {

// A font holding only what `characters` need: their glyphs and whatever the font's layout
// features reach from them (vertical forms, ligatures), with the name table's family, copyright
// and licence kept. The result has one face (index 0); glyph numbers differ from the source's, so
// shape with the subset.
Result<std::vector<std::byte>> subset_font(const Font& font, std::u32string_view characters);

}  // namespace pavilion::text

// The libraries behind a Font, private to engine/text.
#pragma once

#include "pavilion/text/font.h"

#include <ft2build.h>
#include FT_FREETYPE_H
#include <hb-ot.h>
#include <hb.h>

namespace pavilion::text {

struct Font::Handles {
  FT_Library library = nullptr;  // one per font: FreeType libraries and faces are not thread-safe
  FT_Face face = nullptr;
  hb_blob_t* blob = nullptr;
  hb_face_t* hb_face = nullptr;
  hb_font_t* hb_font = nullptr;  // scaled to font units: positions divide by units_per_em
  float units_per_em = 1000;

  ~Handles();
};

// FreeType's message for an error code, or its number when the library was built without them.
std::string freetype_error(FT_Error error);

}  // namespace pavilion::text

#include "pavilion/text/shaping.h"

#include "font_handles.h"

#include <memory>

namespace pavilion::text {

std::vector<ShapedGlyph> shape(const Font& font, std::u32string_view text, size_t first, size_t count,
                               Direction direction, std::string_view language) {
  std::unique_ptr<hb_buffer_t, decltype(&hb_buffer_destroy)> buffer(hb_buffer_create(), &hb_buffer_destroy);
  static_assert(sizeof(char32_t) == sizeof(uint32_t));
  hb_buffer_add_utf32(buffer.get(), reinterpret_cast<const uint32_t*>(text.data()), static_cast<int>(text.size()),
                      static_cast<unsigned>(first), static_cast<int>(count));
  // Clusters count code points, so a glyph names the character a recitation timing refers to.
  hb_buffer_set_cluster_level(buffer.get(), HB_BUFFER_CLUSTER_LEVEL_MONOTONE_CHARACTERS);
  hb_buffer_guess_segment_properties(buffer.get());
  hb_buffer_set_direction(buffer.get(), direction == Direction::vertical ? HB_DIRECTION_TTB : HB_DIRECTION_LTR);
  hb_buffer_set_language(buffer.get(), hb_language_from_string(language.data(), static_cast<int>(language.size())));
  hb_shape(font.handles().hb_font, buffer.get(), nullptr, 0);

  unsigned length = 0;
  const hb_glyph_info_t* infos = hb_buffer_get_glyph_infos(buffer.get(), &length);
  const hb_glyph_position_t* positions = hb_buffer_get_glyph_positions(buffer.get(), nullptr);
  const float unit = 1.0f / font.handles().units_per_em;
  std::vector<ShapedGlyph> glyphs(length);
  for (unsigned i = 0; i < length; ++i) {
    const hb_glyph_position_t& position = positions[i];
    // HarfBuzz's y grows upwards; layout's grows downwards.
    glyphs[i] = {infos[i].codepoint, infos[i].cluster,
                 direction == Direction::vertical ? -static_cast<float>(position.y_advance) * unit
                                                  : static_cast<float>(position.x_advance) * unit,
                 static_cast<float>(position.x_offset) * unit, -static_cast<float>(position.y_offset) * unit};
  }
  return glyphs;
}

}  // namespace pavilion::text

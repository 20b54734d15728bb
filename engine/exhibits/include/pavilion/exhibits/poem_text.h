// A poem of a package set for showing: the font and glyph atlas its package carries, on the GPU,
// and its title, poet and text laid out in columns (or lines), with and without pinyin. The
// kiosk's poem screen draws it on a scroll beside the panel, and HungPoems hangs every poem of a
// scene as a scroll in the room.
#pragma once

#include "pavilion/package/reader.h"
#include "pavilion/render/renderer.h"
#include "pavilion/scene/scene.h"
#include "pavilion/text/atlas.h"
#include "pavilion/text/font.h"
#include "pavilion/text/layout.h"
#include "pavilion/text/recitation.h"

#include <memory>
#include <vector>

namespace pavilion::exhibits {

class PoemText {
 public:
  // Reads the poem's font and atlas from `package` (named `package_name` in messages), sets its
  // text with `exhibit`'s title and creator, and puts its atlas on the GPU. The renderer must
  // outlive this object; the package is read only during the call.
  static Result<std::unique_ptr<PoemText>> open(const package::PackageReader& package, std::string_view package_name,
                                                const scene::Poem& poem, const scene::Exhibit& exhibit,
                                                render::Renderer& renderer);
  ~PoemText();
  PoemText(const PoemText&) = delete;
  PoemText& operator=(const PoemText&) = delete;

  const scene::Poem& poem() const { return poem_; }
  const text::TextLayout& layout(bool with_pinyin) const { return with_pinyin ? with_pinyin_ : plain_; }
  const text::GlyphAtlas& atlas() const { return atlas_; }
  render::OverlayTextureId atlas_texture() const { return atlas_texture_; }
  // The characters cue `unit` lights, as code point indices into the layouts' text.
  text::TextSpan unit(size_t unit) const;
  size_t unit_count() const { return units_.size(); }

 private:
  PoemText(render::Renderer& renderer, scene::Poem poem) : renderer_(renderer), poem_(std::move(poem)) {}

  render::Renderer& renderer_;
  scene::Poem poem_;
  std::unique_ptr<text::Font> font_;
  text::GlyphAtlas atlas_;
  bool atlas_uploaded_ = false;
  render::OverlayTextureId atlas_texture_ = 0;
  text::TextLayout plain_;
  text::TextLayout with_pinyin_;
  uint32_t text_offset_ = 0;           // code points of title and poet before the poem's own text
  std::vector<text::TextSpan> units_;  // what each cue lights in the poem's text: characters or lines
};

}  // namespace pavilion::exhibits

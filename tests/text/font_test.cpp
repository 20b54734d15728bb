// Opening fonts and subsetting them for a package.
#include "fonts.h"
#include "pavilion/text/faces.h"
#include "pavilion/text/layout.h"
#include "pavilion/text/subset.h"

#include <gtest/gtest.h>

namespace pavilion::text {
namespace {

TEST(TextFont, AMissingOrBrokenFontIsRefusedSayingWhich) {
  auto missing = Font::open("/nonexistent/poem.ttf");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().describe().find("/nonexistent/poem.ttf"), std::string::npos);
  std::vector<std::byte> garbage(4096, std::byte{0x5A});
  auto broken = Font::from_bytes(garbage, 0, "poem font in spring.pvpkg");
  ASSERT_FALSE(broken.ok());
  EXPECT_NE(broken.error().describe().find("spring.pvpkg"), std::string::npos) << broken.error().describe();
  EXPECT_NE(broken.error().describe().find("not a font"), std::string::npos) << broken.error().describe();
  auto no_such_face = Font::open(kai_face().file, 5);
  ASSERT_FALSE(no_such_face.ok());
}

TEST(TextFont, TheLicenceComesFromTheNameTable) {
  for (const auto& font : {testing::song_font(), testing::kai_font()}) {
    ASSERT_NE(font, nullptr);
    const FontLicence licence = font->licence();
    EXPECT_FALSE(licence.family.empty());
    EXPECT_FALSE(licence.copyright.empty());
    EXPECT_NE(licence.description.find("SIL Open Font License"), std::string::npos) << licence.description;
    EXPECT_FALSE(licence.url.empty());
  }
}

TEST(TextFont, APoemsSubsetIsSmallKeepsItsLicenceAndSetsTheSame) {
  const auto song = testing::song_font();
  ASSERT_NE(song, nullptr);
  const std::string poem = "床前明月光，疑是地上霜。\n举头望明月，低头思故乡。";
  const std::u32string characters = U"床前明月光，疑是地上霜。举头望低思故乡";
  auto bytes = subset_font(*song, characters);
  ASSERT_TRUE(bytes.ok()) << bytes.error().describe();
  EXPECT_LT(bytes->size(), 64u * 1024) << "a poem's font should be kilobytes";
  auto subset = Font::from_bytes(std::move(*bytes), 0, "subset");
  ASSERT_TRUE(subset.ok()) << subset.error().describe();
  EXPECT_EQ((*subset)->licence().description, song->licence().description);
  EXPECT_EQ((*subset)->licence().family, song->licence().family);
  EXPECT_EQ((*subset)->glyph_for(U'雪'), 0u) << "a character the poem does not use came along";

  // The same cells and the same vertical punctuation, from a fraction of the font.
  auto full = lay_out(poem, {}, *song, *song, {.extent = 6});
  auto small = lay_out(poem, {}, **subset, **subset, {.extent = 6});
  ASSERT_TRUE(full.ok() && small.ok());
  ASSERT_EQ(full->cells.size(), small->cells.size());
  for (size_t i = 0; i < full->cells.size(); ++i) {
    EXPECT_FLOAT_EQ(full->cells[i].top, small->cells[i].top);
    EXPECT_FLOAT_EQ(full->cells[i].left, small->cells[i].left);
  }
  ASSERT_EQ(full->glyphs.size(), small->glyphs.size());
  for (size_t i = 0; i < full->glyphs.size(); ++i) {
    EXPECT_FLOAT_EQ(full->glyphs[i].x, small->glyphs[i].x) << "glyph " << i;
    EXPECT_FLOAT_EQ(full->glyphs[i].y, small->glyphs[i].y) << "glyph " << i;
    const GlyphBox a = song->glyph_box(full->glyphs[i].glyph).value();
    const GlyphBox b = (*subset)->glyph_box(small->glyphs[i].glyph).value();
    EXPECT_FLOAT_EQ(a.left, b.left);
    EXPECT_FLOAT_EQ(a.top, b.top);
  }
}

}  // namespace
}  // namespace pavilion::text

// Signed-distance atlases: only what a layout draws, distances the right way round, no overlaps.
#include "fonts.h"
#include "pavilion/text/atlas.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

namespace pavilion::text {
namespace {

class TextAtlasTest : public ::testing::Test {
 protected:
  std::unique_ptr<Font> song = testing::song_font();
  std::unique_ptr<Font> kai = testing::kai_font();
};

TEST_F(TextAtlasTest, HoldsExactlyTheGlyphsALayoutDraws) {
  const std::array<Ruby, 1> pinyin{{{0, 3, "jìng yè sī"}}};
  auto layout = lay_out("静夜思\n床前明月光，疑是地上霜。", pinyin, *song, *kai, {});
  ASSERT_TRUE(layout.ok()) << layout.error().describe();
  const std::vector<GlyphKey> used = glyphs_used(*layout);
  // Fifteen distinct characters of the text; the pinyin's j, ì, n, g, space, y, è, s, ī.
  ASSERT_EQ(used.size(), 15u + 9u);
  const std::array<const Font*, 2> fonts{song.get(), kai.get()};
  auto atlas = build_atlas(fonts, used, {.em_pixels = 32, .spread_pixels = 4});
  ASSERT_TRUE(atlas.ok()) << atlas.error().describe();
  ASSERT_EQ(atlas->glyphs.size(), used.size());
  for (const PlacedGlyph& glyph : layout->glyphs) {
    EXPECT_NE(atlas->find({glyph.font, glyph.glyph}), nullptr) << "glyph " << glyph.glyph;
  }
  EXPECT_EQ(atlas->find({0, 1}), nullptr);
  EXPECT_EQ(atlas->width % 4, 0u);
  EXPECT_EQ(atlas->distances.size(), size_t{atlas->width} * atlas->height);
  // The space has nowhere to be drawn.
  const AtlasGlyph* space = atlas->find({1, kai->glyph_for(U' ')});
  ASSERT_NE(space, nullptr);
  EXPECT_EQ(space->width, 0u);
}

TEST_F(TextAtlasTest, GlyphRectanglesLieInsideTheAtlasAndNeverOverlap) {
  std::vector<GlyphKey> keys;
  for (const char32_t c : std::u32string_view(U"千山鸟飞绝万径人踪灭孤舟蓑笠翁独钓寒江雪")) keys.push_back({0, song->glyph_for(c)});
  const std::array<const Font*, 1> fonts{song.get()};
  auto atlas = build_atlas(fonts, keys, {.em_pixels = 40, .spread_pixels = 5});
  ASSERT_TRUE(atlas.ok()) << atlas.error().describe();
  const auto& glyphs = atlas->glyphs;
  for (size_t a = 0; a < glyphs.size(); ++a) {
    EXPECT_LE(glyphs[a].x + glyphs[a].width, atlas->width);
    EXPECT_LE(glyphs[a].y + glyphs[a].height, atlas->height);
    // The quad in ems matches the texels at 40 per em.
    EXPECT_NEAR((glyphs[a].right - glyphs[a].left) * 40, static_cast<float>(glyphs[a].width), 1e-3f);
    EXPECT_NEAR((glyphs[a].top - glyphs[a].bottom) * 40, static_cast<float>(glyphs[a].height), 1e-3f);
    for (size_t b = a + 1; b < glyphs.size(); ++b) {
      const bool apart = glyphs[a].x + glyphs[a].width < glyphs[b].x || glyphs[b].x + glyphs[b].width < glyphs[a].x ||
                         glyphs[a].y + glyphs[a].height < glyphs[b].y || glyphs[b].y + glyphs[b].height < glyphs[a].y;
      EXPECT_TRUE(apart) << "glyphs " << a << " and " << b << " overlap or touch";
    }
  }
}

TEST_F(TextAtlasTest, DistancesRiseInsideTheOutlineAndFallOutsideIt) {
  // ■ is ink from edge to edge of its box: its middle is deep inside, six texels above is outside.
  const uint32_t one = song->glyph_for(U'■');
  ASSERT_NE(one, 0u);
  const std::array<const Font*, 1> fonts{song.get()};
  const std::array<GlyphKey, 1> keys{{{0, one}}};
  auto atlas = build_atlas(fonts, keys, {.em_pixels = 64, .spread_pixels = 8});
  ASSERT_TRUE(atlas.ok()) << atlas.error().describe();
  const AtlasGlyph& glyph = atlas->glyphs.at(0);
  const GlyphBox ink = song->glyph_box(one).value();
  const auto texel_at = [&](float em_x, float em_y) {
    const auto column = static_cast<uint32_t>(glyph.x + (em_x - glyph.left) * 64);
    const auto row = static_cast<uint32_t>(glyph.y + (glyph.top - em_y) * 64);
    return atlas->distances[size_t{row} * atlas->width + column];
  };
  const float middle_x = (ink.left + ink.right) * 0.5f;
  const float middle_y = (ink.top + ink.bottom) * 0.5f;
  EXPECT_GT(texel_at(middle_x, middle_y), 250);  // more than a spread inside
  EXPECT_NEAR(texel_at(middle_x, ink.top + 6.0f / 64), 128 - 6 * 127 / 8, 12);  // six texels above
  EXPECT_NEAR(texel_at(middle_x, ink.top - 0.5f / 64), 128, 24);  // on the edge
  EXPECT_EQ(glyph.width, static_cast<uint32_t>(std::lround((glyph.right - glyph.left) * 64)));
  // The spread margin surrounds the ink.
  EXPECT_NEAR(ink.left - glyph.left, 8.0f / 64, 1.5f / 64);
}

TEST_F(TextAtlasTest, AGlyphTheFontLacksIsRefused) {
  const std::array<const Font*, 1> fonts{kai.get()};
  const std::array<GlyphKey, 1> beyond{{{0, 10'000'000}}};
  auto atlas = build_atlas(fonts, beyond, {});
  ASSERT_FALSE(atlas.ok());
  EXPECT_NE(atlas.error().describe().find("not among them"), std::string::npos) << atlas.error().describe();
  const std::array<GlyphKey, 1> other_font{{{3, 1}}};
  ASSERT_FALSE(build_atlas(fonts, other_font, {}).ok());
}

}  // namespace
}  // namespace pavilion::text

namespace pavilion::text {
namespace {

TEST_F(TextAtlasTest, AnAtlasSurvivesItsPackageFormAndADamagedOneIsRefused) {
  std::vector<GlyphKey> keys;
  for (const char32_t c : std::u32string_view(U"春眠不觉晓")) keys.push_back({0, song->glyph_for(c)});
  const std::array<const Font*, 1> fonts{song.get()};
  const GlyphAtlas atlas = build_atlas(fonts, keys, {.em_pixels = 32, .spread_pixels = 4}).value();
  const std::vector<std::byte> bytes = encode_atlas(atlas);
  auto decoded = decode_atlas(bytes);
  ASSERT_TRUE(decoded.ok()) << decoded.error().describe();
  EXPECT_EQ(decoded->width, atlas.width);
  EXPECT_EQ(decoded->em_pixels, 32u);
  EXPECT_EQ(decoded->distances, atlas.distances);
  ASSERT_EQ(decoded->glyphs.size(), atlas.glyphs.size());
  EXPECT_NE(decoded->find(keys[2]), nullptr);
  // Every shorter prefix, and a glyph pushed outside the atlas, is refused.
  for (size_t length = 0; length < bytes.size(); length += 97) {
    EXPECT_FALSE(decode_atlas(std::span(bytes).first(length)).ok()) << length;
  }
  std::vector<std::byte> moved = bytes;
  const uint32_t far = atlas.width;
  std::memcpy(moved.data() + 5 * 4 + 4 + 8, &far, 4);  // the first glyph's x
  auto refused = decode_atlas(moved);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().describe().find("outside the atlas"), std::string::npos) << refused.error().describe();
}

}  // namespace
}  // namespace pavilion::text

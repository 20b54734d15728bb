// Shaping and layout: what a typesetter of a Chinese book would check.
#include "fonts.h"
#include "pavilion/text/layout.h"
#include "pavilion/text/shaping.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <map>

namespace pavilion::text {
namespace {

struct Box {
  float left, top, right, bottom;
  float centre_x() const { return (left + right) * 0.5f; }
  float centre_y() const { return (top + bottom) * 0.5f; }
};

// Where a placed glyph's ink lands in layout space (see PlacedGlyph for the mapping).
Box ink(const Font& font, const PlacedGlyph& glyph) {
  const std::optional<GlyphBox> box = font.glyph_box(glyph.glyph);
  EXPECT_TRUE(box.has_value()) << "glyph " << glyph.glyph << " has no ink";
  if (!box) return {};
  if (glyph.rotated) {
    return {glyph.x + box->bottom * glyph.size, glyph.y + box->left * glyph.size, glyph.x + box->top * glyph.size,
            glyph.y + box->right * glyph.size};
  }
  return {glyph.x + box->left * glyph.size, glyph.y - box->top * glyph.size, glyph.x + box->right * glyph.size,
          glyph.y - box->bottom * glyph.size};
}

const CharacterCell& cell_of(const TextLayout& layout, uint32_t character) {
  const auto found = std::find_if(layout.cells.begin(), layout.cells.end(),
                                  [&](const CharacterCell& cell) { return cell.character == character; });
  EXPECT_NE(found, layout.cells.end()) << "no cell for character " << character;
  return *found;
}

std::vector<PlacedGlyph> glyphs_of(const TextLayout& layout, uint32_t character, uint32_t font) {
  std::vector<PlacedGlyph> out;
  for (const PlacedGlyph& glyph : layout.glyphs) {
    if (glyph.character == character && glyph.font == font) out.push_back(glyph);
  }
  return out;
}

// The characters of each line, in order.
std::vector<std::u32string> lines_of(const TextLayout& layout, std::u32string_view text) {
  std::vector<std::u32string> lines(layout.lines);
  for (const CharacterCell& cell : layout.cells) lines[cell.line] += text.substr(cell.character, cell.count);
  return lines;
}

TextLayout lay_out_ok(std::string_view text, const Font& font, const LayoutStyle& style,
                      std::span<const Ruby> ruby = {}) {
  auto layout = lay_out(text, ruby, font, font, style);
  EXPECT_TRUE(layout.ok()) << layout.error().describe();
  return layout.ok() ? std::move(*layout) : TextLayout{};
}

class TextLayoutTest : public ::testing::Test {
 protected:
  std::unique_ptr<Font> song = testing::song_font();
  std::unique_ptr<Font> kai = testing::kai_font();
};

TEST_F(TextLayoutTest, VerticalPunctuationTakesItsVerticalFormInTheTopRightOfItsCell) {
  const std::u32string comma = U"，";
  ASSERT_NE(shape(*song, comma, 0, 1, Direction::vertical, "zh-Hans")[0].glyph,
            shape(*song, comma, 0, 1, Direction::horizontal, "zh-Hans")[0].glyph)
      << "the font's vertical form was not used";
  for (const Font* font : {song.get(), kai.get()}) {
    const TextLayout layout = lay_out_ok("月，光。", *font, {.size = 10});
    for (const uint32_t mark : {1u, 3u}) {
      const CharacterCell& cell = cell_of(layout, mark);
      const Box box = ink(*font, glyphs_of(layout, mark, 0).at(0));
      SCOPED_TRACE(font->name() + ", mark " + std::to_string(mark));
      EXPECT_GT(box.centre_x(), (cell.left + cell.right) * 0.5f);
      EXPECT_LT(box.centre_y(), (cell.top + cell.bottom) * 0.5f);
      EXPECT_GE(box.left, cell.left - 0.01f);
      EXPECT_LE(box.right, cell.right + 0.01f);
      EXPECT_GE(box.top, cell.top - 0.01f);
    }
  }
}

TEST_F(TextLayoutTest, ColumnsRunTopToBottomAndFollowEachOtherRightToLeft) {
  const TextLayout layout = lay_out_ok("床前明月光\n疑是地上霜", *song, {.size = 10, .line_spacing = 1.5f});
  ASSERT_EQ(layout.lines, 2u);
  EXPECT_FLOAT_EQ(layout.height, 50);
  EXPECT_FLOAT_EQ(layout.width, 25);
  for (uint32_t character = 0; character < 5; ++character) {
    const CharacterCell& cell = cell_of(layout, character);
    EXPECT_EQ(cell.line, 0u);
    EXPECT_FLOAT_EQ(cell.top, 10.0f * static_cast<float>(character));
    EXPECT_FLOAT_EQ(cell.left, 15);  // the first column is the rightmost
    const CharacterCell& next_column = cell_of(layout, character + 6);
    EXPECT_EQ(next_column.line, 1u);
    EXPECT_FLOAT_EQ(next_column.left, 0);
    EXPECT_FLOAT_EQ(next_column.top, cell.top);
    // Each glyph's ink stays inside its cell.
    const Box box = ink(*song, glyphs_of(layout, character, 0).at(0));
    EXPECT_GE(box.left, cell.left);
    EXPECT_LE(box.right, cell.right);
    EXPECT_GE(box.top, cell.top);
    EXPECT_LE(box.bottom, cell.bottom);
  }
  // Highlighting finds each character's glyph by its index in the text.
  EXPECT_EQ(layout.glyphs.size(), 10u);
}

TEST_F(TextLayoutTest, ClosingPunctuationNeverStartsAColumnItPushesTheCharacterBeforeIt) {
  const std::u32string text = U"床前明月光，疑是地上霜。";
  const TextLayout layout = lay_out_ok("床前明月光，疑是地上霜。", *song, {.size = 1, .extent = 5});
  const std::vector<std::u32string> columns = lines_of(layout, text);
  ASSERT_EQ(columns.size(), 3u);
  EXPECT_EQ(columns[0], U"床前明月");
  EXPECT_EQ(columns[1], U"光，疑是地");
  EXPECT_EQ(columns[2], U"上霜。");
}

TEST_F(TextLayoutTest, NoLineStartsWithClosingOrEndsWithOpeningPunctuationAtAnyWidth) {
  const std::u32string text = U"《春晓》：春眠不觉晓，处处闻啼鸟。「夜来风雨声」，花落知多少？（孟浩然，唐）";
  const std::string utf8 = "《春晓》：春眠不觉晓，处处闻啼鸟。「夜来风雨声」，花落知多少？（孟浩然，唐）";
  const std::u32string closing = U"》：，。」？）";
  const std::u32string opening = U"《「（";
  for (const Orientation orientation : {Orientation::vertical, Orientation::horizontal}) {
    for (int extent = 3; extent <= 14; ++extent) {
      const TextLayout layout = lay_out_ok(utf8, *song, {.orientation = orientation, .extent = static_cast<float>(extent)});
      const std::vector<std::u32string> lines = lines_of(layout, text);
      std::u32string joined;
      for (const std::u32string& line : lines) {
        SCOPED_TRACE("extent " + std::to_string(extent));
        ASSERT_FALSE(line.empty());
        EXPECT_EQ(closing.find(line.front()), std::u32string::npos);
        EXPECT_EQ(opening.find(line.back()), std::u32string::npos);
        joined += line;
      }
      EXPECT_EQ(joined, text);
    }
  }
  // Every column fits its extent when a break is possible at all.
  const TextLayout layout = lay_out_ok(utf8, *song, {.extent = 6});
  for (const CharacterCell& cell : layout.cells) EXPECT_LE(cell.bottom, 6.0f + 1e-4f);
}

TEST_F(TextLayoutTest, RubyStandsRightOfAVerticalColumnCentredOnItsBase) {
  const std::array<Ruby, 3> pinyin{{{0, 1, "jìng"}, {1, 1, "yè"}, {2, 1, "sī"}}};
  const TextLayout layout = lay_out_ok("静夜思", *kai, {.size = 10, .ruby_size = 0.4f}, pinyin);
  for (uint32_t character = 0; character < 3; ++character) {
    const CharacterCell& cell = cell_of(layout, character);
    const std::vector<PlacedGlyph> ruby = glyphs_of(layout, character, 1);
    ASSERT_EQ(ruby.size(), pinyin[character].text.size() - 1);  // one accented letter is two bytes
    Box span{1e9f, 1e9f, -1e9f, -1e9f};
    for (const PlacedGlyph& glyph : ruby) {
      EXPECT_TRUE(glyph.rotated);
      const Box box = ink(*kai, glyph);
      span = {std::min(span.left, box.left), std::min(span.top, box.top), std::max(span.right, box.right),
              std::max(span.bottom, box.bottom)};
    }
    EXPECT_GT(span.left, cell.right);
    EXPECT_LE(span.right, layout.width + 1e-3f);
    EXPECT_NEAR(span.centre_y(), (cell.top + cell.bottom) * 0.5f, 1.0f);  // ink, not advance, is centred
  }
}

TEST_F(TextLayoutTest, RubyLongerThanItsBaseSpreadsTheBase) {
  const std::array<Ruby, 1> pinyin{{{0, 1, "chuáng"}}};
  const TextLayout plain = lay_out_ok("床前", *kai, {.size = 10});
  const TextLayout annotated = lay_out_ok("床前", *kai, {.size = 10, .ruby_size = 0.5f}, pinyin);
  const CharacterCell& bed = cell_of(annotated, 0);
  EXPECT_GT(bed.bottom - bed.top, 10.5f);
  EXPECT_FLOAT_EQ(cell_of(plain, 0).bottom - cell_of(plain, 0).top, 10);
  // The base glyph sits in the middle of its widened cell.
  const Box box = ink(*kai, glyphs_of(annotated, 0, 0).at(0));
  EXPECT_NEAR(box.centre_y(), (bed.top + bed.bottom) * 0.5f, 1.0f);
}

// Long syllables one after another (chuáng qián míng) keep a visible gap between them, as a
// reader needs to tell where one ends: the bases spread to make room.
TEST_F(TextLayoutTest, NeighbouringRubiesNeverRunTogether) {
  const std::array<Ruby, 3> pinyin{{{0, 1, "chuáng"}, {1, 1, "qián"}, {2, 1, "míng"}}};
  const float ruby_em = 10 * 0.45f;
  const TextLayout layout = lay_out_ok("床前明", *kai, {.size = 10, .ruby_size = 0.45f}, pinyin);
  std::array<Box, 3> spans;
  for (uint32_t character = 0; character < 3; ++character) {
    Box span{1e9f, 1e9f, -1e9f, -1e9f};
    for (const PlacedGlyph& glyph : glyphs_of(layout, character, 1)) {
      const Box box = ink(*kai, glyph);
      span = {std::min(span.left, box.left), std::min(span.top, box.top), std::max(span.right, box.right),
              std::max(span.bottom, box.bottom)};
    }
    spans[character] = span;
  }
  for (size_t next = 1; next < spans.size(); ++next) {
    EXPECT_GT(spans[next].top - spans[next - 1].bottom, ruby_em * 0.4f) << "between ruby " << next << " and the next";
  }
}

TEST_F(TextLayoutTest, RubyStandsAboveAHorizontalLine) {
  const std::array<Ruby, 1> pinyin{{{0, 2, "chūn xiǎo"}}};
  const TextLayout layout =
      lay_out_ok("春晓", *kai, {.orientation = Orientation::horizontal, .size = 10, .ruby_size = 0.5f}, pinyin);
  const CharacterCell& first = cell_of(layout, 0);
  const CharacterCell& second = cell_of(layout, 1);
  float ruby_left = 1e9f;
  float ruby_right = -1e9f;
  for (const PlacedGlyph& glyph : glyphs_of(layout, 0, 1)) {
    EXPECT_FALSE(glyph.rotated);
    const std::optional<GlyphBox> box = kai->glyph_box(glyph.glyph);
    if (!box) continue;  // the space between the syllables
    const Box placed = ink(*kai, glyph);
    EXPECT_LT(placed.bottom, first.top);
    EXPECT_GE(placed.top, -1e-3f);
    ruby_left = std::min(ruby_left, placed.left);
    ruby_right = std::max(ruby_right, placed.right);
  }
  EXPECT_NEAR((ruby_left + ruby_right) * 0.5f, (first.left + second.right) * 0.5f, 0.6f);
}

TEST_F(TextLayoutTest, LatinLiesRotatedOnTheColumnsCentreLine) {
  const std::u32string text = U"李白 Li Bai";
  const TextLayout layout = lay_out_ok("李白 Li Bai", *song, {.size = 10});
  ASSERT_EQ(layout.lines, 1u);
  const CharacterCell& li = cell_of(layout, 0);
  float previous_bottom = cell_of(layout, 1).bottom;
  for (uint32_t character = 3; character < text.size(); ++character) {
    if (text[character] == U' ') continue;
    const PlacedGlyph glyph = glyphs_of(layout, character, 0).at(0);
    EXPECT_TRUE(glyph.rotated) << "character " << character;
    const Box box = ink(*song, glyph);
    EXPECT_GT(box.left, li.left - 1);
    EXPECT_LT(box.right, li.right + 1);
    const CharacterCell& cell = cell_of(layout, character);
    EXPECT_GE(cell.top, previous_bottom - 1e-3f);  // further down the column
    previous_bottom = cell.bottom;
  }
  EXPECT_FALSE(glyphs_of(layout, 0, 0).at(0).rotated);
}

TEST_F(TextLayoutTest, HorizontalLinesBreakBetweenWordsAndBetweenCharactersNeverInsideAWord) {
  const std::u32string text = U"Quiet Night Thought 静夜思 by Li Bai of the Tang";
  const TextLayout layout = lay_out_ok("Quiet Night Thought 静夜思 by Li Bai of the Tang", *song,
                                       {.orientation = Orientation::horizontal, .size = 1, .extent = 5});
  const std::vector<std::u32string> lines = lines_of(layout, text);
  EXPECT_EQ(lines.front(), U"Quiet");
  std::u32string joined;
  for (const std::u32string& line : lines) joined += line + U" ";
  // Words come out whole: removing the spaces the layout dropped at breaks gives the words back.
  for (const std::u32string word : {U"Quiet", U"Night", U"Thought", U"Tang"}) {
    EXPECT_NE(joined.find(word), std::u32string::npos);
  }
  for (const CharacterCell& cell : layout.cells) EXPECT_LE(cell.right, 5.0f + 1e-4f);
}

TEST_F(TextLayoutTest, JustifiedLinesFillTheExtentExceptAParagraphsLast) {
  const TextLayout layout =
      lay_out_ok("春眠不觉晓处处闻啼鸟夜来风雨声花落知多少", *song,
                 {.orientation = Orientation::horizontal, .size = 1, .extent = 6.5f, .alignment = Alignment::justify});
  ASSERT_EQ(layout.lines, 4u);
  std::map<uint32_t, float> line_end;
  for (const CharacterCell& cell : layout.cells) line_end[cell.line] = std::max(line_end[cell.line], cell.right);
  for (uint32_t line = 0; line < 3; ++line) EXPECT_NEAR(line_end[line], 6.5f, 1e-4f) << "line " << line;
  EXPECT_NEAR(line_end[3], 2.0f, 1e-4f);
}

TEST_F(TextLayoutTest, CentredAndEndAlignedColumnsLeaveEqualOrLeadingSpace) {
  const TextLayout centred = lay_out_ok("江雪", *song, {.size = 1, .extent = 6, .alignment = Alignment::center});
  EXPECT_FLOAT_EQ(cell_of(centred, 0).top, 2);
  const TextLayout ending = lay_out_ok("江雪", *song, {.size = 1, .extent = 6, .alignment = Alignment::end});
  EXPECT_FLOAT_EQ(cell_of(ending, 1).bottom, 6);
}

TEST_F(TextLayoutTest, AnEmptyLineLeavesAnEmptyColumnAndAFinalLineBreakNone) {
  const TextLayout layout = lay_out_ok("千山鸟飞绝\n\n万径人踪灭\n", *song, {.size = 1});
  EXPECT_EQ(layout.lines, 3u);
  EXPECT_EQ(cell_of(layout, 7).line, 2u);
}

TEST_F(TextLayoutTest, BadTextOrRubyIsRefusedSayingWhichCharacter) {
  const auto refused = [&](std::string_view text, std::span<const Ruby> ruby, std::string_view expected) {
    auto layout = lay_out(text, ruby, *song, *song, {});
    ASSERT_FALSE(layout.ok()) << text;
    EXPECT_NE(layout.error().describe().find(expected), std::string::npos) << layout.error().describe();
  };
  refused("静夜\xFF", {}, "byte 6");
  refused("春晓😀", {}, "U+1F600");
  refused("春晓😀", {}, "character 3");
  const std::array<Ruby, 1> outside{{{2, 2, "xiǎo"}}};
  refused("春晓", outside, "ruby 1 (\"xiǎo\") covers characters 3 to 4, but the text has 2");
  const std::array<Ruby, 1> across{{{0, 3, "chūn xiǎo"}}};
  refused("春\n晓", across, "crosses a line break");
  const std::array<Ruby, 2> overlapping{{{0, 2, "chūn xiǎo"}, {1, 1, "xiǎo"}}};
  refused("春晓", overlapping, "ruby 2 (\"xiǎo\") overlaps ruby 1");
  const std::array<Ruby, 1> empty{{{0, 1, ""}}};
  refused("春晓", empty, "is empty");
}

}  // namespace
}  // namespace pavilion::text

// The line-breaking rules shared by poems and the interface, on text of known widths: every
// character one unit wide, so an extent is a count of characters.
#include "pavilion/text/line_breaking.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace pavilion::text {
namespace {

// The lines `text` is filled into at `extent`, each without the spaces it was broken at.
std::vector<std::u32string> fill(std::u32string_view text, float extent) {
  std::vector<BreakUnit> units;
  for (const char32_t character : text) units.push_back({1.0f, break_class(character), false});
  std::vector<LineSpan> spans;
  fill_lines(units, extent, spans);
  std::vector<std::u32string> lines;
  for (const LineSpan& span : spans) lines.emplace_back(text.substr(span.first, span.end - span.first));
  return lines;
}

using Lines = std::vector<std::u32string>;

TEST(LineBreaking, ClosingPunctuationTakesTheCharacterBeforeItOntoTheNextLine) {
  // At 11 characters the closing bracket alone would overflow: it may not begin a line.
  EXPECT_EQ(fill(U"龙泉窑青瓷开片瓶（仿制）", 11), (Lines{U"龙泉窑青瓷开片瓶（仿", U"制）"}));
  // Nor may an opening bracket end one.
  EXPECT_EQ(fill(U"龙泉窑青瓷开片瓶（仿制）", 9), (Lines{U"龙泉窑青瓷开片瓶", U"（仿制）"}));
  EXPECT_EQ(fill(U"梅子青釉色，釉面布满细密开片。", 5), (Lines{U"梅子青釉", U"色，釉面布", U"满细密开", U"片。"}));
}

TEST(LineBreaking, LatinWordsStayWholeAndSpacesAtABreakAreDropped) {
  EXPECT_EQ(fill(U"Longquan celadon vase (replica)", 17), (Lines{U"Longquan celadon", U"vase (replica)"}));
  EXPECT_EQ(fill(U"Longquan celadon vase (replica)", 9), (Lines{U"Longquan", U"celadon", U"vase", U"(replica)"}));
  // A word longer than a line is cut where it must be.
  EXPECT_EQ(fill(U"pavilion-sample-001", 8), (Lines{U"pavilion", U"-sample-", U"001"}));
}

TEST(LineBreaking, ChineseAndLatinMixBreakBetweenCharactersAndAtSpaces) {
  EXPECT_EQ(fill(U"宋代风格 Song dynasty style（960–1279）", 12),
            (Lines{U"宋代风格 Song", U"dynasty", U"style（960–", U"1279）"}));
  EXPECT_EQ(fill(U"龙泉窑Longquan青瓷", 9), (Lines{U"龙泉窑", U"Longquan青", U"瓷"}));
}

TEST(LineBreaking, DoubledMarksAreNeverSplit) {
  EXPECT_EQ(fill(U"正在载入……", 5), (Lines{U"正在载", U"入……"}));
}

TEST(LineBreaking, LeadingSpacesIndentOnlyTheFirstLineAndEmptyTextIsOneEmptyLine) {
  EXPECT_EQ(fill(U"  ! disk full now", 8), (Lines{U"  ! disk", U"full now"}));
  EXPECT_EQ(fill(U"", 8), (Lines{U""}));
  EXPECT_EQ(fill(U"no limit at all", 0), (Lines{U"no limit at all"}));
}

TEST(LineBreaking, ARubysBaseIsNeverBrokenInside) {
  std::vector<BreakUnit> units;
  for (const char32_t character : std::u32string_view(U"床前明月光")) units.push_back({1.0f, break_class(character), false});
  units[3].joined = true;  // 明月 is one base
  std::vector<LineSpan> spans;
  fill_lines(units, 3, spans);
  ASSERT_EQ(spans.size(), 2u);
  EXPECT_EQ(spans[0].end, 2u);
  EXPECT_EQ(spans[1].first, 2u);
}

}  // namespace
}  // namespace pavilion::text

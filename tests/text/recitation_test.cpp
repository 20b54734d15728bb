#include "pavilion/text/recitation.h"

#include <gtest/gtest.h>

namespace pavilion::text {
namespace {

std::u32string pick(std::u32string_view text, const std::vector<TextSpan>& spans) {
  std::u32string out;
  for (const TextSpan& span : spans) out += std::u32string(text.substr(span.first, span.end - span.first)) + U"|";
  return out;
}

TEST(TextRecitation, PunctuationSpacesAndLineBreaksAreNotSpoken) {
  const std::u32string poem = U"《江雪》\n千山鸟飞绝，万径人踪灭。\n\n孤舟蓑笠翁——独钓寒江雪！";
  EXPECT_EQ(pick(poem, spoken_characters(poem)),
            U"江|雪|千|山|鸟|飞|绝|万|径|人|踪|灭|孤|舟|蓑|笠|翁|独|钓|寒|江|雪|");
  EXPECT_EQ(pick(poem, spoken_lines(poem)), U"《江雪》|千山鸟飞绝，万径人踪灭。|孤舟蓑笠翁——独钓寒江雪！|");
  const std::u32string mixed = U"Li Bai 李白, 701–762 年々";
  EXPECT_EQ(pick(mixed, spoken_characters(mixed)), U"L|i|B|a|i|李|白|7|0|1|7|6|2|年|々|");
  EXPECT_TRUE(spoken_lines(U"。\n  \n").empty());
}

}  // namespace
}  // namespace pavilion::text

namespace pavilion::text {
namespace {

TEST(TextRecitation, PinyinSplitsIntoSyllablesAtSpacesAndPunctuation) {
  const std::vector<std::u32string> split = syllables(U"chuáng qián, míng yuè guāng。  yí-shì dì'shàng\nshuāng!");
  const std::vector<std::u32string> expected{U"chuáng", U"qián", U"míng", U"yuè",    U"guāng",
                                             U"yí",     U"shì",  U"dì",   U"shàng", U"shuāng"};
  EXPECT_EQ(split, expected);
}

}  // namespace
}  // namespace pavilion::text

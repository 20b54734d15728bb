#include "pavilion/core/number.h"

#include <gtest/gtest.h>

namespace pavilion {
namespace {

TEST(WholeNumber, TakesDigitsOnlyAndTheWholeText) {
  EXPECT_EQ(parse_whole_number("0"), 0u);
  EXPECT_EQ(parse_whole_number("8470"), 8470u);
  EXPECT_EQ(parse_whole_number("18446744073709551615"), UINT64_MAX);
  for (const std::string_view wrong : {"", "-1", "+1", " 1", "1 ", "1.5", "0x10", "12a", "18446744073709551616"}) {
    EXPECT_FALSE(parse_whole_number(wrong).has_value()) << "\"" << wrong << "\"";
  }
}

}  // namespace
}  // namespace pavilion

#include "pavilion/core/error.h"

#include <gtest/gtest.h>

namespace pavilion {
namespace {

Result<int> parse_digit(char c) {
  if (c < '0' || c > '9') return Error(ErrorCode::invalid_input, "parsing a digit", std::string("'") + c + "' is not a digit");
  return c - '0';
}

Result<int> sum_of_digits(std::string_view text) {
  int sum = 0;
  for (char c : text) {
    PV_TRY_ASSIGN(const int digit, parse_digit(c).add_context("reading \"" + std::string(text) + "\""));
    sum += digit;
  }
  return sum;
}

Result<void> check_sum(std::string_view text, int expected) {
  PV_TRY_ASSIGN(const int sum, sum_of_digits(text));
  if (sum != expected) return Error(ErrorCode::invalid_input, "checking a sum", "it does not match");
  return {};
}

TEST(CoreError, SuccessCarriesTheValue) {
  const auto result = sum_of_digits("123");
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(*result, 6);
}

TEST(CoreError, FailurePropagatesWithContextOutermostFirst) {
  const auto result = check_sum("12x", 3);
  ASSERT_FALSE(result.ok());
  const Error& error = result.error();
  EXPECT_EQ(error.code(), ErrorCode::invalid_input);
  EXPECT_EQ(error.what(), "parsing a digit");
  EXPECT_EQ(error.why(), "'x' is not a digit");
  ASSERT_EQ(error.context().size(), 1u);
  const std::string text = error.describe();
  EXPECT_EQ(text.find("reading \"12x\": parsing a digit: 'x' is not a digit ["), 0u) << text;
  // The location names the file where the failure was detected, relative to the project.
  EXPECT_NE(text.find("tests/core/error_test.cpp:"), std::string::npos) << text;
}

TEST(CoreError, VoidResultsReportErrors) {
  EXPECT_TRUE(check_sum("11", 2).ok());
  const auto mismatch = check_sum("11", 3);
  ASSERT_FALSE(mismatch.ok());
  EXPECT_EQ(mismatch.error().what(), "checking a sum");
}

TEST(CoreError, ContextAddsToFailuresOnly) {
  auto ok = Result<int>(4).add_context("ignored");
  EXPECT_TRUE(ok.ok());
  auto failed = Result<int>(Error(ErrorCode::io, "x", "y")).add_context("outer").add_context("outermost");
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().context(), (std::vector<std::string>{"outer", "outermost"}));
  EXPECT_EQ(failed.error().describe().rfind("outermost: outer: x: y [", 0), 0u);
}

TEST(CoreErrorDeathTest, ReadingTheValueOfAFailureIsACallerBug) {
  const Result<int> failed(Error(ErrorCode::not_found, "finding the key", "it is absent"));
  EXPECT_DEATH(static_cast<void>(failed.value()), "value\\(\\) of a failed Result.*finding the key: it is absent");
}

TEST(CoreError, EveryCodeHasAName) {
  for (ErrorCode code : {ErrorCode::io, ErrorCode::invalid_input, ErrorCode::unsupported, ErrorCode::not_found,
                         ErrorCode::gpu, ErrorCode::device_lost, ErrorCode::out_of_memory, ErrorCode::internal}) {
    EXPECT_NE(to_string(code), "unknown");
  }
}

}  // namespace
}  // namespace pavilion

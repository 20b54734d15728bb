#include "pavilion/core/log.h"

#include <gtest/gtest.h>

#include <regex>
#include <string>
#include <vector>

namespace pavilion::log {
namespace {

class CoreLog : public ::testing::Test {
 protected:
  void SetUp() override {
    set_sink([this](Level, std::string_view line) { lines_.emplace_back(line); });
  }
  void TearDown() override {
    set_sink(nullptr);
    configure(Level::info, Format::text);
  }
  std::vector<std::string> lines_;
};

TEST_F(CoreLog, TextLinesCarryTimeLevelChannelAndMessage) {
  configure(Level::info, Format::text);
  info("render", "using {} because {}", "llvmpipe", "it is the only one");
  ASSERT_EQ(lines_.size(), 1u);
  EXPECT_TRUE(std::regex_match(lines_[0], std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z info  render: using llvmpipe because it is the only one)")))
      << lines_[0];
}

TEST_F(CoreLog, LevelsBelowTheMinimumAreDropped) {
  configure(Level::warn, Format::text);
  debug("core", "hidden");
  info("core", "hidden");
  warn("core", "shown");
  error("core", "shown");
  EXPECT_EQ(lines_.size(), 2u);
  EXPECT_FALSE(enabled(Level::info));
  EXPECT_TRUE(enabled(Level::error));
}

TEST_F(CoreLog, JsonLinesEscapeWhatWouldBreakThem) {
  configure(Level::info, Format::json);
  info("kiosk", "a \"quoted\" path\\ with\na newline and a \x01 control");
  ASSERT_EQ(lines_.size(), 1u);
  EXPECT_TRUE(std::regex_match(
      lines_[0],
      std::regex(R"(\{"time":"[0-9T:.Z-]+","level":"info","channel":"kiosk","message":"a \\"quoted\\" path\\\\ with\\na newline and a \\u0001 control"\})")))
      << lines_[0];
}

TEST_F(CoreLog, ChineseTextPassesThroughUnchanged) {
  configure(Level::info, Format::json);
  info("kiosk", "触摸开始");
  ASSERT_EQ(lines_.size(), 1u);
  EXPECT_NE(lines_[0].find("\"message\":\"触摸开始\""), std::string::npos);
}

TEST(CoreLogLevels, ParseKnownNamesOnly) {
  EXPECT_EQ(parse_level("debug"), Level::debug);
  EXPECT_EQ(parse_level("error"), Level::error);
  EXPECT_EQ(parse_level("verbose"), std::nullopt);
}

TEST(CoreLogEnvironment, ABadValueIsExplained) {
  setenv("PAVILION_LOG", "loud", 1);
  const auto problem = configure_from_environment();
  unsetenv("PAVILION_LOG");
  ASSERT_TRUE(problem.has_value());
  EXPECT_NE(problem->find("'loud'"), std::string::npos);
  EXPECT_NE(problem->find("debug, info, warn or error"), std::string::npos);
}

}  // namespace
}  // namespace pavilion::log

// Tesseract at pack time: pages of known text (English lines, vertical Traditional Chinese
// columns) drawn with FreeType, recognised, and compared with the truth; and the sentences for a
// missing program, missing language data and a recognition that runs too long.
#include "pavilion/core/png.h"
#include "pavilion/page_text/page_text.h"
#include "rendered_page.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace pavilion::page_text {
namespace {

// Each test's pages and programs, in a folder of its own that is removed after it.
class PageTextRecognition : public ::testing::Test {
 protected:
  void SetUp() override { std::filesystem::create_directories(folder); }
  void TearDown() override { std::filesystem::remove_all(folder); }

  const std::filesystem::path folder =
      std::filesystem::temp_directory_path() / ("pavilion-page-text-" + std::to_string(::getpid()) + "-" +
                                                ::testing::UnitTest::GetInstance()->current_test_info()->name());
};

std::u32string characters(std::string_view text) {
  std::u32string out;
  for (const char32_t c : testing::code_points(text)) {
    if (c != U' ') out += c;
  }
  return out;
}

// The longest common subsequence: characters recognised, in order.
size_t common_characters(const std::u32string& truth, const std::u32string& found) {
  std::vector<size_t> previous(found.size() + 1, 0);
  std::vector<size_t> current(found.size() + 1, 0);
  for (const char32_t t : truth) {
    for (size_t j = 0; j < found.size(); ++j) {
      current[j + 1] = t == found[j] ? previous[j] + 1 : std::max(previous[j + 1], current[j]);
    }
    std::swap(previous, current);
  }
  return previous[found.size()];
}

double overlap(const Region& a, const Region& b) {  // intersection over union
  const double width = std::min(a.x + a.width, b.x + b.width) - std::max(a.x, b.x);
  const double height = std::min(a.y + a.height, b.y + b.height) - std::max(a.y, b.y);
  if (width <= 0 || height <= 0) return 0;
  const double both = width * height;
  return both / (double(a.width) * a.height + double(b.width) * b.height - both);
}

struct Score {
  double accuracy = 0;       // truth characters recognised in order, over all truth characters
  double worst_overlap = 1;  // the lowest of each truth line's best overlap with a recognised line
  double seconds = 0;
};

Score recognise_and_score(const testing::RenderedPage& rendered, const std::filesystem::path& folder,
                          const std::string& name, const RecognitionOptions& options) {
  const auto image = folder / (name + ".png");
  EXPECT_TRUE(write_png(image, rendered.image).ok());
  const auto start = std::chrono::steady_clock::now();
  const auto page = recognise(image, options);
  Score score;
  score.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_TRUE(page.ok()) << page.error().describe();
  if (!page) return score;
  EXPECT_EQ(page->size, (PixelSize{rendered.image.width, rendered.image.height}));
  size_t truth_characters = 0;
  size_t recognised = 0;
  for (const auto& truth : rendered.lines) {
    const Line* best = nullptr;
    double best_overlap = 0;
    for (const Line& line : page->lines) {
      if (overlap(truth.region, line.region) > best_overlap) {
        best_overlap = overlap(truth.region, line.region);
        best = &line;
      }
    }
    score.worst_overlap = std::min(score.worst_overlap, best_overlap);
    const std::u32string expected = characters(truth.text);
    truth_characters += expected.size();
    if (best) {
      recognised += common_characters(expected, characters(best->text));
      EXPECT_EQ(best->direction, options.direction) << best->text;
    }
    std::printf("  truth \"%s\" → \"%s\" (overlap %.2f)\n", truth.text.c_str(), best ? best->text.c_str() : "",
                best_overlap);
  }
  score.accuracy = double(recognised) / double(truth_characters);
  std::printf("  %s: %.1f %% of %zu characters, worst line overlap %.2f, tesseract %.2f s\n", name.c_str(),
              100 * score.accuracy, truth_characters, score.worst_overlap, score.seconds);
  ::testing::Test::RecordProperty(name + "_accuracy_percent", std::to_string(100 * score.accuracy));
  ::testing::Test::RecordProperty(name + "_seconds", std::to_string(score.seconds));
  return score;
}

TEST_F(PageTextRecognition, EnglishLinesComeBackWithTheirRegions) {
  if (!testing::tesseract_installed()) GTEST_SKIP() << "tesseract is not installed (scripts/setup installs tesseract-ocr)";
  const auto rendered = testing::render_horizontal(
      {"Waking the sleeping treasures", "of the library, page by page,", "rare books turn in the headset."}, 36, 760,
      300);
  const Score score = recognise_and_score(rendered, folder, "english", {.language = "en"});
  EXPECT_GE(score.accuracy, 0.8);
  EXPECT_GE(score.worst_overlap, 0.5);
}

TEST_F(PageTextRecognition, VerticalTraditionalChineseColumnsComeBackRightToLeft) {
  if (!testing::tesseract_installed()) GTEST_SKIP() << "tesseract is not installed (scripts/setup installs tesseract-ocr)";
  const auto rendered =
      testing::render_vertical({"學而時習之不亦說", "乎有朋自遠方來不", "亦樂乎人不知而不"}, 48, 400, 560);
  const Score score =
      recognise_and_score(rendered, folder, "vertical_chinese",
                          {.language = "zh-Hant", .direction = WritingDirection::vertical_right_to_left});
  EXPECT_GE(score.accuracy, 0.8);
  EXPECT_GE(score.worst_overlap, 0.5);
}

TEST(PageTextLanguages, LanguagesForTheBook) {
  using enum WritingDirection;
  EXPECT_EQ(tesseract_language("zh-Hant", vertical_right_to_left).value(), "chi_tra_vert");
  EXPECT_EQ(tesseract_language("zh-TW", vertical_right_to_left).value(), "chi_tra_vert");
  EXPECT_EQ(tesseract_language("zh-CN", vertical_right_to_left).value(), "chi_sim_vert");
  EXPECT_EQ(tesseract_language("zh", vertical_right_to_left).value(), "chi_sim_vert");
  EXPECT_EQ(tesseract_language("zh-Hant-HK", horizontal).value(), "chi_tra");
  EXPECT_EQ(tesseract_language("en-GB", horizontal).value(), "eng");
  const auto french = tesseract_language("fr", horizontal);
  ASSERT_FALSE(french.ok());
  EXPECT_NE(french.error().why().find("Pavilion recognises English (en) and Chinese"), std::string::npos);
  EXPECT_FALSE(tesseract_language("zhx", horizontal).ok());
}

TEST_F(PageTextRecognition, AMissingProgramIsASentenceNamingThePackages) {
  const auto page = recognise(
      "page.png",
      {.language = "zh-Hant", .direction = WritingDirection::vertical_right_to_left, .program = "no-such-tesseract"});
  ASSERT_FALSE(page.ok());
  EXPECT_EQ(page.error().code(), ErrorCode::not_found);
  EXPECT_NE(page.error().why().find("the program no-such-tesseract is not installed; install Debian's tesseract-ocr "
                                    "and tesseract-ocr-chi-tra-vert"),
            std::string::npos)
      << page.error().why();
  EXPECT_NE(page.error().why().find("未安装程序 no-such-tesseract"), std::string::npos);
}

TEST_F(PageTextRecognition, MissingLanguageDataIsASentenceNamingThePackage) {
  if (!testing::tesseract_installed()) GTEST_SKIP() << "tesseract is not installed (scripts/setup installs tesseract-ocr)";
  const auto image = folder / "blank.png";
  ASSERT_TRUE(write_png(image, testing::render_horizontal({"x"}, 20, 64, 64).image).ok());
  // Tesseract looks for its data where TESSDATA_PREFIX says: here, an empty folder.
  const char* before = std::getenv("TESSDATA_PREFIX");
  const std::string kept = before ? before : "";
  ::setenv("TESSDATA_PREFIX", folder.c_str(), 1);
  const auto page = recognise(image, {.language = "zh-CN", .direction = WritingDirection::vertical_right_to_left});
  if (before) {
    ::setenv("TESSDATA_PREFIX", kept.c_str(), 1);
  } else {
    ::unsetenv("TESSDATA_PREFIX");
  }
  ASSERT_FALSE(page.ok());
  EXPECT_NE(page.error().why().find("Tesseract has no data for the language chi_sim_vert; install Debian's "
                                    "tesseract-ocr-chi-sim-vert"),
            std::string::npos)
      << page.error().why();
}

TEST_F(PageTextRecognition, ARecognitionThatRunsTooLongIsStopped) {
  const auto program = folder / "slow-tesseract";
  std::ofstream(program) << "#!/bin/sh\nexec sleep 60\n";
  std::filesystem::permissions(program, std::filesystem::perms::owner_all);
  const auto image = folder / "page.png";
  ASSERT_TRUE(write_png(image, testing::render_horizontal({"x"}, 20, 64, 64).image).ok());
  const auto start = std::chrono::steady_clock::now();
  const auto page = recognise(image, {.program = program.string(), .wall_time = std::chrono::seconds(1)});
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
  ASSERT_FALSE(page.ok());
  EXPECT_NE(page.error().why().find("tesseract did not finish within 1 s"), std::string::npos) << page.error().why();
}

}  // namespace
}  // namespace pavilion::page_text

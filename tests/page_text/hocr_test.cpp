// hOCR read into a page's text: Tesseract's classes and titles, lines of vertical Chinese,
// scaling to the page image, and malformed files refused with their line and element.
#include "pavilion/page_text/page_text.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

namespace pavilion::page_text {
namespace {

const std::filesystem::path fixtures = PAVILION_PAGE_TEXT_FIXTURES;

Result<PageText> read(const char* name, PixelSize image = {}) { return read_page_text_file(fixtures / name, image); }

TEST(PageTextHocr, ReadsTesseractsLinesWordsConfidenceAndLanguage) {
  const auto page = read("hocr_english.hocr");
  ASSERT_TRUE(page.ok()) << page.error().describe();
  EXPECT_EQ(page->size, (PixelSize{1200, 800}));
  ASSERT_EQ(page->lines.size(), 2u);
  const Line& first = page->lines[0];
  EXPECT_EQ(first.text, "Rare books & scrolls");
  EXPECT_EQ(first.region, (Region{100, 100, 600, 50}));
  EXPECT_EQ(first.direction, WritingDirection::horizontal);
  EXPECT_EQ(first.language, "en") << "Tesseract's eng is BCP 47's en";
  ASSERT_EQ(first.words.size(), 2u);
  EXPECT_EQ(first.words[1].text, "books & scrolls");
  EXPECT_EQ(first.words[1].region, (Region{321, 102, 379, 47}));
  ASSERT_TRUE(first.confidence.has_value());
  EXPECT_NEAR(*first.confidence, 0.92, 1e-6);

  const Line& header = page->lines[1];  // an ocr_header is a line too
  EXPECT_EQ(header.text, "Chapter");
  EXPECT_EQ(header.region, (Region{100, 200, 400, 60}));
  EXPECT_EQ(header.reading_order, 1u);
  EXPECT_NEAR(*header.words[0].confidence, 0.71, 1e-6);
}

TEST(PageTextHocr, VerticalLinesByTextangleJoinChineseWordsWithoutSpaces) {
  const auto page = read("hocr_vertical_chinese.hocr");
  ASSERT_TRUE(page.ok()) << page.error().describe();
  ASSERT_EQ(page->lines.size(), 2u);
  EXPECT_EQ(page->lines[0].text, "學而時習");
  EXPECT_EQ(page->lines[0].region, (Region{700, 100, 60, 250}));
  EXPECT_EQ(page->lines[1].text, "之不亦");
  EXPECT_EQ(page->lines[1].region, (Region{600, 100, 60, 187}));
  for (const Line& line : page->lines) {
    EXPECT_EQ(line.direction, WritingDirection::vertical_right_to_left);
    EXPECT_EQ(line.language, "zh-Hant");
  }
}

TEST(PageTextHocr, ThePageMadeForAnotherImageSizeIsScaledToTheImage) {
  const auto page = read("hocr_english.hocr", {600, 400});
  ASSERT_TRUE(page.ok()) << page.error().describe();
  EXPECT_EQ(page->size, (PixelSize{600, 400}));
  EXPECT_EQ(page->lines[0].region, (Region{50, 50, 300, 25}));
  EXPECT_EQ(page->lines[0].words[1].region, (Region{161, 51, 189, 24}));  // 160.5 → 161, 51, 350, 74.5 → 75
  EXPECT_EQ(page->lines[1].region, (Region{50, 100, 200, 30}));
}

TEST(PageTextHocr, AWordWithoutABboxIsNamedWithItsLine) {
  const auto page = read("hocr_missing_bbox.hocr");
  ASSERT_FALSE(page.ok());
  const std::string why = page.error().why();
  EXPECT_NE(why.find("hocr_missing_bbox.hocr: line 6, <span> attribute title bbox: error: this span has no bbox"),
            std::string::npos)
      << why;
  EXPECT_NE(why.find("缺少 bbox"), std::string::npos) << why;
}

TEST(PageTextHocr, ATruncatedFileSaysWhereItWasCut) {
  const auto page = read("hocr_truncated.hocr");
  ASSERT_FALSE(page.ok());
  const std::string why = page.error().why();
  EXPECT_NE(why.find("line 19, <p>: error: the file ends inside <p>"), std::string::npos) << why;
}

TEST(PageTextHocr, MalformedTitlesNestingAndDepthAreSentences) {
  const auto corners = read_hocr(R"(<html><body><div class='ocr_page' title='bbox 0 0 100 100'>
<span class='ocr_line' title='bbox 50 10 40 20'/></div></body></html>)",
                                 "corners.hocr", {});
  ASSERT_FALSE(corners.ok());
  EXPECT_NE(corners.error().why().find("line 2, <span> attribute title bbox: error: bbox is \"50 10 40 20\""),
            std::string::npos)
      << corners.error().why();

  const auto loose =
      read_hocr("<html><body><span class='ocrx_word' title='bbox 1 1 2 2'>x</span></body></html>", "loose.hocr", {});
  ASSERT_FALSE(loose.ok());
  EXPECT_NE(loose.error().why().find("outside any ocr_line"), std::string::npos) << loose.error().why();

  std::string deep = "<html>";
  for (int level = 0; level < 1000; ++level) deep += "<div>";
  const auto nested = read_hocr(deep, "deep.hocr", {});
  ASSERT_FALSE(nested.ok());
  EXPECT_NE(nested.error().why().find("nested more than 64 deep"), std::string::npos) << nested.error().why();

  const auto alto = read_hocr("<alto/>", "page.xml", {});
  ASSERT_FALSE(alto.ok());
  EXPECT_NE(alto.error().why().find("not an hOCR file"), std::string::npos) << alto.error().why();
}

}  // namespace
}  // namespace pavilion::page_text

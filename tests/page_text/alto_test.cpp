// ALTO v2–v4 read into a page's text: exact regions, text, order, direction and language, units
// scaled to the page image, and malformed files refused with a sentence naming line and element.
#include "pavilion/page_text/page_text.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

namespace pavilion::page_text {
namespace {

const std::filesystem::path fixtures = PAVILION_PAGE_TEXT_FIXTURES;

Result<PageText> read(const char* name, PixelSize image = {}) { return read_page_text_file(fixtures / name, image); }

TEST(PageTextAlto, ReadsLinesWordsSpacesHyphensAndConfidenceOfVersion4) {
  const auto page = read("alto_v4_english.xml");
  ASSERT_TRUE(page.ok()) << page.error().describe();
  EXPECT_EQ(page->size, (PixelSize{1000, 1400}));
  ASSERT_EQ(page->lines.size(), 2u);
  const Line& first = page->lines[0];
  EXPECT_EQ(first.text, "Waking the sleep-");
  EXPECT_EQ(first.region, (Region{100, 100, 612, 48}));
  EXPECT_EQ(first.reading_order, 0u);
  EXPECT_EQ(first.direction, WritingDirection::horizontal);
  EXPECT_EQ(first.language, "en");
  ASSERT_EQ(first.words.size(), 3u);
  EXPECT_EQ(first.words[0].text, "Waking");
  EXPECT_EQ(first.words[0].region, (Region{100, 102, 180, 46}));
  EXPECT_EQ(first.words[2].region, (Region{410, 101, 302, 47}));
  ASSERT_TRUE(first.words[1].confidence.has_value());
  EXPECT_FLOAT_EQ(*first.words[1].confidence, 0.9f);
  ASSERT_TRUE(first.confidence.has_value());
  EXPECT_NEAR(*first.confidence, (0.96 + 0.9 + 0.5) / 3, 1e-6);

  const Line& second = page->lines[1];
  EXPECT_EQ(second.text, "ing treasures¬");  // the HYP belongs to the line's last word
  EXPECT_EQ(second.reading_order, 1u);
  // 100 + 420.5 = 520.5 rounds to 521: edges are rounded, not sizes.
  EXPECT_EQ(second.region, (Region{100, 180, 421, 50}));
  EXPECT_EQ(second.words[1].region, (Region{220, 180, 301, 50}));
  EXPECT_FALSE(second.confidence.has_value()) << "no word of the line has a WC";
}

TEST(PageTextAlto, VerticalChineseColumnsReadRightToLeftWithTheirBlocksLanguage) {
  const auto page = read("alto_v3_vertical_chinese.xml");
  ASSERT_TRUE(page.ok()) << page.error().describe();
  ASSERT_EQ(page->lines.size(), 3u);
  const char* texts[] = {"學而時習", "之不亦", "說"};
  const Region regions[] = {{700, 100, 60, 250}, {600, 100, 60, 187}, {500, 100, 60, 60}};
  for (size_t index = 0; index < 3; ++index) {
    const Line& line = page->lines[index];
    EXPECT_EQ(line.text, texts[index]) << "no spaces between Chinese characters";
    EXPECT_EQ(line.region, regions[index]);
    EXPECT_EQ(line.reading_order, index);
    // The one-character column is as square as a horizontal one: its block says it is vertical.
    EXPECT_EQ(line.direction, WritingDirection::vertical_right_to_left) << index;
    EXPECT_EQ(line.language, "zh-Hant");
  }
  ASSERT_TRUE(page->lines[0].confidence.has_value());
  EXPECT_NEAR(*page->lines[0].confidence, 0.95, 1e-6);
  EXPECT_EQ(page->lines[0].words[3].region, (Region{700, 289, 60, 61}));
}

TEST(PageTextAlto, Mm10UnitsArePlacedOnTheImageBySizeOfThePage) {
  // An A4 page (2100 × 2970 tenths of a millimetre) scanned at 1050 × 1485 pixels.
  const auto page = read("alto_v2_mm10.xml", {1050, 1485});
  ASSERT_TRUE(page.ok()) << page.error().describe();
  EXPECT_EQ(page->size, (PixelSize{1050, 1485}));
  ASSERT_EQ(page->lines.size(), 1u);
  EXPECT_EQ(page->lines[0].text, "Ten millimetres");
  EXPECT_EQ(page->lines[0].region, (Region{100, 150, 801, 50}));
  EXPECT_EQ(page->lines[0].words[0].region, (Region{100, 150, 150, 50}));
  EXPECT_EQ(page->lines[0].words[1].region, (Region{300, 150, 601, 50}));
  EXPECT_TRUE(page->lines[0].language.empty());
}

TEST(PageTextAlto, Mm10WithoutTheImagesSizeIsASentence) {
  const auto page = read("alto_v2_mm10.xml");
  ASSERT_FALSE(page.ok());
  const std::string why = page.error().why();
  EXPECT_NE(why.find("alto_v2_mm10.xml: line 4, <MeasurementUnit>"), std::string::npos) << why;
  EXPECT_NE(why.find("positions in mm10 need the page image's size"), std::string::npos) << why;
  EXPECT_NE(why.find("需要页面图像的尺寸"), std::string::npos) << why;
}

TEST(PageTextAlto, Inch1200UnitsAndAPixelPageMadeForAnotherImageSizeAreScaled) {
  constexpr const char* letter = R"(<alto><Description><MeasurementUnit>inch1200</MeasurementUnit></Description>
<Layout><Page WIDTH="10200" HEIGHT="13200"><PrintSpace><TextBlock>
<TextLine HPOS="1200" VPOS="2400" WIDTH="6000" HEIGHT="600">
<String CONTENT="Letter" HPOS="1200" VPOS="2400" WIDTH="6000" HEIGHT="600"/></TextLine>
</TextBlock></PrintSpace></Page></Layout></alto>)";
  const auto inches = read_alto(letter, "letter.xml", {850, 1100});
  ASSERT_TRUE(inches.ok()) << inches.error().describe();
  EXPECT_EQ(inches->lines[0].region, (Region{100, 200, 500, 50}));

  // Pixels of a 1000 × 1400 scan, shown on a 500 × 700 image: every edge halves.
  const auto halved = read("alto_v4_english.xml", {500, 700});
  ASSERT_TRUE(halved.ok()) << halved.error().describe();
  EXPECT_EQ(halved->size, (PixelSize{500, 700}));
  EXPECT_EQ(halved->lines[0].region, (Region{50, 50, 306, 24}));
  EXPECT_EQ(halved->lines[0].words[1].region, (Region{150, 50, 45, 24}));
}

// What write_alto writes (pavilion-pack's IIIF export of a book's lines) reads back as it was:
// a block of vertical columns, then a horizontal line of words with marks XML must escape.
TEST(PageTextAlto, WrittenByWriteAltoAPageReadsBackAsItWas) {
  PageText page;
  page.size = {900, 1200};
  page.lines.push_back({"學而時習之", {700, 100, 60, 400}, 0, WritingDirection::vertical_right_to_left, "zh-Hant", std::nullopt, {}});
  page.lines.push_back({"不亦說乎", {620, 100, 60, 330}, 1, WritingDirection::vertical_right_to_left, "zh-Hant", std::nullopt, {}});
  Line english{"Tom & \"Jerry\" <1>", {100, 900, 500, 40}, 2, WritingDirection::horizontal, "en", std::nullopt, {}};
  english.words = {{"Tom", {100, 900, 120, 40}, 0.5f}, {"&", {240, 900, 30, 40}, 1.0f}, {"\"Jerry\"", {290, 900, 200, 40}, 0.75f},
                   {"<1>", {510, 900, 90, 40}, 0.25f}};
  english.confidence = 0.625f;
  page.lines.push_back(english);

  const auto read = read_alto(write_alto(page), "written.xml", page.size);
  ASSERT_TRUE(read.ok()) << read.error().describe();
  EXPECT_EQ(read->size, page.size);
  ASSERT_EQ(read->lines.size(), 3u);
  for (size_t index = 0; index < 3; ++index) {
    const Line& was = page.lines[index];
    const Line& is = read->lines[index];
    EXPECT_EQ(is.text, was.text) << index;
    EXPECT_EQ(is.region, was.region) << index;
    EXPECT_EQ(is.reading_order, was.reading_order) << index;
    EXPECT_EQ(is.direction, was.direction) << index;
    EXPECT_EQ(is.language, was.language) << index;
    ASSERT_EQ(is.words.size(), was.words.size() == 0 ? 1 : was.words.size()) << index;
  }
  for (size_t at = 0; at < english.words.size(); ++at) {
    EXPECT_EQ(read->lines[2].words[at].text, english.words[at].text);
    EXPECT_EQ(read->lines[2].words[at].region, english.words[at].region);
    EXPECT_NEAR(read->lines[2].words[at].confidence.value_or(-1), *english.words[at].confidence, 1e-3);
  }
}

TEST(PageTextAlto, AMissingAttributeIsNamedWithItsLineInBothLanguages) {
  const auto page = read("alto_missing_attribute.xml");
  ASSERT_FALSE(page.ok());
  EXPECT_EQ(page.error().code(), ErrorCode::invalid_input);
  const std::string why = page.error().why();
  EXPECT_NE(why.find("alto_missing_attribute.xml: line 9, <String> attribute VPOS: error: <String> has no VPOS"),
            std::string::npos)
      << why;
  EXPECT_NE(why.find("错误: <String> 缺少 VPOS"), std::string::npos) << why;
}

TEST(PageTextAlto, ATruncatedFileSaysWhereItWasCut) {
  const auto page = read("alto_truncated.xml");
  ASSERT_FALSE(page.ok());
  const std::string why = page.error().why();
  EXPECT_NE(why.find("line 13, <TextLine>"), std::string::npos) << why;
  EXPECT_NE(why.find("the file ends inside <TextLine>"), std::string::npos) << why;
  EXPECT_NE(why.find("文件不完整"), std::string::npos) << why;
}

TEST(PageTextAlto, DeepNestingManyElementsAndEntitiesAreRefused) {
  // 70 blocks inside a page inside its print space: the 65th element down is refused.
  const auto fixture = read("alto_deeply_nested.xml");
  ASSERT_FALSE(fixture.ok());
  EXPECT_NE(fixture.error().why().find("alto_deeply_nested.xml: line 4, <TextBlock>: error: elements are nested more "
                                       "than 64 deep"),
            std::string::npos)
      << fixture.error().why();
  EXPECT_NE(fixture.error().why().find("元素嵌套超过 64 层"), std::string::npos) << fixture.error().why();

  std::string deep = "<alto>\n";
  for (int level = 0; level < 100; ++level) deep += "<TextBlock>";
  const auto nested = read_alto(deep, "deep.xml", {});
  ASSERT_FALSE(nested.ok());
  EXPECT_NE(nested.error().why().find("deep.xml: line 2, <TextBlock>: error: elements are nested more than 64 deep"),
            std::string::npos)
      << nested.error().why();

  std::string wide = "<alto>";
  for (int count = 0; count < 100; ++count) wide += "<SP/>";
  wide += "</alto>";
  ReadLimits limits;
  limits.elements = 50;
  const auto many = read_alto(wide, "wide.xml", {}, limits);
  ASSERT_FALSE(many.ok());
  EXPECT_NE(many.error().why().find("more than 50 elements"), std::string::npos) << many.error().why();

  const auto laughs = read_alto(R"(<?xml version="1.0"?>
<!DOCTYPE alto [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>
<alto>&lol2;</alto>)",
                                "laughs.xml", {});
  ASSERT_FALSE(laughs.ok());
  EXPECT_NE(laughs.error().why().find("line 2"), std::string::npos) << laughs.error().why();
  EXPECT_NE(laughs.error().why().find("declares the entity 'lol'"), std::string::npos) << laughs.error().why();
}

TEST(PageTextAlto, BadNumbersUnitsAndAnotherRootAreSentences) {
  const auto letters = read_alto(R"(<alto><Layout><Page><PrintSpace><TextBlock>
<TextLine HPOS="ten" VPOS="1" WIDTH="1" HEIGHT="1"/></TextBlock></PrintSpace></Page></Layout></alto>)",
                                 "letters.xml", {});
  ASSERT_FALSE(letters.ok());
  EXPECT_NE(letters.error().why().find("line 2, <TextLine> attribute HPOS: error: HPOS is \"ten\""), std::string::npos)
      << letters.error().why();

  const auto unit =
      read_alto("<alto><Description><MeasurementUnit>cm</MeasurementUnit></Description></alto>", "unit.xml", {});
  ASSERT_FALSE(unit.ok());
  EXPECT_NE(unit.error().why().find("the unit is \"cm\""), std::string::npos) << unit.error().why();

  const auto html = read_alto("<html><body/></html>", "page.hocr", {});
  ASSERT_FALSE(html.ok());
  EXPECT_NE(html.error().why().find("not an ALTO file"), std::string::npos) << html.error().why();

  const auto two_pages = read_alto("<alto><Layout><Page/>\n<Page/></Layout></alto>", "two.xml", {});
  ASSERT_FALSE(two_pages.ok());
  EXPECT_NE(two_pages.error().why().find("line 2, <Page>: error: the file holds a second <Page>"), std::string::npos)
      << two_pages.error().why();
}

}  // namespace
}  // namespace pavilion::page_text

// IIIF Presentation 2 (content_tools/iiif): a small right-to-left thread-bound book of our own,
// with v2 image services, a table of contents, a foldout, a Choice and a page without an image.
#include "pavilion/iiif/manifest.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

namespace pavilion::iiif {
namespace {

const std::filesystem::path book_file =
    std::filesystem::path(PAVILION_IIIF_FIXTURES).parent_path() / "manifests" / "thread-bound-rtl-p2.json";

class IiifPresentation2Book : public testing::Test {
 protected:
  void SetUp() override {
    Result<Manifest> read = read_manifest(book_file);
    ASSERT_TRUE(read) << read.error().describe();
    manifest = std::move(*read);
  }
  const Image& image(size_t canvas) { return manifest.canvases.at(canvas).paintings.at(0).options.at(0); }
  Manifest manifest;
};

std::string first(const LanguageMap& map, std::string_view language) {
  const auto* values = map.find(language);
  return values && !values->empty() ? values->front() : "(absent)";
}

TEST_F(IiifPresentation2Book, DescriptiveTextInEveryLanguage) {
  EXPECT_EQ(manifest.presentation_version, 2);
  EXPECT_EQ(first(manifest.label, "zh-Hant"), "夢溪筆談");
  EXPECT_EQ(first(manifest.label, "en"), "Brush Talks from Dream Brook");
  EXPECT_EQ(manifest.label.best("zh-CN"), "夢溪筆談");  // the same language in another script or region
  EXPECT_EQ(first(manifest.summary, "none"), "Thread-bound, read right to left; made for Pavilion's tests.");
  ASSERT_EQ(manifest.metadata.size(), 2u);
  EXPECT_EQ(first(manifest.metadata[0].label, "none"), "Date");
  EXPECT_EQ(first(manifest.metadata[1].label, "zh-Hant"), "作者");
  EXPECT_EQ(first(manifest.metadata[1].value, "en"), "Shen Kuo");
  ASSERT_TRUE(manifest.required_statement);
  EXPECT_EQ(first(manifest.required_statement->label, "en"), "Attribution");
  EXPECT_EQ(first(manifest.required_statement->value, "none"), "Pavilion test library");
  EXPECT_EQ(manifest.rights, std::vector<std::string>{"https://creativecommons.org/publicdomain/zero/1.0/"});
  ASSERT_EQ(manifest.thumbnails.size(), 1u);
  EXPECT_EQ(manifest.thumbnails[0].id, "https://example.org/iiif/mengxi/cover/full/200,/0/default.jpg");
}

TEST_F(IiifPresentation2Book, DirectionBehaviorAndStart) {
  EXPECT_EQ(manifest.viewing_direction, book::ViewingDirection::right_to_left);
  EXPECT_EQ(manifest.layout, book::Layout::paged);
  ASSERT_EQ(manifest.canvases.size(), 6u);
  EXPECT_EQ(manifest.start_canvas, size_t{1});
  EXPECT_EQ(manifest.canvases[3].behavior, book::PageBehavior::non_paged);
}

TEST_F(IiifPresentation2Book, ImageServicesOfVersion2) {
  ASSERT_EQ(image(0).services.size(), 1u);
  EXPECT_EQ(image(0).services[0].id, "https://example.org/iiif/mengxi/cover");
  EXPECT_EQ(image(0).services[0].api_version, 2);
  EXPECT_EQ(image(0).services[0].level, 2);
  ASSERT_EQ(image(1).services.size(), 1u);
  EXPECT_EQ(image(1).services[0].level, 1);  // the profile as a list: its first item names the level
  EXPECT_EQ(image(1).width, 2000);
  EXPECT_TRUE(image(5).services.empty());
}

TEST_F(IiifPresentation2Book, PageWithoutImageIsAPlaceholderWithAWarning) {
  EXPECT_TRUE(manifest.canvases[2].placeholder());
  EXPECT_EQ(first(manifest.canvases[2].label, "none"), "第一葉下");
  const auto warning =
      std::find_if(manifest.warnings.begin(), manifest.warnings.end(),
                   [](const checking::Finding& finding) { return finding.location == "sequences[0].canvases[2]"; });
  ASSERT_NE(warning, manifest.warnings.end());
  EXPECT_EQ(warning->severity, checking::Finding::Severity::warning);
  EXPECT_NE(warning->message.find("placeholder"), std::string::npos);
  EXPECT_NE(warning->message_zh.find("占位"), std::string::npos);
}

TEST_F(IiifPresentation2Book, RegionRotationChoiceAndText) {
  const Image& map = image(3);
  EXPECT_EQ(map.id, "https://example.org/iiif/mengxi/map/full/full/0/default.jpg");
  ASSERT_TRUE(map.region);
  EXPECT_EQ(*map.region, (Region{100, 150, 2000, 3000}));
  EXPECT_EQ(map.rotation_degrees, 90);
  EXPECT_EQ(map.services.at(0).level, 0);
  const Painting& choice = manifest.canvases[4].paintings.at(0);
  ASSERT_EQ(choice.options.size(), 2u);
  EXPECT_EQ(first(choice.options[0].label, "none"), "visible light");  // the default first
  EXPECT_EQ(first(choice.options[1].label, "none"), "ultraviolet");
  ASSERT_TRUE(choice.options[0].target);
  EXPECT_EQ(*choice.options[0].target, (Region{0, 0, 2000, 3000}));
  ASSERT_EQ(manifest.canvases[1].see_also.size(), 1u);
  EXPECT_EQ(manifest.canvases[1].see_also[0].text, Link::Text::alto);
  EXPECT_EQ(manifest.see_also.at(0).text, Link::Text::none);
  // The annotation list in another file is named in a note, not fetched.
  EXPECT_TRUE(std::any_of(manifest.warnings.begin(), manifest.warnings.end(), [](const checking::Finding& finding) {
    return finding.severity == checking::Finding::Severity::note &&
           finding.location == "sequences[0].canvases[4].otherContent[0]";
  }));
}

TEST_F(IiifPresentation2Book, RangesAsANestedTableOfContents) {
  ASSERT_EQ(manifest.ranges.size(), 1u);
  const Range& volume = manifest.ranges[0];
  EXPECT_EQ(first(volume.label, "zh-Hant"), "卷一");
  EXPECT_EQ(first(volume.label, "en"), "Volume 1");
  ASSERT_EQ(volume.children.size(), 2u);
  EXPECT_EQ(first(volume.children[0].label, "none"), "故事");
  EXPECT_EQ(volume.children[0].canvases, (std::vector<size_t>{1, 2}));
  EXPECT_EQ(volume.children[1].canvases, (std::vector<size_t>{4}));
}

TEST_F(IiifPresentation2Book, OpeningsReadRightToLeftWithTheFoldoutApart) {
  const book::Openings openings = book::compute_openings(manifest.page_sequence());
  ASSERT_EQ(openings.sequence.size(), 3u);
  // Cover alone on the left; then leaf 1's halves (1 on the right, 2 on the left); then 4 | 5.
  EXPECT_EQ(openings.sequence[0].left, (book::PagePart{0, book::PagePart::Part::whole}));
  EXPECT_FALSE(openings.sequence[0].right);
  EXPECT_EQ(openings.sequence[1].right, (book::PagePart{1, book::PagePart::Part::whole}));
  EXPECT_EQ(openings.sequence[1].left, (book::PagePart{2, book::PagePart::Part::whole}));
  EXPECT_EQ(openings.sequence[2].right, (book::PagePart{4, book::PagePart::Part::whole}));
  ASSERT_EQ(openings.foldouts.size(), 1u);
  EXPECT_EQ(openings.foldouts[0].parts.at(0).page, 3u);
  EXPECT_EQ(openings.opening_for_page(*manifest.start_canvas), size_t{1});
  EXPECT_EQ(openings.opening_for_page(manifest.ranges[0].children[1].canvases[0]), size_t{2});
}

}  // namespace
}  // namespace pavilion::iiif

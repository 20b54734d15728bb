// A folder of scans with a book.json (content_tools/iiif/scan_folder.h): pages in the natural
// order of their names, the description read into the manifest model, and a description's
// problems at their JSON paths in English and Chinese.
#include "pavilion/iiif/scan_folder.h"

#include <gtest/gtest.h>

#include <fstream>

#include "pavilion/core/png.h"
#include "temporary_folder.h"

namespace pavilion::iiif {
namespace {

namespace fs = std::filesystem;

void write_scans(const fs::path& folder, std::initializer_list<const char*> names) {
  uint32_t width = 30;
  for (const char* name : names) {
    ASSERT_TRUE(write_png(folder / name, ImageRgba8(width++, 40)).ok()) << name;
  }
}

std::vector<std::string> ids(const Manifest& manifest) {
  std::vector<std::string> result;
  for (const Canvas& canvas : manifest.canvases) result.push_back(canvas.id);
  return result;
}

TEST(IiifScanFolder, NaturalOrderComparesNumbersByValue) {
  EXPECT_TRUE(natural_less("page2.jpg", "page10.jpg"));
  EXPECT_FALSE(natural_less("page10.jpg", "page2.jpg"));
  EXPECT_TRUE(natural_less("p7.jpg", "p007.jpg") != natural_less("p007.jpg", "p7.jpg"));  // total, by spelling
  EXPECT_TRUE(natural_less("leaf1b.tif", "leaf2a.tif"));
  EXPECT_TRUE(natural_less("vol1-p99.png", "vol2-p1.png"));
  EXPECT_TRUE(natural_less("a.png", "a1.png"));
}

TEST(IiifScanFolder, ReadsTheDescriptionAndThePagesInNaturalOrder) {
  testing::TemporaryFolder folder;
  write_scans(folder.path(), {"page10.png", "page2.png", "page1.png", "page3.png"});
  std::ofstream(folder / "notes.txt") << "not a scan";
  std::ofstream(folder / "book.json") << R"({
    "title": {"zh-CN": "宋刻本《文选》", "en": "Selections of Refined Literature, Song edition"},
    "creator": {"zh-CN": "萧统 编", "en": "Compiled by Xiao Tong"},
    "date": "1127–1279",
    "viewingDirection": "right-to-left",
    "behavior": "paged",
    "leavesImagedWhole": true,
    "start": "page2.png",
    "pages": {
      "page1.png": {"label": {"zh-CN": "封面", "en": "Cover"}},
      "page3.png": {"label": "卷一 第二叶", "behavior": "facing-pages"},
      "page10.png": {"behavior": "non-paged"}
    }
  })";
  const Result<ScanFolder> read = read_scan_folder(folder.path());
  ASSERT_TRUE(read.ok()) << read.error().describe();
  const Manifest& manifest = read->manifest;
  EXPECT_EQ(ids(manifest), (std::vector<std::string>{"page1.png", "page2.png", "page3.png", "page10.png"}));
  EXPECT_EQ(manifest.label.best("zh-CN"), "宋刻本《文选》");
  EXPECT_EQ(manifest.label.best("en"), "Selections of Refined Literature, Song edition");
  ASSERT_EQ(manifest.metadata.size(), 2u);
  EXPECT_EQ(manifest.metadata[0].value.best("zh-CN"), "萧统 编");
  EXPECT_EQ(manifest.metadata[1].label.best("en"), "Date");
  EXPECT_EQ(manifest.metadata[1].value.best("en"), "1127–1279");
  EXPECT_EQ(manifest.viewing_direction, book::ViewingDirection::right_to_left);
  EXPECT_EQ(manifest.layout, book::Layout::paged);
  EXPECT_EQ(manifest.start_canvas, 1u);
  EXPECT_EQ(manifest.canvases[0].label.best("en"), "Cover");
  EXPECT_EQ(manifest.canvases[1].label.best("en"), "page2");  // unlabelled: its file's name
  EXPECT_EQ(manifest.canvases[2].label.best("zh-CN"), "卷一 第二叶");
  EXPECT_EQ(manifest.canvases[2].behavior, book::PageBehavior::facing_pages);
  EXPECT_EQ(manifest.canvases[3].behavior, book::PageBehavior::non_paged);
  // Each canvas as large as its scan (page1.png was written third: 32 pixels wide).
  EXPECT_EQ(manifest.canvases[0].width, 32);
  EXPECT_EQ(manifest.canvases[0].height, 40);
  EXPECT_EQ(manifest.canvases[3].width, 30);
  ASSERT_EQ(manifest.canvases[0].paintings.size(), 1u);
  EXPECT_EQ(read->files.at("page10.png"), folder / "page10.png");
  EXPECT_EQ(read->files.size(), 4u);
  const book::PageSequence sequence = read->page_sequence();
  EXPECT_TRUE(sequence.leaves_imaged_whole);
  EXPECT_EQ(sequence.direction, book::ViewingDirection::right_to_left);
  EXPECT_EQ(sequence.pages.size(), 4u);
}

TEST(IiifScanFolder, APagesTextIsItsCanvassSeeAlsoTellingAltoFromHocr) {
  testing::TemporaryFolder folder;
  write_scans(folder.path(), {"leaf1.png", "leaf2.png", "leaf3.png"});
  std::ofstream(folder / "leaf1.alto.xml") << "<alto/>";
  std::ofstream(folder / "leaf2.HOCR") << "<html/>";
  std::ofstream(folder / "book.json") << R"({
    "title": {"zh-CN": "论语", "en": "The Analects"},
    "pages": {
      "leaf1.png": {"label": "一", "text": "leaf1.alto.xml"},
      "leaf2.png": {"text": "leaf2.HOCR"}
    }
  })";
  const Result<ScanFolder> read = read_scan_folder(folder.path());
  ASSERT_TRUE(read.ok()) << read.error().describe();
  const std::vector<Canvas>& canvases = read->manifest.canvases;
  ASSERT_EQ(canvases[0].see_also.size(), 1u);
  EXPECT_EQ(canvases[0].see_also[0].id, "leaf1.alto.xml");  // pack finds it beside the scans by name
  EXPECT_EQ(canvases[0].see_also[0].text, Link::Text::alto);
  EXPECT_EQ(canvases[0].label.best("zh-CN"), "一");
  ASSERT_EQ(canvases[1].see_also.size(), 1u);
  EXPECT_EQ(canvases[1].see_also[0].text, Link::Text::hocr);
  EXPECT_TRUE(canvases[2].see_also.empty());
}

TEST(IiifScanFolder, APagesTextMustBeAltoOrHocrBesideTheScans) {
  testing::TemporaryFolder folder;
  write_scans(folder.path(), {"leaf1.png", "leaf2.png", "leaf3.png"});
  std::ofstream(folder / "leaf1.txt") << "子曰";
  fs::create_directories(folder / "text");
  std::ofstream(folder / "text" / "leaf3.xml") << "<alto/>";
  std::vector<checking::Finding> findings;
  const auto book = parse_scan_folder(R"({
    "title": {"zh-CN": "论语", "en": "The Analects"},
    "pages": {
      "leaf1.png": {"text": "leaf1.txt"},
      "leaf2.png": {"text": "leaf2.alto.xml"},
      "leaf3.png": {"text": "text/leaf3.xml"}
    }
  })",
                                      folder / "book.json", folder.path(), findings);
  EXPECT_FALSE(book.has_value());
  std::map<std::string, const checking::Finding*> errors;
  for (const checking::Finding& finding : findings) {
    if (finding.severity == checking::Finding::Severity::error) errors[finding.location] = &finding;
  }
  ASSERT_EQ(errors.size(), 3u);
  ASSERT_TRUE(errors.contains("pages.leaf1.png.text"));
  EXPECT_NE(errors["pages.leaf1.png.text"]->message.find("'leaf1.txt' is not a page's text"), std::string::npos)
      << errors["pages.leaf1.png.text"]->message;
  EXPECT_NE(errors["pages.leaf1.png.text"]->message_zh.find("不是书页的文字"), std::string::npos);
  // Missing, and not beside the scans (pack looks for it there by name): each named.
  ASSERT_TRUE(errors.contains("pages.leaf2.png.text"));
  EXPECT_NE(errors["pages.leaf2.png.text"]->message.find("no text file named 'leaf2.alto.xml'"), std::string::npos)
      << errors["pages.leaf2.png.text"]->message;
  EXPECT_NE(errors["pages.leaf2.png.text"]->message_zh.find("leaf2.alto.xml"), std::string::npos);
  ASSERT_TRUE(errors.contains("pages.leaf3.png.text"));
  EXPECT_NE(errors["pages.leaf3.png.text"]->message.find("'text/leaf3.xml'"), std::string::npos);
}

// A page's commentary and seals (#17 item 4): plain-text annotations on regions of its scan, read
// with the same fields as scene.json's book annotations, for the kiosk's layers.
TEST(IiifScanFolder, APagesAnnotationsAreItsCanvassCommentaryAndSeals) {
  testing::TemporaryFolder folder;
  write_scans(folder.path(), {"leaf1.png", "leaf2.png"});
  std::ofstream(folder / "book.json") << R"({
    "title": {"zh-CN": "论语", "en": "The Analects"},
    "pages": {
      "leaf2.png": {"annotations": [
        {"motivation": "commenting", "region": [2, 3, 10, 20], "text": "學之為言效也", "language": "zh-Hant"},
        {"motivation": "tagging", "region": [20, 25, 11, 15], "text": "松風閣藏"}
      ]}
    }
  })";
  const Result<ScanFolder> read = read_scan_folder(folder.path());
  ASSERT_TRUE(read.ok()) << read.error().describe();
  const std::vector<Canvas>& canvases = read->manifest.canvases;
  EXPECT_TRUE(canvases[0].texts.empty());
  ASSERT_EQ(canvases[1].texts.size(), 2u);
  const TextAnnotation& note = canvases[1].texts[0];
  EXPECT_EQ(note.motivation, "commenting");
  EXPECT_EQ(note.value, "學之為言效也");
  EXPECT_EQ(note.language, "zh-Hant");
  EXPECT_EQ(note.format, "text/plain");
  EXPECT_EQ(note.target, (Region{2, 3, 10, 20}));
  const TextAnnotation& seal = canvases[1].texts[1];
  EXPECT_EQ(seal.motivation, "tagging");
  EXPECT_EQ(seal.value, "松風閣藏");
  EXPECT_EQ(seal.language, "");  // not given
  EXPECT_EQ(seal.target, (Region{20, 25, 11, 15}));  // to the scan's edge (31 × 40): inside
}

// Each annotation's mistakes at its JSON path in both languages, as scene.json's are: a region
// without a size or past the scan's edge, a motivation that is no layer's, a missing text.
TEST(IiifScanFolder, APagesAnnotationsAreCheckedAtTheirJsonPath) {
  testing::TemporaryFolder folder;
  write_scans(folder.path(), {"leaf1.png", "leaf2.png"});
  std::vector<checking::Finding> findings;
  const auto book = parse_scan_folder(R"({
    "title": {"zh-CN": "论语", "en": "The Analects"},
    "pages": {
      "leaf1.png": {"annotations": [
        {"motivation": "tagging", "region": [1, 2, 0, 4], "text": "印"},
        {"motivation": "painting", "region": [1, 2, 3, 4], "text": "印"},
        {"motivation": "commenting", "region": [25, 2, 10, 4], "text": "朱批"},
        {"motivation": "commenting", "region": [1, 2, 3, 4]},
        {"motivation": "commenting", "region": [1, 2, 3, 4], "text": "朱批", "langauge": "zh-Hant"}
      ]},
      "leaf2.png": {"annotations": {"motivation": "tagging"}}
    }
  })",
                                      folder / "book.json", folder.path(), findings);
  EXPECT_FALSE(book.has_value());
  std::map<std::string, const checking::Finding*> errors, warnings;
  for (const checking::Finding& finding : findings) {
    (finding.severity == checking::Finding::Severity::error ? errors : warnings)[finding.location] = &finding;
    EXPECT_FALSE(finding.message_zh.empty()) << finding.location;
  }
  EXPECT_EQ(errors.size(), 5u);
  const std::string first = "pages.leaf1.png.annotations[0].region";
  ASSERT_TRUE(errors.contains(first));
  EXPECT_NE(errors[first]->message.find("width and height above 0"), std::string::npos) << errors[first]->message;
  EXPECT_NE(errors[first]->message_zh.find("宽和高大于 0"), std::string::npos);
  const std::string painting = "pages.leaf1.png.annotations[1].motivation";
  ASSERT_TRUE(errors.contains(painting));
  EXPECT_NE(errors[painting]->message.find("tagging or identifying (a seal)"), std::string::npos) << errors[painting]->message;
  const std::string beyond = "pages.leaf1.png.annotations[2].region";
  ASSERT_TRUE(errors.contains(beyond));  // leaf1.png is 30 pixels wide
  EXPECT_NE(errors[beyond]->message.find("beyond the scan, which is 30 × 40 pixels"), std::string::npos) << errors[beyond]->message;
  EXPECT_NE(errors[beyond]->message_zh.find("超出了扫描图像的范围"), std::string::npos);
  EXPECT_TRUE(errors.contains("pages.leaf1.png.annotations[3].text"));
  EXPECT_TRUE(errors.contains("pages.leaf2.png.annotations"));
  ASSERT_TRUE(warnings.contains("pages.leaf1.png.annotations[4].langauge"));
  EXPECT_NE(warnings["pages.leaf1.png.annotations[4].langauge"]->message.find("language"), std::string::npos);
}

TEST(IiifScanFolder, DescriptionErrorsNameTheirFieldInBothLanguages) {
  testing::TemporaryFolder folder;
  write_scans(folder.path(), {"leaf1.png", "leaf2.png"});
  std::vector<checking::Finding> findings;
  const auto book = parse_scan_folder(R"({
    "creator": {"zh-CN": "佚名", "en": "Anonymous"},
    "viewingDirection": "right-to-left-please",
    "behaviour": "paged",
    "pages": {"leaf3.png": {"label": "3"}, "leaf1.png": {"behavior": "folded"}},
    "start": "leaf9.png"
  })",
                                      folder / "book.json", folder.path(), findings);
  EXPECT_FALSE(book.has_value());
  std::map<std::string, const checking::Finding*> errors, warnings;
  for (const checking::Finding& finding : findings) {
    (finding.severity == checking::Finding::Severity::error ? errors : warnings)[finding.location] = &finding;
    EXPECT_FALSE(finding.message.empty());
    EXPECT_FALSE(finding.message_zh.empty()) << finding.location;
  }
  for (const char* location : {"title", "viewingDirection", "pages.leaf3.png", "pages.leaf1.png.behavior", "start"}) {
    EXPECT_TRUE(errors.contains(location)) << location;
  }
  // A misspelt field is named with the one meant.
  ASSERT_TRUE(warnings.contains("behaviour"));
  EXPECT_NE(warnings["behaviour"]->message.find("behavior"), std::string::npos) << warnings["behaviour"]->message;
  ASSERT_TRUE(errors.contains("viewingDirection"));
  EXPECT_NE(errors["viewingDirection"]->message.find("'right-to-left-please' is not a reading direction"),
            std::string::npos);
  EXPECT_NE(errors["viewingDirection"]->message_zh.find("不是阅读方向"), std::string::npos);
  ASSERT_TRUE(errors.contains("pages.leaf3.png"));
  EXPECT_NE(errors["pages.leaf3.png"]->message.find("no scan named 'leaf3.png'"), std::string::npos);

  // A folder without scans, and a description that is not JSON.
  testing::TemporaryFolder empty;
  std::ofstream(empty / "book.json") << R"({"title": {"zh-CN": "空", "en": "Empty"}})";
  const Result<ScanFolder> none = read_scan_folder(empty.path());
  ASSERT_FALSE(none.ok());
  EXPECT_NE(none.error().describe().find("holds no scans"), std::string::npos) << none.error().describe();
  EXPECT_NE(none.error().describe().find("没有扫描图像"), std::string::npos);
  std::ofstream(empty / "book.json") << R"({"title": )";
  EXPECT_FALSE(read_scan_folder(empty.path()).ok());
}

}  // namespace
}  // namespace pavilion::iiif

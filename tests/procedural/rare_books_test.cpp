// The sample rare books (content_tools/procedural/rare_books.h): read back through the IIIF
// importer as a curator's folder and manifest would be, printed where a woodblock prints, each
// leaf's text read back from its ALTO column by column, and the same bytes on every run.
#include "pavilion/core/file.h"
#include "pavilion/iiif/page_images.h"
#include "pavilion/iiif/scan_folder.h"
#include "pavilion/page_text/page_text.h"
#include "pavilion/procedural/rare_books.h"
#include "pavilion/pyramid/scan.h"
#include "temporary_folder.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>

namespace pavilion::procedural {
namespace {

constexpr uint32_t small_height = 600;
const std::filesystem::path codex_fixture = PAVILION_IIIF_FIXTURES "/0009-book-1--manifest.json";

struct Pixels {
  uint32_t width = 0, height = 0;
  std::vector<uint8_t> rgba;
  std::array<int, 3> at(uint32_t x, uint32_t y) const {
    const uint8_t* p = &rgba[(size_t{y} * width + x) * 4];
    return {p[0], p[1], p[2]};
  }
  // The share of pixels in the square of `half` around (x, y) that are seal red.
  double red_share(uint32_t cx, uint32_t cy, uint32_t half) const {
    return red_share(iiif::Region{static_cast<double>(cx - half), static_cast<double>(cy - half), 2.0 * half, 2.0 * half});
  }
  // The same, over a region of the picture.
  double red_share(const iiif::Region& region) const {
    int red = 0, all = 0;
    for (auto y = static_cast<uint32_t>(region.y); y < static_cast<uint32_t>(region.y + region.height); ++y) {
      for (auto x = static_cast<uint32_t>(region.x); x < static_cast<uint32_t>(region.x + region.width); ++x) {
        const auto [r, g, b] = at(x, y);
        red += (r > g + 60 && r > b + 60) ? 1 : 0;
        ++all;
      }
    }
    return all > 0 ? static_cast<double>(red) / all : 0.0;
  }
};

Pixels decode(const std::filesystem::path& file) {
  auto scan = pyramid::open_scan(file);
  EXPECT_TRUE(scan.ok()) << scan.error().describe();
  if (!scan.ok()) return {};
  Pixels pixels{(*scan)->width(), (*scan)->height(), {}};
  pixels.rgba.resize(size_t{pixels.width} * pixels.height * 4);
  EXPECT_TRUE((*scan)->read_rows(pixels.height, pixels.rgba).ok());
  return pixels;
}

// Where the block's parts lie on a leaf `height` high (thread_bound_book.cpp's Geometry).
struct Block {
  explicit Block(uint32_t height) : h(static_cast<float>(height)) {}
  float h;
  float width() const { return std::round(h * 1.36f); }
  float fold() const { return width() * (0.5f + thread_bound_spine_offset); }
  float top() const { return h * 0.16f; }
  float bottom() const { return h * 0.86f; }
  float character_pitch() const { return (bottom() - top()) / 17; }
  float pitch() const { return character_pitch() * 0.93f * 1.52f; }
  float heart() const { return pitch() * 1.3f; }
  float right() const { return fold() + heart() / 2 + 9 * pitch(); }
  float cell_top(float cell) const { return top() + cell * character_pitch(); }
};

TEST(RareBooks, TheThreadBoundBookIsAFolderOfWholeLeavesReadRightToLeft) {
  testing::TemporaryFolder folder;
  const auto written = make_thread_bound_book(folder.path(), {.height = small_height, .leaves = 2});
  ASSERT_TRUE(written.ok()) << written.error().describe();
  EXPECT_EQ(written->size(), 5u);  // two leaves, their texts and book.json
  const auto book = iiif::read_scan_folder(folder.path());
  ASSERT_TRUE(book.ok()) << book.error().describe();
  EXPECT_TRUE(book->leaves_imaged_whole);
  EXPECT_EQ(book->manifest.viewing_direction, book::ViewingDirection::right_to_left);
  EXPECT_EQ(book->manifest.layout, book::Layout::paged);
  ASSERT_EQ(book->manifest.canvases.size(), 2u);
  for (const iiif::Canvas& canvas : book->manifest.canvases) {
    EXPECT_EQ(canvas.width, static_cast<int>(Block(small_height).width()));
    EXPECT_EQ(canvas.height, static_cast<int>(small_height));
  }
  EXPECT_EQ(book->manifest.canvases[1].label.best("zh-CN"), "卷一 第二葉");
  ASSERT_EQ(book->manifest.canvases[1].see_also.size(), 1u);
  EXPECT_EQ(book->manifest.canvases[1].see_also[0].id, "leaf02.alto.xml");
  EXPECT_EQ(book->manifest.canvases[1].see_also[0].text, iiif::Link::Text::alto);
  EXPECT_TRUE(book->page_sequence().leaves_imaged_whole);
}

TEST(RareBooks, EachLeafsTextIsItsColumnsAsTheyWereSet) {
  testing::TemporaryFolder folder;
  ASSERT_TRUE(make_thread_bound_book(folder.path(), {.height = small_height, .leaves = 1}).ok());
  const auto text = page_text::read_page_text_file(folder / "leaf01.alto.xml", {});
  ASSERT_TRUE(text.ok()) << text.error().describe();
  const Block block(small_height);
  EXPECT_EQ(text->size, (page_text::PixelSize{static_cast<uint32_t>(block.width()), small_height}));
  // Every column of both half-leaves, right half first: the title, the chapter's heading set two
  // characters down, then 學而's first saying, seventeen characters to the column.
  ASSERT_EQ(text->lines.size(), 18u);
  for (size_t i = 0; i < text->lines.size(); ++i) {
    EXPECT_EQ(text->lines[i].direction, page_text::WritingDirection::vertical_right_to_left) << i;
    EXPECT_EQ(text->lines[i].language, "zh-Hant") << i;
    EXPECT_EQ(text->lines[i].reading_order, i);
  }
  EXPECT_EQ(text->lines[0].text, "論語集註卷一");
  EXPECT_EQ(text->lines[1].text, "學而第一");
  EXPECT_EQ(text->lines[2].text, "子曰學而時習之不亦說乎有朋自遠方來");
  EXPECT_EQ(text->lines[3].text, "不亦樂乎人不知而不慍不亦君子乎");
  // Each region is its column between the rules, from its first character's cell to its last's.
  const page_text::Region title = text->lines[0].region;
  EXPECT_NEAR(title.x + title.width, block.right(), 1.0);
  EXPECT_NEAR(title.width, block.pitch(), 1.0);
  EXPECT_NEAR(title.y, block.top(), 1.0);
  EXPECT_NEAR(title.y + title.height, block.cell_top(6), 1.0);
  EXPECT_NEAR(text->lines[1].region.y, block.cell_top(2), 1.0);
  EXPECT_NEAR(text->lines[2].region.y + text->lines[2].region.height, block.bottom(), 1.0);
  // The back half's first column lies left of the block heart.
  const page_text::Region back = text->lines[9].region;
  EXPECT_NEAR(back.x + back.width, block.fold() - block.heart() / 2, 1.0);
}

TEST(RareBooks, TheLeavesArePrintedWhereAWoodblockPrintsAndSealedOnTheFirst) {
  testing::TemporaryFolder folder;
  ASSERT_TRUE(make_thread_bound_book(folder.path(), {.height = small_height, .leaves = 2}).ok());
  const Pixels first = decode(folder / "leaf01.jpg");
  const Pixels second = decode(folder / "leaf02.jpg");
  ASSERT_EQ(first.height, small_height);
  const Block block(small_height);
  // Paper in the margin: warm (red over green over blue) and light.
  const auto [r, g, b] = first.at(40, 300);
  EXPECT_GT(r, g);
  EXPECT_GT(g, b);
  EXPECT_GT(r + g + b, 3 * 150);
  // The fish tail, solid black beside the fold, just under a sixth of the block down.
  const auto tail_y = static_cast<uint32_t>(block.top() + (block.bottom() - block.top()) * 0.17f + block.h * 0.034f * 0.25f);
  const auto [tr, tg, tb] = first.at(static_cast<uint32_t>(block.fold() - block.heart() * 0.3f), tail_y);
  EXPECT_LT(tr + tg + tb, 3 * 90);
  // The first column, the volume's title: ink in its first cell, the column's centre.
  int inked = 0;
  const auto column_x = static_cast<uint32_t>(block.right() - block.pitch() / 2);
  for (uint32_t y = static_cast<uint32_t>(block.top()); y < static_cast<uint32_t>(block.top() + block.character_pitch()); ++y) {
    for (uint32_t x = column_x - 8; x < column_x + 8; ++x) {
      const auto [ir, ig, ib] = first.at(x, y);
      inked += ir + ig + ib < 3 * 100 ? 1 : 0;
    }
  }
  EXPECT_GT(inked, 20);
  // The collector's seal under it, across the first two columns; none there on the next leaf.
  const auto seal_x = static_cast<uint32_t>(block.right() - block.pitch());
  const auto seal_y = static_cast<uint32_t>(block.top() + 12.7f * block.character_pitch());
  EXPECT_GT(first.red_share(seal_x, seal_y, 20), 0.35);
  EXPECT_LT(second.red_share(seal_x, seal_y, 20), 0.05);
}

// The red a later hand added is written down as well as printed (#17 item 4): each leaf's notes as
// commentary and its seals as seals, on the pixels where their ink lies, so the kiosk's layer
// switches show them.
TEST(RareBooks, TheRedNotesAndSealsAreTheLeavesAnnotationsWhereTheirInkLies) {
  testing::TemporaryFolder folder;
  ASSERT_TRUE(make_thread_bound_book(folder.path(), {.height = small_height, .leaves = 2}).ok());
  const auto book = iiif::read_scan_folder(folder.path());
  ASSERT_TRUE(book.ok()) << book.error().describe();
  const Pixels first = decode(folder / "leaf01.jpg");
  const Pixels last = decode(folder / "leaf02.jpg");
  const auto seals = [](const iiif::Canvas& canvas) {
    std::vector<const iiif::TextAnnotation*> found;
    for (const iiif::TextAnnotation& text : canvas.texts) {
      if (text.motivation == "tagging") found.push_back(&text);
    }
    return found;
  };
  const iiif::Canvas& leaf1 = book->manifest.canvases[0];
  ASSERT_EQ(seals(leaf1).size(), 1u);
  const iiif::TextAnnotation& seal = *seals(leaf1)[0];
  EXPECT_EQ(seal.value, "松風閣藏");
  ASSERT_TRUE(seal.target);
  // A square of red paste with white characters cut into it, across the first two columns.
  EXPECT_NEAR(seal.target->width, seal.target->height, 2.0);
  EXPECT_NEAR(seal.target->width, Block(small_height).pitch() * 1.75, 3.0);
  EXPECT_GT(first.red_share(*seal.target), 0.5);
  // 學而's first saying has notes: 眉批 above the column, 旁批 beside it.
  EXPECT_GE(leaf1.texts.size(), 4u);
  EXPECT_EQ(leaf1.texts[0].motivation, "commenting");
  EXPECT_EQ(leaf1.texts[0].value, "學之為言效也");
  EXPECT_EQ(leaf1.texts[0].language, "zh-Hant");
  EXPECT_LT(leaf1.texts[0].target->y + leaf1.texts[0].target->height, Block(small_height).top()) << "in the top margin";
  // The heir's seal on the last leaf: red characters in a red border, so less of it is red.
  ASSERT_EQ(seals(book->manifest.canvases[1]).size(), 1u);
  const iiif::TextAnnotation& heir = *seals(book->manifest.canvases[1])[0];
  EXPECT_EQ(heir.value, "子孫永寶");
  EXPECT_GT(last.red_share(*heir.target), 0.25);
}

// A note's strokes are a few pixels wide on a small leaf, too pale in a JPEG to tell: on the
// build's own leaf (5 000 pixels high) each note's region holds its red brush strokes.
TEST(RareBooks, TheBuildsNotesLieOnTheirRedInk) {
  const std::filesystem::path folder = std::filesystem::path(PAVILION_RARE_BOOKS_DIR) / "thread_bound";
  const auto book = iiif::read_scan_folder(folder);
  ASSERT_TRUE(book.ok()) << book.error().describe();
  const Pixels first = decode(folder / "leaf01.jpg");
  size_t notes = 0;
  for (const iiif::TextAnnotation& text : book->manifest.canvases[0].texts) {
    if (text.motivation != "commenting") continue;
    ++notes;
    ASSERT_TRUE(text.target);
    EXPECT_GT(first.red_share(*text.target), 0.04) << text.value;
    EXPECT_EQ(first.red_share({100, 2500, text.target->width, text.target->height}), 0.0) << "none in the margin";
  }
  EXPECT_GE(notes, 3u);
}

TEST(RareBooks, EveryRunWritesTheSameBytes) {
  testing::TemporaryFolder folder;
  for (const std::string run : {"one", "two"}) {
    ASSERT_TRUE(make_thread_bound_book(folder / run, {.height = 300, .leaves = 1}).ok());
    ASSERT_TRUE(make_western_codex(codex_fixture, folder / run / "codex", {.scale = 0.05f}).ok());
  }
  for (const std::filesystem::path file : {"leaf01.jpg", "leaf01.alto.xml", "book.json", "codex/manifest.json",
                                           "codex/59d09e6773341f28ea166e9f3c1e674f-gallica_ark_12148_bpt6k1526005v_f19.jpg"}) {
    EXPECT_EQ(read_file(folder / "one" / file).value(), read_file(folder / "two" / file).value()) << file;
  }
}

TEST(RareBooks, TheCodexsPagesAreFoundBesideItsManifestWithoutANetwork) {
  testing::TemporaryFolder folder;
  const auto written = make_western_codex(codex_fixture, folder.path(), {.scale = 0.05f});
  ASSERT_TRUE(written.ok()) << written.error().describe();
  const auto manifest = iiif::read_manifest(folder / "manifest.json");
  ASSERT_TRUE(manifest.ok()) << manifest.error().describe();
  const iiif::PageImages images = iiif::resolve_page_images(*manifest, {.folder = folder.path()});
  EXPECT_TRUE(images.warnings.empty());
  ASSERT_EQ(images.canvases.size(), 5u);
  for (const iiif::ResolvedCanvas& canvas : images.canvases) {
    ASSERT_EQ(canvas.paintings.size(), 1u);
    ASSERT_TRUE(canvas.paintings[0].has_value());
    EXPECT_EQ(canvas.paintings[0]->source, iiif::PageImage::Source::folder);
    EXPECT_EQ(canvas.paintings[0]->media_type, "image/jpeg");
  }
}

TEST(RareBooks, TheBuildsBooksAreReadyToPack) {
  const std::filesystem::path assets = PAVILION_RARE_BOOKS_DIR;
  const auto book = iiif::read_scan_folder(assets / "thread_bound");
  ASSERT_TRUE(book.ok()) << book.error().describe();
  ASSERT_EQ(book->manifest.canvases.size(), 4u);
  EXPECT_EQ(book->manifest.canvases[0].width, 6800);
  EXPECT_EQ(book->manifest.canvases[0].height, 5000);
  for (const iiif::Canvas& canvas : book->manifest.canvases) EXPECT_EQ(canvas.see_also.size(), 1u) << canvas.id;
  const auto manifest = iiif::read_manifest(assets / "codex" / "manifest.json");
  ASSERT_TRUE(manifest.ok()) << manifest.error().describe();
  const iiif::PageImages images = iiif::resolve_page_images(*manifest, {.folder = assets / "codex"});
  EXPECT_TRUE(images.warnings.empty());
  EXPECT_TRUE(std::filesystem::exists(std::filesystem::path(PAVILION_RARE_BOOKS_DIR).parent_path() / "scene.json"));
}

}  // namespace
}  // namespace pavilion::procedural

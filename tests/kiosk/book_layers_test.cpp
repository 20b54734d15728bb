// The book's layers and its reading aloud, without a screen (#17 items 4 and 5; kiosk/README.md,
// "Books"): which annotations are commentary and which seals, the geometry each layer hangs on
// the page when switched on (and nothing when off), the line read outlined, the line heard by the
// reading's clock, and which pages of an opening are read.
#include "exhibits/book/book_layers.h"
#include "exhibits/book/book_reading_aloud.h"

#include <gtest/gtest.h>
#include <imgui.h>

#include <algorithm>

namespace pavilion::kiosk {
namespace {

constexpr render::OverlayTextureId white = 3;
constexpr render::OverlayTextureId font_texture = 7;

// One page: a picture of 1000 × 1500 pixels on a canvas of twice that, laid 0.2 × 0.3 m on the
// cradle, with a note and a seal; and three text lines.
scene::Book annotated_book() {
  scene::Book book;
  scene::BookPage page;
  page.width = 1000;
  page.height = 1500;
  page.canvas_width = 2000;
  page.canvas_height = 3000;
  page.annotations = {
      {"commenting", "Zhu Xi says so", "en", "text/plain", scene::PageRegion{200, 300, 600, 300}},
      {"tagging", "Songfeng", "en", "text/plain", scene::PageRegion{1400, 2400, 300, 300}},
  };
  page.lines = {{"one", {100, 100, 800, 50}, false, "en"},
                {"two", {100, 200, 800, 50}, false, "en"},
                {"three", {100, 300, 600, 50}, false, "en"}};
  book.pages.push_back(page);
  return book;
}

class BookLayerGeometry : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    atlas_ = new ImFontAtlas();
    font_ = atlas_->AddFontDefault();
    ASSERT_TRUE(atlas_->Build());
    atlas_->TexID = reinterpret_cast<ImTextureID>(static_cast<uintptr_t>(font_texture));
  }
  static void TearDownTestSuite() {
    delete atlas_;
    atlas_ = nullptr;
  }

  std::span<const render::WorldOverlay> build(LayerSwitches switches, std::optional<ReadLine> read = {},
                                              render::PageCrop crop = {}, size_t times_shown = 1, const ImFont* font = font_) {
    render::PagePlacement placement;
    placement.size = {0.2f, 0.3f};
    placement.crop = crop;
    const std::array<ShownPage, 2> pages{ShownPage{0, placement}, ShownPage{0, placement}};
    return overlay_.build(book_, std::span(pages).first(times_shown), switches, read, layer_colors, white, font);
  }

  // The vertices of the draws sampling `texture`.
  static std::vector<render::OverlayVertex> vertices_of(const render::Overlay& overlay, render::OverlayTextureId texture) {
    std::vector<render::OverlayVertex> out;
    for (const render::OverlayDraw& draw : overlay.draws) {
      if (draw.texture != texture) continue;
      for (uint32_t index = draw.first_index; index < draw.first_index + draw.index_count; ++index) {
        out.push_back(overlay.vertices[static_cast<size_t>(draw.vertex_offset) + overlay.indices[index]]);
      }
    }
    return out;
  }

  static inline ImFontAtlas* atlas_ = nullptr;
  static inline ImFont* font_ = nullptr;
  scene::Book book_ = annotated_book();
  BookOverlay overlay_;
};

TEST(BookLayers, MotivationsSayWhichLayerAnAnnotationIsOn) {
  const scene::Book book = annotated_book();
  const auto& annotations = book.pages[0].annotations;
  EXPECT_EQ(layer_of(annotations[0]), AnnotationLayer::commentary);
  EXPECT_EQ(layer_of(annotations[1]), AnnotationLayer::seal);
  const scene::PageAnnotation painting{"painting", "transcribed", "", "", scene::PageRegion{0, 0, 10, 10}};
  EXPECT_EQ(layer_of(painting), AnnotationLayer::none) << "text painted on the page is the page itself, on no layer";
  EXPECT_TRUE(painted_text(painting));
  EXPECT_FALSE(painted_text(annotations[0]));
  EXPECT_EQ(layer_of({"commenting", "x", "", "", std::nullopt}), AnnotationLayer::commentary) << "a note on the whole page";
  EXPECT_EQ(layer_of({"tagging", "x", "", "", std::nullopt}), AnnotationLayer::none) << "a tag of the whole page is no seal";
  EXPECT_EQ(layer_of({"supplementing", "x", "", "", scene::PageRegion{}}), AnnotationLayer::commentary);
  EXPECT_EQ(layer_of({"identifying", "x", "", "", scene::PageRegion{}}), AnnotationLayer::seal);
  EXPECT_TRUE(book_has_layer(book, AnnotationLayer::seal));
  scene::Book plain = book;
  plain.pages[0].annotations.resize(1);
  EXPECT_FALSE(book_has_layer(plain, AnnotationLayer::seal));
}

// Off, nothing is hung; commentary on, its box lies on its region (canvas pixels scaled to the
// page's metres) with its text inside, on the page's plane a millimetre above the paper; off
// again, nothing.
TEST_F(BookLayerGeometry, CommentaryShowsOnItsRegionAndHidesAgain) {
  EXPECT_TRUE(build({}).empty());
  const auto shown = build({.commentary = true});
  ASSERT_EQ(shown.size(), 1u);
  const glm::vec4 corner = shown[0].plane_to_world * glm::vec4(0, 0, 0, 1);
  EXPECT_NEAR(corner.x, -0.1f, 1e-6f);
  EXPECT_NEAR(corner.y, 0.15f, 1e-6f);
  EXPECT_NEAR(corner.z, 0.001f, 1e-6f);
  const std::vector<render::OverlayVertex> flat = vertices_of(shown[0].overlay, white);
  ASSERT_FALSE(flat.empty());
  // The box first: (200, 300) to (800, 600) of the 2000 × 3000 canvas on 0.2 × 0.3 m.
  EXPECT_NEAR(flat[0].x, 0.02f, 1e-5f);
  EXPECT_NEAR(flat[0].y, 0.03f, 1e-5f);
  EXPECT_EQ(flat[0].rgba, layer_colors.box);
  const auto box_right = std::ranges::max_element(flat, {}, &render::OverlayVertex::x)->x;
  EXPECT_NEAR(box_right, 0.08f, 0.001f) << "the box and its edge";
  const std::vector<render::OverlayVertex> glyphs = vertices_of(shown[0].overlay, font_texture);
  // "Zhu Xi says so": eleven visible characters, six vertices each.
  EXPECT_EQ(glyphs.size(), 11u * 6);
  for (const render::OverlayVertex& vertex : glyphs) {
    EXPECT_GE(vertex.x, 0.02f);
    EXPECT_LE(vertex.x, 0.08f);
    EXPECT_GE(vertex.y, 0.03f);
    EXPECT_LE(vertex.y, 0.06f);
    EXPECT_EQ(vertex.rgba, layer_colors.commentary_ink);
  }
  EXPECT_TRUE(std::ranges::none_of(flat, [](const render::OverlayVertex& vertex) { return vertex.rgba == layer_colors.seal_edge; }))
      << "the seals are off";
  EXPECT_TRUE(build({}).empty());
}

// A seal's region outlined, its name on a line below it.
TEST_F(BookLayerGeometry, SealsAreOutlinedWithTheirNameBelow) {
  const auto shown = build({.seals = true});
  ASSERT_EQ(shown.size(), 1u);
  const std::vector<render::OverlayVertex> flat = vertices_of(shown[0].overlay, white);
  // (1400, 2400) to (1700, 2700) of the canvas: 0.14 to 0.17 m across, 0.24 to 0.27 m down.
  const auto edge = [](const render::OverlayVertex& vertex) { return vertex.rgba == layer_colors.seal_edge; };
  ASSERT_TRUE(std::ranges::any_of(flat, edge));
  float low_x = 1, high_x = 0;
  for (const render::OverlayVertex& vertex : flat) {
    if (!edge(vertex)) continue;
    low_x = std::min(low_x, vertex.x);
    high_x = std::max(high_x, vertex.x);
  }
  EXPECT_NEAR(low_x, 0.14f, 0.002f);
  EXPECT_NEAR(high_x, 0.17f, 0.002f);
  const std::vector<render::OverlayVertex> glyphs = vertices_of(shown[0].overlay, font_texture);
  EXPECT_EQ(glyphs.size(), 8u * 6) << "Songfeng";
  for (const render::OverlayVertex& vertex : glyphs) EXPECT_GT(vertex.y, 0.27f) << "below the seal";
  EXPECT_TRUE(std::ranges::all_of(glyphs, [](const render::OverlayVertex& vertex) { return vertex.rgba == layer_colors.seal_ink; }))
      << "the commentary is off";
}

// A page showing half its picture (a thread-bound half-leaf) carries what lies on that half,
// placed on it, and leaves out what lies on the other.
TEST_F(BookLayerGeometry, AHalfLeafCarriesOnlyWhatLiesOnItsHalf) {
  const render::PageCrop right_half{{0.5f, 0.0f}, {1.0f, 1.0f}};
  const auto shown = build({.commentary = true, .seals = true}, {}, right_half);
  ASSERT_EQ(shown.size(), 1u);
  const std::vector<render::OverlayVertex> flat = vertices_of(shown[0].overlay, white);
  EXPECT_TRUE(std::ranges::none_of(flat, [](const render::OverlayVertex& vertex) { return vertex.rgba == layer_colors.box_edge; }))
      << "the note lies on the left half";
  // The seal, 0.7 to 0.85 of the picture's width, on a half 0.2 m wide from 0.5: 0.08 to 0.14 m.
  float low_x = 1, high_x = 0;
  for (const render::OverlayVertex& vertex : flat) {
    if (vertex.rgba != layer_colors.seal_edge) continue;
    low_x = std::min(low_x, vertex.x);
    high_x = std::max(high_x, vertex.x);
  }
  EXPECT_NEAR(low_x, 0.08f, 0.002f);
  EXPECT_NEAR(high_x, 0.14f, 0.002f);
  const auto left = build({.commentary = true, .seals = true}, {}, render::PageCrop{{0.0f, 0.0f}, {0.5f, 1.0f}});
  ASSERT_EQ(left.size(), 1u);
  EXPECT_TRUE(std::ranges::none_of(vertices_of(left[0].overlay, white),
                                   [](const render::OverlayVertex& vertex) { return vertex.rgba == layer_colors.seal_edge; }))
      << "the seal lies on the right half";
}

// The glyph vertices' extent: lowest and highest x and y.
struct Extent {
  float left = 1e9f, top = 1e9f, right = -1e9f, bottom = -1e9f;
};
Extent extent_of(std::span<const render::OverlayVertex> vertices) {
  Extent extent;
  for (const render::OverlayVertex& vertex : vertices) {
    extent.left = std::min(extent.left, vertex.x);
    extent.right = std::max(extent.right, vertex.x);
    extent.top = std::min(extent.top, vertex.y);
    extent.bottom = std::max(extent.bottom, vertex.y);
  }
  return extent;
}

// A note on the whole page has no region to lie on: with commentary on, it is a slip across the
// page's foot (a margin of 1/25 of the page's height all round), a second note stacked above the
// first; a page shown twice (a leaf's two halves) carries them once; off, nothing.
TEST_F(BookLayerGeometry, NotesOnTheWholePageLieOnSlipsAtItsFoot) {
  book_.pages[0].annotations = {{"commenting", "on the whole page", "en", "text/plain", std::nullopt},
                                {"supplementing", "second", "en", "text/plain", std::nullopt}};
  EXPECT_TRUE(build({.seals = true}).empty());
  const auto shown = build({.commentary = true});
  ASSERT_EQ(shown.size(), 1u);
  const std::vector<render::OverlayVertex> flat = vertices_of(shown[0].overlay, white);
  ASSERT_FALSE(flat.empty());
  // The first slip: its box the first quad drawn, from the margin across to the other margin,
  // its bottom on the foot's margin.
  EXPECT_NEAR(flat[0].x, 0.012f, 1e-5f);
  EXPECT_NEAR(flat[1].x, 0.188f, 1e-5f);
  EXPECT_NEAR(flat[2].y, 0.288f, 1e-5f);
  EXPECT_EQ(flat[0].rgba, layer_colors.box);
  const std::vector<render::OverlayVertex> glyphs = vertices_of(shown[0].overlay, font_texture);
  ASSERT_EQ(glyphs.size(), (14u + 6u) * 6) << "\"onthewholepage\" and \"second\"";
  const Extent first = extent_of(std::span(glyphs).first(14 * 6)), second = extent_of(std::span(glyphs).subspan(14 * 6));
  EXPECT_GT(first.left, 0.012f);
  EXPECT_LT(first.right, 0.188f);
  EXPECT_LT(first.bottom, 0.288f);
  EXPECT_GT(first.top, 0.25f) << "at the page's foot";
  EXPECT_LT(second.bottom, first.top) << "the second note above the first";
  EXPECT_GT(second.top, 0.2f);
  const auto twice = build({.commentary = true}, {}, {}, 2);
  ASSERT_EQ(twice.size(), 1u) << "the page's second showing carries nothing";
  EXPECT_TRUE(build({}).empty());
}

// Text a manifest paints on a page is the page itself: drawn with every switch off, on its region;
// on a page without a picture it fills the leaf within its margins; on a page with a picture,
// text on the whole page is a slip at its foot, so the scan stays in view.
TEST_F(BookLayerGeometry, TextPaintedOnAPageIsShownWhateverTheSwitches) {
  book_.pages[0].annotations = {{"painting", "Chapter", "en", "text/plain", scene::PageRegion{200, 300, 1600, 300}}};
  auto shown = build({});
  ASSERT_EQ(shown.size(), 1u);
  Extent on_region = extent_of(vertices_of(shown[0].overlay, font_texture));
  EXPECT_EQ(vertices_of(shown[0].overlay, font_texture).size(), 7u * 6);
  EXPECT_GE(on_region.left, 0.02f);
  EXPECT_LE(on_region.right, 0.18f);
  EXPECT_GE(on_region.top, 0.03f);
  EXPECT_LE(on_region.bottom, 0.06f);

  book_.pages[0].annotations = {{"painting", "A page of text without a picture", "en", "text/plain", std::nullopt}};
  book_.pages[0].placeholder = true;
  shown = build({});
  ASSERT_EQ(shown.size(), 1u);
  const Extent leaf = extent_of(vertices_of(shown[0].overlay, font_texture));
  EXPECT_GE(leaf.left, 0.012f);
  EXPECT_LE(leaf.right, 0.188f);
  EXPECT_GT(leaf.right - leaf.left, 0.1f) << "as large as the leaf allows";
  EXPECT_LT(leaf.top, 0.05f) << "from the top of the leaf";

  book_.pages[0].placeholder = false;
  shown = build({});
  ASSERT_EQ(shown.size(), 1u);
  EXPECT_GT(extent_of(vertices_of(shown[0].overlay, font_texture)).top, 0.25f) << "on a slip at the foot";
}

// A Chinese note beside a column (旁批) on a tall, narrow strip is written as the book's own text
// is: down a column, further columns to the left; a Latin note on the same strip reads across.
TEST_F(BookLayerGeometry, AChineseNoteOnATallStripIsWrittenDownAColumn) {
  constexpr const char* note = "此句宜細讀";
  ImFontAtlas atlas;
  ImFontGlyphRangesBuilder ranges_builder;
  ranges_builder.AddText(note);
  ImVector<ImWchar> ranges;
  ranges_builder.BuildRanges(&ranges);
  ImFontConfig config;
  config.FontNo = 2;  // Noto Sans CJK's simplified Chinese face, the kiosk's own (engine/ui fonts.cpp)
  ImFont* cjk = atlas.AddFontFromFileTTF("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 32.0f, &config, ranges.Data);
  ASSERT_NE(cjk, nullptr) << "scripts/setup installs fonts-noto-cjk";
  ASSERT_TRUE(atlas.Build());
  atlas.TexID = reinterpret_cast<ImTextureID>(static_cast<uintptr_t>(font_texture));
  // A strip 100 × 1200 canvas pixels: 0.01 m wide, 0.12 m high on the page.
  book_.pages[0].annotations = {{"commenting", note, "zh", "text/plain", scene::PageRegion{1700, 300, 100, 1200}}};
  const auto shown = build({.commentary = true}, {}, {}, 1, cjk);
  ASSERT_EQ(shown.size(), 1u);
  const std::vector<render::OverlayVertex> glyphs = vertices_of(shown[0].overlay, font_texture);
  ASSERT_EQ(glyphs.size(), 5u * 6);
  for (size_t character = 0; character < 5; ++character) {
    const Extent one = extent_of(std::span(glyphs).subspan(character * 6, 6));
    EXPECT_GE(one.left, 0.17f) << "within the strip";
    EXPECT_LE(one.right, 0.18f);
    if (character > 0) {
      EXPECT_GT(one.top, extent_of(std::span(glyphs).subspan((character - 1) * 6, 6)).bottom - 1e-4f) << "below the one before";
    }
  }
  const Extent column = extent_of(glyphs);
  EXPECT_GT(column.bottom - column.top, 4 * (column.right - column.left)) << "a column, not a row";

  book_.pages[0].annotations[0].value = "Read this closely";
  const auto latin = build({.commentary = true}, {}, {}, 1, font_);
  ASSERT_EQ(latin.size(), 1u);
  const std::vector<render::OverlayVertex> letters = vertices_of(latin[0].overlay, font_texture);
  ASSERT_GE(letters.size(), 2u * 6);
  EXPECT_GT(letters[6].x, letters[0].x) << "the second letter to the right of the first";
}

// The line read is filled and outlined on its region of the image (pixels of 1000 × 1500 on 0.2 × 0.3 m).
TEST_F(BookLayerGeometry, TheLineReadIsOutlined) {
  EXPECT_TRUE(build({}, ReadLine{1, 0}).empty()) << "a page not shown";
  const auto shown = build({}, ReadLine{0, 1});
  ASSERT_EQ(shown.size(), 1u);
  const std::vector<render::OverlayVertex> flat = vertices_of(shown[0].overlay, white);
  ASSERT_EQ(flat.size(), 5u * 6) << "the line filled, then its four edges";
  EXPECT_EQ(flat[0].rgba, layer_colors.read_line_fill);
  EXPECT_NEAR(flat[0].y, 0.04f, 1e-5f);
  float low_y = 1, high_y = 0;
  for (const render::OverlayVertex& vertex : std::span(flat).subspan(6)) {
    EXPECT_EQ(vertex.rgba, layer_colors.read_line);
    low_y = std::min(low_y, vertex.y);
    high_y = std::max(high_y, vertex.y);
  }
  // Line two: 200 to 250 pixels down, outlined just outside (1.5 mm on a page 0.3 m high).
  EXPECT_NEAR(low_y, 0.04f - 0.0015f, 1e-5f);
  EXPECT_NEAR(high_y, 0.05f + 0.0015f, 1e-5f);
}

// The line heard follows the reading's clock: none before the first, each from its start on.
TEST(BookReading, TheLineHeardFollowsTheClock) {
  const std::vector<scene::SpokenLine> lines{{0.25f, 1.0f}, {1.5f, 2.5f}, {3.0f, 4.0f}};
  EXPECT_EQ(line_at(lines, 0.0), std::nullopt);
  EXPECT_EQ(line_at(lines, 0.25), 0u);
  EXPECT_EQ(line_at(lines, 1.2), 0u) << "in the pause after it";
  EXPECT_EQ(line_at(lines, 1.5), 1u);
  EXPECT_EQ(line_at(lines, 2.9), 1u);
  EXPECT_EQ(line_at(lines, 3.5), 2u);
  EXPECT_EQ(line_at(lines, 60.0), 2u);
  EXPECT_EQ(line_at({}, 1.0), std::nullopt);
}

// An opening's pages are read in reading order, each once, those without a reading left out;
// each whole page all its lines.
TEST(BookReading, AnOpeningReadsItsPagesInOrderOnce) {
  scene::Book book;
  book.pages.resize(4);
  for (scene::BookPage& page : book.pages) {
    page.width = 1000;
    page.lines = {{"left", {100, 100, 300, 50}, false, "en"}, {"right", {600, 100, 300, 50}, false, "en"}};
  }
  book.pages[0].reading = 0;
  book.pages[2].reading = 1;
  book.pages[3].reading = 2;
  book::Opening opening;
  opening.parts = {{3, book::PagePart::Part::whole}, {1, book::PagePart::Part::whole}, {0, book::PagePart::Part::whole}};
  std::array<PageRead, 8> pages{};
  ASSERT_EQ(pages_read(book, opening, pages), 2u);
  EXPECT_EQ(pages[0], (PageRead{3, 0, 1}));
  EXPECT_EQ(pages[1], (PageRead{0, 0, 1}));
  // A thread-bound leaf's halves shown together are one page, read once, all of it.
  book.thread_bound = book.leaves_imaged_whole = true;
  opening.parts = {{2, book::PagePart::Part::front_half}, {2, book::PagePart::Part::back_half}};
  ASSERT_EQ(pages_read(book, opening, pages), 1u);
  EXPECT_EQ(pages[0], (PageRead{2, 0, 1}));
  opening.parts = {{1, book::PagePart::Part::whole}};
  EXPECT_EQ(pages_read(book, opening, pages), 0u);
}

// A right-to-left thread-bound book of three leaves imaged whole, each 2000 pixels wide with its
// fold 0.1 of the picture right of the middle (at 1200), four columns on each read right to left:
// two on the front half (right of the fold, read first) and two on the back half. The second
// opening shows the first leaf's back half beside the second leaf's front half: the first leaf's
// last two columns are read, then the second leaf's first two, and never a column of a half the
// opening does not show. Each half's reading is the span of its page's sound from its first
// column's start up to where the next column begins.
TEST(BookReading, AHalfLeafIsReadOnlyItsOwnLines) {
  scene::Book book;
  book.direction = book::ViewingDirection::right_to_left;
  book.thread_bound = true;
  book.leaves_imaged_whole = true;
  scene::BookPage leaf;
  leaf.width = 2000;
  leaf.height = 1000;
  leaf.spine_offset = 0.1f;
  // In reading order, right to left: 1800 and 1400 on the front half, 900 and 200 on the back.
  for (const float x : {1800.0f, 1400.0f, 900.0f, 200.0f}) leaf.lines.push_back({"列", {x, 100, 100, 800}, true, "lzh"});
  leaf.spoken_lines = {{0.0f, 1.0f}, {1.5f, 2.5f}, {3.0f, 4.0f}, {4.5f, 5.5f}};
  book.pages.assign(3, leaf);
  for (uint32_t page = 0; page < 3; ++page) book.pages[page].reading = page;
  const book::Openings openings = book.openings();
  ASSERT_EQ(openings.sequence.size(), 4u) << "a1 | b1 a2 | b2 a3 | b3";
  std::array<PageRead, 8> pages{};

  ASSERT_EQ(pages_read(book, openings.sequence[0], pages), 1u);
  EXPECT_EQ(pages[0], (PageRead{0, 0, 1})) << "the first leaf's front half alone";
  const HeardSpan front = span_heard(book.pages[0], pages[0], 6.0);
  EXPECT_DOUBLE_EQ(front.start, 0.0);
  EXPECT_DOUBLE_EQ(front.end, 3.0) << "up to where the back half's first column begins";

  ASSERT_EQ(pages_read(book, openings.sequence[1], pages), 2u);
  EXPECT_EQ(pages[0], (PageRead{0, 2, 3})) << "the first leaf's back half, read first";
  EXPECT_EQ(pages[1], (PageRead{1, 0, 1})) << "then the second leaf's front half";
  const HeardSpan back = span_heard(book.pages[0], pages[0], 6.0);
  EXPECT_DOUBLE_EQ(back.start, 3.0);
  EXPECT_DOUBLE_EQ(back.end, 6.0) << "to the sound's end";

  ASSERT_EQ(pages_read(book, openings.sequence[3], pages), 1u);
  EXPECT_EQ(pages[0], (PageRead{2, 2, 3})) << "the last leaf's back half alone";
  // Read left to right, the front half is the left one: the last two columns.
  book.direction = book::ViewingDirection::left_to_right;
  ASSERT_EQ(pages_read(book, book.openings().sequence[0], pages), 1u);
  EXPECT_EQ(pages[0], (PageRead{0, 2, 3}));
}

}  // namespace
}  // namespace pavilion::kiosk

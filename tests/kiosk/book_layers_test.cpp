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
// cradle, with a note, a seal, a painting and a note on the whole page; and three text lines.
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
      {"painting", "ignored", "", "", scene::PageRegion{0, 0, 10, 10}},
      {"commenting", "on the whole page", "en", "text/plain", std::nullopt},
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
                                              render::PageCrop crop = {}) {
    render::PagePlacement placement;
    placement.size = {0.2f, 0.3f};
    placement.crop = crop;
    const std::array<ShownPage, 1> pages{ShownPage{0, placement}};
    return overlay_.build(book_, pages, switches, read, layer_colors, white, font_);
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
  EXPECT_EQ(layer_of(annotations[2]), AnnotationLayer::none) << "the painting is the page itself";
  EXPECT_EQ(layer_of(annotations[3]), AnnotationLayer::none) << "a note without a region has no place on the page";
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

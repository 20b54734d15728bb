// Books in the scene tables (version 10, pages read aloud 13): a book round-trips, damaged books are refused with what
// is wrong, and the tile arithmetic the packer and the kiosk share.
#include "pavilion/scene/scene_tables.h"

#include <gtest/gtest.h>

#include <cstring>

namespace pavilion::scene {
namespace {

ContentHash hash_of(uint32_t seed) {
  ContentHash hash;
  for (size_t byte = 0; byte < hash.bytes.size(); ++byte) hash.bytes[byte] = static_cast<uint8_t>(seed * 31 + byte);
  return hash;
}

BookPage tiled_page(uint32_t width, uint32_t height, uint32_t seed) {
  BookPage page;
  page.label = {"第一叶", "Leaf 1"};
  page.canvas_width = width * 2;
  page.canvas_height = height * 2;
  page.width = width;
  page.height = height;
  page.levels = page_levels(width, height, 254);
  for (const PageLevel& level : page.levels) {
    for (uint32_t tile = 0; tile < level.columns * level.rows; ++tile) page.tiles.push_back(hash_of(seed + tile));
  }
  return page;
}

SceneTables tables_with_a_book() {
  SceneTables tables;
  tables.id = "books";
  Exhibit exhibit;
  exhibit.id = "wenxuan";
  exhibit.kind = ExhibitKind::book;
  tables.exhibits.push_back(exhibit);
  Book book;
  book.label = {"文选", "Wenxuan"};
  book.summary = {"宋刻本", "A Song edition"};
  book.metadata = {{{"年代", "Date"}, {"1127–1279", "1127–1279"}}};
  book.required_statement = BookMetadataPair{{"来源", "Attribution"}, {"某图书馆藏", "Held by a library"}};
  book.rights = {"http://rightsstatements.org/vocab/NoC-NC/1.0/"};
  book.language = "lzh";
  book.direction = book::ViewingDirection::right_to_left;
  book.thread_bound = true;
  book.leaves_imaged_whole = true;
  book.start_page = 1;
  book.pages.push_back(tiled_page(600, 800, 1));
  book.pages.push_back(tiled_page(1200, 700, 100));
  book.pages[1].behavior = book::PageBehavior::facing_pages;
  book.pages[1].spine_offset = 0.03f;
  book.pages[1].annotations.push_back({"commenting", "朱批", "zh", "text/plain", PageRegion{10, 20, 300, 40}});
  book.pages[1].annotations.push_back({"supplementing", "Note", "en", "text/plain", std::nullopt});
  book.pages[1].lines.push_back({"天地玄黄", {500, 40, 60, 600}, true, "zh-Hant"});
  BookPage placeholder;
  placeholder.width = placeholder.canvas_width = 600;
  placeholder.height = placeholder.canvas_height = 800;
  placeholder.placeholder = true;
  book.pages.push_back(placeholder);
  book.ranges = {{{"卷一", "Volume one"}, -1, {}}, {{"序", "Preface"}, 0, {0, 1}}};
  tables.books.push_back(book);
  return tables;
}

TEST(BookTables, ABookRoundTrips) {
  const SceneTables tables = tables_with_a_book();
  const auto decoded = decode_scene_tables(encode_scene_tables(tables));
  ASSERT_TRUE(decoded.ok()) << decoded.error().describe();
  ASSERT_EQ(decoded->books.size(), 1u);
  EXPECT_EQ(decoded->books[0], tables.books[0]);
  // The openings come from engine/book: right to left, whole leaves split into their halves.
  const book::Openings openings = decoded->books[0].openings();
  EXPECT_EQ(openings.direction, book::ViewingDirection::right_to_left);
  ASSERT_FALSE(openings.sequence.empty());
  EXPECT_EQ(openings.sequence[0].left, (book::PagePart{0, book::PagePart::Part::front_half}));
}

TEST(BookTables, DamagedBooksAreRefusedSayingWhatIsWrong) {
  const auto refused = [](SceneTables tables, std::string_view expected) {
    const auto decoded = decode_scene_tables(encode_scene_tables(tables));
    ASSERT_FALSE(decoded.ok());
    EXPECT_NE(decoded.error().describe().find(expected), std::string::npos) << decoded.error().describe();
  };
  SceneTables tables = tables_with_a_book();
  tables.books[0].pages[0].tiles.pop_back();
  refused(tables, "page 0 lists 16 tiles where its levels hold 17");
  tables = tables_with_a_book();
  tables.books[0].pages[0].width = 599;  // the levels no longer match the size
  refused(tables, "page 0's levels do not match its size");
  tables = tables_with_a_book();
  tables.books[0].start_page = 3;
  refused(tables, "starts at a page it lacks");
  tables = tables_with_a_book();
  tables.books[0].ranges[1].parent = 1;
  refused(tables, "range 1 of book 'wenxuan'");
  tables = tables_with_a_book();
  tables.exhibits[0].kind = ExhibitKind::model;
  refused(tables, "book 0 is not shown by a book exhibit");
  tables = tables_with_a_book();
  tables.books[0].pages[2].levels = page_levels(600, 800, 254);  // a placeholder has no tiles
  refused(tables, "page 2's levels");
}

// A page read aloud (version 13): its sound and its lines' timings round-trip; a timing per line
// and a sound the scene has are checked; version 12 tables, without them, are still read.
TEST(BookTables, APageReadAloudRoundTripsAndVersion12IsStillRead) {
  SceneTables tables = tables_with_a_book();
  tables.audio.resize(1);
  tables.audio[0].exhibit = 0;
  tables.books[0].pages[1].reading = 0;
  tables.books[0].pages[1].spoken_lines = {{0.0f, 1.6f}};
  const std::vector<std::byte> bytes = encode_scene_tables(tables);
  const auto decoded = decode_scene_tables(bytes);
  ASSERT_TRUE(decoded.ok()) << decoded.error().describe();
  EXPECT_EQ(decoded->books[0], tables.books[0]);
  EXPECT_EQ(decoded->books[0].pages[0].reading, no_page_reading);

  // Version 12: the same bytes without the readings at the end (per page a sound index and a
  // count, and the one timed line's two floats).
  std::vector<std::byte> version_12(bytes.begin(), bytes.end() - (3 * 8 + 8));
  const uint32_t twelve = 12;
  std::memcpy(version_12.data() + 4, &twelve, sizeof twelve);
  const auto old = decode_scene_tables(version_12);
  ASSERT_TRUE(old.ok()) << old.error().describe();
  EXPECT_EQ(old->books[0].pages[1].reading, no_page_reading);
  EXPECT_TRUE(old->books[0].pages[1].spoken_lines.empty());
  EXPECT_EQ(old->books[0].pages[1].lines, tables.books[0].pages[1].lines);

  const auto refused = [](const SceneTables& damaged) {
    const auto result = decode_scene_tables(encode_scene_tables(damaged));
    ASSERT_FALSE(result.ok());
    EXPECT_NE(result.error().describe().find("page 2 of the book of exhibit 0 is read aloud"), std::string::npos)
        << result.error().describe();
  };
  SceneTables damaged = tables;
  damaged.books[0].pages[1].reading = 1;  // the scene has one sound
  refused(damaged);
  damaged = tables;
  damaged.books[0].pages[1].spoken_lines.push_back({2.0f, 3.0f});  // two timings for one line
  refused(damaged);
  damaged = tables;
  damaged.books[0].pages[1].spoken_lines = {{1.0f, 0.5f}};  // ends before it starts
  refused(damaged);
}

TEST(BookTables, TilesAreCutAsThePyramidCutsThem) {
  const Book book = tables_with_a_book().books[0];
  const BookPage& page = book.pages[0];  // 600 × 800: 3 × 4, 2 × 2, then 1 × 1 tiles
  ASSERT_EQ(page.levels.size(), 3u);
  EXPECT_EQ(page.levels[0], (PageLevel{600, 800, 3, 4}));
  EXPECT_EQ(page.levels[1], (PageLevel{300, 400, 2, 2}));
  EXPECT_EQ(page.levels[2], (PageLevel{150, 200, 1, 1}));
  EXPECT_EQ(tile_rect(book, page, 0, 0, 0), (TileRect{0, 0, 255, 255}));
  EXPECT_EQ(tile_rect(book, page, 0, 1, 1), (TileRect{253, 253, 256, 256}));
  EXPECT_EQ(tile_rect(book, page, 0, 2, 3), (TileRect{507, 761, 93, 39}));
  EXPECT_EQ(tile_index(page, 0, 2, 3), 11u);
  EXPECT_EQ(tile_index(page, 1, 1, 0), 13u);
  EXPECT_EQ(tile_index(page, 2, 0, 0), 16u);
  EXPECT_EQ(tile_byte_count(TileFormat::bc1_srgb, {0, 0, 93, 39}), size_t{24 * 10 * 8});
  EXPECT_EQ(tile_byte_count(TileFormat::rgba8_srgb, {0, 0, 93, 39}), size_t{93 * 39 * 4});
}

}  // namespace
}  // namespace pavilion::scene

// A book exhibit as a package holds it (#17): what the manifest or book description says about
// the book, how it is read and bound, and per page its size, its tile pyramid (each tile a blob of
// its own, read only when wanted: BookTileReader in loader.h) and the text on it. pavilion-pack
// builds it from a IIIF manifest or a folder of scans; the kiosk turns and zooms it.
#pragma once

#include "pavilion/book/openings.h"
#include "pavilion/core/hash.h"
#include "pavilion/core/localized_text.h"
#include "pavilion/scene/page_tiles.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace pavilion::scene {

// How each tile's bytes are stored (content_tools/pyramid's encodings, by the same numbers).
enum class TileFormat : uint32_t {
  rgba8_srgb = 0,  // 4 bytes a pixel, rows top first
  bc1_srgb = 1,    // BC1 blocks, rows of blocks top first; the tile's size rounded up to 4
  jpeg = 2,        // a JPEG file, decoded on a worker thread before upload
  webp = 3,        // a WebP file, likewise
};

// A label and its value, each in Chinese and English (the manifest's best text for each reader).
struct BookMetadataPair {
  LocalizedText label;
  LocalizedText value;
  friend bool operator==(const BookMetadataPair&, const BookMetadataPair&) = default;
};

// A rectangle in pixels of the page's canvas (annotations) or of its image (text lines).
struct PageRegion {
  float x = 0, y = 0, width = 0, height = 0;
  friend bool operator==(const PageRegion&, const PageRegion&) = default;
};

// Text the manifest puts on a page: a commentary, a transcription, a note.
struct PageAnnotation {
  std::string motivation;  // "commenting", "supplementing", "painting", …
  std::string value;
  std::string language;             // BCP 47; "" when the manifest names none
  std::string format;               // "text/plain", "text/html"
  std::optional<PageRegion> region;  // on the canvas; empty: the whole page
  friend bool operator==(const PageAnnotation&, const PageAnnotation&) = default;
};

// A line of the page's text (ALTO or hOCR), in reading order, in the page image's pixels.
struct PageTextLine {
  std::string text;
  PageRegion region;
  bool vertical = false;  // a column read top to bottom, columns right to left
  std::string language;
  friend bool operator==(const PageTextLine&, const PageTextLine&) = default;
};

// One level of a page's pyramid: level k is ceil(side / 2^k) pixels on each side, cut into
// columns × rows tiles of tile_size pixels plus the overlap on their inner sides (page_tiles.h).
using PageLevel = PageLevelGrid;

// When one text line of a page is heard in the page's reading aloud: seconds into its sound.
struct SpokenLine {
  float start = 0;
  float end = 0;
  friend bool operator==(const SpokenLine&, const SpokenLine&) = default;
};

// A page's text read aloud for the kiosk's audio-only mode (synthesised by pavilion-pack).
inline constexpr uint32_t no_page_reading = UINT32_MAX;

struct BookPage {
  LocalizedText label;
  uint32_t canvas_width = 0;  // the canvas's own units, in which annotations are placed
  uint32_t canvas_height = 0;
  uint32_t width = 0;  // the image's pixels at level 0; the canvas's size for a placeholder
  uint32_t height = 0;
  book::PageBehavior behavior = book::PageBehavior::paged;
  // Where the fold of a picture holding two halves (a facing-pages spread, a thread-bound leaf
  // imaged whole) lies, as a fraction of the picture's width from its middle, positive to the
  // right; 0 for the middle. The curator's, for pictures not centred on the fold.
  float spine_offset = 0;
  // No image was found for the page (pack warned): drawn as a blank leaf of the canvas's size.
  bool placeholder = false;
  std::vector<PageLevel> levels;  // finest first; empty for a placeholder
  // Every level's tiles: level 0's rows top first, each row left to right, then level 1's, ….
  std::vector<ContentHash> tiles;
  std::vector<PageAnnotation> annotations;
  std::vector<PageTextLine> lines;
  // Its lines read aloud in order: an index into the scene's audio (no_page_reading: none), and
  // when each line is heard, one per line.
  uint32_t reading = no_page_reading;
  std::vector<SpokenLine> spoken_lines;
  friend bool operator==(const BookPage&, const BookPage&) = default;
};

// An entry of the table of contents. Entries are listed parents before children.
struct BookRange {
  LocalizedText label;
  int32_t parent = -1;          // index into Book::ranges, or −1 for a top entry
  std::vector<uint32_t> pages;  // its own pages, in order
  friend bool operator==(const BookRange&, const BookRange&) = default;
};

struct Book {
  uint32_t exhibit = 0;  // index into Scene::exhibits, of kind book
  LocalizedText label;
  LocalizedText summary;
  std::vector<BookMetadataPair> metadata;
  std::optional<BookMetadataPair> required_statement;  // shown with the book, as its source asks
  std::vector<std::string> rights;                     // URIs (rightsstatements.org, Creative Commons)
  std::string language;                                // BCP 47, of the book's text; "" when unknown
  book::ViewingDirection direction = book::ViewingDirection::left_to_right;
  book::Layout layout = book::Layout::paged;
  bool thread_bound = false;         // 线装: stitched, soft paper, the fold on the fore-edge
  bool leaves_imaged_whole = false;  // thread-bound, one picture per flat leaf (book::PageSequence)
  uint32_t start_page = 0;           // the page the book opens at
  uint32_t tile_size = 254;          // pixels of a tile without its overlap
  uint32_t overlap = 1;              // pixels each tile repeats of its neighbours
  TileFormat tile_format = TileFormat::bc1_srgb;
  std::vector<BookPage> pages;  // in reading order
  std::vector<BookRange> ranges;
  friend bool operator==(const Book&, const Book&) = default;

  book::PageSequence page_sequence() const;
  // What a visitor turns through: computed by engine/book from the pages' behaviours, the
  // direction, the layout and the binding, so the package cannot disagree with it.
  book::Openings openings() const { return book::compute_openings(page_sequence()); }
};

// A page's levels for a width × height image: from its own size down to the first that fits one
// tile (page_level and page_level_count in page_tiles.h, as content_tools/pyramid cuts them).
std::vector<PageLevel> page_levels(uint32_t width, uint32_t height, uint32_t tile_size);

// Which tile, and the pixels of its level it holds, overlap included.
struct TileKey {
  uint32_t book = 0;
  uint32_t page = 0;
  uint32_t level = 0;
  uint32_t column = 0;
  uint32_t row = 0;
  friend bool operator==(const TileKey&, const TileKey&) = default;
};
using TileRect = PageTileRect;
// Preconditions: the level, column and row exist on the page.
TileRect tile_rect(const Book& book, const BookPage& page, uint32_t level, uint32_t column, uint32_t row);
// The tile's place in BookPage::tiles.
size_t tile_index(const BookPage& page, uint32_t level, uint32_t column, uint32_t row);
// The tile's bytes as stored: width × height × 4 for RGBA8, its 4 × 4 blocks × 8 for BC1; 0 for
// JPEG and WebP, whose size only their blobs know.
size_t tile_byte_count(TileFormat format, const TileRect& rect);

}  // namespace pavilion::scene

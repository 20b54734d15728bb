// Books' binary form in the scene tables (version 10; their pages read aloud, version 13), their checks on reading, and the tile
// arithmetic the packer and the kiosk share.
#include "pavilion/scene/scene_tables.h"

#include "localized_text_codec.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace pavilion::scene {
namespace {

constexpr uint32_t max_book_entries = 1u << 24;

Error invalid(std::string why) { return Error(ErrorCode::invalid_input, "reading the scene's books", std::move(why)); }

void write_pair(ByteWriter& out, const BookMetadataPair& pair) {
  write_text(out, pair.label);
  write_text(out, pair.value);
}

Result<BookMetadataPair> read_pair(ByteReader& in) {
  BookMetadataPair pair;
  PV_TRY_ASSIGN(pair.label, read_text(in, "a book's metadata label"));
  PV_TRY_ASSIGN(pair.value, read_text(in, "a book's metadata value"));
  return pair;
}

template <class Entry, class ReadEntry>
Result<std::vector<Entry>> read_list(ByteReader& in, std::string_view what, ReadEntry&& read_entry) {
  PV_TRY_ASSIGN(const uint32_t count, in.read<uint32_t>(fmt::format("the {} count", what)));
  // Every entry takes at least a byte: a count beyond what remains is refused before allocating.
  if (count > max_book_entries || count > in.remaining()) return invalid(fmt::format("the {} count is implausible", what));
  std::vector<Entry> entries;
  entries.reserve(count);
  for (uint32_t index = 0; index < count; ++index) {
    PV_TRY_ASSIGN(Entry entry, read_entry(index));
    entries.push_back(std::move(entry));
  }
  return entries;
}

void write_region(ByteWriter& out, const PageRegion& region) {
  for (const float value : {region.x, region.y, region.width, region.height}) out.write(value);
}

Result<PageRegion> read_region(ByteReader& in, std::string_view what) {
  PageRegion region;
  for (float* value : {&region.x, &region.y, &region.width, &region.height}) {
    PV_TRY_ASSIGN(*value, in.read<float>(what));
    if (!std::isfinite(*value)) return invalid(fmt::format("{} is not a finite number", what));
  }
  return region;
}

void write_page(ByteWriter& out, const BookPage& page) {
  write_text(out, page.label);
  out.write(page.canvas_width);
  out.write(page.canvas_height);
  out.write(page.width);
  out.write(page.height);
  out.write(static_cast<uint32_t>(page.behavior));
  out.write(page.spine_offset);
  out.write(static_cast<uint8_t>(page.placeholder));
  out.write_array(std::span<const PageLevel>(page.levels));
  out.write_array(std::span<const ContentHash>(page.tiles));
  out.write(static_cast<uint32_t>(page.annotations.size()));
  for (const PageAnnotation& annotation : page.annotations) {
    out.write_string(annotation.motivation);
    out.write_string(annotation.value);
    out.write_string(annotation.language);
    out.write_string(annotation.format);
    out.write(static_cast<uint8_t>(annotation.region.has_value()));
    if (annotation.region) write_region(out, *annotation.region);
  }
  out.write(static_cast<uint32_t>(page.lines.size()));
  for (const PageTextLine& line : page.lines) {
    out.write_string(line.text);
    write_region(out, line.region);
    out.write(static_cast<uint8_t>(line.vertical));
    out.write_string(line.language);
  }
}

Result<bool> read_flag(ByteReader& in, std::string_view what) {
  PV_TRY_ASSIGN(const uint8_t value, in.read<uint8_t>(what));
  if (value > 1) return invalid(fmt::format("{} is {}, not 0 or 1", what, value));
  return value == 1;
}

Result<BookPage> read_page(ByteReader& in, const Book& book, uint32_t index) {
  BookPage page;
  PV_TRY_ASSIGN(page.label, read_text(in, "a page's label"));
  PV_TRY_ASSIGN(page.canvas_width, in.read<uint32_t>("a page's canvas width"));
  PV_TRY_ASSIGN(page.canvas_height, in.read<uint32_t>("a page's canvas height"));
  PV_TRY_ASSIGN(page.width, in.read<uint32_t>("a page's width"));
  PV_TRY_ASSIGN(page.height, in.read<uint32_t>("a page's height"));
  PV_TRY_ASSIGN(const uint32_t behavior, in.read<uint32_t>("a page's behaviour"));
  if (behavior > static_cast<uint32_t>(book::PageBehavior::facing_pages)) {
    return invalid(fmt::format("page {} has an unknown behaviour {}", index, behavior));
  }
  page.behavior = static_cast<book::PageBehavior>(behavior);
  PV_TRY_ASSIGN(page.spine_offset, in.read<float>("a page's spine offset"));
  if (!(std::abs(page.spine_offset) <= 0.5f)) return invalid(fmt::format("page {} has its fold outside its picture", index));
  PV_TRY_ASSIGN(page.placeholder, read_flag(in, "a page's placeholder flag"));
  PV_TRY_ASSIGN(page.levels, in.read_array<PageLevel>("a page's levels", 32));
  PV_TRY_ASSIGN(page.tiles, in.read_array<ContentHash>("a page's tiles", max_book_entries));
  // The levels and tiles must be what the page's size implies, so every (level, column, row)
  // the kiosk asks for has its tile.
  const bool sized = page.width > 0 && page.height > 0 && page.width <= (1u << 20) && page.height <= (1u << 20);
  if (!sized) return invalid(fmt::format("page {} has an impossible size {} × {}", index, page.width, page.height));
  if (page.placeholder != page.levels.empty() || (!page.placeholder && page.levels != page_levels(page.width, page.height, book.tile_size))) {
    return invalid(fmt::format("page {}'s levels do not match its size {} × {}", index, page.width, page.height));
  }
  size_t tiles = 0;
  for (const PageLevel& level : page.levels) tiles += size_t{level.columns} * level.rows;
  if (page.tiles.size() != tiles) {
    return invalid(fmt::format("page {} lists {} tiles where its levels hold {}", index, page.tiles.size(), tiles));
  }
  PV_TRY_ASSIGN(page.annotations, read_list<PageAnnotation>(in, "annotation", [&](uint32_t) -> Result<PageAnnotation> {
    PageAnnotation annotation;
    PV_TRY_ASSIGN(annotation.motivation, in.read_string("an annotation's motivation"));
    PV_TRY_ASSIGN(annotation.value, in.read_string("an annotation's text"));
    PV_TRY_ASSIGN(annotation.language, in.read_string("an annotation's language"));
    PV_TRY_ASSIGN(annotation.format, in.read_string("an annotation's format"));
    PV_TRY_ASSIGN(const bool has_region, read_flag(in, "an annotation's region flag"));
    if (has_region) {
      PV_TRY_ASSIGN(annotation.region, read_region(in, "an annotation's region"));
    }
    return annotation;
  }));
  PV_TRY_ASSIGN(page.lines, read_list<PageTextLine>(in, "text line", [&](uint32_t) -> Result<PageTextLine> {
    PageTextLine line;
    PV_TRY_ASSIGN(line.text, in.read_string("a text line"));
    PV_TRY_ASSIGN(line.region, read_region(in, "a text line's region"));
    PV_TRY_ASSIGN(line.vertical, read_flag(in, "a text line's direction"));
    PV_TRY_ASSIGN(line.language, in.read_string("a text line's language"));
    return line;
  }));
  return page;
}

}  // namespace

book::PageSequence Book::page_sequence() const {
  book::PageSequence sequence;
  for (const BookPage& page : pages) sequence.pages.push_back(page.behavior);
  sequence.direction = direction;
  sequence.layout = layout;
  sequence.leaves_imaged_whole = leaves_imaged_whole;
  return sequence;
}

std::vector<PageLevel> page_levels(uint32_t width, uint32_t height, uint32_t tile_size) {
  expects(width > 0 && height > 0 && tile_size > 0, "an image and a tile size");
  const PageShape shape{.width = width, .height = height, .tile_size = tile_size};
  std::vector<PageLevel> levels(page_level_count(shape));
  for (uint32_t level = 0; level < levels.size(); ++level) levels[level] = page_level(shape, level);
  return levels;
}

size_t tile_index(const BookPage& page, uint32_t level, uint32_t column, uint32_t row) {
  expects(level < page.levels.size() && column < page.levels[level].columns && row < page.levels[level].rows,
          "a tile the page has");
  return page_tile_index(page.levels, level, column, row);
}

TileRect tile_rect(const Book& book, const BookPage& page, uint32_t level, uint32_t column, uint32_t row) {
  expects(level < page.levels.size() && column < page.levels[level].columns && row < page.levels[level].rows,
          "a tile the page has");
  // The level as the tables list it (checked against the page's size when they were read).
  const PageLevel& size = page.levels[level];
  const PageTileSpan across = page_tile_span(column, size.width, book.tile_size, book.overlap);
  const PageTileSpan down = page_tile_span(row, size.height, book.tile_size, book.overlap);
  return {across.start, down.start, across.length, down.length};
}

size_t tile_byte_count(TileFormat format, const TileRect& rect) {
  switch (format) {
    case TileFormat::rgba8_srgb: return size_t{rect.width} * rect.height * 4;
    case TileFormat::bc1_srgb: return size_t{(rect.width + 3) / 4} * ((rect.height + 3) / 4) * 8;
    case TileFormat::jpeg:
    case TileFormat::webp: return 0;
  }
  return 0;
}

void write_books(ByteWriter& out, const std::vector<Book>& books) {
  out.write(static_cast<uint32_t>(books.size()));
  for (const Book& book : books) {
    out.write(book.exhibit);
    write_text(out, book.label);
    write_text(out, book.summary);
    out.write(static_cast<uint32_t>(book.metadata.size()));
    for (const BookMetadataPair& pair : book.metadata) write_pair(out, pair);
    out.write(static_cast<uint8_t>(book.required_statement.has_value()));
    if (book.required_statement) write_pair(out, *book.required_statement);
    out.write(static_cast<uint32_t>(book.rights.size()));
    for (const std::string& rights : book.rights) out.write_string(rights);
    out.write_string(book.language);
    out.write(static_cast<uint32_t>(book.direction));
    out.write(static_cast<uint32_t>(book.layout));
    out.write(static_cast<uint8_t>(book.thread_bound));
    out.write(static_cast<uint8_t>(book.leaves_imaged_whole));
    out.write(book.start_page);
    out.write(book.tile_size);
    out.write(book.overlap);
    out.write(static_cast<uint32_t>(book.tile_format));
    out.write(static_cast<uint32_t>(book.pages.size()));
    for (const BookPage& page : book.pages) write_page(out, page);
    out.write(static_cast<uint32_t>(book.ranges.size()));
    for (const BookRange& range : book.ranges) {
      write_text(out, range.label);
      out.write(range.parent);
      out.write_array(std::span<const uint32_t>(range.pages));
    }
  }
}

Result<std::vector<Book>> read_books(ByteReader& in, const std::vector<Exhibit>& exhibits) {
  return read_list<Book>(in, "book", [&](uint32_t index) -> Result<Book> {
    Book book;
    PV_TRY_ASSIGN(book.exhibit, in.read<uint32_t>("a book's exhibit"));
    if (book.exhibit >= exhibits.size() || exhibits[book.exhibit].kind != ExhibitKind::book) {
      return invalid(fmt::format("book {} is not shown by a book exhibit", index));
    }
    const std::string& id = exhibits[book.exhibit].id;
    const auto in_book = [&](Result<Book> result) {
      return std::move(result).add_context(fmt::format("reading book '{}'", id));
    };
    return in_book([&]() -> Result<Book> {
      PV_TRY_ASSIGN(book.label, read_text(in, "a book's label"));
      PV_TRY_ASSIGN(book.summary, read_text(in, "a book's summary"));
      PV_TRY_ASSIGN(book.metadata, read_list<BookMetadataPair>(in, "metadata pair", [&](uint32_t) { return read_pair(in); }));
      PV_TRY_ASSIGN(const bool has_statement, read_flag(in, "a book's required statement flag"));
      if (has_statement) {
        PV_TRY_ASSIGN(book.required_statement, read_pair(in));
      }
      PV_TRY_ASSIGN(book.rights, read_list<std::string>(in, "rights", [&](uint32_t) { return in.read_string("a book's rights"); }));
      PV_TRY_ASSIGN(book.language, in.read_string("a book's language"));
      PV_TRY_ASSIGN(const uint32_t direction, in.read<uint32_t>("a book's viewing direction"));
      PV_TRY_ASSIGN(const uint32_t layout, in.read<uint32_t>("a book's layout"));
      if (direction > static_cast<uint32_t>(book::ViewingDirection::bottom_to_top) ||
          layout > static_cast<uint32_t>(book::Layout::continuous)) {
        return invalid(fmt::format("book '{}' has an unknown viewing direction or layout", id));
      }
      book.direction = static_cast<book::ViewingDirection>(direction);
      book.layout = static_cast<book::Layout>(layout);
      PV_TRY_ASSIGN(book.thread_bound, read_flag(in, "a book's binding"));
      PV_TRY_ASSIGN(book.leaves_imaged_whole, read_flag(in, "a book's whole-leaf flag"));
      PV_TRY_ASSIGN(book.start_page, in.read<uint32_t>("a book's start page"));
      PV_TRY_ASSIGN(book.tile_size, in.read<uint32_t>("a book's tile size"));
      PV_TRY_ASSIGN(book.overlap, in.read<uint32_t>("a book's tile overlap"));
      PV_TRY_ASSIGN(const uint32_t format, in.read<uint32_t>("a book's tile format"));
      if (book.tile_size < 16 || book.tile_size > 4096 || book.overlap >= book.tile_size / 2 ||
          format > static_cast<uint32_t>(TileFormat::webp)) {
        return invalid(fmt::format("book '{}' has impossible tiles", id));
      }
      book.tile_format = static_cast<TileFormat>(format);
      PV_TRY_ASSIGN(book.pages, read_list<BookPage>(in, "page", [&](uint32_t page) { return read_page(in, book, page); }));
      if (book.pages.empty() || book.start_page >= book.pages.size()) {
        return invalid(fmt::format("book '{}' has no pages, or starts at a page it lacks", id));
      }
      PV_TRY_ASSIGN(book.ranges, read_list<BookRange>(in, "range", [&](uint32_t range) -> Result<BookRange> {
        BookRange entry;
        PV_TRY_ASSIGN(entry.label, read_text(in, "a range's label"));
        PV_TRY_ASSIGN(entry.parent, in.read<int32_t>("a range's parent"));
        PV_TRY_ASSIGN(entry.pages, in.read_array<uint32_t>("a range's pages", max_book_entries));
        const bool pages_exist = std::all_of(entry.pages.begin(), entry.pages.end(),
                                             [&](uint32_t page) { return page < book.pages.size(); });
        if (entry.parent < -1 || entry.parent >= static_cast<int32_t>(range) || !pages_exist) {
          return invalid(fmt::format("range {} of book '{}' names a parent after it or a page the book lacks", range, id));
        }
        return entry;
      }));
      return book;
    }());
  });
}

void write_book_readings(ByteWriter& out, const std::vector<Book>& books) {
  for (const Book& book : books) {
    for (const BookPage& page : book.pages) {
      out.write(page.reading);
      out.write_array(std::span<const SpokenLine>(page.spoken_lines));
    }
  }
}

Result<void> read_book_readings(ByteReader& in, std::vector<Book>& books, size_t sound_count) {
  for (Book& book : books) {
    for (size_t index = 0; index < book.pages.size(); ++index) {
      BookPage& page = book.pages[index];
      PV_TRY_ASSIGN(page.reading, in.read<uint32_t>("a page's reading aloud"));
      PV_TRY_ASSIGN(page.spoken_lines, in.read_array<SpokenLine>("a page's spoken lines", max_book_entries));
      const bool timed = page.reading == no_page_reading ? page.spoken_lines.empty()
                                                         : page.reading < sound_count && page.spoken_lines.size() == page.lines.size();
      bool ordered = true;
      float last_end = 0;
      for (const SpokenLine& line : page.spoken_lines) {
        ordered = ordered && std::isfinite(line.start) && std::isfinite(line.end) && line.start >= last_end && line.end >= line.start;
        last_end = line.end;
      }
      if (!timed || !ordered) {
        return invalid(fmt::format("page {} of the book of exhibit {} is read aloud with a sound or line timings it cannot have",
                                   index + 1, book.exhibit));
      }
    }
  }
  return {};
}

}  // namespace pavilion::scene

// The thread-bound book: a Ming-style woodblock edition of 《論語集註》, leaf by leaf.
//
// A leaf is one sheet printed from one block and folded at its centre, so its picture holds two
// half-leaves: the front half (read first) on the right and the back half on the left, 9 columns
// of 17 characters each, with the block heart (版心) at the fold between them. Text runs top to
// bottom and columns right to left; each chapter begins a new column, as the old books set them.
#include "pavilion/procedural/rare_books.h"

#include "glyph_ink.h"
#include "leaf_sheet.h"

#include "pavilion/core/file.h"
#include "pavilion/page_text/page_text.h"
#include "pavilion/text/faces.h"
#include "pavilion/text/layout.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <map>
#include <numbers>
#include <optional>
#include <string_view>

namespace pavilion::procedural {
namespace {

using leaf::InkLayer;
using leaf::Sheet;

constexpr uint32_t columns_per_half = 9;
constexpr uint32_t columns_per_leaf = 2 * columns_per_half;
constexpr uint32_t characters_per_column = 17;

// 學而第一 and the start of 為政第二 (Analects, 5th century BC; the text as Zhu Xi's 12th-century
// edition gives it), punctuated as a modern reader would: the punctuation is not printed, it tells
// where the reader's red circles go.
struct Passage {
  std::string_view text;
  uint32_t indent = 0;  // characters left blank at the top of its columns
};
constexpr Passage passages[] = {
    {"論語集註卷一"},
    {"學而第一", 2},
    {"子曰：學而時習之，不亦說乎？有朋自遠方來，不亦樂乎？人不知而不慍，不亦君子乎？"},
    {"有子曰：其為人也孝弟，而好犯上者，鮮矣；不好犯上，而好作亂者，未之有也。君子務本，本立而道生。孝弟也者，其為仁之本與！"},
    {"子曰：巧言令色，鮮矣仁！"},
    {"曾子曰：吾日三省吾身：為人謀而不忠乎？與朋友交而不信乎？傳不習乎？"},
    {"子曰：道千乘之國，敬事而信，節用而愛人，使民以時。"},
    {"子曰：弟子入則孝，出則弟，謹而信，汎愛眾，而親仁。行有餘力，則以學文。"},
    {"子夏曰：賢賢易色；事父母，能竭其力；事君，能致其身；與朋友交，言而有信。雖曰未學，吾必謂之學矣。"},
    {"子曰：君子不重則不威，學則不固。主忠信，無友不如己者，過則勿憚改。"},
    {"曾子曰：慎終追遠，民德歸厚矣。"},
    {"子禽問於子貢曰：夫子至於是邦也，必聞其政，求之與？抑與之與？子貢曰：夫子溫、良、恭、儉、讓以得之。夫子之求之也，其諸異乎人之求之與？"},
    {"子曰：父在，觀其志；父沒，觀其行；三年無改於父之道，可謂孝矣。"},
    {"有子曰：禮之用，和為貴。先王之道，斯為美；小大由之。有所不行，知和而和，不以禮節之，亦不可行也。"},
    {"有子曰：信近於義，言可復也；恭近於禮，遠恥辱也；因不失其親，亦可宗也。"},
    {"子曰：君子食無求飽，居無求安，敏於事而慎於言，就有道而正焉，可謂好學也已。"},
    {"子貢曰：貧而無諂，富而無驕，何如？子曰：可也；未若貧而樂，富而好禮者也。子貢曰：詩云：如切如磋，如琢如磨，其斯之謂與？子曰：賜也，始可與言詩已矣！告諸往而知來者。"},
    {"子曰：不患人之不己知，患不知人也。"},
    {"為政第二", 2},
    {"子曰：為政以德，譬如北辰，居其所而眾星共之。"},
    {"子曰：詩三百，一言以蔽之，曰：思無邪。"},
    {"子曰：道之以政，齊之以刑，民免而無恥；道之以德，齊之以禮，有恥且格。"},
    {"子曰：吾十有五而志于學，三十而立，四十而不惑，五十而知天命，六十而耳順，七十而從心所欲，不踰矩。"},
    {"孟懿子問孝。子曰：無違。樊遲御，子告之曰：孟孫問孝於我，我對曰無違。樊遲曰：何謂也？子曰：生，事之以禮；死，葬之以禮，祭之以禮。"},
    {"孟武伯問孝。子曰：父母唯其疾之憂。"},
    {"子游問孝。子曰：今之孝者，是謂能養。至於犬馬，皆能有養；不敬，何以別乎？"},
    {"子夏問孝。子曰：色難。有事，弟子服其勞；有酒食，先生饌，曾是以為孝乎？"},
    {"子曰：吾與回言終日，不違如愚。退而省其私，亦足以發，回也不愚。"},
    {"子曰：視其所以，觀其所由，察其所安。人焉廋哉？人焉廋哉？"},
    {"子曰：溫故而知新，可以為師矣。"},
    {"子曰：君子不器。"},
    {"子貢問君子。子曰：先行其言而後從之。"},
    {"子曰：君子周而不比，小人比而不周。"},
    {"子曰：學而不思則罔，思而不學則殆。"},
};

// A later reader's red notes (朱批), quoting Zhu Xi's commentary (1177): beside the columns,
// starting at a passage's character (counted without punctuation), or above the block in the top
// margin (眉批).
struct Note {
  size_t passage;
  size_t character;
  std::string_view text;
  bool top_margin = false;
};
constexpr Note notes[] = {
    {2, 2, "學之為言效也", true},
    {2, 12, "朋同類也自遠方來則近者可知"},
    {2, 26, "慍含怒意"},
    {3, 7, "善事父母為孝善事兄長為弟"},
    {4, 2, "好其言善其色致飾於外務以悅人"},
    {5, 14, "盡己之謂忠以實之謂信"},
    {9, 5, "輕乎外者必不能堅乎內"},
    {10, 3, "慎終者喪盡其禮追遠者祭盡其誠", true},
    {19, 8, "北辰北極天之樞也"},
    {20, 11, "凡詩之言善者可以感發人之善心", true},
    {22, 7, "心之所之謂之志"},
};

enum class Mark { none, dot, circle };

struct Stripped {
  std::string text;
  std::vector<Mark> marks;     // per character: the reader's mark after it
  std::vector<size_t> starts;  // per character: where its UTF-8 begins in text

  std::string_view character(size_t index) const {
    const size_t end = index + 1 < starts.size() ? starts[index + 1] : text.size();
    return std::string_view(text).substr(starts[index], end - starts[index]);
  }
};

bool is_punctuation(char32_t c) { return std::u32string_view(U"，。？！：；、「」『』").find(c) != std::u32string_view::npos; }

char32_t next_code_point(std::string_view text, size_t& at) {
  const auto byte = static_cast<unsigned char>(text[at]);
  const size_t length = byte < 0x80 ? 1 : byte < 0xe0 ? 2 : byte < 0xf0 ? 3 : 4;
  char32_t c = length == 1 ? byte : byte & (0xff >> (length + 1));
  for (size_t i = 1; i < length; ++i) c = (c << 6) | (static_cast<unsigned char>(text[at + i]) & 0x3f);
  at += length;
  return c;
}

Stripped strip(std::string_view text) {
  Stripped out;
  for (size_t at = 0; at < text.size();) {
    const size_t start = at;
    const char32_t c = next_code_point(text, at);
    if (!is_punctuation(c)) {
      out.starts.push_back(out.text.size());
      out.text.append(text.substr(start, at - start));
      out.marks.push_back(Mark::none);
    } else if (!out.marks.empty()) {
      if (c == U'。' || c == U'？' || c == U'！') out.marks.back() = Mark::circle;
      else if (c != U'「' && c != U'」' && c != U'『' && c != U'』' && out.marks.back() == Mark::none) out.marks.back() = Mark::dot;
    }
  }
  return out;
}

// One glyph to print: its centre cell on the leaf is (x, y) + the glyph's offset in that cell.
struct Print {
  uint32_t font = 0;  // 0: the block's Song face, 1: the reader's Kai
  uint32_t glyph = 0;
  float x = 0, y = 0;  // the glyph's origin, pixels
  float size = 0;      // pixels an em
  InkLayer layer = InkLayer::black;
};

struct ReaderMark {
  float x = 0, y = 0;
  Mark mark = Mark::none;
};

// The pixels a note or a seal was printed on, right and bottom exclusive: its annotation's region,
// so the kiosk's layer lies on the red ink itself.
struct InkBox {
  int32_t left = INT32_MAX, top = INT32_MAX, right = INT32_MIN, bottom = INT32_MIN;

  // Ink this faint is the blur's edge, not a stroke a reader sees.
  static constexpr float visible = 0.1f;

  bool empty() const { return right <= left || bottom <= top; }
  void add(int32_t x, int32_t y) {
    left = std::min(left, x);
    top = std::min(top, y);
    right = std::max(right, x + 1);
    bottom = std::max(bottom, y + 1);
  }
  void add(const InkBox& other) {
    if (other.empty()) return;
    add(other.left, other.top);
    add(other.right - 1, other.bottom - 1);
  }
};

// One column of the main text as it was set: what the leaf's ALTO says of it.
struct ColumnText {
  std::string text;  // UTF-8, top to bottom
  uint32_t first_cell = UINT32_MAX, last_cell = 0;
};

struct LeafContent {
  std::vector<Print> prints;
  std::vector<ReaderMark> marks;
  std::array<ColumnText, columns_per_leaf> columns;  // by slot, as Geometry::column_x counts them
};

struct Geometry {
  float width, height;
  float fold;              // x of the fold
  float top, bottom;       // inside the frame
  float pitch;             // from one column to the next
  float heart;             // the block heart's width
  float character_pitch;   // down a column
  float em;

  explicit Geometry(uint32_t h) : width(std::round(static_cast<float>(h) * 1.36f)), height(static_cast<float>(h)) {
    fold = width * (0.5f + thread_bound_spine_offset);
    top = height * 0.16f;
    bottom = height * 0.86f;
    character_pitch = (bottom - top) / characters_per_column;
    em = character_pitch * 0.93f;
    pitch = em * 1.52f;
    heart = pitch * 1.3f;
  }
  float right() const { return fold + heart / 2 + columns_per_half * pitch; }
  float left() const { return fold - heart / 2 - columns_per_half * pitch; }
  // The centre of a leaf's column `slot`, counted in reading order (0–8 right half, 9–17 left).
  float column_x(uint32_t slot) const {
    return slot < columns_per_half ? right() - (static_cast<float>(slot) + 0.5f) * pitch
                                   : fold - heart / 2 - (static_cast<float>(slot - columns_per_half) + 0.5f) * pitch;
  }
  float cell_y(float cell) const { return top + (cell + 0.5f) * character_pitch; }
};

// Lays `text` out in vertical columns with engine/text and calls `place(glyph, column, cell,
// dx, dy)` for each glyph: its column and its cell down that column, and its origin's offset from
// that cell's centre.
template <class Place>
Result<uint32_t> set_vertical(std::string_view text, const text::Font& font, float em, uint32_t per_column, Place&& place) {
  text::LayoutStyle style;
  style.orientation = text::Orientation::vertical;
  style.size = em;
  style.extent = em * (static_cast<float>(per_column) + 0.01f);
  style.language = "zh-Hant";
  PV_TRY_ASSIGN(const text::TextLayout layout, text::lay_out(text, {}, font, font, style));
  std::map<uint32_t, size_t> cell_of;  // character → index in cells
  std::vector<size_t> first_in_line(layout.lines, SIZE_MAX);
  for (size_t i = 0; i < layout.cells.size(); ++i) {
    const text::CharacterCell& cell = layout.cells[i];
    cell_of[cell.character] = i;
    first_in_line[cell.line] = std::min(first_in_line[cell.line], i);
  }
  for (const text::PlacedGlyph& glyph : layout.glyphs) {
    const auto found = cell_of.find(glyph.character);
    if (found == cell_of.end()) continue;
    const text::CharacterCell& cell = layout.cells[found->second];
    const auto down = static_cast<uint32_t>(found->second - first_in_line[cell.line]);
    place(glyph, cell.line, down, glyph.x - (cell.left + cell.right) / 2, glyph.y - (cell.top + cell.bottom) / 2);
  }
  return layout.lines;
}

struct Book {
  std::vector<LeafContent> leaves;
  // Where each note's first character goes: the leaf, and the rule or margin position.
  struct PlacedNote {
    size_t leaf;
    float x, y;
    const Note* note;
  };
  std::vector<PlacedNote> notes;
};

Result<Book> compose(const Geometry& geometry, uint32_t leaves, const text::Font& song) {
  Book book;
  book.leaves.resize(leaves);
  const uint32_t capacity = leaves * columns_per_leaf;
  uint32_t column = 0;
  for (size_t p = 0; p < std::size(passages) && column < capacity; ++p) {
    const Passage& passage = passages[p];
    const Stripped stripped = strip(passage.text);
    const uint32_t first_column = column;
    std::vector<std::optional<std::pair<uint32_t, uint32_t>>> where;  // per character: column, cell
    PV_TRY_ASSIGN(const uint32_t lines,
                  set_vertical(stripped.text, song, geometry.em, characters_per_column - passage.indent,
                               [&](const text::PlacedGlyph& glyph, uint32_t line, uint32_t down, float dx, float dy) {
                                 const uint32_t at = first_column + line;
                                 if (at >= capacity) return;
                                 const uint32_t slot = at % columns_per_leaf;
                                 const float cell = static_cast<float>(down + passage.indent);
                                 book.leaves[at / columns_per_leaf].prints.push_back(
                                     {0, glyph.glyph, geometry.column_x(slot) + dx, geometry.cell_y(cell) + dy, geometry.em, InkLayer::black});
                                 if (where.size() <= glyph.character) where.resize(glyph.character + 1);
                                 where[glyph.character] = std::pair(at, down + passage.indent);
                               }));
    column += lines;
    for (size_t c = 0; c < where.size() && c < stripped.marks.size(); ++c) {
      if (!where[c]) continue;
      const auto [at, cell] = *where[c];
      ColumnText& set = book.leaves[at / columns_per_leaf].columns[at % columns_per_leaf];
      set.text += stripped.character(c);
      set.first_cell = std::min(set.first_cell, cell);
      set.last_cell = std::max(set.last_cell, cell);
      if (stripped.marks[c] == Mark::none) continue;
      // A reader's 句讀 sits at the lower right of the character it follows.
      book.leaves[at / columns_per_leaf].marks.push_back({geometry.column_x(at % columns_per_leaf) + geometry.em * 0.56f,
                                                          geometry.cell_y(static_cast<float>(cell)) + geometry.character_pitch * 0.36f,
                                                          stripped.marks[c]});
    }
    for (const Note& note : notes) {
      if (note.passage != p || note.character >= where.size() || !where[note.character]) continue;
      const auto [at, cell] = *where[note.character];
      const size_t leaf = at / columns_per_leaf;
      const float x = geometry.column_x(at % columns_per_leaf);
      if (note.top_margin) {
        book.notes.push_back({leaf, x, geometry.top - geometry.height * 0.11f, &note});
      } else {
        // On the rule to the column's left, between it and the next column read.
        book.notes.push_back({leaf, x - geometry.pitch / 2, geometry.cell_y(static_cast<float>(cell)) - geometry.character_pitch * 0.5f, &note});
      }
    }
  }
  return book;
}

// The leaf's main text as ALTO: a vertical line per column in reading order, as wide as the column
// between its rules and as tall as the cells it fills, in the leaf picture's pixels. The generator
// knows where it set every character, so this is the truth, not a recogniser's guess. The red
// notes, the seals and the block heart are not the text the kiosk reads aloud: they are left out.
page_text::PageText leaf_text(const Geometry& geometry, const LeafContent& leaf) {
  const auto pixel = [](float at) { return static_cast<int32_t>(std::lround(at)); };
  page_text::PageText page;
  page.size = {static_cast<uint32_t>(geometry.width), static_cast<uint32_t>(geometry.height)};
  for (uint32_t slot = 0; slot < columns_per_leaf; ++slot) {
    const ColumnText& column = leaf.columns[slot];
    if (column.text.empty()) continue;
    const int32_t left = pixel(geometry.column_x(slot) - geometry.pitch / 2);
    const int32_t right = pixel(geometry.column_x(slot) + geometry.pitch / 2);
    const int32_t top = pixel(geometry.cell_y(static_cast<float>(column.first_cell)) - geometry.character_pitch / 2);
    const int32_t bottom = pixel(geometry.cell_y(static_cast<float>(column.last_cell)) + geometry.character_pitch / 2);
    page_text::Line line;
    line.text = column.text;
    line.region = {left, top, right - left, bottom - top};
    line.reading_order = static_cast<uint32_t>(page.lines.size());
    line.direction = page_text::WritingDirection::vertical_right_to_left;
    line.language = "zh-Hant";
    page.lines.push_back(std::move(line));
  }
  return page;
}

// A square collector's seal: four characters in two columns read right then left, each stretched
// to fill its quarter and thickened as a seal carver cuts them, cut white into a red field (白文)
// or standing red inside a red border (朱文); the paste grainy and unevenly pressed. Coverage, side²
// pixels.
Result<std::vector<float>> carve_seal(std::u32string_view characters, const text::Font& font, GlyphInk& ink, uint32_t side, bool white_text,
                                      uint32_t seed) {
  const float s = static_cast<float>(side);
  std::vector<float> characters_mask(size_t{side} * side, 0.0f);
  const float margin = s * (white_text ? 0.085f : 0.13f);
  const float gap = s * 0.03f;
  const float cell = (s - 2 * margin - gap) / 2;
  for (size_t i = 0; i < characters.size() && i < 4; ++i) {
    const uint32_t glyph = font.glyph_for(characters[i]);
    const auto box = font.glyph_box(glyph);
    if (glyph == 0 || !box) return Error(ErrorCode::not_found, "carving a seal", fmt::format("{} has no glyph for a seal character", font.name()));
    const float stretch_x = 0.96f / (box->right - box->left);
    const float stretch_y = 0.96f / (box->top - box->bottom);
    PV_TRY_ASSIGN(GlyphBitmap bitmap, ink.render(glyph, cell, stretch_x, stretch_y));
    const float cell_left = i < 2 ? margin + cell + gap : margin;
    const float cell_top = (i % 2 == 0) ? margin : margin + cell + gap;
    const auto x0 = static_cast<int32_t>(cell_left + (cell - static_cast<float>(bitmap.width)) / 2);
    const auto y0 = static_cast<int32_t>(cell_top + (cell - static_cast<float>(bitmap.height)) / 2);
    const std::vector<float> thick = leaf::inked(bitmap.coverage, bitmap.width, bitmap.height, x0, y0, cell * 0.035f, 0.17f, seed + 40);
    for (uint32_t row = 0; row < bitmap.height; ++row) {
      for (uint32_t c = 0; c < bitmap.width; ++c) {
        const int32_t x = x0 + static_cast<int32_t>(c), y = y0 + static_cast<int32_t>(row);
        if (x < 0 || y < 0 || x >= static_cast<int32_t>(side) || y >= static_cast<int32_t>(side)) continue;
        float& at = characters_mask[size_t(y) * side + size_t(x)];
        at = std::max(at, thick[size_t{row} * bitmap.width + c]);
      }
    }
  }
  std::vector<float> seal(size_t{side} * side);
  const float rough = s * 0.006f;
  const float border = s * 0.065f;
  for (uint32_t y = 0; y < side; ++y) {
    for (uint32_t x = 0; x < side; ++x) {
      const float fx = static_cast<float>(x) + 0.5f, fy = static_cast<float>(y) + 0.5f;
      // A stone's edge chipped here and there; distance inside the square, roughened.
      const float inside = std::min({fx, s - fx, fy, s - fy}) - rough * (1 + 2 * leaf::fractal_noise(fx / (s * 0.04f), fy / (s * 0.04f), seed, 2));
      const float field = std::clamp(inside, 0.0f, 1.0f);
      const float chars = characters_mask[size_t{y} * side + x];
      float value = white_text ? field * (1 - chars) : std::max(field * (1 - std::clamp(inside - border, 0.0f, 1.0f)), chars * field);
      // The paste: grainy, and pressed harder on one side.
      const float pressure = 0.72f + 0.28f * leaf::smoothstep(0.0f, 1.0f, (fx + fy * 0.6f) / (s * 1.6f) + 0.3f * leaf::value_noise(fx / (s * 0.3f), fy / (s * 0.3f), seed + 2));
      const float grain = leaf::value_noise(fx / 2.2f, fy / 2.2f, seed + 3);
      value *= pressure * (grain < 0.16f ? 0.3f : 1.0f);
      seal[size_t{y} * side + x] = value;
    }
  }
  return seal;
}

// Lays `coverage` (side² pixels) on the sheet centred at (cx, cy), turned by `angle` radians: no
// one stamps a seal quite square. Where its paste lies on the sheet.
InkBox press_seal(Sheet& sheet, const std::vector<float>& coverage, uint32_t side, float cx, float cy, float angle) {
  InkBox pressed;
  const float c = std::cos(angle), s = std::sin(angle);
  const float half = static_cast<float>(side) / 2;
  const auto reach = static_cast<int32_t>(half * 1.45f) + 2;
  for (int32_t oy = -reach; oy <= reach; ++oy) {
    for (int32_t ox = -reach; ox <= reach; ++ox) {
      const float dx = static_cast<float>(ox), dy = static_cast<float>(oy);
      const float sx = c * dx + s * dy + half - 0.5f, sy = -s * dx + c * dy + half - 0.5f;
      if (sx < 0 || sy < 0 || sx >= static_cast<float>(side - 1) || sy >= static_cast<float>(side - 1)) continue;
      const auto x0 = static_cast<uint32_t>(sx), y0 = static_cast<uint32_t>(sy);
      const float fx = sx - static_cast<float>(x0), fy = sy - static_cast<float>(y0);
      const float* row0 = &coverage[size_t{y0} * side + x0];
      const float* row1 = row0 + side;
      const float value = (row0[0] * (1 - fx) + row0[1] * fx) * (1 - fy) + (row1[0] * (1 - fx) + row1[1] * fx) * fy;
      if (value <= 0) continue;
      const int32_t x = static_cast<int32_t>(cx) + ox, y = static_cast<int32_t>(cy) + oy;
      sheet.cover(InkLayer::red, x, y, value);
      if (value >= InkBox::visible) pressed.add(x, y);
    }
  }
  return pressed;
}

// A note or a seal in book.json: its words (a seal's legend) and the pixels of the sheet its red
// covers.
nlohmann::ordered_json red_annotation(std::string_view motivation, const InkBox& box, const Sheet& sheet, std::string_view text) {
  const int32_t left = std::max(box.left, 0), top = std::max(box.top, 0);
  const int32_t right = std::min(box.right, static_cast<int32_t>(sheet.width()));
  const int32_t bottom = std::min(box.bottom, static_cast<int32_t>(sheet.height()));
  return {{"motivation", std::string(motivation)},
          {"region", {left, top, right - left, bottom - top}},
          {"text", std::string(text)},
          {"language", "zh-Hant"}};
}

std::string chinese_number(uint32_t n) {
  constexpr std::string_view digits[] = {"〇", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十"};
  if (n <= 10) return std::string(digits[n]);
  if (n < 20) return fmt::format("十{}", digits[n - 10]);
  return fmt::format("{}十{}", digits[n / 10], n % 10 == 0 ? "" : digits[n % 10]);
}

class Printer {
 public:
  Printer(Sheet& sheet, std::array<GlyphInk*, 2> inks) : sheet_(sheet), inks_(inks) {}

  // The glyph printed; where its ink lies.
  Result<InkBox> print(const Print& print, uint32_t seed) {
    PV_TRY_ASSIGN(const GlyphBitmap bitmap, inks_[print.font]->render(print.glyph, print.size));
    if (bitmap.width == 0) return InkBox{};
    // A carved block prints a character a little bolder and rougher than its outline; a brush
    // (the reader's Kai) is smoother.
    const float radius = print.size * (print.font == 0 ? 0.02f : 0.01f);
    const auto pad = static_cast<uint32_t>(radius) + 3;
    const uint32_t w = bitmap.width + 2 * pad, h = bitmap.height + 2 * pad;
    std::vector<float> padded(size_t{w} * h, 0.0f);
    for (uint32_t row = 0; row < bitmap.height; ++row) {
      std::copy_n(bitmap.coverage.begin() + static_cast<ptrdiff_t>(row * bitmap.width), bitmap.width,
                  padded.begin() + static_cast<ptrdiff_t>((row + pad) * w + pad));
    }
    // Each character was cut by hand: it sits a little off its cell, and takes the ink a little
    // more or less heavily than its neighbours.
    const float jitter = print.font == 0 ? print.size * 0.018f : 0.0f;
    const float dx = jitter * (2 * leaf::hash01(seed, 1, 77) - 1), dy = jitter * (2 * leaf::hash01(seed, 2, 77) - 1);
    const float weight = print.font == 0 ? 0.09f + 0.08f * leaf::hash01(seed, 3, 77) : 0.05f;
    const auto x = static_cast<int32_t>(std::lround(print.x + dx)) + bitmap.left - static_cast<int32_t>(pad);
    const auto y = static_cast<int32_t>(std::lround(print.y + dy)) - bitmap.top - static_cast<int32_t>(pad);
    const std::vector<float> inked = leaf::inked(padded, w, h, x, y, radius, weight, seed);
    sheet_.stamp(print.layer, x, y, w, h, inked);
    InkBox box;
    for (uint32_t row = 0; row < h; ++row) {
      for (uint32_t across = 0; across < w; ++across) {
        if (inked[size_t{row} * w + across] >= InkBox::visible) box.add(x + static_cast<int32_t>(across), y + static_cast<int32_t>(row));
      }
    }
    return box;
  }

  // A short vertical line of text centred on x from y down, in one face and layer; where its ink lies.
  Result<InkBox> column(std::string_view text, const text::Font& font, uint32_t font_index, float size, float x, float y, InkLayer layer,
                        uint32_t seed) {
    std::vector<Print> prints;
    PV_TRY(set_vertical(text, font, size, 1000, [&](const text::PlacedGlyph& glyph, uint32_t, uint32_t down, float dx, float dy) {
             const float cy = y + (static_cast<float>(down) + 0.5f) * size * 1.04f;
             prints.push_back({font_index, glyph.glyph, x + dx, cy + dy, size, layer});
           }).add_context("setting a column"));
    InkBox box;
    for (const Print& p : prints) {
      PV_TRY_ASSIGN(const InkBox printed, print(p, seed++));
      box.add(printed);
    }
    return box;
  }

 private:
  Sheet& sheet_;
  std::array<GlyphInk*, 2> inks_;
};

// The block's lines: the doubled frame, the column rules, the block heart with its fish tail.
void carve_block(Sheet& sheet, const Geometry& g, uint32_t seed) {
  const float h = g.height;
  const float thin = h * 0.0011f, thick = h * 0.0034f, gap = h * 0.0048f;
  const float left = g.left(), right = g.right();
  const float outer = gap + thick / 2;
  // Outer thick frame, then the thin one inside it (四周雙邊).
  sheet.rule(InkLayer::black, left - outer, g.top - outer - thick / 2, left - outer, g.bottom + outer + thick / 2, thick, h * 0.0009f, 0, seed);
  sheet.rule(InkLayer::black, right + outer, g.top - outer - thick / 2, right + outer, g.bottom + outer + thick / 2, thick, h * 0.0009f, 0, seed + 1);
  sheet.rule(InkLayer::black, left - outer, g.top - outer, right + outer, g.top - outer, thick, h * 0.0007f, 0, seed + 2);
  sheet.rule(InkLayer::black, left - outer, g.bottom + outer, right + outer, g.bottom + outer, thick, h * 0.0007f, 0, seed + 3);
  sheet.rule(InkLayer::black, left, g.top, left, g.bottom, thin, h * 0.0008f, 0.15f, seed + 4);
  sheet.rule(InkLayer::black, right, g.top, right, g.bottom, thin, h * 0.0008f, 0.15f, seed + 5);
  sheet.rule(InkLayer::black, left, g.top, right, g.top, thin, h * 0.0006f, 0.15f, seed + 6);
  sheet.rule(InkLayer::black, left, g.bottom, right, g.bottom, thin, h * 0.0006f, 0.15f, seed + 7);
  // Column rules (界欄), thin and worn through in places; the block heart's two sides.
  for (uint32_t i = 1; i < columns_per_half; ++i) {
    const float offset = static_cast<float>(i) * g.pitch;
    sheet.rule(InkLayer::black, right - offset, g.top, right - offset, g.bottom, h * 0.0009f, h * 0.0012f, 0.3f, seed + 10 + i);
    sheet.rule(InkLayer::black, left + offset, g.top, left + offset, g.bottom, h * 0.0009f, h * 0.0012f, 0.3f, seed + 30 + i);
  }
  const float heart_left = g.fold - g.heart / 2, heart_right = g.fold + g.heart / 2;
  sheet.rule(InkLayer::black, heart_left, g.top, heart_left, g.bottom, h * 0.001f, h * 0.001f, 0.2f, seed + 50);
  sheet.rule(InkLayer::black, heart_right, g.top, heart_right, g.bottom, h * 0.001f, h * 0.001f, 0.2f, seed + 51);
  // A thin black mouth (細黑口) down from the frame to the fish tail (單魚尾), whose notch marks
  // where the sheet is folded; a line across the heart below, where the carver's name sits.
  const float tail_top = g.top + (g.bottom - g.top) * 0.17f;
  const float tail_height = h * 0.034f;
  sheet.rule(InkLayer::black, g.fold, g.top, g.fold, tail_top, g.heart * 0.1f, h * 0.0005f, 0, seed + 52);
  const std::array<std::array<float, 2>, 5> tail{{{heart_left, tail_top},
                                                   {heart_right, tail_top},
                                                   {heart_right, tail_top + tail_height},
                                                   {g.fold, tail_top + tail_height * 0.5f},
                                                   {heart_left, tail_top + tail_height}}};
  sheet.polygon(InkLayer::black, tail, h * 0.0006f, seed + 53);
  const float foot = g.bottom - (g.bottom - g.top) * 0.08f;
  sheet.rule(InkLayer::black, heart_left, foot, heart_right, foot, h * 0.0012f, h * 0.0004f, 0.1f, seed + 54);
  sheet.rule(InkLayer::black, g.fold, foot, g.fold, g.bottom, g.heart * 0.1f, h * 0.0005f, 0, seed + 55);
}

}  // namespace

Result<std::vector<std::filesystem::path>> make_thread_bound_book(const std::filesystem::path& folder, const ThreadBoundBookOptions& options) {
  const std::string step = fmt::format("making the thread-bound book in {}", folder.string());
  std::error_code made;
  std::filesystem::create_directories(folder, made);
  if (made) return Error(ErrorCode::io, step, fmt::format("cannot create the folder: {}", made.message()));

  // Traditional characters, as the book was cut: Noto Serif CJK TC (face 3), its seals in the
  // bold weight; the reader's notes in LXGW WenKai, a brush-written Kai.
  const text::FaceFile song_file{text::song_face().file, 3};
  PV_TRY_ASSIGN(const auto song, text::Font::open(song_file.file, song_file.index).add_context(step));
  PV_TRY_ASSIGN(const auto kai, text::Font::open(text::kai_face().file, 0).add_context(step));
  PV_TRY_ASSIGN(const auto bold, text::Font::open(song_file.file.parent_path() / "NotoSerifCJK-Bold.ttc", 3).add_context(step));
  PV_TRY_ASSIGN(auto song_ink, GlyphInk::open(*song));
  PV_TRY_ASSIGN(auto kai_ink, GlyphInk::open(*kai));
  PV_TRY_ASSIGN(auto bold_ink, GlyphInk::open(*bold));

  const Geometry geometry(options.height);
  PV_TRY_ASSIGN(const Book book, compose(geometry, options.leaves, *song).add_context(step));
  const auto seal_side = static_cast<uint32_t>(geometry.pitch * 1.75f);
  PV_TRY_ASSIGN(const std::vector<float> collector_seal, carve_seal(U"松風閣藏", *bold, *bold_ink, seal_side, true, 501));
  const auto small_seal_side = static_cast<uint32_t>(geometry.pitch * 1.15f);
  PV_TRY_ASSIGN(const std::vector<float> heir_seal, carve_seal(U"子孫永寶", *bold, *bold_ink, small_seal_side, false, 502));

  std::vector<std::filesystem::path> written;
  nlohmann::ordered_json pages = nlohmann::ordered_json::object();
  for (uint32_t index = 0; index < options.leaves; ++index) {
    leaf::Paper paper;
    paper.seed = 1000 + index;
    // Bamboo paper three centuries old: warm, uneven, darker towards the edges it was held by.
    paper.colour = {220, 199, 158};
    paper.tone_variation = 0.09f;
    paper.mottle = 0.04f;
    paper.grain = 0.014f;
    paper.edge_darkening = 0.12f;
    paper.foxing_spots = 42;
    paper.laid_line_spacing = geometry.height * 0.0042f;
    paper.fold_x = geometry.fold;
    leaf::Ink black{{26, 22, 20}, 0.2f, 0.22f};
    leaf::Ink red{{182, 46, 30}, 0.22f, 0.3f};
    Sheet sheet(static_cast<uint32_t>(geometry.width), options.height, paper, {black, red, leaf::Ink{}});
    carve_block(sheet, geometry, 200 + index * 100);
    Printer printer(sheet, {song_ink.get(), kai_ink.get()});
    uint32_t seed = 10000 * (index + 1);
    for (const Print& print : book.leaves[index].prints) PV_TRY(printer.print(print, seed++).add_context(step));

    // The block heart: the book's short title and volume under the fish tail, the leaf's number
    // lower down, the carver's name at the foot.
    const float heart_em = geometry.em * 0.5f;
    const float tail_bottom = geometry.top + (geometry.bottom - geometry.top) * 0.17f + geometry.height * 0.034f;
    PV_TRY(printer.column("論語一", *song, 0, heart_em, geometry.fold, tail_bottom + heart_em * 0.8f, InkLayer::black, seed).add_context(step));
    PV_TRY(printer.column(chinese_number(index + 1), *song, 0, heart_em, geometry.fold, geometry.top + (geometry.bottom - geometry.top) * 0.74f,
                          InkLayer::black, seed + 10).add_context(step));
    PV_TRY(printer.column("王成", *song, 0, heart_em * 0.6f, geometry.fold, geometry.bottom - (geometry.bottom - geometry.top) * 0.072f,
                          InkLayer::black, seed + 20).add_context(step));

    // The reader's red: circles and dots of 句讀, then notes.
    for (const ReaderMark& mark : book.leaves[index].marks) {
      const float r = geometry.em * (mark.mark == Mark::circle ? 0.085f : 0.04f);
      sheet.ring(InkLayer::red, mark.x, mark.y, r, mark.mark == Mark::circle ? geometry.em * 0.028f : r, seed++);
    }
    // What the red says and where it lies, for the kiosk's commentary and seal layers: the same
    // red is in the pixels, but a visitor can only switch a layer that is written down.
    nlohmann::ordered_json annotations = nlohmann::ordered_json::array();
    for (const Book::PlacedNote& note : book.notes) {
      if (note.leaf != index) continue;
      InkBox printed;
      if (note.note->top_margin) {
        // 眉批: columns of four, right to left from above the column it is about.
        const float size = geometry.em * 0.42f;
        std::string_view rest = note.note->text;
        float x = note.x;
        while (!rest.empty()) {
          size_t cut = 0;
          for (int i = 0; i < 4 && cut < rest.size(); ++i) next_code_point(rest, cut);
          PV_TRY_ASSIGN(const InkBox four, printer.column(rest.substr(0, cut), *kai, 1, size, x, note.y, InkLayer::red, seed).add_context(step));
          printed.add(four);
          seed += 10;
          rest.remove_prefix(cut);
          x -= size * 1.25f;
        }
      } else {
        PV_TRY_ASSIGN(printed, printer.column(note.note->text, *kai, 1, geometry.em * 0.3f, note.x, note.y, InkLayer::red, seed).add_context(step));
        seed += 20;
      }
      if (!printed.empty()) annotations.push_back(red_annotation("commenting", printed, sheet, note.note->text));
    }
    if (index == 0) {
      // Below the volume's title, where collectors stamped their seals.
      const InkBox seal = press_seal(sheet, collector_seal, seal_side, geometry.right() - geometry.pitch, geometry.cell_y(12.2f), 0.021f);
      annotations.push_back(red_annotation("tagging", seal, sheet, "松風閣藏"));
    }
    if (index + 1 == options.leaves) {
      const InkBox seal = press_seal(sheet, heir_seal, small_seal_side, geometry.left() + geometry.pitch * 0.9f, geometry.cell_y(14.6f), -0.035f);
      annotations.push_back(red_annotation("tagging", seal, sheet, "子孫永寶"));
    }
    sheet.age();
    const std::filesystem::path file = folder / fmt::format("leaf{:02}.jpg", index + 1);
    PV_TRY(sheet.write_jpeg(file, options.jpeg_quality).add_context(step));
    written.push_back(file);
    const std::filesystem::path text_file = folder / fmt::format("leaf{:02}.alto.xml", index + 1);
    const std::string alto = page_text::write_alto(leaf_text(geometry, book.leaves[index]));
    PV_TRY(write_file_atomic(text_file, std::as_bytes(std::span(alto))).add_context(step));
    written.push_back(text_file);
    pages[file.filename().string()] = {
        {"label", {{"zh-CN", fmt::format("卷一 第{}葉", chinese_number(index + 1))}, {"en", fmt::format("Volume 1, leaf {}", index + 1)}}},
        {"text", text_file.filename().string()}};
    if (!annotations.empty()) pages[file.filename().string()]["annotations"] = std::move(annotations);
  }

  nlohmann::ordered_json description = {
      {"title", {{"zh-CN", "論語集註 卷一（明刻本樣式）"}, {"en", "The Analects with Zhu Xi's Collected Commentaries, volume 1 (in the manner of a Ming woodblock edition)"}}},
      {"summary",
       {{"zh-CN", "《論語》學而第一與為政第二之首，宋體大字，四周雙邊，細黑口，單魚尾，半葉九行行十七字；朱筆句讀與眉批、旁批錄朱熹集註；卷端鈐「松風閣藏」白文方印。構建時由程序生成。"},
        {"en", "The Analects, book 1 (Xue er) and the start of book 2 (Wei zheng), in large Song-style characters: a doubled frame, a "
               "thin black mouth and a single fish tail at the fold, nine columns of seventeen characters to a half-leaf; a reader's "
               "red punctuation and notes quoting Zhu Xi's commentary; the collector's seal 'Songfeng ge cang' (Pine Wind Pavilion) "
               "below the title. Generated at build time."}}},
      {"creator", {{"zh-CN", "孔子弟子及再傳弟子 撰；朱熹 集註"}, {"en", "Disciples of Confucius; commentary by Zhu Xi"}}},
      {"date", {{"zh-CN", "明代刻本樣式（構建時生成）"}, {"en", "In the manner of a Ming dynasty print (generated at build time)"}}},
      {"rights", "http://creativecommons.org/publicdomain/mark/1.0/"},
      {"attribution", {{"zh-CN", "Pavilion 示例，正文為公有領域", }, {"en", "A Pavilion sample; the text is in the public domain"}}},
      {"viewingDirection", "right-to-left"},
      {"behavior", "paged"},
      {"leavesImagedWhole", true},
      {"start", "leaf01.jpg"},
      {"pages", pages},
  };
  const std::string json = description.dump(2) + "\n";
  PV_TRY(write_file_atomic(folder / "book.json", std::as_bytes(std::span(json))).add_context(step));
  written.push_back(folder / "book.json");
  return written;
}

}  // namespace pavilion::procedural

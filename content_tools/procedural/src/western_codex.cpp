// The Western codex: page images for a IIIF book manifest's canvases, on cream rag paper.
// What each page shows follows its canvas's label: a blank leaf, a first page of Latin text with
// a decorated initial (the cookbook calls it the frontispiece), a title page in red and black, a
// bookplate.
#include "pavilion/procedural/rare_books.h"

#include "glyph_ink.h"
#include "leaf_sheet.h"

#include "pavilion/core/file.h"
#include "pavilion/text/faces.h"
#include "pavilion/text/layout.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <numbers>

namespace pavilion::procedural {
namespace {

using leaf::InkLayer;
using leaf::Sheet;

// Caesar, De bello Gallico 1.1 (public domain); the G is the decorated initial.
constexpr std::string_view caesar =
    "allia est omnis divisa in partes tres, quarum unam incolunt Belgae, aliam Aquitani, tertiam qui ipsorum lingua Celtae, "
    "nostra Galli appellantur. Hi omnes lingua, institutis, legibus inter se differunt. Gallos ab Aquitanis Garumna flumen, a "
    "Belgis Matrona et Sequana dividit. Horum omnium fortissimi sunt Belgae, propterea quod a cultu atque humanitate provinciae "
    "longissime absunt, minimeque ad eos mercatores saepe commeant atque ea quae ad effeminandos animos pertinent important, "
    "proximique sunt Germanis, qui trans Rhenum incolunt, quibuscum continenter bellum gerunt. Qua de causa Helvetii quoque "
    "reliquos Gallos virtute praecedunt, quod fere cotidianis proeliis cum Germanis contendunt, cum aut suis finibus eos "
    "prohibent aut ipsi in eorum finibus bellum gerunt. Eorum una pars, quam Gallos obtinere dictum est, initium capit a flumine "
    "Rhodano, continetur Garumna flumine, Oceano, finibus Belgarum, attingit etiam ab Sequanis et Helvetiis flumen Rhenum, "
    "vergit ad septentriones. Belgae ab extremis Galliae finibus oriuntur, pertinent ad inferiorem partem fluminis Rheni, "
    "spectant in septentrionem et orientem solem. Aquitania a Garumna flumine ad Pyrenaeos montes et eam partem Oceani quae est "
    "ad Hispaniam pertinet; spectat inter occasum solis et septentriones.";

class Press {
 public:
  Press(Sheet& sheet, const text::Font& font, GlyphInk& ink) : sheet_(sheet), font_(font), ink_(ink) {}

  // Lines of text set horizontally by engine/text from (x, y) (the top of the first line), at
  // most `width` wide; returns the y below the last line.
  Result<float> set(std::string_view words, float x, float y, float size, float width, text::Alignment alignment, InkLayer layer,
                    float line_spacing = 1.45f) {
    text::LayoutStyle style;
    style.orientation = text::Orientation::horizontal;
    style.size = size;
    style.extent = width;
    style.alignment = alignment;
    style.line_spacing = line_spacing;
    style.language = "la";
    PV_TRY_ASSIGN(const text::TextLayout layout, text::lay_out(words, {}, font_, font_, style));
    for (const text::PlacedGlyph& glyph : layout.glyphs) PV_TRY(print(glyph.glyph, x + glyph.x, y + glyph.y, size, layer));
    return y + layout.height;
  }

  Result<void> print(uint32_t glyph, float x, float y, float size, InkLayer layer, float stretch = 1) {
    PV_TRY_ASSIGN(const GlyphBitmap bitmap, ink_.render(glyph, size, stretch, stretch));
    if (bitmap.width == 0) return {};
    // Letterpress: type bites into the paper and squeezes ink to its edges, a little rough.
    const float radius = std::max(1.0f, size * 0.008f);
    const auto pad = static_cast<uint32_t>(radius) + 3;
    const uint32_t w = bitmap.width + 2 * pad, h = bitmap.height + 2 * pad;
    std::vector<float> padded(size_t{w} * h, 0.0f);
    for (uint32_t row = 0; row < bitmap.height; ++row) {
      std::copy_n(bitmap.coverage.begin() + static_cast<ptrdiff_t>(row * bitmap.width), bitmap.width,
                  padded.begin() + static_cast<ptrdiff_t>((row + pad) * w + pad));
    }
    const auto px = static_cast<int32_t>(std::lround(x)) + bitmap.left - static_cast<int32_t>(pad);
    const auto py = static_cast<int32_t>(std::lround(y)) - bitmap.top - static_cast<int32_t>(pad);
    sheet_.stamp(layer, px, py, w, h, leaf::inked(padded, w, h, px, py, radius, 0.04f, seed_++));
    return {};
  }

  const text::Font& font() const { return font_; }

 private:
  Sheet& sheet_;
  const text::Font& font_;
  GlyphInk& ink_;
  uint32_t seed_ = 7;
};

// A red initial in a blue penwork square, its flourish running down the margin, as a rubricator
// drew them in the first printed books.
Result<void> decorated_initial(Sheet& sheet, Press& press, char32_t letter, float left, float top, float side, float margin_bottom) {
  const float pen = side * 0.008f;
  sheet.rule(InkLayer::blue, left, top, left + side, top, pen, pen * 0.6f, 0, 1);
  sheet.rule(InkLayer::blue, left, top + side, left + side, top + side, pen, pen * 0.6f, 0, 2);
  sheet.rule(InkLayer::blue, left, top, left, top + side, pen, pen * 0.6f, 0, 3);
  sheet.rule(InkLayer::blue, left + side, top, left + side, top + side, pen, pen * 0.6f, 0, 4);
  // Penwork: rows of small circles and strokes filling the square around the letter.
  const int rows = 9;
  for (int row = 0; row < rows; ++row) {
    for (int column = 0; column < rows; ++column) {
      const float cx = left + side * (static_cast<float>(column) + 0.5f) / rows;
      const float cy = top + side * (static_cast<float>(row) + 0.5f) / rows;
      sheet.ring(InkLayer::blue, cx, cy, side * 0.018f, pen * 0.8f, static_cast<uint32_t>(row * rows + column));
      if ((row + column) % 2 == 0) sheet.ring(InkLayer::blue, cx, cy, pen * 0.9f, pen * 0.9f, 99);
    }
  }
  // The flourish: a wavy line down the margin with curls.
  const float x0 = left - side * 0.12f;
  for (float y = top; y < margin_bottom; y += 1) {
    const float t = (y - top) / side;
    const float x = x0 + side * 0.05f * std::sin(t * 2 * std::numbers::pi_v<float> * 1.5f);
    sheet.cover(InkLayer::blue, static_cast<int32_t>(x), static_cast<int32_t>(y), 1);
    sheet.cover(InkLayer::blue, static_cast<int32_t>(x) + 1, static_cast<int32_t>(y), 1);
    if (std::fmod(y - top, side * 0.33f) < 1) sheet.ring(InkLayer::blue, x - side * 0.07f, y, side * 0.035f, pen, static_cast<uint32_t>(y));
  }
  const uint32_t glyph = press.font().glyph_for(letter);
  const auto box = press.font().glyph_box(glyph);
  if (!box) return Error(ErrorCode::not_found, "drawing the decorated initial", "the font has no glyph for the initial");
  const float size = side * 0.78f / (box->top - box->bottom);
  const float letter_x = left + (side - (box->right - box->left) * size) / 2 - box->left * size;
  const float baseline = top + side / 2 + (box->top + box->bottom) * size / 2;
  return press.print(glyph, letter_x, baseline, size, InkLayer::red);
}

}  // namespace

Result<std::vector<std::filesystem::path>> make_western_codex(const std::filesystem::path& manifest_file, const std::filesystem::path& folder,
                                                               const CodexOptions& options) {
  const std::string step = fmt::format("making the codex's pages for {} in {}", manifest_file.string(), folder.string());
  PV_TRY_ASSIGN(const std::vector<std::byte> bytes, read_file(manifest_file).add_context(step));
  const auto manifest = nlohmann::json::parse(reinterpret_cast<const char*>(bytes.data()), reinterpret_cast<const char*>(bytes.data()) + bytes.size(),
                                              nullptr, false);
  if (manifest.is_discarded() || !manifest.contains("items")) return Error(ErrorCode::invalid_input, step, "not a Presentation 3 manifest with items");
  std::error_code made;
  std::filesystem::create_directories(folder, made);
  if (made) return Error(ErrorCode::io, step, fmt::format("cannot create the folder: {}", made.message()));

  // Noto Serif CJK's Latin is Source Serif's: a transitional roman close to what printers cut.
  PV_TRY_ASSIGN(const auto font, text::Font::open(text::song_face().file, text::song_face().index).add_context(step));
  PV_TRY_ASSIGN(auto ink, GlyphInk::open(*font));

  std::vector<std::filesystem::path> written;
  uint32_t page = 0;
  for (const auto& canvas : manifest["items"]) {
    ++page;
    const auto& body = canvas["items"][0]["items"][0]["body"];
    std::string service = body["service"][0]["id"].get<std::string>();
    const std::string name = service.substr(service.find_last_of('/') + 1) + ".jpg";
    const auto width = static_cast<uint32_t>(std::lround(body["width"].get<float>() * options.scale));
    const auto height = static_cast<uint32_t>(std::lround(body["height"].get<float>() * options.scale));
    const std::string label = canvas["label"]["en"][0].get<std::string>();

    leaf::Paper paper;
    paper.colour = {236, 226, 202};
    paper.tone_variation = 0.04f;
    paper.mottle = 0.02f;
    paper.grain = 0.012f;
    paper.fibres_per_megapixel = 120;
    paper.laid_line_spacing = static_cast<float>(height) * 0.0035f;
    paper.chain_line_spacing = static_cast<float>(height) * 0.055f;
    paper.foxing_spots = 24;
    paper.edge_darkening = 0.05f;
    paper.stain_colour = {170, 118, 70};
    paper.seed = 2000 + page;
    Sheet sheet(width, height, paper, {leaf::Ink{{30, 26, 24}, 0.12f, 0.15f}, leaf::Ink{{176, 40, 32}, 0.12f, 0.15f}, leaf::Ink{{42, 66, 140}, 0.15f, 0.2f}});
    Press press(sheet, *font, *ink);
    const float w = static_cast<float>(width), h = static_cast<float>(height);
    // Page proportions of a well-made book: inner margin narrowest, foot widest. Versos (even
    // pages) have their inner margin on the right.
    const bool verso = page % 2 == 0;
    const float block_width = w * 0.66f;
    const float block_left = verso ? w * 0.21f : w * 0.13f;
    const float block_top = h * 0.1f;
    if (label == "Frontispiece") {
      const float size = h * 0.0165f;
      PV_TRY(press.set("LIBER PRIMVS", block_left, block_top, size * 1.4f, block_width, text::Alignment::center, InkLayer::red).add_context(step));
      const float text_top = block_top + size * 4;
      const float initial = size * 1.45f * 3;  // three lines tall
      PV_TRY(decorated_initial(sheet, press, U'G', block_left, text_top - size * 0.2f, initial - size * 0.5f, h * 0.72f).add_context(step));
      // The first four lines run beside the initial, the rest the block's full width.
      const float narrow = block_width - initial;
      text::LayoutStyle probe;
      probe.orientation = text::Orientation::horizontal;
      probe.size = size;
      probe.extent = narrow;
      probe.alignment = text::Alignment::start;
      probe.line_spacing = 1.45f;
      PV_TRY_ASSIGN(const text::TextLayout first, text::lay_out(caesar, {}, *font, *font, probe));
      size_t split = caesar.size();
      for (const text::CharacterCell& cell : first.cells) {
        if (cell.line == 3) {
          split = cell.character;
          break;
        }
      }
      PV_TRY(press.set(caesar.substr(0, split), block_left + initial, text_top, size, narrow, text::Alignment::start, InkLayer::black)
                 .add_context(step));
      PV_TRY(press.set(caesar.substr(split), block_left, text_top + size * 1.45f * 3, size, block_width, text::Alignment::start, InkLayer::black)
                 .add_context(step));
      PV_TRY(press.set("A ij", block_left, h * 0.86f, size * 0.8f, block_width, text::Alignment::end, InkLayer::black).add_context(step));
    } else if (label == "Title page") {
      const float size = h * 0.02f;
      float y = h * 0.16f;
      PV_TRY_ASSIGN(y, press.set("C. IVLII CAESARIS", block_left, y, size * 1.3f, block_width, text::Alignment::center, InkLayer::black));
      PV_TRY_ASSIGN(y, press.set("COMMENTARII", block_left, y + size * 0.6f, size * 2, block_width, text::Alignment::center, InkLayer::red));
      PV_TRY_ASSIGN(y, press.set("DE BELLO GALLICO", block_left, y + size * 0.4f, size * 1.3f, block_width, text::Alignment::center, InkLayer::black));
      PV_TRY_ASSIGN(y, press.set("LIBRI SEPTEM", block_left, y + size * 0.4f, size, block_width, text::Alignment::center, InkLayer::red));
      // A printer's device: a ring with a cross and orb.
      const float cx = block_left + block_width / 2, cy = h * 0.56f, r = w * 0.09f;
      sheet.ring(InkLayer::black, cx, cy, r, r * 0.05f, 5);
      sheet.ring(InkLayer::black, cx, cy, r * 0.86f, r * 0.02f, 6);
      sheet.rule(InkLayer::black, cx, cy - r * 0.7f, cx, cy + r * 0.5f, r * 0.05f, 1, 0, 7);
      sheet.rule(InkLayer::black, cx - r * 0.35f, cy - r * 0.35f, cx + r * 0.35f, cy - r * 0.35f, r * 0.05f, 1, 0, 8);
      sheet.ring(InkLayer::black, cx, cy + r * 0.5f, r * 0.16f, r * 0.04f, 9);
      PV_TRY(press.set("VENETIIS", block_left, h * 0.74f, size, block_width, text::Alignment::center, InkLayer::black).add_context(step));
      PV_TRY(press.set("APVD ALDVM MANVTIVM", block_left, h * 0.74f + size * 1.8f, size * 0.8f, block_width, text::Alignment::center, InkLayer::black));
      PV_TRY(press.set("M · D · XIII", block_left, h * 0.74f + size * 3.4f, size * 0.8f, block_width, text::Alignment::center, InkLayer::red));
    } else if (label == "Bookplate") {
      const float size = h * 0.022f;
      const float pw = w * 0.42f, ph = h * 0.26f, px = (w - pw) / 2, py = h * 0.3f;
      const float line = h * 0.002f;
      sheet.rule(InkLayer::black, px, py, px + pw, py, line * 2, 1, 0, 11);
      sheet.rule(InkLayer::black, px, py + ph, px + pw, py + ph, line * 2, 1, 0, 12);
      sheet.rule(InkLayer::black, px, py, px, py + ph, line * 2, 1, 0, 13);
      sheet.rule(InkLayer::black, px + pw, py, px + pw, py + ph, line * 2, 1, 0, 14);
      sheet.rule(InkLayer::black, px + pw * 0.04f, py + ph * 0.05f, px + pw * 0.96f, py + ph * 0.05f, line, 1, 0, 15);
      sheet.rule(InkLayer::black, px + pw * 0.04f, py + ph * 0.95f, px + pw * 0.96f, py + ph * 0.95f, line, 1, 0, 16);
      PV_TRY_ASSIGN(float y, press.set("EX LIBRIS", px, py + ph * 0.16f, size * 1.5f, pw, text::Alignment::center, InkLayer::black));
      PV_TRY_ASSIGN(y, press.set("BIBLIOTHECAE PAVILIONIS", px, y + size * 0.8f, size * 0.9f, pw, text::Alignment::center, InkLayer::black));
      PV_TRY(press.set("N° 1513", px, y + size * 1.2f, size * 0.8f, pw, text::Alignment::center, InkLayer::red).add_context(step));
    }
    sheet.age();
    const std::filesystem::path file = folder / name;
    PV_TRY(sheet.write_jpeg(file, options.jpeg_quality).add_context(step));
    written.push_back(file);
  }
  const std::filesystem::path copy = folder / "manifest.json";
  PV_TRY(write_file_atomic(copy, bytes).add_context(step));
  written.push_back(copy);
  return written;
}

}  // namespace pavilion::procedural

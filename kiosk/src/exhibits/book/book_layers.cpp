// The commentary and seal layers, and the line read aloud, as world overlay geometry on the pages.
#include "exhibits/book/book_layers.h"

#include "kiosk_state.h"
#include "access/spoken_text.h"
#include "touch/widgets.h"
#include "pavilion/core/image.h"

#include <fmt/format.h>
#include <glm/common.hpp>
#include <glm/gtc/matrix_transform.hpp>
#include <imgui.h>
#include <imgui_internal.h>

#include <algorithm>
#include <array>
#include <string_view>

namespace pavilion::kiosk {
namespace {

// The switches' words, in both languages.
struct LayerWords {
  const char* zh_cn;
  const char* en;
  const char* in(Language language) const { return language == Language::zh_cn ? zh_cn : en; }
};
constexpr LayerWords commentary_words{"批注", "Commentary"};
constexpr LayerWords seal_words{"印章", "Seals"};

constexpr uint32_t layer_rgba(uint32_t r, uint32_t g, uint32_t b, uint32_t a) { return r | (g << 8) | (b << 16) | (a << 24); }

// A rectangle on a page's overlay plane: metres from the picture's top-left corner, y down.
struct Box {
  float x = 0, y = 0, width = 0, height = 0;
};

// The layers lie a millimetre above the paper, so the page's own depth never hides them.
constexpr float lift_metres = 0.001f;
// Sizes as fractions of the page's height: legible when the page fills the screen or is zoomed.
constexpr float smallest_em = 1.0f / 110.0f;
constexpr float seal_label_em = 1.0f / 55.0f;
constexpr float edge_width = 1.0f / 600.0f;
constexpr float read_line_width = 1.0f / 200.0f;
constexpr float line_spacing = 1.15f;
constexpr float whole_page_margin = 1.0f / 25.0f;  // around what lies on the whole page

bool breaks_anywhere(unsigned int code_point) { return code_point >= 0x2E80; }  // CJK and beyond: no spaces between words

// Lays `text` out in `font` at `em` metres a line, wrapped to `width`: calls place(code point,
// x, y) for each character's top-left corner (metres from the text's corner) and returns the
// lines used and the widest line's width. LayerWords of Latin script wrap whole; CJK characters one
// by one. No allocation.
template <class Place>
std::pair<uint32_t, float> lay_out(const ImFont& font, std::string_view text, float em, float width, Place&& place) {
  const float scale = em / font.FontSize;
  const char* at = text.data();
  const char* const end = text.data() + text.size();
  uint32_t lines = 1;
  float x = 0, widest = 0;
  const auto advance_of = [&](unsigned int code_point) {
    return font.GetCharAdvance(static_cast<ImWchar>(code_point <= 0xFFFF ? code_point : 0xFFFD)) * scale;
  };
  while (at < end) {
    unsigned int code_point = 0;
    const int length = std::max(1, ImTextCharFromUtf8(&code_point, at, end));
    if (code_point == '\n') {
      ++lines;
      x = 0;
      at += length;
      continue;
    }
    if (code_point == ' ') {
      if (x > 0) x += advance_of(code_point);  // no space opens a line
      at += length;
      continue;
    }
    // The word from here: one CJK character, or letters up to the next space or CJK character.
    const char* word_end = at + length;
    float word_width = advance_of(code_point);
    if (!breaks_anywhere(code_point)) {
      while (word_end < end) {
        unsigned int next = 0;
        const int next_length = std::max(1, ImTextCharFromUtf8(&next, word_end, end));
        if (next == ' ' || next == '\n' || breaks_anywhere(next)) break;
        word_width += advance_of(next);
        word_end += next_length;
      }
    }
    if (x > 0 && x + word_width > width) {
      ++lines;
      x = 0;
    }
    for (const char* in_word = at; in_word < word_end;) {
      unsigned int character = 0;
      in_word += std::max(1, ImTextCharFromUtf8(&character, in_word, word_end));
      place(character, x, static_cast<float>(lines - 1) * em * line_spacing, scale);
      x += advance_of(character);
      widest = std::max(widest, x);
    }
    at = word_end;
  }
  return {lines, widest};
}

// Lays `text` out in columns read top to bottom, right to left, `em` metres a character and at
// most `height` metres a column, as a Chinese note is written beside the column it comments on
// (旁批): calls place(code point, x, y, scale) with x leftwards from the text's top-right corner
// (negative) and returns the columns used. A line break starts a column. No allocation.
template <class Place>
uint32_t lay_out_columns(const ImFont& font, std::string_view text, float em, float height, Place&& place) {
  const float scale = em / font.FontSize;
  const float pitch = em * line_spacing;
  const char* at = text.data();
  const char* const end = text.data() + text.size();
  uint32_t columns = 1;
  float y = 0;
  while (at < end) {
    unsigned int code_point = 0;
    at += std::max(1, ImTextCharFromUtf8(&code_point, at, end));
    if (code_point == '\n') {
      ++columns;
      y = 0;
      continue;
    }
    if (code_point == ' ' && y == 0) continue;  // no space opens a column
    if (y > 0 && y + em > height) {
      ++columns;
      y = 0;
    }
    // Each character centred across its column, whatever its own advance.
    const float advance = font.GetCharAdvance(static_cast<ImWchar>(code_point <= 0xFFFF ? code_point : 0xFFFD)) * scale;
    place(code_point, -static_cast<float>(columns) * pitch + 0.5f * (pitch - advance), y, scale);
    y += code_point == ' ' ? 0.5f * em : em;
  }
  return columns;
}

// Whether a note is written in columns: a region much taller than wide whose text begins in CJK
// (a Latin note on a narrow strip still reads across, wrapped).
bool written_in_columns(const Box& region, std::string_view text) {
  if (region.height < 1.5f * region.width || text.empty()) return false;
  unsigned int first = 0;
  ImTextCharFromUtf8(&first, text.data(), text.data() + text.size());
  return breaks_anywhere(first);
}

class PageDrawing {
 public:
  PageDrawing(ui::OverlayBuffers& out, render::OverlayTextureId white, const ImFont* font) : out_(out), white_(white), font_(font) {}

  void fill(const Box& box, uint32_t color) {
    begin(white_);
    ui::append_flat_quad(box.x, box.y, box.x + box.width, box.y + box.height, color, out_);
  }

  void outline(const Box& box, float width, uint32_t color) {
    begin(white_);
    const float right = box.x + box.width, bottom = box.y + box.height;
    ui::append_flat_quad(box.x - width, box.y - width, right + width, box.y, color, out_);
    ui::append_flat_quad(box.x - width, bottom, right + width, bottom + width, color, out_);
    ui::append_flat_quad(box.x - width, box.y, box.x, bottom, color, out_);
    ui::append_flat_quad(right, box.y, right + width, bottom, color, out_);
  }

  // Text in a box on `region`, as large as fits it (down to the smallest legible size, past which
  // the box grows downwards to hold it all).
  void text_in_box(const Box& region, std::string_view text, float page_height, const LayerColors& colors) {
    if (written_in_columns(region, text)) {
      columns_in_box(region, text, page_height, colors);
      return;
    }
    const float padding = std::min(region.width, region.height) * 0.08f;
    const float room = std::max(region.width - 2 * padding, page_height * smallest_em);
    float em = std::min(region.height - 2 * padding, region.width * 0.5f);
    uint32_t lines = 1;
    for (int attempt = 0; font_ != nullptr && attempt < 16; ++attempt) {
      em = std::max(em, page_height * smallest_em);
      lines = lay_out(*font_, text, em, room, [](unsigned int, float, float, float) {}).first;
      if (static_cast<float>(lines) * em * line_spacing <= region.height - 2 * padding || em <= page_height * smallest_em) break;
      em *= 0.85f;
    }
    Box box = region;
    box.height = std::max(region.height, static_cast<float>(lines) * em * line_spacing + 2 * padding);
    fill(box, colors.box);
    outline(box, page_height * edge_width, colors.box_edge);
    put_text(text, box.x + padding, box.y + padding, em, room, colors.commentary_ink);
  }

  // Text in columns in a box on a tall `region`, as large as fits it (down to the smallest legible
  // size, past which the box grows leftwards: the way a note's further columns are written).
  void columns_in_box(const Box& region, std::string_view text, float page_height, const LayerColors& colors) {
    const float padding = std::min(region.width, region.height) * 0.08f;
    const float room = std::max(region.height - 2 * padding, page_height * smallest_em);
    float em = std::min(region.width - 2 * padding, region.height * 0.5f) / line_spacing;
    uint32_t columns = 1;
    for (int attempt = 0; font_ != nullptr && attempt < 16; ++attempt) {
      em = std::max(em, page_height * smallest_em);
      columns = lay_out_columns(*font_, text, em, room, [](unsigned int, float, float, float) {});
      if (static_cast<float>(columns) * em * line_spacing <= region.width - 2 * padding || em <= page_height * smallest_em) break;
      em *= 0.85f;
    }
    Box box = region;
    box.width = std::max(region.width, static_cast<float>(columns) * em * line_spacing + 2 * padding);
    box.x = region.x + region.width - box.width;
    fill(box, colors.box);
    outline(box, page_height * edge_width, colors.box_edge);
    put_glyphs(box.x + box.width - padding, box.y + padding, colors.commentary_ink, [&](auto&& place) {
      lay_out_columns(*font_, text, em, room, place);
    });
  }

  // A note on the whole page: a slip across the page, `em` metres a line, whose bottom edge is at
  // `bottom`; returns the slip's top.
  float slip_above(float bottom, float left, float width, std::string_view text, float em, const LayerColors& colors) {
    const float padding = em * 0.5f;
    const float room = width - 2 * padding;
    const uint32_t lines = font_ == nullptr ? 1 : lay_out(*font_, text, em, room, [](unsigned int, float, float, float) {}).first;
    const float height = static_cast<float>(lines) * em * line_spacing + 2 * padding;
    const Box box{left, bottom - height, width, height};
    fill(box, colors.box);
    outline(box, em * 0.1f, colors.box_edge);
    put_text(text, box.x + padding, box.y + padding, em, room, colors.commentary_ink);
    return box.y;
  }

  // A seal's name on one line under its region, in a box as wide as the name.
  void label_below(const Box& region, std::string_view text, float page_height, const LayerColors& colors) {
    if (font_ == nullptr || text.empty()) return;
    caption(text, {region.x, region.y + region.height + page_height * edge_width * 2}, page_height * seal_label_em,
            colors.box, colors.seal_ink);
  }

  // `text` on one line in a box as wide as it, from `at`; the box's size.
  glm::vec2 caption(std::string_view text, glm::vec2 at, float em, uint32_t box_color, uint32_t ink) {
    const float padding = em * 0.25f;
    const float widest = lay_out(*font_, text, em, 1e9f, [](unsigned int, float, float, float) {}).second;
    const Box box{at.x, at.y, widest + 2 * padding, em * line_spacing + padding};
    fill(box, box_color);
    put_text(text, box.x + padding, box.y + padding * 0.5f, em, 1e9f, ink);
    return {box.width, box.height};
  }

 private:
  void begin(render::OverlayTextureId texture) {
    if (!out_.draws.empty() && out_.draws.back().texture == texture) return;
    ui::begin_flat_quads(texture, out_);
  }

  void put_text(std::string_view text, float left, float top, float em, float width, uint32_t color) {
    put_glyphs(left, top, color, [&](auto&& place) { lay_out(*font_, text, em, width, place); });
  }

  // The glyphs `lay_out_text(place)` places, from (left, top).
  template <class LayOut>
  void put_glyphs(float left, float top, uint32_t color, LayOut&& lay_out_text) {
    if (font_ == nullptr) return;
    begin(static_cast<render::OverlayTextureId>(reinterpret_cast<uintptr_t>(font_->ContainerAtlas->TexID)));
    lay_out_text([&](unsigned int code_point, float x, float y, float scale) {
      const ImFontGlyph* glyph = font_->FindGlyphNoFallback(static_cast<ImWchar>(code_point <= 0xFFFF ? code_point : 0));
      if (glyph == nullptr || !glyph->Visible) return;
      // The draw's vertices are indexed by 16 bits: a very long text starts another draw.
      if (out_.vertices.size() - static_cast<size_t>(out_.draws.back().vertex_offset) + 4 > 0xFFFF) {
        ui::begin_flat_quads(out_.draws.back().texture, out_);
      }
      render::OverlayDraw& draw = out_.draws.back();
      const auto first = static_cast<uint16_t>(out_.vertices.size() - static_cast<size_t>(draw.vertex_offset));
      const float x0 = left + x + glyph->X0 * scale, x1 = left + x + glyph->X1 * scale;
      const float y0 = top + y + glyph->Y0 * scale, y1 = top + y + glyph->Y1 * scale;
      out_.vertices.push_back({x0, y0, glyph->U0, glyph->V0, color});
      out_.vertices.push_back({x1, y0, glyph->U1, glyph->V0, color});
      out_.vertices.push_back({x1, y1, glyph->U1, glyph->V1, color});
      out_.vertices.push_back({x0, y1, glyph->U0, glyph->V1, color});
      for (const uint16_t corner : {0, 1, 2, 0, 2, 3}) out_.indices.push_back(static_cast<uint16_t>(first + corner));
      draw.index_count += 6;
    });
  }

  ui::OverlayBuffers& out_;
  render::OverlayTextureId white_;
  const ImFont* font_;
};

}  // namespace

const LayerColors layer_colors{
    layer_rgba(250, 244, 226, 235),  // a slip of paper laid on the page
    layer_rgba(150, 40, 30, 255),    // cinnabar, as the commentary on the book itself
    layer_rgba(40, 30, 26, 255),
    layer_rgba(200, 30, 30, 255),
    layer_rgba(150, 30, 25, 255),
    layer_rgba(255, 176, 0, 255),    // amber: seen on paper and on ink alike
    layer_rgba(255, 176, 0, 90),
};
const LayerColors layer_colors_high_contrast{
    layer_rgba(0, 0, 0, 255), layer_rgba(255, 255, 0, 255), layer_rgba(255, 255, 255, 255),
    layer_rgba(255, 255, 0, 255), layer_rgba(255, 255, 255, 255), layer_rgba(0, 255, 255, 255), layer_rgba(0, 255, 255, 110),
};

AnnotationLayer layer_of(const scene::PageAnnotation& annotation) {
  const std::string_view motivation = annotation.motivation;
  if (motivation == "commenting" || motivation == "supplementing") return AnnotationLayer::commentary;
  // A seal is where it was stamped: a tag of the whole page names no place on it.
  if ((motivation == "tagging" || motivation == "identifying") && annotation.region) return AnnotationLayer::seal;
  return AnnotationLayer::none;
}

bool painted_text(const scene::PageAnnotation& annotation) { return annotation.motivation == "painting" && !annotation.value.empty(); }

bool shows_painted_text(const scene::Book& book, std::span<const ShownPage> pages) {
  return std::ranges::any_of(pages, [&](const ShownPage& shown) {
    return shown.page < book.pages.size() && std::ranges::any_of(book.pages[shown.page].annotations, painted_text);
  });
}

const char* layer_words(AnnotationLayer layer, Language language) {
  return (layer == AnnotationLayer::seal ? seal_words : commentary_words).in(language);
}

void append_layer_glyphs(const scene::Book& book, std::string& text) {
  for (const LayerWords& words : {commentary_words, seal_words}) (text += words.zh_cn) += words.en;
  text += "●○";
  for (const scene::BookPage& page : book.pages) {
    for (const scene::PageAnnotation& annotation : page.annotations) {
      if (layer_of(annotation) != AnnotationLayer::none || painted_text(annotation)) text += annotation.value;
    }
  }
}

glm::vec2 append_caption(ui::OverlayBuffers& out, std::string_view text, glm::vec2 at, float em, uint32_t box, uint32_t ink,
                         render::OverlayTextureId white, const ImFont& font) {
  PageDrawing drawing(out, white, &font);
  return drawing.caption(text, at, em, box, ink);
}

bool book_has_layer(const scene::Book& book, AnnotationLayer layer) {
  return std::ranges::any_of(book.pages, [&](const scene::BookPage& page) {
    return std::ranges::any_of(page.annotations, [&](const scene::PageAnnotation& annotation) { return layer_of(annotation) == layer; });
  });
}

std::span<const render::WorldOverlay> BookOverlay::build(const scene::Book& book, std::span<const ShownPage> pages,
                                                         LayerSwitches switches, std::optional<ReadLine> read,
                                                         const LayerColors& colors, render::OverlayTextureId white,
                                                         const ImFont* font) {
  overlays_.clear();
  if (buffers_.size() < pages.size()) buffers_.resize(pages.size());
  for (size_t index = 0; index < pages.size(); ++index) {
    const ShownPage& shown = pages[index];
    const scene::BookPage& page = book.pages[shown.page];
    ui::OverlayBuffers& buffers = buffers_[index];
    buffers.clear();
    PageDrawing drawing(buffers, white, font);
    const glm::vec2 size = shown.placement.size;
    // Annotations are placed on the canvas, text lines on the image; both cover the whole picture,
    // of which the page shows its crop (a half-leaf: one side of the fold).
    const render::PageCrop& crop = shown.placement.crop;
    const glm::vec2 cropped = glm::max(crop.max - crop.min, glm::vec2(1e-6f));
    const auto on_page = [&](const scene::PageRegion& region, float across, float down) {
      const float x_scale = across > 0 ? 1.0f / across : 0.0f;
      const float y_scale = down > 0 ? 1.0f / down : 0.0f;
      const glm::vec2 from = (glm::vec2(region.x * x_scale, region.y * y_scale) - crop.min) / cropped * size;
      const glm::vec2 extent = glm::vec2(region.width * x_scale, region.height * y_scale) / cropped * size;
      return Box{from.x, from.y, extent.x, extent.y};
    };
    // What lies on the part of the picture this page does not show is drawn with the page that does.
    const auto shows = [&](const Box& box) {
      const glm::vec2 centre(box.x + 0.5f * box.width, box.y + 0.5f * box.height);
      return centre.x >= 0 && centre.x <= size.x && centre.y >= 0 && centre.y <= size.y;
    };
    const auto canvas_width = static_cast<float>(page.canvas_width > 0 ? page.canvas_width : page.width);
    const auto canvas_height = static_cast<float>(page.canvas_height > 0 ? page.canvas_height : page.height);
    // What lies on the whole page is drawn once, on the first part of it shown (a leaf imaged
    // whole may show both its halves).
    const bool first_shown =
        std::none_of(pages.begin(), pages.begin() + static_cast<ptrdiff_t>(index), [&](const ShownPage& earlier) { return earlier.page == shown.page; });
    const float margin = size.y * whole_page_margin;
    float foot = size.y - margin;  // notes on the whole page are stacked upwards from the page's foot
    for (const scene::PageAnnotation& annotation : page.annotations) {
      const AnnotationLayer layer = layer_of(annotation);
      // Text painted on the page is the page itself, shown whatever the switches say.
      const bool painted = painted_text(annotation);
      if (!painted && !(layer == AnnotationLayer::commentary && switches.commentary) &&
          !(layer == AnnotationLayer::seal && switches.seals)) {
        continue;
      }
      if (!annotation.region) {
        if (!first_shown) continue;
        if (painted && page.placeholder) {
          // A page with no picture but its text: the text fills the leaf.
          drawing.text_in_box({margin, margin, size.x - 2 * margin, size.y - 2 * margin}, annotation.value, size.y, colors);
        } else {
          foot = drawing.slip_above(foot, margin, size.x - 2 * margin, annotation.value, size.y * seal_label_em, colors) -
                 size.y * edge_width * 2;
        }
        continue;
      }
      const Box region = on_page(*annotation.region, canvas_width, canvas_height);
      if (!shows(region)) continue;
      if (layer == AnnotationLayer::seal) {
        drawing.outline(region, size.y * edge_width * 2, colors.seal_edge);
        drawing.label_below(region, annotation.value, size.y, colors);
      } else {
        drawing.text_in_box(region, annotation.value, size.y, colors);
      }
    }
    if (read && read->page == shown.page && read->line < page.lines.size()) {
      const Box line = on_page(page.lines[read->line].region, static_cast<float>(page.width), static_cast<float>(page.height));
      if (shows(line)) {
        // Filled as well as outlined: a line is a few pixels high when the whole book is in view.
        drawing.fill(line, colors.read_line_fill);
        drawing.outline(line, size.y * read_line_width, colors.read_line);
      }
    }
    if (buffers.draws.empty()) continue;
    // The plane's origin at the picture's top-left corner, its axes the page's (y up: the world
    // overlay's y runs down from there).
    const glm::mat4 plane_to_world = glm::translate(shown.placement.transform, glm::vec3(-0.5f * size.x, 0.5f * size.y, lift_metres));
    overlays_.push_back({plane_to_world, buffers.view()});
  }
  return overlays_;
}

Result<std::span<const render::WorldOverlay>> BookLayers::hang(const scene::Book& book, std::span<const ShownPage> pages,
                                                             std::optional<ReadLine> read) {
  if (!switches_.commentary && !switches_.seals && !read && !shows_painted_text(book, pages)) {
    return std::span<const render::WorldOverlay>();
  }
  if (!white_) {
    ImageRgba8 white(1, 1);
    std::fill(white.pixels.begin(), white.pixels.end(), uint8_t{255});
    PV_TRY_ASSIGN(white_, kiosk_.display.renderer->add_overlay_texture(white));
  }
  const LayerColors& colors = kiosk_.visit.settings.high_contrast ? layer_colors_high_contrast : layer_colors;
  return overlay_.build(book, pages, switches_, read, colors, *white_, kiosk_.display.ui->body_font());
}

void BookLayers::draw_switches(const scene::Book& book) {
  const bool commentary = book_has_layer(book, AnnotationLayer::commentary);
  const bool seals = book_has_layer(book, AnnotationLayer::seal);
  if (!commentary && !seals) return;
  const Language language = kiosk_.visit.settings.language;
  const float width = (ImGui::GetContentRegionAvail().x - ImGui::GetStyle().ItemSpacing.x) * 0.5f;
  const float height = 72 * kiosk_.ui_scale() * kiosk_.target_scale();
  std::array<char, 128> shown;
  std::array<char, 256> said;
  const auto toggle = [&](const char* name, const LayerWords& words, bool& value) {
    if (kiosk_.button(name, label(shown, "{}{}", value ? "● " : "○ ", words.in(language)), width, height, value,
                      label(said, fmt::runtime(spoken(value ? Spoken::state_on : Spoken::state_off, language)), words.in(language)))) {
      value = !value;
    }
  };
  ImGui::Spacing();
  if (commentary) toggle("book:commentary", commentary_words, switches_.commentary);
  if (commentary && seals) ImGui::SameLine();
  if (seals) toggle("book:seals", seal_words, switches_.seals);
}

void BookLayers::reset() {
  switches_ = {};
  shown_.clear();
}

void BookLayers::release() {
  reset();
  white_.reset();
}

void BookLayers::add_glyphs(std::string& text) const {
  for (const ContentEntry& entry : kiosk_.content.entries()) {
    for (const scene::Book& book : entry.books) append_layer_glyphs(book, text);
  }
}

}  // namespace pavilion::kiosk

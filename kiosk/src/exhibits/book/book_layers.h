// What the book player draws over its pages in the scene (#17 items 4 and 5): the commentary and
// seal layers a visitor shows or hides, and the line being read aloud outlined. It is world
// overlay geometry (render::WorldOverlay) on each shown page's plane, so it stays on the page in
// every view: on the kiosk's screen, in both eyes of a headset, in a snapshot.
//
// Which annotation is which layer (kiosk/README.md, "Books"): the Web Annotation motivations the
// manifest gives it. Commentary is "commenting" or "supplementing" (a reader's note, a
// transcription); a seal is "tagging" or "identifying" (a region named: the collector's seal
// 松風閣藏). Commentary is drawn as its text in a box on its region (in columns, top to bottom and
// right to left, when the region is a tall strip and the note Chinese or Japanese: a 旁批), or,
// a note on the whole page, on a slip across the page's foot; a seal as its region outlined with
// its name below it (a tag of the whole page is no seal). Text a manifest paints on a page
// (a "painting" TextualBody) is part of the page and always drawn: on its region, across a page
// that has no picture, or on a slip at the page's foot.
#pragma once

#include "pavilion/kiosk/kiosk.h"
#include "pavilion/render/overlay.h"
#include "pavilion/render/page_tiles.h"
#include "pavilion/scene/book.h"
#include "pavilion/ui/text_overlay.h"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

struct ImFont;

namespace pavilion::kiosk {

enum class AnnotationLayer { none, commentary, seal };
AnnotationLayer layer_of(const scene::PageAnnotation& annotation);

// Whether `annotation` is text painted on its page.
bool painted_text(const scene::PageAnnotation& annotation);

// Whether a page of the book holds anything of `layer` to draw.
bool book_has_layer(const scene::Book& book, AnnotationLayer layer);

// The layer's switch's words in `language` (批注 Commentary, 印章 Seals).
const char* layer_words(AnnotationLayer layer, Language language);
// The characters the layers draw: their switches' words in both languages, the switches' marks
// (● on, ○ off) and the text of every annotation of `book` on a layer.
void append_layer_glyphs(const scene::Book& book, std::string& text);

// A page lying open: its index in the book and where the renderer shows its picture.
struct ShownPage {
  uint32_t page = 0;
  render::PagePlacement placement;
};

// Whether one of `pages` of `book` has text painted on it: their overlay is drawn whatever the
// switches say.
bool shows_painted_text(const scene::Book& book, std::span<const ShownPage> pages);

struct LayerSwitches {
  bool commentary = false;
  bool seals = false;
  friend bool operator==(const LayerSwitches&, const LayerSwitches&) = default;
};

// A text line of a shown page being read aloud.
struct ReadLine {
  uint32_t page = 0;
  uint32_t line = 0;  // index into the page's lines
  friend bool operator==(const ReadLine&, const ReadLine&) = default;
};

// RGBA, R in the lowest byte, sRGB with straight alpha.
struct LayerColors {
  uint32_t box = 0;          // behind a commentary's text
  uint32_t box_edge = 0;
  uint32_t commentary_ink = 0;
  uint32_t seal_edge = 0;
  uint32_t seal_ink = 0;
  uint32_t read_line = 0;    // the outline of the line being read
  uint32_t read_line_fill = 0;
};
extern const LayerColors layer_colors;
extern const LayerColors layer_colors_high_contrast;

// The geometry, rebuilt when asked into buffers it keeps: a frame that draws what an earlier one
// drew allocates nothing.
class BookOverlay {
 public:
  // The overlays for `pages` of `book`: their annotations of the switched-on layers and `read`'s
  // outline. `white` is a 1×1 white overlay texture; `font` (none: boxes without text) an ImGui
  // font whose atlas is an overlay texture holding the annotations' glyphs (the kiosk's interface
  // font, given them by add_glyphs). Valid until the next call.
  std::span<const render::WorldOverlay> build(const scene::Book& book, std::span<const ShownPage> pages, LayerSwitches switches,
                                              std::optional<ReadLine> read, const LayerColors& colors,
                                              render::OverlayTextureId white, const ImFont* font);

 private:
  std::vector<ui::OverlayBuffers> buffers_;  // one per shown page
  std::vector<render::WorldOverlay> overlays_;
};

// `text` on one line, `em` metres high, in `ink` on a box of `box` colour whose top-left corner is
// `at` on an overlay plane (metres, y down), appended to `out`: a switch of the headset's book.
// Returns the box's size.
glm::vec2 append_caption(ui::OverlayBuffers& out, std::string_view text, glm::vec2 at, float em, uint32_t box, uint32_t ink,
                         render::OverlayTextureId white, const ImFont& font);

// The layers of the book open on the cradle: their switches in the info panel (off when a book
// opens: the scan as it is comes first) and the overlay hung in the scene each frame.
class BookLayers {
 public:
  explicit BookLayers(Kiosk::State& kiosk) : kiosk_(kiosk) {}

  // The opening's pages as the player shows them: cleared, then each added (capacity kept).
  void clear_pages() { shown_.clear(); }
  void add_page(uint32_t page, const render::PagePlacement& placement) { shown_.push_back({page, placement}); }
  std::span<const ShownPage> pages() const { return shown_; }
  // This frame's overlay over `pages` of `book` (pages(), or those with a foldout's panels:
  // BookFoldout::with_panels), with `read` outlined; valid until the next call. Fails only when
  // the renderer does (the device lost).
  Result<std::span<const render::WorldOverlay>> hang(const scene::Book& book, std::span<const ShownPage> pages,
                                                     std::optional<ReadLine> read);
  // A switch for each layer `book` has, in the info panel.
  void draw_switches(const scene::Book& book);
  LayerSwitches switches() const { return switches_; }
  // A book closes: its switches go off.
  void reset();
  // The GPU device goes: the white texture went with it.
  void release();
  // The switches' words, and every annotation's text of the content's books.
  void add_glyphs(std::string& text) const;

 private:
  Kiosk::State& kiosk_;
  std::vector<ShownPage> shown_;
  LayerSwitches switches_;
  std::optional<render::OverlayTextureId> white_;
  BookOverlay overlay_;
};

}  // namespace pavilion::kiosk

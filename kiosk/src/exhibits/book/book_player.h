// The book exhibit on the touch kiosk (#17 item 4): the shown book's current opening lies open in
// the scene where the curator put it, its pages drawn by the renderer's deep zoom (Renderer::
// load_pages, show_page); the panel says what the book is (label, metadata, required statement,
// rights) in the visitor's language, with buttons for the previous and next opening (the next is
// the way the book reads). A finger on a page's outer corner takes the leaf (book::LeafTurn):
// it follows the finger's ray onto the page plane and, let go, finishes turning (the opening
// changes) or falls back (nothing changes); the buttons turn it by itself. The reading is logged
// through interaction::BookReading: page_turn, opening_dwell, book_close.
// Two fingers zoom into the opening, one pans it, a double tap zooms to the scan's own pixels
// (book_zoom.h; zoom and zoom_reached logged); corners turn leaves only unzoomed. The thumbnail
// strip and the table of contents go straight to an opening (book_navigation.h).
// The turning leaf is drawn by the renderer in the scene (Renderer::show_turning_leaf), its faces
// the pictures of the page it lifts and of the page it will lie on, the next page lying beneath it
// (turning_leaf.h). A thread-bound book imaged as whole leaves shows each half-leaf as its side of
// the picture's fold, at the curator's spine offset.
#pragma once

#include "exhibits/book/book_foldout.h"
#include "exhibits/book/book_layers.h"
#include "exhibits/book/book_navigation.h"
#include "exhibits/book/book_reading_aloud.h"
#include "exhibits/book/book_scroll.h"
#include "exhibits/book/book_zoom.h"
#include "exhibits/exhibit_player.h"
#include "pavilion/book/leaf_turn.h"
#include "pavilion/book/openings.h"
#include "pavilion/interaction/book_reading.h"
#include "pavilion/scene/page_tiles.h"

#include <glm/mat4x4.hpp>
#include <glm/vec2.hpp>

#include <array>
#include <memory>
#include <optional>
#include <vector>

namespace pavilion::kiosk {

// Which exhibit of which content entry the book player shows.
struct ShownBookKey {
  size_t entry = 0;
  uint32_t exhibit = 0;
  friend bool operator==(const ShownBookKey&, const ShownBookKey&) = default;
};
// The book player's book on the cradle: which it is, its openings and where it lies. (Outside
// the player: clang does not let a nested class with member initializers be made in place.)
struct BookOnCradle {
  ShownBookKey key;
  const scene::Book* book = nullptr;  // in the content entry, which outlives it
  const scene::BookBody* body = nullptr;  // its body in the shown scene (scene/book_body.h), if it has one
  std::shared_ptr<const book::Openings> openings;  // shared with the prepared book: a long book's are not copied
  size_t opening = 0;  // index into openings.sequence
  glm::mat4 book_to_world{1.0f};  // the book's frame (engine/book/leaf_turn.h) in the scene
  float page_height = 0.3f;       // metres
  std::vector<uint32_t> shown_pages;  // shown with show_page now (capacity kept: no allocation)
  std::optional<interaction::BookReading> reading;
};

class BookPlayer final : public ExhibitPlayer {
 public:
  explicit BookPlayer(Kiosk::State& kiosk) : kiosk_(kiosk) {}

  bool plays(const scene::Exhibit& exhibit) const override { return exhibit.kind == scene::ExhibitKind::book; }
  Result<void> update(double seconds) override;
  Result<std::span<const render::WorldOverlay>> hang_in_scene() override;
  void draw(const scene::Exhibit& shown, float panel_width, float bar_height) override;
  void draw_panel_rows() override;
  void draw_panel_footer() override;
  void draw_panel_controls() override { draw_turn_buttons(); }
  bool holds_pointer() const override {
    return (turn_ && turn_->held()) || zoom_.holds_pointer() || scroll_.held() || foldout_.held();
  }
  CameraCloser camera_closer() const override;
  bool speaking() const override { return reading_aloud_.speaking(); }
  std::string_view help(Language language) const override { return open_ ? reading_aloud_.help(language) : std::string_view(); }
  void close() override;
  void release() override;
  void add_glyphs(std::string& text) const override;

 private:
  Result<void> open_or_close();
  Result<void> open(const ShownBookKey& key, const scene::Book& book);
  // The current opening's pages placed on the cradle, the last one's hidden.
  void show_opening();
  // The book's body lying for the current opening: each side's block as thick as its leaves, a
  // hand scroll's rollers at the section's ends as far as it is unrolled.
  void pose_body();
  // The leaf that turns `step` (+1: to the next opening, −1: to the previous), as it lies.
  book::LeafTurn leaf_for(int step) const;
  // The leaf turned by a button, unless one is already turning.
  void turn_by_button(int step);
  // Where a screen pixel's ray meets the page plane, in the book's frame; empty when it misses.
  std::optional<glm::vec2> on_page_plane(float x, float y) const;
  glm::mat4 view_projection() const;
  // The finger on the page corners: takes, drags and lets go of a leaf; records the corners as
  // touch targets ("book:corner-next", "book:corner-previous") for scripted visitors.
  void handle_finger();
  void record_corner(const char* name, int step, const glm::mat4& to_screen);
  void draw_turn_buttons();
  // The turning leaf handed to the renderer, drawn in the scene with its pages' pictures.
  void draw_turning_leaf();
  bool can_turn(int step) const;
  // Whether the open opening turns as a leaf: an opening of leaves, about a vertical spine or, in
  // a book read top to bottom or bottom to top, a horizontal one it hangs from. A page alone or a
  // strip lies centred, not from a spine: it turns by the buttons alone, without a leaf
  // (kiosk/README.md).
  bool turns_as_leaf() const;
  // To another opening at once (a thumbnail, the table of contents), the whole of it in view.
  void jump_to(size_t opening);
  // The zoom moved: the pages placed anew and the depth logged.
  void after_zoom();
  // A hand scroll (a `continuous` book, book_scroll.h) moved on by `seconds`: its section placed
  // anew and the canvas in its middle read.
  void unroll(double seconds);

  Kiosk::State& kiosk_;
  std::optional<BookOnCradle> open_;
  std::optional<ShownBookKey> failed_;  // could not be opened: shown as an ordinary exhibit
  std::optional<book::LeafTurn> turn_;
  BookLayers layers_{kiosk_};                   // commentary and seals, and the line read, on the pages
  BookReadingAloud reading_aloud_{kiosk_};      // audio-only mode's reading of the opening
  BookZoom zoom_;                               // pinch, pan and double tap into the opening
  BookNavigation navigation_{kiosk_};           // the thumbnail strip and the table of contents
  BookFoldout foldout_;                         // a foldout bound at the opening, folded or open
  ScrollLayout scroll_layout_;                  // a continuous book's strip; empty for any other
  ScrollUnrolling scroll_;
  int turn_step_ = 0;  // what turn_ does once it lies turned over
  glm::vec2 last_finger_{0.0f};
  glm::vec2 finger_velocity_{0.0f};
  bool finger_was_down_ = false;
  double last_finger_time_ = 0;
  // The turning leaf's grid (shape_leaf), kept here so that a frame allocates nothing.
  static constexpr uint32_t leaf_columns = 12;
  static constexpr uint32_t leaf_rows = 8;
  std::array<glm::vec3, (leaf_columns + 1) * (leaf_rows + 1)> leaf_positions_{};
  std::array<glm::vec3, (leaf_columns + 1) * (leaf_rows + 1)> leaf_normals_{};
};

}  // namespace pavilion::kiosk

// The book exhibit in the headset (`pavilion-kiosk --xr`, #17 item 4): the book opened on its
// cradle where the touch kiosk lays it (facing the scene's first viewpoint, at standing eye
// height), its pages drawn by the renderer's deep zoom, and its leaves turned by the visitor's
// hands. A hand takes a leaf by its lower outer corner — a controller's grip squeezed, a
// controller's trigger or a tracked hand's pinch, within reach of the corner — and the leaf
// follows the hand projected onto the page plane (book::LeafTurn, as a finger on the touch
// screen); let go, it finishes turning (the opening changes) or falls back. A visitor who cannot
// reach points at the corner and holds the trigger (or pinch): the leaf follows the ray's point on
// the page plane. Deep zoom is bringing the book closer: squeezing the grip with the ray on the
// book lifts it (interaction::HeadsetInteraction's carrying) and its pages go with it; the page
// tiles pick finer levels from the eyes' projection by themselves, and each doubling of the
// magnification (the cradle's distance from the eyes over the book's) is logged as zoom, the
// deepest against the scan's own pixels as zoom_reached.
//
// A `continuous` book is a hand scroll laid as the touch kiosk lays it (book_scroll.h: the same
// ScrollLayout and ScrollUnrolling), its rollers posed at the section's ends (book_body_pose.h): a
// hand takes the paper anywhere on the unrolled section — the grip or a pinch within reach, or the
// ray and the trigger from afar, as a leaf's corner is taken — and the strip follows the hand
// along the scroll; let go, it drifts a little and stops. The canvas in the section's middle is
// the one read: page_turn and opening_dwell are logged as it changes.
// A foldout bound at the opening (book_foldout.h) lies folded on its page; a hand that presses on
// it (the grip or a pinch within reach, the ray and the trigger from afar) opens it out beyond the
// page, and pressed again it folds. Drawn outwards while held, it opens as far as the hand went
// (BookFoldout::drag_on_page, a finger's drag on the kiosk in metres); let go, it goes on to open
// past halfway, else folds back. A hand that takes the corner of a leaf while the foldout is
// open folds it first, and the leaf turns by itself once it lies folded; as on the touch kiosk,
// the leaf whose page it lies on carries it folded on its face (carry_folded_foldout). Unlike the
// touch kiosk's, the opening is not drawn smaller while it is open: the visitor turns their head
// to see it all.
//
// The book's own panel lies under its pages, on their plane: 放大镜 Magnifier, and a switch for
// each layer the book has, 批注 Commentary and 印章 Seals (book_layers.h; off when a book opens),
// in the visitor's language, each marked ● on or ○ off; a hand scroll's first, as the touch
// kiosk's: 向前展开 Unroll and 往回卷 Roll back, gliding it a section on or back (ScrollUnrolling::
// step), the one that unrolls on the side the scroll reads towards. A hand presses one with its
// ray and the trigger (or pinch) from afar, or by pinching or squeezing on it within reach. The
// commentary and seals are drawn on the pages as on the touch kiosk (BookOverlay), in both eyes.
// A book with a table of contents (its ranges, book_contents.h; not a hand scroll, whose ranges all
// lie on its one strip) has a 目录 Contents button too, marked ● while its list is shown: pressed,
// the ranges are listed on the page plane beside the panel, right of it and from its top down,
// where neither the pages nor any foldout lying open reach (lay_out_panel), one button each in the
// visitor's language, children indented, the one the visitor is in edged thick; eight at a time,
// with ▲ and ▼ above and below them when there are more. Contents pressed again puts the list away.
// A range pressed turns the book to its first opening (its own first page, or its first child's,
// as on the touch kiosk), as a leaf landed turned does (page_turn logged; not while a leaf is
// turning), and the list goes.
// Below the panel lies a strip of the openings' pictures, as the touch kiosk's along its screen's
// bottom: five openings about the one read (fewer in a shorter book), it edged thick, with ◀ and ▶
// at its ends paging it by its width (the first opening on the right in a right-to-left book, as
// its pages are). It lies no further right than the panel, so never under the contents' list, and
// as the panel does, below the pages and any foldout lying open. A picture pressed (as a button)
// turns the book to its opening as a range does (page_turn logged; not while a leaf is turning);
// the strip follows the opening read into view. The pictures are the touch kiosk's: each page's
// coarsest tile read and shrunk off the frame thread (BookThumbnails, book_thumbnails.h), those in
// the strip first, copied a bounded number a frame into the cells of one streamed overlay texture;
// a page not yet landed (or without a picture) shows as blank paper. A hand scroll has no strip:
// it is one strip already.
// The magnifier goes into the hand that pressed its button (pressed again, by either hand, it is
// put back): a round lens 6 cm across in a dark rim, held parallel to the pages at the hand's aim
// point (a controller's tip, a tracked hand's pinch), showing the part of the page beneath it
// 3.5 times larger (over a foldout, of its panels as they lie: BookFoldout::with_panels). The lens
// is the renderer's magnified placement of that page (Renderer::show_magnified) cropped to the
// part beneath, so deep zoom picks finer tiles for it from the eyes' projection; the rim, a world
// overlay ring, covers the square picture's corners. The layers switched on are magnified in it
// too: the page's layers laid out on the page drawn 3.5 times larger about the point beneath the
// lens (BookOverlay, as on the pages), cut to the lens's square picture, under the rim. The hand
// holding it is the magnifier's: its grip and trigger pick up or select nothing.
//
// One book at a time: the selected exhibit's book when one is selected, else the scene's first
// (deep zoom holds one book's pages). The turning leaf is drawn by the renderer with its pages'
// pictures (Renderer::show_turning_leaf), and while it turns the page it uncovers lies beneath it,
// as the touch kiosk's (turning_leaf.h; a thread-bound half-leaf shows its side of the fold).
// The reading is logged through interaction::BookReading: page_turn, zoom, zoom_reached,
// opening_dwell, book_close.
//
// The frame loop's thread only. The package, the scene, the renderer and the visit log must
// outlive this object; close() before the log goes.
#pragma once

#include "exhibits/book/book_contents.h"
#include "exhibits/book/book_foldout.h"
#include "exhibits/book/book_layers.h"
#include "exhibits/book/book_scroll.h"
#include "exhibits/book/book_thumbnails.h"
#include "exhibits/book/prepared_book.h"
#include "pavilion/book/leaf_turn.h"
#include "pavilion/book/openings.h"
#include "pavilion/core/error.h"
#include "pavilion/interaction/book_reading.h"
#include "pavilion/interaction/headset.h"
#include "pavilion/kiosk/content.h"
#include "pavilion/render/renderer.h"
#include "pavilion/scene/book_body.h"
#include "pavilion/scene/scene.h"
#include "pavilion/ui/ui_layer.h"
#include "pavilion/xr/headset.h"

#include <glm/mat4x4.hpp>
#include <glm/vec2.hpp>

#include <array>
#include <memory>
#include <optional>
#include <span>
#include <vector>

namespace pavilion::kiosk {

// The hands a book holds this frame: their grip and trigger are the book's, not the interaction's.
using HandsTaken = std::array<bool, 2>;

class HeadsetBook {
 public:
  // `entry`: the package shown, `shown` its scene; `bodies`: its books' bodies, their instances
  // numbered as `renderer` loaded them (an AR headset's drops the surroundings, surroundings.h),
  // posed for each opening and carried with the book (book_body_pose.h).
  // `white`: a 1×1 white overlay texture; `language`: the panel's words'; `calm`: the visitor's
  // reduced motion (a let-go scroll stops at once, a foldout opens and folds at once).
  // `prepared`: the scene's books made ready before the first frame (prepare_books), so that the
  // frame that opens one does not lay out its pages; a book left out is made ready as it opens.
  HeadsetBook(const ContentEntry& entry, const scene::Scene& shown, std::span<const scene::BookBody> bodies,
              render::Renderer& renderer, interaction::VisitLog& log, render::OverlayTextureId white,
              Language language, bool calm, std::vector<PreparedBook> prepared);
  // Lets go of the pages it loaded into the renderer (their source reads the scene and the package)
  // and of the strip's pictures.
  ~HeadsetBook();
  HeadsetBook(const HeadsetBook&) = delete;
  HeadsetBook& operator=(const HeadsetBook&) = delete;

  // Before the interaction reads the frame's input: opens the book of `selected` (or the first),
  // and lets the hands take, drag and let go of a leaf. Fails only when the GPU device is lost.
  Result<HandsTaken> take_hands(const xr::HeadsetInput& input, std::optional<uint32_t> selected, double now);
  // After it: the book follows the hand carrying its exhibit (`held`), the leaf moves on by
  // `seconds`, and a leaf that has landed turns the opening. `head`: between the eyes;
  // `eye_pixels_per_radian`: how finely an eye's image is drawn (for zoom_reached).
  void update(const std::optional<interaction::HeldExhibit>& held, const glm::vec3& head, float eye_pixels_per_radian,
              float seconds, double now);

  // This frame's layers on the pages, the panel and the magnifier's rim, hung in the scene; valid
  // until the next call. Allocates nothing once its buffers have grown.
  std::span<const render::WorldOverlay> overlays();

  // The visitor left: the reading ends (book_close). Later calls record nothing.
  void close(double now);

  // The opening shown (index into its openings' sequence; a scroll's one strip) and whether a hand
  // holds a leaf. turns(): leaves turned over, ranges of the contents gone to (each changed the
  // opening), and a scroll's canvases come to the middle.
  size_t opening() const { return opening_; }
  bool leaf_held() const { return turn_ && turn_->held(); }
  bool leaf_turning() const { return turn_.has_value(); }
  uint32_t turns() const { return turns_; }
  // Whether a hand holds the magnifier, and whether its lens shows a page this frame.
  bool magnifier_held() const { return magnifier_hand_.has_value(); }
  bool magnifying() const { return magnifying_; }
  LayerSwitches layers() const { return layers_; }
  // Whether a hand holds a scroll's paper, and whether a foldout is out of its folds (opening,
  // open or folding).
  bool scroll_held() const { return scroll_.held(); }
  bool foldout_unfolded() const { return !foldout_.folded(); }
  // Whether the table of contents is listed beside the panel.
  bool contents_shown() const { return contents_shown_; }

 private:
  struct Corner {
    int step = 0;         // +1: the next opening's leaf; −1: the previous one's
    glm::vec2 min{0.0f};  // on the page plane, in the book's frame
    glm::vec2 max{0.0f};
  };
  Result<void> open(uint32_t book_index, double now);
  // The current opening's pages placed where the book is (while a leaf turns, the page it
  // uncovers where it lay); show_opening hides the pages shown before.
  void show_opening();
  void place_pages();
  // The opening's foldout handed to the renderer as it lies now.
  void show_foldout();
  bool can_turn(int step) const;
  book::LeafTurn leaf_for(int step) const;
  std::optional<Corner> corner(int step) const;
  // The corner (its step) that `at`, on the page plane, is within `margin` of.
  std::optional<Corner> corner_at(glm::vec2 at, float margin) const;
  // How a hand holds something of the page plane: where on it, and by which of its ways.
  struct HandHold {
    glm::vec2 at{0.0f};
    bool by_ray = false;   // the hand points from afar rather than holding it
    bool by_grip = false;  // the grip holds it (else the trigger or pinch)
  };
  // Where `hand`, pressing its grip or trigger (or pinching) this frame, takes something that
  // `on(at, margin)` says lies at page-plane point `at` (or within `margin` of it): within reach at
  // the grip (or the fingers), else from afar at its ray's point, with the trigger or pinch alone.
  template <class On>
  std::optional<HandHold> hold_on(const xr::HandInput& hand, const On& on) const;
  // Whether the hand still holds it, and where on the page plane it is now.
  static bool still_holding(const xr::HandInput& hand, const HandHold& hold);
  std::optional<glm::vec2> held_at(const xr::HandInput& hand, const HandHold& hold) const;
  // A scroll's paper taken, pulled along and let go.
  void take_scroll(const xr::HeadsetInput& input, double now, HandsTaken& taken);
  // A point of the world in the book's frame (x, y on the page plane, z off it), and where a
  // hand's ray meets the page plane.
  glm::vec3 in_book(const glm::vec3& world) const;
  std::optional<glm::vec2> ray_on_page(const xr::HandInput& hand) const;
  void show_leaf();
  // The opening changed to `opening` by a leaf landed or a range pressed: read (page_turn), and
  // counted, and the strip follows it into view. The caller shows it.
  void read_opening(size_t opening, double now);
  // The panel's buttons for the open book, under its pages, then the contents' when shown.
  void lay_out_panel();
  // The contents' buttons after the panel's (none while put away), its page from contents_first_.
  void lay_out_contents();
  // The strip's pictures' openings, from strip_first_ (its buttons keep their places).
  void lay_out_strip();
  // Asks the reader for the pages of the strip's openings first, and copies what it has read
  // since the last frame into the texture.
  void land_thumbnails();
  // The pages of `opening` drawn side by side (a vertical book's one above the other) within
  // [min, max] of the panel's plane (y down), from their cells of the strip's texture.
  void add_opening_picture(size_t opening, glm::vec2 min, glm::vec2 max, ui::OverlayBuffers& out) const;
  // The button `hand` presses this frame, if any.
  std::optional<size_t> pressed_button(const xr::HandInput& hand) const;
  void press(size_t button, size_t hand, double now);
  // The lens where the magnifier's hand holds it, over the page beneath (hidden off the pages).
  void place_lens();
  void add_panel(ui::OverlayBuffers& out);
  void add_rim(ui::OverlayBuffers& out) const;

  const ContentEntry& entry_;
  const scene::Scene& shown_;
  std::span<const scene::BookBody> bodies_;
  render::Renderer& renderer_;
  interaction::VisitLog& log_;

  std::optional<uint32_t> book_;  // index into the scene's books
  const scene::BookBody* body_ = nullptr;  // its body, if the scene gave it one
  std::optional<uint32_t> failed_;  // a book that could not be opened: not tried again each frame
  std::shared_ptr<const book::Openings> openings_;  // the open book's (load_book)
  size_t opening_ = 0;
  glm::mat4 resting_to_world_{1.0f};  // the book's frame on its cradle
  glm::mat4 book_to_world_{1.0f};     // and where a hand carries it now
  float page_height_ = 0.3f;
  std::vector<ShownPage> shown_pages_;  // capacity kept: no allocation
  std::optional<interaction::BookReading> reading_;
  uint32_t turns_ = 0;

  std::optional<book::LeafTurn> turn_;
  int turn_step_ = 0;
  size_t turning_hand_ = 0;  // the hand holding the leaf, the scroll's paper or the foldout
  HandHold hold_;
  glm::vec2 last_at_{0.0f};
  glm::vec2 velocity_{0.0f};
  double last_time_ = 0;

  // The turning leaf's grid in the book's frame (shape_leaf), kept here so a frame allocates nothing.
  static constexpr uint32_t leaf_columns = 16;
  static constexpr uint32_t leaf_rows = 12;
  static constexpr size_t leaf_points = (leaf_columns + 1) * (leaf_rows + 1);
  std::array<glm::vec3, leaf_points> leaf_positions_{};
  std::array<glm::vec3, leaf_points> leaf_normals_{};

  // A continuous book's strip (empty for any other), how far it is unrolled, and the canvas read.
  ScrollLayout scroll_layout_;
  ScrollUnrolling scroll_;
  size_t canvas_ = 0;
  BookFoldout foldout_;  // bound at the opening, folded or open

  // The panel (a scroll's two steps, then switches), the contents' list and the magnifier.
  enum class Control : uint8_t {
    scroll_on, scroll_back, magnifier, commentary, seals, contents, strip_left, strip_right, thumbnail, contents_up,
    contents_down, range
  };
  struct Button {
    Control what = Control::magnifier;
    glm::vec2 min{0.0f};  // on the page plane, in the book's frame
    glm::vec2 max{0.0f};
    size_t entry = 0;  // a range's: index into contents_; a thumbnail's: its opening
  };
  // At most: the magnifier, two layers' switches, and a scroll's two steps or (any other book's)
  // Contents; the strip's pictures between ◀ and ▶; and the list's page of entries between ▲ and ▼.
  static constexpr size_t panel_buttons = 5;
  static constexpr size_t strip_slots = 5;
  static constexpr size_t strip_buttons = strip_slots + 2;
  static constexpr size_t list_buttons = contents_rows + 2;
  render::OverlayTextureId white_;
  Language language_;
  bool calm_;
  std::vector<PreparedBook> prepared_;
  std::unique_ptr<ui::UiLayer> fonts_;  // its font draws the panel's words and the commentary
  std::array<Button, panel_buttons + strip_buttons + list_buttons> buttons_{};
  size_t button_count_ = 0;  // the panel's, the strip's, then the list's
  size_t panel_count_ = 0;   // the panel's and the strip's
  // The strip: its ◀ at buttons_[strip_button_], then strip_shown_ pictures in their places left
  // to right, then ▶ (none for a hand scroll or a book of one opening).
  size_t strip_button_ = 0;
  size_t strip_shown_ = 0;
  size_t strip_first_ = 0;
  ThumbnailAtlas strip_atlas_;  // the pictures (none when its texture cannot be made)
  std::vector<ContentsEntry> contents_;  // the open book's ranges that lead to an opening
  bool contents_shown_ = false;
  size_t contents_first_ = 0;       // the first entry of the list's page
  glm::vec2 contents_corner_{0.0f};  // the list's top-left, on the page plane
  LayerSwitches layers_;
  std::optional<size_t> magnifier_hand_;
  glm::vec3 magnifier_at_{0.0f};  // the hand's aim point, in the world
  bool magnifier_tracked_ = false;
  bool magnifying_ = false;
  glm::vec3 lens_centre_{0.0f};  // in the book's frame
  BookOverlay layer_overlay_;
  // The page beneath the lens, placed whole as large as the lens shows it (its layers are laid out
  // on it), and where the lens's centre lies on its layers' plane (metres from its top-left, y down).
  ShownPage lens_page_;
  glm::vec2 lens_on_layers_{0.0f};
  BookOverlay lens_layer_overlay_;
  std::array<ui::OverlayBuffers, 3> own_buffers_;  // the panel, the rim, the layers in the lens
  std::vector<render::WorldOverlay> overlays_;
};

}  // namespace pavilion::kiosk

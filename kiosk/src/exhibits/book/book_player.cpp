// The book exhibit's playing: the book opened for the exhibit shown, its opening on the cradle,
// leaves turned by a finger or a button, and the reading logged.
#include "exhibits/book/book_player.h"

#include "exhibits/book/book_body_pose.h"
#include "exhibits/book/book_words.h"
#include "exhibits/book/prepared_book.h"
#include "exhibits/book/turning_leaf.h"

#include "kiosk_state.h"
#include "touch/widgets.h"
#include "interface/style.h"
#include "pavilion/core/log.h"
#include "pavilion/kiosk/palette.h"
#include "pavilion/render/view.h"
#include "pavilion/scene/book_body.h"
#include "pavilion/scene/thumbnail.h"

#include <fmt/format.h>
#include <glm/geometric.hpp>
#include <glm/gtc/matrix_transform.hpp>
#include <glm/matrix.hpp>
#include <glm/vector_relational.hpp>
#include <imgui.h>

#include <algorithm>
#include <array>
#include <cmath>

namespace pavilion::kiosk {
namespace {

// The book's own words on the panel, in both languages (those the headset shows too in book_words.h).
using Words = BookWords;
constexpr Words previous_opening{"上一开", "Previous opening"};
constexpr Words next_opening{"下一开", "Next opening"};
constexpr Words opening_of{"第 {} 开，共 {} 开", "Opening {} of {}"};
constexpr Words rights_heading{"权利", "Rights"};
constexpr Words turn_hint{"拖动书页的角来翻页", "Drag a page's corner to turn it"};
constexpr Words open_foldout{"展开折页", "Open the foldout"};
constexpr Words close_foldout{"合上折页", "Fold the foldout"};
// A hand scroll's (book_scroll.h): its buttons (roll_back, unroll_on) unroll a section, and the canvas read is counted.
constexpr Words part_of{"第 {} 段，共 {} 段", "Part {} of {}"};
constexpr Words unroll_hint{"沿着画卷拖动来展开", "Drag along the scroll to unroll it"};

// The outer corner that turns a leaf, as a fraction of the leaf's width and height: its fore-edge
// at the spine's bottom end (leaf_turn.h), the lower outer corner of a horizontal book's leaf and
// the left one of a vertical book's.
constexpr float corner_fraction = 0.3f;

// The turning leaf lies this far above the pages, so that the page beneath never shows through it.
constexpr float leaf_lift = 0.001f;

}  // namespace

Result<void> BookPlayer::update(double seconds) {
  PV_TRY(open_or_close());
  const OpenOpening opening = open_ ? OpenOpening{open_->key.entry, open_->book, open_->opening, &open_->openings->sequence[open_->opening]}
                                    : OpenOpening{};
  reading_aloud_.update(seconds, open_ ? &opening : nullptr);
  if (open_) {
    zoom_.advance(seconds, kiosk_.visit.settings.calm);
    after_zoom();
    if (foldout_.advance(seconds, kiosk_.visit.settings.calm)) show_opening();
    if (const int step = foldout_.take_turn()) turn_by_button(step);  // folded first, now turned
    if (!scroll_layout_.empty()) unroll(seconds);
  }
  if (!open_ || !turn_) return {};
  turn_->advance(static_cast<float>(seconds));
  if (turn_->moving()) return {};
  // Landed: over the other side it has turned the opening; back where it lay nothing changed.
  const bool started_turned = turn_step_ < 0;
  if (turn_->turned() != started_turned) {
    const size_t to = turn_step_ > 0 ? open_->opening + 1 : open_->opening - 1;
    open_->opening = to;
    open_->reading->turn_to(static_cast<uint32_t>(to + 1), kiosk_.now);
  }
  turn_.reset();
  kiosk_.display.renderer->hide_turning_leaf();
  show_opening();  // the pages as they lie again, the leaf's own among them
  return {};
}

Result<void> BookPlayer::open_or_close() {
  std::optional<ShownBookKey> wanted;
  const SceneStage& stage = kiosk_.stage;
  if (kiosk_.screen == Screen::exhibit && stage.shown_entry && !stage.loading.valid() && !stage.requested) {
    wanted = ShownBookKey{*stage.shown_entry, stage.shown_exhibit};
  }
  const scene::Book* book = nullptr;
  if (wanted) {
    for (const scene::Book& candidate : kiosk_.content.entries()[wanted->entry].books) {
      if (candidate.exhibit == wanted->exhibit) book = &candidate;
    }
  }
  if (open_ && (!book || open_->key != *wanted)) close();
  if (!book || open_ || failed_ == wanted) return {};
  if (auto opened = open(*wanted, *book); !opened) {
    if (opened.error().code() == ErrorCode::device_lost) return std::move(opened).error();
    // The exhibit still shows, as an ordinary one; the operator learns why.
    log::error("kiosk", "{}", opened.error().describe());
    kiosk_.note_for_operator(fmt::format("a book could not be shown: {}", opened.error().why()));
    kiosk_.visit.log.event(telemetry::EventType::error, "book_failed");
    failed_ = wanted;
    open_.reset();
  }
  return {};
}

Result<void> BookPlayer::open(const ShownBookKey& key, const scene::Book& book) {
  const ContentEntry& entry = kiosk_.content.entries()[key.entry];
  const scene::Exhibit& exhibit = entry.exhibits.at(key.exhibit);
  // Made ready as the scene loaded, where it could be; else here.
  PV_TRY_ASSIGN(OpenedBook loaded, load_book(*kiosk_.display.renderer, kiosk_.stage.shown_books, entry, key.entry, book));
  // Built in place: the reading refers to the visit's log and does not move.
  BookOnCradle& opened = open_.emplace();
  opened.key = key;
  opened.book = &book;
  for (const scene::BookBody& body : entry.book_bodies) {
    if (&entry.books[body.book] == &book) opened.body = &body;
  }
  opened.openings = std::move(loaded.openings);
  if (opened.openings->sequence.empty()) {
    open_.reset();
    return Error(ErrorCode::invalid_input, "opening a book", fmt::format("the book of exhibit '{}' has no pages to show", exhibit.id));
  }
  opened.opening = opened.openings->opening_for_page(book.start_page).value_or(0);
  // The book lies where the curator put it, its pages facing the camera that frames it.
  const float eye_height = kiosk_.visit.settings.seated ? scene::seated_eye_height : scene::standing_eye_height;
  opened.page_height = scene::book_page_height(book, exhibit);
  opened.book_to_world = scene::book_to_world(book, exhibit, entry.viewpoints, eye_height);
  opened.shown_pages.reserve(book.pages.size());
  PV_TRY(navigation_.open(std::move(loaded.tiles), book, *opened.openings));
  zoom_.reset();
  // A continuous book is a hand scroll, unrolled at its start page; its reading counts canvases.
  scroll_layout_ = {};
  if (opened.openings->sequence[opened.opening].kind == book::Opening::Kind::strip) {
    scroll_layout_ = ScrollLayout(book, opened.openings->sequence[opened.opening], opened.page_height);
    scroll_.reset(scroll_layout_, scroll_layout_.position_of_page(book.start_page));
  }
  const size_t read_first = scroll_layout_.empty() ? opened.opening : scroll_layout_.canvas_in_middle(scroll_.position());
  opened.reading.emplace(kiosk_.visit.log, kiosk_.exhibit_ref(key.entry, key.exhibit),
                         static_cast<uint32_t>(read_first + 1), kiosk_.now);
  show_opening();
  return {};
}

void BookPlayer::show_opening() {
  render::Renderer& renderer = *kiosk_.display.renderer;
  for (const uint32_t page : open_->shown_pages) renderer.hide_page(page);
  pose_body();
  open_->shown_pages.clear();
  zoom_.begin_layout();
  layers_.clear_pages();
  const book::Opening& opening = open_->openings->sequence[open_->opening];
  const float height = open_->page_height;
  // A foldout bound here (book_foldout.h); while a leaf turns, the one lying in view meanwhile (one
  // on the turning leaf's page turns with it: draw_turning_leaf). While it is open the whole
  // opening is drawn smaller about its centre so that all of it stays in view.
  foldout_.follow(*open_->book, *open_->openings, foldout_lying_at(*open_->openings, open_->opening, turn_ ? turn_step_ : 0),
                  height);
  const FoldoutFit fit = foldout_.fit(*open_->book, opening);
  foldout_.show(renderer, zoom_, fit, open_->book_to_world);
  const auto show = [&](size_t page, glm::vec2 centre, glm::vec2 size, float scan_pixels_per_metre, const render::PageCrop& crop) {
    render::PagePlacement placement =
        zoom_.place(open_->book_to_world, fit.at(centre), fit.scale * size, scan_pixels_per_metre / fit.scale);
    placement.crop = crop;
    renderer.show_page(static_cast<uint32_t>(page), placement);
    layers_.add_page(static_cast<uint32_t>(page), placement);
    open_->shown_pages.push_back(static_cast<uint32_t>(page));
  };
  const auto place = [&](const book::PagePart& part, glm::vec2 centre) {
    const scene::BookPage& page = open_->book->pages[part.page];
    show(part.page, centre, {page_part_width(*open_->book, part, height), height},
         static_cast<float>(page.height) / height, page_crop(*open_->book, part));
  };
  if (!scroll_layout_.empty()) {
    // The section unrolled, its canvases cropped at the rolls.
    const auto [first, last] = scroll_layout_.visible(scroll_.position());
    for (size_t canvas = first; canvas < last; ++canvas) {
      const ScrollPart part = scroll_layout_.part(canvas, scroll_.position());
      show(part.page, part.centre, part.size, part.scan_pixels_per_metre, part.crop);
    }
    return;
  }
  if (opening.kind == book::Opening::Kind::leaves) {
    // Each side's page lies from the spine outwards; where a turning leaf lifted from, the page
    // beneath it (turning_leaf.h).
    const LeafPages turning = turn_ ? leaf_pages(*open_->openings, open_->opening, turn_step_) : LeafPages{};
    const std::optional<book::PagePart> left = turning.lifted == PageSide::left ? turning.beneath : opening.left;
    const std::optional<book::PagePart> right = turning.lifted == PageSide::right ? turning.beneath : opening.right;
    if (left) place(*left, lying_page_centre(*open_->book, *left, PageSide::left, height));
    if (right) place(*right, lying_page_centre(*open_->book, *right, PageSide::right, height));
    return;
  }
  // One page alone, or a strip: side by side in reading order, centred on the opening's middle.
  const glm::vec2 middle = scene::book_opening_middle(*open_->book, height);
  float total = 0;
  for (const book::PagePart& part : opening.parts) total += page_part_width(*open_->book, part, height);
  const bool leftwards = open_->openings->direction == book::ViewingDirection::right_to_left;
  float from = -0.5f * total;
  for (const book::PagePart& part : opening.parts) {
    const float width = page_part_width(*open_->book, part, height);
    place(part, middle + glm::vec2(leftwards ? -(from + 0.5f * width) : from + 0.5f * width, 0.0f));
    from += width;
  }
}

void BookPlayer::pose_body() {
  if (!open_->body) return;
  render::Renderer& renderer = *kiosk_.display.renderer;
  // A hand scroll's rollers lie at the section's ends, each roll as thick as the paper on it.
  if (!scroll_layout_.empty()) {
    pose_book_body(renderer, *open_->body, scroll_layout_.body_state(scroll_.position()), open_->book_to_world);
    return;
  }
  pose_book_body(renderer, *open_->body, *open_->openings, open_->opening, open_->book_to_world);
}

void BookPlayer::jump_to(size_t opening) {
  if (!open_ || turn_ || opening >= open_->openings->sequence.size()) return;
  zoom_.reset();
  if (opening != open_->opening) {
    open_->opening = opening;
    open_->reading->turn_to(static_cast<uint32_t>(opening + 1), kiosk_.now);
  }
  show_opening();
}

void BookPlayer::unroll(double seconds) {
  if (!scroll_.advance(static_cast<float>(seconds), kiosk_.visit.settings.calm)) return;
  show_opening();
  open_->reading->turn_to(static_cast<uint32_t>(scroll_layout_.canvas_in_middle(scroll_.position()) + 1), kiosk_.now);
}

void BookPlayer::after_zoom() {
  // The camera comes nearer (camera_closer): nothing is laid out again.
  if (!open_ || !zoom_.take_moved()) return;
  open_->reading->zoom(zoom_.magnification(), zoom_.scan_scale());
}

bool BookPlayer::can_turn(int step) const {
  if (!open_ || turn_) return false;
  return step > 0 ? open_->opening + 1 < open_->openings->sequence.size() : open_->opening > 0;
}

bool BookPlayer::turns_as_leaf() const {
  return open_->openings->sequence[open_->opening].kind == book::Opening::Kind::leaves;
}

book::LeafTurn BookPlayer::leaf_for(int step) const {
  return leaf_to_turn(*open_->book, *open_->openings, open_->opening, step, open_->page_height);
}

void BookPlayer::turn_by_button(int step) {
  if (open_ && !scroll_layout_.empty()) {
    if (!scroll_.can_step(step)) return;
    zoom_.reset();  // a section further, seen whole
    scroll_.step(step);
    return;
  }
  if (!can_turn(step)) return;
  if (!foldout_.folded()) {
    foldout_.fold(step);  // the foldout folds back first; the leaf turns once it lies folded
    return;
  }
  if (!turns_as_leaf()) {
    jump_to(step > 0 ? open_->opening + 1 : open_->opening - 1);
    return;
  }
  if (zoom_.zoomed()) jump_to(open_->opening);  // the leaf turns from the whole opening
  turn_.emplace(leaf_for(step));
  turn_step_ = step;
  show_opening();  // the page beneath the leaf
  turn_->turn_over();
}

CameraCloser BookPlayer::camera_closer() const {
  if (!open_) return {};
  return {zoom_.focus_in_world(open_->book_to_world), zoom_.magnification()};
}

glm::mat4 BookPlayer::view_projection() const {
  const VkExtent2D extent = kiosk_.display.extent();
  const float aspect = static_cast<float>(extent.width) / static_cast<float>(std::max(1u, extent.height));
  const ContentEntry& entry = kiosk_.content.entries()[open_->key.entry];
  const float fov = entry.viewpoints.empty() ? 60.0f : entry.viewpoints[0].vertical_fov_degrees;
  // As the frame draws the exhibit screen (kiosk.cpp).
  const render::View view =
      render::look_at_view(kiosk_.camera.eye, kiosk_.camera.look_at, render::symmetric_field_of_view(glm::radians(fov), aspect));
  return view.projection * view.view;
}

std::optional<glm::vec2> BookPlayer::on_page_plane(float x, float y) const {
  const ImVec2 screen = ImGui::GetIO().DisplaySize;
  const glm::vec2 ndc(2.0f * x / screen.x - 1.0f, 2.0f * y / screen.y - 1.0f);
  const glm::mat4 to_book = glm::inverse(view_projection() * open_->book_to_world);
  // Two points of the pixel's ray at finite depths (the projection's far plane may lie at infinity,
  // depth 0 with reversed depth).
  const glm::vec4 near_point = to_book * glm::vec4(ndc, 1.0f, 1.0f);
  const glm::vec4 far_point = to_book * glm::vec4(ndc, 0.5f, 1.0f);
  const glm::vec3 from = glm::vec3(near_point) / near_point.w;
  const glm::vec3 along = glm::vec3(far_point) / far_point.w - from;
  if (std::abs(along.z) < 1e-6f) return std::nullopt;
  const float t = -from.z / along.z;
  if (t < 0.0f) return std::nullopt;
  return glm::vec2(from + along * t);
}

void BookPlayer::record_corner(const char* name, int step, const glm::mat4& to_screen) {
  // An open foldout folds before a leaf turns: its button folds it, no corner is offered.
  if (!can_turn(step) || !turns_as_leaf() || !foldout_.folded()) return;
  const book::LeafTurn leaf = leaf_for(step);
  book::LeafShape lying;
  lying.hinge = step > 0 ? 0.0f : std::numbers::pi_v<float>;
  const ImVec2 screen = ImGui::GetIO().DisplaySize;
  float min_x = screen.x, min_y = screen.y, max_x = 0, max_y = 0;
  for (const glm::vec2 flat : {glm::vec2(1.0f - corner_fraction, 0.0f), glm::vec2(1.0f, corner_fraction)}) {
    const glm::vec3 point = book::leaf_point(lying, leaf.size(), leaf.direction(), flat * glm::vec2(leaf.size().width, leaf.size().height));
    for (const glm::vec3 corner : {point, book::leaf_point(lying, leaf.size(), leaf.direction(), glm::vec2(leaf.size().width, 0.0f))}) {
      const glm::vec4 clip = to_screen * glm::vec4(corner, 1.0f);
      if (clip.w <= 1e-4f) return;
      const float x = (clip.x / clip.w + 1.0f) * 0.5f * screen.x;
      const float y = (clip.y / clip.w + 1.0f) * 0.5f * screen.y;
      min_x = std::min(min_x, x);
      min_y = std::min(min_y, y);
      max_x = std::max(max_x, x);
      max_y = std::max(max_y, y);
    }
  }
  TouchControls& touch = kiosk_.touch;
  if (touch.count == touch.controls.size()) touch.controls.emplace_back();
  Control& control = touch.controls[touch.count++];
  control.name = name;
  control.min_x = min_x;
  control.min_y = min_y;
  control.max_x = max_x;
  control.max_y = max_y;
  control.spoken.clear();  // the buttons turn pages for the keypad; the corner is for a finger
}

void BookPlayer::handle_finger() {
  const glm::mat4 to_screen = view_projection() * open_->book_to_world;
  const ImVec2 screen = ImGui::GetIO().DisplaySize;
  zoom_.follow(fingers_on_screen(kiosk_.touch, !turn_ && !ImGui::GetIO().WantCaptureMouse && !kiosk_.visit.accessibility_open),
               to_screen, {screen.x, screen.y}, kiosk_.now);
  zoom_.record_opening(kiosk_.touch, to_screen, {screen.x, screen.y});
  if (zoom_.holds_pointer()) {
    finger_was_down_ = kiosk_.touch.pointer.present && kiosk_.touch.pointer.down;
    return;
  }
  // A foldout lying beneath a turning leaf, or on it, is taken once the leaf has landed.
  if (!turn_) foldout_.record_target(kiosk_.touch, zoom_, to_screen, {screen.x, screen.y});
  const size_t first_corner = kiosk_.touch.count;
  record_corner("book:corner-next", +1, to_screen);
  record_corner("book:corner-previous", -1, to_screen);
  const ui::Pointer& pointer = kiosk_.touch.pointer;
  const bool down = pointer.present && pointer.down;
  const bool pressed = down && !finger_was_down_;
  finger_was_down_ = down;
  const std::optional<glm::vec2> finger = down ? on_page_plane(pointer.x, pointer.y) : std::nullopt;
  const bool free = !ImGui::GetIO().WantCaptureMouse && !kiosk_.visit.accessibility_open;
  if (!scroll_layout_.empty()) {
    // A hand scroll: the finger takes the section anywhere on it and the strip follows.
    if (pressed && finger && free && glm::all(glm::greaterThanEqual(*finger, scroll_layout_.section_min())) &&
        glm::all(glm::lessThanEqual(*finger, scroll_layout_.section_max()))) {
      scroll_.take(*finger, kiosk_.now);
    } else if (scroll_.held() && down && finger) {
      scroll_.drag(*finger, kiosk_.now);
    } else if (scroll_.held() && !down) {
      scroll_.release();
    }
    return;
  }
  if (pressed && finger && free) {
    for (size_t index = first_corner; index < kiosk_.touch.count; ++index) {
      const Control& corner = kiosk_.touch.controls[index];
      if (pointer.x < corner.min_x || pointer.x >= corner.max_x || pointer.y < corner.min_y || pointer.y >= corner.max_y) continue;
      const int step = corner.name == "book:corner-next" ? +1 : -1;
      turn_.emplace(leaf_for(step));
      turn_step_ = step;
      show_opening();  // the page beneath the leaf
      turn_->take(*finger);
      last_finger_ = *finger;
      last_finger_time_ = kiosk_.now;
      finger_velocity_ = glm::vec2(0.0f);
      break;
    }
    // A folded foldout, away from the corners, taken: a tap opens it, a drag outwards unfolds it.
    if (!turn_ && foldout_.folded() && foldout_.under({pointer.x, pointer.y})) foldout_.take({pointer.x, pointer.y});
    return;
  }
  if (foldout_.held()) {
    if (down) {
      foldout_.drag({pointer.x, pointer.y});
      show_opening();
    } else {
      foldout_.release();
    }
    return;
  }
  if (!turn_ || !turn_->held()) return;
  if (down && finger) {
    const double elapsed = kiosk_.now - last_finger_time_;
    if (elapsed > 0) finger_velocity_ = (*finger - last_finger_) / static_cast<float>(elapsed);
    last_finger_ = *finger;
    last_finger_time_ = kiosk_.now;
    turn_->drag(*finger);
  } else if (!down) {
    turn_->release(finger_velocity_);
  }
}

void BookPlayer::draw_turning_leaf() {
  render::TurningLeaf leaf;
  if (!shape_turning_leaf(*open_->book, leaf_pages(*open_->openings, open_->opening, turn_step_), *turn_,
                          open_->book_to_world, leaf_lift, leaf_columns, leaf_rows, leaf_positions_, leaf_normals_,
                          leaf)) {
    return;
  }
  carry_folded_foldout(*open_->book, *open_->openings, open_->opening, turn_step_, leaf);
  kiosk_.display.renderer->show_turning_leaf(leaf);
}

void BookPlayer::draw(const scene::Exhibit& shown, float panel_width, float bar_height) {
  if (open_) handle_finger();
  after_zoom();
  if (open_ && turn_) draw_turning_leaf();
  // Audio-only mode: the screen is the reading's three zones, as a poem's.
  if (open_ && kiosk_.visit.settings.audio_only) {
    if (const int step = reading_aloud_.draw_zones(bar_height); step != 0) turn_by_button(step);
    return;
  }
  if (open_) {
    if (const std::optional<size_t> to = navigation_.draw_strip(open_->opening, panel_width, bar_height)) jump_to(*to);
  }
  kiosk_.draw_exhibit_info(shown, panel_width, bar_height, open_ ? this : nullptr);
}

void BookPlayer::draw_turn_buttons() {
  if (!open_) return;
  const Language language = kiosk_.visit.settings.language;
  const float scale = kiosk_.ui_scale();
  const float width = (ImGui::GetContentRegionAvail().x - ImGui::GetStyle().ItemSpacing.x) * 0.5f;
  const float height = 72 * scale * kiosk_.target_scale();
  std::array<char, 64> where;
  const bool scroll = !scroll_layout_.empty();
  if (scroll) {
    kiosk_.display.ui->wrapper().text(label(where, fmt::runtime(part_of.in(language)),
                                            scroll_layout_.canvas_in_middle(scroll_.position()) + 1, scroll_layout_.canvas_count()));
  } else {
    kiosk_.display.ui->wrapper().text(label(where, fmt::runtime(opening_of.in(language)), open_->opening + 1,
                                            open_->openings->sequence.size()));
  }
  // The next opening's button stands on the side the book reads towards.
  const bool reads_leftwards = open_->openings->direction == book::ViewingDirection::right_to_left;
  const auto turn_button = [&](int step) {
    const Words& words = step > 0 ? (scroll ? unroll_on : next_opening) : (scroll ? roll_back : previous_opening);
    if (kiosk_.button(step > 0 ? "book:next" : "book:previous", words.in(language), width, height, step > 0)) {
      turn_by_button(step);
    }
  };
  turn_button(reads_leftwards ? +1 : -1);
  ImGui::SameLine();
  turn_button(reads_leftwards ? -1 : +1);
  if (foldout_.present()) {
    const Words& words = foldout_.opening_or_open() ? close_foldout : open_foldout;
    if (kiosk_.button("book:foldout-button", words.in(language), ImGui::GetContentRegionAvail().x, height)) {
      if (foldout_.opening_or_open()) {
        foldout_.fold();
      } else if (!turn_) {  // one lying beneath a turning leaf opens once it has landed
        foldout_.open();
      }
    }
  }
  ImGui::TextColored(color4(palette(kiosk_.visit.settings.high_contrast).muted_text), "%s", (scroll ? unroll_hint : turn_hint).in(language));
  if (navigation_.draw_zoom_row(zoom_.zoomed(), ImGui::GetContentRegionAvail().x, height)) zoom_.whole_opening();
}

void BookPlayer::draw_panel_rows() {
  if (!open_) return;
  // The book's controls first, within reach and never pushed off the panel by a long summary.
  if (!kiosk_.visit.settings.lower_layout) draw_turn_buttons();
  layers_.draw_switches(*open_->book);
  if (const std::optional<size_t> to = navigation_.draw_contents(open_->opening)) jump_to(*to);
}

Result<std::span<const render::WorldOverlay>> BookPlayer::hang_in_scene() {
  if (!open_) return std::span<const render::WorldOverlay>();
  return layers_.hang(*open_->book, foldout_.with_panels(layers_.pages()), reading_aloud_.line());
}

void BookPlayer::draw_panel_footer() {
  if (!open_) return;
  const Language language = kiosk_.visit.settings.language;
  const scene::Book& book = *open_->book;
  // What the book's source says of it, below what the exhibit's curator wrote: its own title
  // where it names the book otherwise than the exhibit does (a manifest's "論語集解 卷第一" under
  // the exhibit "The Analects"), its summary and metadata, and the statement and rights it asks
  // to be shown with.
  ImGui::Spacing();
  const std::string& title = pick(book.label, language);
  const scene::Exhibit* shown = kiosk_.shown_exhibit();
  if (!title.empty() && (!shown || title != pick(shown->metadata.title, language))) kiosk_.draw_panel_heading(title);
  if (const std::string& summary = pick(book.summary, language); !summary.empty()) kiosk_.draw_panel_text(summary);
  for (const scene::BookMetadataPair& pair : book.metadata) {
    kiosk_.draw_panel_heading(pick(pair.label, language));
    ImGui::SameLine();
    kiosk_.draw_panel_text(pick(pair.value, language));
  }
  if (const auto& statement = book.required_statement) {
    kiosk_.draw_panel_heading(pick(statement->label, language));
    kiosk_.draw_panel_text(pick(statement->value, language));
  }
  if (!book.rights.empty()) {
    kiosk_.draw_panel_heading(rights_heading.in(language));
    for (const std::string& rights : book.rights) kiosk_.draw_panel_text(rights);
  }
}

void BookPlayer::close() {
  if (!open_) return;
  if (open_->reading) open_->reading->close(kiosk_.now);
  for (const uint32_t page : open_->shown_pages) kiosk_.display.renderer->hide_page(page);
  if (auto unloaded = kiosk_.display.renderer->load_pages(nullptr); !unloaded) {
    log::warn("kiosk", "the book's pages could not be let go: {}", unloaded.error().describe());
  }
  navigation_.close();
  zoom_.reset();
  open_.reset();
  turn_.reset();
  scroll_layout_ = {};
  foldout_.reset();
  layers_.reset();
  reading_aloud_.stop();
}

void BookPlayer::release() {
  // Made from the old device or the old content; not the visitor's doing: no book_close. The
  // renderer lets go of the tiles' source, which reads the old content's package.
  if (open_ && kiosk_.display.renderer) static_cast<void>(kiosk_.display.renderer->load_pages(nullptr));
  open_.reset();
  turn_.reset();
  scroll_layout_ = {};
  foldout_.reset();
  failed_.reset();
  finger_was_down_ = false;
  navigation_.release();
  zoom_.reset();
  layers_.release();
  reading_aloud_.stop();
}

void BookPlayer::add_glyphs(std::string& text) const {
  layers_.add_glyphs(text);
  add_reading_aloud_glyphs(text);
  for (const Words& words : {previous_opening, next_opening, opening_of, rights_heading, turn_hint, open_foldout, close_foldout, roll_back, unroll_on, part_of, unroll_hint}) {
    (text += words.zh_cn) += words.en;
  }
  for (const ContentEntry& entry : kiosk_.content.entries()) {
    for (const scene::Book& book : entry.books) {
      BookNavigation::add_glyphs(book, text);
      (((text += book.label.zh_cn) += book.label.en) += book.summary.zh_cn) += book.summary.en;
      for (const scene::BookMetadataPair& pair : book.metadata) {
        (((text += pair.label.zh_cn) += pair.label.en) += pair.value.zh_cn) += pair.value.en;
      }
      if (book.required_statement) {
        (((text += book.required_statement->label.zh_cn) += book.required_statement->label.en) +=
         book.required_statement->value.zh_cn) += book.required_statement->value.en;
      }
      for (const std::string& rights : book.rights) text += rights;
    }
  }
}

}  // namespace pavilion::kiosk

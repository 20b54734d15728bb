// The book's body as it lies open on its cradle: the cradle (or lectern) under it, the covers,
// the text blocks on either side of the opening, the binding, and a hand scroll's rollers with the
// paper wound on them. Pure logic: how big each part is, in metres from the book's page size, and
// where each part lies for an opening. engine/scene builds the parts' meshes from BookBodyMeasures
// when a scene with book exhibits loads (scene/book_body.h); the kiosk and the headset move them
// with pose_book_body's transforms when the opening changes (Renderer::set_instance_transform),
// allocating nothing.
//
// Frame: the book's (leaf_turn.h). The opening's pages lie in z = 0 and the reader looks down
// −z; a left–right book's spine is the y axis from the pages' bottom edge (y = 0) to their top
// (y = page height), its pages at −width ≤ x ≤ width. The pages stay level, as a conservation
// cradle holds them: each side's text block lies under its pages (its top a leaf's thickness,
// page_seat, under them), as thick as the leaves lying on
// that side, its cover under it, and a wedge of the cradle under the cover takes up what the
// block lacks down to the cradle's base. So the pages lie on the blocks' tops wherever they are
// placed on the page plane, and a turning leaf lifts from there. A top-to-bottom or bottom-to-top
// book's body is the same body turned a quarter clockwise, its left side above the spine, which
// runs along the x axis from x = 0 to the pages' length along it (openings.h, leaf_turn.h).
//
// Each part's mesh is built (by engine/scene) in the body's frame as the part lies for the
// measures alone; BookBodyPose::parts[part] moves it to where it lies for the opening:
// - a text block's and a wedge's mesh is one metre thick (z from 0 to 1): its transform scales z
//   to the part's thickness and lowers it under what lies on it;
// - a cover's mesh lies with its inner face in z = 0: its transform lowers it under its block;
// - a rolled-paper cylinder's mesh has radius one metre about the y axis: its transform scales x
//   and z to the roll's radius and puts its axis beside the unrolled paper;
// - a roller's mesh lies with its axis on the y axis: its transform moves it to the roll's axis;
// - a hand scroll's cradle is one metre long in x about x = 0, its top in z = 0: its transform
//   stretches it under the unrolled paper and both rolls, its top page_seat under the paper;
// - the cradle's base and the binding lie where they were built (the identity, or the quarter
//   turn): the base at z = −(block + board + least_wedge), the binding about the gutter.
#pragma once

#include "pavilion/book/leaf_turn.h"
#include "pavilion/book/openings.h"

#include <glm/mat4x4.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace pavilion::book {

// Which part of the body an instance draws. A codex has no rollers, a hand scroll no covers,
// blocks or binding; a form's parts are listed by has_part.
enum class BookBodyPart : uint32_t {
  cradle,        // the felt-covered cradle (codex), the low cloth-covered board (thread-bound), the table (scroll)
  cover_left,    // boards covered in cloth or leather (codex), indigo paper (thread-bound)
  cover_right,
  block_left,    // the leaves lying on the left of the opening, edges showing
  block_right,
  binding,       // the rounded spine under the gutter (codex), the silk stitching (thread-bound)
  roller_left,   // a hand scroll's wooden rollers with their knobs
  roller_right,
  rolled_left,   // the paper wound on each roller
  rolled_right,
  wedge_left,    // the cradle's wedge under each cover, as high as the block on that side lacks
  wedge_right,
};
inline constexpr size_t book_body_part_count = 12;
std::string_view to_string(BookBodyPart part);

enum class BookForm {
  codex,         // hard covers, a rounded spine, a felt cradle
  thread_bound,  // 线装: soft paper covers, four-hole stitching, a low cloth-covered board
  hand_scroll,   // 手卷 (`continuous`): two rollers, the paper unrolled between them
};
bool has_part(BookForm form, BookBodyPart part);

// The body's sizes, in metres.
struct BookBodyMeasures {
  BookForm form = BookForm::codex;
  bool spine_along_x = false;  // a top-to-bottom or bottom-to-top book
  LeafSize page;               // one page as shown: width from the spine, height along it
  float block = 0.008f;        // both text blocks together
  float least_side = 0.0005f;  // the thinnest a side's block lies (the endpaper and a leaf or two)
  // How far under the page plane the blocks' tops lie: the top leaf's own thickness, which keeps
  // the pages drawn on the plane clear of the blocks in the depth buffer.
  float page_seat = 0.0005f;
  float board = 0.003f;        // a cover's thickness
  float square = 0.003f;       // how far a cover overhangs the block at head, tail and fore-edge
  float spine_sag = 0.004f;    // how far the rounded spine hangs below the covers (codex)
  float cradle = 0.02f;        // the cradle's base board's thickness
  float least_wedge = 0.005f;  // the thinnest a wedge gets (under a side holding the whole block)
  float cradle_margin = 0.02f; // how far it reaches beyond the covers
  float stitch_from_spine = 0.012f;  // the stitching holes' distance from the back (thread-bound)
  float thread = 0.0008f;      // the silk thread's thickness
  // A hand scroll: the rollers' radius (the bare roll), their knobs', the knobs' length beyond
  // the paper, and the mounted paper's thickness (what the rolls' radius grows by each turn).
  float roller = 0.008f;
  float knob = 0.011f;
  float knob_length = 0.018f;
  float paper = 0.0003f;
};

// The measures of a body whose pages are `page` (one page, as shown) and whose block holds `leaves`
// leaves (a codex's leaf is two pages, a thread-bound leaf folded at the fore-edge two half-leaves).
BookBodyMeasures measure_book_body(BookForm form, ViewingDirection direction, LeafSize page, uint32_t leaves);

// What the pose follows.
struct BookBodyState {
  // A codex or thread-bound book: how many leaves lie on each side of the opening (fractions are
  // fine: a leaf part way over).
  float leaves_left = 0.0f;
  float leaves_right = 1.0f;
  // A hand scroll: the unrolled paper spans unrolled_from ≤ x ≤ unrolled_to on the page plane,
  // and rolled_left and rolled_right metres of it are wound on the left and right rollers.
  float unrolled_from = -0.2f;
  float unrolled_to = 0.2f;
  float rolled_left = 0.0f;
  float rolled_right = 0.0f;
};

// The leaves either side of `opening` of `openings`: the leaves turned lie on the side the book
// reads from (the left of a left-to-right book), the rest on the other. One turn is one leaf.
BookBodyState leaves_either_side(const Openings& openings, size_t opening);

struct BookBodyPose {
  std::array<glm::mat4, book_body_part_count> parts{};  // each part's mesh into the book's frame
  // How thick each side's text block lies under the pages (metres; 0 for a scroll).
  float left_block = 0.0f;
  float right_block = 0.0f;
};

// A roll's radius with `rolled` metres of paper `paper` thick wound on a bare roll of `core`
// radius: its cross-section's area grows by the paper's, r = sqrt(core² + paper · rolled / π).
float rolled_radius(float core, float paper, float rolled);

// Where every part lies for `state`. Pure; allocates nothing.
BookBodyPose pose_book_body(const BookBodyMeasures& measures, const BookBodyState& state);

}  // namespace pavilion::book

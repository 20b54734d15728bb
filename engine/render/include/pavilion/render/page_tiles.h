// Deep zoom into page scans (a book's leaves): what the renderer's page virtual texture takes and
// reports. Pages come from a scene::PageTileSource (Renderer::load_pages); each is drawn as a
// textured rectangle in the scene (Renderer::show_page), sampling at each pixel the finest level
// of its pyramid that is on the GPU.
//
// How it works (src/page_tiles.cpp): the GPU holds a fixed atlas of 256 × 256 tile slots sized by
// RendererConfig::page_texture_bytes, and per page a table saying which slot holds each tile.
// Every frame, on the CPU and from the views' matrices alone (nothing is read back from the GPU),
// the renderer finds each shown page's tiles that some view sees and the level at which a screen
// pixel covers at most one texel, coarsest levels first; worker threads read the missing ones
// into staging memory, and a later frame records their copies into free or least recently used
// slots, a bounded number a frame. No frame waits for a tile. A quarter of the slots at most is
// pinned, never evicted: every page's coarsest levels where they fit, else each page's one
// coarsest tile for a window of as many pages as fit, centred on the shown pages and moved with
// them as the reader turns or jumps (a page leaving the window keeps its slot as an ordinary
// tile; one entering is read by the workers, the nearest first); load_pages reads a frame's worth
// of the pins and the workers the rest, so its time does not grow with the book. A page beyond
// the pins asks for its coarsest tile first when shown, and the pages either side of a shown one
// have theirs asked for too; until it lands (a frame or two) the page shows as paper, never the
// sky; once the window has followed it there, its neighbours' pictures stay. A turning leaf
// samples the same atlas: its pages' tiles are chosen from the points of its grid the views see.
#pragma once

#include <glm/glm.hpp>

#include <cstdint>
#include <span>

namespace pavilion::render {

// A part of a scan: the rectangle [min.x, max.x] × [min.y, max.y] in fractions of its width and
// height from its top-left corner, 0 ≤ min < max ≤ 1. A thread-bound book imaged as whole leaves
// shows each half-leaf as the part of its leaf's picture on one side of the fold.
struct PageCrop {
  glm::vec2 min{0.0f};
  glm::vec2 max{1.0f};
};

// A page in the world: the rectangle [−size.x/2, size.x/2] × [−size.y/2, size.y/2] in the XY
// plane of `transform`, facing its +Z, showing `crop` of the scan, its top edge at +Y. Sizes in
// metres. Tiles wholly outside the crop are never read.
struct PagePlacement {
  glm::mat4 transform{1.0f};
  glm::vec2 size{0.2f, 0.3f};
  PageCrop crop;
};

// The most panels a foldout is drawn in (Renderer::show_foldout): a page wider than the book,
// folded into page-wide panels, each placed on its own.
inline constexpr uint32_t max_foldout_panels = 8;

// A leaf being turned (Renderer::show_turning_leaf), drawn with a page's picture on each face.
// Its shape is a grid of (columns + 1) × (rows + 1) points, row by row, each row from the spine to
// the fore-edge (book::shape_leaf's), with the normals of its front face, the face that is up
// while the leaf lies unturned. Each face is lit as matte paper by a light along the normal of the
// pages lying open (`lit_from`), so that the leaf lying flat shows its page as the pages beside it
// show theirs and darkens where it bends away; thin paper lets a little of that light through to
// the face turned from it.
inline constexpr uint32_t no_page = 0xFFFFFFFFu;  // a face of blank paper

struct LeafFace {
  uint32_t page = no_page;  // a page loaded by load_pages, or no_page
  PageCrop crop;            // the part of the page's scan the face shows
  // How the picture lies on the grid, in fractions of the crop (0 to 1 rightwards and downwards):
  // where grid point (0, 0), at the spine's bottom, falls, and how far the whole width of the grid
  // (its columns) and its whole height (its rows) move it. book::leaf_picture gives them for a
  // reading direction. The default is a left-to-right book's front: the spine on the left.
  glm::vec2 origin{0.0f, 1.0f};
  glm::vec2 along_columns{1.0f, 0.0f};
  glm::vec2 along_rows{0.0f, -1.0f};
};

struct TurningLeaf {
  LeafFace front;
  LeafFace back;
  glm::mat4 transform{1.0f};   // the grid's frame (a book's) into the world
  glm::vec3 lit_from{0.0f, 0.0f, 1.0f};  // in the grid's frame: towards the light, out of the open pages
  glm::vec3 paper{0.81f, 0.73f, 0.58f};  // a blank face's colour, linear
  uint32_t columns = 0;
  uint32_t rows = 0;
  // (columns + 1) × (rows + 1) each; read during show_turning_leaf only.
  std::span<const glm::vec3> positions;
  std::span<const glm::vec3> normals;
};

struct PageTileStats {
  uint32_t slots = 0;           // tiles the atlas holds
  uint32_t resident_tiles = 0;  // slots holding a tile now
  uint32_t pinned_tiles = 0;    // pages' coarsest tiles resident and never evicted (at most a quarter of the slots)
  // Where the pins cannot cover the book: the pages whose coarsest tile is pinned, [pin_window_first,
  // pin_window_first + pin_window_pages), centred on the last frame's shown pages; 0 pages where
  // every page's pins fit.
  uint32_t pin_window_first = 0;
  uint32_t pin_window_pages = 0;
  // Tiles the last frame's views need (every shown page, every view), how many of those are on the
  // GPU, and how many the source could not give (never asked again: a coarser level or paper shows
  // there). The picture has converged when those two make up the first.
  uint32_t needed_tiles = 0;
  uint32_t needed_resident = 0;
  uint32_t needed_failed = 0;
  // The finest level (0: the scan's own pixels) among the last frame's needed tiles of the shown
  // pages, and of the magnified placement (Renderer::show_magnified); no_level where none.
  static constexpr uint32_t no_level = 0xFFFFFFFFu;
  uint32_t finest_page_level = no_level;
  uint32_t finest_magnified_level = no_level;
  uint32_t reads_in_flight = 0;     // asked of the workers, not yet copied to the GPU
  uint32_t uploads_last_frame = 0;  // tiles the last frame copied into the atlas
  uint64_t uploads = 0;             // since load_pages, pinned tiles included
  uint64_t evictions = 0;           // tiles dropped from their slot for another, since load_pages
  uint64_t read_failures = 0;       // tiles the source could not give (each logged once)
  uint64_t gpu_bytes = 0;           // the atlas and the page tables: never over budget_bytes
  uint64_t budget_bytes = 0;
  bool block_compressed = false;    // BC1 atlas (else RGBA8)

  bool converged() const { return needed_resident + needed_failed == needed_tiles; }
};

// What making a book's pages ready for a renderer needs to know of it (Renderer::page_preparation):
// a value, used on any thread, e.g. a kiosk's loading thread, while the render thread draws.
struct PagePreparation {
  uint32_t slot_count = 0;       // the atlas's tile slots, a share of which the pins may take
  uint64_t table_budget = 0;     // bytes of page tables and shapes the budget allows
  bool bc1_atlas = false;        // the atlas holds BC1 blocks, else RGBA8
  uint32_t first_pins = 1;       // the pins read ahead, for the first frame to copy in
  uint32_t reader_threads = 1;
  bool operator==(const PagePreparation&) const = default;
};

// A book's pages made ready off the render thread (Renderer::prepare_pages): every page's place in
// the tables, the pins chosen and the first frame's worth of them read. Opaque; immutable once
// made, so one may be loaded again (a book closed and opened again).
class PreparedPages;

}  // namespace pavilion::render

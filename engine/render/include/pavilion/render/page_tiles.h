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
// slots, a bounded number a frame. No frame waits for a tile. Each page's coarsest levels are
// read at load and never evicted, so a page is never blank.
#pragma once

#include <glm/glm.hpp>

#include <cstdint>

namespace pavilion::render {

// A page in the world: the rectangle [−size.x/2, size.x/2] × [−size.y/2, size.y/2] in the XY
// plane of `transform`, facing its +Z, the scan's top edge at +Y. Sizes in metres.
struct PagePlacement {
  glm::mat4 transform{1.0f};
  glm::vec2 size{0.2f, 0.3f};
};

struct PageTileStats {
  uint32_t slots = 0;           // tiles the atlas holds
  uint32_t resident_tiles = 0;  // slots holding a tile now
  uint32_t pinned_tiles = 0;    // coarsest levels of the loaded pages, never evicted
  // Tiles the last frame's views need (every shown page, every view), how many of those are on the
  // GPU, and how many the source could not give (never asked again: a coarser level or paper shows
  // there). The picture has converged when those two make up the first.
  uint32_t needed_tiles = 0;
  uint32_t needed_resident = 0;
  uint32_t needed_failed = 0;
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

}  // namespace pavilion::render

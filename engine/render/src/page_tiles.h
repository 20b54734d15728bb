// The page virtual texture behind Renderer::load_pages (pavilion/render/page_tiles.h): a fixed
// atlas of tile slots, a table per page saying which slot holds each tile, worker threads that read
// missing tiles into staging memory, and per frame the choice of tiles, the copies of staged ones
// and the draws of the pages and of the turning leaf.
//
// Threads: everything here is called on the render thread except the workers' own loop. The
// workers touch only the request queue and the staging slots, under `mutex_`.
#pragma once

#include "page_tile_choice.h"
#include "page_tile_interface.h"
#include "pavilion/render/page_tiles.h"
#include "pavilion/render/renderer.h"
#include "pavilion/scene/page_tiles.h"
#include "pipelines.h"
#include "resources.h"

#include <array>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <thread>
#include <vector>

namespace pavilion::render {

// The turning leaf as PageTextures shows it (its grid is in PageTextures' leaf_positions_ and
// leaf_points_). At namespace scope: clang-16 does not make a nested class with member
// initializers in place inside its enclosing class.
struct ShownLeaf {
  std::array<LeafFace, 2> faces;  // front, back
  std::array<LeafSurface, 2> surfaces;  // where each face's grid points fall in its page
  std::array<float, 2> texels_per_metre{};  // each face's level-0 texels, the finer direction's
  uint32_t columns = 0;
  uint32_t rows = 0;
  glm::vec3 light{0.0f, 0.0f, 1.0f};  // world
  glm::vec3 paper{1.0f};
};

// One page's place in the tables: its pyramid's levels and where its entries start.
struct PageLayout {
  scene::PageShape shape;
  uint32_t levels = 0;
  uint32_t first_entry = 0;
  std::array<uint32_t, gpu::max_page_levels> level_first{};  // after first_entry
};

class PreparedPages {
 public:
  struct Pin {
    uint32_t tile = 0;
    scene::PageTileKey key;
    std::vector<std::byte> bytes;  // as the atlas takes them; empty where the source failed
  };
  PagePreparation preparation;
  std::shared_ptr<const scene::PageTileSource> source;
  std::vector<PageLayout> pages;
  uint32_t entries = 0;
  std::vector<uint32_t> pins;     // in the order they are asked for
  uint32_t pin_window = 0;        // PageTextures::pin_window_
  uint64_t table_bytes = 0;
  std::vector<gpu::PageData> shapes;
  std::vector<Pin> first_pins;    // pins' first preparation.first_pins, read
};

class PageTextures {
 public:
  // The atlas takes what the budget leaves after the pages' tables' share; its tiles are BC1
  // where the device samples BC1 and the config allows it, RGBA8 otherwise. Touches nothing the
  // GPU is using and waits for nothing: the atlas's first layout is set by the first frame.
  static Result<std::unique_ptr<PageTextures>> create(GpuContext& context, const RendererConfig& config,
                                                      const Pipelines& pipelines);
  ~PageTextures();  // stops the workers (a read in progress finishes first)
  PageTextures(const PageTextures&) = delete;
  PageTextures& operator=(const PageTextures&) = delete;

  // Chooses the tiles kept resident (the pins: every page's coarsest levels, or for a book they
  // do not fit one coarsest tile a page for a window of pages from the book's start, which the
  // frames then move to follow the shown pages), reads the first frame's worth of them into
  // staging before returning, for the next frame to copy in ahead of its draws, and leaves the
  // rest to the workers, so that its time does not grow with the book.
  //
  // It does not wait for the GPU: the frames in flight may still draw the last book. Its tables
  // and shapes are kept until those frames have finished (retired_), each frame slot's descriptor
  // set is rewritten when that slot comes round (a pending frame's set may not change), staging
  // still being copied by a frame in flight is left alone, and the atlas slots the new book takes
  // are overwritten behind a barrier that waits for earlier frames' sampling.
  Result<void> load(std::shared_ptr<const PreparedPages> pages);
  PagePreparation preparation() const;
  // Renderer::prepare_pages: any thread; touches nothing of a PageTextures.
  static Result<std::shared_ptr<const PreparedPages>> prepare(const PagePreparation& preparation,
                                                              std::shared_ptr<const scene::PageTileSource> source);
  void show(uint32_t page, const PagePlacement& placement);
  void hide(uint32_t page);
  // The magnifier's lens: a second placement of a loaded page. load() hides it.
  void show_magnified(uint32_t page, const PagePlacement& placement);
  void hide_magnified() { magnified_.reset(); }
  // A foldout's panels: a loaded page placed once per panel, each with its own crop. load() hides it.
  void show_foldout(uint32_t page, std::span<const PagePlacement> panels);
  void hide_foldout() { foldout_panel_count_ = 0; }
  // Copies the leaf's grid into the world; allocates nothing. load() hides it.
  void show_leaf(const TurningLeaf& leaf);
  void hide_leaf() { leaf_.reset(); }

  // Once per frame, after the frame slot's previous frame has finished on the GPU (so every frame
  // before `frame` − frames_in_flight has): chooses the views' tiles, takes in what the workers
  // staged, evicts for it, asks the workers for what is missing and writes the slot's table and,
  // after a load, its descriptor set. Draws with `pipelines`' page and leaf pipelines. Allocates
  // nothing.
  void prepare_frame(uint32_t slot, uint64_t frame, std::span<const View> views, VkExtent2D extent,
                     const ViewPipelines& pipelines);
  // Outside any rendering: this frame's copies from staging into the atlas, with their barriers
  // (the first frame's also give the atlas its layout).
  void record_copies(VkCommandBuffer commands) const;
  // Inside the scene pass, set 0 (the frame's) bound: every shown page, then the turning leaf.
  void record_draws(VkCommandBuffer commands, uint32_t slot, VkDescriptorSet frame_set, uint32_t view_offset) const;

  void wait_for_reads();
  const PageTileStats& stats() const { return stats_; }

 private:
  enum class TileState : uint8_t { absent, reading, resident, failed };
  enum class StagingState : uint8_t { free, reading, staged, failed, uploading };
  // A staging slot placed by load(), whose copy the next frame records.
  static constexpr uint64_t not_yet_copied = UINT64_MAX;
  struct Staging {
    StagingState state = StagingState::free;
    uint32_t tile = 0;
    scene::PageTileKey key;
    uint64_t upload_frame = 0;  // the frame that copies it (uploading), or not_yet_copied
  };
  // A loaded book's GPU tables, kept after the next load until the frames that read them are done.
  struct Retired {
    GpuBuffer shapes;
    std::array<GpuBuffer, frames_in_flight> tables;
    uint64_t last_frame = 0;  // the last frame that may read them
  };
  // Staging slot `staging` asked of the workers for `tile` (a worker's queue; under mutex_).
  void request(uint32_t staging, uint32_t tile);
  // Keeps `slot` (holding a pinned tile) resident from now on.
  void pin(uint32_t slot);
  // Moves the window of pinned pages to centre on pages [shown_first, shown_last] (a frame's);
  // allocates nothing.
  void follow_shown_pages(uint32_t shown_first, uint32_t shown_last);
  uint32_t coarsest_tile(uint32_t page) const { return pages_[page].first_entry + pages_[page].level_first[pages_[page].levels - 1]; }
  // A page shown lying (show()); shown_ keeps them in page order, as the frames choose and draw.
  struct ShownPage {
    uint32_t page = 0;
    PagePlacement placement;
  };
  struct Needed {
    uint32_t tile = 0;
    uint32_t level = 0;
  };
  struct Copy {
    uint32_t staging = 0;
    uint32_t slot = 0;
    uint32_t width = 0;  // texels, rounded up to whole blocks for BC1
    uint32_t height = 0;
  };

  explicit PageTextures(GpuContext& context) : context_(context) {}
  // A worker's loop; `touch_staging`: the first worker's, which first writes every staging page.
  void work(bool touch_staging);
  uint32_t tile_index(uint32_t page, uint32_t level, uint32_t column, uint32_t row) const;
  scene::PageTileKey tile_key(uint32_t tile) const;
  // Reads `key` into staging slot `staging` (a worker's call; BC1 decoded to RGBA8 when the atlas
  // is RGBA8).
  Result<void> read_into_staging(const scene::PageTileKey& key, uint32_t staging, std::vector<std::byte>& scratch) const;
  VkBufferImageCopy copy_region(const Copy& copy) const;
  // Puts staged tile `staging` into a free or least recently used slot; false when every slot is
  // pinned or used by this frame. Its copy is recorded by `frame`.
  bool place(uint32_t staging, uint64_t frame);
  void write_descriptor_set(uint32_t slot);
  // Appends the tiles of the leaf's faces that some view sees to needed_.
  void choose_leaf(std::span<const View> views, std::span<const PageViewScale> scales);
  void record_leaf(VkCommandBuffer commands, uint32_t slot, VkDescriptorSet frame_set, uint32_t view_offset) const;
  // Appends the tiles of `page` at `placement` that some view sees to needed_; returns the finest
  // level among them (PageTileStats::no_level for none).
  uint32_t choose_placement(uint32_t page, const PagePlacement& placement, std::span<const PageViewScale> scales);
  void record_page(VkCommandBuffer commands, uint32_t page, const PagePlacement& placement, uint32_t view_offset) const;

  GpuContext& context_;
  RendererConfig config_;
  VkFormat format_ = VK_FORMAT_UNDEFINED;
  uint32_t columns_ = 16;  // slots across an atlas layer
  uint32_t rows_ = 1;      // and down
  uint32_t slot_count_ = 0;
  uint64_t table_budget_ = 0;
  size_t staging_stride_ = 0;
  GpuImage atlas_;
  GpuBuffer staging_buffer_;
  bool atlas_laid_out_ = false;  // the atlas's first layout recorded by a frame
  bool lay_out_atlas_ = false;   // by this one
  UniqueSampler sampler_;
  VkPipelineLayout pipeline_layout_ = VK_NULL_HANDLE;  // Pipelines'
  UniqueDescriptorPool pool_;
  std::array<VkDescriptorSet, frames_in_flight> sets_{};
  std::array<uint64_t, frames_in_flight> set_versions_{};
  uint64_t sets_version_ = 1;
  VkPipeline pipeline_ = VK_NULL_HANDLE;                  // this frame's
  VkPipeline leaf_pipeline_ = VK_NULL_HANDLE;
  float pixels_per_tangent_ = 1.0f;                       // this frame's finest view's

  // The loaded book, whose layout the tables follow; read by the workers too (its source and
  // shapes), and replaced only once they are idle (wait_for_reads).
  std::shared_ptr<const PreparedPages> book_;
  std::span<const PageLayout> pages_;  // book_'s
  std::vector<ShownPage> shown_;       // capacity kept: showing a page allocates nothing once grown
  GpuBuffer shapes_;
  std::array<GpuBuffer, frames_in_flight> tables_;
  std::vector<Retired> retired_;
  uint64_t last_frame_ = 0;         // the last frame prepared
  bool load_copies_pending_ = false;  // copies_ holds load()'s, for the next frame
  std::array<uint64_t, frames_in_flight> table_versions_{};
  std::vector<uint32_t> entries_;  // the table: per tile its slot + 1, or 0
  std::vector<TileState> tile_states_;
  std::vector<uint8_t> tile_pinned_;  // per tile, 1 where it is one of the pins
  std::vector<uint32_t> pins_;        // the pins, in the order they are asked for
  size_t pins_settled_ = 0;           // pins_ before this are resident (pinned) or failed
  // Where the pins cannot cover the book: one coarsest tile a page for pages [pin_first_,
  // pin_first_ + pin_window_); 0 where every page's pins fit and nothing moves.
  uint32_t pin_first_ = 0;
  uint32_t pin_window_ = 0;
  uint64_t entries_version_ = 1;
  std::vector<uint32_t> slot_tiles_;  // per slot, its tile (meaningful while slot_used_ says so)
  std::vector<uint64_t> slot_last_used_;
  std::vector<uint8_t> slot_used_;
  std::vector<uint8_t> slot_pinned_;
  std::vector<uint32_t> free_slots_;
  std::vector<NeededTile> choice_scratch_;
  std::vector<Needed> needed_;
  std::vector<uint32_t> nearby_;  // this frame's tiles asked for beside the shown pages
  std::vector<PageViewScale> view_scales_;
  std::optional<ShownLeaf> leaf_;
  struct Magnified {
    uint32_t page = 0;
    PagePlacement placement;
  };
  std::optional<Magnified> magnified_;
  uint32_t foldout_page_ = 0;
  std::array<PagePlacement, max_foldout_panels> foldout_panels_{};
  uint32_t foldout_panel_count_ = 0;  // 0: no foldout shown
  std::vector<glm::vec3> leaf_positions_;       // world; capacity gpu::max_leaf_points
  std::vector<gpu::LeafPoint> leaf_points_;     // as the GPU takes them
  std::array<GpuBuffer, frames_in_flight> leaf_buffers_;
  std::array<uint64_t, frames_in_flight> leaf_versions_{};
  uint64_t leaf_version_ = 1;
  std::vector<uint32_t> ready_;  // staging slots the frame takes in
  std::vector<Copy> copies_;     // this frame's
  PageTileStats stats_;

  // Shared with the workers.
  std::mutex mutex_;
  std::condition_variable work_ready_;
  std::condition_variable work_done_;
  std::vector<Staging> staging_;
  std::vector<uint32_t> queue_;  // staging slots to read, a ring
  size_t queue_head_ = 0;
  size_t queue_size_ = 0;
  uint32_t reading_ = 0;
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace pavilion::render

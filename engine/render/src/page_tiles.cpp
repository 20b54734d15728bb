#include "page_tiles.h"

#include "pavilion/core/log.h"
#include "pavilion/core/parallel.h"
#include "pavilion/render/vulkan_check.h"
#include "pavilion/scene/block_compression.h"
#include "pavilion_render_shaders.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>

namespace pavilion::render {
namespace {

// Tiles kept resident, never evicted (the pins), take at most this share of the slots, so that a
// book of any length leaves the rest to the views. Where every page's coarsest levels fit it, each
// page keeps them from the coarsest down while its count stays within `pinned_tiles_per_page` (the
// one-tile level and the 2 × 2 below it: at least about 500 px of the page); where they do not,
// each page keeps its one coarsest tile, for as many pages from the book's start as the share holds.
constexpr uint32_t pinned_share = 4;
constexpr uint32_t pinned_tiles_per_page = 5;
// Pages either side of a shown one whose coarsest tile is asked for after the shown pages' tiles
// (two openings each way), so that a turn or a short jump finds them resident.
constexpr uint32_t prefetched_pages = 4;
// The pages' tables (every tile's slot, once per frame in flight) and the turning leaf's grid
// take at most this share of the budget; the atlas the rest. A sixteenth of 64 MiB holds the tables of about 150 pages of
// 10 000 × 10 000 pixels.
constexpr uint64_t table_share = 16;
// An atlas smaller than this (two rows of slots) cannot hold a single view's tiles at 1:1.
constexpr uint32_t least_slots = 32;

bool samples_bc1(VkPhysicalDevice device) {
  VkFormatProperties properties;
  vkGetPhysicalDeviceFormatProperties(device, VK_FORMAT_BC1_RGB_SRGB_BLOCK, &properties);
  constexpr VkFormatFeatureFlags needed = VK_FORMAT_FEATURE_SAMPLED_IMAGE_BIT |
                                          VK_FORMAT_FEATURE_SAMPLED_IMAGE_FILTER_LINEAR_BIT |
                                          VK_FORMAT_FEATURE_TRANSFER_DST_BIT;
  return (properties.optimalTilingFeatures & needed) == needed;
}

uint64_t slot_bytes(VkFormat format) {
  const uint64_t texels = uint64_t{gpu::page_slot_size} * gpu::page_slot_size;
  return format == VK_FORMAT_BC1_RGB_SRGB_BLOCK ? texels / 2 : texels * 4;
}

// The turning leaf's grid, once per frame in flight.
constexpr uint64_t leaf_bytes = uint64_t{gpu::max_leaf_points} * sizeof(gpu::LeafPoint) * frames_in_flight;

bool valid_crop(const PageCrop& crop) {
  return crop.min.x >= 0.0f && crop.min.y >= 0.0f && crop.max.x <= 1.0f && crop.max.y <= 1.0f &&
         crop.min.x < crop.max.x && crop.min.y < crop.max.y;
}

// The level-0 pixels of a crop of a page `shape`'s scan: its top-left corner and its size.
glm::vec4 crop_pixels(const PageCrop& crop, const scene::PageShape& shape) {
  const glm::vec2 pixels(shape.width, shape.height);
  return {crop.min * pixels, (crop.max - crop.min) * pixels};
}

Error refused(std::string why_en, std::string why_zh) {
  return Error(ErrorCode::invalid_input, "loading the pages for deep zoom / 加载深度缩放的书页",
               fmt::format("{} / {}", why_en, why_zh));
}

}  // namespace

Result<std::unique_ptr<PageTextures>> PageTextures::create(GpuContext& context, const RendererConfig& config,
                                                           const Pipelines& pipelines) {
  std::unique_ptr<PageTextures> pages(new PageTextures(context));
  pages->config_ = config;
  const bool bc1 = config.page_tiles_block_compressed && context.capabilities().bc_texture_compression &&
                   samples_bc1(context.physical_device());
  pages->format_ = bc1 ? VK_FORMAT_BC1_RGB_SRGB_BLOCK : VK_FORMAT_R8G8B8A8_SRGB;
  pages->table_budget_ = config.page_texture_bytes / table_share;
  const uint64_t wanted_slots = (config.page_texture_bytes - pages->table_budget_) / slot_bytes(pages->format_);
  // The turning leaf's grid comes out of the tables' share.
  pages->table_budget_ -= std::min(pages->table_budget_, leaf_bytes);
  if (wanted_slots < least_slots) {
    return Error(ErrorCode::invalid_input, "setting up deep zoom into page scans",
                 fmt::format("RendererConfig::page_texture_bytes is {} bytes; {} tiles need at least {} bytes", 
                             config.page_texture_bytes, least_slots,
                             least_slots * slot_bytes(pages->format_) * table_share / (table_share - 1) + 1));
  }
  // Layers of 16 columns of slots (4 096 texels, the least maxImageDimension2D) and at most 16
  // rows; a budget under 256 slots gets one layer of as many whole rows as it holds.
  const uint32_t rows = static_cast<uint32_t>(std::min<uint64_t>(16, wanted_slots / 16));
  VkPhysicalDeviceProperties properties;
  vkGetPhysicalDeviceProperties(context.physical_device(), &properties);
  const uint32_t layers = static_cast<uint32_t>(
      std::min<uint64_t>(wanted_slots / (16 * rows), properties.limits.maxImageArrayLayers));
  pages->columns_ = 16;
  pages->rows_ = rows;
  pages->slot_count_ = 16 * rows * layers;

  ImageDescription atlas;
  atlas.format = pages->format_;
  atlas.extent = {16 * gpu::page_slot_size, rows * gpu::page_slot_size};
  atlas.layers = layers;
  atlas.array_view = true;
  atlas.usage = VK_IMAGE_USAGE_SAMPLED_BIT | VK_IMAGE_USAGE_TRANSFER_DST_BIT;
  PV_TRY_ASSIGN(pages->atlas_, GpuImage::create(context, atlas, "page tile atlas"));

  // Enough staging for the tiles of this frame, those still being copied by the frames in
  // flight, and a frame's worth of reads ahead.
  const uint32_t staging_count = std::max(1u, config.page_uploads_per_frame) * (frames_in_flight + 2);
  pages->staging_stride_ = slot_bytes(pages->format_);
  PV_TRY_ASSIGN(pages->staging_buffer_,
                GpuBuffer::create(context, pages->staging_stride_ * staging_count, VK_BUFFER_USAGE_TRANSFER_SRC_BIT,
                                  MemoryUsage::upload, "page tile staging"));
  for (uint32_t slot = 0; slot < frames_in_flight; ++slot) {
    PV_TRY_ASSIGN(pages->leaf_buffers_[slot],
                  GpuBuffer::create(context, leaf_bytes / frames_in_flight, VK_BUFFER_USAGE_STORAGE_BUFFER_BIT,
                                    MemoryUsage::upload, fmt::format("turning leaf, slot {}", slot)));
  }
  // An opening's pages, a foldout's and a scroll's few in view; a scroll showing more grows it once.
  pages->shown_.reserve(8);
  pages->leaf_positions_.reserve(gpu::max_leaf_points);
  pages->leaf_points_.reserve(gpu::max_leaf_points);
  pages->staging_.resize(staging_count);
  pages->queue_.resize(staging_count);
  pages->ready_.reserve(staging_count);
  pages->copies_.reserve(staging_count);

  const VkDevice device = context.device();
  VkSamplerCreateInfo sampler{VK_STRUCTURE_TYPE_SAMPLER_CREATE_INFO};
  sampler.magFilter = sampler.minFilter = VK_FILTER_LINEAR;
  sampler.mipmapMode = VK_SAMPLER_MIPMAP_MODE_NEAREST;
  sampler.addressModeU = sampler.addressModeV = sampler.addressModeW = VK_SAMPLER_ADDRESS_MODE_CLAMP_TO_EDGE;
  VkSampler made_sampler = VK_NULL_HANDLE;
  PV_TRY(vk_check(vkCreateSampler(device, &sampler, nullptr, &made_sampler), "vkCreateSampler"));
  pages->sampler_ = UniqueSampler(device, made_sampler);

  pages->pipeline_layout_ = pipelines.page_layout();

  const std::array<VkDescriptorPoolSize, 2> pool_sizes{{
      {VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER, frames_in_flight},
      {VK_DESCRIPTOR_TYPE_STORAGE_BUFFER, 3 * frames_in_flight},
  }};
  VkDescriptorPoolCreateInfo pool_info{VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO};
  pool_info.maxSets = frames_in_flight;
  pool_info.poolSizeCount = static_cast<uint32_t>(pool_sizes.size());
  pool_info.pPoolSizes = pool_sizes.data();
  VkDescriptorPool pool = VK_NULL_HANDLE;
  PV_TRY(vk_check(vkCreateDescriptorPool(device, &pool_info, nullptr, &pool), "vkCreateDescriptorPool"));
  pages->pool_ = UniqueDescriptorPool(device, pool);
  std::array<VkDescriptorSetLayout, frames_in_flight> slot_layouts;
  slot_layouts.fill(pipelines.page_set_layout());
  VkDescriptorSetAllocateInfo allocate_info{VK_STRUCTURE_TYPE_DESCRIPTOR_SET_ALLOCATE_INFO};
  allocate_info.descriptorPool = pool;
  allocate_info.descriptorSetCount = frames_in_flight;
  allocate_info.pSetLayouts = slot_layouts.data();
  PV_TRY(vk_check(vkAllocateDescriptorSets(device, &allocate_info, pages->sets_.data()), "vkAllocateDescriptorSets"));

  pages->slot_tiles_.assign(pages->slot_count_, 0);
  pages->slot_last_used_.assign(pages->slot_count_, 0);
  pages->slot_used_.assign(pages->slot_count_, 0);
  pages->slot_pinned_.assign(pages->slot_count_, 0);
  pages->free_slots_.reserve(pages->slot_count_);
  pages->stats_.slots = pages->slot_count_;
  pages->stats_.budget_bytes = config.page_texture_bytes;
  pages->stats_.block_compressed = bc1;
  pages->stats_.gpu_bytes = uint64_t{pages->slot_count_} * slot_bytes(pages->format_) + leaf_bytes;
  // The first worker touches the staging memory before reading (work): counted as a read, so
  // that load() does not write there before it is done.
  pages->reading_ = 1;
  for (uint32_t worker = 0; worker < std::max(1u, config.page_reader_threads); ++worker) {
    pages->workers_.emplace_back([raw = pages.get(), first = worker == 0] { raw->work(first); });
  }
  return pages;
}

PageTextures::~PageTextures() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  work_ready_.notify_all();
  for (std::thread& worker : workers_) worker.join();
}

void PageTextures::work(bool touch_staging) {
  if (touch_staging) {
    // Mapped memory may be given its pages only as they are first written (lavapipe's is the
    // process's own): touched here, the first book's pins that load() copies in do not fault in
    // megabytes on the frame that opens the book.
    std::memset(staging_buffer_.mapped(), 0, staging_buffer_.size());
    {
      std::lock_guard lock(mutex_);
      --reading_;
    }
    work_done_.notify_all();
  }
  std::vector<std::byte> scratch;  // a BC1 tile on its way to RGBA8, or the reverse
  for (;;) {
    uint32_t staging = 0;
    scene::PageTileKey key;
    {
      std::unique_lock lock(mutex_);
      work_ready_.wait(lock, [&] { return stopping_ || queue_size_ > 0; });
      if (stopping_) return;
      staging = queue_[queue_head_];
      queue_head_ = (queue_head_ + 1) % queue_.size();
      --queue_size_;
      ++reading_;
      key = staging_[staging].key;
    }
    const Result<void> read = read_into_staging(key, staging, scratch);
    if (!read) {
      log::warn("render", "page {} tile ({}, {}) of level {} is left out of deep zoom: {}", key.page, key.column,
                key.row, key.level, read.error().describe());
    }
    {
      std::lock_guard lock(mutex_);
      staging_[staging].state = read ? StagingState::staged : StagingState::failed;
      --reading_;
    }
    work_done_.notify_all();
  }
}

namespace {

// The key of `tile` in `pages` (PageLayouts, or what derives from them), which are in order of
// their first entry.
template <typename Pages>
scene::PageTileKey key_of_tile(const Pages& pages, uint32_t tile) {
  const auto page = std::upper_bound(pages.begin(), pages.end(), tile,
                                     [](uint32_t value, const PageLayout& candidate) { return value < candidate.first_entry; }) -
                    1;
  scene::PageTileKey key;
  key.page = static_cast<uint32_t>(page - pages.begin());
  uint32_t within = tile - page->first_entry;
  key.level = page->levels - 1;
  while (key.level > 0 && page->level_first[key.level] > within) --key.level;
  within -= page->level_first[key.level];
  const uint32_t columns = scene::page_level(page->shape, key.level).columns;
  key.column = within % columns;
  key.row = within / columns;
  return key;
}

// `key` as the atlas takes it into `destination` (a worker's or a preparation's call): BC1 decoded
// to RGBA8 for an RGBA8 atlas, a page packed as RGBA8 compressed for a BC1 one.
Result<void> read_for_atlas(const scene::PageTileSource& source, const scene::PageShape& shape,
                            const scene::PageTileKey& key, bool bc1_atlas, std::byte* destination,
                            std::vector<std::byte>& scratch) {
  const scene::PageTileRect rect = scene::page_tile_rect(shape, key.level, key.column, key.row);
  const size_t bytes = scene::page_tile_bytes(shape.format, rect.width, rect.height);
  if ((shape.format == scene::PageTileFormat::bc1) == bc1_atlas) {
    return source.read_tile(key, {destination, bytes});
  }
  scratch.resize(bytes);
  PV_TRY(source.read_tile(key, scratch));
  if (!bc1_atlas) {
    // A device without BC1 (or a config that refuses it): decoded here, off the render thread.
    const ImageRgba8 pixels = scene::decompress_level(scratch, rect.width, rect.height, scene::TextureFormat::bc1_srgb);
    std::memcpy(destination, pixels.pixels.data(), pixels.pixels.size());
    return {};
  }
  ImageRgba8 pixels(rect.width, rect.height);
  std::memcpy(pixels.pixels.data(), scratch.data(), bytes);
  const std::vector<std::byte> blocks = scene::compress_level(pixels, scene::TextureFormat::bc1_srgb);
  std::memcpy(destination, blocks.data(), blocks.size());
  return {};
}

}  // namespace

Result<void> PageTextures::read_into_staging(const scene::PageTileKey& key, uint32_t staging,
                                             std::vector<std::byte>& scratch) const {
  return read_for_atlas(*book_->source, pages_[key.page].shape, key, format_ == VK_FORMAT_BC1_RGB_SRGB_BLOCK,
                        staging_buffer_.mapped() + staging * staging_stride_, scratch);
}

uint32_t PageTextures::tile_index(uint32_t page, uint32_t level, uint32_t column, uint32_t row) const {
  const PageLayout& entry = pages_[page];
  return entry.first_entry + entry.level_first[level] + row * scene::page_level(entry.shape, level).columns + column;
}

PagePreparation PageTextures::preparation() const {
  return {slot_count_, table_budget_, format_ == VK_FORMAT_BC1_RGB_SRGB_BLOCK, std::max(1u, config_.page_uploads_per_frame),
          std::max(1u, config_.page_reader_threads)};
}

Result<std::shared_ptr<const PreparedPages>> PageTextures::prepare(const PagePreparation& preparation,
                                                                   std::shared_ptr<const scene::PageTileSource> source) {
  expects(source != nullptr, "a page source");
  auto prepared = std::make_shared<PreparedPages>();
  prepared->preparation = preparation;
  std::vector<PageLayout>& pages = prepared->pages;
  pages.resize(source->page_count());
  uint32_t entries = 0;
  for (uint32_t index = 0; index < pages.size(); ++index) {
    PageLayout& page = pages[index];
    page.shape = source->page_shape(index);
    const scene::PageShape& shape = page.shape;
    if (shape.width == 0 || shape.height == 0 || shape.tile_size == 0 ||
        shape.tile_size + 2 * shape.overlap > gpu::page_slot_size) {
      return refused(fmt::format("page {} is {} × {} pixels in tiles of {} with {} of overlap; tiles must fit {} "
                                 "pixels with their overlap", index, shape.width, shape.height, shape.tile_size,
                                 shape.overlap, gpu::page_slot_size),
                     fmt::format("第 {} 页为 {} × {} 像素，瓦片 {}、重叠 {}；瓦片连同重叠须不超过 {} 像素", index, shape.width,
                                 shape.height, shape.tile_size, shape.overlap, gpu::page_slot_size));
    }
    page.levels = scene::page_level_count(shape);
    if (page.levels > gpu::max_page_levels) {
      return refused(fmt::format("page {} has {} levels; deep zoom takes at most {} (pages up to {} pixels a side)",
                                 index, page.levels, gpu::max_page_levels, shape.tile_size << (gpu::max_page_levels - 1)),
                     fmt::format("第 {} 页有 {} 级；深度缩放最多 {} 级", index, page.levels, gpu::max_page_levels));
    }
    page.first_entry = entries;
    uint32_t count = 0;
    for (uint32_t level = 0; level < page.levels; ++level) {
      page.level_first[level] = count;
      const scene::PageLevelGrid grid = scene::page_level(shape, level);
      count += grid.columns * grid.rows;
    }
    entries += count;
  }
  prepared->entries = entries;
  // Every page's coarsest levels where the share holds them all, else one tile a page.
  const size_t pinned_slots = preparation.slot_count / pinned_share;
  std::vector<uint32_t>& pinned = prepared->pins;
  for (const PageLayout& page : pages) {
    uint32_t pinned_count = 0;
    for (uint32_t level = page.levels; level-- > 0 && pinned.size() <= pinned_slots;) {
      const scene::PageLevelGrid grid = scene::page_level(page.shape, level);
      if (pinned_count + grid.columns * grid.rows > pinned_tiles_per_page && pinned_count > 0) break;
      for (uint32_t tile = 0; tile < grid.columns * grid.rows; ++tile) {
        pinned.push_back(page.first_entry + page.level_first[level] + tile);
      }
      pinned_count += grid.columns * grid.rows;
    }
  }
  if (pinned.size() > pinned_slots) {
    // The window starts at the book's start; the first frame moves it to the pages shown.
    pinned.clear();
    for (size_t page = 0; page < std::min(pages.size(), pinned_slots); ++page) {
      pinned.push_back(pages[page].first_entry + pages[page].level_first[pages[page].levels - 1]);
    }
    if (pages.size() > pinned_slots) prepared->pin_window = static_cast<uint32_t>(pinned_slots);
  }
  prepared->table_bytes = uint64_t{entries} * sizeof(uint32_t) * frames_in_flight + pages.size() * sizeof(gpu::PageData);
  if (prepared->table_bytes > preparation.table_budget) {
    return refused(fmt::format("{} pages of {} tiles need {} bytes of tables, more than the {} that "
                               "RendererConfig::page_texture_bytes leaves them; load fewer pages at once or raise it",
                               pages.size(), entries, prepared->table_bytes, preparation.table_budget),
                   fmt::format("{} 页共 {} 个瓦片，需 {} 字节的页表，超过预算留给页表的 {} 字节；请一次加载更少的页，或调高 page_texture_bytes",
                               pages.size(), entries, prepared->table_bytes, preparation.table_budget));
  }
  prepared->shapes.resize(pages.size());
  for (uint32_t index = 0; index < pages.size(); ++index) {
    const PageLayout& page = pages[index];
    gpu::PageData& data = prepared->shapes[index];
    data.shape = {page.shape.width, page.shape.height, page.levels, page.first_entry};
    data.tiling = {page.shape.tile_size, page.shape.overlap, 0, 0};
    static_assert(gpu::max_page_levels % 4 == 0, "PageData packs four levels' first entries in each uvec4");
    for (uint32_t level = 0; level < page.levels; ++level) data.level_first[level / 4][level % 4] = page.level_first[level];
  }

  // The first frame's worth of pins (the book's first pages), read here so that the opening pages
  // are never blank; the rest are asked of the workers by the frames (prepare_frame). A tile the
  // source cannot give (a placeholder page, whose scan pack did not find) is left empty: the
  // book opens without it, that part of the page showing as paper.
  prepared->first_pins.resize(std::min<size_t>(pinned.size(), preparation.first_pins));
  for (size_t index = 0; index < prepared->first_pins.size(); ++index) {
    PreparedPages::Pin& pin = prepared->first_pins[index];
    pin.tile = pinned[index];
    pin.key = key_of_tile(pages, pin.tile);
  }
  const Result<void> read = parallel_for(prepared->first_pins.size(), preparation.reader_threads, [&](size_t index) {
    PreparedPages::Pin& pin = prepared->first_pins[index];
    const scene::PageShape& shape = pages[pin.key.page].shape;
    const scene::PageTileRect rect = scene::page_tile_rect(shape, pin.key.level, pin.key.column, pin.key.row);
    pin.bytes.resize(scene::page_tile_bytes(preparation.bc1_atlas ? scene::PageTileFormat::bc1 : scene::PageTileFormat::rgba8,
                                            rect.width, rect.height));
    std::vector<std::byte> scratch;
    if (const Result<void> tile = read_for_atlas(*source, shape, pin.key, preparation.bc1_atlas, pin.bytes.data(), scratch);
        !tile) {
      log::warn("render", "page {} tile ({}, {}) of level {} is left out of deep zoom and shows as paper: {}",
                pin.key.page, pin.key.column, pin.key.row, pin.key.level, tile.error().describe());
      pin.bytes.clear();
    }
    return Result<void>{};
  });
  expects(read.ok(), "a failed tile is marked, never returned");
  prepared->source = std::move(source);
  return std::shared_ptr<const PreparedPages>(std::move(prepared));
}

Result<void> PageTextures::load(std::shared_ptr<const PreparedPages> prepared) {
  wait_for_reads();
  if (shapes_) retired_.push_back(Retired{std::move(shapes_), std::move(tables_), last_frame_});
  book_.reset();
  pages_ = {};
  shown_.clear();
  pins_.clear();
  pins_settled_ = 0;
  {
    std::lock_guard lock(mutex_);
    // Staging that a frame in flight copies from stays busy until that frame is done.
    for (Staging& staging : staging_) {
      if (staging.state != StagingState::uploading || staging.upload_frame == not_yet_copied) staging = Staging{};
    }
    queue_head_ = queue_size_ = 0;
  }
  copies_.clear();
  load_copies_pending_ = false;
  const uint64_t atlas_bytes = uint64_t{slot_count_} * slot_bytes(format_) + leaf_bytes;
  leaf_.reset();
  magnified_.reset();
  foldout_panel_count_ = 0;
  stats_ = PageTileStats{};
  stats_.slots = slot_count_;
  stats_.budget_bytes = config_.page_texture_bytes;
  stats_.block_compressed = format_ == VK_FORMAT_BC1_RGB_SRGB_BLOCK;
  stats_.gpu_bytes = atlas_bytes;
  std::fill(slot_used_.begin(), slot_used_.end(), 0);
  std::fill(slot_pinned_.begin(), slot_pinned_.end(), 0);
  free_slots_.clear();
  for (uint32_t slot = slot_count_; slot-- > 0;) free_slots_.push_back(slot);
  if (!prepared) return {};
  expects(prepared->preparation == preparation(), "pages prepared for this renderer's page textures");

  const PreparedPages& book = *prepared;
  PV_TRY_ASSIGN(shapes_, GpuBuffer::create(context_, std::max<size_t>(1, book.shapes.size()) * sizeof(gpu::PageData),
                                           VK_BUFFER_USAGE_STORAGE_BUFFER_BIT, MemoryUsage::upload, "page shapes"));
  std::memcpy(shapes_.mapped(), book.shapes.data(), book.shapes.size() * sizeof(gpu::PageData));
  for (uint32_t slot = 0; slot < frames_in_flight; ++slot) {
    PV_TRY_ASSIGN(tables_[slot], GpuBuffer::create(context_, std::max<size_t>(1, book.entries) * sizeof(uint32_t),
                                                   VK_BUFFER_USAGE_STORAGE_BUFFER_BIT, MemoryUsage::upload,
                                                   fmt::format("page table, slot {}", slot)));
  }
  book_ = prepared;
  pages_ = book_->pages;
  const uint32_t entries = book.entries;
  entries_.assign(entries, 0);
  tile_states_.assign(entries, TileState::absent);
  tile_pinned_.assign(entries, 0);
  for (const uint32_t tile : book.pins) tile_pinned_[tile] = 1;
  choice_scratch_.reserve(entries);
  // The shown pages' tiles, and the turning leaf's two faces' (pages shown too, at most).
  needed_.reserve(size_t{entries} * 3);
  nearby_.reserve(pages_.size() * 2 * prefetched_pages);
  pins_ = book.pins;
  // Moving the window rebuilds the pins' order in place.
  pins_.reserve(slot_count_ / pinned_share);
  pin_first_ = 0;
  pin_window_ = book.pin_window;
  stats_.gpu_bytes = atlas_bytes + book.table_bytes;

  // The pins read ahead go into free staging, copied in by the next frame ahead of its draws.
  size_t count = 0;
  copies_.clear();
  uint32_t resident = 0;
  for (uint32_t staging = 0; staging < staging_.size() && count < book.first_pins.size(); ++staging) {
    if (staging_[staging].state != StagingState::free) continue;
    const PreparedPages::Pin& pin = book.first_pins[count++];
    if (pin.bytes.empty()) {
      tile_states_[pin.tile] = TileState::failed;
      ++stats_.read_failures;
      continue;
    }
    std::memcpy(staging_buffer_.mapped() + staging * staging_stride_, pin.bytes.data(), pin.bytes.size());
    ++resident;
    const uint32_t slot = free_slots_.back();
    free_slots_.pop_back();
    slot_pinned_[slot] = 1;
    slot_used_[slot] = 1;
    slot_tiles_[slot] = pin.tile;
    entries_[pin.tile] = slot + 1;
    tile_states_[pin.tile] = TileState::resident;
    const scene::PageTileRect rect = scene::page_tile_rect(pages_[pin.key.page].shape, pin.key.level, pin.key.column, pin.key.row);
    const bool bc1 = format_ == VK_FORMAT_BC1_RGB_SRGB_BLOCK;
    copies_.push_back({staging, slot, bc1 ? (rect.width + 3) / 4 * 4 : rect.width,
                       bc1 ? (rect.height + 3) / 4 * 4 : rect.height});
    std::lock_guard lock(mutex_);
    staging_[staging] = Staging{StagingState::uploading, pin.tile, pin.key, not_yet_copied};
  }
  load_copies_pending_ = !copies_.empty();
  stats_.uploads += copies_.size();
  pins_settled_ = count;
  stats_.pinned_tiles = resident;
  stats_.resident_tiles = stats_.pinned_tiles;
  stats_.pin_window_first = pin_first_;
  stats_.pin_window_pages = pin_window_;
  ++entries_version_;
  table_versions_.fill(0);
  ++sets_version_;
  return {};
}

scene::PageTileKey PageTextures::tile_key(uint32_t tile) const { return key_of_tile(pages_, tile); }

void PageTextures::write_descriptor_set(uint32_t slot) {
  const VkDescriptorImageInfo atlas{sampler_.get(), atlas_.view(), VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL};
  const VkDescriptorBufferInfo shapes{shapes_.get(), 0, VK_WHOLE_SIZE};
  const VkDescriptorBufferInfo table{tables_[slot].get(), 0, VK_WHOLE_SIZE};
  const VkDescriptorBufferInfo leaf{leaf_buffers_[slot].get(), 0, VK_WHOLE_SIZE};
  std::array<VkWriteDescriptorSet, 4> writes{};
  for (VkWriteDescriptorSet& write : writes) {
    write = {VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET};
    write.dstSet = sets_[slot];
    write.descriptorCount = 1;
    write.descriptorType = VK_DESCRIPTOR_TYPE_STORAGE_BUFFER;
  }
  writes[0].dstBinding = gpu::binding_page_atlas;
  writes[0].descriptorType = VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER;
  writes[0].pImageInfo = &atlas;
  writes[1].dstBinding = gpu::binding_page_shapes;
  writes[1].pBufferInfo = &shapes;
  writes[2].dstBinding = gpu::binding_page_table;
  writes[2].pBufferInfo = &table;
  writes[3].dstBinding = gpu::binding_leaf_points;
  writes[3].pBufferInfo = &leaf;
  vkUpdateDescriptorSets(context_.device(), static_cast<uint32_t>(writes.size()), writes.data(), 0, nullptr);
  set_versions_[slot] = sets_version_;
}

void PageTextures::show(uint32_t page, const PagePlacement& placement) {
  expects(page < pages_.size(), "a loaded page");
  expects(valid_crop(placement.crop), "a crop within the scan, not empty");
  const auto at = std::lower_bound(shown_.begin(), shown_.end(), page,
                                   [](const ShownPage& shown, uint32_t wanted) { return shown.page < wanted; });
  if (at != shown_.end() && at->page == page) {
    at->placement = placement;
  } else {
    shown_.insert(at, ShownPage{page, placement});
  }
}

void PageTextures::show_magnified(uint32_t page, const PagePlacement& placement) {
  expects(page < pages_.size(), "a loaded page");
  expects(valid_crop(placement.crop), "a crop within the scan, not empty");
  magnified_.emplace(Magnified{page, placement});
}

void PageTextures::show_foldout(uint32_t page, std::span<const PagePlacement> panels) {
  expects(page < pages_.size(), "a loaded page");
  expects(!panels.empty() && panels.size() <= max_foldout_panels, "a foldout of 1 to max_foldout_panels panels");
  for (const PagePlacement& panel : panels) expects(valid_crop(panel.crop), "a crop within the scan, not empty");
  foldout_page_ = page;
  std::copy(panels.begin(), panels.end(), foldout_panels_.begin());
  foldout_panel_count_ = static_cast<uint32_t>(panels.size());
}

void PageTextures::show_leaf(const TurningLeaf& shown) {
  const size_t points = size_t{shown.columns + 1} * (shown.rows + 1);
  expects(shown.columns > 0 && shown.rows > 0 && points <= gpu::max_leaf_points, "a leaf's grid of at most 32 × 32 cells");
  expects(shown.positions.size() >= points && shown.normals.size() >= points, "a point and a normal per grid point");
  ShownLeaf& leaf = leaf_.emplace();
  leaf.faces = {shown.front, shown.back};
  leaf.columns = shown.columns;
  leaf.rows = shown.rows;
  leaf.paper = shown.paper;
  const glm::mat3 normal_matrix = glm::transpose(glm::inverse(glm::mat3(shown.transform)));
  leaf.light = glm::normalize(normal_matrix * shown.lit_from);
  leaf_positions_.resize(points);
  leaf_points_.resize(points);
  for (size_t index = 0; index < points; ++index) {
    const glm::vec3 position(shown.transform * glm::vec4(shown.positions[index], 1.0f));
    leaf_positions_[index] = position;
    leaf_points_[index] = {glm::vec4(position, 1.0f), glm::vec4(glm::normalize(normal_matrix * shown.normals[index]), 0.0f)};
  }
  // The leaf's length along its columns (spine to fore-edge) and its rows, over its bottom row and
  // its spine: paper does not stretch, so these are its width and height wherever it bends.
  float across = 0.0f;
  float along = 0.0f;
  for (uint32_t column = 0; column < shown.columns; ++column) {
    across += glm::distance(leaf_positions_[column], leaf_positions_[column + 1]);
  }
  for (uint32_t row = 0; row < shown.rows; ++row) {
    along += glm::distance(leaf_positions_[row * (shown.columns + 1)], leaf_positions_[(row + 1) * (shown.columns + 1)]);
  }
  for (size_t side = 0; side < 2; ++side) {
    const LeafFace& face = leaf.faces[side];
    if (face.page == no_page) continue;
    expects(face.page < pages_.size(), "a loaded page on each face, or none");
    expects(valid_crop(face.crop), "a crop within the scan, not empty");
    const glm::vec4 crop = crop_pixels(face.crop, pages_[face.page].shape);
    LeafSurface& surface = leaf.surfaces[side];
    surface.points = leaf_positions_;
    surface.columns = shown.columns;
    surface.rows = shown.rows;
    surface.origin = glm::vec2(crop) + face.origin * glm::vec2(crop.z, crop.w);
    surface.along_columns = face.along_columns * glm::vec2(crop.z, crop.w);
    surface.along_rows = face.along_rows * glm::vec2(crop.z, crop.w);
    // The choice judges by the coarser texels and the draw by the finer, as for the pages: the
    // level drawn is never finer than the tiles asked for.
    const glm::vec2 texels(glm::length(surface.along_columns), glm::length(surface.along_rows));
    surface.metres_per_texel = std::max(across / texels.x, along / texels.y);
    leaf.texels_per_metre[side] = std::max(texels.x / across, texels.y / along);
  }
  ++leaf_version_;
}

void PageTextures::request(uint32_t staging, uint32_t tile) {
  Staging& entry = staging_[staging];
  entry.state = StagingState::reading;
  entry.tile = tile;
  entry.key = tile_key(tile);
  tile_states_[tile] = TileState::reading;
  queue_[(queue_head_ + queue_size_) % queue_.size()] = staging;
  ++queue_size_;
}

void PageTextures::pin(uint32_t slot) {
  slot_pinned_[slot] = 1;
  ++stats_.pinned_tiles;
}

void PageTextures::follow_shown_pages(uint32_t shown_first, uint32_t shown_last) {
  const auto page_count = static_cast<uint32_t>(pages_.size());
  const uint32_t centre = shown_first + (shown_last - shown_first) / 2;
  const uint32_t first = std::min(centre - std::min(centre, pin_window_ / 2), page_count - pin_window_);
  if (first == pin_first_) return;
  // The shown pages lie inside the new window (a frame shows at most an opening and a leaf, far
  // fewer pages than the window), so no tile this frame draws is unpinned. A page leaving keeps
  // its slot as an ordinary tile, evicted in its turn by the least recently used.
  const uint32_t last = first + pin_window_;
  for (uint32_t page = pin_first_; page < pin_first_ + pin_window_; ++page) {
    if (page >= first && page < last) continue;
    const uint32_t tile = coarsest_tile(page);
    tile_pinned_[tile] = 0;
    if (tile_states_[tile] == TileState::resident && slot_pinned_[entries_[tile] - 1] != 0) {
      slot_pinned_[entries_[tile] - 1] = 0;
      --stats_.pinned_tiles;
    }
  }
  for (uint32_t page = first; page < last; ++page) {
    if (page >= pin_first_ && page < pin_first_ + pin_window_) continue;
    const uint32_t tile = coarsest_tile(page);
    tile_pinned_[tile] = 1;
    // Already here (shown, or asked for beside a shown page): kept from now on.
    if (tile_states_[tile] == TileState::resident) pin(entries_[tile] - 1);
  }
  pin_first_ = first;
  // The rest are asked of the workers after the views' tiles, the pages nearest the shown ones
  // first, so that the next turns find theirs soonest.
  pins_.clear();
  pins_.push_back(coarsest_tile(centre));
  for (uint32_t distance = 1; pins_.size() < pin_window_; ++distance) {
    if (centre + distance < last) pins_.push_back(coarsest_tile(centre + distance));
    if (centre >= first + distance) pins_.push_back(coarsest_tile(centre - distance));
  }
  pins_settled_ = 0;
  stats_.pin_window_first = first;
}

void PageTextures::hide(uint32_t page) {
  expects(page < pages_.size(), "a loaded page");
  std::erase_if(shown_, [&](const ShownPage& shown) { return shown.page == page; });
}

bool PageTextures::place(uint32_t staging, uint64_t frame) {
  const uint32_t tile = staging_[staging].tile;
  uint32_t slot = 0;
  if (!free_slots_.empty()) {
    slot = free_slots_.back();
    free_slots_.pop_back();
  } else {
    // The least recently used slot that is neither pinned nor needed by this frame.
    uint64_t oldest = frame;
    bool found = false;
    for (uint32_t candidate = 0; candidate < slot_count_; ++candidate) {
      if (slot_pinned_[candidate] != 0 || slot_last_used_[candidate] >= oldest) continue;
      oldest = slot_last_used_[candidate];
      slot = candidate;
      found = true;
    }
    if (!found) return false;
    const uint32_t evicted = slot_tiles_[slot];
    entries_[evicted] = 0;
    tile_states_[evicted] = TileState::absent;
    ++stats_.evictions;
    --stats_.resident_tiles;
  }
  slot_used_[slot] = 1;
  slot_tiles_[slot] = tile;
  slot_last_used_[slot] = frame;
  entries_[tile] = slot + 1;
  tile_states_[tile] = TileState::resident;
  ++stats_.resident_tiles;
  ++entries_version_;
  if (tile_pinned_[tile] != 0) pin(slot);
  const scene::PageTileKey& key = staging_[staging].key;
  const scene::PageTileRect rect = scene::page_tile_rect(pages_[key.page].shape, key.level, key.column, key.row);
  const bool bc1 = format_ == VK_FORMAT_BC1_RGB_SRGB_BLOCK;
  copies_.push_back({staging, slot, bc1 ? (rect.width + 3) / 4 * 4 : rect.width,
                     bc1 ? (rect.height + 3) / 4 * 4 : rect.height});
  staging_[staging].state = StagingState::uploading;
  staging_[staging].upload_frame = frame;
  return true;
}

void PageTextures::prepare_frame(uint32_t slot, uint64_t frame, std::span<const View> views, VkExtent2D extent,
                                 const ViewPipelines& pipelines) {
  pipeline_ = pipelines.page_tiles.get();
  leaf_pipeline_ = pipelines.turning_leaf.get();
  last_frame_ = frame;
  // Every frame before frame − frames_in_flight has finished: a book loaded since is all they drew.
  std::erase_if(retired_, [&](const Retired& old) { return frames_finished_through(old.last_frame, frame); });
  lay_out_atlas_ = false;
  size_t loaded_copies = 0;
  if (load_copies_pending_) {
    // load()'s pins, copied by this frame ahead of its own tiles.
    std::lock_guard lock(mutex_);
    for (const Copy& copy : copies_) staging_[copy.staging].upload_frame = frame;
    loaded_copies = copies_.size();
    load_copies_pending_ = false;
  } else {
    copies_.clear();
  }
  stats_.needed_tiles = stats_.needed_resident = stats_.needed_failed = stats_.uploads_last_frame = 0;
  if (pages_.empty()) return;
  lay_out_atlas_ = !atlas_laid_out_;
  atlas_laid_out_ = true;
  if (set_versions_[slot] != sets_version_) write_descriptor_set(slot);

  std::array<PageViewScale, gpu::max_views> scales;
  pixels_per_tangent_ = 0.0f;
  for (size_t view = 0; view < views.size(); ++view) {
    scales[view] = page_view_scale(views[view], extent.width, extent.height);
    pixels_per_tangent_ = std::max(pixels_per_tangent_, scales[view].pixels_per_tangent);
  }
  needed_.clear();
  stats_.finest_page_level = stats_.finest_magnified_level = PageTileStats::no_level;
  uint32_t shown_first = static_cast<uint32_t>(pages_.size());
  uint32_t shown_last = 0;
  for (const ShownPage& shown : shown_) {
    shown_first = std::min(shown_first, shown.page);
    shown_last = std::max(shown_last, shown.page);
    stats_.finest_page_level = std::min(stats_.finest_page_level,
                                        choose_placement(shown.page, shown.placement, {scales.data(), views.size()}));
  }
  if (magnified_) {
    stats_.finest_magnified_level = choose_placement(magnified_->page, magnified_->placement, {scales.data(), views.size()});
  }
  for (uint32_t panel = 0; panel < foldout_panel_count_; ++panel) {
    stats_.finest_page_level = std::min(
        stats_.finest_page_level, choose_placement(foldout_page_, foldout_panels_[panel], {scales.data(), views.size()}));
  }
  if (foldout_panel_count_ != 0) {
    shown_first = std::min(shown_first, foldout_page_);
    shown_last = std::max(shown_last, foldout_page_);
  }
  if (leaf_) {
    choose_leaf(views, {scales.data(), views.size()});
    for (const LeafFace& face : leaf_->faces) {
      if (face.page == no_page) continue;
      shown_first = std::min(shown_first, face.page);
      shown_last = std::max(shown_last, face.page);
    }
  }
  if (pin_window_ != 0 && shown_first <= shown_last) follow_shown_pages(shown_first, shown_last);
  // Coarse levels first: they are fewer and cover more, so the picture sharpens evenly. A tile both
  // a page and the leaf need (the same page lying and turning) is counted once.
  std::sort(needed_.begin(), needed_.end(), [](const Needed& a, const Needed& b) {
    return a.level != b.level ? a.level > b.level : a.tile < b.tile;
  });
  needed_.erase(std::unique(needed_.begin(), needed_.end(),
                            [](const Needed& a, const Needed& b) { return a.tile == b.tile; }),
                needed_.end());
  // The coarsest tiles of the pages either side of the shown ones, not drawn but wanted next.
  nearby_.clear();
  for (const ShownPage& shown : shown_) {
    for (uint32_t distance = 1; distance <= prefetched_pages; ++distance) {
      for (const uint32_t neighbour : {shown.page - distance, shown.page + distance}) {
        // Before the first page, `page - distance` wraps past the last.
        if (neighbour < pages_.size()) nearby_.push_back(tile_index(neighbour, pages_[neighbour].levels - 1, 0, 0));
      }
    }
  }
  // Marked used before anything is placed, so that placing evicts none of them (nor, at a tight
  // budget, a nearby tile that a frame would only ask for again).
  for (const Needed& tile : needed_) {
    if (tile_states_[tile.tile] == TileState::resident) slot_last_used_[entries_[tile.tile] - 1] = frame;
  }
  for (const uint32_t tile : nearby_) {
    if (tile_states_[tile] == TileState::resident) slot_last_used_[entries_[tile] - 1] = frame;
  }
  stats_.needed_tiles = static_cast<uint32_t>(needed_.size());

  std::unique_lock lock(mutex_);
  // Staging copied by a frame that has finished (this slot's previous one, or older) is free.
  uint32_t busy = 0;
  for (uint32_t staging = 0; staging < staging_.size(); ++staging) {
    Staging& entry = staging_[staging];
    if (entry.state == StagingState::uploading && frames_finished_through(entry.upload_frame, frame)) {
      entry.state = StagingState::free;
    }
    if (entry.state == StagingState::failed) {
      tile_states_[entry.tile] = TileState::failed;
      ++stats_.read_failures;
      entry.state = StagingState::free;
    }
    // A staged tile that finds every slot pinned or needed by this frame waits for a later one.
    if (entry.state == StagingState::staged && copies_.size() < config_.page_uploads_per_frame) place(staging, frame);
    if (entry.state == StagingState::reading || entry.state == StagingState::staged) ++busy;
  }
  // Ask for missing tiles while there are slots to put them in: free ones, or ones this frame
  // does not need.
  uint32_t room = static_cast<uint32_t>(free_slots_.size());
  for (uint32_t candidate = 0; candidate < slot_count_ && room <= busy + staging_.size(); ++candidate) {
    if (slot_used_[candidate] != 0 && slot_pinned_[candidate] == 0 && slot_last_used_[candidate] < frame) ++room;
  }
  uint32_t next_staging = 0;
  // Asks for `tile` if it is absent and there is room; false once there is none.
  const auto ask = [&](uint32_t tile) {
    if (busy >= room) return false;
    if (tile_states_[tile] != TileState::absent) return true;
    while (next_staging < staging_.size() && staging_[next_staging].state != StagingState::free) ++next_staging;
    if (next_staging == staging_.size()) return false;
    request(next_staging, tile);
    ++busy;
    return true;
  };
  // The views' tiles first, coarsest first; then the coarsest tile of the pages either side of the
  // shown ones (a page beyond the pins shows as paper for the frame or two its tile takes); then
  // the pins not yet resident.
  bool asking = true;
  for (size_t index = 0; index < needed_.size() && asking; ++index) asking = ask(needed_[index].tile);
  for (size_t index = 0; index < nearby_.size() && asking; ++index) asking = ask(nearby_[index]);
  for (size_t index = pins_settled_; index < pins_.size() && asking; ++index) {
    const uint32_t tile = pins_[index];
    // A pin a view asked for before its turn came lies in an ordinary slot: kept from now on.
    if (tile_states_[tile] == TileState::resident && slot_pinned_[entries_[tile] - 1] == 0) pin(entries_[tile] - 1);
    asking = ask(tile);
  }
  while (pins_settled_ < pins_.size() && (tile_states_[pins_[pins_settled_]] == TileState::failed ||
                                          (tile_states_[pins_[pins_settled_]] == TileState::resident &&
                                           slot_pinned_[entries_[pins_[pins_settled_]] - 1] != 0))) {
    ++pins_settled_;
  }
  stats_.reads_in_flight = busy;
  lock.unlock();
  work_ready_.notify_all();

  for (const Needed& tile : needed_) {
    stats_.needed_resident += tile_states_[tile.tile] == TileState::resident ? 1 : 0;
    stats_.needed_failed += tile_states_[tile.tile] == TileState::failed ? 1 : 0;
  }
  stats_.uploads_last_frame = static_cast<uint32_t>(copies_.size());
  stats_.uploads += copies_.size() - loaded_copies;
  if (table_versions_[slot] != entries_version_) {
    std::memcpy(tables_[slot].mapped(), entries_.data(), entries_.size() * sizeof(uint32_t));
    table_versions_[slot] = entries_version_;
  }
  if (leaf_ && leaf_versions_[slot] != leaf_version_) {
    std::memcpy(leaf_buffers_[slot].mapped(), leaf_points_.data(), leaf_points_.size() * sizeof(gpu::LeafPoint));
    leaf_versions_[slot] = leaf_version_;
  }
}

void PageTextures::choose_leaf(std::span<const View> views, std::span<const PageViewScale> scales) {
  for (size_t side = 0; side < 2; ++side) {
    const uint32_t page = leaf_->faces[side].page;
    if (page == no_page) continue;
    // A face no view sees (the leaf lying flat, or seen edge on from its other side) needs nothing.
    bool faces_a_view = false;
    const float sign = side == 0 ? 1.0f : -1.0f;
    for (const View& view : views) {
      const glm::vec3 eye = view_position(view);
      for (size_t index = 0; index < leaf_points_.size() && !faces_a_view; ++index) {
        faces_a_view = sign * glm::dot(glm::vec3(leaf_points_[index].normal), eye - leaf_positions_[index]) > 0.0f;
      }
    }
    if (!faces_a_view) continue;
    choice_scratch_.clear();
    choose_leaf_tiles(pages_[page].shape, pages_[page].levels, leaf_->surfaces[side], scales, choice_scratch_);
    for (const NeededTile& tile : choice_scratch_) {
      needed_.push_back({tile_index(page, tile.level, tile.column, tile.row), tile.level});
    }
  }
}

VkBufferImageCopy PageTextures::copy_region(const Copy& copy) const {
  const uint32_t per_layer = columns_ * rows_;
  const uint32_t in_layer = copy.slot % per_layer;
  VkBufferImageCopy region{};
  region.bufferOffset = VkDeviceSize{copy.staging} * staging_stride_;
  region.imageSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, 0, copy.slot / per_layer, 1};
  region.imageOffset = {static_cast<int32_t>(in_layer % columns_ * gpu::page_slot_size),
                        static_cast<int32_t>(in_layer / columns_ * gpu::page_slot_size), 0};
  region.imageExtent = {copy.width, copy.height, 1};
  return region;
}

void PageTextures::record_copies(VkCommandBuffer commands) const {
  if (copies_.empty() && !lay_out_atlas_) return;
  // Earlier frames' draws may still sample the slots these copies overwrite (the last book's too:
  // load() does not wait for them). The first frame's atlas holds nothing yet.
  const auto to_copy = image_barrier(atlas_.get(), VK_IMAGE_ASPECT_COLOR_BIT,
                                     lay_out_atlas_ ? VK_IMAGE_LAYOUT_UNDEFINED : VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL,
                                     VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, VK_PIPELINE_STAGE_2_FRAGMENT_SHADER_BIT,
                                     VK_ACCESS_2_SHADER_SAMPLED_READ_BIT, VK_PIPELINE_STAGE_2_COPY_BIT,
                                     VK_ACCESS_2_TRANSFER_WRITE_BIT);
  pipeline_barrier(commands, {&to_copy, 1});
  for (const Copy& copy : copies_) {
    const VkBufferImageCopy region = copy_region(copy);
    vkCmdCopyBufferToImage(commands, staging_buffer_.get(), atlas_.get(), VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, 1,
                           &region);
  }
  const auto to_sampled = image_barrier(atlas_.get(), VK_IMAGE_ASPECT_COLOR_BIT, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL,
                                        VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL, VK_PIPELINE_STAGE_2_COPY_BIT,
                                        VK_ACCESS_2_TRANSFER_WRITE_BIT, VK_PIPELINE_STAGE_2_FRAGMENT_SHADER_BIT,
                                        VK_ACCESS_2_SHADER_SAMPLED_READ_BIT);
  pipeline_barrier(commands, {&to_sampled, 1});
}

uint32_t PageTextures::choose_placement(uint32_t page, const PagePlacement& placement,
                                        std::span<const PageViewScale> scales) {
  const PageLayout& entry = pages_[page];
  choice_scratch_.clear();
  choose_page_tiles(entry.shape, entry.levels, placement, scales, choice_scratch_);
  uint32_t finest = PageTileStats::no_level;
  for (const NeededTile& tile : choice_scratch_) {
    needed_.push_back({tile_index(page, tile.level, tile.column, tile.row), tile.level});
    finest = std::min(finest, tile.level);
  }
  return finest;
}

void PageTextures::record_draws(VkCommandBuffer commands, uint32_t slot, VkDescriptorSet frame_set,
                                uint32_t view_offset) const {
  if (pages_.empty()) return;
  bool bound = false;
  const auto bind = [&] {
    if (bound) return;
    vkCmdBindPipeline(commands, VK_PIPELINE_BIND_POINT_GRAPHICS, pipeline_);
    const std::array<VkDescriptorSet, 2> sets{frame_set, sets_[slot]};
    vkCmdBindDescriptorSets(commands, VK_PIPELINE_BIND_POINT_GRAPHICS, pipeline_layout_, 0, 2, sets.data(), 0,
                            nullptr);
    bound = true;
  };
  for (const ShownPage& shown : shown_) {
    bind();
    record_page(commands, shown.page, shown.placement, view_offset);
  }
  if (magnified_) {
    bind();
    record_page(commands, magnified_->page, magnified_->placement, view_offset);
  }
  for (uint32_t panel = 0; panel < foldout_panel_count_; ++panel) {
    bind();
    record_page(commands, foldout_page_, foldout_panels_[panel], view_offset);
  }
  if (leaf_) record_leaf(commands, slot, frame_set, view_offset);
}

void PageTextures::record_page(VkCommandBuffer commands, uint32_t page, const PagePlacement& placement,
                               uint32_t view_offset) const {
  gpu::PagePush push{};
  push.page_to_world = placement.transform;
  push.crop = crop_pixels(placement.crop, pages_[page].shape);
  const float texels_per_metre = std::max(push.crop.z / placement.size.x, push.crop.w / placement.size.y);
  push.size = glm::vec4(placement.size, texels_per_metre / pixels_per_tangent_, 0.0f);
  push.page = glm::uvec4(page, view_offset, columns_, rows_);
  vkCmdPushConstants(commands, pipeline_layout_, VK_SHADER_STAGE_VERTEX_BIT | VK_SHADER_STAGE_FRAGMENT_BIT, 0,
                     sizeof(push), &push);
  vkCmdDraw(commands, 6, 1, 0, 0);
}

void PageTextures::record_leaf(VkCommandBuffer commands, uint32_t slot, VkDescriptorSet frame_set,
                               uint32_t view_offset) const {
  vkCmdBindPipeline(commands, VK_PIPELINE_BIND_POINT_GRAPHICS, leaf_pipeline_);
  const std::array<VkDescriptorSet, 2> sets{frame_set, sets_[slot]};
  vkCmdBindDescriptorSets(commands, VK_PIPELINE_BIND_POINT_GRAPHICS, pipeline_layout_, 0, 2, sets.data(), 0,
                          nullptr);
  gpu::LeafPush push{};
  const std::array<glm::vec4*, 2> origins{&push.front_origin, &push.back_origin};
  const std::array<glm::vec4*, 2> rows{&push.front_rows, &push.back_rows};
  for (size_t side = 0; side < 2; ++side) {
    const LeafSurface& surface = leaf_->surfaces[side];
    *origins[side] = glm::vec4(surface.origin, surface.along_columns);
    // Level-0 texels a pixel spans per metre of depth, as the pages' (the finer direction's).
    *rows[side] = glm::vec4(surface.along_rows, leaf_->texels_per_metre[side] / pixels_per_tangent_, 0.0f);
  }
  push.light = glm::vec4(leaf_->light, 0.0f);
  push.paper = glm::vec4(leaf_->paper, 1.0f);
  push.leaf = glm::uvec4(leaf_->faces[0].page, leaf_->faces[1].page, view_offset, leaf_->columns);
  push.grid = glm::uvec4(leaf_->rows, columns_, rows_, 0);
  vkCmdPushConstants(commands, pipeline_layout_, VK_SHADER_STAGE_VERTEX_BIT | VK_SHADER_STAGE_FRAGMENT_BIT, 0,
                     sizeof(push), &push);
  vkCmdDraw(commands, leaf_->columns * leaf_->rows * 6, 1, 0, 0);
}

void PageTextures::wait_for_reads() {
  std::unique_lock lock(mutex_);
  work_done_.wait(lock, [&] { return queue_size_ == 0 && reading_ == 0; });
}

}  // namespace pavilion::render

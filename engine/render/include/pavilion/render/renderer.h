// The renderer: draws a scene::RenderScene into any RenderTarget, for any number of views.
//
// Views are drawn in one multiview pass where the device's multiview works (checked at start-up),
// otherwise one pass per view.
//
// Passes, in order: a shadow map for the directional light; opaque PBR (glTF metallic-roughness)
// with the sky (or, for AR, a transparent background), into a 4× multisampled HDR target resolved at the end of the pass; tonemapping
// (Khronos PBR Neutral, which keeps curated colours true) into the target's image, each pixel's
// change of luminance capped where the flash limiter is on (RendererConfig::max_luminance_step); an overlay
// (menus, captions) blended over it on single-layer targets. Instances are
// culled against every view's frustum, drawn at the coarsest level of detail whose error stays
// under a pixel, and drawn instanced, sorted by pipeline, material and mesh. Skinned meshes are
// skinned in the vertex stage of every pass that draws them (each view, the shadow map), from
// joint matrices the caller hands each frame (set_instance_joints, pose_instances). Morph targets
// are added in the same vertex stages, before skinning (glTF's order), from the weights the caller
// hands (set_instance_weights, pose_instances); an instance whose weights are all zero is drawn as
// if it had none, at no cost, and culling bounds grow by the farthest its weights can move a vertex.
#pragma once

#include "pavilion/core/error.h"
#include "pavilion/core/image.h"
#include "pavilion/render/context.h"
#include "pavilion/scene/render_scene.h"
#include "pavilion/render/overlay.h"
#include "pavilion/render/page_tiles.h"
#include "pavilion/render/render_target.h"
#include "pavilion/render/view.h"
#include "pavilion/scene/loader.h"
#include "pavilion/scene/node_tree.h"
#include "pavilion/scene/particles.h"
#include "pavilion/scene/page_tiles.h"

#include <cstdint>
#include <memory>
#include <span>

namespace pavilion::render {

// Chooses 4× MSAA on GPUs and 1× on software rasterizers, whose multisampling can take minutes
// per frame on scenes of many small objects (lavapipe: 146 s for a 64×48 frame of 2 000
// instances at 4×, 0.3 s at 1×).
inline constexpr uint32_t automatic_msaa = 0;

struct RendererConfig {
  uint32_t shadow_map_size = 2048;
  // Deep zoom into page scans (page_tiles.h): GPU memory for the tile atlas and the pages' tables,
  // taken at the first load_pages. 64 MiB suits a modest integrated GPU (an Intel UHD 620-class
  // kiosk PC sharing 8 GB): 1 792 BC1 tiles, a 1080p screen at 1:1 needs about 100 with their
  // coarser levels, a headset's two eyes about 300, so most of a book's opening stays resident
  // while a visitor zooms about; on a device without BC1 the same bytes hold 240 RGBA8 tiles.
  uint64_t page_texture_bytes = uint64_t{64} << 20;
  // Tiles copied into the atlas per frame at most: 32 BC1 tiles are 1 MiB of copies.
  uint32_t page_uploads_per_frame = 32;
  uint32_t page_reader_threads = 2;  // worker threads reading (and, for RGBA8, decoding) tiles
  // BC1 tiles where the device samples BC1; false keeps RGBA8 everywhere (the fallback, to test
  // and measure it).
  bool page_tiles_block_compressed = true;
  uint32_t msaa_samples = automatic_msaa;  // 1, 2, 4 or automatic; lowered to what the device supports
  // Host memory that uploads pass through; scenes load in batches of this size. A texture larger
  // than it grows it for good.
  uint64_t upload_staging_bytes = uint64_t{32} << 20;
  // For AR headsets, which lay the picture over the room: no sky, and where nothing is drawn the
  // image is transparent. Colours are then premultiplied by their coverage (alpha).
  bool transparent_background = false;
  // Several views in one multiview pass where the device draws them correctly; false draws one
  // pass per view everywhere (to measure what multiview saves).
  bool multiview = true;
  // The flash limiter, for content no flash check has passed: the most each pixel's relative
  // luminance (WCAG's, 0 black to 1 white) may change from one frame to the next; a larger change
  // is cut to it, the pixel's hue and saturation kept. 0 turns it off, and then it costs nothing.
  // flash_safe_luminance_step gives a cap for a frame rate. The first frame after the target
  // changes size or a scene is loaded shows as it is.
  float max_luminance_step = 0.0f;
};

// A per-frame cap on luminance change under which nothing flashes at `frames_per_second` or
// slower. WCAG 2.3.1 counts a flash as a pair of opposite changes of relative luminance of 10 %
// (0.1) or more, and fails more than three flashes in a second; Ofcom also fails two to three a
// second kept up for five seconds. With each pixel allowed 0.1 per half second, a change that
// counts takes half a second, so any second holds at most three changes (a flash and a half),
// under both rules with room to spare. Slow fades and moving light pass unchanged; a cut from
// black to white becomes a 5 s fade.
constexpr float flash_safe_luminance_step(float frames_per_second) { return 0.1f / (0.5f * frames_per_second); }

// Timings of one frame. CPU figures are for the frame just rendered; GPU figures arrive
// frames_in_flight frames later, when its timestamps are ready (zero until then).
struct FrameStats {
  uint64_t frame = 0;
  uint32_t instances = 0;
  uint32_t visible_instances = 0;
  // Skinned instances whose joints this frame uploads and whose vertices it skins: those a view
  // sees or whose shadow may fall into one. The rest cost nothing.
  uint32_t skinned_instances = 0;
  // Morphed instances whose weights this frame uploads and whose vertices it morphs: those seen or
  // casting a seen shadow, with a weight that is not zero.
  uint32_t morphed_instances = 0;
  uint32_t draw_calls = 0;
  uint64_t triangles = 0;         // drawn in the opaque pass, after culling and levels of detail
  uint64_t shadow_triangles = 0;  // drawn in the shadow pass, at levels of detail fit for its texels
  double cpu_cull_ms = 0;
  double cpu_record_ms = 0;
  double cpu_submit_ms = 0;
  uint64_t gpu_frame = 0;  // which frame the GPU figures belong to
  double gpu_shadow_ms = 0;
  double gpu_opaque_ms = 0;
  double gpu_tonemap_ms = 0;
  double gpu_total_ms = 0;
};

enum class FrameOutcome {
  drawn,
  skipped,  // the target had nothing to draw into (minimised window, hidden XR session)
};

class Renderer {
 public:
  // The context must outlive the renderer.
  static Result<std::unique_ptr<Renderer>> create(GpuContext& context, const RendererConfig& config = {});
  ~Renderer();
  Renderer(const Renderer&) = delete;
  Renderer& operator=(const Renderer&) = delete;

  // Validates `scene` and uploads it. Deferred textures (scene::LoadOptions::defer_texture_bytes)
  // are read through `texture_reader` straight into upload memory, on worker threads. On any
  // error the previous scene stays loaded and drawn.
  Result<void> load_scene(const scene::RenderScene& scene, const scene::TextureReader* texture_reader = nullptr);

  // Replaces textures of the loaded scene with fuller versions of themselves (the large levels of
  // a progressive load): each update's smallest levels must be the texture shown now. Waits for
  // the GPU to finish the frames in flight; on any error the scene keeps the textures it had.
  Result<void> update_textures(std::span<const scene::LoadedTexture> textures);

  // Moves instances [first, first + count) of the loaded scene (scene order, as an exhibit lists
  // them) to `transform` times where they were loaded, from the next frame on: an exhibit a
  // visitor picks up. The identity puts them back. Allocates nothing.
  void move_instances(uint32_t first, uint32_t count, const glm::mat4& transform);

  // Animation, from the next frame on (AnimationPlayer::evaluate gives both, allocating nothing):
  // places unskinned `instance` (scene order) at `world`, its node's world transform now.
  void set_instance_transform(uint32_t instance, const glm::mat4& world);
  // Poses an instance of a skinned mesh with its skin's joint matrices, which take the mesh's
  // vertices at bind time into the world (the node's own transform is not applied, as in glTF): at
  // least one per joint its vertices name. Its bounds for culling follow the pose. Until posed, a
  // skinned instance is drawn as it was bound, at its node. Copies `joints`; allocates nothing.
  void set_instance_joints(uint32_t instance, std::span<const glm::mat4> joints);
  // Sets the morph target weights of an instance of a mesh with morph targets (scene order), one
  // per target: its vertices move by each target's deltas times its weight. Until set, the mesh's
  // rest weights (MeshData::morph_weights). Its bounds for culling follow. Copies `weights`;
  // allocates nothing.
  void set_instance_weights(uint32_t instance, std::span<const float> weights);
  // All of these, for every instance of the loaded scene from its node tree's pose: `world` one
  // transform per node, `joints` every skin's joint matrices, skin after skin, and `weights` (when
  // given) every morph's weights, morph after morph (AnimationPlayer::evaluate's three outputs).
  // An unskinned instance whose node did not move is left alone. Allocates nothing.
  void pose_instances(const scene::NodeTree& tree, std::span<const glm::mat4> world, std::span<const glm::mat4> joints,
                      std::span<const float> weights = {});

  // Replaces the loaded scene's directional light from the next frame on (a show's light ramp),
  // until this is called again or another scene is loaded; a turned light moves the shadow map's
  // box with it. Allocates nothing.
  void set_light(const scene::DirectionalLight& light);

  // Turns the flash limiter on (a cap, as RendererConfig::max_luminance_step) or off (0) from the
  // next frame on; turned on, its first frame shows as it is. Allocates nothing until the next
  // frame, which allocates its history images (two luminance images of the target's size).
  void set_max_luminance_step(float step);

  // Draws one frame. `views` has one view per target layer. `overlay`, when given, is drawn over
  // a single-layer target's image; `world` overlays are drawn in the scene, in every view.
  // Allocates nothing in steady state.
  Result<FrameOutcome> render(RenderTarget& target, std::span<const View> views, const Overlay* overlay = nullptr,
                              std::span<const WorldOverlay> world = {});

  // Draws `overlay` alone onto a transparent single-layer target (a headset's panel, which the
  // compositor shows as a quad layer). Colours come out premultiplied by their alpha.
  Result<FrameOutcome> render_panel(RenderTarget& target, const Overlay& overlay);

  // A texture for overlay draws (a font atlas, a thumbnail), from sRGB-encoded RGBA8 pixels with
  // straight alpha. Kept until removed or the renderer ends.
  Result<OverlayTextureId> add_overlay_texture(const ImageRgba8& image);
  // A signed-distance glyph atlas for overlay draws (engine/text bakes them): one byte per texel,
  // row by row, 128 on the outline and more inside. Draws with it take their colour from their
  // vertices and stay sharp at any scale.
  Result<OverlayTextureId> add_overlay_distance_field(uint32_t width, uint32_t height,
                                                      std::span<const uint8_t> distances);
  // A texture for overlay draws that frames fill piece by piece (a book's thumbnails, as a worker
  // decodes them): `width` × `height` sRGB RGBA8 texels, all `fill` (R in the lowest byte, straight
  // alpha) until updated. Made without waiting for the GPU, unlike add_overlay_texture: the fill
  // and each update are recorded into the next frame, before anything samples the texture. The
  // next frames take the memory for `bytes_per_frame` of updates a frame. Kept until removed.
  Result<OverlayTextureId> add_streamed_overlay_texture(uint32_t width, uint32_t height, uint32_t fill,
                                                        uint32_t bytes_per_frame);
  // Copies `rgba` (width × height sRGB RGBA8 texels, row by row) to (x, y) of a streamed overlay
  // texture in the next frame. Allocates nothing while a frame's updates stay within the
  // bytes_per_frame of the textures made so far; refuses a rectangle outside the texture.
  Result<void> update_overlay_texture(OverlayTextureId texture, uint32_t x, uint32_t y, uint32_t width, uint32_t height,
                                      std::span<const uint8_t> rgba);
  // Its id is free at once; the texture itself is freed when the frames in flight, which may still
  // sample it, have finished (no wait: a panel closing costs its frame nothing).
  Result<void> remove_overlay_texture(OverlayTextureId texture);

  // Deep zoom (page_tiles.h). Replaces the loaded pages with every page of `source`, which the
  // renderer keeps and reads on its worker threads until the next load_pages (nullptr: none) or
  // its end. Does not wait for the frames in flight (they finish drawing the last pages from what
  // they were given): reads a frame's worth of the pinned coarsest tiles (the book's first pages')
  // into staging, which the next frame copies in before it draws, and leaves the other pins to the
  // workers, so that its time does not grow with the book; a page whose coarsest tile has not
  // landed shows as paper. Pages start hidden. On failure (a page too large, more pages than the
  // tables' share of the budget holds) no page is loaded.
  Result<void> load_pages(std::shared_ptr<const scene::PageTileSource> source);
  // load_pages in two steps, so that the frame that opens a book does not pay for the part of it
  // that grows with the book. page_preparation (render thread) says what prepare_pages needs;
  // prepare_pages (any thread, no GPU, the renderer need not outlive it) lays out every page of
  // `source`, chooses the pins and reads the first frame's worth of them; load_prepared_pages
  // (render thread) makes the tables from it and stages those pins, as load_pages does. Pages
  // prepared for another preparation (a renderer made again since) are prepared again here. The
  // errors are load_pages's, from whichever step meets them; prepare_pages's leave the loaded
  // pages as they are (load_pages itself then loads none).
  Result<PagePreparation> page_preparation();
  static Result<std::shared_ptr<const PreparedPages>> prepare_pages(const PagePreparation& preparation,
                                                                   std::shared_ptr<const scene::PageTileSource> source);
  Result<void> load_prepared_pages(std::shared_ptr<const PreparedPages> pages);
  // Shows loaded page `page` at `placement` from the next frame on, or moves it. Allocates nothing.
  void show_page(uint32_t page, const PagePlacement& placement);
  void hide_page(uint32_t page);
  // A magnifier's lens: loaded page `page` drawn a second time at `placement` (usually a small
  // part of it, its crop, made large), beside wherever show_page put it, until hidden or the next
  // load_pages. Its tiles are chosen from the views like a shown page's, so the lens draws finer
  // levels than the page around it (PageTileStats::finest_magnified_level). One at a time.
  // Allocates nothing.
  void show_magnified(uint32_t page, const PagePlacement& placement);
  void hide_magnified();
  // A foldout: loaded page `page` drawn as `panels` (at most max_foldout_panels), each a part of
  // its scan (its crop) placed on its own, tilted as its folds lie, beside wherever show_page put
  // it, until hidden, shown again or the next load_pages. Its tiles are chosen from the views like
  // a shown page's. One at a time; copies the panels. Allocates nothing.
  void show_foldout(uint32_t page, std::span<const PagePlacement> panels);
  void hide_foldout();
  // Draws `leaf` (page_tiles.h) from the next frame on, until hidden, shown again or the next
  // load_pages: a book's leaf turning, its faces' pictures from the loaded pages, in every view and
  // depth-tested with the scene like the pages. One leaf at a time. Copies the grid (at most 32 ×
  // 32 cells) into the world: `leaf`'s arrays are the caller's and may change once this returns.
  // Pages must be loaded. Allocates nothing.
  void show_turning_leaf(const TurningLeaf& leaf);
  void hide_turning_leaf();
  // As of the last frame; empty before the first load_pages.
  PageTileStats page_tile_stats() const;
  // For tests and benchmarks: waits until the workers have read every tile asked for so far, so
  // that the next frame can copy them in. Frames themselves never wait for a tile.
  void wait_for_page_reads();

  // Particle systems (scene/particles.h), simulated by a compute step and drawn after the opaque
  // scene and before tonemapping, in every view of the scene pass, soft against its depth. Replaces
  // the loaded systems, waiting for the frames in flight; every GPU buffer is made here, sized to
  // what the systems can hold at once, which must be at most `particle_budget` particles
  // (scene::default_particle_budget unless the program chooses): more is refused with a sentence
  // naming each system's share, and the systems loaded before stay. Continuous systems emit from
  // here on. The same seed and the same sequence of advances give the same frames.
  Result<void> load_particles(std::span<const scene::ParticleSystem> systems, uint32_t particle_budget,
                              uint64_t seed);
  // A burst of system `system` (an index into the loaded systems) at its position, at the next
  // frame that advances. Allocates nothing.
  void burst_particles(uint32_t system);
  // Simulation time for the next frame: its particles move on by the seconds advanced since the
  // frame before (in steps of at most 1/60 s, at most eight a frame). Allocates nothing.
  void advance_particles(float seconds);

  // Waits until the GPU has finished every submitted frame.
  Result<void> wait_idle();

  const FrameStats& last_frame_stats() const;
  uint32_t msaa_samples() const;
  // Whether several views are drawn in one multiview pass (or in one pass each).
  bool uses_multiview() const;

 private:
  struct State;
  explicit Renderer(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace pavilion::render

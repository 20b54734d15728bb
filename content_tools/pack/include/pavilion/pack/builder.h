// pavilion-pack build: a scene source folder to a signed .pvpkg.
#pragma once

#include "pavilion/core/error.h"
#include "pavilion/pack/model_import.h"
#include "pavilion/pack/scene_source.h"
#include "pavilion/package/signing.h"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace pavilion::pack {

inline constexpr std::string_view tool_version = "pavilion-pack 0.2.0";

enum class Target { kiosk_pc, headset };
std::optional<Target> parse_target(std::string_view name);
std::string_view to_string(Target target);

// What a target can afford; lint compares a scene with it.
struct Budget {
  uint64_t triangles;
  uint32_t draw_calls;
  uint64_t texture_bytes;
  uint32_t max_texture_size;
  double audio_seconds;
};
Budget budget_for(Target target);

// Receives progress: one stage after another, each with a known number of steps.
class ProgressSink {
 public:
  virtual ~ProgressSink() = default;
  virtual void stage(std::string_view name, size_t steps) = 0;
  virtual void step(std::string_view item) = 0;  // thread-safe
  virtual void note(std::string_view line) = 0;   // a line for --verbose
};

// Pixels along the side of the square frames the flash check draws a show in: a 10° field is 11
// pixels across at 128, enough for the analyser's window, and lavapipe draws a minute of show in
// under half a minute (content_tools/pack/README.md).
inline constexpr uint32_t default_flash_check_size = 128;

struct BuildOptions {
  std::filesystem::path scene_directory;
  std::filesystem::path output;  // empty: build in memory only (lint)
  Target target = Target::kiosk_pc;
  uint32_t jobs = 0;                          // worker threads; 0: one per processor
  const package::KeyPair* key = nullptr;      // unsigned without one
  std::filesystem::path cache_directory;      // empty: no cache
  // PEM: the authorities that sign the certificates of the HTTPS servers books are fetched from
  // (a library's own CA for its IIIF server); empty: the system's store.
  std::filesystem::path ca_file;
  bool compress_textures = true;
  // Draws a thumbnail of each exhibit for kiosks' menus (needs a Vulkan device; without one the
  // package is built without them and a warning says so).
  bool thumbnails = true;
  // Plays the show as a headset shows it and fails the build when it could provoke seizures
  // (stages.h, check_show_flashes); frames of flash_check_size pixels square.
  bool check_show_flashes = true;
  uint32_t flash_check_size = default_flash_check_size;
  int compression_level = 15;                 // zstd
  ImportLimits model_limits;                  // what each model's import may use
  // A book's page fetched as tiles of more pixels than this is not held in memory but stitched a
  // row of tiles at a time into a file in the build's scratch folder, which the pyramid streams
  // (a 30 000 × 40 000 scan is 4.8 GB of pixels).
  int64_t max_held_page_pixels = int64_t{256} << 20;
  ProgressSink* progress = nullptr;
};

struct BuildReport {
  SceneSource source;
  uint64_t triangles = 0;
  uint32_t draw_calls = 0;       // distinct mesh and material pairs, as the renderer batches them
  uint64_t texture_bytes = 0;    // on the GPU, all mips
  uint32_t largest_texture = 0;  // in texels along a side
  double audio_seconds = 0;
  uint32_t blobs = 0;
  uint64_t package_bytes = 0;
  uint32_t assets_processed = 0;
  uint32_t assets_from_cache = 0;
  uint32_t pages_stitched_on_disk = 0;  // books' pages past max_held_page_pixels
  std::vector<std::filesystem::path> used_files;  // every source file the scene uses
  // What the build found beyond scene.json's own warnings (source.warnings), in the order found:
  // warnings and notes, never errors (see build_package).
  std::vector<Finding> notes;
};

// Builds the package in stages (read the source, import models, process textures and sounds,
// prepare poems, place exhibits, pack meshes, validate, describe, draw thumbnails, write).
//
// What fails the build: an error in scene.json (every one at once, each at its JSON path or line
// and column); a model, texture or sound that cannot be read, decoded or imported, or a model
// import past one of `model_limits`; a poem's cue that ends after its recitation, or a character
// its font lacks; a show's cue playing a clip its model lacks (show.tracks[N].cues[M].clip); a sound espeak-ng cannot make; a show that could provoke seizures on a headset (show). The error names scene.json and the JSON path of
// what failed ("exhibits[3].sound", "exhibits[1].model", the first exhibit using a texture). The
// renderer's checks of the finished scene (a bug of the tool's, not the curator's) and writing
// the output fail it too, without a JSON path.
//
// What does not: a warning (Finding::Severity::warning) is something a curator should fix and
// lint fails on: a missing translation or the like (source.warnings), a texture a model names
// that is not found (packed without it), thumbnails that could not be drawn (no Vulkan device).
// A note (Finding::Severity::note) needs no change: a skinned or animated model, shown still.
//
// Nothing is left behind on failure: the package is written last, through a temporary file
// beside the output renamed into place, so a failed build leaves no output and no temporary file,
// and a package already at the output as it was. The thumbnails' draft beside the output is
// removed once drawn from. Only the cache keeps what the build processed before it failed, so
// the build after the fix is quick.
Result<BuildReport> build_package(const BuildOptions& options);

}  // namespace pavilion::pack

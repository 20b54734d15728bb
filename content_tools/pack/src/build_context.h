// What one `pavilion-pack build` assembles as its stages run (stages.h): the scene source, the
// options, the imported models, textures and sounds, the scene's tables, the package's blobs and
// manifest, and the report with its warnings and notes. One context per build, owned by
// build_package; a stage reads what the stages before it left here and adds its own part.
#pragma once

#include "asset_cache.h"
#include "pavilion/audio/timeline.h"
#include "pavilion/iiif/http_cache.h"
#include "pavilion/iiif/manifest.h"
#include "pavilion/pack/builder.h"
#include "pavilion/pack/model_import.h"
#include "pavilion/package/writer.h"
#include "pavilion/page_text/page_text.h"
#include "pavilion/scene/scene_tables.h"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pavilion::pack {

// One model exhibit's import, and where its textures went in the package's texture list.
struct ModelResult {
  ImportedModel model;
  std::vector<uint32_t> texture_indices;  // the model's textures in BuildContext::textures
};

// One texture of the package: where its pixels come from and how it is used.
struct TextureJob {
  TextureSource source;
  std::string place;                  // "scene.json: exhibits[3].image", the first exhibit using it, for errors
  scene::TextureReference reference;  // filled when processed
  uint64_t gpu_bytes = 0;
};

// One sound of the package: an audio exhibit's, a poem's recitation, or what the audio-only mode
// says about a poem.
struct SoundJob {
  enum class Role { exhibit_sound, recitation, announcement_zh_cn, announcement_en, translation_reading };
  size_t exhibit = 0;
  Role role = Role::exhibit_sound;
  std::filesystem::path file;  // empty: synthesised by espeak-ng
  float volume = 1.0f;
  bool loop = false;
  std::string speech;  // what espeak-ng says, for the audio-only mode's sounds
  std::string voice;
};

// One book exhibit: its source read into the IIIF model, then its pages tiled into `book`.
struct BookJob {
  size_t exhibit = 0;
  iiif::Manifest manifest;
  std::filesystem::path source_file;  // the manifest, its URL or book.json: names its findings
  std::map<std::string, std::filesystem::path> files;  // scans by canvas id (a folder's, or scene.json's "files") or label
  bool leaves_imaged_whole = false;
  // How Tesseract reads the pages that name no text, when the curator asked for it.
  std::optional<page_text::RecognitionOptions> recognition;
  scene::Book book;
};

// Folders a build made for itself, removed when it ends however it ends.
struct RemovedAtEnd {
  std::vector<std::filesystem::path> folders;
  void push_back(std::filesystem::path folder) { folders.push_back(std::move(folder)); }
  ~RemovedAtEnd() {
    std::error_code error;
    for (const auto& folder : folders) std::filesystem::remove_all(folder, error);
  }
};

struct BuildContext {
  // `options` must outlive the context.
  explicit BuildContext(const BuildOptions& build_options)
      : options(build_options), cache(build_options.cache_directory) {}
  BuildContext(const BuildContext&) = delete;
  BuildContext& operator=(const BuildContext&) = delete;

  const SceneSource& source() const { return report.source; }
  // Progress, for the options' sink when there is one.
  void stage(std::string_view name, size_t steps) const;
  void step(std::string_view item) const;  // thread-safe

  const BuildOptions& options;
  const AssetCache cache;
  // The source (once read), the counts, every file used, and the warnings and notes in the order
  // the stages found them.
  BuildReport report;
  // Guards the report while a stage's worker threads add to it.
  std::mutex report_mutex;

  std::vector<ModelResult> models;  // one per model exhibit, in the exhibits' order
  std::vector<TextureJob> textures;
  std::map<size_t, uint32_t> panel_texture;  // a panel exhibit's index → its texture
  std::vector<SoundJob> sounds;              // in the order of tables.audio
  // Synthesised recitations come with their own timings, one cue per spoken character.
  std::vector<std::vector<audio::Cue>> synthesised_cues;  // one per sound

  std::vector<BookJob> books;  // in the exhibits' order
  // Fetched manifests, page images and texts (the build cache's "books" folder, or a temporary one).
  std::unique_ptr<iiif::HttpCache> image_cache;
  std::filesystem::path book_scratch;  // fetched pictures written out for the pyramid to stream
  RemovedAtEnd remove_at_end;

  scene::SceneTables tables;
  std::vector<scene::MeshData> meshes;  // tables.meshes names their blobs
  package::PackageWriter writer;
  ContentHash scene_blob;
  nlohmann::json manifest;  // what people (inspect, the hub) read; the engine reads the scene blob
};

}  // namespace pavilion::pack

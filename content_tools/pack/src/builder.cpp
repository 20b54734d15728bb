#include "pavilion/pack/builder.h"

#include "asset_cache.h"
#include "pavilion/core/bytes.h"
#include "pavilion/core/file.h"
#include "pavilion/core/parallel.h"
#include "pavilion/core/utf8.h"
#include "pavilion/pack/audio_import.h"
#include "pavilion/pack/mesh_processing.h"
#include "pavilion/pack/model_import.h"
#include "pavilion/pack/texture_import.h"
#include "pavilion/package/writer.h"
#include "pavilion/scene/thumbnail.h"
#include "thumbnails.h"
#include "pavilion/scene/scene_tables.h"
#include "pavilion/text/atlas.h"
#include "pavilion/text/faces.h"
#include "pavilion/text/font.h"
#include "pavilion/text/subset.h"

#include <fmt/format.h>
#include <fmt/std.h>
#include <glm/gtc/matrix_transform.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <mutex>
#include <set>

namespace pavilion::pack {
namespace {

using package::BlobKind;
using package::PreparedBlob;

// One texture of the package: where its pixels come from and how it is used.
struct TextureJob {
  TextureSource source;
  scene::TextureReference reference;  // filled when processed
  uint64_t gpu_bytes = 0;
};

struct ModelResult {
  ImportedModel model;
  std::vector<uint32_t> texture_indices;  // the model's textures in the package's texture list
};

// The panel every "panel" exhibit is drawn on: a unit square facing +Z, its texture upright.
RawMesh panel_quad() {
  RawMesh quad;
  quad.name = "panel";
  quad.positions = {{-0.5f, 0.5f, 0.0f}, {0.5f, 0.5f, 0.0f}, {0.5f, -0.5f, 0.0f}, {-0.5f, -0.5f, 0.0f}};
  quad.normals.assign(4, glm::vec3(0, 0, 1));
  quad.uvs = {{0, 0}, {1, 0}, {1, 1}, {0, 1}};
  quad.indices = {0, 3, 2, 0, 2, 1};
  return quad;
}

// A bounding sphere around the transformed bounding boxes of the given instances.
glm::vec4 instances_sphere(const std::vector<scene::InstanceData>& instances, size_t first,
                           const std::vector<scene::MeshData>& meshes) {
  glm::vec3 low(std::numeric_limits<float>::max());
  glm::vec3 high(std::numeric_limits<float>::lowest());
  for (size_t index = first; index < instances.size(); ++index) {
    for (const scene::PackedVertex& vertex : meshes[instances[index].mesh].vertices) {
      const glm::vec3 world =
          glm::vec3(instances[index].transform * glm::vec4(vertex.position[0], vertex.position[1], vertex.position[2], 1.0f));
      low = glm::min(low, world);
      high = glm::max(high, world);
    }
  }
  if (low.x > high.x) return glm::vec4(0.0f, 0.0f, 0.0f, 0.5f);
  return glm::vec4((low + high) * 0.5f, std::max(glm::length(high - low) * 0.5f, 0.05f));
}

std::string settings_text(const BuildOptions& options, TextureUse use) {
  return fmt::format("{} {} compress={} max={}", tool_version, static_cast<int>(use), options.compress_textures,
                     budget_for(options.target).max_texture_size);
}

nlohmann::json text_json(const LocalizedText& text) { return {{"zh-CN", text.zh_cn}, {"en", text.en}}; }

struct PreparedPoem {
  scene::Poem poem;
  PreparedBlob font;
  PreparedBlob atlas;
};

// The poem's font cut down to every character its exhibit shows (title, poet, dynasty, text,
// pinyin, translation), and a distance-field atlas of all the subset's glyphs, so the kiosk can
// set it vertically or horizontally, with or without pinyin.
Result<PreparedPoem> prepare_poem(const ExhibitSource& exhibit, const text::Font& font,
                                  const std::filesystem::path& scene_file, int compression_level) {
  const PoemSource& source = exhibit.poem;
  const std::string step = fmt::format("{}: {}.poem", scene_file.string(), exhibit.json_path);
  // The kiosk sets the dynasty in brackets: 〔唐〕李白.
  std::string shown = source.text + source.translation + " ·〔〕";
  for (const LocalizedText* text : {&exhibit.metadata.title, &exhibit.metadata.creator, &source.dynasty}) {
    shown += text->zh_cn + text->en;
  }
  for (const std::string& syllable : source.pinyin) shown += syllable;
  PV_TRY_ASSIGN(std::u32string characters, decode_utf8(shown).add_context(step));
  for (const char32_t c : characters) {
    if (c == U'\n' || font.glyph_for(c) != 0) continue;
    std::string character;
    append_utf8(character, c);
    return Error(ErrorCode::unsupported, step,
                 fmt::format("the font {} has no glyph for '{}' (U+{:04X}); choose the other \"font\" or replace "
                             "the character",
                             font.name(), character, static_cast<uint32_t>(c)));
  }
  PV_TRY_ASSIGN(std::vector<std::byte> subset_bytes, text::subset_font(font, characters).add_context(step));
  PV_TRY_ASSIGN(const auto subset,
                text::Font::from_bytes(subset_bytes, 0, fmt::format("{} (subset)", font.name())).add_context(step));
  std::vector<text::GlyphKey> glyphs(subset->glyph_count());
  for (uint32_t glyph = 0; glyph < glyphs.size(); ++glyph) glyphs[glyph] = {0, glyph};
  const std::array<const text::Font*, 1> fonts{subset.get()};
  PV_TRY_ASSIGN(const text::GlyphAtlas atlas, text::build_atlas(fonts, glyphs, {}).add_context(step));

  PreparedPoem prepared;
  prepared.font = package::prepare_blob(BlobKind::font, subset_bytes, compression_level);
  prepared.atlas = package::prepare_blob(BlobKind::glyph_atlas, text::encode_atlas(atlas), compression_level);
  scene::Poem& poem = prepared.poem;
  poem.dynasty = source.dynasty;
  poem.text = source.text;
  poem.pinyin = source.pinyin;
  poem.translation = source.translation;
  poem.vertical = source.layout == PoemSource::Layout::vertical;
  poem.font = prepared.font.entry.hash;
  poem.atlas = prepared.atlas.entry.hash;
  const text::FontLicence licence = subset->licence();
  poem.font_credit = {licence.family, licence.copyright, licence.description, licence.url};
  poem.cues_by_line = source.unit == PoemSource::TimingUnit::line;
  for (const audio::Cue& cue : source.cues) {
    poem.cues.push_back({static_cast<float>(cue.start), static_cast<float>(cue.end)});
  }
  return prepared;
}

}  // namespace

std::optional<Target> parse_target(std::string_view name) {
  if (name == "kiosk-pc") return Target::kiosk_pc;
  if (name == "headset") return Target::headset;
  return std::nullopt;
}

std::string_view to_string(Target target) { return target == Target::headset ? "headset" : "kiosk-pc"; }

Budget budget_for(Target target) {
  // A kiosk PC has a desktop GPU; a standalone headset renders twice per frame on a phone chip.
  if (target == Target::headset) return Budget{500'000, 150, uint64_t{256} << 20, 2048, 20.0 * 60};
  return Budget{2'000'000, 500, uint64_t{512} << 20, 4096, 20.0 * 60};
}

Result<BuildReport> build_package(const BuildOptions& options) {
  BuildReport report;
  PV_TRY_ASSIGN(report.source, read_scene_source(options.scene_directory));
  const SceneSource& source = report.source;
  report.used_files.push_back(source.file);
  const AssetCache cache(options.cache_directory);
  ProgressSink* progress = options.progress;
  auto stage = [&](std::string_view name, size_t steps) {
    if (progress) progress->stage(name, steps);
  };
  auto step = [&](std::string_view item) {
    if (progress) progress->step(item);
  };
  std::mutex report_mutex;

  // --- models ---
  std::vector<size_t> model_exhibits;
  for (size_t index = 0; index < source.exhibits.size(); ++index) {
    if (source.exhibits[index].kind == scene::ExhibitKind::model) model_exhibits.push_back(index);
  }
  std::vector<ModelResult> models(model_exhibits.size());
  std::vector<ContentHash> model_keys(model_exhibits.size());
  std::vector<uint8_t> model_cached(model_exhibits.size(), 0);
  stage("models", model_exhibits.size());
  auto model_of = [&](size_t task) -> const ExhibitSource& { return source.exhibits[model_exhibits[task]]; };
  PV_TRY(parallel_for(model_exhibits.size(), options.jobs, [&](size_t task) -> Result<void> {
    PV_TRY_ASSIGN(const auto model_bytes, read_file(model_of(task).model));
    model_keys[task] = cache_key("model", model_bytes, fmt::format("{} {}", tool_version, model_of(task).model.string()));
    if (auto entry = cache.load_model(model_keys[task])) {
      models[task].model = std::move(*entry);
      model_cached[task] = 1;
      step(model_of(task).model.filename().string());
    }
    return {};
  }));
  // The rest are imported in child processes, started once the worker threads above are done.
  std::vector<size_t> import_tasks;
  std::vector<std::filesystem::path> import_paths;
  for (size_t task = 0; task < model_exhibits.size(); ++task) {
    if (model_cached[task]) continue;
    import_tasks.push_back(task);
    import_paths.push_back(model_of(task).model);
  }
  std::vector<Result<ImportedModel>> imported = import_models(
      import_paths, options.model_limits, options.jobs, [&](size_t index) { step(import_paths[index].filename().string()); });
  for (size_t index = 0; index < import_tasks.size(); ++index) {
    const size_t task = import_tasks[index];
    PV_TRY_ASSIGN(models[task].model, std::move(imported[index])
                                          .add_context(fmt::format("{}: {}.model", source.file.string(), model_of(task).json_path)));
    // An import that missed a texture is not kept: the image may be there by the next build.
    if (models[task].model.missing_textures.empty()) cache.store_model(model_keys[task], models[task].model);
  }
  for (size_t task = 0; task < model_exhibits.size(); ++task) {
    ++(model_cached[task] ? report.assets_from_cache : report.assets_processed);
    report.used_files.insert(report.used_files.end(), models[task].model.files_read.begin(),
                             models[task].model.files_read.end());
  }

  // --- textures: from the models and the panels, each file and use once ---
  std::vector<TextureJob> textures;
  std::map<std::string, uint32_t> texture_by_key;
  auto add_texture = [&](TextureSource texture_source) {
    const std::string key = texture_source.file.empty()
                                ? fmt::format("{}|{}", texture_source.name, static_cast<int>(texture_source.use))
                                : fmt::format("{}|{}", std::filesystem::weakly_canonical(texture_source.file).string(),
                                              static_cast<int>(texture_source.use));
    if (auto known = texture_by_key.find(key); known != texture_by_key.end()) return known->second;
    textures.push_back(TextureJob{std::move(texture_source), {}, 0});
    const auto index = static_cast<uint32_t>(textures.size() - 1);
    texture_by_key.emplace(key, index);
    return index;
  };
  for (ModelResult& result : models) {
    for (TextureSource& texture : result.model.textures) result.texture_indices.push_back(add_texture(std::move(texture)));
  }
  std::map<size_t, uint32_t> panel_texture;  // exhibit → texture
  for (size_t index = 0; index < source.exhibits.size(); ++index) {
    const ExhibitSource& exhibit = source.exhibits[index];
    if (exhibit.kind != scene::ExhibitKind::panel) continue;
    TextureSource image;
    image.file = exhibit.image;
    image.name = exhibit.image.filename().string();
    image.use = TextureUse::color;
    panel_texture[index] = add_texture(std::move(image));
  }

  package::PackageWriter writer;
  TextureSettings texture_settings;
  texture_settings.compress = options.compress_textures;
  texture_settings.max_size = budget_for(options.target).max_texture_size;
  stage("textures", textures.size());
  PV_TRY(parallel_for(textures.size(), options.jobs, [&](size_t task) -> Result<void> {
    TextureJob& job = textures[task];
    const TextureSource& texture_source = job.source;
    std::vector<std::byte> source_bytes;
    if (!texture_source.file.empty()) {
      PV_TRY_ASSIGN(source_bytes, read_file(texture_source.file).add_context("reading a texture a model or panel uses"));
      std::lock_guard lock(report_mutex);
      report.used_files.push_back(texture_source.file);
    } else if (!texture_source.embedded.empty()) {
      source_bytes = texture_source.embedded;
    } else {
      const auto* pixels = reinterpret_cast<const std::byte*>(texture_source.pixels.pixels.data());
      source_bytes.assign(pixels, pixels + texture_source.pixels.pixels.size());
    }
    const ContentHash key = cache_key("texture", source_bytes, settings_text(options, texture_source.use));
    bool cached = false;
    if (auto entry = cache.load_texture(key)) {
      job.reference = entry->reference;
      for (auto& blob : entry->blobs) writer.add(std::move(blob));
      cached = true;
    } else {
      ImageRgba8 image = texture_source.pixels;
      if (image.pixels.empty()) {
        PV_TRY_ASSIGN(image, decode_image_bytes(source_bytes, texture_source.name));
      }
      const scene::TextureData texture = build_texture(texture_source.name, std::move(image), texture_source.use, texture_settings);
      CachedTexture built = scene::prepare_texture_blobs(texture, options.compression_level);
      job.reference = built.reference;
      cache.store_texture(key, built);
      for (auto& blob : built.blobs) writer.add(std::move(blob));
    }
    for (uint32_t level = 0; level < job.reference.mip_levels; ++level) {
      job.gpu_bytes += scene::texture_mip_bytes(job.reference.format, job.reference.width, job.reference.height, level);
    }
    {
      std::lock_guard lock(report_mutex);
      ++(cached ? report.assets_from_cache : report.assets_processed);
      report.texture_bytes += job.gpu_bytes;
      report.largest_texture = std::max({report.largest_texture, job.reference.width, job.reference.height});
    }
    step(texture_source.name);
    return {};
  }));

  // --- sounds: audio exhibits', poems' recitations, and what the audio-only mode says ---
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
  std::vector<SoundJob> sound_jobs;
  for (size_t index = 0; index < source.exhibits.size(); ++index) {
    const ExhibitSource& exhibit = source.exhibits[index];
    if (exhibit.kind == scene::ExhibitKind::audio) {
      sound_jobs.push_back({index, SoundJob::Role::exhibit_sound, exhibit.sound, exhibit.volume, exhibit.loop});
    }
    if (exhibit.kind != scene::ExhibitKind::poem) continue;
    const PoemSource& poem = exhibit.poem;
    if (!poem.recitation.empty() || poem.synthesis) {
      sound_jobs.push_back({index, SoundJob::Role::recitation, poem.recitation});
    }
    // A visitor who cannot see the screen hears which poem this is, and the English reading.
    const scene::DublinCore& dc = exhibit.metadata;
    if (!dc.title.zh_cn.empty()) {
      std::string said = dc.title.zh_cn + "。";
      if (!poem.dynasty.zh_cn.empty()) said += poem.dynasty.zh_cn + (dc.creator.zh_cn.empty() ? "。" : "，");
      if (!dc.creator.zh_cn.empty()) said += dc.creator.zh_cn + "。";
      sound_jobs.push_back({index, SoundJob::Role::announcement_zh_cn, {}, 1.0f, false, said, "cmn"});
    }
    if (!dc.title.en.empty()) {
      sound_jobs.push_back({index, SoundJob::Role::announcement_en, {}, 1.0f, false,
                            dc.creator.en.empty() ? dc.title.en + "."
                                                  : poem.dynasty.en.empty()
                                                        ? fmt::format("{}, by {}.", dc.title.en, dc.creator.en)
                                                        : fmt::format("{}, by {}, {} dynasty.", dc.title.en, dc.creator.en,
                                                                      poem.dynasty.en),
                            "en-us"});
    }
    if (!poem.translation.empty()) {
      sound_jobs.push_back({index, SoundJob::Role::translation_reading, {}, 1.0f, false, poem.translation, "en-us"});
    }
  }
  scene::SceneTables tables;
  tables.audio.resize(sound_jobs.size());
  // Synthesised recitations come with their own timings, one cue per spoken character.
  std::vector<std::vector<audio::Cue>> synthesised_cues(sound_jobs.size());
  stage("sounds", sound_jobs.size());
  PV_TRY(parallel_for(sound_jobs.size(), options.jobs, [&](size_t task) -> Result<void> {
    const SoundJob& job = sound_jobs[task];
    const ExhibitSource& exhibit = source.exhibits[job.exhibit];
    if (job.file.empty()) {
      const bool recitation = job.role == SoundJob::Role::recitation;
      const std::string where = fmt::format("{}: {}.poem{}", source.file.string(), exhibit.json_path,
                                            recitation ? ".recitation" : "");
      scene::Sound sound{};
      if (recitation) {
        PV_TRY_ASSIGN(recite::Recitation recited, recite::recite(exhibit.poem.text, *exhibit.poem.synthesis)
                                                      .add_context(where));
        sound = {recited.sample_rate, 1, std::move(recited.samples)};
        synthesised_cues[task] = std::move(recited.cues);
      } else {
        recite::ReciteOptions voice;
        voice.voice = job.voice;
        voice.words_per_minute = job.voice == "cmn" ? 120 : 150;
        PV_TRY_ASSIGN(recite::Speech spoken, recite::speak(job.speech, voice).add_context(where));
        sound = {spoken.sample_rate, 1, std::move(spoken.samples)};
      }
      PreparedBlob blob = package::prepare_blob(BlobKind::audio, scene::encode_sound(sound), options.compression_level);
      scene::AudioSource& audio = tables.audio[task];
      const char* said = recitation                                        ? "recitation"
                         : job.role == SoundJob::Role::translation_reading ? "translation read aloud"
                                                                           : "title and poet";
      audio = {fmt::format("{} ({}, espeak-ng {})", exhibit.id, said, recitation ? "cmn" : job.voice), blob.entry.hash,
               sound.sample_rate, 1, sound.frames(), exhibit.placement.position, 1.0f, false,
               static_cast<uint32_t>(job.exhibit)};
      writer.add(std::move(blob));
      std::lock_guard lock(report_mutex);
      ++report.assets_processed;
      report.audio_seconds += sound.seconds();
      step(audio.name);
      return {};
    }
    PV_TRY_ASSIGN(const auto source_bytes, read_file(job.file));
    const ContentHash key = cache_key("audio", source_bytes, tool_version);
    scene::AudioSource& audio = tables.audio[task];
    bool cached = false;
    if (auto entry = cache.load_audio(key)) {
      audio = entry->audio;
      writer.add(std::move(entry->blob));
      cached = true;
    } else {
      PV_TRY_ASSIGN(const scene::Sound decoded, decode_audio_file(job.file).add_context(fmt::format(
                                                    "{}: {}.{}", source.file.string(), exhibit.json_path,
                                                    job.role == SoundJob::Role::exhibit_sound ? "sound" : "poem.recitation")));
      PreparedBlob blob = package::prepare_blob(BlobKind::audio, scene::encode_sound(decoded), options.compression_level);
      audio.blob = blob.entry.hash;
      audio.sample_rate = decoded.sample_rate;
      audio.channels = decoded.channels;
      audio.frames = decoded.frames();
      cache.store_audio(key, {audio, blob});
      writer.add(std::move(blob));
    }
    audio.name = job.file.filename().string();
    audio.position = exhibit.placement.position;
    audio.volume = job.volume;
    audio.loop = job.loop;
    audio.exhibit = static_cast<uint32_t>(job.exhibit);
    std::lock_guard lock(report_mutex);
    ++(cached ? report.assets_from_cache : report.assets_processed);
    report.audio_seconds += static_cast<double>(audio.frames) / audio.sample_rate;
    report.used_files.push_back(job.file);
    step(audio.name);
    return {};
  }));

  // --- poems: their fonts, subset to what they show, and glyph atlases ---
  std::vector<config::Finding> poem_findings;
  for (size_t task = 0; task < sound_jobs.size(); ++task) {
    const SoundJob& job = sound_jobs[task];
    const ExhibitSource& exhibit = source.exhibits[job.exhibit];
    if (job.role != SoundJob::Role::recitation || exhibit.poem.synthesis) continue;
    // The rest of the timing rules were checked with the source; only the audio's length is new.
    const scene::AudioSource& audio = tables.audio[task];
    const double seconds = static_cast<double>(audio.frames) / audio.sample_rate;
    const std::vector<audio::Cue>& cues = exhibit.poem.cues;
    const auto late = std::find_if(cues.begin(), cues.end(), [&](const audio::Cue& cue) { return cue.end > seconds; });
    if (late != cues.end()) {
      poem_findings.push_back(
          {config::Finding::Severity::error, source.file,
           fmt::format("{}.poem.timings.cues[{}]", exhibit.json_path, late - cues.begin()),
           fmt::format("ends at {:.3f} s, after the recitation ends ({:.3f} s)", late->end, seconds),
           fmt::format("结束于 {:.3f} 秒，晚于朗诵音频的结尾（{:.3f} 秒）", late->end, seconds)});
    }
  }
  if (!poem_findings.empty()) return config::findings_error(fmt::format("building {}", source.directory), poem_findings);
  std::vector<size_t> poem_exhibits;
  for (size_t index = 0; index < source.exhibits.size(); ++index) {
    if (source.exhibits[index].kind == scene::ExhibitKind::poem) poem_exhibits.push_back(index);
  }
  stage("poems", poem_exhibits.size());
  // Each face is read once (Noto's collection is 26 MB), however many poems are set in it.
  std::map<PoemSource::Face, std::unique_ptr<text::Font>> faces;
  for (const size_t index : poem_exhibits) {
    const ExhibitSource& exhibit = source.exhibits[index];
    std::unique_ptr<text::Font>& font = faces[exhibit.poem.face];
    if (!font) {
      const text::FaceFile face = exhibit.poem.face == PoemSource::Face::song ? text::song_face() : text::kai_face();
      PV_TRY_ASSIGN(font, text::Font::open(face.file, face.index)
                              .add_context(fmt::format("{}: {}.poem.font", source.file.string(), exhibit.json_path)));
    }
    PV_TRY_ASSIGN(PreparedPoem prepared, prepare_poem(exhibit, *font, source.file, options.compression_level));
    prepared.poem.exhibit = static_cast<uint32_t>(index);
    for (size_t task = 0; task < sound_jobs.size(); ++task) {
      if (sound_jobs[task].exhibit != index) continue;
      const auto sound = static_cast<uint32_t>(task);
      switch (sound_jobs[task].role) {
        case SoundJob::Role::exhibit_sound: break;
        case SoundJob::Role::recitation:
          prepared.poem.recitation = sound;
          if (exhibit.poem.synthesis) {
            prepared.poem.cues_by_line = false;
            for (const audio::Cue& cue : synthesised_cues[task]) {
              prepared.poem.cues.push_back({static_cast<float>(cue.start), static_cast<float>(cue.end)});
            }
          }
          break;
        case SoundJob::Role::announcement_zh_cn: prepared.poem.announcement_zh_cn = sound; break;
        case SoundJob::Role::announcement_en: prepared.poem.announcement_en = sound; break;
        case SoundJob::Role::translation_reading: prepared.poem.translation_reading = sound; break;
      }
    }
    writer.add(std::move(prepared.font));
    writer.add(std::move(prepared.atlas));
    tables.poems.push_back(std::move(prepared.poem));
    step(exhibit.id);
  }

  // --- the scene's tables: meshes, materials and instances, exhibit by exhibit ---
  std::vector<scene::MeshData> meshes;
  tables.id = source.id;
  tables.version = source.version;
  tables.title = source.title;
  tables.light = source.light;
  tables.environment = source.environment;
  tables.viewpoints = source.viewpoints;
  tables.camera_paths = source.camera_paths;
  std::optional<uint32_t> panel_mesh;
  size_t model_index = 0;
  for (size_t index = 0; index < source.exhibits.size(); ++index) {
    const ExhibitSource& exhibit = source.exhibits[index];
    scene::Exhibit out;
    out.id = exhibit.id;
    out.kind = exhibit.kind;
    out.metadata = exhibit.metadata;
    out.alt_text = exhibit.alt_text;
    out.position = exhibit.placement.position;
    out.first_instance = static_cast<uint32_t>(tables.instances.size());
    // Every exhibit with something to draw gets a node of its own, placed where the curator put it.
    scene::NodeTree& tree = tables.tree;
    const auto exhibit_node = static_cast<uint32_t>(tree.nodes.size());
    auto add_instance = [&](uint32_t node, uint32_t mesh, uint32_t material, int32_t skin) {
      tables.instances.push_back({glm::mat4(1.0f), mesh, material});  // placed below, from the tree
      tree.instances.push_back({node, skin});
    };
    if (exhibit.kind == scene::ExhibitKind::model || exhibit.kind == scene::ExhibitKind::panel) {
      tree.nodes.push_back({exhibit.id, scene::no_parent, exhibit.placement.node_transform()});
    }
    if (exhibit.kind == scene::ExhibitKind::model) {
      ModelResult& result = models[model_index++];
      const auto mesh_base = static_cast<uint32_t>(meshes.size());
      const auto material_base = static_cast<uint32_t>(tables.materials.size());
      for (scene::MeshData& mesh : result.model.meshes) meshes.push_back(std::move(mesh));
      for (scene::MaterialData material : result.model.materials) {
        for (int32_t* texture : {&material.base_color_texture, &material.metallic_roughness_texture,
                                 &material.normal_texture, &material.occlusion_texture, &material.emissive_texture}) {
          if (*texture != scene::no_texture) *texture = static_cast<int32_t>(result.texture_indices[static_cast<size_t>(*texture)]);
        }
        tables.materials.push_back(std::move(material));
      }
      const scene::NodeTree& model_tree = result.model.tree;
      const auto node_base = static_cast<uint32_t>(tree.nodes.size());
      const auto skin_base = static_cast<int32_t>(tree.skins.size());
      for (scene::Node node : model_tree.nodes) {
        node.parent = node.parent == scene::no_parent ? static_cast<int32_t>(exhibit_node)
                                                      : node.parent + static_cast<int32_t>(node_base);
        tree.nodes.push_back(std::move(node));
      }
      for (scene::Skin skin : model_tree.skins) {
        for (uint32_t& joint : skin.joints) joint += node_base;
        tree.skins.push_back(std::move(skin));
      }
      for (scene::Animation animation : model_tree.animations) {
        for (scene::AnimationChannel& channel : animation.channels) channel.node += node_base;
        animation.name = exhibit.id + ": " + animation.name;
        tree.animations.push_back(std::move(animation));
      }
      for (size_t instance = 0; instance < result.model.instances.size(); ++instance) {
        const scene::InstanceData& data = result.model.instances[instance];
        const scene::InstanceNode& hung = model_tree.instances[instance];
        add_instance(node_base + hung.node, mesh_base + data.mesh, material_base + data.material,
                     hung.skin == scene::no_skin ? scene::no_skin : skin_base + hung.skin);
      }
      for (const MissingTexture& missing : result.model.missing_textures) {
        const std::string material = missing.material.empty() ? "an unnamed material" : "the material '" + missing.material + "'";
        const std::string material_zh = missing.material.empty() ? "一个未命名的材质" : "材质“" + missing.material + "”";
        report.notes.push_back({Finding::Severity::warning, source.file, exhibit.json_path + ".model",
                                fmt::format("{}: {} uses the texture '{}', which is neither where that path says nor "
                                            "anywhere in the model's folder; the model is packed without it (put the "
                                            "image beside the model to use it)",
                                            exhibit.model.filename().string(), material, missing.path),
                                fmt::format("{}：{}使用的纹理“{}”既不在该路径所指之处，也不在模型所在的文件夹中；"
                                            "模型已不带此纹理打包（把图片放在模型旁边即可使用）",
                                            exhibit.model.filename().string(), material_zh, missing.path)});
      }
      if (!model_tree.skins.empty() || !model_tree.animations.empty()) {
        report.notes.push_back({Finding::Severity::note, source.file, exhibit.json_path + ".model",
                                fmt::format("{} is skinned or animated (skins: {}, animations: {}); both are packed, "
                                            "and it is shown still, in its rest pose, until the engine plays animations",
                                            exhibit.model.filename().string(), model_tree.skins.size(),
                                            model_tree.animations.size()),
                                fmt::format("{} 含蒙皮或动画（蒙皮 {} 套，动画 {} 段）；均已打包，在引擎支持播放动画之前以静止姿态显示",
                                            exhibit.model.filename().string(), model_tree.skins.size(),
                                            model_tree.animations.size())});
      }
    } else if (exhibit.kind == scene::ExhibitKind::panel) {
      if (!panel_mesh) {
        panel_mesh = static_cast<uint32_t>(meshes.size());
        meshes.push_back(optimize_and_pack(panel_quad()));
      }
      scene::MaterialData material;
      material.name = exhibit.id + " panel";
      material.metallic_factor = 0.0f;
      material.roughness_factor = 0.7f;
      material.double_sided = true;
      material.base_color_texture = static_cast<int32_t>(panel_texture.at(index));
      tables.materials.push_back(material);
      // The quad is one metre square: a node under the exhibit's sizes it.
      tree.nodes.push_back({exhibit.id + " panel", static_cast<int32_t>(exhibit_node),
                            scene::NodeTransform{.scale = glm::vec3(exhibit.panel_size, 1.0f)}});
      add_instance(exhibit_node + 1, *panel_mesh, static_cast<uint32_t>(tables.materials.size() - 1), scene::no_skin);
    }
    out.instance_count = static_cast<uint32_t>(tables.instances.size()) - out.first_instance;
    const std::vector<glm::mat4> world = scene::world_transforms(tree.nodes);
    for (uint32_t instance = out.first_instance; instance < tables.instances.size(); ++instance) {
      tables.instances[instance].transform = world[tree.instances[instance].node];
    }
    if (out.instance_count > 0) {
      const glm::vec4 sphere = instances_sphere(tables.instances, out.first_instance, meshes);
      out.position = glm::vec3(sphere);
      out.radius = sphere.w;
    } else if (exhibit.kind == scene::ExhibitKind::hotspot) {
      out.radius = exhibit.radius;
    }
    tables.exhibits.push_back(std::move(out));
  }
  for (const TextureJob& job : textures) tables.textures.push_back(job.reference);

  // --- mesh blobs ---
  tables.meshes.resize(meshes.size());
  stage("meshes", meshes.size());
  PV_TRY(parallel_for(meshes.size(), options.jobs, [&](size_t task) -> Result<void> {
    PreparedBlob blob = package::prepare_blob(BlobKind::mesh, scene::encode_mesh(meshes[task]), options.compression_level);
    tables.meshes[task] = {blob.entry.hash, meshes[task].name};
    writer.add(std::move(blob));
    step(meshes[task].name);
    return {};
  }));
  std::set<std::pair<uint32_t, uint32_t>> batches;
  for (const scene::InstanceData& instance : tables.instances) {
    report.triangles += scene::mesh_lods(meshes[instance.mesh]).front().index_count / 3;  // at full detail
    batches.emplace(instance.mesh, instance.material);
  }
  report.draw_calls = static_cast<uint32_t>(batches.size());

  // The renderer's own checks, before anything is written: a package that loads is a package
  // that draws.
  scene::RenderScene check;
  check.meshes = meshes;
  check.materials = tables.materials;
  check.instances = tables.instances;
  check.light = tables.light;
  check.textures.resize(textures.size());
  for (size_t index = 0; index < textures.size(); ++index) {
    const scene::TextureReference& reference = tables.textures[index];
    check.textures[index] = {reference.name, reference.format, reference.width, reference.height, reference.mip_levels,
                             0, std::vector<std::byte>(textures[index].gpu_bytes)};
  }
  PV_TRY(scene::validate(check).add_context("checking the scene before writing the package"));
  PV_TRY(scene::validate_skinning(tables.tree, check.meshes, check.instances)
             .add_context("checking the scene before writing the package"));

  const ContentHash scene_hash = writer.add(
      package::prepare_blob(BlobKind::scene, scene::encode_scene_tables(tables), options.compression_level));

  // --- the manifest: what people (inspect, the hub) read; the engine reads the scene blob ---
  nlohmann::json manifest;
  manifest["format"] = package::format_version;
  manifest["id"] = source.id;
  manifest["version"] = source.version;
  manifest["title"] = text_json(source.title);
  manifest["tool"] = tool_version;
  manifest["target"] = to_string(options.target);
  manifest["scene"] = scene_hash.to_hex();
  nlohmann::json exhibits = nlohmann::json::array();
  for (const scene::Exhibit& exhibit : tables.exhibits) {
    const scene::DublinCore& dc = exhibit.metadata;
    exhibits.push_back({{"id", exhibit.id},
                        {"kind", scene::to_string(exhibit.kind)},
                        {"title", text_json(dc.title)},
                        {"creator", text_json(dc.creator)},
                        {"date", text_json(dc.date)},
                        {"description", text_json(dc.description)},
                        {"rights", text_json(dc.rights)},
                        {"identifier", dc.identifier},
                        {"language", dc.language},
                        {"alt_text", text_json(exhibit.alt_text)}});
  }
  manifest["exhibits"] = exhibits;
  nlohmann::json names = nlohmann::json::object();
  for (const auto& mesh : tables.meshes) names[mesh.blob.to_hex()] = mesh.name;
  for (const auto& texture : tables.textures) {
    if (texture.tail_level > 0) names[texture.head_blob.to_hex()] = texture.name;
    names[texture.tail_blob.to_hex()] = texture.name + " (small levels)";
  }
  for (const auto& audio : tables.audio) names[audio.blob.to_hex()] = audio.name;
  for (const auto& poem : tables.poems) {
    const std::string& id = tables.exhibits[poem.exhibit].id;
    names[poem.font.to_hex()] = fmt::format("{} subset for {}", poem.font_credit.family, id);
    names[poem.atlas.to_hex()] = fmt::format("glyph atlas for {}", id);
  }
  names[scene_hash.to_hex()] = "scene tables";
  manifest["blob_names"] = names;
  manifest["budget"] = {{"triangles", report.triangles},
                        {"draw_calls", report.draw_calls},
                        {"texture_bytes", report.texture_bytes},
                        {"audio_seconds", report.audio_seconds}};
  writer.set_manifest(manifest.dump(2));

  if (options.thumbnails && !options.output.empty()) {
    // The scene tables name every mesh, material, texture and placement by content, so their hash
    // says when the pictures would change.
    const ContentHash key = cache_key("thumbnails", std::as_bytes(std::span(scene_hash.bytes)),
                                      fmt::format("{} {}x{}", tool_version, scene::thumbnail_width, scene::thumbnail_height));
    std::optional<std::vector<scene::Thumbnail>> thumbnails = cache.load_thumbnails(key);
    if (!thumbnails) {
      // Drawn from the package as a kiosk reads it: a draft without them, beside the output.
      const std::filesystem::path draft = options.output.string() + ".draft";
      PV_TRY(writer.write(draft, nullptr).add_context("writing a draft to draw thumbnails from"));
      auto rendered = render_thumbnails(draft);
      std::error_code ignored;
      std::filesystem::remove(draft, ignored);
      if (rendered) {
        cache.store_thumbnails(key, *rendered);
        thumbnails = std::move(*rendered);
      } else {
        report.notes.push_back(
            {Finding::Severity::warning, source.file, "exhibits",
             fmt::format("no thumbnails were drawn ({}); kiosks show the exhibits' titles instead", rendered.error().describe()),
             fmt::format("未能绘制缩略图（{}）；展台将以展品标题代替", rendered.error().why())});
      }
    }
    if (thumbnails) {
      nlohmann::json ids = nlohmann::json::array();
      for (const scene::Thumbnail& thumbnail : *thumbnails) {
        const ContentHash hash = writer.add(package::prepare_blob(BlobKind::thumbnail, scene::encode_thumbnail(thumbnail),
                                                                  options.compression_level));
        names[hash.to_hex()] = "thumbnail of " + thumbnail.exhibit_id;
        ids.push_back(thumbnail.exhibit_id);
      }
      manifest["thumbnails"] = ids;
      manifest["blob_names"] = names;
      writer.set_manifest(manifest.dump(2));
    }
  }

  report.blobs = static_cast<uint32_t>(writer.blob_count());
  if (!options.output.empty()) {
    PV_TRY(writer.write(options.output, options.key).add_context(fmt::format("writing {}", options.output.string())));
    std::error_code error_code;
    report.package_bytes = std::filesystem::file_size(options.output, error_code);
  }
  return report;
}

}  // namespace pavilion::pack

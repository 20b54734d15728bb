#include "pavilion/core/file.h"
#include "pavilion/core/parallel.h"
#include "pavilion/pack/texture_import.h"
#include "stages.h"

#include <fmt/format.h>
#include <fmt/std.h>

#include <algorithm>

namespace pavilion::pack::stages {
namespace {

std::string settings_text(const BuildOptions& options, TextureUse use) {
  return fmt::format("{} {} compress={} max={}", tool_version, static_cast<int>(use), options.compress_textures,
                     budget_for(options.target).max_texture_size);
}

// The models' textures, then the panels' images, each file and use once.
void gather_textures(BuildContext& context) {
  std::map<std::string, uint32_t> texture_by_key;
  auto add_texture = [&](TextureSource texture_source, std::string place) {
    const std::string key = texture_source.file.empty()
                                ? fmt::format("{}|{}", texture_source.name, static_cast<int>(texture_source.use))
                                : fmt::format("{}|{}", std::filesystem::weakly_canonical(texture_source.file).string(),
                                              static_cast<int>(texture_source.use));
    if (auto known = texture_by_key.find(key); known != texture_by_key.end()) return known->second;
    context.textures.push_back(TextureJob{std::move(texture_source), std::move(place), {}, 0});
    const auto index = static_cast<uint32_t>(context.textures.size() - 1);
    texture_by_key.emplace(key, index);
    return index;
  };
  const SceneSource& source = context.source();
  size_t model = 0;
  for (const ExhibitSource& exhibit : source.exhibits) {
    if (exhibit.kind != scene::ExhibitKind::model) continue;
    ModelResult& result = context.models.at(model++);
    for (TextureSource& texture : result.model.textures) {
      result.texture_indices.push_back(
          add_texture(std::move(texture), fmt::format("{}: {}.model", source.file.string(), exhibit.json_path)));
    }
  }
  for (size_t index = 0; index < source.exhibits.size(); ++index) {
    const ExhibitSource& exhibit = source.exhibits[index];
    if (exhibit.kind != scene::ExhibitKind::panel) continue;
    TextureSource image;
    image.file = exhibit.image;
    image.name = exhibit.image.filename().string();
    image.use = TextureUse::color;
    context.panel_texture[index] =
        add_texture(std::move(image), fmt::format("{}: {}.image", source.file.string(), exhibit.json_path));
  }
}

// One texture, from the cache or decoded and processed, into the package's blobs.
Result<void> process_texture(BuildContext& context, TextureJob& job, const TextureSettings& settings) {
  const TextureSource& texture_source = job.source;
  std::vector<std::byte> source_bytes;
  if (!texture_source.file.empty()) {
    PV_TRY_ASSIGN(source_bytes, read_file(texture_source.file).add_context("reading a texture a model or panel uses"));
    std::lock_guard lock(context.report_mutex);
    context.report.used_files.push_back(texture_source.file);
  } else if (!texture_source.embedded.empty()) {
    source_bytes = texture_source.embedded;
  } else {
    const auto* pixels = reinterpret_cast<const std::byte*>(texture_source.pixels.pixels.data());
    source_bytes.assign(pixels, pixels + texture_source.pixels.pixels.size());
  }
  const BuildOptions& options = context.options;
  const ContentHash key = cache_key("texture", source_bytes, settings_text(options, texture_source.use));
  bool cached = false;
  if (auto entry = context.cache.load_texture(key)) {
    job.reference = entry->reference;
    for (auto& blob : entry->blobs) context.writer.add(std::move(blob));
    cached = true;
  } else {
    ImageRgba8 image = texture_source.pixels;
    if (image.pixels.empty()) {
      PV_TRY_ASSIGN(image, decode_image_bytes(source_bytes, texture_source.name));
    }
    const scene::TextureData texture = build_texture(texture_source.name, std::move(image), texture_source.use, settings);
    CachedTexture built = scene::prepare_texture_blobs(texture, options.compression_level);
    job.reference = built.reference;
    context.cache.store_texture(key, built);
    for (auto& blob : built.blobs) context.writer.add(std::move(blob));
  }
  for (uint32_t level = 0; level < job.reference.mip_levels; ++level) {
    job.gpu_bytes += scene::texture_mip_bytes(job.reference.format, job.reference.width, job.reference.height, level);
  }
  {
    std::lock_guard lock(context.report_mutex);
    BuildReport& report = context.report;
    ++(cached ? report.assets_from_cache : report.assets_processed);
    report.texture_bytes += job.gpu_bytes;
    report.largest_texture = std::max({report.largest_texture, job.reference.width, job.reference.height});
  }
  context.step(texture_source.name);
  return {};
}

}  // namespace

Result<void> process_textures(BuildContext& context) {
  gather_textures(context);
  TextureSettings settings;
  settings.compress = context.options.compress_textures;
  settings.max_size = budget_for(context.options.target).max_texture_size;
  context.stage("textures", context.textures.size());
  return parallel_for(context.textures.size(), context.options.jobs, [&](size_t task) -> Result<void> {
    TextureJob& job = context.textures[task];
    return process_texture(context, job, settings).add_context(job.place);
  });
}

}  // namespace pavilion::pack::stages

#include "pavilion/scene/thumbnail.h"
#include "stages.h"
#include "thumbnails.h"

#include <fmt/format.h>

namespace pavilion::pack::stages {
namespace {

using Thumbnails = std::optional<std::vector<scene::Thumbnail>>;

// The thumbnails from the cache, or drawn from the package as a kiosk reads it: an unsigned
// draft beside the output, removed once drawn. Without a Vulkan device, none and a warning.
Result<Thumbnails> thumbnails_of(BuildContext& context) {
  // The scene tables name every mesh, material, texture and placement by content, so their hash
  // says when the pictures would change.
  const ContentHash key =
      cache_key("thumbnails", std::as_bytes(std::span(context.scene_blob.bytes)),
                fmt::format("{} {}x{}", tool_version, scene::thumbnail_width, scene::thumbnail_height));
  if (Thumbnails cached = context.cache.load_thumbnails(key)) return cached;
  const std::filesystem::path draft = context.options.output.string() + ".draft";
  context.writer.set_manifest(context.manifest.dump(2));
  PV_TRY(context.writer.write(draft, nullptr).add_context("writing a draft to draw thumbnails from"));
  auto rendered = render_thumbnails(draft);
  std::error_code ignored;
  std::filesystem::remove(draft, ignored);
  if (!rendered) {
    context.report.notes.push_back(
        {Finding::Severity::warning, context.source().file, "exhibits",
         fmt::format("no thumbnails were drawn ({}); kiosks show the exhibits' titles instead", rendered.error().describe()),
         fmt::format("未能绘制缩略图（{}）；展台将以展品标题代替", rendered.error().why())});
    return Thumbnails();
  }
  context.cache.store_thumbnails(key, *rendered);
  return Thumbnails(std::move(*rendered));
}

}  // namespace

Result<void> draw_thumbnails(BuildContext& context) {
  if (!context.options.thumbnails || context.options.output.empty()) return {};
  PV_TRY_ASSIGN(const Thumbnails thumbnails, thumbnails_of(context));
  if (!thumbnails) return {};
  nlohmann::json ids = nlohmann::json::array();
  for (const scene::Thumbnail& thumbnail : *thumbnails) {
    const ContentHash hash = context.writer.add(package::prepare_blob(
        package::BlobKind::thumbnail, scene::encode_thumbnail(thumbnail), context.options.compression_level));
    context.manifest["blob_names"][hash.to_hex()] = "thumbnail of " + thumbnail.exhibit_id;
    ids.push_back(thumbnail.exhibit_id);
  }
  context.manifest["thumbnails"] = ids;
  return {};
}

}  // namespace pavilion::pack::stages

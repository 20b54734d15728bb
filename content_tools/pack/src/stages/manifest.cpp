#include "stages.h"

#include <fmt/format.h>

namespace pavilion::pack::stages {
namespace {

nlohmann::json text_json(const LocalizedText& text) { return {{"zh-CN", text.zh_cn}, {"en", text.en}}; }

// Every blob's name for people: inspect and diff show them.
nlohmann::json blob_names(const scene::SceneTables& tables, const ContentHash& scene_blob) {
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
  names[scene_blob.to_hex()] = "scene tables";
  return names;
}

}  // namespace

Result<void> describe_package(BuildContext& context) {
  const scene::SceneTables& tables = context.tables;
  context.scene_blob = context.writer.add(
      package::prepare_blob(package::BlobKind::scene, scene::encode_scene_tables(tables), context.options.compression_level));
  const SceneSource& source = context.source();
  nlohmann::json& manifest = context.manifest;
  manifest["format"] = package::format_version;
  manifest["id"] = source.id;
  manifest["version"] = source.version;
  manifest["title"] = text_json(source.title);
  manifest["tool"] = tool_version;
  manifest["target"] = to_string(context.options.target);
  manifest["scene"] = context.scene_blob.to_hex();
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
                        {"alt_text", text_json(exhibit.alt_text)},
                        {"description_easy", text_json(exhibit.description_easy)}});
  }
  manifest["exhibits"] = exhibits;
  manifest["blob_names"] = blob_names(tables, context.scene_blob);
  const BuildReport& report = context.report;
  manifest["budget"] = {{"triangles", report.triangles},
                        {"draw_calls", report.draw_calls},
                        {"texture_bytes", report.texture_bytes},
                        {"audio_seconds", report.audio_seconds}};
  return {};
}

}  // namespace pavilion::pack::stages

#include "pavilion/core/file.h"
#include "pavilion/core/parallel.h"
#include "stages.h"

#include <fmt/format.h>
#include <fmt/std.h>

namespace pavilion::pack::stages {
namespace {

std::string model_place(const BuildContext& context, const ExhibitSource& exhibit) {
  return fmt::format("{}: {}.model", context.source().file.string(), exhibit.json_path);
}

// What the curator should know about an imported model: textures it names that were not found
// (a curator cannot edit a binary FBX, so the model is packed without them), and skins and
// animations, packed but not yet played.
void record_findings(BuildContext& context, const ExhibitSource& exhibit, const ImportedModel& model) {
  const std::string file = exhibit.model.filename().string();
  for (const MissingTexture& missing : model.missing_textures) {
    const std::string material = missing.material.empty() ? "an unnamed material" : "the material '" + missing.material + "'";
    const std::string material_zh = missing.material.empty() ? "一个未命名的材质" : "材质“" + missing.material + "”";
    context.report.notes.push_back({Finding::Severity::warning, context.source().file, exhibit.json_path + ".model",
                                    fmt::format("{}: {} uses the texture '{}', which is neither where that path says "
                                                "nor anywhere in the model's folder; the model is packed without it "
                                                "(put the image beside the model to use it)",
                                                file, material, missing.path),
                                    fmt::format("{}：{}使用的纹理“{}”既不在该路径所指之处，也不在模型所在的文件夹中；"
                                                "模型已不带此纹理打包（把图片放在模型旁边即可使用）",
                                                file, material_zh, missing.path)});
  }
  for (const UnplayableMorph& unplayable : model.unplayable_morphs) {
    context.report.notes.push_back({Finding::Severity::warning, context.source().file, exhibit.json_path + ".model",
                                    unplayable.en, unplayable.zh_cn});
  }
  const scene::NodeTree& tree = model.tree;
  if (!tree.skins.empty() || !tree.animations.empty()) {
    context.report.notes.push_back(
        {Finding::Severity::note, context.source().file, exhibit.json_path + ".model",
         fmt::format("{} is skinned or animated (skins: {}, animations: {}); both are packed: it stands in its rest "
                     "pose until the scene's show plays one of its clips",
                     file, tree.skins.size(), tree.animations.size()),
         fmt::format("{} 含蒙皮或动画（蒙皮 {} 套，动画 {} 段）；均已打包：在场景演出播放其动画之前以静止姿态显示", file,
                     tree.skins.size(), tree.animations.size())});
  }
}

}  // namespace

Result<void> import_models(BuildContext& context) {
  const SceneSource& source = context.source();
  std::vector<const ExhibitSource*> exhibits;
  for (const ExhibitSource& exhibit : source.exhibits) {
    if (exhibit.kind == scene::ExhibitKind::model) exhibits.push_back(&exhibit);
  }
  context.models.assign(exhibits.size(), {});
  std::vector<ContentHash> keys(exhibits.size());
  std::vector<uint8_t> cached(exhibits.size(), 0);
  context.stage("models", exhibits.size());
  PV_TRY(parallel_for(exhibits.size(), context.options.jobs, [&](size_t task) -> Result<void> {
    const ExhibitSource& exhibit = *exhibits[task];
    PV_TRY_ASSIGN(const auto model_bytes, read_file(exhibit.model).add_context(model_place(context, exhibit)));
    keys[task] = cache_key("model", model_bytes, fmt::format("{} {}", tool_version, exhibit.model.string()));
    if (auto entry = context.cache.load_model(keys[task])) {
      context.models[task].model = std::move(*entry);
      cached[task] = 1;
      context.step(exhibit.model.filename().string());
    }
    return {};
  }));
  // The rest are imported in child processes, started once the worker threads above are done.
  std::vector<size_t> import_tasks;
  std::vector<std::filesystem::path> import_paths;
  for (size_t task = 0; task < exhibits.size(); ++task) {
    if (cached[task]) continue;
    import_tasks.push_back(task);
    import_paths.push_back(exhibits[task]->model);
  }
  std::vector<Result<ImportedModel>> imported =
      pack::import_models(import_paths, context.options.model_limits, context.options.jobs,
                          [&](size_t index) { context.step(import_paths[index].filename().string()); });
  for (size_t index = 0; index < import_tasks.size(); ++index) {
    const size_t task = import_tasks[index];
    ImportedModel& model = context.models[task].model;
    PV_TRY_ASSIGN(model, std::move(imported[index]).add_context(model_place(context, *exhibits[task])));
    // An import that missed a texture is not kept: the image may be there by the next build.
    if (model.missing_textures.empty()) context.cache.store_model(keys[task], model);
  }
  BuildReport& report = context.report;
  for (size_t task = 0; task < exhibits.size(); ++task) {
    const ImportedModel& model = context.models[task].model;
    ++(cached[task] ? report.assets_from_cache : report.assets_processed);
    report.used_files.insert(report.used_files.end(), model.files_read.begin(), model.files_read.end());
    record_findings(context, *exhibits[task], model);
  }
  return {};
}

}  // namespace pavilion::pack::stages

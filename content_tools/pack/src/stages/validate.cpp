#include "stages.h"

namespace pavilion::pack::stages {

Result<void> validate_scene(BuildContext& context) {
  const scene::SceneTables& tables = context.tables;
  scene::RenderScene check;
  check.meshes = context.meshes;
  check.materials = tables.materials;
  check.instances = tables.instances;
  check.light = tables.light;
  // The textures' pixels are in blobs already; checks need only their formats and sizes.
  check.textures.resize(context.textures.size());
  for (size_t index = 0; index < context.textures.size(); ++index) {
    const scene::TextureReference& reference = tables.textures[index];
    check.textures[index] = {reference.name, reference.format, reference.width, reference.height, reference.mip_levels,
                             0, std::vector<std::byte>(context.textures[index].gpu_bytes)};
  }
  PV_TRY(scene::validate(check).add_context("checking the scene before writing the package"));
  PV_TRY(scene::validate_skinning(tables.tree, check.meshes, check.instances)
             .add_context("checking the scene before writing the package"));
  return {};
}

}  // namespace pavilion::pack::stages

#include "pavilion/core/parallel.h"
#include "stages.h"

#include <set>
#include <utility>

namespace pavilion::pack::stages {

Result<void> pack_meshes(BuildContext& context) {
  scene::SceneTables& tables = context.tables;
  const std::vector<scene::MeshData>& meshes = context.meshes;
  tables.meshes.resize(meshes.size());
  context.stage("meshes", meshes.size());
  PV_TRY(parallel_for(meshes.size(), context.options.jobs, [&](size_t task) -> Result<void> {
    package::PreparedBlob blob = package::prepare_blob(package::BlobKind::mesh, scene::encode_mesh(meshes[task]),
                                                       context.options.compression_level);
    tables.meshes[task] = {blob.entry.hash, meshes[task].name};
    context.writer.add(std::move(blob));
    context.step(meshes[task].name);
    return {};
  }));
  // The renderer draws one batch per mesh and material pair.
  std::set<std::pair<uint32_t, uint32_t>> batches;
  for (const scene::InstanceData& instance : tables.instances) {
    context.report.triangles += scene::mesh_lods(meshes[instance.mesh]).front().index_count / 3;  // at full detail
    batches.emplace(instance.mesh, instance.material);
  }
  context.report.draw_calls = static_cast<uint32_t>(batches.size());
  return {};
}

}  // namespace pavilion::pack::stages

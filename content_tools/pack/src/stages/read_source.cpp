#include "stages.h"

namespace pavilion::pack::stages {

Result<void> read_source(BuildContext& context) {
  PV_TRY_ASSIGN(context.report.source, read_scene_source(context.options.scene_directory));
  context.report.used_files.push_back(context.source().file);
  return {};
}

}  // namespace pavilion::pack::stages

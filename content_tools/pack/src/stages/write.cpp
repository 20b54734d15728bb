#include "stages.h"

#include <fmt/format.h>
#include <fmt/std.h>

namespace pavilion::pack::stages {

Result<void> write_package(BuildContext& context) {
  context.report.blobs = static_cast<uint32_t>(context.writer.blob_count());
  const std::filesystem::path& output = context.options.output;
  if (output.empty()) return {};
  context.writer.set_manifest(context.manifest.dump(2));
  PV_TRY(context.writer.write(output, context.options.key).add_context(fmt::format("writing {}", output.string())));
  std::error_code error_code;
  context.report.package_bytes = std::filesystem::file_size(output, error_code);
  return {};
}

}  // namespace pavilion::pack::stages

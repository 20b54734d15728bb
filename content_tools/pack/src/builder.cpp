#include "pavilion/pack/builder.h"

#include "build_context.h"
#include "stages.h"

namespace pavilion::pack {

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

void BuildContext::stage(std::string_view name, size_t steps) const {
  if (options.progress) options.progress->stage(name, steps);
}

void BuildContext::step(std::string_view item) const {
  if (options.progress) options.progress->step(item);
}

Result<BuildReport> build_package(const BuildOptions& options) {
  BuildContext context(options);
  // In this order: each stage reads what the ones before it left in the context (stages.h).
  for (const auto stage : {stages::read_source, stages::read_books, stages::import_models, stages::process_textures,
                           stages::process_sounds, stages::prepare_poems, stages::tile_books, stages::place_exhibits, stages::prepare_show,
                           stages::pack_meshes, stages::validate_scene, stages::describe_package,
                           stages::check_show_flashes, stages::draw_thumbnails, stages::write_package}) {
    PV_TRY(stage(context));
  }
  return std::move(context.report);
}

}  // namespace pavilion::pack

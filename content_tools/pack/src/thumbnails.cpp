#include "thumbnails.h"

#include "pavilion/render/context.h"
#include "pavilion/render/offscreen_target.h"
#include "pavilion/render/renderer.h"
#include "pavilion/render/view.h"
#include "pavilion/scene/loader.h"

#include <glm/gtc/constants.hpp>

namespace pavilion::pack {

Result<std::vector<scene::Thumbnail>> render_thumbnails(const std::filesystem::path& path) {
  PV_TRY_ASSIGN(auto context, render::GpuContext::create({.application_name = "pavilion-pack"}));
  PV_TRY_ASSIGN(auto renderer, render::Renderer::create(*context, {.shadow_map_size = 1024}));
  PV_TRY_ASSIGN(auto target, render::OffscreenTarget::create(
                                 *context, {.width = scene::thumbnail_width, .height = scene::thumbnail_height}));
  const package::TrustPolicy draft{.developer_mode = true};
  PV_TRY_ASSIGN(const scene::Scene loaded,
                scene::load_scene_file(path, draft, {.bc_textures_supported = context->capabilities().bc_texture_compression}));
  PV_TRY(renderer->load_scene(loaded.render));
  const float fov = loaded.viewpoints.empty() ? 50.0f : loaded.viewpoints[0].vertical_fov_degrees;
  const render::FieldOfView field = render::symmetric_field_of_view(
      glm::radians(fov), static_cast<float>(scene::thumbnail_width) / static_cast<float>(scene::thumbnail_height));
  std::vector<scene::Thumbnail> thumbnails;
  for (const scene::Exhibit& exhibit : loaded.exhibits) {
    if (exhibit.kind == scene::ExhibitKind::audio) continue;
    const scene::ExhibitFraming framing =
        scene::frame_exhibit(exhibit, loaded.viewpoints, 0.0f, scene::standing_eye_height);
    const std::array<render::View, 1> views{render::look_at_view(framing.eye, framing.target, field)};
    PV_TRY(renderer->render(*target, views));
    PV_TRY(renderer->wait_idle());
    thumbnails.push_back({exhibit.id, target->read_pixels()});
  }
  return thumbnails;
}

}  // namespace pavilion::pack

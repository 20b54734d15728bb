#include "session_state.h"

#include <glm/gtc/matrix_transform.hpp>

#include <algorithm>

namespace pavilion::xr {

HeadsetPanel::HeadsetPanel(std::unique_ptr<State> state) : state_(std::move(state)) {}

HeadsetPanel::~HeadsetPanel() {
  if (state_->session == nullptr) return;
  HeadsetSession::State& session = *state_->session;
  // The GPU may still be drawing into its images.
  static_cast<void>(session.context.wait_idle());
  std::replace(session.panels.begin(), session.panels.end(), state_.get(), static_cast<State*>(nullptr));
}

void HeadsetPanel::place(const glm::mat4& panel_to_world, float width_metres, uint32_t shown_rows) {
  state_->panel_to_world = panel_to_world;
  state_->width_metres = width_metres;
  state_->shown_rows = std::min(shown_rows, state_->swapchain.extent().height);
}

void HeadsetPanel::hide() { state_->width_metres = 0.0f; }

VkExtent2D HeadsetPanel::pixels() const { return state_->swapchain.extent(); }

Result<std::optional<render::AcquiredImage>> HeadsetPanel::acquire(uint32_t) {
  // Drawn only inside a begun frame, whose end shows it.
  if (state_->session == nullptr || !state_->session->frame_begun) return std::optional<render::AcquiredImage>{};
  PV_TRY_ASSIGN(render::AcquiredImage acquired, state_->swapchain.acquire());
  return std::optional(acquired);
}

void HeadsetPanel::record_after_render(VkCommandBuffer, const render::AcquiredImage&) {}

Result<void> HeadsetPanel::present(const render::AcquiredImage&) {
  PV_TRY(state_->swapchain.release());
  state_->drawn_this_frame = true;
  return {};
}

bool HeadsetPanel::State::quad_layer(XrSpace stage, const glm::mat4& world_to_stage, XrCompositionLayerQuad& quad) {
  const bool shown = drawn_this_frame && width_metres > 0.0f;
  drawn_this_frame = false;
  if (!shown) return false;
  const glm::mat4 in_stage = world_to_stage * panel_to_world;
  const glm::quat orientation = glm::normalize(glm::quat_cast(glm::mat3(in_stage)));
  const VkExtent2D extent = swapchain.extent();
  quad = {XR_TYPE_COMPOSITION_LAYER_QUAD};
  // Premultiplied, as Renderer::render_panel draws it, and blended over the scene.
  quad.layerFlags = XR_COMPOSITION_LAYER_BLEND_TEXTURE_SOURCE_ALPHA_BIT;
  quad.space = stage;
  quad.eyeVisibility = XR_EYE_VISIBILITY_BOTH;
  quad.subImage = swapchain.sub_image(0);
  const uint32_t rows = shown_rows > 0 ? shown_rows : extent.height;
  quad.subImage.imageRect.extent.height = static_cast<int32_t>(rows);
  quad.pose.orientation = {orientation.x, orientation.y, orientation.z, orientation.w};
  quad.pose.position = {in_stage[3].x, in_stage[3].y, in_stage[3].z};
  quad.size = {width_metres, width_metres * static_cast<float>(rows) / static_cast<float>(extent.width)};
  return true;
}

}  // namespace pavilion::xr

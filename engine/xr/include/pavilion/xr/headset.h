// Headsets through OpenXR (any conformant runtime, through the Khronos loader): the instance and
// its head-mounted system, and a session that the renderer draws both eyes into.
//
// Lifecycle: Headset::open → render::GpuContext::create with the headset as its DeviceHooks (the
// runtime chooses the Vulkan instance, device and GPU) → HeadsetSession::create on that context →
// each loop: poll_events(); if running, begin_frame() → Renderer::render(session, views) (the
// session is the render target: acquire takes a swapchain image, present releases it and ends
// the frame) or, when nothing is to be drawn, skip_frame(). The headset must outlive its
// sessions and the context; the context must outlive the session.
//
// No OpenXR type appears here: engine/render and the apps never include openxr.h.
#pragma once

#include "pavilion/core/error.h"
#include "pavilion/render/context.h"
#include "pavilion/render/render_target.h"
#include "pavilion/render/view.h"

#include <glm/mat4x4.hpp>
#include <glm/vec2.hpp>
#include <glm/vec3.hpp>

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace pavilion::xr {

// How the headset shows the picture: a VR headset covers the room (opaque); an AR one adds the
// picture to the room's light (additive) or lays it over with its alpha (alpha_blend), so a
// scene drawn for AR leaves out its sky and floor.
enum class BlendMode { opaque, additive, alpha_blend };

struct HeadsetOptions {
  std::string application_name = "Pavilion";
};

class Headset final : public render::DeviceHooks {
 public:
  // Fails with one sentence a curator can act on when no OpenXR runtime is installed or no
  // headset is connected.
  static Result<std::unique_ptr<Headset>> open(const HeadsetOptions& options);
  ~Headset() override;
  Headset(const Headset&) = delete;
  Headset& operator=(const Headset&) = delete;

  const std::string& runtime_name() const;
  const std::string& system_name() const;
  BlendMode blend_mode() const;       // the runtime's preferred one
  VkExtent2D eye_extent() const;      // the recommended size of each eye's image

  Result<VkInstance> create_instance(const VkInstanceCreateInfo& info) override;
  Result<VkPhysicalDevice> required_physical_device(VkInstance instance) override;
  Result<VkDevice> create_device(VkPhysicalDevice physical_device, const VkDeviceCreateInfo& info) override;

  struct State;

 private:
  explicit Headset(std::unique_ptr<State> state);
  friend class HeadsetSession;
  std::unique_ptr<State> state_;
};

// Where a session is in its lifecycle, as the application needs to know it.
enum class SessionPhase {
  waiting,   // not yet running (or paused by the runtime): poll, do not render
  running,   // frames are wanted: begin_frame each loop
  exiting,   // the runtime or the application ended it: destroy the session
  lost,      // the headset went away: destroy the session, and try a new one later
};

enum class Hand : uint8_t { left, right };

// One hand's controller (or tracked hand) at the frame's predicted display time, in the world.
struct HandInput {
  bool tracked = false;
  glm::vec3 ray_origin{0.0f};                   // the aim pose: where a pointing ray starts
  glm::vec3 ray_direction{0.0f, 0.0f, -1.0f};  // and where it points (unit length)
  glm::mat4 grip_to_world{1.0f};                // where the hand holds it
  bool select = false;          // trigger (or pinch) held
  bool select_pressed = false;  // went down since the last frame
  bool grab = false;            // grip squeezed
  bool grab_pressed = false;
  bool menu_pressed = false;
  glm::vec2 thumbstick{0.0f};   // or trackpad; x right, y forward
};

// What the visitor does this frame. Controllers are bound through one action set with suggested
// bindings for the simple, Oculus Touch, Valve Index and HTC Vive controllers, and for tracked
// hands where the runtime offers XR_MSFT_hand_interaction.
struct HeadsetInput {
  std::array<HandInput, 2> hands;  // by Hand
  glm::vec3 head_position{0.0f};   // between the eyes, in the world
  glm::vec3 head_forward{0.0f, 0.0f, -1.0f};
  bool any_hand_tracked() const { return hands[0].tracked || hands[1].tracked; }
};

class HeadsetPanel;

struct SessionOptions {
  // A seated visitor (a wheelchair user, a reading-room chair): the scene is seen from standing
  // eye height wherever the head really is, in the runtime's LOCAL space. Otherwise the room-scale
  // STAGE is used where the runtime has one, its floor the scene's floor.
  bool seated = false;
};

class HeadsetSession final : public render::RenderTarget {
 public:
  static Result<std::unique_ptr<HeadsetSession>> create(Headset& headset, render::GpuContext& context,
                                                         const SessionOptions& options = {});
  ~HeadsetSession() override;
  HeadsetSession(const HeadsetSession&) = delete;
  HeadsetSession& operator=(const HeadsetSession&) = delete;

  // Handles the runtime's events, beginning and ending the session as its state asks.
  Result<SessionPhase> poll_events();
  // Asks the runtime to end the session (it goes through stopping to exiting).
  Result<void> request_exit();

  // Waits for the headset's next frame and begins it. The eyes' views at the predicted display
  // time, placed in the scene by `stage_to_world` (where the stage's floor centre stands), or
  // nullopt when this frame is not to be drawn: then call skip_frame().
  Result<std::optional<std::array<render::View, 2>>> begin_frame(const glm::mat4& stage_to_world);
  // The begun frame's predicted display time, in seconds on the runtime's clock.
  double display_time_seconds() const;
  // How long begin_frame waited in xrWaitFrame for the headset (the frame pacing, not our work).
  double last_wait_seconds() const;
  // Ends a begun frame with nothing drawn.
  Result<void> skip_frame();

  // The visitor's hands and head for the frame begin_frame just began (its predicted display
  // time, placed by its stage_to_world). Valid until the next call.
  Result<const HeadsetInput*> read_input();
  // Makes where the visitor stands now, facing where they face, the stage's centre and its −Z:
  // the scene's start comes to them. Uses the head of the frame begin_frame last located.
  Result<void> recenter();
  // A short buzz in one hand's controller: the answer to a press that did something.
  Result<void> pulse(Hand hand, float seconds, float amplitude);
  // A panel of `pixels` the compositor shows as a quad layer (at most four); it must go before
  // the session.
  Result<std::unique_ptr<HeadsetPanel>> create_panel(VkExtent2D pixels);

  // The interaction profile the runtime chose ("/interaction_profiles/valve/index_controller"),
  // empty before it has chosen or when no controller matches any binding.
  const std::string& interaction_profile() const;

  Result<std::optional<render::AcquiredImage>> acquire(uint32_t frame_slot) override;
  void record_after_render(VkCommandBuffer command_buffer, const render::AcquiredImage& image) override;
  Result<void> present(const render::AcquiredImage& image) override;

  struct State;

 private:
  explicit HeadsetSession(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

// A flat panel (a Dear ImGui window's pixels) the headset's compositor shows as a quad layer:
// sharper than anything drawn into the eyes' images, since it is resampled once, straight from its
// own pixels. Each frame it shows, draw it (Renderer::render_panel) after begin_frame and before
// the eyes; the frame's end shows it.
class HeadsetPanel final : public render::RenderTarget {
 public:
  ~HeadsetPanel() override;
  HeadsetPanel(const HeadsetPanel&) = delete;
  HeadsetPanel& operator=(const HeadsetPanel&) = delete;

  // Where it hangs: its centre and facing (+Z towards the viewer, +Y up) in the world, and its
  // width in metres; the height follows its pixels' aspect. Only the top `shown_rows` rows of its
  // pixels are shown (0: all of them), so that one panel, made as tall as its longest text, shows
  // a shorter one without an empty tail.
  void place(const glm::mat4& panel_to_world, float width_metres, uint32_t shown_rows = 0);
  void hide();
  VkExtent2D pixels() const;

  Result<std::optional<render::AcquiredImage>> acquire(uint32_t frame_slot) override;
  void record_after_render(VkCommandBuffer command_buffer, const render::AcquiredImage& image) override;
  Result<void> present(const render::AcquiredImage& image) override;

  struct State;

 private:
  friend class HeadsetSession;
  explicit HeadsetPanel(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace pavilion::xr

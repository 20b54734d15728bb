// Every poem of a scene hung as a scroll at its exhibit's place, turned towards the scene's first
// viewpoint: what a visitor sees in the room on the kiosk's screen and in the headset, and what
// the curator's previews (pavilion-snapshot, pavilion-preview) show of the same package.
#pragma once

#include "pavilion/exhibits/poem_text.h"
#include "pavilion/exhibits/scroll_mount.h"
#include "pavilion/package/reader.h"
#include "pavilion/render/overlay.h"
#include "pavilion/render/renderer.h"
#include "pavilion/scene/scene.h"
#include "pavilion/ui/text_overlay.h"

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace pavilion::exhibits {

// The characters of one hung poem being heard, lit on its scroll.
struct LitPoem {
  size_t poem = 0;  // index into the scene's poems
  text::TextSpan characters;
};

class HungPoems {
 public:
  // Sets every one of `poems` (reading their fonts and atlases from `package`, named
  // `package_name` in messages) and puts their atlases and a white texture for the mounts on
  // `renderer`, which must outlive this object. A poem that cannot be set is left out and its
  // reason kept in problems(); the call fails only when the renderer does (a lost device).
  static Result<std::unique_ptr<HungPoems>> open(const package::PackageReader& package, std::string_view package_name,
                                                 std::span<const scene::Poem> poems, std::span<const scene::Exhibit> exhibits,
                                                 std::span<const scene::Viewpoint> viewpoints, render::Renderer& renderer);
  ~HungPoems();
  HungPoems(const HungPoems&) = delete;
  HungPoems& operator=(const HungPoems&) = delete;

  // Why poems were left out, one error each.
  const std::vector<Error>& problems() const { return problems_; }
  // This frame's scrolls for Renderer::render's `world`, valid until the next call or the
  // object's end. Allocates only the first time (the buffers are kept and refilled).
  std::span<const render::WorldOverlay> overlays(const ScrollColors& colors, bool calm, std::optional<LitPoem> lit = {});

 private:
  explicit HungPoems(render::Renderer& renderer) : renderer_(renderer) {}

  struct Hung {
    std::unique_ptr<PoemText> text;
    glm::mat4 plane_to_world{1.0f};  // the scroll's top-left corner, facing the first viewpoint
  };

  render::Renderer& renderer_;
  std::optional<render::OverlayTextureId> white_;
  std::vector<Hung> hung_;
  std::vector<ui::OverlayBuffers> buffers_;
  std::vector<render::WorldOverlay> overlays_;
  std::vector<Error> problems_;
};

}  // namespace pavilion::exhibits

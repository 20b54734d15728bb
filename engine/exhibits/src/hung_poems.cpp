#include "pavilion/exhibits/hung_poems.h"

#include "pavilion/core/image.h"

#include <fmt/format.h>
#include <glm/geometric.hpp>

#include <algorithm>

namespace pavilion::exhibits {
namespace {

// A scroll's size in the room: an em of its text is 9 cm, so a hanging scroll of a jueju stands
// about a metre and a half tall, as one would on a wall.
constexpr float metres_per_em = 0.09f;

}  // namespace

Result<std::unique_ptr<HungPoems>> HungPoems::open(const package::PackageReader& package, std::string_view package_name,
                                                   std::span<const scene::Poem> poems,
                                                   std::span<const scene::Exhibit> exhibits,
                                                   std::span<const scene::Viewpoint> viewpoints,
                                                   render::Renderer& renderer) {
  std::unique_ptr<HungPoems> hung(new HungPoems(renderer));
  if (poems.empty()) return hung;
  ImageRgba8 white(1, 1);
  std::fill(white.pixels.begin(), white.pixels.end(), uint8_t{255});
  PV_TRY_ASSIGN(hung->white_, renderer.add_overlay_texture(white));
  const glm::vec3 facing_point = viewpoints.empty() ? glm::vec3(0, 0, 10) : viewpoints[0].position;
  for (const scene::Poem& poem : poems) {
    if (poem.exhibit >= exhibits.size()) continue;  // scene tables are checked when decoded; never here
    const scene::Exhibit& exhibit = exhibits[poem.exhibit];
    auto opened = PoemText::open(package, package_name, poem, exhibit, renderer);
    if (!opened) {
      if (opened.error().code() == ErrorCode::device_lost) return std::move(opened).error();
      hung->problems_.push_back(std::move(opened).error());
      continue;
    }
    const ScrollShape shape = scroll_shape((*opened)->layout(false), poem.vertical);
    glm::vec3 normal = facing_point - exhibit.position;
    normal.y = 0;
    normal = glm::length(normal) > 1e-4f ? glm::normalize(normal) : glm::vec3(0, 0, 1);
    const glm::vec3 up(0, 1, 0);
    const glm::vec3 right = glm::cross(up, normal);
    const glm::vec3 top_left = exhibit.position - right * (shape.width * metres_per_em * 0.5f) +
                               up * (shape.height * metres_per_em * 0.5f);
    hung->hung_.push_back(
        {std::move(*opened), glm::mat4(glm::vec4(right, 0), glm::vec4(up, 0), glm::vec4(normal, 0), glm::vec4(top_left, 1))});
  }
  hung->buffers_.resize(hung->hung_.size());
  hung->overlays_.reserve(hung->hung_.size());
  return hung;
}

HungPoems::~HungPoems() {
  hung_.clear();  // the atlases go before the renderer is told anything else
  if (white_) static_cast<void>(renderer_.remove_overlay_texture(*white_));
}

std::span<const render::WorldOverlay> HungPoems::overlays(const ScrollColors& colors, bool calm, std::optional<LitPoem> lit) {
  overlays_.clear();
  if (!white_) return {};
  for (size_t index = 0; index < hung_.size(); ++index) {
    const PoemText& poem = *hung_[index].text;
    const text::TextLayout& layout = poem.layout(false);
    const ScrollShape shape = scroll_shape(layout, poem.poem().vertical);
    ui::OverlayBuffers& buffers = buffers_[index];
    buffers.clear();
    append_scroll(shape, colors, *white_, 0, 0, metres_per_em, buffers);
    const bool heard = lit && lit->poem == index;
    ui::TextPaint paint = scroll_paint(colors, heard ? lit->characters : text::TextSpan{}, calm);
    paint.left = shape.text_left * metres_per_em;
    paint.top = shape.text_top * metres_per_em;
    paint.pixels_per_unit = metres_per_em;
    ui::append_text(layout, poem.atlas(), poem.atlas_texture(), paint, buffers);
    overlays_.push_back({hung_[index].plane_to_world, buffers.view()});
  }
  return overlays_;
}

}  // namespace pavilion::exhibits

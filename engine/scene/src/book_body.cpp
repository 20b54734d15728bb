// The books' bodies as meshes: boxes, rounded bands and cylinders built to the measures
// engine/book gives, each part in the book's frame as book/book_body.h says its mesh lies.
#include "pavilion/scene/book_body.h"

#include "pavilion/scene/scene.h"
#include "pavilion/scene/thumbnail.h"

#include <glm/geometric.hpp>
#include <glm/gtc/matrix_transform.hpp>
#include <glm/gtc/quaternion.hpp>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <string>

namespace pavilion::scene {
namespace {

using book::BookBodyMeasures;
using book::BookBodyPart;
using book::BookForm;

// As the kiosk has always laid a book: its pages stand 1.1 exhibit radii high.
constexpr float page_height_per_radius = 1.1f;
// A hanging scroll is narrower than its section (the pages' height) is long.
constexpr float hanging_scroll_width_per_height = 0.5f;
constexpr uint32_t round_segments = 24;  // around a roller or a roll: smooth at a reader's distance

// Triangles with flat or smooth normals, appended face by face.
class BodyMesh {
 public:
  explicit BodyMesh(std::string name) { mesh_.name = std::move(name); }

  // A flat quad a, b, c, d (in order round its edge), its front facing `outward`.
  void quad(glm::vec3 a, glm::vec3 b, glm::vec3 c, glm::vec3 d, glm::vec3 outward) {
    glm::vec3 normal = glm::cross(b - a, c - a);
    if (glm::dot(normal, outward) < 0.0f) {
      std::swap(b, d);
      normal = -normal;
    }
    normal = glm::normalize(normal);
    const auto first = static_cast<uint32_t>(mesh_.vertices.size());
    for (const glm::vec3& corner : {a, b, c, d}) add_vertex(corner, normal);
    for (const uint32_t index : {0u, 1u, 2u, 0u, 2u, 3u}) mesh_.indices.push_back(first + index);
  }

  // The box from `low` to `high`, faces outwards.
  void box(glm::vec3 low, glm::vec3 high) {
    for (int axis = 0; axis < 3; ++axis) {
      for (const float side : {-1.0f, 1.0f}) {
        glm::vec3 outward(0.0f);
        outward[axis] = side;
        const int u = (axis + 1) % 3;
        const int v = (axis + 2) % 3;
        glm::vec3 corners[4];
        for (int corner = 0; corner < 4; ++corner) {
          glm::vec3& point = corners[corner];
          point[axis] = side < 0 ? low[axis] : high[axis];
          point[u] = (corner == 1 || corner == 2) ? high[u] : low[u];
          point[v] = corner >= 2 ? high[v] : low[v];
        }
        quad(corners[0], corners[1], corners[2], corners[3], outward);
      }
    }
  }

  // A smooth cylinder about the line x = `axis.x`, z = `axis.z` from y = `from` to `to`, capped.
  void cylinder(glm::vec2 axis, float radius, float from, float to) {
    const auto first = static_cast<uint32_t>(mesh_.vertices.size());
    for (uint32_t step = 0; step <= round_segments; ++step) {
      const float angle = 2.0f * std::numbers::pi_v<float> * static_cast<float>(step) / round_segments;
      const glm::vec3 normal(std::cos(angle), 0.0f, std::sin(angle));
      add_vertex(glm::vec3(axis.x, from, axis.y) + radius * normal, normal);
      add_vertex(glm::vec3(axis.x, to, axis.y) + radius * normal, normal);
    }
    for (uint32_t step = 0; step < round_segments; ++step) {
      const uint32_t a = first + 2 * step;
      // Counter-clockwise seen from outside: round from +x towards +z, the bottom ring first.
      for (const uint32_t index : {a, a + 1, a + 3, a, a + 3, a + 2}) mesh_.indices.push_back(index);
    }
    for (const float end : {from, to}) {
      const glm::vec3 outward(0.0f, end == from ? -1.0f : 1.0f, 0.0f);
      const auto centre = static_cast<uint32_t>(mesh_.vertices.size());
      add_vertex(glm::vec3(axis.x, end, axis.y), outward);
      for (uint32_t step = 0; step < round_segments; ++step) {
        const float angle = 2.0f * std::numbers::pi_v<float> * static_cast<float>(step) / round_segments;
        add_vertex(glm::vec3(axis.x + radius * std::cos(angle), end, axis.y + radius * std::sin(angle)), outward);
      }
      for (uint32_t step = 0; step < round_segments; ++step) {
        const uint32_t a = centre + 1 + step;
        const uint32_t b = centre + 1 + (step + 1) % round_segments;
        // The cap's front faces along its outward normal.
        if (end == from) {
          for (const uint32_t index : {centre, a, b}) mesh_.indices.push_back(index);
        } else {
          for (const uint32_t index : {centre, b, a}) mesh_.indices.push_back(index);
        }
      }
    }
  }

  MeshData take() { return std::move(mesh_); }

 private:
  void add_vertex(glm::vec3 position, glm::vec3 normal) {
    // Any direction across the normal: the materials have no normal maps to orient.
    const glm::vec3 helper = std::abs(normal.y) < 0.9f ? glm::vec3(0, 1, 0) : glm::vec3(1, 0, 0);
    const glm::vec3 tangent = glm::normalize(glm::cross(helper, normal));
    mesh_.vertices.push_back(pack_vertex(position, normal, glm::vec4(tangent, 1.0f), glm::vec2(position.x, position.y)));
  }

  MeshData mesh_;
};

// Materials true to the subject: glTF metallic-roughness, linear base colours.
MaterialData material(std::string name, glm::vec3 colour, float roughness) {
  MaterialData made;
  made.name = std::move(name);
  made.base_color_factor = glm::vec4(colour, 1.0f);
  made.metallic_factor = 0.0f;
  made.roughness_factor = roughness;
  return made;
}

struct BodyMaterials {
  MaterialData cradle, cover, paper, binding, wood;
};

BodyMaterials materials_for(BookForm form) {
  switch (form) {
    case BookForm::codex:
      return {material("book cradle felt", {0.045f, 0.05f, 0.045f}, 0.95f),
              material("book cover leather", {0.20f, 0.075f, 0.03f}, 0.55f),
              material("book paper edge", {0.76f, 0.68f, 0.50f}, 0.85f),
              material("book spine leather", {0.17f, 0.06f, 0.025f}, 0.5f), MaterialData{}};
    case BookForm::thread_bound:
      // Indigo-dyed paper covers, yellowed bamboo paper, white silk thread (a soft sheen).
      return {material("book board linen", {0.22f, 0.16f, 0.10f}, 0.9f),
              material("book cover indigo paper", {0.025f, 0.04f, 0.10f}, 0.8f),
              material("book paper edge", {0.72f, 0.62f, 0.42f}, 0.9f),
              material("book stitching silk", {0.86f, 0.83f, 0.75f}, 0.3f), MaterialData{}};
    case BookForm::hand_scroll:
      return {material("scroll table felt", {0.045f, 0.05f, 0.045f}, 0.95f), MaterialData{},
              material("scroll mounted paper", {0.74f, 0.66f, 0.48f}, 0.8f), MaterialData{},
              material("scroll roller wood", {0.28f, 0.13f, 0.05f}, 0.45f)};
  }
  return {};
}

// The width of page `index` shown `height` metres high (a thread-bound leaf imaged whole shows its
// halves, each about half of it).
float page_width(const Book& book, size_t index, float height) {
  const BookPage& page = book.pages[index];
  const float aspect = page.height > 0 ? static_cast<float>(page.width) / static_cast<float>(page.height) : 0.75f;
  return height * aspect * (book.leaves_imaged_whole ? 0.5f : 1.0f);
}

// The widest page the body is sized by. A foldout (a non-paged page of a paged book: a map wider
// than the book) lies folded to the width of the page it is bound at and unfolds past it, so it is
// left out: sized by it, the covers, the block and the cradle would stand out past the pages as far
// as it unfolds, over its outer panels. A book of foldouts alone has nothing else to be sized by.
// A spread imaged as one picture (a facing-pages page) lies open across the spine, half of it on
// each side, so a side is half its width (a leaf imaged whole is halved already; a hanging book's
// spread runs along its spine, its width a page's).
float widest_page(const Book& book, float height) {
  float widest = 0.0f;
  float widest_foldout = 0.0f;
  for (size_t index = 0; index < book.pages.size(); ++index) {
    const book::PageBehavior behavior = book.pages[index].behavior;
    const bool foldout = book.layout == book::Layout::paged && behavior == book::PageBehavior::non_paged;
    const bool spread = behavior == book::PageBehavior::facing_pages && !book.leaves_imaged_whole && !book_hangs_from_spine(book);
    float& kept = foldout ? widest_foldout : widest;
    kept = std::max(kept, page_width(book, index, height) * (spread ? 0.5f : 1.0f));
  }
  return widest > 0.0f ? widest : widest_foldout;
}

// Leaves in the block: a codex's leaf carries two pages, as does a thread-bound leaf folded at its
// fore-edge (two half-leaves), unless it was imaged whole as one page.
uint32_t leaves_of(const Book& book) {
  const auto pages = static_cast<uint32_t>(book.pages.size());
  return book.leaves_imaged_whole ? pages : (pages + 1) / 2;
}

// Each part's mesh, built as book/book_body.h says it lies; nothing for a part the form has not.
MeshData part_mesh(const BookBodyMeasures& m, BookBodyPart part, const std::string& name) {
  BodyMesh mesh(name);
  const float w = m.page.width;
  const float h = m.page.height;
  const float reach = w + m.square + m.cradle_margin;  // the cradle's half-width
  const float spine = m.block + 2.0f * m.board;        // the spine's width, as the closed book's
  switch (part) {
    case BookBodyPart::cradle:
      if (m.form == BookForm::hand_scroll) {
        mesh.box({-0.5f, -m.cradle_margin, -m.cradle}, {0.5f, h + m.cradle_margin, 0.0f});
      } else {
        // The base board under the wedges, and a lip under the tail on which the book rests as it
        // leans back on its lectern; for a thread-bound book, low and cloth-covered.
        const float top = -(m.page_seat + m.block + m.board + m.least_wedge);
        const float low = -m.square - m.cradle_margin;
        const float high = h + m.square + m.cradle_margin;
        mesh.box({-reach, low, top - m.cradle}, {reach, high, top});
        mesh.box({-reach, low - 0.01f, top - m.cradle}, {reach, low, -0.5f * m.block});
      }
      break;
    case BookBodyPart::wedge_left:
    case BookBodyPart::wedge_right: {
      // Under its cover, one metre high before the pose; a codex's leave a channel for the spine.
      const float side = part == BookBodyPart::wedge_left ? -1.0f : 1.0f;
      const float inner = m.form == BookForm::codex ? 0.5f * spine : 0.002f;
      const float outer = w + m.square;
      mesh.box({side < 0 ? -outer : inner, -m.square, 0.0f}, {side < 0 ? -inner : outer, h + m.square, 1.0f});
      break;
    }
    case BookBodyPart::cover_left:
    case BookBodyPart::cover_right: {
      const float side = part == BookBodyPart::cover_left ? -1.0f : 1.0f;
      mesh.box({side < 0 ? -(w + m.square) : 0.0f, -m.square, -m.board}, {side < 0 ? 0.0f : w + m.square, h + m.square, 0.0f});
      break;
    }
    case BookBodyPart::block_left:
      mesh.box({-w, 0.0f, 0.0f}, {0.0f, h, 1.0f});
      break;
    case BookBodyPart::block_right:
      mesh.box({0.0f, 0.0f, 0.0f}, {w, h, 1.0f});
      break;
    case BookBodyPart::binding:
      if (m.form == BookForm::codex) {
        // The rounded spine under the gutter: a band of leather as thick as the boards, bowed down
        // between the covers' inner edges.
        constexpr uint32_t steps = 10;
        for (uint32_t step = 0; step < steps; ++step) {
          const auto at = [&](uint32_t s, float inset) {
            const float t = static_cast<float>(s) / steps;  // 0 … 1 across the spine
            const float x = (t - 0.5f) * (spine - 2.0f * inset);
            const float sag = m.spine_sag * std::sin(std::numbers::pi_v<float> * t);
            return glm::vec2(x, -m.board - sag + inset);
          };
          const glm::vec2 outer0 = at(step, 0.0f), outer1 = at(step + 1, 0.0f);
          const glm::vec2 inner0 = at(step, m.board), inner1 = at(step + 1, m.board);
          const float low = -m.square, high = h + m.square;
          const glm::vec2 across = outer1 - outer0;
          const glm::vec3 down = glm::vec3(across.y, 0.0f, -across.x);  // the band's outside, away from the block
          mesh.quad({outer0.x, low, outer0.y}, {outer1.x, low, outer1.y}, {outer1.x, high, outer1.y}, {outer0.x, high, outer0.y}, down);
          mesh.quad({inner0.x, low, inner0.y}, {inner1.x, low, inner1.y}, {inner1.x, high, inner1.y}, {inner0.x, high, inner0.y}, -down);
          for (const float end : {low, high}) {
            mesh.quad({outer0.x, end, outer0.y}, {outer1.x, end, outer1.y}, {inner1.x, end, inner1.y}, {inner0.x, end, inner0.y},
                      {0.0f, end == low ? -1.0f : 1.0f, 0.0f});
          }
        }
      } else if (m.form == BookForm::thread_bound) {
        // Four-hole binding (四眼订法): at each hole the doubled silk crosses the gutter from
        // one half to the other, and it runs along the gutter from the outer holes over the head
        // and the tail, where it wraps the book's back.
        const float t = m.thread;
        const float d = m.stitch_from_spine;
        const float holes[] = {0.1f * h, 0.36f * h, 0.64f * h, 0.9f * h};
        for (const float y : holes) {
          for (const float strand : {-0.7f * t, 0.7f * t}) mesh.box({-d, y + strand - 0.5f * t, 0.0f}, {d, y + strand + 0.5f * t, t});
        }
        mesh.box({-0.5f * t, h * 0.9f, 0.0f}, {0.5f * t, h + t, t});
        mesh.box({-0.5f * t, -t, 0.0f}, {0.5f * t, h * 0.1f, t});
        const float back = -(m.page_seat + m.block + m.board);
        mesh.box({-0.5f * t, h, back}, {0.5f * t, h + t, t});  // over the head
        mesh.box({-0.5f * t, -t, back}, {0.5f * t, 0.0f, t});  // over the tail
      }
      break;
    case BookBodyPart::roller_left:
    case BookBodyPart::roller_right:
      // Just inside the paper wound on it, so the bare roll never fights the paper for a pixel.
      mesh.cylinder({0.0f, 0.0f}, 0.98f * m.roller, 0.0f, h);
      mesh.cylinder({0.0f, 0.0f}, m.knob, -m.knob_length, 0.0f);
      mesh.cylinder({0.0f, 0.0f}, m.knob, h, h + m.knob_length);
      break;
    case BookBodyPart::rolled_left:
    case BookBodyPart::rolled_right:
      mesh.cylinder({0.0f, 0.0f}, 1.0f, 0.0f, h);
      break;
  }
  return mesh.take();
}

}  // namespace

bool book_hangs_from_spine(const Book& book) {
  return book.layout == book::Layout::paged &&
         (book.direction == book::ViewingDirection::top_to_bottom || book.direction == book::ViewingDirection::bottom_to_top);
}

float book_page_height(const Book& book, const Exhibit& exhibit) {
  return exhibit.radius * page_height_per_radius * (book_hangs_from_spine(book) ? 0.5f : 1.0f);
}

float book_scroll_width(const Book& book, float height) {
  return book::reads_vertically(book.direction) ? hanging_scroll_width_per_height * height : height;
}

glm::vec2 book_opening_middle(const Book& book, float height) {
  if (book_hangs_from_spine(book)) return {0.5f * page_width(book, 0, height), 0.0f};
  // A hanging scroll's body is turned a quarter (book/book_body.h): its rollers run along x from 0.
  if (book_form(book) == BookForm::hand_scroll && book::reads_vertically(book.direction)) {
    return {0.5f * book_scroll_width(book, height), 0.5f * height};
  }
  return {0.0f, 0.5f * height};
}

glm::mat4 book_to_world(const Book& book, const Exhibit& exhibit, const std::vector<Viewpoint>& viewpoints, float eye_height) {
  const ExhibitFraming framing = frame_exhibit(exhibit, viewpoints, 0.0f, eye_height);
  const glm::vec3 out_of_page = glm::normalize(framing.eye - exhibit.position);
  const glm::vec3 up = glm::normalize(glm::cross(out_of_page, framing.right));
  const glm::vec3 across = glm::cross(up, out_of_page);
  const glm::vec2 middle = book_opening_middle(book, book_page_height(book, exhibit));
  return glm::mat4(glm::vec4(across, 0.0f), glm::vec4(up, 0.0f), glm::vec4(out_of_page, 0.0f),
                   glm::vec4(exhibit.position - across * middle.x - up * middle.y, 1.0f));
}

book::BookForm book_form(const Book& book) {
  if (book.layout == book::Layout::continuous) return BookForm::hand_scroll;
  return book.thread_bound ? BookForm::thread_bound : BookForm::codex;
}

void add_book_bodies(Scene& scene) {
  RenderScene& render = scene.render;
  for (uint32_t index = 0; index < scene.books.size(); ++index) {
    const Book& book = scene.books[index];
    if (book.exhibit >= scene.exhibits.size() || book.pages.empty()) continue;
    const Exhibit& exhibit = scene.exhibits[book.exhibit];
    const float height = book_page_height(book, exhibit);
    // A page from the spine to its fore-edge, and along the spine: a hanging book's page hangs by
    // its top or bottom edge.
    const float width = widest_page(book, height);
    // A hand scroll's rollers are as long as its paper is wide.
    const float along_spine = book_form(book) == BookForm::hand_scroll ? book_scroll_width(book, height) : height;
    const book::LeafSize page = book_hangs_from_spine(book) ? book::LeafSize{height, width} : book::LeafSize{width, along_spine};
    BookBody body;
    body.book = index;
    body.measures = book::measure_book_body(book_form(book), book.direction, page, leaves_of(book));
    body.instances.fill(no_body_instance);
    // As the book opens at its start; the kiosk poses it again for every opening.
    const book::Openings openings = book.openings();
    book::BookBodyState state = book::leaves_either_side(openings, openings.opening_for_page(book.start_page).value_or(0));
    state.unrolled_from = -0.5f * body.measures.page.width;
    state.unrolled_to = 0.5f * body.measures.page.width;
    const book::BookBodyPose pose = book::pose_book_body(body.measures, state);
    const glm::mat4 frame = book_to_world(book, exhibit, scene.viewpoints, standing_eye_height);
    // The form's materials, once each for the body (a form leaves those it has no part of unnamed).
    const BodyMaterials materials = materials_for(body.measures.form);
    const auto add_material = [&](const MaterialData& made) {
      if (made.name.empty()) return 0u;
      render.materials.push_back(made);
      return static_cast<uint32_t>(render.materials.size() - 1);
    };
    const uint32_t cradle = add_material(materials.cradle), cover = add_material(materials.cover);
    const uint32_t paper = add_material(materials.paper), binding = add_material(materials.binding);
    const uint32_t wood = add_material(materials.wood);
    const auto material_of = [&](BookBodyPart part) {
      switch (part) {
        case BookBodyPart::cradle:
        case BookBodyPart::wedge_left:
        case BookBodyPart::wedge_right: return cradle;
        case BookBodyPart::cover_left:
        case BookBodyPart::cover_right: return cover;
        case BookBodyPart::binding: return binding;
        case BookBodyPart::roller_left:
        case BookBodyPart::roller_right: return wood;
        default: return paper;
      }
    };
    for (size_t slot = 0; slot < book::book_body_part_count; ++slot) {
      const auto part = static_cast<BookBodyPart>(slot);
      if (!book::has_part(body.measures.form, part)) continue;
      const std::string name = exhibit.id + "/" + std::string(book::to_string(part));
      const auto mesh = static_cast<uint32_t>(render.meshes.size());
      render.meshes.push_back(part_mesh(body.measures, part, name));
      const glm::mat4 world = frame * pose.parts[slot];
      body.instances[slot] = static_cast<uint32_t>(render.instances.size());
      render.instances.push_back({world, mesh, material_of(part)});
      // A node of its own where it lies now (the frame turns it, the pose may stretch it along its
      // own axes), so that posing the tree leaves it there.
      NodeTransform local;
      local.translation = glm::vec3(world[3]);
      local.scale = {glm::length(glm::vec3(world[0])), glm::length(glm::vec3(world[1])), glm::length(glm::vec3(world[2]))};
      local.rotation = glm::normalize(glm::quat_cast(glm::mat3(glm::vec3(world[0]) / local.scale.x, glm::vec3(world[1]) / local.scale.y,
                                                               glm::vec3(world[2]) / local.scale.z)));
      const auto node = static_cast<uint32_t>(scene.tree.nodes.size());
      scene.tree.nodes.push_back({name, no_parent, local});
      scene.tree.instances.push_back({node, no_skin, no_morph});
    }
    scene.book_bodies.push_back(body);
  }
}

}  // namespace pavilion::scene

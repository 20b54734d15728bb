#include "pavilion/pack/mesh_processing.h"
#include "stages.h"

#include <algorithm>
#include <limits>
#include <optional>

namespace pavilion::pack::stages {
namespace {

// The panel every "panel" exhibit is drawn on: a unit square facing +Z, its texture upright.
RawMesh panel_quad() {
  RawMesh quad;
  quad.name = "panel";
  quad.positions = {{-0.5f, 0.5f, 0.0f}, {0.5f, 0.5f, 0.0f}, {0.5f, -0.5f, 0.0f}, {-0.5f, -0.5f, 0.0f}};
  quad.normals.assign(4, glm::vec3(0, 0, 1));
  quad.uvs = {{0, 0}, {1, 0}, {1, 1}, {0, 1}};
  quad.indices = {0, 3, 2, 0, 2, 1};
  return quad;
}

// A bounding sphere around the transformed bounding boxes of the given instances.
glm::vec4 instances_sphere(const std::vector<scene::InstanceData>& instances, size_t first,
                           const std::vector<scene::MeshData>& meshes) {
  glm::vec3 low(std::numeric_limits<float>::max());
  glm::vec3 high(std::numeric_limits<float>::lowest());
  for (size_t index = first; index < instances.size(); ++index) {
    for (const scene::PackedVertex& vertex : meshes[instances[index].mesh].vertices) {
      const glm::vec3 world =
          glm::vec3(instances[index].transform * glm::vec4(vertex.position[0], vertex.position[1], vertex.position[2], 1.0f));
      low = glm::min(low, world);
      high = glm::max(high, world);
    }
  }
  if (low.x > high.x) return glm::vec4(0.0f, 0.0f, 0.0f, 0.5f);
  return glm::vec4((low + high) * 0.5f, std::max(glm::length(high - low) * 0.5f, 0.05f));
}

// Adds an instance of `mesh` with `material`, hung from `node` (placed later, from the tree).
void add_instance(scene::SceneTables& tables, uint32_t node, uint32_t mesh, uint32_t material, int32_t skin,
                  int32_t morph = scene::no_morph) {
  tables.instances.push_back({glm::mat4(1.0f), mesh, material});
  tables.tree.instances.push_back({node, skin, morph});
}

// A model's meshes, materials (their textures renumbered into the package's list), nodes, skins,
// morphs, animations and instances, its tree hung under the exhibit's node.
void place_model(BuildContext& context, const ExhibitSource& exhibit, ModelResult& result, uint32_t exhibit_node) {
  scene::SceneTables& tables = context.tables;
  scene::NodeTree& tree = tables.tree;
  const auto mesh_base = static_cast<uint32_t>(context.meshes.size());
  const auto material_base = static_cast<uint32_t>(tables.materials.size());
  for (scene::MeshData& mesh : result.model.meshes) context.meshes.push_back(std::move(mesh));
  for (scene::MaterialData material : result.model.materials) {
    for (int32_t* texture : {&material.base_color_texture, &material.metallic_roughness_texture, &material.normal_texture,
                             &material.occlusion_texture, &material.emissive_texture}) {
      if (*texture != scene::no_texture) *texture = static_cast<int32_t>(result.texture_indices[static_cast<size_t>(*texture)]);
    }
    tables.materials.push_back(std::move(material));
  }
  const scene::NodeTree& model_tree = result.model.tree;
  const auto node_base = static_cast<uint32_t>(tree.nodes.size());
  const auto skin_base = static_cast<int32_t>(tree.skins.size());
  const auto morph_base = static_cast<uint32_t>(tree.morphs.size());
  for (scene::Node node : model_tree.nodes) {
    node.parent = node.parent == scene::no_parent ? static_cast<int32_t>(exhibit_node) : node.parent + static_cast<int32_t>(node_base);
    tree.nodes.push_back(std::move(node));
  }
  for (scene::Skin skin : model_tree.skins) {
    for (uint32_t& joint : skin.joints) joint += node_base;
    tree.skins.push_back(std::move(skin));
  }
  for (scene::Morph morph : model_tree.morphs) {
    morph.node += node_base;
    tree.morphs.push_back(std::move(morph));
  }
  for (scene::Animation animation : model_tree.animations) {
    for (scene::AnimationChannel& channel : animation.channels) channel.node += node_base;
    for (scene::WeightChannel& channel : animation.weight_channels) channel.morph += morph_base;
    animation.name = exhibit.id + ": " + animation.name;
    tree.animations.push_back(std::move(animation));
  }
  for (size_t instance = 0; instance < result.model.instances.size(); ++instance) {
    const scene::InstanceData& data = result.model.instances[instance];
    const scene::InstanceNode& hung = model_tree.instances[instance];
    add_instance(tables, node_base + hung.node, mesh_base + data.mesh, material_base + data.material,
                 hung.skin == scene::no_skin ? scene::no_skin : skin_base + hung.skin,
                 hung.morph == scene::no_morph ? scene::no_morph : static_cast<int32_t>(morph_base) + hung.morph);
  }
}

// A panel: the shared quad (added with the first panel), a material of its own with its image,
// and a node under the exhibit's that sizes the one-metre quad.
void place_panel(BuildContext& context, const ExhibitSource& exhibit, uint32_t texture, uint32_t exhibit_node,
                 std::optional<uint32_t>& panel_mesh) {
  scene::SceneTables& tables = context.tables;
  if (!panel_mesh) {
    panel_mesh = static_cast<uint32_t>(context.meshes.size());
    context.meshes.push_back(optimize_and_pack(panel_quad()));
  }
  scene::MaterialData material;
  material.name = exhibit.id + " panel";
  material.metallic_factor = 0.0f;
  material.roughness_factor = 0.7f;
  material.double_sided = true;
  material.base_color_texture = static_cast<int32_t>(texture);
  tables.materials.push_back(material);
  tables.tree.nodes.push_back({exhibit.id + " panel", static_cast<int32_t>(exhibit_node),
                               scene::NodeTransform{.scale = glm::vec3(exhibit.panel_size, 1.0f)}});
  add_instance(tables, exhibit_node + 1, *panel_mesh, static_cast<uint32_t>(tables.materials.size() - 1), scene::no_skin);
}

}  // namespace

Result<void> place_exhibits(BuildContext& context) {
  const SceneSource& source = context.source();
  scene::SceneTables& tables = context.tables;
  tables.id = source.id;
  tables.version = source.version;
  tables.title = source.title;
  tables.light = source.light;
  tables.environment = source.environment;
  tables.viewpoints = source.viewpoints;
  tables.camera_paths = source.camera_paths;
  tables.particles = source.particles;
  std::optional<uint32_t> panel_mesh;
  size_t model_index = 0;
  for (size_t index = 0; index < source.exhibits.size(); ++index) {
    const ExhibitSource& exhibit = source.exhibits[index];
    scene::Exhibit out;
    out.id = exhibit.id;
    out.kind = exhibit.kind;
    out.metadata = exhibit.metadata;
    out.alt_text = exhibit.alt_text;
    out.description_easy = exhibit.description_easy;
    out.position = exhibit.placement.position;
    out.first_instance = static_cast<uint32_t>(tables.instances.size());
    // Every exhibit with something to draw gets a node of its own, placed where the curator put it.
    const auto exhibit_node = static_cast<uint32_t>(tables.tree.nodes.size());
    // A book draws nothing of its own here (the kiosk's book player does); its node, named by its
    // id, says where the curator put it and how it is turned.
    if (exhibit.kind == scene::ExhibitKind::model || exhibit.kind == scene::ExhibitKind::panel ||
        exhibit.kind == scene::ExhibitKind::book) {
      tables.tree.nodes.push_back({exhibit.id, scene::no_parent, exhibit.placement.node_transform()});
    }
    if (exhibit.kind == scene::ExhibitKind::model) {
      place_model(context, exhibit, context.models.at(model_index++), exhibit_node);
    } else if (exhibit.kind == scene::ExhibitKind::panel) {
      place_panel(context, exhibit, context.panel_texture.at(index), exhibit_node, panel_mesh);
    }
    out.instance_count = static_cast<uint32_t>(tables.instances.size()) - out.first_instance;
    const std::vector<glm::mat4> world = scene::world_transforms(tables.tree.nodes);
    for (uint32_t instance = out.first_instance; instance < tables.instances.size(); ++instance) {
      tables.instances[instance].transform = world[tables.tree.instances[instance].node];
    }
    if (out.instance_count > 0) {
      const glm::vec4 sphere = instances_sphere(tables.instances, out.first_instance, context.meshes);
      out.position = glm::vec3(sphere);
      out.radius = sphere.w;
    } else if (exhibit.kind == scene::ExhibitKind::hotspot) {
      out.radius = exhibit.radius;
    }
    tables.exhibits.push_back(std::move(out));
  }
  for (BookJob& job : context.books) {
    job.book.exhibit = static_cast<uint32_t>(job.exhibit);
    tables.books.push_back(job.book);
  }
  for (const TextureJob& job : context.textures) tables.textures.push_back(job.reference);
  return {};
}

}  // namespace pavilion::pack::stages

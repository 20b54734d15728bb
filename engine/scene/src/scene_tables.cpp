#include "pavilion/scene/scene_tables.h"

#include "localized_text_codec.h"

#include "pavilion/core/bytes.h"
#include "pavilion/core/image.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace pavilion::scene {
namespace {

constexpr uint32_t tables_magic = 0x43535650;  // "PVSC"
constexpr uint32_t max_entries = 1u << 24;

Error invalid(std::string why) {
  return Error(ErrorCode::invalid_input, "reading the scene tables", std::move(why));
}

Result<bool> read_flag(ByteReader& in, std::string_view what) {
  PV_TRY_ASSIGN(const uint8_t value, in.read<uint8_t>(what));
  if (value > 1) return invalid(fmt::format("{} is {}, not 0 or 1", what, value));
  return value == 1;
}

Result<glm::vec3> read_vec3(ByteReader& in, std::string_view what) { return in.read<glm::vec3>(what); }

// A 32-bit count, then that many entries, each read by `read_entry(index)`. A count beyond
// max_entries is refused before anything is read.
template <class Entry, class ReadEntry>
Result<std::vector<Entry>> read_table(ByteReader& in, std::string_view what, ReadEntry&& read_entry) {
  PV_TRY_ASSIGN(const uint32_t count, in.read<uint32_t>(fmt::format("the {} count", what)));
  if (count > max_entries) return invalid(fmt::format("the {} count is implausible", what));
  std::vector<Entry> entries;
  for (uint32_t index = 0; index < count; ++index) {
    PV_TRY_ASSIGN(Entry entry, read_entry(index));
    entries.push_back(std::move(entry));
  }
  return entries;
}

}  // namespace

std::string_view to_string(ExhibitKind kind) {
  switch (kind) {
    case ExhibitKind::model: return "model";
    case ExhibitKind::panel: return "panel";
    case ExhibitKind::hotspot: return "hotspot";
    case ExhibitKind::audio: return "audio";
    case ExhibitKind::book: return "book";
    case ExhibitKind::poem: return "poem";
  }
  return "unknown";
}

void write_material(ByteWriter& out, const MaterialData& material) {
  out.write_string(material.name);
  out.write(material.base_color_factor);
  out.write(material.metallic_factor);
  out.write(material.roughness_factor);
  out.write(material.emissive_factor);
  out.write(material.normal_scale);
  out.write(material.occlusion_strength);
  out.write(static_cast<uint8_t>(material.double_sided));
  for (int32_t texture : {material.base_color_texture, material.metallic_roughness_texture, material.normal_texture,
                          material.occlusion_texture, material.emissive_texture}) {
    out.write(texture);
  }
}

void write_texture_reference(ByteWriter& out, const TextureReference& texture) {
  out.write(texture.head_blob);
  out.write(texture.tail_blob);
  out.write(texture.tail_level);
  out.write_string(texture.name);
  out.write(static_cast<uint32_t>(texture.format));
  out.write(texture.width);
  out.write(texture.height);
  out.write(texture.mip_levels);
}

Result<TextureReference> read_texture_reference(ByteReader& in) {
  TextureReference texture;
  PV_TRY_ASSIGN(texture.head_blob, in.read<ContentHash>("a texture's large levels"));
  PV_TRY_ASSIGN(texture.tail_blob, in.read<ContentHash>("a texture's small levels"));
  PV_TRY_ASSIGN(texture.tail_level, in.read<uint32_t>("a texture's first small level"));
  PV_TRY_ASSIGN(texture.name, in.read_string("a texture's name"));
  PV_TRY_ASSIGN(const uint32_t format, in.read<uint32_t>("a texture's format"));
  texture.format = static_cast<scene::TextureFormat>(format);
  PV_TRY_ASSIGN(texture.width, in.read<uint32_t>("a texture's width"));
  PV_TRY_ASSIGN(texture.height, in.read<uint32_t>("a texture's height"));
  PV_TRY_ASSIGN(texture.mip_levels, in.read<uint32_t>("a texture's mip count"));
  if (!scene::is_known(texture.format)) return invalid(fmt::format("texture '{}' has an unknown format {}", texture.name, format));
  if (texture.width == 0 || texture.height == 0 || texture.width > 16384 || texture.height > 16384 ||
      texture.mip_levels == 0 || texture.mip_levels > mip_level_count(texture.width, texture.height) ||
      texture.tail_level >= texture.mip_levels) {
    return invalid(fmt::format("texture '{}' has an impossible size or mip count", texture.name));
  }
  return texture;
}

Result<MaterialData> read_material(ByteReader& in) {
  MaterialData material;
  PV_TRY_ASSIGN(material.name, in.read_string("a material's name"));
  PV_TRY_ASSIGN(material.base_color_factor, in.read<glm::vec4>("a base colour"));
  PV_TRY_ASSIGN(material.metallic_factor, in.read<float>("a metallic factor"));
  PV_TRY_ASSIGN(material.roughness_factor, in.read<float>("a roughness factor"));
  PV_TRY_ASSIGN(material.emissive_factor, read_vec3(in, "an emissive factor"));
  PV_TRY_ASSIGN(material.normal_scale, in.read<float>("a normal scale"));
  PV_TRY_ASSIGN(material.occlusion_strength, in.read<float>("an occlusion strength"));
  PV_TRY_ASSIGN(material.double_sided, read_flag(in, "a material's double-sided flag"));
  for (int32_t* texture : {&material.base_color_texture, &material.metallic_roughness_texture, &material.normal_texture,
                           &material.occlusion_texture, &material.emissive_texture}) {
    PV_TRY_ASSIGN(*texture, in.read<int32_t>("a material's texture"));
  }
  return material;
}

std::vector<std::byte> encode_scene_tables(const SceneTables& tables) {
  ByteWriter out;
  out.write(tables_magic);
  out.write(scene_tables_version);
  out.write_string(tables.id);
  out.write_string(tables.version);
  write_text(out, tables.title);

  out.write(static_cast<uint32_t>(tables.meshes.size()));
  for (const MeshReference& mesh : tables.meshes) {
    out.write(mesh.blob);
    out.write_string(mesh.name);
  }
  out.write(static_cast<uint32_t>(tables.textures.size()));
  for (const TextureReference& texture : tables.textures) write_texture_reference(out, texture);
  out.write(static_cast<uint32_t>(tables.materials.size()));
  for (const MaterialData& material : tables.materials) write_material(out, material);
  out.write_array(std::span<const InstanceData>(tables.instances));

  out.write(tables.light.direction);
  out.write(tables.light.color);
  out.write(tables.light.intensity);
  out.write(static_cast<uint8_t>(tables.light.casts_shadows));
  out.write(tables.environment.sky_zenith);
  out.write(tables.environment.sky_horizon);
  out.write(tables.environment.ground);
  out.write(tables.environment.ambient_intensity);
  out.write(tables.environment.exposure);

  out.write(static_cast<uint32_t>(tables.exhibits.size()));
  for (const Exhibit& exhibit : tables.exhibits) {
    out.write_string(exhibit.id);
    out.write(static_cast<uint32_t>(exhibit.kind));
    const DublinCore& dc = exhibit.metadata;
    for (const LocalizedText* text : {&dc.title, &dc.creator, &dc.description, &dc.rights, &exhibit.alt_text}) {
      write_text(out, *text);
    }
    out.write_string(dc.date.en);  // the Chinese follows the poems (version 6)
    out.write_string(dc.identifier);
    out.write_string(dc.language);
    out.write(exhibit.position);
    out.write(exhibit.radius);
    out.write(exhibit.first_instance);
    out.write(exhibit.instance_count);
  }
  out.write(static_cast<uint32_t>(tables.viewpoints.size()));
  for (const Viewpoint& viewpoint : tables.viewpoints) {
    write_text(out, viewpoint.name);
    out.write(viewpoint.position);
    out.write(viewpoint.target);
    out.write(viewpoint.vertical_fov_degrees);
  }
  out.write(static_cast<uint32_t>(tables.camera_paths.size()));
  for (const CameraPath& path : tables.camera_paths) {
    write_text(out, path.name);
    out.write(static_cast<uint8_t>(path.loop));
    out.write_array(std::span<const CameraKey>(path.keys));
  }
  out.write(static_cast<uint32_t>(tables.audio.size()));
  for (const AudioSource& audio : tables.audio) {
    out.write_string(audio.name);
    out.write(audio.blob);
    out.write(audio.sample_rate);
    out.write(audio.channels);
    out.write(audio.frames);
    out.write(audio.position);
    out.write(audio.volume);
    out.write(static_cast<uint8_t>(audio.loop));
    out.write(audio.exhibit);
  }
  write_node_tree(out, tables.tree);
  out.write(static_cast<uint32_t>(tables.poems.size()));
  for (const Poem& poem : tables.poems) {
    out.write(poem.exhibit);
    write_text(out, poem.dynasty);
    out.write_string(poem.text);
    out.write(static_cast<uint32_t>(poem.pinyin.size()));
    for (const std::string& syllable : poem.pinyin) out.write_string(syllable);
    out.write_string(poem.translation);
    out.write(static_cast<uint8_t>(poem.vertical));
    out.write(poem.font);
    out.write(poem.atlas);
    for (const std::string* credit : {&poem.font_credit.family, &poem.font_credit.copyright, &poem.font_credit.licence,
                                      &poem.font_credit.url}) {
      out.write_string(*credit);
    }
    out.write(poem.recitation);
    out.write(static_cast<uint8_t>(poem.cues_by_line));
    out.write_array(std::span<const PoemCue>(poem.cues));
    out.write(poem.announcement_zh_cn);
    out.write(poem.announcement_en);
    out.write(poem.translation_reading);
  }
  for (const Exhibit& exhibit : tables.exhibits) out.write_string(exhibit.metadata.date.zh_cn);
  for (const Exhibit& exhibit : tables.exhibits) write_text(out, exhibit.description_easy);
  for (const AudioSource& audio : tables.audio) write_text(out, audio.caption);
  write_particle_systems(out, tables.particles);
  out.write(static_cast<uint8_t>(tables.show.has_value()));
  if (tables.show) write_show(out, *tables.show);
  write_books(out, tables.books);
  write_morphs(out, tables.tree);
  write_book_readings(out, tables.books);
  return out.take();
}

void write_node_tree(ByteWriter& out, const NodeTree& tree) {
  out.write(static_cast<uint32_t>(tree.nodes.size()));
  for (const Node& node : tree.nodes) {
    out.write_string(node.name);
    out.write(node.parent);
    out.write(node.local.translation);
    const glm::quat& rotation = node.local.rotation;
    out.write(glm::vec4(rotation.x, rotation.y, rotation.z, rotation.w));
    out.write(node.local.scale);
  }
  out.write(static_cast<uint32_t>(tree.skins.size()));
  for (const Skin& skin : tree.skins) {
    out.write_string(skin.name);
    out.write_array(std::span<const uint32_t>(skin.joints));
    out.write_array(std::span<const glm::mat4>(skin.inverse_bind_matrices));
  }
  // Each instance's node and skin as versions before 12 wrote them; its morph comes last.
  out.write(static_cast<uint32_t>(tree.instances.size()));
  for (const InstanceNode& instance : tree.instances) {
    out.write(instance.node);
    out.write(instance.skin);
  }
  out.write(static_cast<uint32_t>(tree.animations.size()));
  for (const Animation& animation : tree.animations) {
    out.write_string(animation.name);
    out.write(animation.duration);
    out.write(static_cast<uint32_t>(animation.channels.size()));
    for (const AnimationChannel& channel : animation.channels) {
      out.write(channel.node);
      out.write(static_cast<uint32_t>(channel.property));
      out.write(static_cast<uint32_t>(channel.interpolation));
      out.write_array(std::span<const float>(channel.times));
      out.write_array(std::span<const glm::vec4>(channel.values));
    }
  }
}

void write_morphs(ByteWriter& out, const NodeTree& tree) {
  out.write(static_cast<uint32_t>(tree.morphs.size()));
  for (const Morph& morph : tree.morphs) {
    out.write(morph.node);
    out.write_array(std::span<const float>(morph.weights));
  }
  for (const InstanceNode& instance : tree.instances) out.write(instance.morph);
  for (const Animation& animation : tree.animations) {
    out.write(static_cast<uint32_t>(animation.weight_channels.size()));
    for (const WeightChannel& channel : animation.weight_channels) {
      out.write(channel.morph);
      out.write(static_cast<uint32_t>(channel.interpolation));
      out.write_array(std::span<const float>(channel.times));
      out.write_array(std::span<const float>(channel.values));
    }
  }
}

Result<NodeTree> read_node_tree(ByteReader& in, uint32_t version) {
  NodeTree tree;
  PV_TRY_ASSIGN(tree.nodes, read_table<Node>(in, "node", [&](uint32_t) -> Result<Node> {
    Node node;
    PV_TRY_ASSIGN(node.name, in.read_string("a node's name"));
    PV_TRY_ASSIGN(node.parent, in.read<int32_t>("a node's parent"));
    PV_TRY_ASSIGN(node.local.translation, read_vec3(in, "a node's translation"));
    PV_TRY_ASSIGN(const glm::vec4 rotation, in.read<glm::vec4>("a node's rotation"));
    node.local.rotation = glm::quat(rotation.w, rotation.x, rotation.y, rotation.z);
    PV_TRY_ASSIGN(node.local.scale, read_vec3(in, "a node's scale"));
    return node;
  }));
  PV_TRY_ASSIGN(tree.skins, read_table<Skin>(in, "skin", [&](uint32_t) -> Result<Skin> {
    Skin skin;
    PV_TRY_ASSIGN(skin.name, in.read_string("a skin's name"));
    PV_TRY_ASSIGN(skin.joints, in.read_array<uint32_t>("a skin's joints", max_entries));
    PV_TRY_ASSIGN(skin.inverse_bind_matrices, in.read_array<glm::mat4>("a skin's inverse bind matrices", max_entries));
    return skin;
  }));
  PV_TRY_ASSIGN(const uint32_t instance_count, in.read<uint32_t>("the instances' nodes"));
  if (instance_count > max_entries) return invalid(fmt::format("{} instances' nodes are too many", instance_count));
  tree.instances.resize(instance_count);
  for (InstanceNode& instance : tree.instances) {
    PV_TRY_ASSIGN(instance.node, in.read<uint32_t>("an instance's node"));
    PV_TRY_ASSIGN(instance.skin, in.read<int32_t>("an instance's skin"));
  }
  PV_TRY_ASSIGN(tree.animations, read_table<Animation>(in, "animation", [&](uint32_t) -> Result<Animation> {
    Animation animation;
    PV_TRY_ASSIGN(animation.name, in.read_string("an animation's name"));
    PV_TRY_ASSIGN(animation.duration, in.read<float>("an animation's duration"));
    PV_TRY_ASSIGN(animation.channels, read_table<AnimationChannel>(in, "channel", [&](uint32_t) -> Result<AnimationChannel> {
      AnimationChannel channel;
      PV_TRY_ASSIGN(channel.node, in.read<uint32_t>("a channel's node"));
      PV_TRY_ASSIGN(const uint32_t property, in.read<uint32_t>("a channel's property"));
      channel.property = static_cast<AnimatedProperty>(property);
      if (version >= 8) {
        PV_TRY_ASSIGN(const uint32_t interpolation, in.read<uint32_t>("a channel's interpolation"));
        channel.interpolation = static_cast<Interpolation>(interpolation);
      }
      PV_TRY_ASSIGN(channel.times, in.read_array<float>("a channel's key times", max_entries));
      PV_TRY_ASSIGN(channel.values, in.read_array<glm::vec4>("a channel's key values", max_entries));
      return channel;
    }));
    return animation;
  }));
  PV_TRY(validate(tree));
  return tree;
}

Result<void> read_morphs(ByteReader& in, NodeTree& tree) {
  PV_TRY_ASSIGN(tree.morphs, read_table<Morph>(in, "morph", [&](uint32_t) -> Result<Morph> {
    Morph morph;
    PV_TRY_ASSIGN(morph.node, in.read<uint32_t>("a morph's node"));
    PV_TRY_ASSIGN(morph.weights, in.read_array<float>("a morph's weights", max_morph_targets));
    return morph;
  }));
  for (InstanceNode& instance : tree.instances) {
    PV_TRY_ASSIGN(instance.morph, in.read<int32_t>("an instance's morph"));
  }
  for (Animation& animation : tree.animations) {
    PV_TRY_ASSIGN(animation.weight_channels,
                  read_table<WeightChannel>(in, "weight channel", [&](uint32_t) -> Result<WeightChannel> {
                    WeightChannel channel;
                    PV_TRY_ASSIGN(channel.morph, in.read<uint32_t>("a weight channel's morph"));
                    PV_TRY_ASSIGN(const uint32_t interpolation, in.read<uint32_t>("a weight channel's interpolation"));
                    channel.interpolation = static_cast<Interpolation>(interpolation);
                    PV_TRY_ASSIGN(channel.times, in.read_array<float>("a weight channel's key times", max_entries));
                    PV_TRY_ASSIGN(channel.values, in.read_array<float>("a weight channel's key values", max_entries));
                    return channel;
                  }));
  }
  return validate(tree);
}

Result<SceneTables> decode_scene_tables(std::span<const std::byte> bytes) {
  ByteReader in(bytes, "the scene tables");
  PV_TRY_ASSIGN(const uint32_t magic, in.read<uint32_t>("the tables' magic number"));
  if (magic != tables_magic) return invalid("the scene blob does not hold scene tables");
  PV_TRY_ASSIGN(const uint32_t version, in.read<uint32_t>("the tables' version"));
  if (version < 3 || version > scene_tables_version) {
    return Error(ErrorCode::unsupported, "reading the scene tables",
                 fmt::format("they are version {}, and this program reads version {}", version, scene_tables_version));
  }
  SceneTables tables;
  PV_TRY_ASSIGN(tables.id, in.read_string("the scene's id"));
  PV_TRY_ASSIGN(tables.version, in.read_string("the scene's version"));
  PV_TRY_ASSIGN(tables.title, read_text(in, "the scene's title"));

  PV_TRY_ASSIGN(tables.meshes, read_table<MeshReference>(in, "mesh", [&](uint32_t) -> Result<MeshReference> {
    MeshReference mesh;
    PV_TRY_ASSIGN(mesh.blob, in.read<ContentHash>("a mesh's blob"));
    PV_TRY_ASSIGN(mesh.name, in.read_string("a mesh's name"));
    return mesh;
  }));
  PV_TRY_ASSIGN(tables.textures, read_table<TextureReference>(in, "texture", [&](uint32_t index) {
    return read_texture_reference(in).add_context(fmt::format("reading texture {}", index));
  }));
  PV_TRY_ASSIGN(tables.materials, read_table<MaterialData>(in, "material", [&](uint32_t index) -> Result<MaterialData> {
    PV_TRY_ASSIGN(MaterialData material, read_material(in));
    for (int32_t texture : {material.base_color_texture, material.metallic_roughness_texture, material.normal_texture,
                            material.occlusion_texture, material.emissive_texture}) {
      if (texture != no_texture && (texture < 0 || static_cast<size_t>(texture) >= tables.textures.size())) {
        return invalid(fmt::format("material {} uses texture {}, but there are {}", index, texture, tables.textures.size()));
      }
    }
    return material;
  }));
  PV_TRY_ASSIGN(tables.instances, in.read_array<scene::InstanceData>("the instances", max_entries));
  for (size_t index = 0; index < tables.instances.size(); ++index) {
    const scene::InstanceData& instance = tables.instances[index];
    if (instance.mesh >= tables.meshes.size() || instance.material >= tables.materials.size()) {
      return invalid(fmt::format("instance {} refers to a mesh or material that does not exist", index));
    }
  }

  PV_TRY_ASSIGN(tables.light.direction, read_vec3(in, "the light's direction"));
  PV_TRY_ASSIGN(tables.light.color, read_vec3(in, "the light's colour"));
  PV_TRY_ASSIGN(tables.light.intensity, in.read<float>("the light's intensity"));
  PV_TRY_ASSIGN(tables.light.casts_shadows, read_flag(in, "the light's shadow flag"));
  PV_TRY_ASSIGN(tables.environment.sky_zenith, read_vec3(in, "the sky's zenith colour"));
  PV_TRY_ASSIGN(tables.environment.sky_horizon, read_vec3(in, "the sky's horizon colour"));
  PV_TRY_ASSIGN(tables.environment.ground, read_vec3(in, "the ground colour"));
  PV_TRY_ASSIGN(tables.environment.ambient_intensity, in.read<float>("the ambient intensity"));
  PV_TRY_ASSIGN(tables.environment.exposure, in.read<float>("the exposure"));

  PV_TRY_ASSIGN(tables.exhibits, read_table<Exhibit>(in, "exhibit", [&](uint32_t index) -> Result<Exhibit> {
    Exhibit exhibit;
    PV_TRY_ASSIGN(exhibit.id, in.read_string("an exhibit's id"));
    PV_TRY_ASSIGN(const uint32_t kind, in.read<uint32_t>("an exhibit's kind"));
    if (kind < static_cast<uint32_t>(ExhibitKind::model) || kind > static_cast<uint32_t>(ExhibitKind::poem)) {
      return invalid(fmt::format("exhibit {} has an unknown kind {}", index, kind));
    }
    exhibit.kind = static_cast<ExhibitKind>(kind);
    DublinCore& dc = exhibit.metadata;
    for (LocalizedText* text : {&dc.title, &dc.creator, &dc.description, &dc.rights, &exhibit.alt_text}) {
      PV_TRY_ASSIGN(*text, read_text(in, "an exhibit's text"));
    }
    // Before version 6 a date was one string for every language.
    PV_TRY_ASSIGN(dc.date.en, in.read_string("an exhibit's date"));
    dc.date.zh_cn = dc.date.en;
    PV_TRY_ASSIGN(dc.identifier, in.read_string("an exhibit's identifier"));
    PV_TRY_ASSIGN(dc.language, in.read_string("an exhibit's language"));
    PV_TRY_ASSIGN(exhibit.position, read_vec3(in, "an exhibit's position"));
    PV_TRY_ASSIGN(exhibit.radius, in.read<float>("an exhibit's radius"));
    PV_TRY_ASSIGN(exhibit.first_instance, in.read<uint32_t>("an exhibit's first instance"));
    PV_TRY_ASSIGN(exhibit.instance_count, in.read<uint32_t>("an exhibit's instance count"));
    if (exhibit.first_instance > tables.instances.size() ||
        exhibit.instance_count > tables.instances.size() - exhibit.first_instance) {
      return invalid(fmt::format("exhibit {} ('{}') refers to instances that do not exist", index, exhibit.id));
    }
    return exhibit;
  }));
  PV_TRY_ASSIGN(tables.viewpoints, read_table<Viewpoint>(in, "viewpoint", [&](uint32_t) -> Result<Viewpoint> {
    Viewpoint viewpoint;
    PV_TRY_ASSIGN(viewpoint.name, read_text(in, "a viewpoint's name"));
    PV_TRY_ASSIGN(viewpoint.position, read_vec3(in, "a viewpoint's position"));
    PV_TRY_ASSIGN(viewpoint.target, read_vec3(in, "a viewpoint's target"));
    PV_TRY_ASSIGN(viewpoint.vertical_fov_degrees, in.read<float>("a viewpoint's field of view"));
    return viewpoint;
  }));
  PV_TRY_ASSIGN(tables.camera_paths, read_table<CameraPath>(in, "camera path", [&](uint32_t index) -> Result<CameraPath> {
    CameraPath path;
    PV_TRY_ASSIGN(path.name, read_text(in, "a camera path's name"));
    PV_TRY_ASSIGN(path.loop, read_flag(in, "a camera path's loop flag"));
    PV_TRY_ASSIGN(path.keys, in.read_array<CameraKey>("a camera path's keys", max_entries));
    bool ordered = path.keys.size() >= 2 && path.keys.front().time == 0.0f;
    for (size_t key = 1; ordered && key < path.keys.size(); ++key) ordered = path.keys[key].time > path.keys[key - 1].time;
    if (!ordered) return invalid(fmt::format("camera path {} needs two or more keys at increasing times from 0", index));
    return path;
  }));
  PV_TRY_ASSIGN(tables.audio, read_table<AudioSource>(in, "sound", [&](uint32_t index) -> Result<AudioSource> {
    AudioSource audio;
    PV_TRY_ASSIGN(audio.name, in.read_string("a sound's name"));
    PV_TRY_ASSIGN(audio.blob, in.read<ContentHash>("a sound's blob"));
    PV_TRY_ASSIGN(audio.sample_rate, in.read<uint32_t>("a sound's sample rate"));
    PV_TRY_ASSIGN(audio.channels, in.read<uint32_t>("a sound's channel count"));
    PV_TRY_ASSIGN(audio.frames, in.read<uint64_t>("a sound's length"));
    PV_TRY_ASSIGN(audio.position, read_vec3(in, "a sound's position"));
    PV_TRY_ASSIGN(audio.volume, in.read<float>("a sound's volume"));
    PV_TRY_ASSIGN(audio.loop, read_flag(in, "a sound's loop flag"));
    PV_TRY_ASSIGN(audio.exhibit, in.read<uint32_t>("a sound's exhibit"));
    if (audio.exhibit >= tables.exhibits.size() || audio.sample_rate == 0 || audio.channels == 0) {
      return invalid(fmt::format("sound {} ('{}') is malformed", index, audio.name));
    }
    return audio;
  }));
  PV_TRY_ASSIGN(tables.tree, read_node_tree(in, version));
  if (tables.tree.instances.size() != tables.instances.size()) {
    return invalid(fmt::format("{} instances hang from nodes, but there are {} instances", tables.tree.instances.size(),
                               tables.instances.size()));
  }
  if (version >= 4) {
    PV_TRY_ASSIGN(tables.poems, read_table<Poem>(in, "poem", [&](uint32_t index) -> Result<Poem> {
      Poem poem;
      PV_TRY_ASSIGN(poem.exhibit, in.read<uint32_t>("a poem's exhibit"));
      PV_TRY_ASSIGN(poem.dynasty, read_text(in, "a poem's dynasty"));
      PV_TRY_ASSIGN(poem.text, in.read_string("a poem's text"));
      PV_TRY_ASSIGN(poem.pinyin, read_table<std::string>(in, "pinyin syllable", [&](uint32_t) {
        return in.read_string("a pinyin syllable");
      }));
      PV_TRY_ASSIGN(poem.translation, in.read_string("a poem's translation"));
      PV_TRY_ASSIGN(poem.vertical, read_flag(in, "a poem's orientation"));
      PV_TRY_ASSIGN(poem.font, in.read<ContentHash>("a poem's font"));
      PV_TRY_ASSIGN(poem.atlas, in.read<ContentHash>("a poem's glyph atlas"));
      for (std::string* credit : {&poem.font_credit.family, &poem.font_credit.copyright, &poem.font_credit.licence,
                                  &poem.font_credit.url}) {
        PV_TRY_ASSIGN(*credit, in.read_string("a poem font's credit"));
      }
      PV_TRY_ASSIGN(poem.recitation, in.read<uint32_t>("a poem's recitation"));
      PV_TRY_ASSIGN(poem.cues_by_line, read_flag(in, "a poem's timing unit"));
      PV_TRY_ASSIGN(poem.cues, in.read_array<PoemCue>("a poem's timings", max_entries));
      if (version >= 5) {
        PV_TRY_ASSIGN(poem.announcement_zh_cn, in.read<uint32_t>("a poem's Chinese announcement"));
        PV_TRY_ASSIGN(poem.announcement_en, in.read<uint32_t>("a poem's English announcement"));
        PV_TRY_ASSIGN(poem.translation_reading, in.read<uint32_t>("a poem's translation read aloud"));
      }
      const auto names_a_sound = [&](uint32_t sound) { return sound == no_sound || sound < tables.audio.size(); };
      const bool recited = poem.recitation != no_sound;
      if (poem.exhibit >= tables.exhibits.size() || tables.exhibits[poem.exhibit].kind != ExhibitKind::poem ||
          !names_a_sound(poem.recitation) || recited == poem.cues.empty() || !names_a_sound(poem.announcement_zh_cn) ||
          !names_a_sound(poem.announcement_en) || !names_a_sound(poem.translation_reading)) {
        return invalid(fmt::format("poem {} is malformed", index));
      }
      return poem;
    }));
  }
  if (version >= 6) {
    for (Exhibit& exhibit : tables.exhibits) {
      PV_TRY_ASSIGN(exhibit.metadata.date.zh_cn, in.read_string("an exhibit's date in Chinese"));
    }
  }
  if (version >= 7) {
    for (Exhibit& exhibit : tables.exhibits) {
      PV_TRY_ASSIGN(exhibit.description_easy, read_text(in, "an exhibit's easy description"));
    }
    for (AudioSource& audio : tables.audio) {
      PV_TRY_ASSIGN(audio.caption, read_text(in, "a sound's caption"));
    }
  }
  if (version >= 11) {
    PV_TRY_ASSIGN(tables.particles, read_particle_systems(in));
  }
  if (version >= 9) {
    PV_TRY_ASSIGN(const bool has_show, read_flag(in, "the show flag"));
    if (has_show) {
      const ShowLimits limits{tables.exhibits.size(), tables.tree.animations.size(), tables.audio.size(),
                              tables.particles.size()};
      PV_TRY_ASSIGN(tables.show, read_show(in, limits, version, &tables.particles));
    }
  }
  if (version >= 10) {
    PV_TRY_ASSIGN(tables.books, read_books(in, tables.exhibits));
  }
  if (version >= 12) PV_TRY(read_morphs(in, tables.tree));
  if (version >= 13) PV_TRY(read_book_readings(in, tables.books, tables.audio.size()));
  if (in.remaining() != 0) return invalid(fmt::format("{} unexpected bytes follow the tables", in.remaining()));
  return tables;
}

uint32_t tail_level_for(uint32_t width, uint32_t height, uint32_t mip_levels, uint32_t tail_size) {
  uint32_t level = 0;
  while (level + 1 < mip_levels && std::max(width >> level, height >> level) > tail_size) ++level;
  return level;
}

TextureBlobs prepare_texture_blobs(const TextureData& texture, int compression_level) {
  expects(texture.first_level == 0, "a texture is stored whole");
  const uint32_t tail_level = tail_level_for(texture.width, texture.height, texture.mip_levels);
  size_t head_bytes = 0;
  for (uint32_t level = 0; level < tail_level; ++level) {
    head_bytes += texture_mip_bytes(texture.format, texture.width, texture.height, level);
  }
  const std::span<const std::byte> bytes(texture.bytes);
  TextureBlobs result;
  if (tail_level > 0) {
    result.blobs.push_back(package::prepare_blob(package::BlobKind::texture, bytes.first(head_bytes), compression_level));
  }
  result.blobs.push_back(package::prepare_blob(package::BlobKind::texture, bytes.subspan(head_bytes), compression_level));
  result.reference = {tail_level > 0 ? result.blobs.front().entry.hash : ContentHash{}, result.blobs.back().entry.hash,
                      tail_level, texture.name, texture.format, texture.width, texture.height, texture.mip_levels};
  return result;
}

CameraKey sample(const CameraPath& path, float seconds) {
  expects(path.keys.size() >= 2, "a camera path has two or more keys");
  const float duration = path.duration();
  seconds = path.loop ? std::fmod(std::fmod(seconds, duration) + duration, duration) : std::clamp(seconds, 0.0f, duration);
  size_t segment = 0;
  while (segment + 2 < path.keys.size() && path.keys[segment + 1].time <= seconds) ++segment;
  const size_t count = path.keys.size();
  auto key = [&](ptrdiff_t index) -> const CameraKey& {
    if (path.loop) {
      // A looping path's last key stands where the first does; skip it when wrapping around.
      const auto span = static_cast<ptrdiff_t>(count - 1);
      return path.keys[static_cast<size_t>(((index % span) + span) % span)];
    }
    return path.keys[static_cast<size_t>(std::clamp<ptrdiff_t>(index, 0, static_cast<ptrdiff_t>(count - 1)))];
  };
  const auto i = static_cast<ptrdiff_t>(segment);
  const CameraKey& p0 = key(i - 1);
  const CameraKey& p1 = path.keys[segment];
  const CameraKey& p2 = path.keys[segment + 1];
  const CameraKey& p3 = key(i + 2);
  const float t = (seconds - p1.time) / (p2.time - p1.time);
  auto catmull_rom = [t](glm::vec3 a, glm::vec3 b, glm::vec3 c, glm::vec3 d) {
    return 0.5f * (2.0f * b + (c - a) * t + (2.0f * a - 5.0f * b + 4.0f * c - d) * t * t + (3.0f * b - a - 3.0f * c + d) * t * t * t);
  };
  return CameraKey{seconds, catmull_rom(p0.position, p1.position, p2.position, p3.position),
                   catmull_rom(p0.target, p1.target, p2.target, p3.target)};
}

std::vector<std::byte> encode_mesh(const scene::MeshData& mesh) {
  ByteWriter out;
  out.write_array(std::span<const scene::PackedVertex>(mesh.vertices));
  out.write_array(std::span<const uint32_t>(mesh.indices));
  out.write_array(std::span<const MeshLod>(mesh.lods));
  out.write_array(std::span<const VertexSkin>(mesh.skin));
  // Left out without targets, so a mesh's blob (and its name) is what it was before morph targets.
  if (mesh.morph_target_count() > 0) {
    out.write_array(std::span<const float>(mesh.morph_weights));
    out.write_array(std::span<const MorphDelta>(mesh.morph_deltas));
  }
  return out.take();
}

Result<scene::MeshData> decode_mesh(std::span<const std::byte> bytes, std::string name) {
  ByteReader in(bytes, fmt::format("mesh '{}'", name));
  scene::MeshData mesh;
  mesh.name = std::move(name);
  PV_TRY_ASSIGN(mesh.vertices, in.read_array<scene::PackedVertex>("the vertices"));
  PV_TRY_ASSIGN(mesh.indices, in.read_array<uint32_t>("the indices"));
  PV_TRY_ASSIGN(mesh.lods, in.read_array<MeshLod>("the levels of detail", max_mesh_lods));
  PV_TRY_ASSIGN(mesh.skin, in.read_array<VertexSkin>("the skin weights"));
  if (in.remaining() != 0) {
    PV_TRY_ASSIGN(mesh.morph_weights, in.read_array<float>("the morph targets' weights", max_morph_targets));
    PV_TRY_ASSIGN(mesh.morph_deltas, in.read_array<MorphDelta>("the morph targets' deltas"));
  }
  if (in.remaining() != 0) return invalid(fmt::format("mesh '{}' has {} bytes too many", mesh.name, in.remaining()));
  return mesh;
}

}  // namespace pavilion::scene

// The scene blob of a package: the scene's tables, with meshes and textures named by the hashes
// of their own blobs. pavilion-pack encodes it; the loader decodes it.
#pragma once

#include "pavilion/core/bytes.h"
#include "pavilion/core/error.h"
#include "pavilion/core/hash.h"
#include "pavilion/package/writer.h"
#include "pavilion/scene/book.h"
#include "pavilion/scene/scene.h"

#include <cstddef>
#include <optional>
#include <span>
#include <vector>

namespace pavilion::scene {

// Version 4 added poems, version 5 their audio-only sounds, version 6 dates per language, version 7
// exhibits' easy descriptions and sounds' captions, version 8 animation channels' interpolation
// (before it, every channel was linear), version 9 the show, version 10 books, version 11 particle
// systems (a show's bursts name them; an older show's emitters, a name and a place each, are read
// as placeholder_burst systems), version 12 the node tree's morph target weights at the end (its
// morphs, each instance's morph, each animation's weight channels), version 13 the books' pages
// read aloud at the end (each page's sound and its lines' timings); versions 3 to 12 are still read.
inline constexpr uint32_t scene_tables_version = 13;

struct MeshReference {
  ContentHash blob;
  std::string name;
};

// The first level small enough for a texture's tail: at most `tail_size` texels on a side.
uint32_t tail_level_for(uint32_t width, uint32_t height, uint32_t mip_levels, uint32_t tail_size = 64);

// A texture cut into the blobs a package stores: its large levels (the head, absent when the whole
// texture is small) and its small levels (the tail), which a progressive load reads first.
struct TextureBlobs {
  TextureReference reference;
  std::vector<package::PreparedBlob> blobs;  // the head (when there is one), then the tail
};
TextureBlobs prepare_texture_blobs(const TextureData& texture, int compression_level);

// A RenderScene with the mesh and texture data replaced by references to blobs.
struct SceneTables {
  std::string id;
  std::string version;
  LocalizedText title;
  std::vector<MeshReference> meshes;
  std::vector<TextureReference> textures;
  std::vector<scene::MaterialData> materials;
  std::vector<scene::InstanceData> instances;
  scene::DirectionalLight light;
  scene::Environment environment;
  std::vector<Exhibit> exhibits;
  std::vector<Viewpoint> viewpoints;
  std::vector<CameraPath> camera_paths;
  std::vector<AudioSource> audio;
  NodeTree tree;  // one InstanceNode per instance
  std::vector<Poem> poems;
  std::optional<Show> show;
  std::vector<ParticleSystem> particles;
  std::vector<Book> books;
};

std::vector<std::byte> encode_scene_tables(const SceneTables& tables);
// Checks every count and string against the bytes that remain, and every index against its table.
Result<SceneTables> decode_scene_tables(std::span<const std::byte> bytes);

// The binary form of one material, as the scene tables (and pavilion-pack's cache) store it.
void write_material(ByteWriter& out, const MaterialData& material);
// Texture references are not checked here: the caller knows how many textures there are.
Result<MaterialData> read_material(ByteReader& in);

// The binary form of a node tree, as the scene tables (and pavilion-pack's cache) store it.
// Reading validates it; `version` is that of the tables it is read from.
void write_node_tree(ByteWriter& out, const NodeTree& tree);
Result<NodeTree> read_node_tree(ByteReader& in, uint32_t version = scene_tables_version);
// The tree's morphs, each instance's morph and each animation's weight channels (version 12, at
// the tables' end): read into a tree read_node_tree has read, and checked with it.
void write_morphs(ByteWriter& out, const NodeTree& tree);
Result<void> read_morphs(ByteReader& in, NodeTree& tree);

// The binary form of one texture reference, as the scene tables (and pavilion-pack's cache) store
// it. Reading checks the format, size and level counts.
void write_texture_reference(ByteWriter& out, const TextureReference& texture);
Result<TextureReference> read_texture_reference(ByteReader& in);

// The binary form of a show, as the scene tables store it (version 11). Reading checks every
// range, key order and kind, and every index a cue or moment holds against these counts; an error
// names the show's track (or moment) and cue. An older show's emitters (versions 9 and 10) are
// read as placeholder_burst systems appended to `particles` (then empty), which its bursts name.
struct ShowLimits {
  size_t exhibits = 0;
  size_t animations = 0;  // the node tree's
  size_t sounds = 0;
  size_t particle_systems = 0;
};
void write_show(ByteWriter& out, const Show& show);
Result<Show> read_show(ByteReader& in, const ShowLimits& limits, uint32_t version = scene_tables_version,
                       std::vector<ParticleSystem>* particles = nullptr);

// The binary form of the particle systems (version 11). Reading checks each with
// particle_system_problem; an error names the system.
void write_particle_systems(ByteWriter& out, std::span<const ParticleSystem> systems);
Result<std::vector<ParticleSystem>> read_particle_systems(ByteReader& in);

// The binary form of the books, as the scene tables store them (version 10). Reading checks each
// book's exhibit (of kind book), enums, start page, ranges, and every page's levels and tile count
// against its size (book.h).
void write_books(ByteWriter& out, const std::vector<Book>& books);
Result<std::vector<Book>> read_books(ByteReader& in, const std::vector<Exhibit>& exhibits);
// Each book's pages read aloud (version 13, after the morphs): per page its sound and the times
// of its lines. Reading checks the sound against `sound_count` and one timing per line, in order.
void write_book_readings(ByteWriter& out, const std::vector<Book>& books);
Result<void> read_book_readings(ByteReader& in, std::vector<Book>& books, size_t sound_count);

// A mesh blob: vertex count, index count, then the packed vertices and the 32-bit indices.
std::vector<std::byte> encode_mesh(const scene::MeshData& mesh);
Result<scene::MeshData> decode_mesh(std::span<const std::byte> bytes, std::string name);

}  // namespace pavilion::scene

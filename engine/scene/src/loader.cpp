#include "pavilion/scene/loader.h"

#include "pavilion/core/parallel.h"
#include "pavilion/core/resident_bytes.h"
#include "pavilion/scene/block_compression.h"
#include "pavilion/scene/book_body.h"
#include "pavilion/scene/scene_tables.h"

#include <fmt/format.h>

#include <algorithm>
#include <mutex>
#include <numeric>
#include <tuple>

namespace pavilion::scene {
namespace {

Error missing_blob(std::string_view what, std::string_view name) {
  return Error(ErrorCode::invalid_input, "loading the scene",
               fmt::format("{} '{}' refers to a blob the package does not contain", what, name));
}

// For devices that cannot sample BC textures: each level decoded to RGBA8 in the same colour space.
TextureData decode_block_compressed(const TextureData& compressed) {
  TextureData decoded;
  decoded.name = compressed.name;
  decoded.format = is_srgb(compressed.format) ? TextureFormat::rgba8_srgb : TextureFormat::rgba8_unorm;
  decoded.width = compressed.width;
  decoded.height = compressed.height;
  decoded.mip_levels = compressed.mip_levels;
  decoded.first_level = compressed.first_level;
  size_t source_offset = 0;
  for (uint32_t level = compressed.first_level; level < compressed.mip_levels; ++level) {
    const uint32_t width = std::max(1u, compressed.width >> level);
    const uint32_t height = std::max(1u, compressed.height >> level);
    const uint32_t size = texture_mip_bytes(compressed.format, compressed.width, compressed.height, level);
    const ImageRgba8 image =
        decompress_level(std::span(compressed.bytes).subspan(source_offset, size), width, height, compressed.format);
    const auto* pixels = reinterpret_cast<const std::byte*>(image.pixels.data());
    decoded.bytes.insert(decoded.bytes.end(), pixels, pixels + image.pixels.size());
    source_offset += size;
  }
  return decoded;
}

// A texture's description, from `first` on (0, or its tail level), without its bytes.
TextureData describe_texture(const TextureReference& reference, uint32_t first) {
  expects(first == 0 || first == reference.tail_level, "a texture is read whole or from its tail");
  TextureData texture;
  texture.name = reference.name;
  texture.format = reference.format;
  texture.width = reference.width;
  texture.height = reference.height;
  texture.mip_levels = reference.mip_levels;
  texture.first_level = first;
  return texture;
}

// Reads `texture`'s levels (as described) from its head and tail blobs into `destination`,
// checking each blob's size.
Result<void> read_texture_levels_into(const package::PackageReader& package, const TextureReference& reference,
                                      const TextureData& texture, std::span<std::byte> destination) {
  expects(destination.size() == texture_byte_count(texture), "the destination fits the levels exactly");
  auto bytes_of_levels = [&](uint32_t from, uint32_t to) {
    size_t bytes = 0;
    for (uint32_t level = from; level < to; ++level) bytes += texture_mip_bytes(texture.format, texture.width, texture.height, level);
    return bytes;
  };
  size_t offset = 0;
  // The head holds levels before tail_level, the tail the rest.
  for (const auto& [blob_hash, from, to] : {std::tuple{reference.head_blob, 0u, reference.tail_level},
                                            std::tuple{reference.tail_blob, reference.tail_level, reference.mip_levels}}) {
    if (from == to || to <= texture.first_level) continue;
    const auto blob = package.find(blob_hash);
    if (!blob) return missing_blob("texture", reference.name);
    const size_t expected = bytes_of_levels(from, to);
    if (package.index()[*blob].raw_size != expected) {
      return Error(ErrorCode::invalid_input, "loading the scene",
                   fmt::format("texture '{}' should hold {} bytes in a blob that holds {}", texture.name, expected,
                               package.index()[*blob].raw_size));
    }
    PV_TRY(package.read_blob_into(*blob, destination.subspan(offset, expected))
               .add_context(fmt::format("loading texture '{}'", texture.name)));
    offset += expected;
  }
  return {};
}

Result<TextureData> read_texture_levels(const package::PackageReader& package, const TextureReference& reference,
                                        uint32_t first) {
  TextureData texture = describe_texture(reference, first);
  texture.bytes = resident_bytes(texture_byte_count(texture));
  PV_TRY(read_texture_levels_into(package, reference, texture, texture.bytes));
  return texture;
}

bool needs_decoding(TextureFormat format, const LoadOptions& options) {
  return is_block_compressed(format) && !options.bc_textures_supported;
}

TextureData finish_texture(TextureData texture, const LoadOptions& options) {
  return needs_decoding(texture.format, options) ? decode_block_compressed(texture) : std::move(texture);
}

}  // namespace

Result<Scene> load_scene(const package::PackageReader& package, const LoadOptions& options) {
  const auto index = package.index();
  uint32_t scene_blob = UINT32_MAX;
  for (uint32_t blob = 0; blob < index.size(); ++blob) {
    if (index[blob].kind == package::BlobKind::scene) {
      scene_blob = blob;
      break;
    }
  }
  if (scene_blob == UINT32_MAX) {
    return Error(ErrorCode::invalid_input, "loading the scene", "the package holds no scene tables");
  }
  PV_TRY_ASSIGN(const auto tables_bytes, package.read_blob(scene_blob));
  PV_TRY_ASSIGN(SceneTables tables, decode_scene_tables(tables_bytes));

  Scene scene;
  scene.id = std::move(tables.id);
  scene.version = std::move(tables.version);
  scene.title = std::move(tables.title);
  scene.exhibits = std::move(tables.exhibits);
  scene.viewpoints = std::move(tables.viewpoints);
  scene.camera_paths = std::move(tables.camera_paths);
  scene.audio = std::move(tables.audio);
  scene.poems = std::move(tables.poems);
  scene.show = std::move(tables.show);
  scene.particles = std::move(tables.particles);
  scene.books = std::move(tables.books);
  scene.tree = std::move(tables.tree);
  scene::RenderScene& render = scene.render;
  render.materials = std::move(tables.materials);
  render.instances = std::move(tables.instances);
  render.light = tables.light;
  render.environment = tables.environment;
  render.meshes.resize(tables.meshes.size());
  render.textures.resize(tables.textures.size());
  scene.texture_blobs = tables.textures;
  std::mutex pending_mutex;

  // Meshes first, then textures; each task reads, checks and decompresses one blob.
  const size_t mesh_count = tables.meshes.size();
  PV_TRY(parallel_for(mesh_count + tables.textures.size(), options.worker_threads, [&](size_t task) -> Result<void> {
    if (task < mesh_count) {
      const MeshReference& reference = tables.meshes[task];
      const auto blob = package.find(reference.blob);
      if (!blob) return missing_blob("mesh", reference.name);
      PV_TRY_ASSIGN(const auto bytes, package.read_blob(*blob));
      PV_TRY_ASSIGN(render.meshes[task], decode_mesh(bytes, reference.name));
      return {};
    }
    const auto texture_index = static_cast<uint32_t>(task - mesh_count);
    const TextureReference& reference = tables.textures[texture_index];
    const bool tail_only = options.progressive && reference.tail_level > 0;
    const uint32_t first = tail_only ? reference.tail_level : 0;
    if (tail_only) {
      std::lock_guard lock(pending_mutex);
      scene.pending_textures.push_back(texture_index);
    }
    if (options.defer_texture_bytes && !needs_decoding(reference.format, options)) {
      render.textures[texture_index] = describe_texture(reference, first);
      render.textures[texture_index].deferred = true;
      return {};
    }
    PV_TRY_ASSIGN(TextureData texture, read_texture_levels(package, reference, first));
    render.textures[texture_index] = finish_texture(std::move(texture), options);
    return {};
  }));
  std::sort(scene.pending_textures.begin(), scene.pending_textures.end());
  // After the package's own meshes and instances, whose indices the tables give.
  add_book_bodies(scene);
  PV_TRY(validate_skinning(scene.tree, render.meshes, render.instances).add_context("loading the scene"));
  return scene;
}

Result<std::vector<LoadedTexture>> load_pending_textures(const package::PackageReader& package, const Scene& scene,
                                                         const LoadOptions& options) {
  std::vector<LoadedTexture> loaded(scene.pending_textures.size());
  PV_TRY(parallel_for(loaded.size(), options.worker_threads, [&](size_t task) -> Result<void> {
    const uint32_t pending = scene.pending_textures[task];
    PV_TRY_ASSIGN(TextureData texture, read_texture_levels(package, scene.texture_blobs.at(pending), 0));
    loaded[task] = {pending, finish_texture(std::move(texture), options)};
    return {};
  }));
  return loaded;
}

Result<void> PackageTextureReader::read(uint32_t index, std::span<std::byte> destination) const {
  expects(index < scene_.render.textures.size() && index < scene_.texture_blobs.size(), "the texture exists");
  return read_texture_levels_into(package_, scene_.texture_blobs[index], scene_.render.textures[index], destination);
}

BookTileReader::BookTileReader(const package::PackageReader& package, const Scene& scene)
    : package_(package), scene_(scene) {
  const auto index = package.index();
  for (uint32_t blob = 0; blob < index.size(); ++blob) {
    if (index[blob].kind == package::BlobKind::page_tile) tiles_.emplace_back(index[blob].hash, blob);
  }
  std::sort(tiles_.begin(), tiles_.end());
}

namespace {

// The book as a tile's error names it: its exhibit's id where the scene holds its exhibits, else
// its place among the books (the kiosk's deep zoom reads a scene of one book alone). Read on the
// renderer's worker threads, where a throw ends the program.
std::string book_named(const Scene& scene, uint32_t book) {
  const uint32_t exhibit = scene.books[book].exhibit;
  return exhibit < scene.exhibits.size() ? fmt::format("book '{}'", scene.exhibits[exhibit].id)
                                         : fmt::format("book {} of the scene", book + 1);
}

}  // namespace

Result<uint32_t> BookTileReader::find_blob(const TileKey& key, TileRect& rect) const {
  expects(key.book < scene_.books.size() && key.page < scene_.books[key.book].pages.size(), "a page of a book the scene has");
  const Book& book = scene_.books[key.book];
  const BookPage& page = book.pages[key.page];
  rect = tile_rect(book, page, key.level, key.column, key.row);
  const ContentHash& hash = page.tiles[tile_index(page, key.level, key.column, key.row)];
  const auto found = std::lower_bound(tiles_.begin(), tiles_.end(), std::pair{hash, uint32_t{0}});
  const std::optional<uint32_t> blob =
      found != tiles_.end() && found->first == hash ? std::optional(found->second) : std::nullopt;
  if (!blob) {
    return Error(ErrorCode::invalid_input, "reading a page tile",
                 fmt::format("tile {}/{}/{} of page {} of {} refers to a blob the package does not contain",
                             key.level, key.column, key.row, key.page + 1, book_named(scene_, key.book)));
  }
  const size_t expected = tile_byte_count(book.tile_format, rect);
  if (expected != 0 && package_.index()[*blob].raw_size != expected) {
    return Error(ErrorCode::invalid_input, "reading a page tile",
                 fmt::format("tile {}/{}/{} of page {} of {} should hold {} bytes in a blob that holds {}",
                             key.level, key.column, key.row, key.page + 1, book_named(scene_, key.book), expected,
                             package_.index()[*blob].raw_size));
  }
  return *blob;
}

Result<size_t> BookTileReader::byte_count(const TileKey& key) const {
  TileRect rect;
  PV_TRY_ASSIGN(const uint32_t blob, find_blob(key, rect));
  return static_cast<size_t>(package_.index()[blob].raw_size);
}

Result<void> BookTileReader::read_into(const TileKey& key, std::span<std::byte> destination) const {
  TileRect rect;
  PV_TRY_ASSIGN(const uint32_t blob, find_blob(key, rect));
  expects(destination.size() == package_.index()[blob].raw_size, "the destination fits the tile exactly");
  return package_.read_blob_into(blob, destination);
}

Result<std::vector<std::byte>> BookTileReader::read(const TileKey& key) const {
  TileRect rect;
  PV_TRY_ASSIGN(const uint32_t blob, find_blob(key, rect));
  return package_.read_blob(blob);
}

Result<Scene> load_scene_file(const std::filesystem::path& path, const package::TrustPolicy& trust,
                              const LoadOptions& options) {
  PV_TRY_ASSIGN(const auto reader, package::PackageReader::open(path, trust));
  return load_scene(*reader, options);
}

}  // namespace pavilion::scene

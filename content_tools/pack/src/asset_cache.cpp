#include "asset_cache.h"

#include "pavilion/core/bytes.h"
#include "pavilion/core/file.h"

namespace pavilion::pack {
namespace {

constexpr uint32_t entry_magic = 0x43565650;  // "PVVC"

void write_blob(ByteWriter& out, const package::PreparedBlob& blob) {
  out.write(blob.entry);
  out.write_array(std::span<const std::byte>(blob.stored));
}

std::optional<package::PreparedBlob> read_blob(ByteReader& in) {
  package::PreparedBlob blob;
  auto entry = in.read<package::IndexEntry>("a cached blob");
  auto stored = entry ? in.read_array<std::byte>("a cached blob's bytes") : Result<std::vector<std::byte>>(entry.error());
  if (!entry || !stored || stored->size() != entry->stored_size) return std::nullopt;
  blob.entry = *entry;
  blob.stored = std::move(*stored);
  return blob;
}

}  // namespace

ContentHash cache_key(std::string_view kind, std::span<const std::byte> source, std::string_view settings) {
  ContentHasher hasher;
  hasher.update(std::as_bytes(std::span(kind.data(), kind.size())));
  hasher.update(std::as_bytes(std::span(settings.data(), settings.size())));
  hasher.update(source);
  return hasher.finish();
}

std::optional<std::vector<std::byte>> AssetCache::load(const ContentHash& key) const {
  if (directory_.empty()) return std::nullopt;
  auto bytes = read_file(directory_ / (key.to_hex() + ".pvcache"));
  if (!bytes || bytes->size() < 12) return std::nullopt;
  ByteReader in(*bytes, "a cache entry");
  const auto magic = in.read<uint32_t>("magic");
  const auto checksum = in.read<uint64_t>("checksum");
  const auto payload = std::span<const std::byte>(*bytes).subspan(12);
  if (!magic || *magic != entry_magic || !checksum || *checksum != hash64(payload)) return std::nullopt;
  return std::vector<std::byte>(payload.begin(), payload.end());
}

void AssetCache::store(const ContentHash& key, std::span<const std::byte> payload) const {
  if (directory_.empty()) return;
  std::error_code error_code;
  std::filesystem::create_directories(directory_, error_code);
  ByteWriter out;
  out.write(entry_magic);
  out.write(hash64(payload));
  out.write_bytes(payload);
  static_cast<void>(write_file_atomic(directory_ / (key.to_hex() + ".pvcache"), out.bytes()));
}

std::optional<CachedTexture> AssetCache::load_texture(const ContentHash& key) const {
  const auto payload = load(key);
  if (!payload) return std::nullopt;
  ByteReader in(*payload, "a cached texture");
  CachedTexture entry;
  auto reference = scene::read_texture_reference(in);
  auto blob_count = in.read<uint32_t>("blob count");
  if (!reference || !blob_count || *blob_count > 2) return std::nullopt;
  entry.reference = std::move(*reference);
  for (uint32_t index = 0; index < *blob_count; ++index) {
    auto blob = read_blob(in);
    if (!blob) return std::nullopt;
    entry.blobs.push_back(std::move(*blob));
  }
  return entry;
}

void AssetCache::store_texture(const ContentHash& key, const CachedTexture& entry) const {
  ByteWriter out;
  scene::write_texture_reference(out, entry.reference);
  out.write(static_cast<uint32_t>(entry.blobs.size()));
  for (const auto& blob : entry.blobs) write_blob(out, blob);
  store(key, out.bytes());
}

std::optional<CachedAudio> AssetCache::load_audio(const ContentHash& key) const {
  const auto payload = load(key);
  if (!payload) return std::nullopt;
  ByteReader in(*payload, "a cached sound");
  CachedAudio entry;
  auto rate = in.read<uint32_t>("rate");
  auto channels = in.read<uint32_t>("channels");
  auto frames = in.read<uint64_t>("frames");
  if (!rate || !channels || !frames) return std::nullopt;
  auto blob = read_blob(in);
  if (!blob) return std::nullopt;
  entry.audio.blob = blob->entry.hash;
  entry.audio.sample_rate = *rate;
  entry.audio.channels = *channels;
  entry.audio.frames = *frames;
  entry.blob = std::move(*blob);
  return entry;
}

void AssetCache::store_audio(const ContentHash& key, const CachedAudio& entry) const {
  ByteWriter out;
  out.write(entry.audio.sample_rate);
  out.write(entry.audio.channels);
  out.write(entry.audio.frames);
  write_blob(out, entry.blob);
  store(key, out.bytes());
}

std::optional<std::vector<scene::Thumbnail>> AssetCache::load_thumbnails(const ContentHash& key) const {
  const auto payload = load(key);
  if (!payload) return std::nullopt;
  ByteReader in(*payload, "cached thumbnails");
  const auto count = in.read<uint32_t>("count");
  if (!count) return std::nullopt;
  std::vector<scene::Thumbnail> thumbnails;
  for (uint32_t index = 0; index < *count; ++index) {
    const auto bytes = in.read_array<std::byte>("a thumbnail");
    if (!bytes) return std::nullopt;
    auto thumbnail = scene::decode_thumbnail(*bytes);
    if (!thumbnail) return std::nullopt;
    thumbnails.push_back(std::move(*thumbnail));
  }
  return thumbnails;
}

void AssetCache::store_thumbnails(const ContentHash& key, std::span<const scene::Thumbnail> thumbnails) const {
  ByteWriter out;
  out.write(static_cast<uint32_t>(thumbnails.size()));
  for (const scene::Thumbnail& thumbnail : thumbnails) out.write_array(std::span<const std::byte>(scene::encode_thumbnail(thumbnail)));
  store(key, out.bytes());
}

std::optional<CachedPageTiles> AssetCache::load_page_tiles(const ContentHash& key) const {
  const auto payload = load(key);
  if (!payload) return std::nullopt;
  ByteReader in(*payload, "a cached page");
  CachedPageTiles entry;
  const auto width = in.read<uint32_t>("width");
  const auto height = in.read<uint32_t>("height");
  auto levels = in.read_array<scene::PageLevel>("levels", 32);
  auto tiles = in.read_array<ContentHash>("tiles");
  if (!width || !height || !levels || !tiles) return std::nullopt;
  entry.width = *width;
  entry.height = *height;
  entry.levels = std::move(*levels);
  entry.tiles = std::move(*tiles);
  for (const ContentHash& tile : entry.tiles) {
    auto blob = read_blob(in);
    if (!blob || blob->entry.hash != tile) return std::nullopt;
    entry.blobs.push_back(std::move(*blob));
  }
  return entry;
}

void AssetCache::store_page_tiles(const ContentHash& key, const CachedPageTiles& entry) const {
  if (directory_.empty()) return;
  ByteWriter out;
  out.write(entry.width);
  out.write(entry.height);
  out.write_array(std::span<const scene::PageLevel>(entry.levels));
  out.write_array(std::span<const ContentHash>(entry.tiles));
  for (const auto& blob : entry.blobs) write_blob(out, blob);
  store(key, out.bytes());
}

std::optional<std::vector<scene::PageTextLine>> AssetCache::load_page_lines(const ContentHash& key) const {
  const auto payload = load(key);
  if (!payload) return std::nullopt;
  ByteReader in(*payload, "a cached page's text");
  const auto count = in.read<uint32_t>("count");
  if (!count) return std::nullopt;
  std::vector<scene::PageTextLine> lines;
  for (uint32_t index = 0; index < *count; ++index) {
    auto text = in.read_string("a line");
    const auto region = in.read<scene::PageRegion>("its region");
    const auto vertical = in.read<uint8_t>("its direction");
    auto language = in.read_string("its language");
    if (!text || !region || !vertical || !language) return std::nullopt;
    lines.push_back({std::move(*text), *region, *vertical != 0, std::move(*language)});
  }
  return lines;
}

void AssetCache::store_page_lines(const ContentHash& key, std::span<const scene::PageTextLine> lines) const {
  ByteWriter out;
  out.write(static_cast<uint32_t>(lines.size()));
  for (const scene::PageTextLine& line : lines) {
    out.write_string(line.text);
    out.write(line.region);
    out.write(static_cast<uint8_t>(line.vertical));
    out.write_string(line.language);
  }
  store(key, out.bytes());
}

std::optional<ImportedModel> AssetCache::load_model(const ContentHash& key) const {
  const auto payload = load(key);
  if (!payload) return std::nullopt;
  ByteReader in(*payload, "a cached model");
  const auto dependencies = in.read<uint32_t>("dependencies");
  if (!dependencies) return std::nullopt;
  for (uint32_t index = 0; index < *dependencies; ++index) {
    const auto path = in.read_string("a dependency");
    const auto hash = in.read<ContentHash>("its hash");
    if (!path || !hash) return std::nullopt;
    const auto bytes = read_file(*path);
    if (!bytes || hash_content(*bytes) != *hash) return std::nullopt;
  }
  auto model = decode_imported_model(std::span(*payload).subspan(in.offset()));
  if (!model) return std::nullopt;
  // A texture found when the model was imported and gone now: a fresh import leaves it out and says so.
  for (const TextureSource& texture : model->textures) {
    std::error_code error;
    if (!texture.file.empty() && !std::filesystem::is_regular_file(texture.file, error)) return std::nullopt;
  }
  return std::move(*model);
}

void AssetCache::store_model(const ContentHash& key, const ImportedModel& model) const {
  if (directory_.empty()) return;
  ByteWriter out;
  out.write(static_cast<uint32_t>(model.files_read.size()));
  for (const auto& file : model.files_read) {
    const auto bytes = read_file(file);
    if (!bytes) return;  // a file that vanished mid-build: better no entry than a wrong one
    out.write_string(file.string());
    out.write(hash_content(*bytes));
  }
  out.write_bytes(encode_imported_model(model));
  store(key, out.bytes());
}

}  // namespace pavilion::pack

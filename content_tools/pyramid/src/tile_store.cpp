#include "pavilion/pyramid/tile_store.h"

#include "pavilion/core/file.h"

#include <array>
#include <cstring>

namespace pavilion::pyramid {
namespace {

void add_numbers(ContentHasher& hasher, std::initializer_list<uint32_t> numbers) {
  for (const uint32_t number : numbers) {
    // Little-endian whatever the machine, so the key is the same everywhere.
    const std::array<std::byte, 4> bytes{std::byte(number & 0xff), std::byte(number >> 8 & 0xff),
                                         std::byte(number >> 16 & 0xff), std::byte(number >> 24)};
    hasher.update(bytes);
  }
}

}  // namespace

TileStore::TileStore(std::filesystem::path folder) : folder_(std::move(folder)) {}

std::filesystem::path TileStore::blob_path(const ContentHash& hash) const { return folder_ / hash.to_hex(); }

Result<ContentHash> TileStore::put(std::span<const std::byte> bytes) {
  const ContentHash hash = hash_content(bytes);
  const std::filesystem::path path = blob_path(hash);
  std::error_code error;
  if (std::filesystem::exists(path, error)) return hash;
  std::filesystem::create_directories(folder_, error);
  PV_TRY(write_file_atomic(path, bytes));
  ++blobs_written_;
  return hash;
}

Result<PageTiles> tile_page(const std::filesystem::path& scan_path, const PyramidOptions& options, TileStore& store) {
  PV_TRY_ASSIGN(auto scan, open_scan(scan_path));
  PageTiles page;
  ContentHasher tile_set;
  add_numbers(tile_set, {options.tile_size, options.overlap, static_cast<uint32_t>(options.encoding),
                         static_cast<uint32_t>(options.quality), scan->width(), scan->height()});
  PV_TRY_ASSIGN(page.levels, build_pyramid(*scan, options, [&](EncodedTile&& tile) -> Result<void> {
    PV_TRY_ASSIGN(const ContentHash blob, store.put(tile.bytes));
    page.tiles.push_back({tile.id, tile.x, tile.y, tile.width, tile.height, blob});
    add_numbers(tile_set, {tile.id.level, tile.id.column, tile.id.row, tile.x, tile.y, tile.width, tile.height});
    tile_set.update(std::as_bytes(std::span(blob.bytes)));
    return {};
  }));
  page.tile_set = tile_set.finish();
  return page;
}

}  // namespace pavilion::pyramid

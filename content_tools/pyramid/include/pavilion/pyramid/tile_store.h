// A book's tiles, content-addressed: every tile is a blob named by the BLAKE2b hash of its bytes,
// as the package names its blobs. Tiling is deterministic (pyramid.h), so re-tiling a book after
// one page changed gives every other page the very same blobs, and only the changed page's tiles
// are new: a store already holding the book writes nothing else, and a kiosk fetches nothing else.
#pragma once

#include "pavilion/core/error.h"
#include "pavilion/core/hash.h"
#include "pavilion/pyramid/pyramid.h"

#include <filesystem>
#include <span>
#include <vector>

namespace pavilion::pyramid {

// Blobs in one folder, each file named by its hash in hex. Used by one thread at a time.
class TileStore {
 public:
  explicit TileStore(std::filesystem::path folder);
  // Stores `bytes` unless a blob of that hash is there already; returns the hash either way.
  Result<ContentHash> put(std::span<const std::byte> bytes);
  std::filesystem::path blob_path(const ContentHash& hash) const;
  // Blobs this store wrote since it was made (not those it found).
  size_t blobs_written() const { return blobs_written_; }

 private:
  std::filesystem::path folder_;
  size_t blobs_written_ = 0;
};

struct StoredTile {
  TileId id;
  uint32_t x = 0;  // the tile's pixels in its level, overlap included
  uint32_t y = 0;
  uint32_t width = 0;
  uint32_t height = 0;
  ContentHash blob;
  friend bool operator==(const StoredTile&, const StoredTile&) = default;
};

struct PageTiles {
  std::vector<LevelShape> levels;
  std::vector<StoredTile> tiles;  // in the order build_pyramid gives them
  // One hash for the page's whole tile set (options, levels, every tile's place and blob): equal
  // exactly when the page's tiles are.
  ContentHash tile_set;
};

// Tiles one page scan into `store`.
Result<PageTiles> tile_page(const std::filesystem::path& scan, const PyramidOptions& options, TileStore& store);

}  // namespace pavilion::pyramid

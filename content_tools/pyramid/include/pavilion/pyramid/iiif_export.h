// A page scan as a static IIIF Image API 3.0 level-0 tile set, so a library serves the scans it
// packs for the kiosk to web viewers (Mirador, Universal Viewer, OpenSeadragon) from any web server:
//
//   OUT/info.json                                   @context, id, type ImageService3, protocol,
//                                                   profile level0, width, height, tiles, sizes
//   OUT/{x},{y},{w},{h}/{tw},{th}/0/default.jpg     every tile its scaleFactors imply
//   OUT/{x},{y},{w},{h}/{tw},/0/default.jpg         the same file (a hard link), as 2.x clients ask
//   OUT/full/{w},{h}/0/default.jpg (and {w},)       each size listed in `sizes`
//
// A tile at scale factor s covers the full image's region x = column·tile·s, y = row·tile·s,
// w = min(tile·s, width − x), h likewise, and is ceil(w/s) × ceil(h/s) pixels (Image API 3.0,
// §5.6 and the tiles of a level-0 service). `{tw},{th}` is 3.0's canonical size.
#pragma once

#include "pavilion/core/error.h"
#include "pavilion/pyramid/pyramid.h"

#include <array>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

namespace pavilion::pyramid {

struct IiifExportOptions {
  std::string id;            // the URL the tile set will be served at, without a trailing "/"
  uint32_t tile_size = 256;  // what web viewers expect; no overlap (IIIF tiles have none)
  int quality = 90;
  uint32_t threads = 0;
};

struct IiifTileSet {
  uint32_t width = 0;
  uint32_t height = 0;
  size_t tiles = 0;
};

// Writes the tile set to `out_folder`: all of it into a sibling folder first, moved into place at
// the end, so a failure leaves no half-written set. A folder already there is replaced only if it
// holds an info.json (an earlier export); otherwise the export is refused.
Result<IiifTileSet> export_iiif(const std::filesystem::path& scan, const std::filesystem::path& out_folder,
                                const IiifExportOptions& options);

// The pieces export_iiif is made of, for exports of many images at once (pavilion-pack's export
// of a packed book: a tile set per page beside a Presentation manifest).

// A folder written whole or not at all: everything goes into `staging()`, a sibling named
// "<out>.partial", which finish() moves into place; dropped unfinished, the staging folder is
// removed. A folder already at `out_folder` is replaced only when it is empty or
// `holds_an_earlier_export` says it holds nothing but what an earlier export wrote, so nobody's
// own files are lost.
class ExportFolder {
 public:
  using EarlierExport = bool (*)(const std::filesystem::path& folder);
  // `what` names the export in its errors ("a IIIF tile set", "a IIIF book"), in English and Chinese.
  static Result<ExportFolder> begin(const std::filesystem::path& out_folder, EarlierExport holds_an_earlier_export,
                                    std::string what_en, std::string what_zh);
  ExportFolder(ExportFolder&& other) noexcept;
  ExportFolder& operator=(ExportFolder&&) = delete;
  ExportFolder(const ExportFolder&) = delete;
  ~ExportFolder();

  const std::filesystem::path& staging() const { return staging_; }
  Result<void> finish();

 private:
  ExportFolder(std::filesystem::path out_folder, std::string what_en, std::string what_zh);
  Error error(const std::string& english, const std::string& chinese) const;

  std::filesystem::path out_folder_;
  std::filesystem::path staging_;
  std::string what_en_, what_zh_;
  bool finished_ = false;
};

// Whether `folder` holds a tile set an export wrote, and nothing else: an info.json of a level-0
// ImageService3 beside folders named "full" or by a region "x,y,w,h".
bool holds_only_a_tile_set(const std::filesystem::path& folder);

// One image's tile set, written into a folder as it is (an ExportFolder's staging, or a folder
// within it): its tiles in any order, then its info.json. The tiles are JPEG files a caller has
// encoded, tile (column, row) of level k (pyramid_levels: k is scale factor 2^k) without overlap.
// write_tile may be called from several threads at once for different tiles.
class IiifTileSetWriter {
 public:
  IiifTileSetWriter(std::filesystem::path folder, std::string id, uint32_t width, uint32_t height, uint32_t tile_size);

  const std::vector<LevelShape>& levels() const { return levels_; }
  // The full image's region tile (column, row) of `level` covers: x, y, width, height.
  std::array<uint64_t, 4> region(uint32_t level, uint32_t column, uint32_t row) const;
  // Preconditions: the tile exists; `pixel_width` × `pixel_height` is its size at its level.
  Result<void> write_tile(uint32_t level, uint32_t column, uint32_t row, std::span<const std::byte> jpeg,
                          uint32_t pixel_width, uint32_t pixel_height) const;
  // info.json, naming every tile and whole size the tiles written make available.
  Result<void> write_info() const;

 private:
  std::filesystem::path folder_;
  std::string id_;
  uint32_t width_ = 0, height_ = 0, tile_size_ = 0;
  std::vector<LevelShape> levels_;
};

}  // namespace pavilion::pyramid

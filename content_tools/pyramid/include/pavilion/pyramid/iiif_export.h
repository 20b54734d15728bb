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

#include <cstdint>
#include <filesystem>
#include <string>

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

}  // namespace pavilion::pyramid

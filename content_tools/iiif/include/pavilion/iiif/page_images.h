// Each page's picture as bytes, for the packer: for every painting of every canvas, its image
// (the first option of a Choice, the one shown by default) found, in this order,
//   1. in an explicit map from a canvas id or a page label to a local file (the page's first
//      painting; a page painted from several images has the others matched by name);
//   2. in a local folder, by file name: the identifier in the image's IIIF Image API service URL
//      ("…/iiif/3/page-007" matches page-007.jpg, page-007.tif, …), or the last segment of the
//      image's URL ("…/scans/page-007.jpg" matches page-007.jpg, then any page-007.*);
//   3. from the Image API service the manifest names (info.json, then the full image at most
//      max_width × max_height: see image_service.h), through the HttpCache;
//   4. from the image's URL as it is, through the HttpCache.
// What is found nowhere stays a placeholder with a warning that says what was tried and why each
// way failed, in English and Chinese: never a silent gap. Nothing here decides how pages are drawn.
#pragma once

#include "pavilion/core/hash.h"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "pavilion/checking/json_checker.h"
#include "pavilion/iiif/http_cache.h"
#include "pavilion/iiif/manifest.h"

namespace pavilion::iiif {

struct PageImageOptions {
  std::map<std::string, std::filesystem::path> files;  // canvas id or page label → local file
  std::filesystem::path folder;                        // matched by file name; empty: none
  HttpCache* cache = nullptr;                          // null: nothing is fetched
  int max_width = 0, max_height = 0;                   // of a fetched image; 0: no bound
  // Tiles stitched into a picture of more pixels than this are not held in memory (a 30 000 ×
  // 40 000 scan is 4.8 GB of pixels) but written a row of tiles at a time into a TIFF file in
  // `scratch`, which the pyramid reads a band at a time; with no scratch folder such a page is
  // refused as too large.
  int64_t max_held_pixels = int64_t{256} << 20;
  std::filesystem::path scratch;
};

struct PageImage {
  enum class Source { mapped, folder, image_service, url };
  Source source = Source::mapped;
  std::string origin;  // the local file or the URL it came from
  // A fetched picture's bytes (a JPEG, PNG or TIFF file; tiles stitched are a PNG). Empty for a
  // local file, which is read as it is tiled: a 30 000 × 40 000 TIFF is gigabytes.
  std::vector<std::byte> bytes;
  std::string media_type;  // "image/jpeg", "image/png", "image/tiff"
  ContentHash hash;        // of the picture's file bytes, local or fetched: what caches are keyed by
  // Tiles stitched on disk (PageImageOptions::max_held_pixels): the TIFF file, bytes empty. It
  // lies in the options' scratch folder, which its owner clears.
  std::filesystem::path stitched_file;
};

struct ResolvedCanvas {
  // One per painting of the canvas, in order; empty when that painting's image was not found.
  std::vector<std::optional<PageImage>> paintings;
};

struct PageImages {
  std::vector<ResolvedCanvas> canvases;  // one per canvas of the manifest
  // One warning per image not found (location "canvases[N]", naming the page), and one per image
  // taken from the cache while the server was away.
  std::vector<checking::Finding> warnings;
};

PageImages resolve_page_images(const Manifest& manifest, const PageImageOptions& options);

// "image/jpeg", "image/png", "image/tiff", "image/jp2" or "image/webp" by the bytes' signature;
// "" when they are none of these.
std::string image_media_type(std::span<const std::byte> bytes);

// The last path segment of a URL, percent-decoded, without query or fragment ("…/a%20b.jpg?x" →
// "a b.jpg"); for a service URL this is the image's identifier.
std::string last_segment(std::string_view url);

}  // namespace pavilion::iiif

// A packed book served to web viewers: `pavilion-pack export-iiif` writes a book of a package as
// static files any web server can serve, for Mirador, Universal Viewer, OpenSeadragon (and
// pavilion-pack itself, which imports it like any library's manifest):
//
//   OUT/manifest.json          IIIF Presentation 3: the book's label, summary, metadata,
//                              required statement, rights, viewing direction, layout, start page,
//                              table of contents (structures), and a canvas per page with its
//                              commentary (commenting annotations, on their regions)
//   OUT/pages/{n}/…            page n's picture (1-based) as a IIIF Image API 3 level-0 tile set
//                              (pyramid/iiif_export.h), its service named on the canvas
//
// The tiles are the package's own: each is read, decoded (BC1, JPEG, WebP or RGBA8), its overlap
// cut away and saved as a JPEG, so a branch library holding only the package serves what its kiosk
// shows, at the package's tile size and levels. A thread-bound leaf imaged whole becomes a
// facing-pages canvas (web viewers show it as the open spread it is); a page the package holds as
// a placeholder (its picture was missing) becomes a canvas without a picture, as it was.
#pragma once

#include "pavilion/core/error.h"
#include "pavilion/package/reader.h"
#include "pavilion/scene/scene.h"

#include <cstdint>
#include <filesystem>
#include <string>

namespace pavilion::pack {

struct BookExportOptions {
  std::string exhibit;   // the book exhibit's id; empty: the package's only book
  std::string base_url;  // where OUT will be served, without a trailing "/"
  int quality = 90;      // of the JPEG tiles
  uint32_t jobs = 0;     // pages exported side by side; 0: one per processor
};

struct BookExport {
  std::string exhibit;
  size_t pages = 0;
  size_t placeholders = 0;  // pages written as canvases without a picture
  size_t tiles = 0;
};

// Writes the book into `out_folder` whole or not at all (pyramid::ExportFolder: an existing folder
// is replaced only when it holds an earlier export). Fails with a sentence naming the package and
// the book when the exhibit is not a book of it (listing the books it has), a tile is missing or
// damaged, or a file cannot be written.
Result<BookExport> export_book_iiif(const package::PackageReader& package, const scene::Scene& scene,
                                    const std::filesystem::path& out_folder, const BookExportOptions& options);

}  // namespace pavilion::pack

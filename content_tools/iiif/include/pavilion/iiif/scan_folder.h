// A book from a plain folder of scans and a short description beside them (book.json), for a
// library without a IIIF server: read into the same model as a manifest, one canvas per scan
// (.jpg, .jpeg, .png, .tif, .tiff) in the natural order of the file names (page2 before page10),
// each canvas as large as its scan. The description's format, and its JSON Schema
// (scenes/schema/book.schema.json), are in README.md beside this folder's CMakeLists.
//
// Problems are findings at their JSON path in English and Chinese, as a manifest's are: a
// description that names a page or a page's text file the folder lacks, an unknown direction or
// behaviour, a scan whose size cannot be read. A page's text (ALTO or hOCR beside the scans) is
// its canvas's seeAlso link, named by the file's name as pack finds it.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pavilion/checking/json_checker.h"
#include "pavilion/core/error.h"
#include "pavilion/iiif/manifest.h"

namespace pavilion::iiif {

struct ScanFolder {
  // Each canvas's id and its image's id are the scan's file name; the manifest's id is the folder.
  Manifest manifest;
  // Thread-bound books scanned one whole flat leaf per picture (book::PageSequence's flag).
  bool leaves_imaged_whole = false;
  // Canvas id → scan: PageImageOptions::files as it is.
  std::map<std::string, std::filesystem::path> files;

  // The manifest's pages with the thread-bound flag, for engine/book.
  book::PageSequence page_sequence() const;
};

// The description is `text` (the contents of `file`); the scans are the image files in `folder`.
std::optional<ScanFolder> parse_scan_folder(std::string_view text, const std::filesystem::path& file,
                                            const std::filesystem::path& folder,
                                            std::vector<checking::Finding>& findings);

// `folder`/book.json and the scans beside it; fails with every error, in English and Chinese.
Result<ScanFolder> read_scan_folder(const std::filesystem::path& folder);

// Whether `a` comes before `b` with runs of digits compared as numbers ("page2" < "page10",
// "p007" == "p7" by value, then by spelling).
bool natural_less(std::string_view a, std::string_view b);

}  // namespace pavilion::iiif

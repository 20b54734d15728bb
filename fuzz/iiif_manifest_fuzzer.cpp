// libFuzzer target: any text as a IIIF manifest or multi-part collection (joined with volumes of
// one page), as an Image API info.json and as a folder of scans' book.json (against an empty
// folder). The readers must report findings or errors, never crash, and never return a result
// alongside an error; a plan for an info.json read must ask for pieces inside the image.
#include "pavilion/iiif/image_service.h"
#include "pavilion/iiif/manifest.h"
#include "pavilion/iiif/scan_folder.h"

#include <cstdlib>
#include <filesystem>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::vector<pavilion::checking::Finding> findings;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const std::optional<pavilion::iiif::Document> document =
      pavilion::iiif::parse_document(text, "/nonexistent/manifest.json", findings);
  if (document && pavilion::checking::has_errors(findings)) std::abort();
  if (const auto* manifest = document ? std::get_if<pavilion::iiif::Manifest>(&*document) : nullptr) {
    // The openings of whatever was read: the kiosk computes them from the same model.
    static_cast<void>(pavilion::book::compute_openings(manifest->page_sequence()));
  }
  if (const auto* collection = document ? std::get_if<pavilion::iiif::MultiPartCollection>(&*document) : nullptr) {
    // Joined with volumes of one page each: a contents entry per volume, each holding its page.
    pavilion::iiif::Manifest volume;
    volume.canvases.resize(1);
    const std::vector<pavilion::iiif::Manifest> volumes(collection->volumes.size(), volume);
    const pavilion::iiif::Manifest book =
        pavilion::iiif::join_volumes(*collection, volumes, "/nonexistent/collection.json");
    if (book.canvases.size() != volumes.size() || book.ranges.size() != volumes.size()) std::abort();
  }

  const auto info = pavilion::iiif::parse_image_info(text, "https://example.org/iiif/page/info.json");
  if (info.ok()) {
    // Bounds from the input's length, so that both "fits" and "nothing fits" are reached.
    const int bound = static_cast<int>(size % 4096);
    const pavilion::iiif::ImageRequest request = pavilion::iiif::plan_full_image(*info, bound, bound / 2);
    if (request.pieces.empty()) std::abort();
    for (const auto& piece : request.pieces) {
      if (piece.x < 0 || piece.y < 0 || piece.width <= 0 || piece.height <= 0) std::abort();
    }
  }

  static const std::filesystem::path empty_folder = [] {
    const auto folder = std::filesystem::temp_directory_path() / "pavilion-fuzz-iiif-empty";
    std::filesystem::create_directories(folder);
    return folder;
  }();
  findings.clear();
  const auto book = pavilion::iiif::parse_scan_folder(text, empty_folder / "book.json", empty_folder, findings);
  // An empty folder holds no scans: every description is refused, with findings.
  if (book || !pavilion::checking::has_errors(findings)) std::abort();
  return 0;
}

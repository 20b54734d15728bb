// libFuzzer target: any text as a IIIF manifest. The reader must report findings, never crash,
// and never return a manifest alongside an error.
#include "pavilion/iiif/manifest.h"

#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::vector<pavilion::checking::Finding> findings;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const std::optional<pavilion::iiif::Manifest> manifest =
      pavilion::iiif::parse_manifest(text, "/nonexistent/manifest.json", findings);
  if (manifest && pavilion::checking::has_errors(findings)) std::abort();
  if (manifest) {
    // The openings of whatever was read: the kiosk computes them from the same model.
    static_cast<void>(pavilion::book::compute_openings(manifest->page_sequence()));
  }
  return 0;
}

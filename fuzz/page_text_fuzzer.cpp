// libFuzzer target: any bytes as ALTO and as hOCR, at the source's own size and scaled to an
// image. The readers must return a page or a sentence, never crash, and keep lines in order.
#include "pavilion/page_text/page_text.h"

#include <cstdlib>

namespace {

void check(const pavilion::Result<pavilion::page_text::PageText>& page) {
  if (!page) return;
  for (size_t index = 0; index < page->lines.size(); ++index) {
    if (page->lines[index].reading_order != index) std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace pavilion::page_text;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  // Small limits, so the fuzzer reaches them with small inputs.
  ReadLimits limits;
  limits.element_depth = 16;
  limits.elements = 2000;
  limits.text_bytes = 4096;
  for (const PixelSize image : {PixelSize{}, PixelSize{777, 555}}) {
    check(read_alto(text, "/nonexistent/page.xml", image, limits));
    check(read_hocr(text, "/nonexistent/page.hocr", image, limits));
  }
  return 0;
}

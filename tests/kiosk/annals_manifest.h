// Books with a table of contents for the book suites (headset_book_test.cpp,
// headset_book_allocation_test.cpp, kiosk_book_test.cpp): IIIF manifests' canvases, and the
// headset's annals.
#pragma once

#include <fmt/format.h>

#include <array>
#include <cstddef>
#include <string>

namespace pavilion::testing {

// `count` IIIF Presentation 3 canvases, 300 × 400, c1 … cN, painted with scans/p1.png … pN.png:
// a manifest's "items", without its brackets.
inline std::string painted_canvases(int count) {
  std::string canvases;
  for (int page = 1; page <= count; ++page) {
    canvases += fmt::format(R"({}{{"id": "https://library.example/c{}", "type": "Canvas", "width": 300, "height": 400,
      "items": [{{"id": "https://library.example/c{}/p", "type": "AnnotationPage", "items": [
        {{"id": "https://library.example/c{}/a", "type": "Annotation", "motivation": "painting", "target": "https://library.example/c{}",
         "body": {{"id": "https://library.example/scans/p{}.png", "type": "Image", "format": "image/png", "width": 300, "height": 400}}}}]}}]}})",
                            page == 1 ? "" : ",", page, page, page, page, page);
  }
  return canvases;
}

// The annals, a IIIF manifest of ten canvases painted with p1.png … p10.png (openings: 1 alone,
// then 2–3, 4–5, 6–7, 8–9, 10 alone), and a table of contents of ten ranges, more than the eight
// listed at once: 卷一 Volume one (canvases 1–3); 卷二 Volume two, with no canvas of its own,
// and its children 序 Preface (4) and 正文 Main text (6–7); then 图一 Plate one … 图六 Plate six
// on canvases 8, 9, 10, 2, 3, 10.
inline std::string annals_manifest() {
  const std::string canvases = painted_canvases(10);
  const auto range = [](int number, const char* zh, const char* en, const std::string& items) {
    return fmt::format(R"({{"id": "https://library.example/r{}", "type": "Range", "label": {{"zh": ["{}"], "en": ["{}"]}}, "items": [{}]}})",
                       number, zh, en, items);
  };
  const auto canvas = [](int page) { return fmt::format(R"({{"id": "https://library.example/c{}", "type": "Canvas"}})", page); };
  std::string structures = range(1, "卷一", "Volume one", canvas(1) + "," + canvas(2) + "," + canvas(3)) + "," +
                           range(2, "卷二", "Volume two",
                                 range(3, "序", "Preface", canvas(4)) + "," + range(4, "正文", "Main text", canvas(6) + "," + canvas(7)));
  const std::array<const char*, 6> numerals{"一", "二", "三", "四", "五", "六"};
  const std::array<const char*, 6> numbers{"one", "two", "three", "four", "five", "six"};
  const std::array<int, 6> plates{8, 9, 10, 2, 3, 10};
  for (size_t plate = 0; plate < plates.size(); ++plate) {
    structures += "," + range(static_cast<int>(plate) + 5, fmt::format("图{}", numerals[plate]).c_str(),
                              fmt::format("Plate {}", numbers[plate]).c_str(), canvas(plates[plate]));
  }
  return fmt::format(R"({{"@context": "http://iiif.io/api/presentation/3/context.json",
  "id": "https://library.example/annals", "type": "Manifest", "label": {{"zh": ["史记"], "en": ["Annals"]}},
  "behavior": ["paged"], "viewingDirection": "left-to-right", "items": [{}], "structures": [{}]}})",
                     canvases, structures);
}

}  // namespace pavilion::testing

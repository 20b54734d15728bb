#include "pavilion/iiif/page_note.h"

#include <array>
#include <cstddef>

namespace pavilion::iiif {

std::optional<TextAnnotation> read_page_note(checking::JsonChecker& check, const nlohmann::json& note, const std::string& path) {
  using checking::JsonChecker;
  const auto motivation = check.string_field(note, path, "motivation", true);
  const auto text = check.string_field(note, path, "text", true);
  const auto language = check.string_field(note, path, "language", false);
  // Only what the kiosk draws as a layer: a painting or a transcription here would be kept and
  // never seen.
  const bool layered = motivation && (*motivation == "commenting" || *motivation == "supplementing" ||
                                      *motivation == "tagging" || *motivation == "identifying");
  if (motivation && !layered) {
    check.error(JsonChecker::join(path, "motivation"),
                "must be commenting or supplementing (commentary) or tagging or identifying (a seal)",
                "必须是 commenting 或 supplementing（批注），或 tagging 或 identifying（印章）");
  }
  // Read through the array itself: GCC's -Wnull-dereference sees a null array behind the json's
  // own iterators and operator[] once they are inlined here.
  std::array<double, 4> at{};
  const auto region = note.find("region");
  bool region_ok = region != note.end() && region->is_array();
  if (region_ok) {
    const auto& values = region->get_ref<const nlohmann::json::array_t&>();
    region_ok = values.size() == at.size();
    for (size_t i = 0; region_ok && i < at.size(); ++i) {
      region_ok = values[i].is_number() && values[i].get<double>() >= 0;
      if (region_ok) at[i] = values[i].get<double>();
    }
  }
  region_ok = region_ok && at[2] > 0 && at[3] > 0;
  if (!region_ok) {
    check.error(JsonChecker::join(path, "region"), "must be [x, y, width, height] in the page's pixels, width and height above 0",
                "必须是以页面像素计的 [x, y, 宽, 高]，宽和高大于 0");
  }
  if (!layered || !text || !region_ok) return std::nullopt;
  return TextAnnotation{*motivation, *text, language.value_or(""), "text/plain", Region{at[0], at[1], at[2], at[3]}};
}

}  // namespace pavilion::iiif

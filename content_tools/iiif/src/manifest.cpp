#include "pavilion/iiif/manifest.h"

#include "reader.h"

#include <fmt/format.h>

#include <algorithm>

namespace pavilion::iiif {
namespace {

// Presentation 3 or 2 by the @context (a URI, or a list holding one among others); 0 for neither.
int presentation_version(const nlohmann::json& root) {
  const auto context = root.find("@context");
  if (context == root.end()) return 0;
  int version = 0;
  const auto look = [&](const nlohmann::json& value) {
    if (!value.is_string()) return;
    const std::string& uri = value.get_ref<const std::string&>();
    if (uri.find("iiif.io/api/presentation/3") != std::string::npos) version = 3;
    if (uri.find("iiif.io/api/presentation/2") != std::string::npos && version == 0) version = 2;
  };
  if (context->is_array()) {
    for (const auto& value : *context) look(value);
  } else {
    look(*context);
  }
  return version;
}

// A book needs page images: a manifest with no pages, or whose pages hold only sound, video or
// nothing, is refused whole rather than shown as a book of blank placeholders.
void refuse_if_not_a_book(const Manifest& manifest, detail::Reader& reader) {
  const std::string items = manifest.presentation_version == 2 ? "sequences[0].canvases" : "items";
  if (manifest.canvases.empty()) {
    reader.error(items, "this manifest has no pages (canvases); a book needs page images",
                 "此清单没有书页（canvas）；一本书需要书页图像");
    return;
  }
  const bool any_image = std::any_of(manifest.canvases.begin(), manifest.canvases.end(),
                                     [](const Canvas& canvas) { return !canvas.placeholder(); });
  if (any_image) return;
  if (reader.time_based_seen) {
    reader.error(
        items,
        "this manifest holds sound or video, not pictures; a book needs page images, so it cannot be shown as one",
        "此清单包含的是声音或视频，而不是图片；一本书需要书页图像，因此无法作为书展示");
  } else {
    reader.error(items, "none of this manifest's pages has an image; a book needs page images",
                 "此清单的书页都没有图像；一本书需要书页图像");
  }
}

}  // namespace

const std::vector<std::string>* LanguageMap::find(std::string_view language) const {
  for (const Entry& entry : entries) {
    if (entry.language == language) return &entry.values;
  }
  return nullptr;
}

std::string LanguageMap::best(std::string_view language) const {
  const auto first_of = [](const Entry& entry) { return entry.values.empty() ? std::string() : entry.values.front(); };
  if (const auto* exact = find(language)) return exact->empty() ? std::string() : exact->front();
  // "zh-CN" and "zh-Hant" are both read by a reader of "zh": compare the language before any region or script.
  const std::string_view base = language.substr(0, language.find('-'));
  for (const Entry& entry : entries) {
    if (std::string_view(entry.language).substr(0, entry.language.find('-')) == base) return first_of(entry);
  }
  if (const auto* none = find("none")) return none->empty() ? std::string() : none->front();
  return entries.empty() ? std::string() : first_of(entries.front());
}

book::PageSequence Manifest::page_sequence() const {
  book::PageSequence sequence;
  sequence.direction = viewing_direction;
  sequence.layout = layout;
  for (const Canvas& canvas : canvases) sequence.pages.push_back(canvas.behavior);
  return sequence;
}

std::optional<Manifest> parse_manifest(std::string_view text, const std::filesystem::path& file,
                                       std::vector<checking::Finding>& findings) {
  const size_t first_finding = findings.size();
  const std::optional<nlohmann::json> root = checking::parse_json_object(
      text, file, findings, "a IIIF manifest must hold one object { … }", "IIIF 清单必须包含一个对象 { … }");
  if (!root) return std::nullopt;
  detail::Reader reader(file, findings);
  std::optional<Manifest> manifest;
  switch (presentation_version(*root)) {
    case 3:
      manifest = detail::read_presentation3(*root, reader);
      break;
    case 2:
      manifest = detail::read_presentation2(*root, reader);
      break;
    default:
      reader.error("@context",
                   "this is not a IIIF Presentation 2 or 3 manifest: its @context must name "
                   "http://iiif.io/api/presentation/3/context.json or http://iiif.io/api/presentation/2/context.json",
                   "这不是 IIIF Presentation 2 或 3 清单：其 @context 必须是 "
                   "http://iiif.io/api/presentation/3/context.json 或 http://iiif.io/api/presentation/2/context.json");
      return std::nullopt;
  }
  if (!manifest) return std::nullopt;
  refuse_if_not_a_book(*manifest, reader);
  if (reader.has_errors()) return std::nullopt;
  for (size_t index = first_finding; index < findings.size(); ++index) manifest->warnings.push_back(findings[index]);
  return manifest;
}

Result<Manifest> read_manifest(const std::filesystem::path& file) {
  return checking::read_json_file(file, parse_manifest);
}

}  // namespace pavilion::iiif

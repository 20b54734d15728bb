// A multi-part collection's volumes joined into one book (manifest.h: join_volumes).
#include "pavilion/iiif/manifest.h"

#include <fmt/format.h>

#include <cassert>

namespace pavilion::iiif {
namespace {

std::string_view direction_name(book::ViewingDirection direction) {
  switch (direction) {
    case book::ViewingDirection::left_to_right:
      return "left-to-right";
    case book::ViewingDirection::right_to_left:
      return "right-to-left";
    case book::ViewingDirection::top_to_bottom:
      return "top-to-bottom";
    case book::ViewingDirection::bottom_to_top:
      return "bottom-to-top";
  }
  return "left-to-right";
}

void renumber(Range& range, size_t first_page) {
  for (size_t& canvas : range.canvases) canvas += first_page;
  for (Range& child : range.children) renumber(child, first_page);
}

template <class T>
const T& unless_empty(const T& collection, const T& first_volume) {
  return collection.empty() ? first_volume : collection;
}

}  // namespace

Manifest join_volumes(const MultiPartCollection& collection, std::vector<Manifest> volumes,
                      const std::filesystem::path& file) {
  assert(!volumes.empty() && volumes.size() == collection.volumes.size());
  Manifest joined;
  const Manifest& first = volumes.front();
  joined.presentation_version = collection.presentation_version;
  joined.id = collection.id;
  joined.label = unless_empty(collection.label, first.label);
  joined.summary = unless_empty(collection.summary, first.summary);
  joined.metadata = unless_empty(collection.metadata, first.metadata);
  joined.required_statement = collection.required_statement ? collection.required_statement : first.required_statement;
  joined.rights = unless_empty(collection.rights, first.rights);
  joined.provider = unless_empty(collection.provider, first.provider);
  joined.viewing_direction = collection.viewing_direction.value_or(first.viewing_direction);
  joined.viewing_direction_given = collection.viewing_direction.has_value() || first.viewing_direction_given;
  joined.layout = first.layout;
  joined.start_canvas = first.start_canvas;
  joined.thumbnails = first.thumbnails;
  joined.warnings = collection.warnings;

  for (size_t index = 0; index < volumes.size(); ++index) {
    Manifest& volume = volumes[index];
    const Volume& named = collection.volumes[index];
    const std::string prefix = fmt::format("volumes[{}] ({})", index, named.id);
    for (checking::Finding& warning : volume.warnings) {
      warning.location = warning.location.empty() ? prefix : fmt::format("{}: {}", prefix, warning.location);
      joined.warnings.push_back(std::move(warning));
    }
    // A volume bound the other way cannot be turned so within one book: it is read the book's way.
    if (volume.viewing_direction_given && volume.viewing_direction != joined.viewing_direction) {
      const std::string_view says = direction_name(volume.viewing_direction);
      const std::string_view read = direction_name(joined.viewing_direction);
      joined.warnings.push_back(
          {checking::Finding::Severity::warning, file, prefix,
           fmt::format("this volume reads {}, but the book is read {}, as its {} says; it is read {} too", says, read,
                       collection.viewing_direction ? "collection" : "first volume", read),
           fmt::format("此分册的阅读方向是 {}，但全书按{}所写的 {} 阅读；此分册也按 {} 阅读", says,
                       collection.viewing_direction ? "集合" : "第一册", read, read)});
    }

    const size_t first_page = joined.canvases.size();
    Range part{volume.id.empty() ? named.id : volume.id, volume.label.empty() ? named.label : volume.label, {}, {}};
    if (volume.ranges.empty()) {
      for (size_t page = 0; page < volume.canvases.size(); ++page) part.canvases.push_back(first_page + page);
    } else {
      for (Range& range : volume.ranges) {
        renumber(range, first_page);
        part.children.push_back(std::move(range));
      }
    }
    joined.ranges.push_back(std::move(part));
    for (Link& link : volume.see_also) joined.see_also.push_back(std::move(link));
    for (Canvas& canvas : volume.canvases) joined.canvases.push_back(std::move(canvas));
  }
  return joined;
}

}  // namespace pavilion::iiif

// A note written by hand on a page rather than in a manifest: a folder of scans' book.json
// (`pages.<scan>.annotations`) and scene.json's book `annotations` (pack) read the same fields
// with the same sentences, so a curator who has written one kind can write the other.
#pragma once

#include "pavilion/checking/json_checker.h"
#include "pavilion/iiif/manifest.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace pavilion::iiif {

// The fields the kiosk's layers draw, from `note` (an object whose other fields, and the check for
// misspelt ones, are the caller's): "motivation", commenting or supplementing (commentary) or
// tagging or identifying (a seal); "region", [x, y, width, height] in the page's pixels, width and
// height above 0; "text", the commentary or the seal's legend; and "language", a BCP 47 tag, if
// given. A plain-text annotation targeting that region; nothing, with an error at `path`.<field>
// in English and Chinese for each field missing or wrong.
std::optional<TextAnnotation> read_page_note(checking::JsonChecker& check, const nlohmann::json& note, const std::string& path);

}  // namespace pavilion::iiif

// A generated page for the deep-zoom tests and benchmark: a 2048 × 2048 synthetic scan (brush
// strokes in columns, red rules, a seal) cut into a BC1 pyramid by content_tools/pyramid, shown
// twice side by side as a spread of 2 m pages, and the views that see it whole or at 1:1.
#pragma once

#include "pavilion/pyramid/page_tile_source.h"
#include "pavilion/render/page_tiles.h"
#include "pavilion/render/view.h"
#include "pavilion/support/synthetic_scan.h"

#include <glm/gtc/matrix_transform.hpp>

#include <cmath>
#include <filesystem>
#include <memory>
#include <string>
#include <unistd.h>

namespace pavilion::testing {

inline constexpr uint32_t page_pixels = 2048;
inline constexpr float page_metres = 2.0f;
inline constexpr float page_vertical_fov = 1.0471976f;  // 60°

// Tiles the scan into `folder` and returns both pages of the spread (the same scan twice).
inline Result<std::shared_ptr<const pyramid::StoredPageTileSource>> make_spread_source(
    const std::filesystem::path& folder, pyramid::TileEncoding encoding = pyramid::TileEncoding::bc1) {
  std::filesystem::create_directories(folder);
  const std::filesystem::path scan = folder / "page.png";
  PV_TRY(support::write_synthetic_scan(scan, support::ScanFile::png, page_pixels, page_pixels, 7));
  const pyramid::PyramidOptions options{.encoding = encoding, .threads = 2};
  pyramid::TileStore store(folder / "blobs");
  PV_TRY_ASSIGN(pyramid::PageTiles tiles, pyramid::tile_page(scan, options, store));
  std::vector<pyramid::PageTiles> pages{tiles, tiles};
  PV_TRY_ASSIGN(auto source, pyramid::StoredPageTileSource::create(folder / "blobs", std::move(pages), options));
  return std::make_shared<const pyramid::StoredPageTileSource>(std::move(source));
}

// Page 0 on the left, page 1 on the right, meeting at x = 0, facing +Z.
inline render::PagePlacement spread_placement(uint32_t page) {
  render::PagePlacement placement;
  placement.transform = glm::translate(glm::mat4(1.0f), glm::vec3(page == 0 ? -1.0f : 1.0f, 0.0f, 0.0f));
  placement.size = glm::vec2(page_metres);
  return placement;
}

inline render::FieldOfView page_field_of_view(uint32_t width, uint32_t height) {
  return render::symmetric_field_of_view(page_vertical_fov, static_cast<float>(width) / static_cast<float>(height));
}

// The whole spread in view.
inline render::View spread_view(uint32_t width, uint32_t height) {
  return render::look_at_view({0.0f, 0.0f, 3.2f}, {0.0f, 0.0f, 0.0f}, page_field_of_view(width, height));
}

// Looking straight at `point` of the spread from where a screen pixel spans 0.98 of a scan pixel:
// level 0, at 1:1. `eye_offset` moves the eye sideways (a headset's eyes).
inline render::View one_to_one_view(uint32_t width, uint32_t height, glm::vec2 point, float eye_offset = 0.0f) {
  const float pixels_per_tangent = 0.5f * static_cast<float>(height) / std::tan(0.5f * page_vertical_fov);
  const float distance = 0.98f * pixels_per_tangent * page_metres / static_cast<float>(page_pixels);
  const glm::vec3 eye(point.x + eye_offset, point.y, distance);
  return render::look_at_view(eye, eye - glm::vec3(0.0f, 0.0f, 1.0f), page_field_of_view(width, height));
}

inline std::filesystem::path page_tiles_folder(const std::string& name) {
  return std::filesystem::temp_directory_path() / ("pavilion-" + name + "-" + std::to_string(::getpid()));
}

}  // namespace pavilion::testing

// Exhibit thumbnails: small pictures pavilion-pack renders of each exhibit, for a kiosk's menu.
// Each is a blob of kind `thumbnail` holding the exhibit's id and RGBA8 pixels (FORMAT.md), so
// a package without them (or a reader that ignores them) loses nothing else.
#pragma once

#include "pavilion/core/error.h"
#include "pavilion/core/image.h"
#include "pavilion/package/reader.h"
#include "pavilion/scene/scene.h"

#include <string>
#include <vector>

namespace pavilion::scene {

inline constexpr uint32_t thumbnail_width = 320;
inline constexpr uint32_t thumbnail_height = 180;

// Eye heights for framing exhibits: a standing adult's, and a seated visitor's (a wheelchair
// user, or a headset worn sitting down).
inline constexpr float standing_eye_height = 1.55f;
inline constexpr float seated_eye_height = 1.15f;

struct Thumbnail {
  std::string exhibit_id;
  ImageRgba8 image;  // sRGB-encoded
};

std::vector<std::byte> encode_thumbnail(const Thumbnail& thumbnail);
Result<Thumbnail> decode_thumbnail(std::span<const std::byte> bytes);

// Every thumbnail blob in the package, read and checked. A damaged one fails the whole read.
Result<std::vector<Thumbnail>> read_thumbnails(const package::PackageReader& package);

// Where a camera stands to show one exhibit: facing it from the side the scene's first viewpoint
// is on, turned by `yaw` radians around it, far enough to see all of it, at `eye_height`
// (or just above the exhibit when that is higher).
struct ExhibitFraming {
  glm::vec3 eye{0.0f};
  glm::vec3 target{0.0f};
  glm::vec3 right{1.0f, 0.0f, 0.0f};  // the camera's right, level with the floor
  float distance = 1.0f;
};
ExhibitFraming frame_exhibit(const Exhibit& exhibit, const std::vector<Viewpoint>& viewpoints, float yaw,
                             float eye_height);

}  // namespace pavilion::scene

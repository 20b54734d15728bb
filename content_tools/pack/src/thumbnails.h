// Thumbnails of a package's exhibits, drawn by the engine's renderer from the package itself, so
// a kiosk's menu shows each exhibit as the visitor will see it.
#pragma once

#include "pavilion/core/error.h"
#include "pavilion/scene/thumbnail.h"

#include <filesystem>
#include <vector>

namespace pavilion::pack {

// One thumbnail per exhibit a visitor can choose (sounds have none), from the unsigned package
// at `path`. Fails when no Vulkan device can be had (the caller builds without thumbnails).
Result<std::vector<scene::Thumbnail>> render_thumbnails(const std::filesystem::path& path);

}  // namespace pavilion::pack

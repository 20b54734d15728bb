// Reading scene.json's "particles" (scenes/README.md documents it): named particle systems, each
// checked at its JSON path.
#pragma once

#include "pavilion/checking/json_checker.h"
#include "pavilion/pack/scene_source.h"

namespace pavilion::pack {

// Reads root["particles"], when there is one, into source.particles. Every problem is recorded in
// `check` at its JSON path, in English and Chinese.
void parse_particles(checking::JsonChecker& check, const nlohmann::json& root, SceneSource& source);

// The index of the system named `name`, or nothing (after an error at `field` listing the names).
std::optional<uint32_t> find_particle_system(checking::JsonChecker& check, const SceneSource& source,
                                             const std::string& field, const std::string& name);

}  // namespace pavilion::pack

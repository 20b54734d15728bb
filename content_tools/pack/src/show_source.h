// Reading scene.json's "show" (scenes/README.md documents it): its tracks of cues, its emitters
// and its interactive moments, each checked at its JSON path.
#pragma once

#include "pavilion/checking/json_checker.h"
#include "pavilion/pack/scene_source.h"

namespace pavilion::pack {

// Reads root["show"], when there is one, into source.show; the exhibits must have been read.
// Every problem is recorded in `check` at its JSON path, in English and Chinese.
void parse_show(checking::JsonChecker& check, const nlohmann::json& root, SceneSource& source);

}  // namespace pavilion::pack

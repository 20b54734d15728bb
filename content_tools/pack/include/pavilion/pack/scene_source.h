// A curator's scene source: scenes/<name>/scene.json (scenes/README.md documents it, and
// scenes/schema/scene.schema.json describes it for editors), read and checked.
#pragma once

#include "pavilion/config/json_checker.h"
#include "pavilion/core/error.h"
#include "pavilion/scene/render_scene.h"
#include "pavilion/scene/scene.h"

#include <glm/glm.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace pavilion::pack {

// A problem in a source, with where it is: the file, and a JSON path or a line and column.
using Finding = config::Finding;

struct Placement {
  glm::vec3 position{0.0f};
  glm::vec3 rotation_degrees{0.0f};  // applied as yaw (Y), then pitch (X), then roll (Z)
  float scale = 1.0f;
  scene::NodeTransform node_transform() const;
};

struct ExhibitSource {
  std::string id;
  std::string json_path;  // "exhibits[2]", for findings
  scene::ExhibitKind kind = scene::ExhibitKind::model;
  Placement placement;
  scene::DublinCore metadata;
  scene::LocalizedText alt_text;
  std::filesystem::path model;  // model: any format Assimp reads
  std::filesystem::path image;  // panel: PNG, JPEG or TIFF
  glm::vec2 panel_size{1.0f, 1.0f};  // panel: metres
  scene::LocalizedText panel_text;
  float radius = 0.5f;          // hotspot: metres
  std::filesystem::path sound;  // audio: WAV, FLAC, Ogg Vorbis or Opus
  bool loop = false;
  float volume = 1.0f;
};

struct SceneSource {
  std::filesystem::path directory;
  std::filesystem::path file;  // directory / "scene.json"
  std::string id;
  std::string version;
  scene::LocalizedText title;
  scene::DirectionalLight light;
  scene::Environment environment;
  std::vector<scene::Viewpoint> viewpoints;
  std::vector<scene::CameraPath> camera_paths;
  std::vector<ExhibitSource> exhibits;
  std::vector<Finding> warnings;  // problems that do not stop a build; lint reports them
};

// Reads <directory>/scene.json. Fails with every error found (not only the first), each with its
// place; warnings (a missing translation, an unknown field) are kept in the result.
Result<SceneSource> read_scene_source(const std::filesystem::path& directory);

// Parses scene.json text (for the fuzzer and tests); `file` only names it in findings. Returns
// the findings through `findings` and a source when there were no errors.
std::optional<SceneSource> parse_scene_source(std::string_view text, const std::filesystem::path& file,
                                              std::vector<Finding>& findings);

}  // namespace pavilion::pack

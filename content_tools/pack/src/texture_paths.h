// Finding the image a model's texture path names. Exported models carry paths from the machine
// they were made on (`C:\Users\…\Desktop\bunker.jpg`, `Textures\albedo.png`, `Q:/…/earth.jpg`,
// another letter case), and a curator cannot edit a binary FBX; modelling tools resolve such
// paths, and so does the pack tool.
#pragma once

#include <filesystem>
#include <optional>
#include <string_view>
#include <vector>

namespace pavilion::pack {

class TexturePathResolver {
 public:
  explicit TexturePathResolver(std::filesystem::path model_folder) : folder_(std::move(model_folder)) {}

  // The file `reference` names, tried in this order: the path as written (relative to the model's
  // folder); with backslashes as separators, a drive letter or absolute prefix dropped and letter
  // case ignored, as a whole and then without its leading folders; at last its file name
  // anywhere under the model's folder (the shallowest, then the first by name). A path naming a
  // folder names no file. nullopt when none is found.
  std::optional<std::filesystem::path> find(std::string_view reference);

 private:
  std::optional<std::filesystem::path> find_one(std::string_view reference);
  const std::vector<std::filesystem::path>& files_under_folder();

  std::filesystem::path folder_;
  std::optional<std::vector<std::filesystem::path>> files_;  // listed when first needed
};

}  // namespace pavilion::pack

#include "pavilion/ui/fonts.h"

#include <fmt/format.h>
#include <imgui_freetype.h>

namespace pavilion::ui {

FontFace body_face() { return {"/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2}; }

FontFace title_face() { return {"/usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf", 0}; }

Result<void> check_face(const FontFace& face) {
  std::error_code error;
  if (!std::filesystem::is_regular_file(face.file, error)) {
    return Error(ErrorCode::not_found, "loading the interface's fonts",
                 fmt::format("{} is missing; install Debian's fonts-noto-cjk and fonts-lxgw-wenkai packages "
                             "(scripts/setup does)", face.file.string()));
  }
  return {};
}

void configure_atlas(ImFontAtlas& atlas) {
  atlas.FontBuilderIO = ImGuiFreeType::GetBuilderForFreeType();
  atlas.FontBuilderFlags = ImGuiFreeTypeBuilderFlags_LightHinting;
}

ImFontConfig face_config(const FontFace& face) {
  ImFontConfig config;
  config.FontNo = face.collection_index;
  config.OversampleH = 1;  // FreeType hints and antialiases itself
  config.OversampleV = 1;
  return config;
}

Result<ImFont*> add_face(ImFontAtlas& atlas, const FontFace& face, float pixels, const ImWchar* ranges) {
  const ImFontConfig config = face_config(face);
  ImFont* font = atlas.AddFontFromFileTTF(face.file.c_str(), pixels, &config, ranges);
  if (font == nullptr) {
    return Error(ErrorCode::io, "loading the interface's fonts", fmt::format("{} could not be read", face.file.string()));
  }
  return font;
}

}  // namespace pavilion::ui

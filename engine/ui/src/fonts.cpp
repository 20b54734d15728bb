#include "pavilion/ui/fonts.h"

#include <fmt/format.h>

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

}  // namespace pavilion::ui

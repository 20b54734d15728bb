// Text in the two languages every visitor-facing string has (BCP 47 tags zh-CN and en): an
// exhibit's label in a scene, a library's name in a kiosk's settings. It lives in core so that
// whatever reads or shows such text (config, scene, ui, the apps) needs no module above it.
#pragma once

#include <string>

namespace pavilion {

struct LocalizedText {
  std::string zh_cn;
  std::string en;
  friend bool operator==(const LocalizedText&, const LocalizedText&) = default;
};

}  // namespace pavilion

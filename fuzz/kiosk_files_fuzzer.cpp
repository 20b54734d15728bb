// libFuzzer target: any text as an operator's kiosk.json or a visit script (the first byte picks
// which). The parsers must report findings, never crash.
#include "pavilion/kiosk/config.h"
#include "pavilion/kiosk/script.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::vector<pavilion::checking::Finding> findings;
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (data[0] % 2 == 0) {
    static_cast<void>(pavilion::kiosk::parse_kiosk_config(text, "/nonexistent/kiosk.json", findings));
  } else {
    static_cast<void>(pavilion::kiosk::parse_visit_script(text, "/nonexistent/visit.json", findings));
  }
  return 0;
}

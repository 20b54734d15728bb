#include "keep_loaded.h"

#include <dlfcn.h>

#include <initializer_list>

namespace pavilion::testing {

void keep_gpu_libraries_loaded() {
  // Absent libraries (another driver, no validation layer) are simply skipped.
  for (const char* library : {"libvulkan_lvp.so", "libVkLayer_khronos_validation.so",
                              "/usr/lib/x86_64-linux-gnu/openxr/1/api_layers/libXrApiLayer_core_validation.so"}) {
    dlopen(library, RTLD_NOW | RTLD_NODELETE);
  }
}

}  // namespace pavilion::testing

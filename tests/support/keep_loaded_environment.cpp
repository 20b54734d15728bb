// For test binaries that reach the GPU through the code under test (pavilion-pack drawing
// thumbnails, the kiosk) rather than through GpuTest: keeps the driver mapped for
// LeakSanitizer from the start of the run (see keep_loaded.h).
#include "keep_loaded.h"

#include <gtest/gtest.h>

namespace {

class KeepGpuLibrariesLoaded : public ::testing::Environment {
 public:
  void SetUp() override { pavilion::testing::keep_gpu_libraries_loaded(); }
};

[[maybe_unused]] const ::testing::Environment* const keep_loaded =
    ::testing::AddGlobalTestEnvironment(new KeepGpuLibrariesLoaded);

}  // namespace

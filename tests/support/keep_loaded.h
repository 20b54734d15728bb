#pragma once

namespace pavilion::testing {

// The Vulkan and OpenXR loaders unload drivers and layers when the last instance goes, before the
// process exits; LeakSanitizer then reports their start-up allocations without module names, which no
// suppression can match. Opening them once more with RTLD_NODELETE keeps them mapped until exit,
// so their reports name them and tests/sanitizers/lsan.supp applies. Harmless without sanitizers.
void keep_gpu_libraries_loaded();

}  // namespace pavilion::testing

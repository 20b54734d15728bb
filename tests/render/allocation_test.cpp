// No heap allocation per frame in steady state: counted by replacing the global operator new in
// this test binary (its own process, so no other test sees the counter).
#include "keep_loaded.h"
#include "pavilion/procedural/test_scenes.h"
#include "pavilion/render/context.h"
#include "pavilion/render/offscreen_target.h"
#include "pavilion/render/renderer.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cstddef>
#include <cstdlib>
#include <new>

namespace {
std::atomic<bool> counting{false};
std::atomic<size_t> allocations{0};

void* counted_allocation(size_t size, size_t alignment = alignof(std::max_align_t)) {
  if (counting.load(std::memory_order_relaxed)) allocations.fetch_add(1, std::memory_order_relaxed);
  size = size ? size : 1;
  void* memory = alignment <= alignof(std::max_align_t)
                     ? std::malloc(size)
                     : std::aligned_alloc(alignment, (size + alignment - 1) / alignment * alignment);
  return memory;
}

void* counted_allocation_or_throw(size_t size, size_t alignment = alignof(std::max_align_t)) {
  if (void* memory = counted_allocation(size, alignment)) return memory;
  throw std::bad_alloc();
}
}  // namespace

// Every form of the global operator new and delete, so that no allocation bypasses the count
// and every block is freed by the allocator that made it (AddressSanitizer checks).
void* operator new(size_t size) { return counted_allocation_or_throw(size); }
void* operator new[](size_t size) { return counted_allocation_or_throw(size); }
void* operator new(size_t size, const std::nothrow_t&) noexcept { return counted_allocation(size); }
void* operator new[](size_t size, const std::nothrow_t&) noexcept { return counted_allocation(size); }
void* operator new(size_t size, std::align_val_t alignment) {
  return counted_allocation_or_throw(size, static_cast<size_t>(alignment));
}
void* operator new[](size_t size, std::align_val_t alignment) {
  return counted_allocation_or_throw(size, static_cast<size_t>(alignment));
}
void* operator new(size_t size, std::align_val_t alignment, const std::nothrow_t&) noexcept {
  return counted_allocation(size, static_cast<size_t>(alignment));
}
void* operator new[](size_t size, std::align_val_t alignment, const std::nothrow_t&) noexcept {
  return counted_allocation(size, static_cast<size_t>(alignment));
}
void operator delete(void* memory) noexcept { std::free(memory); }
void operator delete[](void* memory) noexcept { std::free(memory); }
void operator delete(void* memory, size_t) noexcept { std::free(memory); }
void operator delete[](void* memory, size_t) noexcept { std::free(memory); }
void operator delete(void* memory, const std::nothrow_t&) noexcept { std::free(memory); }
void operator delete[](void* memory, const std::nothrow_t&) noexcept { std::free(memory); }
void operator delete(void* memory, std::align_val_t) noexcept { std::free(memory); }
void operator delete[](void* memory, std::align_val_t) noexcept { std::free(memory); }
void operator delete(void* memory, size_t, std::align_val_t) noexcept { std::free(memory); }
void operator delete[](void* memory, size_t, std::align_val_t) noexcept { std::free(memory); }
void operator delete(void* memory, std::align_val_t, const std::nothrow_t&) noexcept { std::free(memory); }
void operator delete[](void* memory, std::align_val_t, const std::nothrow_t&) noexcept { std::free(memory); }

namespace pavilion::render {
namespace {

TEST(RenderFrameAllocations, SteadyStateFramesAllocateNothing) {
  testing::keep_gpu_libraries_loaded();
  // Without the validation layer, whose own bookkeeping allocates per call.
  auto context = GpuContext::create({});
  ASSERT_TRUE(context.ok()) << context.error().describe();
  auto renderer = Renderer::create(**context, {.shadow_map_size = 256});
  ASSERT_TRUE(renderer.ok());
  const auto field = procedural::instance_field(2'000);
  ASSERT_TRUE((*renderer)->load_scene(field.scene).ok());
  auto target = OffscreenTarget::create(**context, {64, 48});
  ASSERT_TRUE(target.ok());
  const View view = procedural::camera_view(field.camera, 64.0f / 48.0f);
  for (int frame = 0; frame < 4; ++frame) ASSERT_TRUE((*renderer)->render(**target, {&view, 1}).ok());

  counting = true;
  for (int frame = 0; frame < 20; ++frame) {
    const auto outcome = (*renderer)->render(**target, {&view, 1});
    if (!outcome.ok()) {
      counting = false;
      FAIL() << outcome.error().describe();
    }
  }
  counting = false;
  ASSERT_TRUE((*renderer)->wait_idle().ok());
  EXPECT_EQ(allocations.load(), 0u) << "operator new was called during steady-state frames";
  EXPECT_GT((*renderer)->last_frame_stats().visible_instances, 100u);
}

}  // namespace
}  // namespace pavilion::render

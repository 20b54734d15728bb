#include "gpu_test.h"
#include "memory.h"
#include "resources.h"

#include <gtest/gtest.h>

namespace pavilion::render {
namespace {

TEST(RenderRangeAllocator, AlignsAndPacks) {
  RangeAllocator ranges(1024);
  EXPECT_EQ(ranges.allocate(10, 1), 0u);
  EXPECT_EQ(ranges.allocate(16, 256), 256u) << "aligned past the first range";
  EXPECT_EQ(ranges.allocate(100, 4), 12u) << "the gap before the aligned range is reused";
  EXPECT_EQ(ranges.used(), 126u);
}

TEST(RenderRangeAllocator, RefusesWhatDoesNotFit) {
  RangeAllocator ranges(256);
  EXPECT_TRUE(ranges.allocate(200, 1).has_value());
  EXPECT_FALSE(ranges.allocate(100, 1).has_value());
  EXPECT_TRUE(ranges.allocate(56, 1).has_value());
  EXPECT_FALSE(ranges.allocate(1, 1).has_value());
}

TEST(RenderRangeAllocator, FreedNeighboursMergeBackIntoOneRange) {
  RangeAllocator ranges(300);
  const auto a = *ranges.allocate(100, 1);
  const auto b = *ranges.allocate(100, 1);
  const auto c = *ranges.allocate(100, 1);
  ranges.free(a, 100);
  ranges.free(c, 100);
  EXPECT_EQ(ranges.free_range_count(), 2u);
  EXPECT_FALSE(ranges.allocate(150, 1).has_value()) << "fragmented: two separate 100-byte holes";
  ranges.free(b, 100);
  EXPECT_EQ(ranges.free_range_count(), 1u);
  EXPECT_EQ(ranges.used(), 0u);
  EXPECT_EQ(ranges.allocate(300, 1), 0u);
}

class RenderGpuAllocator : public testing::GpuTest {};

TEST_F(RenderGpuAllocator, HundredsOfBuffersShareOneBlock) {
  const auto before = context().allocator().stats();
  std::vector<GpuBuffer> buffers;
  for (int index = 0; index < 300; ++index) {
    auto buffer = GpuBuffer::create(context(), 64 * 1024, VK_BUFFER_USAGE_STORAGE_BUFFER_BIT, MemoryUsage::gpu_only,
                                    "test buffer");
    ASSERT_TRUE(buffer.ok()) << buffer.error().describe();
    buffers.push_back(std::move(*buffer));
  }
  const auto during = context().allocator().stats();
  EXPECT_EQ(during.allocations - before.allocations, 300u);
  EXPECT_LE(during.device_memory_objects - before.device_memory_objects, 1u);
  buffers.clear();
  EXPECT_EQ(context().allocator().stats().allocations, before.allocations);
}

TEST_F(RenderGpuAllocator, LargeResourcesGetABlockOfTheirOwnAndReturnIt) {
  const auto before = context().allocator().stats();
  {
    auto large = GpuBuffer::create(context(), GpuAllocator::default_block_size, VK_BUFFER_USAGE_STORAGE_BUFFER_BIT,
                                   MemoryUsage::gpu_only, "large test buffer");
    ASSERT_TRUE(large.ok());
    EXPECT_EQ(context().allocator().stats().device_memory_objects, before.device_memory_objects + 1);
  }
  EXPECT_EQ(context().allocator().stats().device_memory_objects, before.device_memory_objects);
}

TEST_F(RenderGpuAllocator, UploadMemoryIsMappedForTheCpu) {
  auto buffer = GpuBuffer::create(context(), 256, VK_BUFFER_USAGE_UNIFORM_BUFFER_BIT, MemoryUsage::upload, "mapped");
  ASSERT_TRUE(buffer.ok());
  ASSERT_NE(buffer->mapped(), nullptr);
  buffer->mapped()[255] = std::byte{42};
}

}  // namespace
}  // namespace pavilion::render

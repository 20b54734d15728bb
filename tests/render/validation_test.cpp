// Proves the fixture's promise: a validation message does reach the test.
#include "gpu_test.h"

namespace pavilion::testing {
namespace {

class RenderValidation : public GpuTest {};

TEST_F(RenderValidation, AMisuseOfVulkanIsReportedToTheTest) {
  // A semaphore create info with the wrong structure type: the layer must object.
  VkSemaphoreCreateInfo info{};
  info.sType = VK_STRUCTURE_TYPE_FENCE_CREATE_INFO;
  VkSemaphore semaphore = VK_NULL_HANDLE;
  vkCreateSemaphore(context().device(), &info, nullptr, &semaphore);
  if (semaphore != VK_NULL_HANDLE) vkDestroySemaphore(context().device(), semaphore, nullptr);

  const auto report = take_validation_report();  // taken, so the fixture's own check stays clean
  EXPECT_GE(report.errors, 1u);
  ASSERT_FALSE(report.messages.empty());
  EXPECT_NE(report.messages.front().find("sType"), std::string::npos) << report.messages.front();
}

TEST_F(RenderValidation, TheLayerIsOnInRenderingTests) { EXPECT_TRUE(context().validation_enabled()); }

}  // namespace
}  // namespace pavilion::testing

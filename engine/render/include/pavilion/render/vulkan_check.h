// Checks of Vulkan results that keep the call, the place and the result's name.
#pragma once

#include "pavilion/core/error.h"

#include <vulkan/vulkan.h>

#include <source_location>
#include <string_view>

namespace pavilion::render {

// The result's name ("VK_ERROR_DEVICE_LOST"), or empty for a value this build does not know.
std::string_view vk_result_name(VkResult result);

// Only negative results are failures. Zero and positive statuses (VK_SUBOPTIMAL_KHR, VK_TIMEOUT,
// VK_INCOMPLETE…) pass; a caller that must tell them apart lists the ones it accepts itself.
// Out-of-memory results become ErrorCode::out_of_memory, VK_ERROR_DEVICE_LOST becomes
// ErrorCode::device_lost, and the rest ErrorCode::gpu.
Result<void> vk_check(VkResult result, std::string_view call,
                      std::source_location where = std::source_location::current());

}  // namespace pavilion::render

//===- VulkanLoader.h - the Vulkan entry points, loaded at run time -*- C++
//-*-===//
//
// The device resolves every Vulkan function it calls through the loader it
// dlopen'ed, instance and device functions alike, so nothing links
// libvulkan and a machine without one loads the runtime fine.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_RUNTIME_DEVICES_VULKAN_VULKANLOADER_H
#define STRATA_RUNTIME_DEVICES_VULKAN_VULKANLOADER_H

#define VK_NO_PROTOTYPES
#include <vulkan/vulkan.h>

#include <string>

namespace strata::runtime::vulkan {

#define STRATA_VK_INSTANCE_FUNCTIONS(X)                                        \
  X(vkDestroyInstance)                                                         \
  X(vkEnumeratePhysicalDevices)                                                \
  X(vkGetPhysicalDeviceProperties)                                             \
  X(vkGetPhysicalDeviceProperties2)                                            \
  X(vkGetPhysicalDeviceFeatures2)                                              \
  X(vkGetPhysicalDeviceMemoryProperties)                                       \
  X(vkGetPhysicalDeviceQueueFamilyProperties)                                  \
  X(vkCreateDevice)                                                            \
  X(vkGetDeviceProcAddr)

#define STRATA_VK_DEBUG_FUNCTIONS(X)                                           \
  X(vkCreateDebugUtilsMessengerEXT)                                            \
  X(vkDestroyDebugUtilsMessengerEXT)

#define STRATA_VK_DEVICE_FUNCTIONS(X)                                          \
  X(vkDestroyDevice)                                                           \
  X(vkGetDeviceQueue)                                                          \
  X(vkDeviceWaitIdle)                                                          \
  X(vkCreateBuffer)                                                            \
  X(vkDestroyBuffer)                                                           \
  X(vkGetBufferMemoryRequirements)                                             \
  X(vkAllocateMemory)                                                          \
  X(vkFreeMemory)                                                              \
  X(vkBindBufferMemory)                                                        \
  X(vkMapMemory)                                                               \
  X(vkUnmapMemory)                                                             \
  X(vkCreateShaderModule)                                                      \
  X(vkDestroyShaderModule)                                                     \
  X(vkCreateDescriptorSetLayout)                                               \
  X(vkDestroyDescriptorSetLayout)                                              \
  X(vkCreatePipelineLayout)                                                    \
  X(vkDestroyPipelineLayout)                                                   \
  X(vkCreatePipelineCache)                                                     \
  X(vkDestroyPipelineCache)                                                    \
  X(vkCreateComputePipelines)                                                  \
  X(vkDestroyPipeline)                                                         \
  X(vkCreateDescriptorPool)                                                    \
  X(vkDestroyDescriptorPool)                                                   \
  X(vkAllocateDescriptorSets)                                                  \
  X(vkUpdateDescriptorSets)                                                    \
  X(vkCreateCommandPool)                                                       \
  X(vkDestroyCommandPool)                                                      \
  X(vkAllocateCommandBuffers)                                                  \
  X(vkFreeCommandBuffers)                                                      \
  X(vkBeginCommandBuffer)                                                      \
  X(vkEndCommandBuffer)                                                        \
  X(vkCmdBindPipeline)                                                         \
  X(vkCmdBindDescriptorSets)                                                   \
  X(vkCmdPushConstants)                                                        \
  X(vkCmdDispatch)                                                             \
  X(vkCmdPipelineBarrier)                                                      \
  X(vkCmdCopyBuffer)                                                           \
  X(vkCmdFillBuffer)                                                           \
  X(vkCmdWriteTimestamp)                                                       \
  X(vkCmdResetQueryPool)                                                       \
  X(vkCreateQueryPool)                                                         \
  X(vkDestroyQueryPool)                                                        \
  X(vkGetQueryPoolResults)                                                     \
  X(vkCreateFence)                                                             \
  X(vkDestroyFence)                                                            \
  X(vkQueueSubmit)                                                             \
  X(vkWaitForFences)

/// The loader's library and the entry points resolved from it.
struct Api {
#define STRATA_VK_DECLARE(name) PFN_##name name = nullptr;
  PFN_vkGetInstanceProcAddr vkGetInstanceProcAddr = nullptr;
  PFN_vkCreateInstance vkCreateInstance = nullptr;
  PFN_vkEnumerateInstanceLayerProperties vkEnumerateInstanceLayerProperties =
      nullptr;
  STRATA_VK_INSTANCE_FUNCTIONS(STRATA_VK_DECLARE)
  STRATA_VK_DEBUG_FUNCTIONS(STRATA_VK_DECLARE)
  STRATA_VK_DEVICE_FUNCTIONS(STRATA_VK_DECLARE)
#undef STRATA_VK_DECLARE
  void *library = nullptr;

  ~Api();
  /// dlopens the loader ($STRATA_VULKAN_LIBRARY, else libvulkan.so.1);
  /// sets `*error` and returns false when it or an entry point is missing.
  bool loadLoader(std::string *error);
  bool loadInstance(VkInstance instance, bool debugUtils, std::string *error);
  bool loadDevice(VkDevice device, std::string *error);
};

/// "VK_ERROR_OUT_OF_DEVICE_MEMORY" for its code.
const char *resultName(VkResult result);

} // namespace strata::runtime::vulkan

#endif // STRATA_RUNTIME_DEVICES_VULKAN_VULKANLOADER_H

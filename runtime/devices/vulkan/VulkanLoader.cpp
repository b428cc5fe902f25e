//===- VulkanLoader.cpp - the Vulkan entry points, loaded at run time -----===//

#include "runtime/devices/vulkan/VulkanLoader.h"

#include <cstdlib>
#include <dlfcn.h>

namespace strata::runtime::vulkan {

Api::~Api() {
  if (library)
    ::dlclose(library);
}

bool Api::loadLoader(std::string *error) {
  const char *override = std::getenv("STRATA_VULKAN_LIBRARY");
  const char *path = override && *override ? override : "libvulkan.so.1";
  library = ::dlopen(path, RTLD_NOW | RTLD_LOCAL);
  if (!library) {
    *error =
        std::string("cannot load the Vulkan loader '") + path +
        "' (install libvulkan1, or set STRATA_VULKAN_LIBRARY): " + ::dlerror();
    return false;
  }
  vkGetInstanceProcAddr = reinterpret_cast<PFN_vkGetInstanceProcAddr>(
      ::dlsym(library, "vkGetInstanceProcAddr"));
  if (!vkGetInstanceProcAddr) {
    *error = std::string("'") + path + "' has no vkGetInstanceProcAddr";
    return false;
  }
  vkCreateInstance = reinterpret_cast<PFN_vkCreateInstance>(
      vkGetInstanceProcAddr(nullptr, "vkCreateInstance"));
  vkEnumerateInstanceLayerProperties =
      reinterpret_cast<PFN_vkEnumerateInstanceLayerProperties>(
          vkGetInstanceProcAddr(nullptr, "vkEnumerateInstanceLayerProperties"));
  if (!vkCreateInstance || !vkEnumerateInstanceLayerProperties) {
    *error = "the Vulkan loader lacks vkCreateInstance";
    return false;
  }
  return true;
}

bool Api::loadInstance(VkInstance instance, bool debugUtils,
                       std::string *error) {
#define STRATA_VK_LOAD(name)                                                   \
  name = reinterpret_cast<PFN_##name>(vkGetInstanceProcAddr(instance, #name)); \
  if (!name) {                                                                 \
    *error = "the Vulkan loader lacks " #name;                                 \
    return false;                                                              \
  }
  STRATA_VK_INSTANCE_FUNCTIONS(STRATA_VK_LOAD)
  if (debugUtils) {
    STRATA_VK_DEBUG_FUNCTIONS(STRATA_VK_LOAD)
  }
#undef STRATA_VK_LOAD
  return true;
}

bool Api::loadDevice(VkDevice device, std::string *error) {
#define STRATA_VK_LOAD(name)                                                   \
  name = reinterpret_cast<PFN_##name>(vkGetDeviceProcAddr(device, #name));     \
  if (!name) {                                                                 \
    *error = "the Vulkan device lacks " #name;                                 \
    return false;                                                              \
  }
  STRATA_VK_DEVICE_FUNCTIONS(STRATA_VK_LOAD)
#undef STRATA_VK_LOAD
  return true;
}

const char *resultName(VkResult result) {
  switch (result) {
#define STRATA_VK_CASE(name)                                                   \
  case name:                                                                   \
    return #name;
    STRATA_VK_CASE(VK_SUCCESS)
    STRATA_VK_CASE(VK_NOT_READY)
    STRATA_VK_CASE(VK_TIMEOUT)
    STRATA_VK_CASE(VK_INCOMPLETE)
    STRATA_VK_CASE(VK_ERROR_OUT_OF_HOST_MEMORY)
    STRATA_VK_CASE(VK_ERROR_OUT_OF_DEVICE_MEMORY)
    STRATA_VK_CASE(VK_ERROR_INITIALIZATION_FAILED)
    STRATA_VK_CASE(VK_ERROR_DEVICE_LOST)
    STRATA_VK_CASE(VK_ERROR_MEMORY_MAP_FAILED)
    STRATA_VK_CASE(VK_ERROR_LAYER_NOT_PRESENT)
    STRATA_VK_CASE(VK_ERROR_EXTENSION_NOT_PRESENT)
    STRATA_VK_CASE(VK_ERROR_FEATURE_NOT_PRESENT)
    STRATA_VK_CASE(VK_ERROR_INCOMPATIBLE_DRIVER)
    STRATA_VK_CASE(VK_ERROR_TOO_MANY_OBJECTS)
    STRATA_VK_CASE(VK_ERROR_FORMAT_NOT_SUPPORTED)
    STRATA_VK_CASE(VK_ERROR_FRAGMENTED_POOL)
    STRATA_VK_CASE(VK_ERROR_UNKNOWN)
    STRATA_VK_CASE(VK_ERROR_OUT_OF_POOL_MEMORY)
    STRATA_VK_CASE(VK_ERROR_INVALID_SHADER_NV)
#undef STRATA_VK_CASE
  default:
    return "VK_ERROR_(unknown)";
  }
}

} // namespace strata::runtime::vulkan

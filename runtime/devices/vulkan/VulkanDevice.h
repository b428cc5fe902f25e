//===- VulkanDevice.h - compute pipelines through Vulkan -------*- C++ -*-===//
//
// Runs SPIR-V executables (format "spirv") on a Vulkan 1.1+ device: Mesa's
// lavapipe on any machine, or a GPU's driver. The loader is dlopen'ed at
// run time, so the runtime builds and links without one and says clearly
// when none is there.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_RUNTIME_DEVICES_VULKAN_VULKANDEVICE_H
#define STRATA_RUNTIME_DEVICES_VULKAN_VULKANDEVICE_H

#include "runtime/src/Device.h"

namespace strata::runtime {

strata_status_t createVulkanDevice(std::unique_ptr<Device> *out);

} // namespace strata::runtime

#endif // STRATA_RUNTIME_DEVICES_VULKAN_VULKANDEVICE_H

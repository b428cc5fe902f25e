//===- VulkanTargets.cpp - the Vulkan devices kernels are built for -------===//
//
// lavapipe's numbers are Mesa 22.3's; desktop is what current NVIDIA, AMD
// and Intel drivers all report (their smallest shared memory, 48 KiB, and
// the common subgroup size, 32); minimal is Vulkan 1.1 without optional
// features, where 8-, 16- and 64-bit types are rejected.
//
//===----------------------------------------------------------------------===//

#include "passes/GPUToSPIRV/VulkanTargets.h"

namespace mlir::strata {

#define STRATA_FULL_CAPABILITIES                                               \
  "[Shader, Int64, Int16, Int8, Float64, Float16, StorageBuffer16BitAccess, "  \
  "StorageBuffer8BitAccess, GroupNonUniform, GroupNonUniformArithmetic, "      \
  "GroupNonUniformBallot, GroupNonUniformShuffle, GroupNonUniformVote], "      \
  "[SPV_KHR_storage_buffer_storage_class, SPV_KHR_16bit_storage, "             \
  "SPV_KHR_8bit_storage]"

static const VulkanTarget kTargets[] = {
    {"desktop", 128, 49152, true,
     "#spirv.target_env<#spirv.vce<v1.3, " STRATA_FULL_CAPABILITIES ">, "
     "api=Vulkan, #spirv.resource_limits<max_compute_shared_memory_size = "
     "49152, max_compute_workgroup_invocations = 1024, "
     "max_compute_workgroup_size = [1024, 1024, 64], subgroup_size = 32>>"},
    {"lavapipe", 64, 32768, true,
     "#spirv.target_env<#spirv.vce<v1.3, " STRATA_FULL_CAPABILITIES ">, "
     "api=Vulkan, #spirv.resource_limits<"
     "max_compute_shared_memory_size = 32768, "
     "max_compute_workgroup_invocations = 1024, "
     "max_compute_workgroup_size = [1024, 1024, 1024], subgroup_size = 8>>"},
    {"minimal", 64, 16384, false,
     "#spirv.target_env<#spirv.vce<v1.3, [Shader, GroupNonUniform], "
     "[SPV_KHR_storage_buffer_storage_class]>, api=Vulkan, "
     "#spirv.resource_limits<max_compute_shared_memory_size = 16384, "
     "max_compute_workgroup_invocations = 128, "
     "max_compute_workgroup_size = [128, 128, 64], subgroup_size = 4>>"},
};

const VulkanTarget *lookupVulkanTarget(llvm::StringRef name) {
  for (const VulkanTarget &target : kTargets)
    if (name == target.name)
      return &target;
  return nullptr;
}

std::string vulkanTargetNames() {
  std::string names;
  for (const VulkanTarget &target : kTargets)
    names += (names.empty() ? "" : ", ") + std::string(target.name);
  return names;
}

} // namespace mlir::strata

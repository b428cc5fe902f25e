//===- VulkanTargets.h - the Vulkan devices kernels are built for -*- C++
//-*-===//
//
// A preset is a SPIR-V target environment (version, capabilities,
// extensions, resource limits) and the workgroup size kernels use on it;
// `--target-option=vulkan-target=NAME` picks one.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_PASSES_GPUTOSPIRV_VULKANTARGETS_H
#define STRATA_PASSES_GPUTOSPIRV_VULKANTARGETS_H

#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <string>

namespace mlir::strata {

struct VulkanTarget {
  const char *name;
  /// Invocations per workgroup of every kernel.
  int64_t workgroupSize;
  /// Workgroup memory a kernel may use, in bytes.
  int64_t workgroupMemoryBytes;
  /// Whether subgroup arithmetic (GroupNonUniformArithmetic) is there.
  bool subgroupArithmetic;
  /// The `#spirv.target_env` attribute, as text.
  const char *targetEnv;
};

/// The preset called `name`, or null.
const VulkanTarget *lookupVulkanTarget(llvm::StringRef name);

/// "desktop, lavapipe, minimal", for messages.
std::string vulkanTargetNames();

/// The preset used when none is named.
inline constexpr llvm::StringLiteral kDefaultVulkanTarget = "desktop";

} // namespace mlir::strata

#endif // STRATA_PASSES_GPUTOSPIRV_VULKANTARGETS_H

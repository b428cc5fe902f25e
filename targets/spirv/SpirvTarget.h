//===- SpirvTarget.h - the Vulkan target ------------------------*- C++ -*-===//
//
// The vulkan target's factory, for the registry.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_TARGETS_SPIRV_SPIRVTARGET_H
#define STRATA_TARGETS_SPIRV_SPIRVTARGET_H

#include "targets/TargetBackend.h"

#include <memory>

namespace mlir::strata {

/// Kernels compiled by the GPU pipeline to one SPIR-V module per
/// executable ("spirv"), for a Vulkan target environment.
std::unique_ptr<TargetBackend> createSpirvTarget();

} // namespace mlir::strata

#endif // STRATA_TARGETS_SPIRV_SPIRVTARGET_H

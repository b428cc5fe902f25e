//===- PtxTarget.h - the cuda target ----------------------------*- C++ -*-===//
//
// The cuda target's factory, for the registry.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_TARGETS_PTX_PTXTARGET_H
#define STRATA_TARGETS_PTX_PTXTARGET_H

#include "targets/TargetBackend.h"

#include <memory>

namespace mlir::strata {

/// Kernels compiled by the GPU pipeline to one NVVM module per executable,
/// serialized as PTX ("ptx") or, on request, as a cubin ("cubin").
std::unique_ptr<TargetBackend> createPtxTarget();

} // namespace mlir::strata

#endif // STRATA_TARGETS_PTX_PTXTARGET_H

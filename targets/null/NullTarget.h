//===- NullTarget.h - the target whose code computes nothing ----*- C++ -*-===//
//
// The null target's factory, for the registry.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_TARGETS_NULL_NULLTARGET_H
#define STRATA_TARGETS_NULL_NULLTARGET_H

#include "targets/TargetBackend.h"

#include <memory>

namespace mlir::strata {

/// Executables of format "null" for the runtime's null device.
std::unique_ptr<TargetBackend> createNullTarget();

} // namespace mlir::strata

#endif // STRATA_TARGETS_NULL_NULLTARGET_H

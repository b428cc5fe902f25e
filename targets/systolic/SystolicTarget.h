//===- SystolicTarget.h - the systolic-array target -------------*- C++ -*-===//
//
// Maps each kernel onto the systolic array (strata-linalg-to-systolic) and
// serializes the systolic ops as a "systolic-program" blob
// (docs/systolic-isa.md) for the runtime's systolic device. Its option
// systolic-config names the array's configuration (SCALE-Sim .cfg or
// Strata JSON); the artifact records it.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_TARGETS_SYSTOLIC_SYSTOLICTARGET_H
#define STRATA_TARGETS_SYSTOLIC_SYSTOLICTARGET_H

#include "targets/TargetBackend.h"

#include <memory>

namespace mlir::strata {

std::unique_ptr<TargetBackend> createSystolicTarget();

} // namespace mlir::strata

#endif // STRATA_TARGETS_SYSTOLIC_SYSTOLICTARGET_H

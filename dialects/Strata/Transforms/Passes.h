//===- Passes.h - strata dialect passes -------------------------*- C++ -*-===//
//
// Declares the passes of dialects/Strata/Transforms (see Passes.td).
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_DIALECTS_STRATA_TRANSFORMS_PASSES_H
#define STRATA_DIALECTS_STRATA_TRANSFORMS_PASSES_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Pass/Pass.h"

namespace mlir::strata {

#define GEN_PASS_DECL
#include "dialects/Strata/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "dialects/Strata/Transforms/Passes.h.inc"

} // namespace mlir::strata

#endif // STRATA_DIALECTS_STRATA_TRANSFORMS_PASSES_H

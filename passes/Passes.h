//===- Passes.h - Strata conversion passes ----------------------*- C++ -*-===//
//
// Declares the passes of passes/ (see Passes.td).
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_PASSES_PASSES_H
#define STRATA_PASSES_PASSES_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Pass/Pass.h"

namespace mlir::strata {

/// Marks a float op whose rounding must stay its own: never contracted with
/// a neighbour into an FMA (strata-cpu-fp-contract honours it).
inline constexpr llvm::StringLiteral kNoContractAttr = "strata.no_contract";

#define GEN_PASS_DECL
#include "passes/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "passes/Passes.h.inc"

} // namespace mlir::strata

#endif // STRATA_PASSES_PASSES_H

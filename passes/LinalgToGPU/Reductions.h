//===- Reductions.h - a reduction's payload as a fold -----------*- C++ -*-===//
//
// The GPU passes that lower a reduction themselves (one shared by a
// workgroup, one folded by an invocation) see its payload as a combiner
// that folds each element into the accumulator. A sum of f16 or bf16
// elements is kept in f32 and rounded once, as the GEMM tiles keep
// theirs: a sum of k elements kept in 11 bits (8 for bf16) loses about
// log2(k) of them.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_PASSES_LINALGTOGPU_REDUCTIONS_H
#define STRATA_PASSES_LINALGTOGPU_REDUCTIONS_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"

namespace mlir::strata {

/// How a reduction's payload folds an element into its accumulator,
/// `acc' = combiner(acc, element)`, and the type the folds are kept in.
struct ReductionCombiner {
  Operation *op;
  /// The payload's value that the combiner folds in.
  Value element;
  /// f32 for an `addf` of f16 or bf16, else the accumulator's type.
  Type sumType;
};

/// The combiner of `op`, or failure. `op` is a reduction with one output,
/// static loop ranges and pure buffer (or tensor) semantics; the output
/// element is the same through its reduction loops and no input reads
/// its buffer; the payload reads no loop index and folds into the
/// accumulator with one binary op.
FailureOr<ReductionCombiner> matchCombiner(linalg::LinalgOp op);

/// The combiner's neutral element in its sum type, if it has one.
std::optional<TypedAttr> neutralElement(const ReductionCombiner &combiner);

/// The elements of `op`'s inputs at the indices `indices` gives for an
/// input's indexing map; a scalar input as it is.
SmallVector<Value>
loadInputs(OpBuilder &b, Location loc, linalg::LinalgOp op,
           function_ref<SmallVector<Value>(AffineMap)> indices);

/// Folds `op`'s payload at the elements `inputs` (one per input operand)
/// into `acc`, of the combiner's sum type; an f32 sum of narrow products
/// multiplies the widened factors (exact products, but for bf16 ones
/// beyond f32's range). The combiner loses its nsw/nuw flags, here and in
/// `combine`: partial folds may wrap where the sequential one did not.
Value foldElement(OpBuilder &b, Location loc, linalg::LinalgOp op,
                  const ReductionCombiner &combiner, ValueRange inputs,
                  Value acc);

/// `combiner(x, y)` on values of its sum type.
Value combine(OpBuilder &b, Location loc, const ReductionCombiner &combiner,
              Value x, Value y);

/// `value` of the output's element type in the sum type, and back.
Value widen(OpBuilder &b, Location loc, const ReductionCombiner &combiner,
            Value value);
Value round(OpBuilder &b, Location loc, const ReductionCombiner &combiner,
            Value sum);

/// The fill of `op`'s whole output buffer just before `op`, with nothing
/// between that touches memory (a tile's subviews), or null. Where `op`
/// writes every element of its output (a matched combiner's does), its
/// fold can start from the fill's value and the fill go: kernel arguments
/// may alias, so LLVM would keep the fill's store and the load back.
linalg::FillOp precedingFill(linalg::LinalgOp op);

} // namespace mlir::strata

#endif // STRATA_PASSES_LINALGTOGPU_REDUCTIONS_H

//===- GemmEnds.h - what a GEMM tile does around itself ---------*- C++ -*-===//
//
// A GEMM tile keeps its accumulators in registers. The op that sets its
// output before it (a fill, a copy of a bias) and an elementwise op that
// reads its result from a workgroup buffer after it would each take a pass
// over memory and a barrier; the tile does their work instead, starting
// its accumulators at what the first writes and applying the second to
// each result as it stores it.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_PASSES_LINALGTOGPU_GEMMENDS_H
#define STRATA_PASSES_LINALGTOGPU_GEMMENDS_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"

namespace mlir::strata {

/// The op right before GEMM `op` that sets all of its output, where no
/// input of `op` reads it: a fill, or a generic with parallel loops that
/// copies its one input (broadcast, as a convolution's bias, or a scalar)
/// into it through a permutation. Null where there is none.
Operation *findGemmStart(linalg::LinalgOp op);

/// The elementwise consumer of GEMM `op`'s result that `op`'s tile can
/// apply as it stores each result: the next op with memory effects, a
/// generic with parallel loops (and `linalg.index` only at the top of its
/// body) that reads, element for element through a permutation, the
/// workgroup buffer of the tile that `op`'s start (findGemmStart) sets and
/// `op` accumulates in, which nothing else reads, and writes nothing `op`
/// reads. Null otherwise.
linalg::GenericOp findGemmEpilogue(linalg::LinalgOp op);

/// The workgroup memory that `op`'s tile frees by applying `epilogue`
/// (findGemmEpilogue's; null, none): the bytes of the buffer between them.
int64_t epilogueBufferBytes(linalg::LinalgOp op, linalg::GenericOp epilogue);

/// How a GEMM tile starts and ends in place of the ops around it.
class GemmEnds {
public:
  /// Erases `op`'s start, if it has one; `epilogue` is findGemmEpilogue's,
  /// or null.
  GemmEnds(linalg::LinalgOp op, linalg::GenericOp epilogue);

  /// The value of the start where it is a fill (or a copy of a scalar).
  Value fill() const { return fillValue; }
  /// What the accumulator of the output's element at `indices` starts at:
  /// the fill's value, the copied input there, or the element itself.
  Value start(OpBuilder &b, Location loc, ArrayRef<Value> indices);

  /// A value the tile stores, where.
  struct Store {
    Value value, buffer;
    SmallVector<Value> indices;
  };
  /// What the tile stores for `result`, of the output's element type, at
  /// the output's `indices`: the result itself, or what the epilogue makes
  /// of it, loading its other operands.
  SmallVector<Store> results(OpBuilder &b, Location loc, Value result,
                             ArrayRef<Value> indices);
  static void store(OpBuilder &b, Location loc, ArrayRef<Store> stores);

  /// Erases `op`, and the epilogue and the buffer it read.
  void erase();

private:
  linalg::LinalgOp op;
  linalg::GenericOp epilogue;
  Value fillValue;
  /// The copied input, and its indexing map and its output's.
  Value source;
  AffineMap sourceMap, outputMap;
};

} // namespace mlir::strata

#endif // STRATA_PASSES_LINALGTOGPU_GEMMENDS_H

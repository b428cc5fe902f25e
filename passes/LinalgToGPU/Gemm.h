//===- Gemm.h - contractions seen as a matrix multiply ----------*- C++ -*-===//
//
// GPU code generation stages a contraction's operands in workgroup memory
// the same way whatever the op: a matmul, a batch matmul, a transposed
// matmul or a convolution, read as an implicit GEMM C[m, n] += A[m, k] *
// B[k, n] whose m, n and k may each be several loops.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_PASSES_LINALGTOGPU_GEMM_H
#define STRATA_PASSES_LINALGTOGPU_GEMM_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"

namespace mlir::strata {

/// Steps of k a GEMM tile stages in workgroup memory at a time, at most.
inline constexpr int64_t kMaxStagedSteps = 16;
/// Rows and columns a GEMM tile needs for staging its operands to pay:
/// with fewer, a staged element is used once or twice.
inline constexpr int64_t kMinStagedExtent = 4;

/// The loops of a contraction by role, each in loop order.
struct GemmLoops {
  /// Read by both inputs and the output.
  SmallVector<unsigned> batch;
  /// Read by the first input and the output (a convolution's image and
  /// output positions).
  SmallVector<unsigned> m;
  /// Read by the second input and the output (output channels).
  SmallVector<unsigned> n;
  /// The reductions.
  SmallVector<unsigned> k;
};

/// The roles of `op`'s loops: two inputs and an output read through maps
/// without symbols, an output map that is a projected permutation, a
/// payload of the two input elements and the accumulator (no
/// `linalg.index`), no booleans, and m, n and k all present. Otherwise
/// failure: a matrix-vector product or a depthwise convolution has no n.
FailureOr<GemmLoops> inferGemmLoops(linalg::LinalgOp op);

} // namespace mlir::strata

#endif // STRATA_PASSES_LINALGTOGPU_GEMM_H

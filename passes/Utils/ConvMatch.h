//===- ConvMatch.h - the convolution generic StrataToLinalg builds -*- C++
//-*-===//
//
// StrataToLinalg lowers every convolution to one linalg.generic over loops
// (n, g, m, o_1..o_D, c, k_1..k_D). Passes that rewrite convolutions (the
// cpu's im2col, the systolic array's mapping) recognize it here.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_PASSES_UTILS_CONVMATCH_H
#define STRATA_PASSES_UTILS_CONVMATCH_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"

#include <optional>

namespace mlir::strata {

/// The convolution generic of StrataToLinalg's buildGroupedConv, over
/// loops (n, g, m, o_1..o_D, c, k_1..k_D).
struct ConvGeneric {
  int64_t dims = 0;
  /// The input map's window expressions, o_i * stride_i + k_i * dilation_i.
  SmallVector<AffineExpr> windows;
};

/// Whether the block computes `out + in0 * in1` in f32.
bool isMulAddF32(linalg::GenericOp op);

/// Whether the block computes `out + in0 * in1` in floats or integers,
/// each input widened (arith.extsi, arith.extf) or not: a quantized or a
/// bf16 model's contraction too.
bool isMulAdd(linalg::GenericOp op);

/// `op` as a convolution, if it is one (f32, on tensors).
std::optional<ConvGeneric> matchConv(linalg::GenericOp op);

/// `op`'s loops and maps as a convolution's, whatever its body computes.
std::optional<ConvGeneric> matchConvLoops(linalg::GenericOp op);

} // namespace mlir::strata

#endif // STRATA_PASSES_UTILS_CONVMATCH_H

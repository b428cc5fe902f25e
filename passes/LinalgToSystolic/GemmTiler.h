//===- GemmTiler.h - GEMMs and convolutions as systolic programs -*- C++
//-*-===//
//
// Plain C++ (no MLIR): folds C[M x N] = A[M x K] * B[K x N] onto the array
// for its dataflow, as SCALE-Sim folds a layer (os: M by the rows and N by
// the columns; ws: K by the rows and N by the columns; is: K by the rows
// and M by the columns), and writes the program: DMA of each tile from
// where the operand lives in DRAM (a matrix of any strides, or the im2col
// view of an NCHW image), double-buffered streams, folds, and the results
// out. LinalgToSystolic turns the instructions into systolic ops.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_PASSES_LINALGTOSYSTOLIC_GEMMTILER_H
#define STRATA_PASSES_LINALGTOSYSTOLIC_GEMMTILER_H

#include "runtime/devices/systolic/sim/Program.h"

#include <optional>
#include <string>
#include <vector>

namespace strata::systolic {

/// Where element (i, j) of a logical matrix lives: binding `binding`, byte
/// `offset + i * rowStride + j * colStride` (+ `batchStride` per batch).
struct MatrixLayout {
  uint32_t binding = 0;
  uint64_t offset = 0, rowStride = 0, colStride = 0, batchStride = 0;
};

/// A as the im2col view of an NCHW image: row i is output pixel
/// (oh, ow) = (i / outW, i % outW), column j is (c, kh, kw) of the window.
struct Im2colLayout {
  uint32_t binding = 0;
  uint64_t offset = 0, batchStride = 0;
  uint64_t height = 0, width = 0; // of the input image
  uint64_t kernelH = 0, kernelW = 0, outW = 0;
  uint64_t strideH = 1, strideW = 1, dilationH = 1, dilationW = 1;
};

/// One product of C = sum over p of A_p (M x k_p) * B_p (k_p x N).
struct Product {
  uint64_t k = 0;
  MatrixLayout a, b;
  bool aIsIm2col = false;
  Im2colLayout im2col;
  /// Non-zero for a block-diagonal B (a depthwise convolution's channels
  /// side by side): column j holds `band` elements at rows [j * band,
  /// (j + 1) * band), B(k, j) at b.offset + k * b.rowStride, zeros
  /// elsewhere. Each output column then folds only its band of K.
  uint64_t band = 0;
};

struct GemmProblem {
  uint64_t batch = 1, m = 0, n = 0;
  /// Usually one; more (a convolution and the shortcut fused with it) are
  /// folded one after the other into the same accumulator tiles, as one
  /// GEMM over their K rows end to end.
  std::vector<Product> products;
  MatrixLayout c;
  Dtype dtype = Dtype::F32;
  OutType out = OutType::F32;
  /// Added to C (a bias broadcast along rows, where rowStride is 0, or a
  /// residual of C's shape): loaded into the accumulator before the first
  /// fold of each output tile, the first replacing and the others adding
  /// to what is there, so that the products add to their sum.
  std::vector<MatrixLayout> addends;
  /// Applied to the results on their way out of the accumulator: the
  /// scale (requantization), then the activation.
  float scale = 1.0f;
  Activation activation = Activation::None;
};

/// Appends the program for `problem` on the array of `config` to `out`.
/// Returns "" or why it cannot (SRAMs too small for one tile).
std::string tileGemm(const GemmProblem &problem, const Config &config,
                     std::vector<Instr> *out);

} // namespace strata::systolic

#endif // STRATA_PASSES_LINALGTOSYSTOLIC_GEMMTILER_H

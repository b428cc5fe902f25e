//===- RegisterBlock.h - the cpu matmul register block ----------*- C++ -*-===//
//
// The shape of the accumulator block the packed contractions are built
// around, shared by the passes that decide what to pack.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_PASSES_CPU_TILEANDVECTORIZE_REGISTERBLOCK_H
#define STRATA_PASSES_CPU_TILEANDVECTORIZE_REGISTERBLOCK_H

#include "llvm/Support/MathExtras.h"

#include <algorithm>
#include <cstdint>

namespace mlir::strata {

/// The most elements a vectorized tile may have: the largest register
/// block, 8 rows of 32 f32.
inline constexpr int64_t kMaxVectorElements = 256;

/// The vector register file the register block is cut for.
struct RegisterFile {
  unsigned vectorBits = 256;
  unsigned registers = 16;
};

/// Rows of the register block for a contraction with `m` rows, at two
/// vectors per row. 16 registers hold 4 rows: 8 accumulators, the two B
/// vectors and the broadcasts (6 rows make LLVM spill on AVX2). 32 hold 6
/// to 8 rows, 12 to 16 accumulators: enough independent chains to cover
/// the FMA latency on two ports; of those, the one that pads `m` least
/// (a 7x7 image's 49 pixels take 7 rows, not 56 padded ones). Fewer than
/// 6 rows take the 4-row block rather than pad.
inline int64_t blockRows(RegisterFile file, int64_t m) {
  if (file.registers < 32 || m < 6)
    return 4;
  int64_t best = 8;
  for (int64_t rows : {7, 6})
    if (llvm::alignTo(m, rows) < llvm::alignTo(m, best))
      best = rows;
  return best;
}

/// Columns of the register block: two vectors of f32.
inline int64_t blockColumns(RegisterFile file) {
  return 2 * std::max<int64_t>(1, file.vectorBits / 32);
}

/// Elements of an `m` x `n` result once padded to whole register blocks.
inline int64_t paddedElements(RegisterFile file, int64_t m, int64_t n) {
  int64_t rows = blockRows(file, m), cols = blockColumns(file);
  return llvm::alignTo(m, rows) * llvm::alignTo(n, cols);
}

/// Packing copies O(MK + KN) elements to speed up O(MNK) work; below this
/// many multiply-adds the copies are not repaid.
inline constexpr int64_t kMinPackedMacs = 1 << 18;

/// Whether an M x N x K contraction (`macs` = M * N * K times any batch)
/// is worth packing into register blocks.
inline bool worthPacking(int64_t m, int64_t n, int64_t macs,
                         RegisterFile file) {
  return m >= blockRows(file, m) && n >= blockColumns(file) &&
         macs >= kMinPackedMacs;
}

} // namespace mlir::strata

#endif // STRATA_PASSES_CPU_TILEANDVECTORIZE_REGISTERBLOCK_H

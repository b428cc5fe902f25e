//===- RegisterBlock.h - the cpu matmul register block ----------*- C++ -*-===//
//
// The shape of the accumulator block the packed contractions are built
// around, shared by the passes that decide what to pack.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_PASSES_CPU_TILEANDVECTORIZE_REGISTERBLOCK_H
#define STRATA_PASSES_CPU_TILEANDVECTORIZE_REGISTERBLOCK_H

#include <algorithm>
#include <cstdint>

namespace mlir::strata {

/// The most elements a vectorized tile may have: 16 registers of 16 lanes.
inline constexpr int64_t kMaxVectorElements = 256;

/// Rows of the register block. With two vectors per row, 4 rows keep 8
/// accumulators, the two B vectors and the broadcasts in 16 registers;
/// 6 rows (12 accumulators) make LLVM spill one on AVX2.
inline constexpr int64_t kBlockRows = 4;

/// Columns of the register block: two vectors of f32.
inline int64_t blockColumns(unsigned vectorBits) {
  return 2 * std::max<int64_t>(1, vectorBits / 32);
}

/// Packing copies O(MK + KN) elements to speed up O(MNK) work; below this
/// many multiply-adds the copies are not repaid.
inline constexpr int64_t kMinPackedMacs = 1 << 18;

/// Whether an M x N x K contraction (`macs` = M * N * K times any batch)
/// is worth packing into register blocks.
inline bool worthPacking(int64_t m, int64_t n, int64_t macs,
                         unsigned vectorBits) {
  return m >= kBlockRows && n >= blockColumns(vectorBits) &&
         macs >= kMinPackedMacs;
}

} // namespace mlir::strata

#endif // STRATA_PASSES_CPU_TILEANDVECTORIZE_REGISTERBLOCK_H

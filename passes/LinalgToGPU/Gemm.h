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
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

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

/// Whether `op`'s payload is acc + a * b, a and b maybe extended first.
bool isMultiplyAdd(linalg::LinalgOp op);

/// Whether the tensor cores compute `op`'s payload: isMultiplyAdd, both
/// inputs f16 or both bf16 (or both f32 with `tf32`), the accumulator
/// f32, f16 or bf16.
bool isTensorCoreGemm(linalg::LinalgOp op, bool tf32);

/// A GEMM tile that a workgroup stages: its loops by role, their extents,
/// and its rows (m), columns (n) and depth (k).
struct GemmShape {
  GemmLoops loops;
  SmallVector<int64_t> ranges;
  int64_t rows = 0, columns = 0, depth = 0;
};

/// `op`'s shape when it reads as a GEMM (inferGemmLoops) on buffers, with
/// static loop extents and one iteration of its batch loops; else failure.
FailureOr<GemmShape> inferGemmShape(linalg::LinalgOp op);

/// A workgroup's tile (an `scf.forall` mapped to `#gpu.block`), whose
/// invocations share its buffers, and the linalg ops it runs, in order.
struct WorkgroupTile {
  scf::ForallOp forall;
  SmallVector<memref::AllocOp> buffers;
  SmallVector<linalg::LinalgOp> ops;
  /// Bytes the buffers of static shape take.
  int64_t bufferBytes() const;
};

/// The workgroup tiles under `root`.
SmallVector<WorkgroupTile> collectWorkgroupTiles(Operation *root);

/// Where a GEMM tile stages steps of k of one of its inputs.
struct StagedOperand {
  /// 0 for A, 1 for B.
  unsigned input;
  /// The loops of the tile's rows (A) or columns (B), and their iterations.
  ArrayRef<unsigned> loops;
  int64_t extent;
  /// A 2-d buffer in workgroup memory: [step][position], or
  /// [position][step] when `positionMajor`; or any buffer, indexed by
  /// `storeAt(step, position)`.
  Value buffer;
  bool positionMajor = false;
  llvm::function_ref<SmallVector<Value>(Value step, Value position)> storeAt =
      nullptr;
  /// Consecutive elements along the input's innermost dimension that each
  /// copy loads as one vector (`stagedVectorWidth` says how many may).
  int64_t vectorWidth = 1;
  /// Whether to declare those vectors aligned to their size where that
  /// follows from the bindings' 64-byte alignment and the views' offsets
  /// (constants, or loop variables of aligned bounds and steps).
  bool alignedVectors = false;
  /// Whether each invocation's copies are straight-line code, every load
  /// before the first store, so that the loads are in flight together;
  /// only where each invocation makes as many copies as the others.
  bool unrolled = false;
};

/// How many consecutive elements, up to `maxWidth`, a copy of input
/// `input` of `op` (a GEMM of `loops` over static `ranges`, whose tile rows
/// or columns are `positions`, `extent` of them) may load as one vector
/// when `steps` steps of k are staged at a time (`exact`: they divide the
/// depth); 1 where it may not. The elements must be contiguous along the
/// input's innermost dimension (its k, or the positions' innermost loop),
/// and no copy may straddle the end of the staged steps or positions.
/// Elements are 32 bits wide (the Vulkan target retypes only those
/// bindings as vectors), or with `narrow` also 8 or 16.
int64_t stagedVectorWidth(linalg::LinalgOp op, const GemmLoops &loops,
                          ArrayRef<int64_t> ranges, unsigned input,
                          ArrayRef<unsigned> positions, int64_t extent,
                          int64_t steps, bool exact, int64_t maxWidth,
                          bool narrow = false);

/// Copies steps [k0, k0 + steps) of `operand` of `op` (whose loops are
/// `loops`, of static extents `ranges`) into its buffer; invocation
/// `invocation` of `workgroupSize` copies every workgroupSize-th element,
/// consecutive invocations reading consecutive addresses along the input's
/// innermost dimension. Steps at or past `depth` are stored as zero. An
/// element whose type differs from the buffer's is stored bit for bit.
/// With a `vectorWidth` above 1 (and no `depth`), each copy is one
/// `vector.load` of that many elements.
void stageGemmOperand(OpBuilder &b, Location loc, linalg::LinalgOp op,
                      const GemmLoops &loops, ArrayRef<int64_t> ranges,
                      const StagedOperand &operand, Value k0, Value steps,
                      Value invocation, int64_t workgroupSize,
                      std::optional<int64_t> depth = std::nullopt);

/// stageGemmOperand for each of `operands`; the `unrolled` ones issue all
/// of their loads, every operand's, before their first store.
void stageGemmOperands(OpBuilder &b, Location loc, linalg::LinalgOp op,
                       const GemmLoops &loops, ArrayRef<int64_t> ranges,
                       ArrayRef<StagedOperand> operands, Value k0, Value steps,
                       Value invocation, int64_t workgroupSize,
                       std::optional<int64_t> depth = std::nullopt);

/// The values of all of `op`'s loops at row `row` and column `column` of
/// its GEMM, batch loops at 0.
SmallVector<Value> gemmLoopValues(OpBuilder &b, Location loc,
                                  const GemmLoops &loops,
                                  ArrayRef<int64_t> ranges, Value row,
                                  Value column);

} // namespace mlir::strata

#endif // STRATA_PASSES_LINALGTOGPU_GEMM_H

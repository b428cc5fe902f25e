//===- MmaTiles.h - GEMM tiles on the tensor cores --------------*- C++ -*-===//
//
// strata-nvvm-mma-contractions plans a workgroup's GEMM tile for the
// tensor cores, then writes it with mma.sync (any sm_80+) or wgmma
// (sm_90a, on request); what the two share is here.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_PASSES_GPUTONVVM_MMATILES_H
#define STRATA_PASSES_GPUTONVVM_MMATILES_H

#include "passes/LinalgToGPU/Gemm.h"
#include "passes/LinalgToGPU/GemmEnds.h"

namespace mlir::strata {

enum class MmaType { F16, BF16, TF32 };

/// Bytes of one copy of a staged input: a cp.async, or a vector load.
inline constexpr int64_t kCopyBytes = 16;

/// What TMA reads of a wgmma tile's input: the binding (an argument of
/// the kernel function) as a whole, and where the tile starts in it.
struct TmaOperand {
  unsigned binding;
  MemRefType type;
  SmallVector<OpFoldResult> origin;
  /// Whether k is the binding's innermost dim; else the rows (of A) or
  /// columns (of B) are, and TMA loads boxes of 64 steps x 64 of them,
  /// which wgmma reads M- or N-major.
  bool kMajor = true;
};

/// How one workgroup computes a GEMM tile of `rows` x `columns` on the
/// tensor cores, rounded up to whole 16 x 8 blocks: its warps form a
/// `gridRows` x `gridColumns` grid, each owning `blockRows` x
/// `blockColumns` blocks. The rounding's rows and columns are computed
/// from whatever the staged buffers hold there, and never stored: each
/// output reads only its own row of A and column of B.
struct MmaPlan : GemmShape {
  /// Whether one warpgroup computes the tile with wgmma, in groups of 64
  /// rows, each input staged by the threads K-major in 8 x 8 core
  /// matrices or loaded by TMA (`tma`); else the fields below about
  /// warps, slots and staging say how mma.sync does.
  bool wgmma = false;
  int64_t paddedRows, paddedColumns;
  MmaType type;
  /// The type mma.sync's operands are staged in (bf16 bits as f16, which
  /// the conversion knows), and steps of k per mma.sync.
  Type stagedType;
  int64_t mmaSteps;
  int64_t gridRows, gridColumns, blockRows, blockColumns;
  /// Steps of k staged at a time (a multiple of mmaSteps), and the
  /// workgroup memory the staged buffers and the accumulators take.
  int64_t steps, workgroupBytes;
  /// Whether cp.async copies the operands, into `stages` slots each (the
  /// next stages - 1 steps in flight while the warps compute on one);
  /// else the invocations copy them element by element into one. wgmma
  /// tiles always have `stages` slots: two where the threads stage an
  /// input, up to four where TMA loads both.
  bool async = false;
  int64_t stages = 1;
  /// wgmma: what TMA loads of each input (A, B), into 128-byte swizzled
  /// lines, 64 steps a slot; see tmaOperand. None where the threads stage
  /// it.
  std::optional<TmaOperand> tma[2];
  /// How each input is staged in a slot: [position][step] (kInner) or
  /// [step][position], rows padded to `stride`.
  struct Staging {
    bool kInner = true;
    int64_t outer = 0, stride = 0;
  } a, b;
  int64_t slots() const { return async ? stages : 1; }
  /// The elementwise op that reads the tile's result, which the tile
  /// applies to each result as it stores it, in place of the workgroup
  /// buffer between them (see findGemmEpilogue); null where there is none.
  linalg::GenericOp epilogue;
};

/// What the mma.sync and wgmma builders share: the op whose tile they
/// write in its place, its plan, and the helpers both use.
class MmaTileBuilder {
protected:
  MmaTileBuilder(linalg::LinalgOp op, const MmaPlan &plan,
                 int64_t workgroupSize)
      : op(op), plan(plan), workgroupSize(workgroupSize), loc(op.getLoc()),
        b(plan.epilogue ? static_cast<Operation *>(plan.epilogue) : op),
        ends(op, plan.epilogue) {
    if (Value value = ends.fill())
      fill = toSum(value);
  }

  Value index(int64_t value);
  /// `expr` of dimension 0 at `value`.
  Value apply(AffineExpr expr, Value value);
  /// A buffer of `shape` in workgroup memory.
  Value buffer(ArrayRef<int64_t> shape, Type element);
  /// The indices of the output's element at (`row`, `column`) of the tile.
  SmallVector<Value> outputIndices(Value row, Value column);
  /// `value`, an element of the output, as the f32 the tile sums in; and
  /// an f32 sum rounded to the output's element type.
  Value toSum(Value value);
  Value fromSum(Value sum);
  /// Copies the output tile's starts into the f32 accumulators in `stage`
  /// ([row][column]), or the results back (rounded to the output's type),
  /// invocation `invocation` taking every workgroupSize-th element.
  void copyOutputTile(Value stage, Value invocation, bool toStage);
  /// What the tile stores for `sum`, the f32 result at (`row`, `column`):
  /// the sum rounded to the output's type, or what the epilogue makes of
  /// it.
  SmallVector<GemmEnds::Store> results(Value sum, Value row, Value column);

  linalg::LinalgOp op;
  const MmaPlan &plan;
  int64_t workgroupSize;
  Location loc;
  OpBuilder b;
  /// The tile's start, taken, and its epilogue.
  GemmEnds ends;
  /// The start's value where it is a fill, as f32; else null.
  Value fill;
};

/// Steps of k a slot takes where TMA loads an input: 64 16-bit elements,
/// one 128-byte swizzled row; and the alignment that swizzle needs.
inline constexpr int64_t kTmaSteps = 64, kSwizzleBytes = 128,
                         kSwizzleAlignment = 1024;

/// How TMA can load input `input` (0: A, 1: B) of `plan`'s wgmma tile:
/// 16-bit elements of a whole binding, a subview with unit strides whose
/// dims are, outermost first, loops of one iteration, the tile's rows (or
/// columns), then k (K-major); or k then the rows (or columns), in whole
/// 64-row boxes (M- or N-major); k in whole slots of kTmaSteps, or all of
/// the binding's k, whose end TMA fills with zeros. Null otherwise.
std::optional<TmaOperand> tmaOperand(linalg::LinalgOp op, const MmaPlan &plan,
                                     unsigned input);

/// Writes `op`'s tile with wgmma, in place of `op`.
void buildWgmmaTile(linalg::LinalgOp op, const MmaPlan &plan,
                    int64_t workgroupSize);

} // namespace mlir::strata

#endif // STRATA_PASSES_GPUTONVVM_MMATILES_H

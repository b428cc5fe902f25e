//===- PromoteContractions.cpp - GEMM tiles through workgroup memory ------===//
//
// In a workgroup's tile of a contraction every element of the operand
// panels is used many times: each row of A meets every column of B. The
// tile's invocations therefore copy a few steps of k of both panels into
// workgroup memory together (each element read from device memory once
// per tile, neighbouring invocations reading neighbouring addresses), and
// each invocation then keeps a block of accumulators in registers, so
// that a staged element is loaded once per block rather than once per
// output element.
//
//===----------------------------------------------------------------------===//

#include "passes/LinalgToGPU/Gemm.h"
#include "passes/LinalgToGPU/GemmEnds.h"
#include "passes/LinalgToGPU/Tiles.h"
#include "passes/Passes.h"
#include "passes/Utils/MemorySpace.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/IRMapping.h"

namespace mlir::strata {

#define GEN_PASS_DEF_STRATAGPUPROMOTECONTRACTIONSPASS
#include "passes/Passes.h.inc"

namespace {

/// An invocation's block of accumulators, at most.
constexpr int64_t kMaxBlockRows = 8, kMaxBlockColumns = 4;

/// How one workgroup computes a GEMM tile of `rows` x `columns` over
/// `depth` steps of k: invocation (i, j) of `threadRows` x `threadColumns`
/// owns rows i, i + threadRows, ... and columns j, j + threadColumns, ...,
/// so that neighbouring invocations read neighbouring staged elements and
/// write neighbouring outputs.
struct Plan : GemmShape {
  int64_t blockRows, blockColumns, threadRows, threadColumns;
  /// Steps of k staged at a time, and whether they divide `depth`.
  int64_t steps;
  bool exact;
};

/// A plan for `op` in a tile whose own buffers take `usedBytes` of the
/// `memoryBytes` of workgroup memory.
FailureOr<Plan> makePlan(linalg::LinalgOp op, int64_t workgroupSize,
                         int64_t memoryBytes, int64_t usedBytes) {
  FailureOr<GemmShape> shape = inferGemmShape(op);
  if (failed(shape))
    return failure();
  Plan plan;
  static_cast<GemmShape &>(plan) = *shape;
  // A tile of a few rows or columns (a GEMM fused into a reduction's
  // tile, say) would only add barriers.
  if (plan.rows < kMinStagedExtent || plan.columns < kMinStagedExtent)
    return failure();
  plan.blockColumns = 1;
  for (int64_t c = kMaxBlockColumns; c > 1 && plan.blockColumns == 1; --c)
    if (plan.columns % c == 0)
      plan.blockColumns = c;
  plan.threadColumns = plan.columns / plan.blockColumns;
  plan.blockRows = 0;
  for (int64_t r = 1; r <= std::min(kMaxBlockRows, plan.rows); ++r)
    if (plan.rows % r == 0 &&
        plan.rows / r * plan.threadColumns <= workgroupSize) {
      plan.blockRows = r;
      break;
    }
  if (!plan.blockRows)
    return failure();
  plan.threadRows = plan.rows / plan.blockRows;
  int64_t free = memoryBytes - usedBytes;
  int64_t perStep =
      plan.rows * elementBytes(op.getDpsInputOperand(0)->get().getType()) +
      plan.columns * elementBytes(op.getDpsInputOperand(1)->get().getType());
  plan.steps = std::min({kMaxStagedSteps, plan.depth, free / perStep});
  if (plan.steps < 1)
    return failure();
  for (int64_t s = plan.steps; 2 * s >= plan.steps; --s)
    if (plan.depth % s == 0) {
      plan.steps = s;
      break;
    }
  plan.exact = plan.depth % plan.steps == 0;
  return plan;
}

/// Builds the SIMT code of one GEMM tile in place of `op`, and of its
/// start and `epilogue` (see GemmEnds), if any.
class TileBuilder {
public:
  TileBuilder(linalg::LinalgOp op, linalg::GenericOp epilogue, const Plan &plan,
              int64_t workgroupSize, int64_t vectorWidth)
      : op(op), plan(plan), workgroupSize(workgroupSize),
        vectorWidth(vectorWidth), loc(op.getLoc()),
        b(epilogue ? static_cast<Operation *>(epilogue) : op),
        ends(op, epilogue) {
    // f16 and bf16 sums are kept in f32 and rounded once, as on the
    // tensor cores: a sum of k products kept in 11 or 8 bits loses about
    // log2(k) of them.
    outType = getElementTypeOrSelf(op.getDpsInitOperand(0)->get().getType());
    if (isa<Float16Type, BFloat16Type>(outType) && isMultiplyAdd(op))
      sumType = b.getF32Type();
  }

  void build() {
    MLIRContext *ctx = op.getContext();
    auto space = gpu::AddressSpaceAttr::get(ctx, gpu::AddressSpace::Workgroup);
    auto stageType = [&](int64_t input, int64_t extent) {
      Type element =
          cast<MemRefType>(op.getDpsInputOperand(input)->get().getType())
              .getElementType();
      return MemRefType::get({plan.steps, extent}, element,
                             MemRefLayoutAttrInterface(), space);
    };
    Value stageA = memref::AllocOp::create(b, loc, stageType(0, plan.rows));
    Value stageB = memref::AllocOp::create(b, loc, stageType(1, plan.columns));
    scf::ForallOp forall = createInvocationLoop(b, loc, workgroupSize);
    b.setInsertionPoint(forall.getBody()->getTerminator());
    Value invocation = forall.getInductionVar(0);
    int64_t threads = plan.threadRows * plan.threadColumns;
    Value active;
    Value owner = invocation;
    if (threads < workgroupSize) {
      // The spare invocations stage operands and mirror invocation 0's
      // block, but store nothing.
      active = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult,
                                     invocation, index(threads));
      owner = arith::SelectOp::create(b, loc, active, invocation, index(0));
    }
    Value threadRow =
        arith::DivUIOp::create(b, loc, owner, index(plan.threadColumns));
    Value threadColumn =
        arith::RemUIOp::create(b, loc, owner, index(plan.threadColumns));
    for (int64_t r = 0; r < plan.blockRows; ++r)
      rows.push_back(add(threadRow, index(r * plan.threadRows)));
    for (int64_t c = 0; c < plan.blockColumns; ++c)
      columns.push_back(add(threadColumn, index(c * plan.threadColumns)));

    AffineMap outputMap = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
    SmallVector<Value> initial;
    for (Value row : rows)
      for (Value column : columns)
        initial.push_back(widen(
            ends.start(b, loc, applyMap(b, loc, outputMap, at(row, column)))));

    auto kLoop = scf::ForOp::create(
        b, loc, index(0), index(plan.depth), index(plan.steps), initial,
        [&](OpBuilder &nested, Location, Value k0, ValueRange accumulators) {
          OpBuilder::InsertionGuard guard(b);
          b.setInsertionPointToEnd(nested.getInsertionBlock());
          Value steps = index(plan.steps);
          if (!plan.exact)
            steps = arith::MinSIOp::create(
                b, loc, steps,
                arith::SubIOp::create(b, loc, index(plan.depth), k0));
          stage(0, plan.loops.m, plan.rows, stageA, k0, steps, invocation);
          stage(1, plan.loops.n, plan.columns, stageB, k0, steps, invocation);
          gpu::BarrierOp::create(b, loc);
          auto inner = scf::ForOp::create(
              b, loc, index(0), steps, index(1), accumulators,
              [&](OpBuilder &nested, Location, Value k, ValueRange accs) {
                OpBuilder::InsertionGuard guard(b);
                b.setInsertionPointToEnd(nested.getInsertionBlock());
                SmallVector<Value> as, bs, next;
                for (Value row : rows)
                  as.push_back(widen(memref::LoadOp::create(
                      b, loc, stageA, ValueRange{k, row})));
                for (Value column : columns)
                  bs.push_back(widen(memref::LoadOp::create(
                      b, loc, stageB, ValueRange{k, column})));
                for (auto [r, a] : llvm::enumerate(as))
                  for (auto [c, x] : llvm::enumerate(bs))
                    next.push_back(
                        payload(a, x, accs[r * plan.blockColumns + c]));
                scf::YieldOp::create(b, loc, next);
              });
          // The next steps overwrite what this one read.
          gpu::BarrierOp::create(b, loc);
          scf::YieldOp::create(b, loc, inner.getResults());
        });

    if (active) {
      auto guard = scf::IfOp::create(b, loc, active, /*withElseRegion=*/false);
      b.setInsertionPoint(guard.thenBlock()->getTerminator());
    }
    // The epilogue's loads all come before the first store, which may
    // alias them: one load of each element serves the block.
    SmallVector<GemmEnds::Store> stores;
    int64_t i = 0;
    for (Value row : rows)
      for (Value column : columns)
        llvm::append_range(
            stores, ends.results(b, loc, round(kLoop.getResult(i++)),
                                 applyMap(b, loc, outputMap, at(row, column))));
    GemmEnds::store(b, loc, stores);
    ends.erase();
  }

private:
  Value index(int64_t value) {
    return arith::ConstantIndexOp::create(b, loc, value);
  }
  Value add(Value x, Value y) { return arith::AddIOp::create(b, loc, x, y); }

  /// The values of all loops at output (row, column).
  SmallVector<Value> at(Value row, Value column) {
    return gemmLoopValues(b, loc, plan.loops, plan.ranges, row, column);
  }

  void stage(unsigned input, ArrayRef<unsigned> loops, int64_t extent,
             Value stageBuffer, Value k0, Value steps, Value invocation) {
    StagedOperand operand{input, loops, extent, stageBuffer};
    operand.vectorWidth =
        stagedVectorWidth(op, plan.loops, plan.ranges, input, loops, extent,
                          plan.steps, plan.exact, vectorWidth);
    stageGemmOperand(b, loc, op, plan.loops, plan.ranges, operand, k0, steps,
                     invocation, workgroupSize);
  }

  /// `value` in the type the sums are kept in, and a sum in the output's.
  Value widen(Value value) {
    return sumType && value.getType() != sumType
               ? arith::ExtFOp::create(b, loc, sumType, value)
               : value;
  }
  Value round(Value sum) {
    return sumType ? arith::TruncFOp::create(b, loc, outType, sum) : sum;
  }

  /// The op's payload on one pair of elements and an accumulator: as it
  /// is, or, with wide sums, the multiply-add of the widened elements
  /// (whose products are exact) in the sums' type.
  Value payload(Value a, Value x, Value accumulator) {
    if (sumType)
      return arith::AddFOp::create(b, loc, accumulator,
                                   arith::MulFOp::create(b, loc, a, x));
    Block *body = op.getBlock();
    IRMapping mapping;
    mapping.map(body->getArgument(0), a);
    mapping.map(body->getArgument(1), x);
    mapping.map(body->getArgument(2), accumulator);
    for (Operation &nested : body->without_terminator())
      b.clone(nested, mapping);
    return mapping.lookupOrDefault(body->getTerminator()->getOperand(0));
  }

  linalg::LinalgOp op;
  const Plan &plan;
  int64_t workgroupSize, vectorWidth;
  Location loc;
  OpBuilder b;
  GemmEnds ends;
  Type outType;
  /// The type sums are kept in where it is not `outType` (f32 for f16 and
  /// bf16 outputs), else null.
  Type sumType;
  SmallVector<Value> rows, columns;
};

struct StrataGpuPromoteContractionsPass
    : impl::StrataGpuPromoteContractionsPassBase<
          StrataGpuPromoteContractionsPass> {
  using Base::Base;

  void runOnOperation() override {
    auto space =
        gpu::AddressSpaceAttr::get(&getContext(), gpu::AddressSpace::Workgroup);
    for (WorkgroupTile &tile : collectWorkgroupTiles(getOperation())) {
      // The invocations of a workgroup share the tile's buffers.
      for (memref::AllocOp alloc : tile.buffers) {
        if (!alloc.getType().hasStaticShape()) {
          alloc.emitError("a workgroup's tile allocates a buffer of "
                          "dynamic size");
          return signalPassFailure();
        }
        if (!alloc.getType().getMemorySpace())
          setMemorySpace(alloc.getResult(), space);
      }
      int64_t usedBytes = tile.bufferBytes();
      DenseSet<Operation *> applied;
      for (linalg::LinalgOp op : tile.ops) {
        if (applied.contains(op))
          continue;
        // A tile that applies its epilogue frees the buffer between them.
        linalg::GenericOp epilogue = findGemmEpilogue(op);
        int64_t freedBytes = epilogueBufferBytes(op, epilogue);
        FailureOr<Plan> plan = makePlan(op, workgroupSize, workgroupMemoryBytes,
                                        usedBytes - freedBytes);
        // A tile without a plan stays a loop nest, which
        // strata-gpu-distribute shares among the workgroup's invocations.
        if (failed(plan))
          continue;
        if (epilogue)
          applied.insert(epilogue);
        usedBytes -= freedBytes;
        TileBuilder(op, epilogue, *plan, workgroupSize, vectorWidth).build();
      }
    }
  }
};

} // namespace
} // namespace mlir::strata

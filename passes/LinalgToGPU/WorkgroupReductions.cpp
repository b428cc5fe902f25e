//===- WorkgroupReductions.cpp - a reduction shared by a workgroup --------===//
//
// strata-gpu-tile-and-fuse gives each output element of a long reduction
// (softmax's, a norm's, a sum over a row) a workgroup's tile. There, each
// invocation folds a strided share of the reduced elements into a partial
// result that starts from the combiner's neutral element; consecutive
// invocations read consecutive elements. The partials are then combined:
// within each subgroup by a subgroup operation where the target has them,
// then the subgroups' through workgroup memory; without them, by halving
// trees in workgroup memory between barriers. Invocation 0 folds the
// total into the output's initial value. An f16 or bf16 sum is kept in
// f32 until that store.
//
//===----------------------------------------------------------------------===//

#include "passes/LinalgToGPU/Reductions.h"
#include "passes/LinalgToGPU/Tiles.h"
#include "passes/Passes.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "llvm/ADT/TypeSwitch.h"

namespace mlir::strata {

#define GEN_PASS_DEF_STRATAGPUWORKGROUPREDUCTIONSPASS
#include "passes/Passes.h.inc"

namespace {

std::optional<gpu::AllReduceOperation> subgroupKind(Operation *op) {
  using Kind = gpu::AllReduceOperation;
  return llvm::TypeSwitch<Operation *, std::optional<Kind>>(op)
      .Case<arith::AddFOp, arith::AddIOp>([](auto) { return Kind::ADD; })
      .Case<arith::MulFOp, arith::MulIOp>([](auto) { return Kind::MUL; })
      .Case([](arith::MaximumFOp) { return Kind::MAXIMUMF; })
      .Case([](arith::MinimumFOp) { return Kind::MINIMUMF; })
      .Case([](arith::MaxNumFOp) { return Kind::MAXNUMF; })
      .Case([](arith::MinNumFOp) { return Kind::MINNUMF; })
      .Case([](arith::MaxSIOp) { return Kind::MAXSI; })
      .Case([](arith::MinSIOp) { return Kind::MINSI; })
      .Case([](arith::MaxUIOp) { return Kind::MAXUI; })
      .Case([](arith::MinUIOp) { return Kind::MINUI; })
      .Case([](arith::AndIOp) { return Kind::AND; })
      .Case([](arith::OrIOp) { return Kind::OR; })
      .Case([](arith::XOrIOp) { return Kind::XOR; })
      .Default([](Operation *) { return std::nullopt; });
}

/// A reduction a workgroup shares: its combiner, the combiner's neutral
/// element in the sum type, and the subgroup operation that computes it,
/// if any.
struct SharedReduction {
  ReductionCombiner combiner;
  TypedAttr neutral;
  std::optional<gpu::AllReduceOperation> kind;
};

/// `op` as a shared reduction, if it has a combiner with a neutral
/// element and its parallel loops all have extent 1 (one output element).
FailureOr<SharedReduction> matchSharedReduction(linalg::LinalgOp op) {
  FailureOr<ReductionCombiner> combiner = matchCombiner(op);
  if (failed(combiner))
    return failure();
  for (auto [range, iterator] :
       llvm::zip(op.getStaticLoopRanges(), op.getIteratorTypesArray()))
    if (iterator == utils::IteratorType::parallel && range != 1)
      return failure();
  std::optional<TypedAttr> neutral = neutralElement(*combiner);
  if (!neutral)
    return failure();
  return SharedReduction{*combiner, *neutral, subgroupKind(combiner->op)};
}

class ReductionBuilder {
public:
  ReductionBuilder(linalg::LinalgOp op, const SharedReduction &reduction,
                   int64_t workgroupSize, bool subgroups)
      : op(op), reduction(reduction), combiner(reduction.combiner),
        workgroupSize(workgroupSize),
        subgroups(subgroups && reduction.kind &&
                  reduction.neutral.getType().getIntOrFloatBitWidth() == 32),
        loc(op.getLoc()), b(op), ranges(op.getStaticLoopRanges()) {
    op.getReductionDims(reductions);
  }

  void build() {
    linalg::FillOp fill = precedingFill(op);
    if (fill)
      initial = fill.getInputs()[0];
    MLIRContext *ctx = op.getContext();
    Type type = reduction.neutral.getType();
    auto space = gpu::AddressSpaceAttr::get(ctx, gpu::AddressSpace::Workgroup);
    Value partials = memref::AllocOp::create(
        b, loc,
        MemRefType::get({workgroupSize}, type, MemRefLayoutAttrInterface(),
                        space));
    scf::ForallOp forall = createInvocationLoop(b, loc, workgroupSize);
    b.setInsertionPoint(forall.getBody()->getTerminator());
    Value invocation = forall.getInductionVar(0);
    Value partial = fold(invocation);
    Value first = equals(invocation, 0);
    if (subgroups) {
      // One partial per subgroup, in workgroup memory.
      // Not marked uniform, though it is: the SPIR-V lowering takes only
      // the unmarked op.
      Value reduced =
          gpu::SubgroupReduceOp::create(b, loc, partial, *reduction.kind,
                                        /*uniform=*/false);
      Value lane = gpu::LaneIdOp::create(b, loc, /*upperBound=*/nullptr);
      Value subgroup =
          gpu::SubgroupIdOp::create(b, loc, /*upperBound=*/nullptr);
      store(equals(lane, 0), reduced, partials, subgroup);
      gpu::BarrierOp::create(b, loc);
      Value count = gpu::NumSubgroupsOp::create(b, loc, /*upperBound=*/nullptr);
      finish(first, partials, count);
    } else if (llvm::isPowerOf2_64(workgroupSize)) {
      memref::StoreOp::create(b, loc, partial, partials, invocation);
      gpu::BarrierOp::create(b, loc);
      for (int64_t half = workgroupSize / 2; half >= 1; half /= 2) {
        Value lower = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult,
                                            invocation, index(half));
        auto guard = scf::IfOp::create(b, loc, lower, false);
        {
          OpBuilder::InsertionGuard g(b);
          b.setInsertionPoint(guard.thenBlock()->getTerminator());
          Value mine = memref::LoadOp::create(b, loc, partials, invocation);
          Value other =
              memref::LoadOp::create(b, loc, partials,
                                     ValueRange{arith::AddIOp::create(
                                         b, loc, invocation, index(half))});
          memref::StoreOp::create(b, loc, combine(mine, other), partials,
                                  invocation);
        }
        gpu::BarrierOp::create(b, loc);
      }
      finish(first, partials, index(1));
    } else {
      memref::StoreOp::create(b, loc, partial, partials, invocation);
      gpu::BarrierOp::create(b, loc);
      finish(first, partials, index(workgroupSize));
    }
    op->erase();
    if (fill)
      fill->erase();
  }

private:
  Value index(int64_t value) {
    return arith::ConstantIndexOp::create(b, loc, value);
  }
  Value equals(Value x, int64_t value) {
    return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, x,
                                 index(value));
  }

  Value combine(Value x, Value y) {
    return strata::combine(b, loc, combiner, x, y);
  }

  /// The loads of `map` at the reduction loops' row-major digits of
  /// `linear`, the parallel loops at 0.
  SmallVector<Value> indices(AffineMap map, Value linear) {
    SmallVector<Value> values(ranges.size(), index(0));
    assignDigits(b, loc, values, ranges, reductions, linear);
    return applyMap(b, loc, map, values);
  }

  /// This invocation's partial result: the payload over elements
  /// `invocation`, `invocation + workgroupSize`, ... from the neutral
  /// element.
  Value fold(Value invocation) {
    int64_t count = iterations(ranges, reductions);
    Value neutral = arith::ConstantOp::create(b, loc, reduction.neutral);
    auto loop = scf::ForOp::create(
        b, loc, invocation, index(count), index(workgroupSize),
        ValueRange{neutral},
        [&](OpBuilder &nested, Location, Value k, ValueRange args) {
          OpBuilder::InsertionGuard guard(b);
          b.setInsertionPointToEnd(nested.getInsertionBlock());
          SmallVector<Value> inputs = loadInputs(
              b, loc, op, [&](AffineMap map) { return indices(map, k); });
          scf::YieldOp::create(
              b, loc, foldElement(b, loc, op, combiner, inputs, args[0]));
        });
    return loop.getResult(0);
  }

  void store(Value condition, Value value, Value memref, Value at) {
    auto guard = scf::IfOp::create(b, loc, condition, false);
    OpBuilder::InsertionGuard g(b);
    b.setInsertionPoint(guard.thenBlock()->getTerminator());
    memref::StoreOp::create(b, loc, value, memref, at);
  }

  /// On invocation 0: folds the first `count` partials into the output's
  /// initial value (a preceding fill's, else the element's) and stores it.
  void finish(Value first, Value partials, Value count) {
    auto guard = scf::IfOp::create(b, loc, first, false);
    OpBuilder::InsertionGuard g(b);
    b.setInsertionPoint(guard.thenBlock()->getTerminator());
    OpOperand *init = op.getDpsInitOperand(0);
    SmallVector<Value> at = indices(op.getMatchingIndexingMap(init), index(0));
    Value total = widen(
        b, loc, combiner,
        initial ? initial
                : memref::LoadOp::create(b, loc, init->get(), at).getResult());
    auto loop = scf::ForOp::create(
        b, loc, index(0), count, index(1), ValueRange{total},
        [&](OpBuilder &nested, Location, Value i, ValueRange args) {
          OpBuilder::InsertionGuard guard(b);
          b.setInsertionPointToEnd(nested.getInsertionBlock());
          Value partial = memref::LoadOp::create(b, loc, partials, i);
          scf::YieldOp::create(b, loc, combine(args[0], partial));
        });
    memref::StoreOp::create(b, loc, round(b, loc, combiner, loop.getResult(0)),
                            init->get(), at);
  }

  linalg::LinalgOp op;
  const SharedReduction &reduction;
  const ReductionCombiner &combiner;
  int64_t workgroupSize;
  bool subgroups;
  Location loc;
  OpBuilder b;
  SmallVector<int64_t> ranges;
  SmallVector<unsigned> reductions;
  /// The value of the fill that precedes the reduction, if any.
  Value initial;
};

struct StrataGpuWorkgroupReductionsPass
    : impl::StrataGpuWorkgroupReductionsPassBase<
          StrataGpuWorkgroupReductionsPass> {
  using Base::Base;

  void runOnOperation() override {
    // strata-gpu-tile-and-fuse tiles a reduction's output loops, so a
    // long total (it has none) is left at the top of its kernel, where
    // it gets a workgroup tile of its own.
    SmallVector<linalg::LinalgOp> totals;
    for (auto op : getOperation().getBody().getOps<linalg::LinalgOp>())
      if (op.getNumParallelLoops() == 0 &&
          succeeded(matchSharedReduction(op)) &&
          llvm::product_of(op.getStaticLoopRanges()) >= kMinWorkgroupReduction)
        totals.push_back(op);
    for (linalg::LinalgOp op : totals) {
      OpBuilder b(op);
      auto tile = scf::ForallOp::create(
          b, op.getLoc(), ArrayRef<OpFoldResult>{b.getIndexAttr(1)},
          ValueRange{},
          b.getArrayAttr({gpu::GPUBlockMappingAttr::get(
              &getContext(), gpu::MappingId::LinearDim0)}));
      op->moveBefore(tile.getBody()->getTerminator());
    }
    SmallVector<linalg::LinalgOp> reductions;
    getOperation().walk([&](linalg::LinalgOp op) {
      if (isWorkgroupTiles(op->getParentOp()))
        reductions.push_back(op);
    });
    for (linalg::LinalgOp op : reductions) {
      FailureOr<SharedReduction> reduction = matchSharedReduction(op);
      // Anything else is left to strata-gpu-serial-reductions or stays a
      // loop nest, which strata-gpu-distribute shares among the
      // workgroup's invocations.
      if (succeeded(reduction))
        ReductionBuilder(op, *reduction, workgroupSize, subgroupReduce).build();
    }
  }
};

} // namespace
} // namespace mlir::strata

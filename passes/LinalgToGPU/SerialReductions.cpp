//===- SerialReductions.cpp - reductions folded in registers --------------===//
//
// A reduction that no workgroup shares (a short one, the parts of a
// matrix-vector product's columns, one of a kernel of several steps)
// folds each output element in one invocation (a short total, without
// parallel loops, in every invocation of its workgroup; one stores it).
// Upstream's convert-linalg-to-parallel-loops would load and store the
// output element at every step of the fold; here it is loaded once,
// carried through the loops, and stored once, which also lets an f16 or
// bf16 sum be kept in f32 between.
//
//===----------------------------------------------------------------------===//

#include "passes/LinalgToGPU/Reductions.h"
#include "passes/LinalgToGPU/Tiles.h"
#include "passes/Passes.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"

namespace mlir::strata {

#define GEN_PASS_DEF_STRATAGPUSERIALREDUCTIONSPASS
#include "passes/Passes.h.inc"

namespace {

/// Replaces `op` with an `scf.parallel` over its parallel loops, each
/// iteration of which folds its output element over the reduction loops,
/// from the value of a fill just before it where there is one.
void foldInRegisters(linalg::LinalgOp op, const ReductionCombiner &combiner) {
  linalg::FillOp fill = precedingFill(op);
  OpBuilder b(op);
  Location loc = op.getLoc();
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  SmallVector<unsigned> parallel, reductions;
  op.getParallelDims(parallel);
  op.getReductionDims(reductions);
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  auto upperBounds = [&](ArrayRef<unsigned> loops) {
    SmallVector<Value> bounds;
    for (unsigned loop : loops)
      bounds.push_back(arith::ConstantIndexOp::create(b, loc, ranges[loop]));
    return bounds;
  };
  SmallVector<Value> ubs = upperBounds(parallel),
                     rubs = upperBounds(reductions);
  SmallVector<Value> lbs(parallel.size(), zero), steps(parallel.size(), one),
      rlbs(reductions.size(), zero), rsteps(reductions.size(), one);
  OpOperand *init = op.getDpsInitOperand(0);

  auto body = [&](OpBuilder &nested, Location, ValueRange ivs) {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPoint(nested.getInsertionBlock(), nested.getInsertionPoint());
    SmallVector<Value> values(ranges.size(), zero);
    for (auto [loop, iv] : llvm::zip(parallel, ivs))
      values[loop] = iv;
    SmallVector<Value> at =
        applyMap(b, loc, op.getMatchingIndexingMap(init), values);
    Value start = widen(
        b, loc, combiner,
        fill ? fill.getInputs()[0]
             : memref::LoadOp::create(b, loc, init->get(), at).getResult());
    scf::LoopNest nest = scf::buildLoopNest(
        b, loc, rlbs, rubs, rsteps, ValueRange{start},
        [&](OpBuilder &inner, Location, ValueRange rivs, ValueRange args) {
          OpBuilder::InsertionGuard innerGuard(b);
          b.setInsertionPoint(inner.getInsertionBlock(),
                              inner.getInsertionPoint());
          SmallVector<Value> point(values);
          for (auto [loop, iv] : llvm::zip(reductions, rivs))
            point[loop] = iv;
          SmallVector<Value> inputs =
              loadInputs(b, loc, op, [&](AffineMap map) {
                return applyMap(b, loc, map, point);
              });
          return scf::ValueVector{
              foldElement(b, loc, op, combiner, inputs, args[0])};
        });
    memref::StoreOp::create(b, loc, round(b, loc, combiner, nest.results[0]),
                            init->get(), at);
  };
  if (parallel.empty()) {
    body(b, loc, {});
  } else {
    scf::ParallelOp::create(
        b, loc, lbs, ubs, steps,
        [&](OpBuilder &nested, Location nestedLoc, ValueRange ivs) {
          body(nested, nestedLoc, ivs);
        });
  }
  op->erase();
  if (fill)
    fill->erase();
}

struct StrataGpuSerialReductionsPass
    : impl::StrataGpuSerialReductionsPassBase<StrataGpuSerialReductionsPass> {
  using Base::Base;

  void runOnOperation() override {
    SmallVector<std::pair<linalg::LinalgOp, ReductionCombiner>> reductions;
    getOperation().walk([&](linalg::LinalgOp op) {
      if (FailureOr<ReductionCombiner> combiner = matchCombiner(op);
          succeeded(combiner))
        reductions.emplace_back(op, *combiner);
    });
    for (auto &[op, combiner] : reductions)
      foldInRegisters(op, combiner);
  }
};

} // namespace
} // namespace mlir::strata

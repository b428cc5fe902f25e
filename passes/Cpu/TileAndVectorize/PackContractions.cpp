//===- PackContractions.cpp - register-block panels for contractions ------===//
//
// Matmul-like contractions on row-major operands stride through B by a
// whole row per step of the reduction; at 1024 columns every step lands in
// the same L1 set. Packing both operands into panels shaped like the
// register block makes every inner-loop load contiguous.
//
//===----------------------------------------------------------------------===//

#include "passes/Cpu/TileAndVectorize/RegisterBlock.h"
#include "passes/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::strata {

#define GEN_PASS_DEF_STRATAPACKCONTRACTIONSPASS
#include "passes/Passes.h.inc"

namespace {

/// The extent of the innermost m loop of a contraction, the one that
/// packing blocks.
int64_t mRange(linalg::LinalgOp op) {
  FailureOr<linalg::ContractionDimensions> dims =
      linalg::inferContractionDims(op);
  if (failed(dims) || dims->m.empty())
    return ShapedType::kDynamic;
  return op.getStaticLoopRanges()[dims->m.back()];
}

/// Whether `op` is an f32 contraction worth packing.
bool shouldPack(linalg::LinalgOp op, RegisterFile file) {
  if (!op.hasPureTensorSemantics() || !linalg::isaContractionOpInterface(op))
    return false;
  auto isF32 = [](Type t) { return getElementTypeOrSelf(t).isF32(); };
  if (!llvm::all_of(op->getOperandTypes(), isF32))
    return false;
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  if (llvm::any_of(ranges, ShapedType::isDynamic))
    return false;
  FailureOr<linalg::ContractionDimensions> dims =
      linalg::inferContractionDims(op);
  // Matrix-vector and dot products have no m or no n dimension.
  if (failed(dims) || dims->m.empty() || dims->n.empty() || dims->k.empty())
    return false;
  return worthPacking(ranges[dims->m.back()], ranges[dims->n.back()],
                      ShapedType::getNumElements(ranges), file);
}

struct StrataPackContractionsPass
    : impl::StrataPackContractionsPassBase<StrataPackContractionsPass> {
  using Base::Base;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    RegisterFile file{vectorBits, vectorRegisters};
    int64_t cols = blockColumns(file);
    IRRewriter rewriter(&getContext());

    SmallVector<linalg::LinalgOp> candidates;
    func.walk([&](linalg::LinalgOp op) {
      if (shouldPack(op, file))
        candidates.push_back(op);
    });
    // The packed contractions and their relayouts, whose unit dims (the
    // reduction block of 1) are dropped below.
    llvm::DenseSet<Operation *> created;
    SmallVector<Operation *> relayouts;
    for (linalg::LinalgOp op : candidates) {
      rewriter.setInsertionPoint(op);
      linalg::ControlBlockPackMatmulFn control = [&](linalg::LinalgOp op) {
        linalg::BlockPackMatmulOptions options;
        int64_t rows = blockRows(file, mRange(op));
        options.blockFactors = {rows, cols, 1};
        return std::optional(options);
      };
      FailureOr<linalg::PackResult> packed =
          linalg::blockPackMatmul(rewriter, op, control);
      if (failed(packed))
        continue;
      created.insert(packed->packedLinalgOp);
      llvm::append_range(relayouts, packed->packOps);
      llvm::append_range(relayouts, packed->unPackOps);
    }
    // The packs and unpacks become pad, reshape and transpose; the packs'
    // transposes become generics, which the patterns below shed of unit
    // dims and fold when they copy constant weights.
    for (Operation *op : relayouts) {
      rewriter.setInsertionPoint(op);
      if (auto pack = dyn_cast<linalg::PackOp>(op)) {
        // The result's zero fill: its transpose folds into a fill.
        bool packsFill = pack.getSource().getDefiningOp<linalg::FillOp>();
        FailureOr<linalg::LowerPackResult> lowered =
            linalg::lowerPack(rewriter, pack);
        if (failed(lowered))
          return signalPassFailure();
        // A pack whose outer dims are all 1 lowers to an insert_slice,
        // with no transpose.
        if (packsFill || !lowered->transposeOp)
          continue;
        rewriter.setInsertionPoint(lowered->transposeOp);
        FailureOr<linalg::GenericOp> generic =
            linalg::generalizeNamedOp(rewriter, lowered->transposeOp);
        if (failed(generic))
          return signalPassFailure();
        created.insert(*generic);
        continue;
      }
      FailureOr<linalg::LowerUnPackOpResult> lowered =
          linalg::lowerUnPack(rewriter, cast<linalg::UnPackOp>(op));
      if (failed(lowered))
        return signalPassFailure();
      created.insert(lowered->transposeOp);
      // The unpack's copy into its destination: on tensors, the value.
      for (Operation *user :
           llvm::make_early_inc_range(lowered->extractSliceOp->getUsers()))
        if (auto copy = dyn_cast<linalg::CopyOp>(user);
            copy && copy.hasPureTensorSemantics())
          rewriter.replaceOp(copy, copy.getInputs()[0]);
    }

    RewritePatternSet patterns(&getContext());
    linalg::ControlDropUnitDims dropUnitDims;
    dropUnitDims.controlFn = [&](Operation *op) -> SmallVector<unsigned> {
      if (!created.contains(op))
        return {};
      return llvm::to_vector(
          llvm::seq<unsigned>(0, cast<linalg::LinalgOp>(op).getNumLoops()));
    };
    linalg::populateFoldUnitExtentDimsPatterns(patterns, dropUnitDims);
    linalg::populateConstantFoldLinalgOperations(
        patterns, [](OpOperand *) { return true; });
    tensor::ExpandShapeOp::getCanonicalizationPatterns(patterns, &getContext());
    tensor::CollapseShapeOp::getCanonicalizationPatterns(patterns,
                                                         &getContext());
    if (failed(applyPatternsGreedily(func, std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace
} // namespace mlir::strata

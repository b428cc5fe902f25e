//===- ElementwiseFusion.cpp - elementwise fusion that spares contractions ===//
//
// Upstream's linalg-fuse-elementwise-ops fuses an elementwise producer into
// any consumer. Fused into a contraction or a convolution, the producer is
// recomputed every time the consumer reads an element (N times for a
// matmul's A), and the consumer's body is no longer a multiply-add, so the
// targets' contraction paths (im2col, packing, tensor cores) no longer see
// it. This pass is upstream's, with that one fusion left out.
//
//===----------------------------------------------------------------------===//

#include "passes/Passes.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tensor/Transforms/Transforms.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::strata {

#define GEN_PASS_DEF_STRATAFUSEELEMENTWISEPASS
#include "passes/Passes.h.inc"

namespace {

/// Whether the producer of `operand` fuses into its consumer: it has no
/// other user, and the consumer reads each of its elements once. A
/// consumer with reductions whose map for the operand leaves out one of
/// its loops (a contraction's A leaves out n) reads elements many times.
bool fuses(OpOperand *operand) {
  Operation *producer = operand->get().getDefiningOp();
  if (!producer || !producer->hasOneUse())
    return false;
  auto consumer = dyn_cast<linalg::LinalgOp>(operand->getOwner());
  if (!consumer || consumer.getNumReductionLoops() == 0)
    return true;
  AffineMap map = consumer.getMatchingIndexingMap(operand);
  for (unsigned loop = 0, e = consumer.getNumLoops(); loop < e; ++loop)
    if (!map.isFunctionOfDim(loop))
      return false;
  return true;
}

struct StrataFuseElementwisePass
    : impl::StrataFuseElementwisePassBase<StrataFuseElementwisePass> {
  void runOnOperation() override {
    MLIRContext *context = &getContext();
    RewritePatternSet patterns(context);
    linalg::ControlFusionFn control = fuses;
    linalg::populateElementwiseOpsFusionPatterns(patterns, control);
    linalg::populateFoldReshapeOpsByExpansionPatterns(patterns, control);
    tensor::populateBubbleUpExpandShapePatterns(patterns);
    affine::AffineApplyOp::getCanonicalizationPatterns(patterns, context);
    linalg::GenericOp::getCanonicalizationPatterns(patterns, context);
    tensor::ExpandShapeOp::getCanonicalizationPatterns(patterns, context);
    tensor::CollapseShapeOp::getCanonicalizationPatterns(patterns, context);
    context->getLoadedDialect<linalg::LinalgDialect>()
        ->getCanonicalizationPatterns(patterns);
    linalg::populateConstantFoldLinalgOperations(patterns, control);
    if (failed(applyPatternsGreedily(
            getOperation(), std::move(patterns),
            GreedyRewriteConfig().setUseTopDownTraversal(true))))
      return signalPassFailure();
  }
};

} // namespace
} // namespace mlir::strata

//===- ApproximateMath.cpp - math that GLSL.std.450 lacks -----------------===//
//
// SPIR-V's extended instructions have no erf, which GELU needs; upstream's
// polynomial approximation computes it from exp, multiplies and adds. The
// cpu target calls libm's instead. trunc, which upstream does not convert,
// is a floor or a ceil by the sign.
//
//===----------------------------------------------------------------------===//

#include "passes/Passes.h"

#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::strata {

#define GEN_PASS_DEF_STRATASPIRVAPPROXIMATEMATHPASS
#include "passes/Passes.h.inc"

namespace {

/// trunc(x) = x < 0 ? ceil(x) : floor(x), exact, as GLSL has both.
struct TruncAsFloorOrCeil : OpRewritePattern<math::TruncOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(math::TruncOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value x = op.getOperand();
    Value zero = arith::ConstantOp::create(
        rewriter, loc, rewriter.getZeroAttr(x.getType()));
    Value negative =
        arith::CmpFOp::create(rewriter, loc, arith::CmpFPredicate::OLT, x, zero);
    rewriter.replaceOpWithNewOp<arith::SelectOp>(
        op, negative, math::CeilOp::create(rewriter, loc, x),
        math::FloorOp::create(rewriter, loc, x));
    return success();
  }
};

struct StrataSpirvApproximateMathPass
    : impl::StrataSpirvApproximateMathPassBase<StrataSpirvApproximateMathPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populatePolynomialApproximateErfPattern(patterns);
    populatePolynomialApproximateErfcPattern(patterns);
    patterns.add<TruncAsFloorOrCeil>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
} // namespace mlir::strata

//===- ApproximateMath.cpp - math that GLSL.std.450 lacks -----------------===//
//
// SPIR-V's extended instructions have no erf, which GELU needs; upstream's
// polynomial approximation computes it from exp, multiplies and adds. The
// cpu target calls libm's instead.
//
//===----------------------------------------------------------------------===//

#include "passes/Passes.h"

#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::strata {

#define GEN_PASS_DEF_STRATASPIRVAPPROXIMATEMATHPASS
#include "passes/Passes.h.inc"

namespace {

struct StrataSpirvApproximateMathPass
    : impl::StrataSpirvApproximateMathPassBase<StrataSpirvApproximateMathPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populatePolynomialApproximateErfPattern(patterns);
    populatePolynomialApproximateErfcPattern(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
} // namespace mlir::strata

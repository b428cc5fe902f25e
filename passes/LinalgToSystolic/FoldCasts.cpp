//===- FoldCasts.cpp - contractions read their operands narrow ------------===//
//
// A quantized model's integer contractions read i32 tensors that an
// elementwise generic widened from i8 (and a padded convolution pads after
// widening). The contraction reads the i8 tensor instead, padded and
// reshaped the same way, and widens in its body.
//
//===----------------------------------------------------------------------===//

#include "passes/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::strata {

#define GEN_PASS_DEF_STRATAFOLDCASTSINTOCONTRACTIONSPASS
#include "passes/Passes.h.inc"

namespace {

/// The narrow tensor `wide` is a sign extension of: through reshapes and
/// zero pads (rebuilt on the narrow tensor at `b`), to an elementwise
/// generic of one `arith.extsi`, or to a constant whose values fit in i8.
/// Null if it is not one.
Value narrowSource(OpBuilder &b, Value wide) {
  Operation *def = wide.getDefiningOp();
  if (!def)
    return {};
  Location loc = def->getLoc();
  auto retype = [](Value v, Type narrow) {
    return cast<RankedTensorType>(v.getType()).clone(narrow);
  };
  if (auto expand = dyn_cast<tensor::ExpandShapeOp>(def)) {
    Value src = narrowSource(b, expand.getSrc());
    if (!src)
      return {};
    return tensor::ExpandShapeOp::create(
        b, loc, retype(wide, getElementTypeOrSelf(src)), src,
        expand.getReassociationIndices(), expand.getMixedOutputShape());
  }
  if (auto collapse = dyn_cast<tensor::CollapseShapeOp>(def)) {
    Value src = narrowSource(b, collapse.getSrc());
    if (!src)
      return {};
    return tensor::CollapseShapeOp::create(
        b, loc, retype(wide, getElementTypeOrSelf(src)), src,
        collapse.getReassociationIndices());
  }
  if (auto pad = dyn_cast<tensor::PadOp>(def)) {
    Value value = pad.getConstantPaddingValue();
    if (!value || !matchPattern(value, m_Zero()))
      return {};
    Value src = narrowSource(b, pad.getSource());
    if (!src)
      return {};
    Type narrow = getElementTypeOrSelf(src);
    Value zero = arith::ConstantOp::create(b, loc, b.getZeroAttr(narrow));
    return tensor::PadOp::create(b, loc, retype(wide, narrow), src,
                                 pad.getMixedLowPad(), pad.getMixedHighPad(),
                                 zero);
  }
  // A widened constant (the cast of an i8 weight folds into one): i8 again
  // when every value fits.
  if (auto constant = dyn_cast<arith::ConstantOp>(def)) {
    auto dense = dyn_cast<DenseIntElementsAttr>(constant.getValue());
    if (!dense || dense.getElementType().getIntOrFloatBitWidth() <= 8 ||
        !llvm::all_of(dense.getValues<APInt>(),
                      [](const APInt &v) { return v.isSignedIntN(8); }))
      return {};
    Type i8 = b.getI8Type();
    return arith::ConstantOp::create(
        b, loc, dense.mapValues(i8, [](const APInt &v) { return v.trunc(8); }));
  }
  auto generic = dyn_cast<linalg::GenericOp>(def);
  if (!generic || generic.getNumDpsInputs() != 1 ||
      generic.getNumDpsInits() != 1 || generic.getNumReductionLoops() != 0 ||
      !llvm::all_of(generic.getIndexingMapsArray(),
                    [](AffineMap m) { return m.isIdentity(); }))
    return {};
  Block *body = generic.getBody();
  auto ext = dyn_cast<arith::ExtSIOp>(&body->front());
  if (!ext || body->getOperations().size() != 2 ||
      ext.getIn() != body->getArgument(0) ||
      body->getTerminator()->getOperand(0) != ext.getResult())
    return {};
  return generic.getDpsInputs()[0];
}

/// A contraction (a generic with reduction loops) reading a widened
/// operand reads the narrow one and widens in its body.
struct FoldCast : OpRewritePattern<linalg::GenericOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(linalg::GenericOp op,
                                PatternRewriter &rewriter) const override {
    if (op.getNumReductionLoops() == 0 || !op.hasPureTensorSemantics())
      return failure();
    Block *body = op.getBody();
    for (OpOperand *input : op.getDpsInputOperands()) {
      Value wide = input->get();
      if (!isa<IntegerType>(getElementTypeOrSelf(wide)))
        continue;
      rewriter.setInsertionPoint(op);
      Value narrow = narrowSource(rewriter, wide);
      if (!narrow)
        continue;
      BlockArgument arg = body->getArgument(input->getOperandNumber());
      rewriter.modifyOpInPlace(op, [&] {
        input->set(narrow);
        Type wideType = arg.getType();
        arg.setType(getElementTypeOrSelf(narrow));
        rewriter.setInsertionPointToStart(body);
        Value widened =
            arith::ExtSIOp::create(rewriter, op.getLoc(), wideType, arg);
        rewriter.replaceAllUsesExcept(arg, widened, widened.getDefiningOp());
      });
      return success();
    }
    return failure();
  }
};

struct StrataFoldCastsIntoContractionsPass
    : impl::StrataFoldCastsIntoContractionsPassBase<
          StrataFoldCastsIntoContractionsPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<FoldCast>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
} // namespace mlir::strata

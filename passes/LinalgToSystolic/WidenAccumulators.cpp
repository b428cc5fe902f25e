//===- WidenAccumulators.cpp - narrow-float contractions sum in f32 -------===//
//
// Strata's strict lowering of a bf16 or f16 matmul or convolution sums in
// the narrow type, rounding after every add. An accelerator with a narrow
// datapath (the systolic array's bf16) multiplies the narrow operands and
// sums in f32, rounding once: each such contraction is rebuilt that way,
// followed by one truncation, which elementwise fusion then puts into its
// consumer.
//
//===----------------------------------------------------------------------===//

#include "passes/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::strata {

#define GEN_PASS_DEF_STRATAWIDENACCUMULATORSPASS
#include "passes/Passes.h.inc"

namespace {

/// Whether the body is `out + in0 * in1` in floats.
bool isFloatMulAdd(linalg::GenericOp op) {
  Block *body = op.getBody();
  auto add =
      body->getTerminator()->getOperand(0).getDefiningOp<arith::AddFOp>();
  if (!add || body->getOperations().size() != 3)
    return false;
  Value acc = body->getArgument(2);
  Value product = add.getLhs() == acc ? add.getRhs() : add.getLhs();
  auto mul = product.getDefiningOp<arith::MulFOp>();
  return mul && (add.getLhs() == acc || add.getRhs() == acc) &&
         ((mul.getLhs() == body->getArgument(0) &&
           mul.getRhs() == body->getArgument(1)) ||
          (mul.getLhs() == body->getArgument(1) &&
           mul.getRhs() == body->getArgument(0)));
}

/// An elementwise generic over `input` (identity maps) whose body `body`
/// builds from the input element.
Value elementwise(PatternRewriter &rewriter, Location loc, Value input,
                  Type element,
                  function_ref<Value(OpBuilder &, Location, Value)> body) {
  auto type = cast<RankedTensorType>(input.getType());
  Value init = tensor::EmptyOp::create(rewriter, loc, type.getShape(), element);
  AffineMap id = rewriter.getMultiDimIdentityMap(type.getRank());
  SmallVector<utils::IteratorType> parallel(type.getRank(),
                                            utils::IteratorType::parallel);
  return linalg::GenericOp::create(
             rewriter, loc, TypeRange{init.getType()}, ValueRange{input},
             ValueRange{init}, ArrayRef<AffineMap>{id, id}, parallel,
             [&](OpBuilder &b, Location l, ValueRange args) {
               linalg::YieldOp::create(b, l, body(b, l, args[0]));
             })
      .getResult(0);
}

struct WidenAccumulator : OpRewritePattern<linalg::GenericOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(linalg::GenericOp op,
                                PatternRewriter &rewriter) const override {
    if (op.getNumReductionLoops() == 0 || op.getNumDpsInputs() != 2 ||
        op.getNumDpsInits() != 1 || !op.hasPureTensorSemantics() ||
        !isFloatMulAdd(op))
      return failure();
    Type narrow = getElementTypeOrSelf(op.getResultTypes()[0]);
    if (!narrow.isBF16() && !narrow.isF16())
      return failure();
    Location loc = op.getLoc();
    Type f32 = rewriter.getF32Type();
    // The f32 init: the narrow one's values, widened (a fill stays one).
    Value init;
    Value narrowInit = op.getDpsInits()[0];
    if (auto fill = narrowInit.getDefiningOp<linalg::FillOp>()) {
      auto type = cast<RankedTensorType>(narrowInit.getType());
      Value empty =
          tensor::EmptyOp::create(rewriter, loc, type.getShape(), f32);
      Value value =
          arith::ExtFOp::create(rewriter, loc, f32, fill.getInputs()[0]);
      init = linalg::FillOp::create(rewriter, loc, value, empty).getResult(0);
    } else {
      init = elementwise(rewriter, loc, narrowInit, f32,
                         [&](OpBuilder &b, Location l, Value v) {
                           return arith::ExtFOp::create(b, l, f32, v);
                         });
    }
    auto wide = linalg::GenericOp::create(
        rewriter, loc, TypeRange{init.getType()}, op.getDpsInputs(),
        ValueRange{init}, op.getIndexingMapsArray(), op.getIteratorTypesArray(),
        [&](OpBuilder &b, Location l, ValueRange args) {
          auto widen = [&](Value v) {
            return v.getType() == f32
                       ? v
                       : Value(arith::ExtFOp::create(b, l, f32, v));
          };
          Value product =
              arith::MulFOp::create(b, l, widen(args[0]), widen(args[1]));
          linalg::YieldOp::create(
              b, l, Value(arith::AddFOp::create(b, l, args[2], product)));
        });
    Value result =
        elementwise(rewriter, loc, wide.getResult(0), narrow,
                    [&](OpBuilder &b, Location l, Value v) {
                      return arith::TruncFOp::create(b, l, narrow, v);
                    });
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct StrataWidenAccumulatorsPass
    : impl::StrataWidenAccumulatorsPassBase<StrataWidenAccumulatorsPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<WidenAccumulator>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
} // namespace mlir::strata

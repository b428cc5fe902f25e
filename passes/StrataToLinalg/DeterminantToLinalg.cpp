//===- DeterminantToLinalg.cpp - det by LU factorization ------------------===//
//
// A determinant is not a linalg computation: Gaussian elimination with
// partial pivoting runs its steps in order. Each matrix is factored in
// place in `scf.for` loops that carry the tensor (bufferized in place) and
// the running product of the pivots, in f64 whatever the element type, as
// LAPACK's getrf does before numpy multiplies the diagonal.
//
//===----------------------------------------------------------------------===//

#include "dialects/Strata/IR/StrataOps.h"
#include "passes/StrataToLinalg/LoweringUtils.h"

#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

namespace mlir::strata {
namespace {

/// `for i in [from, to)` carrying `init`; `body(i, carried)` returns the
/// values carried into the next iteration.
ValueRange forRange(
    OpBuilder &b, Location loc, Value from, Value to, ValueRange init,
    function_ref<SmallVector<Value>(OpBuilder &, Value, ValueRange)> body) {
  auto loop = scf::ForOp::create(
      b, loc, from, to, indexConstant(b, loc, 1), init,
      [&](OpBuilder &nb, Location l, Value i, ValueRange carried) {
        scf::YieldOp::create(nb, l, body(nb, i, carried));
      });
  return loop.getResults();
}

/// The determinant of the `m` x `m` f64 tensor `a`, as an f64 value.
Value luDeterminant(OpBuilder &b, Location loc, Value a, int64_t m) {
  Type f64 = b.getF64Type();
  Value zero = scalarConstant(b, loc, f64, 0), one = scalarConstant(b, loc, f64, 1);
  Value n = indexConstant(b, loc, m), begin = indexConstant(b, loc, 0);
  auto at = [](OpBuilder &nb, Location l, Value t, Value i, Value j) {
    return tensor::ExtractOp::create(nb, l, t, ValueRange{i, j}).getResult();
  };
  auto put = [](OpBuilder &nb, Location l, Value v, Value t, Value i,
                Value j) {
    return tensor::InsertOp::create(nb, l, v, t, ValueRange{i, j}).getResult();
  };
  ValueRange result = forRange(
      b, loc, begin, n, {a, one},
      [&](OpBuilder &b1, Value k, ValueRange s) -> SmallVector<Value> {
        Value mat = s[0], det = s[1];
        // The pivot: the row at or below k with the largest |a[i, k]|.
        Value minusOne = scalarConstant(b1, loc, f64, -1);
        ValueRange best = forRange(
            b1, loc, k, n, {minusOne, k},
            [&](OpBuilder &b2, Value i, ValueRange c) -> SmallVector<Value> {
              Value v = math::AbsFOp::create(b2, loc, at(b2, loc, mat, i, k));
              Value better = arith::CmpFOp::create(
                  b2, loc, arith::CmpFPredicate::OGT, v, c[0]);
              return {arith::SelectOp::create(b2, loc, better, v, c[0]),
                      arith::SelectOp::create(b2, loc, better, i, c[1])};
            });
        Value p = best[1];
        mat = forRange(b1, loc, begin, n, {mat},
                       [&](OpBuilder &b2, Value j,
                           ValueRange c) -> SmallVector<Value> {
                         Value x = at(b2, loc, c[0], k, j);
                         Value y = at(b2, loc, c[0], p, j);
                         Value t = put(b2, loc, y, c[0], k, j);
                         return {put(b2, loc, x, t, p, j)};
                       })[0];
        Value swapped = arith::CmpIOp::create(b1, loc, arith::CmpIPredicate::ne,
                                              p, k);
        det = arith::SelectOp::create(
            b1, loc, swapped, arith::NegFOp::create(b1, loc, det), det);
        Value pivot = at(b1, loc, mat, k, k);
        det = arith::MulFOp::create(b1, loc, det, pivot);
        // A zero pivot makes the determinant 0; eliminating with it would
        // only spread NaNs.
        Value singular = arith::CmpFOp::create(
            b1, loc, arith::CmpFPredicate::OEQ, pivot, zero);
        Value safePivot = arith::SelectOp::create(b1, loc, singular, one, pivot);
        Value next = arith::AddIOp::create(b1, loc, k, indexConstant(b1, loc, 1));
        mat = forRange(
            b1, loc, next, n, {mat},
            [&](OpBuilder &b2, Value i, ValueRange c) -> SmallVector<Value> {
              Value f = arith::DivFOp::create(b2, loc, at(b2, loc, c[0], i, k),
                                              safePivot);
              return forRange(
                  b2, loc, next, n, {c[0]},
                  [&](OpBuilder &b3, Value j,
                      ValueRange d) -> SmallVector<Value> {
                    Value v = arith::SubFOp::create(
                        b3, loc, at(b3, loc, d[0], i, j),
                        arith::MulFOp::create(b3, loc, f,
                                              at(b3, loc, d[0], k, j)));
                    return {put(b3, loc, v, d[0], i, j)};
                  });
            })[0];
        return {mat, det};
      });
  return result[1];
}

struct DetLowering : OpConversionPattern<DetOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(DetOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type =
        cast<RankedTensorType>(getTypeConverter()->convertType(op.getType()));
    Type element = type.getElementType(), f64 = rewriter.getF64Type();
    ArrayRef<int64_t> shape = shapeOf(adaptor.getInput());
    int64_t m = shape.back(), batch = type.getNumElements();
    Value input = reshapeTo(rewriter, loc, adaptor.getInput(), {batch, m, m});
    // Widen once, so the loops below work in f64.
    auto wideType = RankedTensorType::get({batch, m, m}, f64);
    Value wide = element == f64
                     ? input
                     : buildElementwise(
                           rewriter, loc, wideType, input,
                           [&](OpBuilder &b, Location l, ValueRange args) {
                             return arith::ExtFOp::create(b, l, f64, args[0])
                                 .getResult();
                           });
    Value dets = tensor::EmptyOp::create(rewriter, loc, {batch}, element);
    Value result =
        forRange(rewriter, loc, indexConstant(rewriter, loc, 0),
                 indexConstant(rewriter, loc, batch), {dets},
                 [&](OpBuilder &b, Value i, ValueRange c) -> SmallVector<Value> {
                   SmallVector<OpFoldResult> offsets = {i, b.getIndexAttr(0),
                                                        b.getIndexAttr(0)};
                   SmallVector<OpFoldResult> sizes = {
                       b.getIndexAttr(1), b.getIndexAttr(m), b.getIndexAttr(m)};
                   SmallVector<OpFoldResult> strides(3, b.getIndexAttr(1));
                   Value mat = tensor::ExtractSliceOp::create(
                       b, loc, RankedTensorType::get({m, m}, f64), wide,
                       offsets, sizes, strides);
                   Value det = luDeterminant(b, loc, mat, m);
                   Value narrow =
                       element == f64
                           ? det
                           : arith::TruncFOp::create(b, loc, element, det);
                   return {tensor::InsertOp::create(b, loc, narrow, c[0],
                                                    ValueRange{i})};
                 })[0];
    rewriter.replaceOp(op, reshapeTo(rewriter, loc, result, type.getShape()));
    return success();
  }
};

} // namespace

void populateLinearAlgebraPatterns(const TypeConverter &converter,
                                   RewritePatternSet &patterns) {
  patterns.add<DetLowering>(converter, patterns.getContext());
}

} // namespace mlir::strata

//===- GridSampleToLinalg.cpp - grid_sample to linalg ---------------------===//
//
// One parallel generic over the output (n, c, ho, wo). Each element reads
// its (x, y) from the grid and its taps from the image with tensor.extract,
// following the arithmetic of ONNX's reference implementation: coordinates
// are unnormalized, rounded for nearest, clamped or reflected when either
// falls outside the image, and every tap applies the padding mode again.
//
//===----------------------------------------------------------------------===//

#include "dialects/Strata/IR/StrataOps.h"
#include "passes/StrataToLinalg/LoweringUtils.h"

#include "mlir/Dialect/Math/IR/Math.h"

namespace mlir::strata {
namespace {

using utils::IteratorType;

/// Scalar arithmetic in the sampling's compute type.
struct Sampler {
  OpBuilder &b;
  Location loc;
  Type type;
  StringRef padding;
  bool alignCorners;
  Value image;
  int64_t height, width;

  Value cst(double v) { return scalarConstant(b, loc, type, v); }
  Value add(Value x, Value y) { return arith::AddFOp::create(b, loc, x, y); }
  Value sub(Value x, Value y) { return arith::SubFOp::create(b, loc, x, y); }
  Value mul(Value x, Value y) { return arith::MulFOp::create(b, loc, x, y); }
  Value div(Value x, Value y) { return arith::DivFOp::create(b, loc, x, y); }
  Value lt(Value x, Value y) {
    return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT, x, y);
  }
  Value pick(Value c, Value x, Value y) {
    return arith::SelectOp::create(b, loc, c, x, y);
  }
  /// `x` limited to [lo, hi]; NaN becomes `lo`, so an index made from it
  /// stays inside the image.
  Value clamp(Value x, double lo, double hi) {
    return arith::MinNumFOp::create(
        b, loc, arith::MaxNumFOp::create(b, loc, x, cst(lo)), cst(hi));
  }

  /// The pixel coordinate of normalized `v` along an axis of `length`.
  Value unnormalize(Value v, int64_t length) {
    Value shifted = add(v, cst(1));
    if (alignCorners)
      return mul(div(shifted, cst(2)), cst(length - 1));
    return div(sub(mul(shifted, cst(length)), cst(1)), cst(2));
  }

  /// The first and last coordinate inside the image along an axis.
  std::pair<double, double> bounds(int64_t length) const {
    return alignCorners ? std::pair<double, double>{0, length - 1.0}
                        : std::pair<double, double>{-0.5, length - 0.5};
  }

  /// Reflects `x` off the bounds until it lies between them (onto `lo`
  /// when they coincide: a one-pixel axis with aligned corners).
  Value reflect(Value x, double lo, double hi) {
    if (hi <= lo)
      return cst(lo);
    Value range = cst(hi - lo);
    auto fold = [&](Value distance, double near, double far) {
      Value n = math::TruncOp::create(b, loc, div(distance, range));
      Value rest = sub(distance, mul(n, range));
      Value parity = arith::AndIOp::create(
          b, loc, arith::FPToSIOp::create(b, loc, b.getI64Type(), n),
          arith::ConstantIntOp::create(b, loc, 1, 64));
      Value even = arith::CmpIOp::create(
          b, loc, arith::CmpIPredicate::eq, parity,
          arith::ConstantIntOp::create(b, loc, 0, 64));
      Value towardsFar = near < far ? add(cst(near), rest) : sub(cst(near), rest);
      Value towardsNear = near < far ? sub(cst(far), rest) : add(cst(far), rest);
      return pick(even, towardsFar, towardsNear);
    };
    Value below = fold(sub(cst(lo), x), lo, hi);
    Value above = fold(sub(x, cst(hi)), hi, lo);
    return pick(lt(x, cst(lo)), below, pick(lt(cst(hi), x), above, x));
  }

  Value toIndex(Value x) {
    return arith::IndexCastOp::create(
        b, loc, b.getIndexType(),
        arith::FPToSIOp::create(b, loc, b.getI64Type(), x));
  }

  /// The image value at integral (row, col) of plane (n, c), with the
  /// padding mode applied to taps outside the image.
  Value pixel(Value n, Value c, Value row, Value col) {
    Value inside;
    if (padding == "zeros") {
      auto within = [&](Value v, int64_t length) {
        return arith::AndIOp::create(b, loc, arith::CmpFOp::create(
                                                 b, loc, arith::CmpFPredicate::OGE,
                                                 v, cst(0)),
                                     lt(v, cst(length)));
      };
      inside = arith::AndIOp::create(b, loc, within(row, height),
                                     within(col, width));
    } else if (padding == "reflection") {
      auto [xLo, xHi] = bounds(width);
      auto [yLo, yHi] = bounds(height);
      col = math::TruncOp::create(b, loc, reflect(col, xLo, xHi));
      row = math::TruncOp::create(b, loc, reflect(row, yLo, yHi));
    }
    // Clamped in every mode, so that the read stays inside the tensor
    // (the border mode's whole rule; a no-op for reflected taps).
    Value at = tensor::ExtractOp::create(
        b, loc, image,
        ValueRange{n, c, toIndex(clamp(row, 0, height - 1)),
                   toIndex(clamp(col, 0, width - 1))});
    Value value = widen(at);
    return inside ? pick(inside, value, cst(0)) : value;
  }

  Value widen(Value v) {
    if (v.getType() == type)
      return v;
    return arith::ExtFOp::create(b, loc, type, v);
  }

  /// Keys' cubic convolution weights (a = -0.75) of the 4 taps around a
  /// point `t` past the second one.
  std::array<Value, 4> cubicWeights(Value t) {
    double a = -0.75;
    t = math::AbsFOp::create(b, loc, t);
    auto outer = [&](Value d) { // |d| in [1, 2]
      return sub(mul(add(mul(sub(mul(cst(a), d), cst(5 * a)), d), cst(8 * a)),
                     d),
                 cst(4 * a));
    };
    auto inner = [&](Value d) { // |d| in [0, 1]
      return add(mul(mul(sub(mul(cst(a + 2), d), cst(a + 3)), d), d), cst(1));
    };
    return {outer(add(t, cst(1))), inner(t), inner(sub(cst(1), t)),
            outer(sub(cst(2), t))};
  }
};

struct GridSampleLowering : OpConversionPattern<GridSampleOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(GridSampleOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type =
        cast<RankedTensorType>(getTypeConverter()->convertType(op.getType()));
    ArrayRef<int64_t> inShape = shapeOf(adaptor.getInput());
    if (inShape.size() != 4)
      return rewriter.notifyMatchFailure(op, "only 2-D images are lowered");
    if (inShape[2] == 0 || inShape[3] == 0)
      return rewriter.notifyMatchFailure(op, "an empty image has no taps");
    Type element = type.getElementType();
    Type computeType = element.getIntOrFloatBitWidth() < 32
                           ? Type(rewriter.getF32Type())
                           : element;
    StringRef mode = op.getMode(), padding = op.getPaddingMode();
    Value image = adaptor.getInput(), grid = adaptor.getGrid();
    Value empty = tensor::EmptyOp::create(rewriter, loc, type.getShape(),
                                          element);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, type, ValueRange{}, empty,
        rewriter.getMultiDimIdentityMap(4),
        SmallVector<IteratorType>(4, IteratorType::parallel),
        [&](OpBuilder &b, Location l, ValueRange) {
          Sampler s{b,     l,     computeType, padding, op.getAlignCorners(),
                    image, inShape[2], inShape[3]};
          Value n = linalg::IndexOp::create(b, l, 0);
          Value c = linalg::IndexOp::create(b, l, 1);
          Value ho = linalg::IndexOp::create(b, l, 2);
          Value wo = linalg::IndexOp::create(b, l, 3);
          auto coord = [&](int64_t axis) {
            return s.widen(tensor::ExtractOp::create(
                b, l, grid, ValueRange{n, ho, wo, indexConstant(b, l, axis)}));
          };
          Value x = s.unnormalize(coord(0), s.width);
          Value y = s.unnormalize(coord(1), s.height);
          if (mode == "nearest") {
            x = math::RoundEvenOp::create(b, l, x);
            y = math::RoundEvenOp::create(b, l, y);
          }
          auto [xLo, xHi] = s.bounds(s.width);
          auto [yLo, yHi] = s.bounds(s.height);
          // Either coordinate outside moves both, as the reference does.
          Value outside = arith::OrIOp::create(
              b, l,
              arith::OrIOp::create(b, l, s.lt(x, s.cst(xLo)),
                                   s.lt(s.cst(xHi), x)),
              arith::OrIOp::create(b, l, s.lt(y, s.cst(yLo)),
                                   s.lt(s.cst(yHi), y)));
          if (padding == "border") {
            x = s.pick(outside, s.clamp(x, 0, s.width - 1), x);
            y = s.pick(outside, s.clamp(y, 0, s.height - 1), y);
          } else if (padding == "reflection") {
            x = s.pick(outside, s.reflect(x, xLo, xHi), x);
            y = s.pick(outside, s.reflect(y, yLo, yHi), y);
          }
          Value result;
          if (mode == "nearest") {
            result = s.pixel(n, c, math::TruncOp::create(b, l, y),
                             math::TruncOp::create(b, l, x));
          } else if (mode == "bicubic") {
            Value x0 = s.sub(math::FloorOp::create(b, l, x), s.cst(1));
            Value y0 = s.sub(math::FloorOp::create(b, l, y), s.cst(1));
            std::array<Value, 4> wx =
                s.cubicWeights(s.sub(s.sub(x, x0), s.cst(1)));
            std::array<Value, 4> wy =
                s.cubicWeights(s.sub(s.sub(y, y0), s.cst(1)));
            result = s.cst(0);
            for (int h = 0; h < 4; ++h) {
              Value row = s.cst(0);
              for (int w = 0; w < 4; ++w)
                row = s.add(row, s.mul(wx[w], s.pixel(n, c, s.add(y0, s.cst(h)),
                                                      s.add(x0, s.cst(w)))));
              result = s.add(result, s.mul(wy[h], row));
            }
          } else {
            Value x1 = math::FloorOp::create(b, l, x);
            Value y1 = math::FloorOp::create(b, l, y);
            Value x2 = s.add(x1, s.cst(1)), y2 = s.add(y1, s.cst(1));
            Value dx1 = s.sub(x, x1), dx2 = s.sub(x2, x);
            Value dy1 = s.sub(y, y1), dy2 = s.sub(y2, y);
            Value top = s.add(s.mul(dx2, s.pixel(n, c, y1, x1)),
                              s.mul(dx1, s.pixel(n, c, y1, x2)));
            Value bottom = s.add(s.mul(dx2, s.pixel(n, c, y2, x1)),
                                 s.mul(dx1, s.pixel(n, c, y2, x2)));
            result = s.add(s.mul(dy2, top), s.mul(dy1, bottom));
          }
          if (result.getType() != element)
            result = arith::TruncFOp::create(b, l, element, result);
          linalg::YieldOp::create(b, l, result);
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

} // namespace

void populateGridSamplePatterns(const TypeConverter &converter,
                                RewritePatternSet &patterns) {
  patterns.add<GridSampleLowering>(converter, patterns.getContext());
}

} // namespace mlir::strata

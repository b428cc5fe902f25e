//===- ElementwiseToLinalg.cpp - elementwise strata ops to linalg ---------===//
//
// Every elementwise strata op becomes one parallel linalg.generic whose
// operands broadcast numpy-style; only the scalar body differs per op.
//
//===----------------------------------------------------------------------===//

#include "dialects/Strata/IR/StrataOps.h"
#include "passes/StrataToLinalg/LoweringUtils.h"

#include <cmath>

namespace mlir::strata {
namespace {

bool isFloat(Value v) { return isa<FloatType>(v.getType()); }

template <typename FloatOp, typename IntOp>
Value floatOrInt(OpBuilder &b, Location loc, Value x, Value y) {
  if (isFloat(x))
    return FloatOp::create(b, loc, x, y);
  return IntOp::create(b, loc, x, y);
}

template <typename FloatOp, typename SignedOp, typename UnsignedOp>
Value bySignedness(OpBuilder &b, Location loc, Value x, Value y,
                   bool isUnsigned) {
  if (isFloat(x))
    return FloatOp::create(b, loc, x, y);
  if (isUnsigned)
    return UnsignedOp::create(b, loc, x, y);
  return SignedOp::create(b, loc, x, y);
}

/// Applies a math op, computing in f32 for narrower floats (libm has no f16).
template <typename MathOp>
Value mathUnary(OpBuilder &b, Location loc, Value x) {
  Type type = x.getType();
  if (type.getIntOrFloatBitWidth() >= 32)
    return MathOp::create(b, loc, x);
  Value wide = arith::ExtFOp::create(b, loc, b.getF32Type(), x);
  return arith::TruncFOp::create(b, loc, type, MathOp::create(b, loc, wide));
}

Value constantLike(OpBuilder &b, Location loc, Value like, double value) {
  return scalarConstant(b, loc, like.getType(), value);
}

Value cmp(OpBuilder &b, Location loc, arith::CmpFPredicate fpred,
          arith::CmpIPredicate spred, arith::CmpIPredicate upred,
          bool isUnsigned, Value x, Value y) {
  if (isFloat(x))
    return arith::CmpFOp::create(b, loc, fpred, x, y);
  return arith::CmpIOp::create(b, loc, isUnsigned ? upred : spred, x, y);
}

//===----------------------------------------------------------------------===//
// Scalar bodies, one overload per op.
//===----------------------------------------------------------------------===//

struct Scalar {
  OpBuilder &b;
  Location loc;
  bool isUnsigned;

  Value operator()(AddOp, ValueRange a) {
    return floatOrInt<arith::AddFOp, arith::AddIOp>(b, loc, a[0], a[1]);
  }
  Value operator()(SubOp, ValueRange a) {
    return floatOrInt<arith::SubFOp, arith::SubIOp>(b, loc, a[0], a[1]);
  }
  Value operator()(MulOp, ValueRange a) {
    return floatOrInt<arith::MulFOp, arith::MulIOp>(b, loc, a[0], a[1]);
  }
  Value operator()(DivOp, ValueRange a) {
    return bySignedness<arith::DivFOp, arith::DivSIOp, arith::DivUIOp>(
        b, loc, a[0], a[1], isUnsigned);
  }
  Value operator()(MaxOp, ValueRange a) {
    return bySignedness<arith::MaximumFOp, arith::MaxSIOp, arith::MaxUIOp>(
        b, loc, a[0], a[1], isUnsigned);
  }
  Value operator()(MinOp, ValueRange a) {
    return bySignedness<arith::MinimumFOp, arith::MinSIOp, arith::MinUIOp>(
        b, loc, a[0], a[1], isUnsigned);
  }
  Value operator()(PowOp, ValueRange a) {
    if (isFloat(a[0]))
      return math::PowFOp::create(b, loc, a[0], a[1]);
    // Integer powers go through f64, exact for every result that fits.
    Type f64 = b.getF64Type();
    auto toFloat = [&](Value v) -> Value {
      if (isUnsigned)
        return arith::UIToFPOp::create(b, loc, f64, v);
      return arith::SIToFPOp::create(b, loc, f64, v);
    };
    Value power = math::PowFOp::create(b, loc, toFloat(a[0]), toFloat(a[1]));
    if (isUnsigned)
      return arith::FPToUIOp::create(b, loc, a[0].getType(), power);
    return arith::FPToSIOp::create(b, loc, a[0].getType(), power);
  }
  Value operator()(ModOp op, ValueRange a) {
    Value x = a[0], y = a[1];
    if (isFloat(x))
      return arith::RemFOp::create(b, loc, x, y);
    if (isUnsigned)
      return arith::RemUIOp::create(b, loc, x, y);
    Value rem = arith::RemSIOp::create(b, loc, x, y);
    if (op.getFmod())
      return rem;
    // Python's `%`: a non-zero remainder takes the divisor's sign.
    Value zero = constantLike(b, loc, x, 0);
    Value nonZero =
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, rem, zero);
    Value remNeg =
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, rem, zero);
    Value divNeg =
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, y, zero);
    Value signsDiffer = arith::XOrIOp::create(b, loc, remNeg, divNeg);
    Value fix = arith::AndIOp::create(b, loc, nonZero, signsDiffer);
    Value adjusted = arith::AddIOp::create(b, loc, rem, y);
    return arith::SelectOp::create(b, loc, fix, adjusted, rem);
  }
  Value operator()(BitShiftOp op, ValueRange a) {
    if (op.getDirection() == "left")
      return arith::ShLIOp::create(b, loc, a[0], a[1]);
    return arith::ShRUIOp::create(b, loc, a[0], a[1]);
  }
  Value operator()(AndOp, ValueRange a) {
    return arith::AndIOp::create(b, loc, a[0], a[1]);
  }
  Value operator()(OrOp, ValueRange a) {
    return arith::OrIOp::create(b, loc, a[0], a[1]);
  }
  Value operator()(XorOp, ValueRange a) {
    return arith::XOrIOp::create(b, loc, a[0], a[1]);
  }
  Value operator()(EqualOp, ValueRange a) {
    return cmp(b, loc, arith::CmpFPredicate::OEQ, arith::CmpIPredicate::eq,
               arith::CmpIPredicate::eq, isUnsigned, a[0], a[1]);
  }
  Value operator()(GreaterOp, ValueRange a) {
    return cmp(b, loc, arith::CmpFPredicate::OGT, arith::CmpIPredicate::sgt,
               arith::CmpIPredicate::ugt, isUnsigned, a[0], a[1]);
  }
  Value operator()(GreaterEqualOp, ValueRange a) {
    return cmp(b, loc, arith::CmpFPredicate::OGE, arith::CmpIPredicate::sge,
               arith::CmpIPredicate::uge, isUnsigned, a[0], a[1]);
  }
  Value operator()(LessOp, ValueRange a) {
    return cmp(b, loc, arith::CmpFPredicate::OLT, arith::CmpIPredicate::slt,
               arith::CmpIPredicate::ult, isUnsigned, a[0], a[1]);
  }
  Value operator()(LessEqualOp, ValueRange a) {
    return cmp(b, loc, arith::CmpFPredicate::OLE, arith::CmpIPredicate::sle,
               arith::CmpIPredicate::ule, isUnsigned, a[0], a[1]);
  }
  Value operator()(WhereOp, ValueRange a) {
    return arith::SelectOp::create(b, loc, a[0], a[1], a[2]);
  }

  Value operator()(NegOp, ValueRange a) {
    if (isFloat(a[0]))
      return arith::NegFOp::create(b, loc, a[0]);
    return arith::SubIOp::create(b, loc, constantLike(b, loc, a[0], 0), a[0]);
  }
  Value operator()(AbsOp, ValueRange a) {
    if (isFloat(a[0]))
      return math::AbsFOp::create(b, loc, a[0]);
    if (isUnsigned)
      return a[0];
    return math::AbsIOp::create(b, loc, a[0]);
  }
  Value operator()(ReluOp, ValueRange a) {
    return bySignedness<arith::MaximumFOp, arith::MaxSIOp, arith::MaxUIOp>(
        b, loc, a[0], constantLike(b, loc, a[0], 0), isUnsigned);
  }
  Value operator()(ExpOp, ValueRange a) {
    return mathUnary<math::ExpOp>(b, loc, a[0]);
  }
  Value operator()(LogOp, ValueRange a) {
    return mathUnary<math::LogOp>(b, loc, a[0]);
  }
  Value operator()(SqrtOp, ValueRange a) {
    return mathUnary<math::SqrtOp>(b, loc, a[0]);
  }
  Value operator()(TanhOp, ValueRange a) {
    return mathUnary<math::TanhOp>(b, loc, a[0]);
  }
  Value operator()(ErfOp, ValueRange a) {
    return mathUnary<math::ErfOp>(b, loc, a[0]);
  }
  Value operator()(FloorOp, ValueRange a) {
    return math::FloorOp::create(b, loc, a[0]);
  }
  Value operator()(CeilOp, ValueRange a) {
    return math::CeilOp::create(b, loc, a[0]);
  }
  Value operator()(RoundOp, ValueRange a) {
    return mathUnary<math::RoundEvenOp>(b, loc, a[0]);
  }
  Value operator()(SinOp, ValueRange a) {
    return mathUnary<math::SinOp>(b, loc, a[0]);
  }
  Value operator()(CosOp, ValueRange a) {
    return mathUnary<math::CosOp>(b, loc, a[0]);
  }
  Value operator()(TanOp, ValueRange a) {
    return mathUnary<math::TanOp>(b, loc, a[0]);
  }
  Value operator()(AsinOp, ValueRange a) {
    return mathUnary<math::AsinOp>(b, loc, a[0]);
  }
  Value operator()(AcosOp, ValueRange a) {
    return mathUnary<math::AcosOp>(b, loc, a[0]);
  }
  Value operator()(AtanOp, ValueRange a) {
    return mathUnary<math::AtanOp>(b, loc, a[0]);
  }
  Value operator()(SinhOp, ValueRange a) {
    return mathUnary<math::SinhOp>(b, loc, a[0]);
  }
  Value operator()(CoshOp, ValueRange a) {
    return mathUnary<math::CoshOp>(b, loc, a[0]);
  }
  Value operator()(AsinhOp, ValueRange a) {
    return mathUnary<math::AsinhOp>(b, loc, a[0]);
  }
  Value operator()(AcoshOp, ValueRange a) {
    return mathUnary<math::AcoshOp>(b, loc, a[0]);
  }
  Value operator()(AtanhOp, ValueRange a) {
    return mathUnary<math::AtanhOp>(b, loc, a[0]);
  }
  Value operator()(SigmoidOp, ValueRange a) {
    Value one = constantLike(b, loc, a[0], 1);
    Value negExp =
        mathUnary<math::ExpOp>(b, loc, arith::NegFOp::create(b, loc, a[0]));
    return arith::DivFOp::create(b, loc, one,
                                 arith::AddFOp::create(b, loc, one, negExp));
  }
  Value operator()(SignOp, ValueRange a) {
    Value x = a[0];
    Value zero = constantLike(b, loc, x, 0);
    Value one = constantLike(b, loc, x, 1);
    if (isUnsigned) {
      Value nonZero =
          arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, x, zero);
      return arith::SelectOp::create(b, loc, nonZero, one, zero);
    }
    Value minusOne = constantLike(b, loc, x, -1);
    Value positive = cmp(b, loc, arith::CmpFPredicate::OGT,
                         arith::CmpIPredicate::sgt, arith::CmpIPredicate::ugt,
                         false, x, zero);
    Value negative = cmp(b, loc, arith::CmpFPredicate::OLT,
                         arith::CmpIPredicate::slt, arith::CmpIPredicate::ult,
                         false, x, zero);
    // Zero (either sign) and NaN map to themselves for floats.
    Value rest = isFloat(x) ? x : zero;
    return arith::SelectOp::create(
        b, loc, positive, one,
        arith::SelectOp::create(b, loc, negative, minusOne, rest));
  }
  Value operator()(NotOp, ValueRange a) {
    return arith::XOrIOp::create(b, loc, a[0], constantLike(b, loc, a[0], 1));
  }
  Value operator()(IsNaNOp, ValueRange a) {
    return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNO, a[0], a[0]);
  }
  Value operator()(IsInfOp op, ValueRange a) {
    Type type = a[0].getType();
    Value result = arith::ConstantOp::create(b, loc, b.getBoolAttr(false));
    auto test = [&](bool negative) {
      Value inf = extremeConstant(b, loc, type, negative, false);
      Value eq =
          arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OEQ, a[0], inf);
      result = arith::OrIOp::create(b, loc, result, eq);
    };
    if (op.getDetectPositive())
      test(false);
    if (op.getDetectNegative())
      test(true);
    return result;
  }
  Value operator()(GeluOp op, ValueRange a) {
    Value x = a[0];
    Value half = constantLike(b, loc, x, 0.5);
    Value one = constantLike(b, loc, x, 1);
    Value inner;
    if (op.getApproximate() == "tanh") {
      Value cube = arith::MulFOp::create(
          b, loc, x, arith::MulFOp::create(b, loc, x, x));
      Value poly = arith::AddFOp::create(
          b, loc, x,
          arith::MulFOp::create(b, loc, constantLike(b, loc, x, 0.044715),
                                cube));
      Value scaled = arith::MulFOp::create(
          b, loc, constantLike(b, loc, x, std::sqrt(2.0 / M_PI)), poly);
      inner = mathUnary<math::TanhOp>(b, loc, scaled);
    } else {
      Value scaled = arith::MulFOp::create(
          b, loc, x, constantLike(b, loc, x, 1.0 / std::sqrt(2.0)));
      inner = mathUnary<math::ErfOp>(b, loc, scaled);
    }
    Value factor = arith::AddFOp::create(b, loc, one, inner);
    return arith::MulFOp::create(b, loc, arith::MulFOp::create(b, loc, half, x),
                                 factor);
  }
  Value operator()(ClipOp op, ValueRange a) {
    Value x = a[0];
    if (std::optional<APFloat> max = op.getMax())
      x = bySignedness<arith::MinimumFOp, arith::MinSIOp, arith::MinUIOp>(
          b, loc, x, constantLike(b, loc, x, max->convertToDouble()),
          isUnsigned);
    if (std::optional<APFloat> min = op.getMin())
      x = bySignedness<arith::MaximumFOp, arith::MaxSIOp, arith::MaxUIOp>(
          b, loc, x, constantLike(b, loc, x, min->convertToDouble()),
          isUnsigned);
    return x;
  }
};

/// Lowers an elementwise op; signedness comes from its first integer operand
/// (`where`'s condition is i1, so it looks at the values).
template <typename OpTy>
struct ElementwiseLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto resultType = cast<RankedTensorType>(
        this->getTypeConverter()->convertType(op->getResult(0).getType()));
    Value signSource = op->getOperand(op->getNumOperands() > 2 ? 1 : 0);
    Scalar scalar{rewriter, op.getLoc(), isUnsignedInt(signSource.getType())};
    Value result = buildElementwise(
        rewriter, op.getLoc(), resultType, adaptor.getOperands(),
        [&](OpBuilder &, Location, ValueRange args) {
          return scalar(op, args);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// Element type conversion; both signednesses come from the strata types.
struct CastLowering : OpConversionPattern<CastOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(CastOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto resultType =
        cast<RankedTensorType>(getTypeConverter()->convertType(op.getType()));
    bool fromUnsigned = isUnsignedInt(op.getInput().getType());
    bool toUnsigned = isUnsignedInt(op.getType());
    Type to = resultType.getElementType();
    Value result = buildElementwise(
        rewriter, op.getLoc(), resultType, adaptor.getInput(),
        [&](OpBuilder &b, Location loc, ValueRange args) -> Value {
          return castScalar(b, loc, args[0], to, fromUnsigned, toUnsigned);
        });
    rewriter.replaceOp(op, result);
    return success();
  }

  static Value castScalar(OpBuilder &b, Location loc, Value x, Type to,
                          bool fromUnsigned, bool toUnsigned) {
    Type from = x.getType();
    if (from == to)
      return x;
    if (to.isInteger(1)) {
      Value zero = scalarConstant(b, loc, from, 0);
      if (isFloat(x))
        return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNE, x,
                                     zero);
      return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, x, zero);
    }
    // Booleans are 0 or 1, never -1.
    if (from.isInteger(1))
      fromUnsigned = true;
    unsigned fromWidth = from.getIntOrFloatBitWidth();
    unsigned toWidth = to.getIntOrFloatBitWidth();
    if (isFloat(x) && isa<FloatType>(to)) {
      if (fromWidth == toWidth) // f16 <-> bf16
        x = arith::ExtFOp::create(b, loc, b.getF32Type(), x),
        fromWidth = 32;
      if (fromWidth < toWidth)
        return arith::ExtFOp::create(b, loc, to, x);
      return arith::TruncFOp::create(b, loc, to, x);
    }
    if (isFloat(x)) {
      if (toUnsigned)
        return arith::FPToUIOp::create(b, loc, to, x);
      return arith::FPToSIOp::create(b, loc, to, x);
    }
    if (isa<FloatType>(to)) {
      if (fromUnsigned)
        return arith::UIToFPOp::create(b, loc, to, x);
      return arith::SIToFPOp::create(b, loc, to, x);
    }
    if (fromWidth > toWidth)
      return arith::TruncIOp::create(b, loc, to, x);
    if (fromWidth == toWidth)
      return x;
    if (fromUnsigned)
      return arith::ExtUIOp::create(b, loc, to, x);
    return arith::ExtSIOp::create(b, loc, to, x);
  }
};

} // namespace

void populateElementwisePatterns(const TypeConverter &converter,
                                 RewritePatternSet &patterns) {
  patterns.add<
      ElementwiseLowering<AddOp>, ElementwiseLowering<SubOp>,
      ElementwiseLowering<MulOp>, ElementwiseLowering<DivOp>,
      ElementwiseLowering<PowOp>, ElementwiseLowering<MaxOp>,
      ElementwiseLowering<MinOp>, ElementwiseLowering<ModOp>,
      ElementwiseLowering<BitShiftOp>, ElementwiseLowering<AndOp>,
      ElementwiseLowering<OrOp>, ElementwiseLowering<XorOp>,
      ElementwiseLowering<EqualOp>, ElementwiseLowering<GreaterOp>,
      ElementwiseLowering<GreaterEqualOp>, ElementwiseLowering<LessOp>,
      ElementwiseLowering<LessEqualOp>, ElementwiseLowering<WhereOp>,
      ElementwiseLowering<NegOp>, ElementwiseLowering<AbsOp>,
      ElementwiseLowering<ReluOp>, ElementwiseLowering<ExpOp>,
      ElementwiseLowering<LogOp>, ElementwiseLowering<SqrtOp>,
      ElementwiseLowering<TanhOp>, ElementwiseLowering<ErfOp>,
      ElementwiseLowering<FloorOp>, ElementwiseLowering<CeilOp>,
      ElementwiseLowering<RoundOp>, ElementwiseLowering<SinOp>,
      ElementwiseLowering<CosOp>, ElementwiseLowering<TanOp>,
      ElementwiseLowering<AsinOp>, ElementwiseLowering<AcosOp>,
      ElementwiseLowering<AtanOp>, ElementwiseLowering<SinhOp>,
      ElementwiseLowering<CoshOp>, ElementwiseLowering<AsinhOp>,
      ElementwiseLowering<AcoshOp>, ElementwiseLowering<AtanhOp>,
      ElementwiseLowering<SigmoidOp>, ElementwiseLowering<SignOp>,
      ElementwiseLowering<NotOp>, ElementwiseLowering<IsNaNOp>,
      ElementwiseLowering<IsInfOp>, ElementwiseLowering<GeluOp>,
      ElementwiseLowering<ClipOp>, CastLowering>(converter,
                                                 patterns.getContext());
}

} // namespace mlir::strata

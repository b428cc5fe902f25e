//===- ReductionToLinalg.cpp - reductions and normalizations to linalg ----===//
//
// Reductions become reduction generics with the reduced dims dropped, then a
// reshape restores them as size 1 where the op keeps them; softmax and the
// normalizations compose those with broadcasting elementwise generics.
//
//===----------------------------------------------------------------------===//

#include "dialects/Strata/IR/ShapeInference.h"
#include "dialects/Strata/IR/StrataOps.h"
#include "passes/StrataToLinalg/LoweringUtils.h"

namespace mlir::strata {
namespace {

using utils::IteratorType;

/// The op's axes, normalized and sorted; empty means every axis.
SmallVector<int64_t> reductionAxes(ArrayRef<int64_t> axes, int64_t rank) {
  SmallVector<int64_t> result;
  if (axes.empty())
    return llvm::to_vector(llvm::seq<int64_t>(0, rank));
  for (int64_t axis : axes)
    result.push_back(axis < 0 ? axis + rank : axis);
  llvm::sort(result);
  return result;
}

/// `shape` with every axis in `axes` set to 1.
SmallVector<int64_t> keptShape(ArrayRef<int64_t> shape,
                               ArrayRef<int64_t> axes) {
  SmallVector<int64_t> result(shape);
  for (int64_t axis : axes)
    result[axis] = 1;
  return result;
}

enum class Kind { Sum, Prod, Max, Min };

Value combine(OpBuilder &b, Location loc, Kind kind, bool isUnsigned,
              Value acc, Value x) {
  bool isFloat = isa<FloatType>(x.getType());
  switch (kind) {
  case Kind::Sum:
    return isFloat ? Value(arith::AddFOp::create(b, loc, acc, x))
                   : Value(arith::AddIOp::create(b, loc, acc, x));
  case Kind::Prod:
    return isFloat ? Value(arith::MulFOp::create(b, loc, acc, x))
                   : Value(arith::MulIOp::create(b, loc, acc, x));
  case Kind::Max:
    if (isFloat)
      return arith::MaximumFOp::create(b, loc, acc, x);
    return isUnsigned ? Value(arith::MaxUIOp::create(b, loc, acc, x))
                      : Value(arith::MaxSIOp::create(b, loc, acc, x));
  case Kind::Min:
    if (isFloat)
      return arith::MinimumFOp::create(b, loc, acc, x);
    return isUnsigned ? Value(arith::MinUIOp::create(b, loc, acc, x))
                      : Value(arith::MinSIOp::create(b, loc, acc, x));
  }
  llvm_unreachable("unknown reduction");
}

/// Reduces `axes` of `input` by `kind`, keeping them as size-1 dims.
Value reduceKeepingDims(OpBuilder &b, Location loc, Value input,
                        ArrayRef<int64_t> axes, Kind kind, bool isUnsigned) {
  Type type = cast<RankedTensorType>(input.getType()).getElementType();
  Value init;
  switch (kind) {
  case Kind::Sum:
    init = scalarConstant(b, loc, type, 0);
    break;
  case Kind::Prod:
    init = scalarConstant(b, loc, type, 1);
    break;
  case Kind::Max:
  case Kind::Min:
    init = extremeConstant(b, loc, type, kind == Kind::Max, isUnsigned);
    break;
  }
  Value reduced = buildReduction(
      b, loc, input, axes, init, [&](OpBuilder &nb, Location l, Value acc, Value x) {
        return combine(nb, l, kind, isUnsigned, acc, x);
      });
  return reshapeTo(b, loc, reduced, keptShape(shapeOf(input), axes));
}

/// Divides `sum` by the element count `count` (a float or integer division).
Value divideByCount(OpBuilder &b, Location loc, Value sum, int64_t count,
                    bool isUnsigned) {
  auto type = cast<RankedTensorType>(sum.getType());
  return buildElementwise(
      b, loc, type, sum, [&](OpBuilder &nb, Location l, ValueRange args) -> Value {
        Value n = scalarConstant(nb, l, args[0].getType(), count);
        if (isa<FloatType>(args[0].getType()))
          return arith::DivFOp::create(nb, l, args[0], n);
        if (isUnsigned)
          return arith::DivUIOp::create(nb, l, args[0], n);
        return arith::DivSIOp::create(nb, l, args[0], n);
      });
}

int64_t countOf(ArrayRef<int64_t> shape, ArrayRef<int64_t> axes) {
  int64_t count = 1;
  for (int64_t axis : axes)
    count *= shape[axis];
  return count;
}

template <typename OpTy, Kind kind, bool isMean = false>
struct ReduceLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto resultType = cast<RankedTensorType>(
        this->getTypeConverter()->convertType(op.getType()));
    ArrayRef<int64_t> shape = shapeOf(adaptor.getInput());
    SmallVector<int64_t> axes = reductionAxes(op.getAxes(), shape.size());
    bool isUnsigned = isUnsignedInt(op.getInput().getType());
    Value result = reduceKeepingDims(rewriter, loc, adaptor.getInput(), axes,
                                     kind, isUnsigned);
    if (isMean)
      result = divideByCount(rewriter, loc, result, countOf(shape, axes),
                             isUnsigned);
    rewriter.replaceOp(op,
                       reshapeTo(rewriter, loc, result, resultType.getShape()));
    return success();
  }
};

template <typename OpTy, Kind kind, bool isMean>
struct GlobalPoolLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    ArrayRef<int64_t> shape = shapeOf(adaptor.getInput());
    auto axes = llvm::to_vector(llvm::seq<int64_t>(2, shape.size()));
    bool isUnsigned = isUnsignedInt(op.getInput().getType());
    Value result = reduceKeepingDims(rewriter, op.getLoc(), adaptor.getInput(),
                                     axes, kind, isUnsigned);
    if (isMean)
      result = divideByCount(rewriter, op.getLoc(), result,
                             countOf(shape, axes), isUnsigned);
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// Index of the extreme element along one axis: a two-result reduction.
template <typename OpTy, bool isMax>
struct ArgLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    ArrayRef<int64_t> shape = shapeOf(adaptor.getInput());
    int64_t rank = shape.size();
    int64_t axis = positiveAxis(op.getAxis(), rank);
    bool isUnsigned = isUnsignedInt(op.getInput().getType());
    bool last = op.getSelectLastIndex();
    Type type = cast<RankedTensorType>(adaptor.getInput().getType())
                    .getElementType();
    SmallVector<int64_t> reducedShape;
    SmallVector<AffineExpr> exprs;
    SmallVector<IteratorType> iterators;
    for (int64_t i = 0; i < rank; ++i) {
      iterators.push_back(i == axis ? IteratorType::reduction
                                    : IteratorType::parallel);
      if (i != axis) {
        reducedShape.push_back(shape[i]);
        exprs.push_back(getAffineDimExpr(i, ctx));
      }
    }
    Value values = filledTensor(
        rewriter, loc, reducedShape,
        extremeConstant(rewriter, loc, type, isMax, isUnsigned));
    Value indices = filledTensor(
        rewriter, loc, reducedShape,
        scalarConstant(rewriter, loc, rewriter.getI64Type(), 0));
    AffineMap outMap = AffineMap::get(rank, 0, exprs, ctx);
    SmallVector<AffineMap> maps = {rewriter.getMultiDimIdentityMap(rank),
                                   outMap, outMap};
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{values.getType(), indices.getType()},
        adaptor.getInput(), ValueRange{values, indices}, maps, iterators,
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value x = args[0], best = args[1], bestIndex = args[2];
          Value index = arith::IndexCastOp::create(
              b, l, b.getI64Type(), linalg::IndexOp::create(b, l, axis));
          Value better;
          if (isa<FloatType>(type)) {
            auto pred = isMax ? (last ? arith::CmpFPredicate::OGE
                                      : arith::CmpFPredicate::OGT)
                              : (last ? arith::CmpFPredicate::OLE
                                      : arith::CmpFPredicate::OLT);
            better = arith::CmpFOp::create(b, l, pred, x, best);
          } else {
            using P = arith::CmpIPredicate;
            P pred = isMax ? (last ? (isUnsigned ? P::uge : P::sge)
                                   : (isUnsigned ? P::ugt : P::sgt))
                           : (last ? (isUnsigned ? P::ule : P::sle)
                                   : (isUnsigned ? P::ult : P::slt));
            better = arith::CmpIOp::create(b, l, pred, x, best);
          }
          linalg::YieldOp::create(
              b, l,
              ValueRange{arith::SelectOp::create(b, l, better, x, best),
                         arith::SelectOp::create(b, l, better, index,
                                                 bestIndex)});
        });
    auto resultType = cast<RankedTensorType>(op.getType());
    rewriter.replaceOp(op, reshapeTo(rewriter, loc, generic.getResult(1),
                                     resultType.getShape()));
    return success();
  }
};

/// softmax and log_softmax: both subtract the max before exponentiating.
template <typename OpTy, bool isLog>
struct SoftmaxLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value x = adaptor.getInput();
    auto type = cast<RankedTensorType>(x.getType());
    int64_t axis = positiveAxis(op.getAxis(), type.getRank());
    Value max = reduceKeepingDims(rewriter, loc, x, {axis}, Kind::Max, false);
    Value shifted = buildElementwise(
        rewriter, loc, type, {x, max},
        [](OpBuilder &b, Location l, ValueRange args) -> Value {
          return arith::SubFOp::create(b, l, args[0], args[1]);
        });
    Value exps = buildElementwise(
        rewriter, loc, type, shifted,
        [](OpBuilder &b, Location l, ValueRange args) -> Value {
          return math::ExpOp::create(b, l, args[0]);
        });
    Value sum = reduceKeepingDims(rewriter, loc, exps, {axis}, Kind::Sum, false);
    Value result = buildElementwise(
        rewriter, loc, type, {isLog ? shifted : exps, sum},
        [](OpBuilder &b, Location l, ValueRange args) -> Value {
          if (isLog)
            return arith::SubFOp::create(b, l, args[0],
                                         math::LogOp::create(b, l, args[1]));
          return arith::DivFOp::create(b, l, args[0], args[1]);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct BatchNormLowering : OpConversionPattern<BatchNormOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(BatchNormOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = cast<RankedTensorType>(adaptor.getInput().getType());
    // Per-channel operands become C x 1 x ... so they broadcast over dim 1.
    SmallVector<int64_t> channelShape(type.getRank() - 1, 1);
    channelShape[0] = type.getDimSize(1);
    auto channel = [&](Value v) {
      return reshapeTo(rewriter, loc, v, channelShape);
    };
    double epsilon = op.getEpsilon().convertToDouble();
    Value result = buildElementwise(
        rewriter, loc, type,
        {adaptor.getInput(), channel(adaptor.getScale()),
         channel(adaptor.getBias()), channel(adaptor.getMean()),
         channel(adaptor.getVariance())},
        [&](OpBuilder &b, Location l, ValueRange a) -> Value {
          Value eps = scalarConstant(b, l, a[0].getType(), epsilon);
          Value stddev = math::SqrtOp::create(
              b, l, arith::AddFOp::create(b, l, a[4], eps));
          Value normalized = arith::DivFOp::create(
              b, l, arith::SubFOp::create(b, l, a[0], a[3]), stddev);
          return arith::AddFOp::create(
              b, l, arith::MulFOp::create(b, l, normalized, a[1]), a[2]);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct LayerNormLowering : OpConversionPattern<LayerNormOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(LayerNormOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value x = adaptor.getInput();
    auto type = cast<RankedTensorType>(x.getType());
    int64_t rank = type.getRank();
    int64_t axis = positiveAxis(op.getAxis(), rank);
    auto axes = llvm::to_vector(llvm::seq<int64_t>(axis, rank));
    int64_t count = countOf(type.getShape(), axes);
    auto sub = [](OpBuilder &b, Location l, ValueRange a) -> Value {
      return arith::SubFOp::create(b, l, a[0], a[1]);
    };
    Value mean = divideByCount(
        rewriter, loc,
        reduceKeepingDims(rewriter, loc, x, axes, Kind::Sum, false), count,
        false);
    Value centered = buildElementwise(rewriter, loc, type, {x, mean}, sub);
    Value squares = buildElementwise(
        rewriter, loc, type, centered,
        [](OpBuilder &b, Location l, ValueRange a) -> Value {
          return arith::MulFOp::create(b, l, a[0], a[0]);
        });
    Value variance = divideByCount(
        rewriter, loc,
        reduceKeepingDims(rewriter, loc, squares, axes, Kind::Sum, false),
        count, false);
    double epsilon = op.getEpsilon().convertToDouble();
    SmallVector<Value> inputs = {centered, variance, adaptor.getScale()};
    if (adaptor.getBias())
      inputs.push_back(adaptor.getBias());
    Value result = buildElementwise(
        rewriter, loc, type, inputs,
        [&](OpBuilder &b, Location l, ValueRange a) -> Value {
          Value eps = scalarConstant(b, l, a[0].getType(), epsilon);
          Value stddev = math::SqrtOp::create(
              b, l, arith::AddFOp::create(b, l, a[1], eps));
          Value y = arith::MulFOp::create(
              b, l, arith::DivFOp::create(b, l, a[0], stddev), a[2]);
          if (a.size() > 3)
            y = arith::AddFOp::create(b, l, y, a[3]);
          return y;
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// Cumulative sum as a masked reduction over a second copy of the axis.
struct CumSumLowering : OpConversionPattern<CumSumOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(CumSumOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    auto type = cast<RankedTensorType>(adaptor.getInput().getType());
    int64_t rank = type.getRank();
    int64_t axis = positiveAxis(op.getAxis(), rank);
    SmallVector<AffineExpr> inExprs;
    for (int64_t i = 0; i < rank; ++i)
      inExprs.push_back(getAffineDimExpr(i == axis ? rank : i, ctx));
    SmallVector<AffineMap> maps = {
        AffineMap::get(rank + 1, 0, inExprs, ctx),
        leadingLoopsMap(rank + 1, rank, ctx)};
    SmallVector<IteratorType> iterators(rank, IteratorType::parallel);
    iterators.push_back(IteratorType::reduction);
    Type elementType = type.getElementType();
    Value init = filledTensor(rewriter, loc, type.getShape(),
                              scalarConstant(rewriter, loc, elementType, 0));
    using P = arith::CmpIPredicate;
    P pred = op.getReverse() ? (op.getExclusive() ? P::sgt : P::sge)
                             : (op.getExclusive() ? P::slt : P::sle);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, type, adaptor.getInput(), init, maps, iterators,
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value i = linalg::IndexOp::create(b, l, axis);
          Value j = linalg::IndexOp::create(b, l, rank);
          Value take = arith::CmpIOp::create(b, l, pred, j, i);
          Value zero = scalarConstant(b, l, elementType, 0);
          Value term = arith::SelectOp::create(b, l, take, args[0], zero);
          linalg::YieldOp::create(b, l,
                                  combine(b, l, Kind::Sum, false, args[1],
                                          term));
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

} // namespace

void populateReductionPatterns(const TypeConverter &converter,
                               RewritePatternSet &patterns) {
  patterns.add<ReduceLowering<ReduceSumOp, Kind::Sum>,
               ReduceLowering<ReduceMeanOp, Kind::Sum, true>,
               ReduceLowering<ReduceMaxOp, Kind::Max>,
               ReduceLowering<ReduceMinOp, Kind::Min>,
               ReduceLowering<ReduceProdOp, Kind::Prod>,
               GlobalPoolLowering<GlobalAvgPoolOp, Kind::Sum, true>,
               GlobalPoolLowering<GlobalMaxPoolOp, Kind::Max, false>,
               ArgLowering<ArgMaxOp, true>, ArgLowering<ArgMinOp, false>,
               SoftmaxLowering<SoftmaxOp, false>,
               SoftmaxLowering<LogSoftmaxOp, true>, BatchNormLowering,
               LayerNormLowering, CumSumLowering>(converter,
                                                  patterns.getContext());
}

} // namespace mlir::strata

//===- IndexingToLinalg.cpp - gather_nd, scatters and topk to linalg ------===//
//
// Ops that address elements through index tensors. Gathers are parallel
// generics reading with tensor.extract; scatters write in index order, so
// they are one scf.for over the updates carrying the result tensor (which
// bufferizes in place); topk ranks every element of a slice against the
// others, then picks the element of each rank below k.
//
//===----------------------------------------------------------------------===//

#include "dialects/Strata/IR/StrataOps.h"
#include "passes/StrataToLinalg/LoweringUtils.h"

#include "mlir/Dialect/SCF/IR/SCF.h"

namespace mlir::strata {
namespace {

using utils::IteratorType;

/// The multi-index of `flat` in a row-major `shape`.
SmallVector<Value> delinearize(OpBuilder &b, Location loc, Value flat,
                               ArrayRef<int64_t> shape) {
  SmallVector<Value> result(shape.size());
  for (size_t i = shape.size(); i-- > 0;) {
    Value dim = indexConstant(b, loc, shape[i]);
    result[i] = arith::RemUIOp::create(b, loc, flat, dim);
    flat = arith::DivUIOp::create(b, loc, flat, dim);
  }
  return result;
}

struct GatherNDLowering : OpConversionPattern<GatherNDOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(GatherNDOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type =
        cast<RankedTensorType>(getTypeConverter()->convertType(op.getType()));
    Value data = adaptor.getData(), indices = adaptor.getIndices();
    ArrayRef<int64_t> dataShape = shapeOf(data), idxShape = shapeOf(indices);
    int64_t batch = op.getBatchDims(), k = idxShape.back();
    int64_t q = idxShape.size(), rank = type.getRank();
    Value empty = tensor::EmptyOp::create(rewriter, op.getLoc(),
                                          type.getShape(), type.getElementType());
    auto generic = linalg::GenericOp::create(
        rewriter, op.getLoc(), type, ValueRange{}, empty,
        rewriter.getMultiDimIdentityMap(rank),
        SmallVector<IteratorType>(rank, IteratorType::parallel),
        [&](OpBuilder &b, Location l, ValueRange) {
          SmallVector<Value> out;
          for (int64_t i = 0; i < rank; ++i)
            out.push_back(linalg::IndexOp::create(b, l, i));
          SmallVector<Value> at(out.begin(), out.begin() + batch);
          SmallVector<Value> tuple(out.begin(), out.begin() + q - 1);
          tuple.push_back(Value());
          for (int64_t j = 0; j < k; ++j) {
            tuple.back() = indexConstant(b, l, j);
            Value element = tensor::ExtractOp::create(b, l, indices, tuple);
            at.push_back(wrapIndex(b, l, element, dataShape[batch + j]));
          }
          at.append(out.begin() + q - 1, out.end());
          linalg::YieldOp::create(
              b, l, tensor::ExtractOp::create(b, l, data, at).getResult());
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

/// Combines the existing element with an update per `reduction`.
Value reduce(OpBuilder &b, Location loc, StringRef reduction, bool isUnsigned,
             Value old, Value update) {
  bool isFloat = isa<FloatType>(old.getType());
  if (reduction == "add")
    return isFloat ? Value(arith::AddFOp::create(b, loc, old, update))
                   : Value(arith::AddIOp::create(b, loc, old, update));
  if (reduction == "mul")
    return isFloat ? Value(arith::MulFOp::create(b, loc, old, update))
                   : Value(arith::MulIOp::create(b, loc, old, update));
  if (reduction == "max")
    return isFloat      ? Value(arith::MaximumFOp::create(b, loc, old, update))
           : isUnsigned ? Value(arith::MaxUIOp::create(b, loc, old, update))
                        : Value(arith::MaxSIOp::create(b, loc, old, update));
  if (reduction == "min")
    return isFloat      ? Value(arith::MinimumFOp::create(b, loc, old, update))
           : isUnsigned ? Value(arith::MinUIOp::create(b, loc, old, update))
                        : Value(arith::MinSIOp::create(b, loc, old, update));
  return update;
}

/// Where one update goes: the update's coordinates, the (clamped) result
/// coordinates it writes, and whether all its indices were in range.
struct ScatterTarget {
  SmallVector<Value> from, to;
  Value inRange;
};

/// One scf.for over `count` updates; `target` maps the flat update number to
/// where it goes. An update whose indices are out of range is dropped.
Value scatterLoop(
    OpBuilder &b, Location loc, Value data, Value updates, int64_t count,
    StringRef reduction, bool isUnsigned,
    function_ref<ScatterTarget(OpBuilder &, Location, Value)> target) {
  auto loop = scf::ForOp::create(
      b, loc, indexConstant(b, loc, 0), indexConstant(b, loc, count),
      indexConstant(b, loc, 1), data,
      [&](OpBuilder &nb, Location l, Value flat, ValueRange acc) {
        ScatterTarget t = target(nb, l, flat);
        Value update = tensor::ExtractOp::create(nb, l, updates, t.from);
        Value old = tensor::ExtractOp::create(nb, l, acc[0], t.to);
        if (reduction != "none")
          update = reduce(nb, l, reduction, isUnsigned, old, update);
        update = arith::SelectOp::create(nb, l, t.inRange, update, old);
        Value next = tensor::InsertOp::create(nb, l, update, acc[0], t.to);
        scf::YieldOp::create(nb, l, next);
      });
  return loop.getResult(0);
}

struct ScatterElementsLowering : OpConversionPattern<ScatterElementsOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ScatterElementsOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    ArrayRef<int64_t> dataShape = shapeOf(adaptor.getData());
    ArrayRef<int64_t> idxShape = shapeOf(adaptor.getIndices());
    int64_t axis = positiveAxis(op.getAxis(), dataShape.size());
    Value indices = adaptor.getIndices();
    Value result = scatterLoop(
        rewriter, op.getLoc(), adaptor.getData(), adaptor.getUpdates(),
        ShapedType::getNumElements(idxShape), op.getReduction(),
        isUnsignedInt(op.getData().getType()),
        [&](OpBuilder &b, Location l, Value flat) {
          ScatterTarget t;
          t.from = delinearize(b, l, flat, idxShape);
          t.to = t.from;
          t.to[axis] =
              wrapIndex(b, l, tensor::ExtractOp::create(b, l, indices, t.from),
                        dataShape[axis], &t.inRange);
          return t;
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct ScatterNDLowering : OpConversionPattern<ScatterNDOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ScatterNDOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    ArrayRef<int64_t> dataShape = shapeOf(adaptor.getData());
    ArrayRef<int64_t> idxShape = shapeOf(adaptor.getIndices());
    ArrayRef<int64_t> updShape = shapeOf(adaptor.getUpdates());
    int64_t q = idxShape.size(), k = idxShape.back();
    Value indices = adaptor.getIndices();
    Value result = scatterLoop(
        rewriter, op.getLoc(), adaptor.getData(), adaptor.getUpdates(),
        ShapedType::getNumElements(updShape), op.getReduction(),
        isUnsignedInt(op.getData().getType()),
        [&](OpBuilder &b, Location l, Value flat) {
          ScatterTarget t;
          t.from = delinearize(b, l, flat, updShape);
          SmallVector<Value> tuple(t.from.begin(), t.from.begin() + q - 1);
          tuple.push_back(Value());
          for (int64_t j = 0; j < k; ++j) {
            tuple.back() = indexConstant(b, l, j);
            Value valid;
            t.to.push_back(
                wrapIndex(b, l, tensor::ExtractOp::create(b, l, indices, tuple),
                          dataShape[j], &valid));
            t.inRange = t.inRange
                            ? arith::AndIOp::create(b, l, t.inRange, valid)
                            : valid;
          }
          t.to.append(t.from.begin() + q - 1, t.from.end());
          return t;
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// TopK by ranking: rank[i] counts the elements that come before element i
/// (better value, or equal value at a lower index); output slot r takes the
/// element of rank r. Quadratic in the axis length, exact, and all parallel.
struct TopKLowering : OpConversionPattern<TopKOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(TopKOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    Value input = adaptor.getInput();
    auto inType = cast<RankedTensorType>(input.getType());
    int64_t rank = inType.getRank();
    int64_t axis = positiveAxis(op.getAxis(), rank);
    bool largest = op.getLargest();
    bool isUnsigned = isUnsignedInt(op.getInput().getType());
    Type i64 = rewriter.getI64Type();

    // Loops: the input dims, then j (the element compared against) at the
    // end; j replaces the axis in the second read.
    auto d = [&](int64_t i) { return getAffineDimExpr(i, ctx); };
    SmallVector<AffineExpr> self, other;
    for (int64_t i = 0; i < rank; ++i) {
      self.push_back(d(i));
      other.push_back(i == axis ? d(rank) : d(i));
    }
    Value ranks = filledTensor(rewriter, loc, inType.getShape(),
                               scalarConstant(rewriter, loc, i64, 0));
    SmallVector<IteratorType> iterators(rank, IteratorType::parallel);
    iterators.push_back(IteratorType::reduction);
    ranks = linalg::GenericOp::create(
                rewriter, loc, ranks.getType(), ValueRange{input, input}, ranks,
                SmallVector<AffineMap>{AffineMap::get(rank + 1, 0, self, ctx),
                                       AffineMap::get(rank + 1, 0, other, ctx),
                                       AffineMap::get(rank + 1, 0, self, ctx)},
                iterators,
                [&](OpBuilder &b, Location l, ValueRange args) {
                  Value x = args[0], y = args[1];
                  Value i = linalg::IndexOp::create(b, l, axis);
                  Value j = linalg::IndexOp::create(b, l, rank);
                  Value better, equal;
                  if (isa<FloatType>(x.getType())) {
                    better = arith::CmpFOp::create(
                        b, l,
                        largest ? arith::CmpFPredicate::OGT
                                : arith::CmpFPredicate::OLT,
                        y, x);
                    equal = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OEQ,
                                                  y, x);
                  } else {
                    using P = arith::CmpIPredicate;
                    P pred = largest ? (isUnsigned ? P::ugt : P::sgt)
                                     : (isUnsigned ? P::ult : P::slt);
                    better = arith::CmpIOp::create(b, l, pred, y, x);
                    equal = arith::CmpIOp::create(b, l, P::eq, y, x);
                  }
                  Value earlier = arith::CmpIOp::create(
                      b, l, arith::CmpIPredicate::ult, j, i);
                  Value before = arith::OrIOp::create(
                      b, l, better, arith::AndIOp::create(b, l, equal, earlier));
                  Value one = arith::ExtUIOp::create(b, l, b.getI64Type(), before);
                  linalg::YieldOp::create(
                      b, l, arith::AddIOp::create(b, l, args[2], one).getResult());
                })
                .getResult(0);

    // Loops: the output dims (slot r on the axis), then i along the axis.
    auto valuesType =
        cast<RankedTensorType>(getTypeConverter()->convertType(op.getValues().getType()));
    auto indicesType = cast<RankedTensorType>(op.getIndices().getType());
    Value values = filledTensor(rewriter, loc, valuesType.getShape(),
                                scalarConstant(rewriter, loc,
                                               valuesType.getElementType(), 0));
    Value positions = filledTensor(rewriter, loc, indicesType.getShape(),
                                   scalarConstant(rewriter, loc, i64, 0));
    AffineMap outMap = AffineMap::get(rank + 1, 0, self, ctx);
    AffineMap inMap = AffineMap::get(rank + 1, 0, other, ctx);
    auto pick = linalg::GenericOp::create(
        rewriter, loc, TypeRange{valuesType, indicesType},
        ValueRange{input, ranks}, ValueRange{values, positions},
        SmallVector<AffineMap>{inMap, inMap, outMap, outMap}, iterators,
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value r = arith::IndexCastOp::create(
              b, l, i64, linalg::IndexOp::create(b, l, axis));
          Value i = arith::IndexCastOp::create(
              b, l, i64, linalg::IndexOp::create(b, l, rank));
          Value match =
              arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, args[1], r);
          linalg::YieldOp::create(
              b, l,
              ValueRange{arith::SelectOp::create(b, l, match, args[0], args[2]),
                         arith::SelectOp::create(b, l, match, i, args[3])});
        });
    rewriter.replaceOp(op, pick.getResults());
    return success();
  }
};

} // namespace

void populateIndexingPatterns(const TypeConverter &converter,
                              RewritePatternSet &patterns) {
  patterns.add<GatherNDLowering, ScatterElementsLowering, ScatterNDLowering,
               TopKLowering>(converter, patterns.getContext());
}

} // namespace mlir::strata

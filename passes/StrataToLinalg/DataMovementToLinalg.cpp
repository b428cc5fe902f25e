//===- DataMovementToLinalg.cpp - constants, reshapes, slices, gathers ----===//
//
// Layout changes become tensor reshapes, linalg.transpose and insert/extract
// slices; ops that address elements by computed indices (gather, pad, slices
// with negative steps) become generics that read with tensor.extract.
//
//===----------------------------------------------------------------------===//

#include "dialects/Strata/IR/ShapeInference.h"
#include "dialects/Strata/IR/StrataOps.h"
#include "passes/StrataToLinalg/LoweringUtils.h"

namespace mlir::strata {
namespace {

using utils::IteratorType;

struct ConstantLowering : OpConversionPattern<ConstantOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ConstantOp op, OpAdaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto value = dyn_cast<DenseElementsAttr>(op.getValue());
    if (!value)
      return rewriter.notifyMatchFailure(op, "needs a dense literal");
    Type element = toSignless(value.getElementType());
    if (element != value.getElementType())
      value = value.bitcast(element);
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(op, value);
    return success();
  }
};

/// Every op that only changes the shape: the result type says it all.
template <typename OpTy>
struct ReshapeLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = cast<RankedTensorType>(op.getType());
    rewriter.replaceOp(op, reshapeTo(rewriter, op.getLoc(), adaptor.getInput(),
                                     type.getShape()));
    return success();
  }
};

struct ExpandLowering : OpConversionPattern<ExpandOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ExpandOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type =
        cast<RankedTensorType>(getTypeConverter()->convertType(op.getType()));
    rewriter.replaceOp(
        op, buildElementwise(rewriter, op.getLoc(), type, adaptor.getInput(),
                             [](OpBuilder &, Location, ValueRange a) {
                               return a[0];
                             }));
    return success();
  }
};

struct TransposeLowering : OpConversionPattern<TransposeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(TransposeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type =
        cast<RankedTensorType>(getTypeConverter()->convertType(op.getType()));
    Value init = tensor::EmptyOp::create(rewriter, op.getLoc(), type.getShape(),
                                         type.getElementType());
    auto transpose = linalg::TransposeOp::create(
        rewriter, op.getLoc(), adaptor.getInput(), init, op.getPerm());
    rewriter.replaceOp(op, transpose.getResult()[0]);
    return success();
  }
};

struct ConcatLowering : OpConversionPattern<ConcatOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ConcatOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type =
        cast<RankedTensorType>(getTypeConverter()->convertType(op.getType()));
    int64_t rank = type.getRank();
    int64_t axis = positiveAxis(op.getAxis(), rank);
    Value result = tensor::EmptyOp::create(rewriter, loc, type.getShape(),
                                           type.getElementType());
    int64_t offset = 0;
    for (Value input : adaptor.getInputs()) {
      ArrayRef<int64_t> shape = shapeOf(input);
      SmallVector<OpFoldResult> offsets(rank, rewriter.getIndexAttr(0));
      offsets[axis] = rewriter.getIndexAttr(offset);
      SmallVector<OpFoldResult> sizes, strides(rank, rewriter.getIndexAttr(1));
      for (int64_t dim : shape)
        sizes.push_back(rewriter.getIndexAttr(dim));
      result = tensor::InsertSliceOp::create(rewriter, loc, input, result,
                                             offsets, sizes, strides);
      offset += shape[axis];
    }
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// A generic over `type` whose body computes source coordinates from the
/// loop indices and reads `source` there.
Value buildIndexedRead(
    OpBuilder &b, Location loc, RankedTensorType type, ValueRange inputs,
    function_ref<Value(OpBuilder &, Location, ValueRange indices,
                       ValueRange scalars)>
        body) {
  int64_t rank = type.getRank();
  SmallVector<AffineMap> maps;
  for (Value input : inputs)
    maps.push_back(broadcastMap(shapeOf(input), type.getShape(),
                                b.getContext()));
  maps.push_back(b.getMultiDimIdentityMap(rank));
  Value init = tensor::EmptyOp::create(b, loc, type.getShape(),
                                       type.getElementType());
  return linalg::GenericOp::create(
             b, loc, type, inputs, init, maps,
             SmallVector<IteratorType>(rank, IteratorType::parallel),
             [&](OpBuilder &nb, Location l, ValueRange args) {
               SmallVector<Value> indices;
               for (int64_t i = 0; i < rank; ++i)
                 indices.push_back(linalg::IndexOp::create(nb, l, i));
               linalg::YieldOp::create(
                   nb, l, body(nb, l, indices, args.drop_back()));
             })
      .getResult(0);
}

struct SliceLowering : OpConversionPattern<SliceOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(SliceOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type =
        cast<RankedTensorType>(getTypeConverter()->convertType(op.getType()));
    ArrayRef<int64_t> shape = shapeOf(adaptor.getInput());
    int64_t rank = shape.size();
    SmallVector<int64_t> starts(rank, 0), steps(rank, 1);
    for (auto [i, start] : llvm::enumerate(op.getStarts())) {
      int64_t axis = op.getAxes().empty() ? i : op.getAxes()[i];
      if (axis < 0)
        axis += rank;
      int64_t step = op.getSteps().empty() ? 1 : op.getSteps()[i];
      starts[axis] = shape::sliceStart(shape[axis], start, step);
      steps[axis] = step;
    }
    if (llvm::all_of(steps, [](int64_t s) { return s > 0; })) {
      SmallVector<OpFoldResult> offsets, sizes, strides;
      for (int64_t i = 0; i < rank; ++i) {
        // An empty slice may start at the end, which extract_slice rejects.
        int64_t offset = type.getDimSize(i) == 0 ? 0 : starts[i];
        offsets.push_back(rewriter.getIndexAttr(offset));
        sizes.push_back(rewriter.getIndexAttr(type.getDimSize(i)));
        strides.push_back(rewriter.getIndexAttr(steps[i]));
      }
      rewriter.replaceOpWithNewOp<tensor::ExtractSliceOp>(
          op, type, adaptor.getInput(), offsets, sizes, strides);
      return success();
    }
    Value input = adaptor.getInput();
    rewriter.replaceOp(
        op, buildIndexedRead(
                rewriter, loc, type, {},
                [&](OpBuilder &b, Location l, ValueRange idx, ValueRange) {
                  SmallVector<Value> coords;
                  for (int64_t i = 0; i < rank; ++i) {
                    Value scaled = arith::MulIOp::create(
                        b, l, idx[i], indexConstant(b, l, steps[i]));
                    coords.push_back(arith::AddIOp::create(
                        b, l, scaled, indexConstant(b, l, starts[i])));
                  }
                  return tensor::ExtractOp::create(b, l, input, coords);
                }));
    return success();
  }
};

struct GatherLowering : OpConversionPattern<GatherOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(GatherOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    MLIRContext *ctx = rewriter.getContext();
    auto type =
        cast<RankedTensorType>(getTypeConverter()->convertType(op.getType()));
    ArrayRef<int64_t> data = shapeOf(adaptor.getData());
    int64_t axis = positiveAxis(op.getAxis(), data.size());
    int64_t indexRank = shapeOf(adaptor.getIndices()).size();
    SmallVector<AffineExpr> indexExprs;
    for (int64_t i = 0; i < indexRank; ++i)
      indexExprs.push_back(getAffineDimExpr(axis + i, ctx));
    Value source = adaptor.getData();
    Value init = tensor::EmptyOp::create(rewriter, op.getLoc(), type.getShape(),
                                         type.getElementType());
    SmallVector<AffineMap> maps = {
        AffineMap::get(type.getRank(), 0, indexExprs, ctx),
        rewriter.getMultiDimIdentityMap(type.getRank())};
    auto generic = linalg::GenericOp::create(
        rewriter, op.getLoc(), type, adaptor.getIndices(), init, maps,
        SmallVector<IteratorType>(type.getRank(), IteratorType::parallel),
        [&](OpBuilder &b, Location l, ValueRange args) {
          SmallVector<Value> coords;
          for (int64_t i = 0; i < axis; ++i)
            coords.push_back(linalg::IndexOp::create(b, l, i));
          coords.push_back(wrapIndex(b, l, args[0], data[axis]));
          for (int64_t i = axis + 1; i < static_cast<int64_t>(data.size());
               ++i)
            coords.push_back(linalg::IndexOp::create(b, l, i - 1 + indexRank));
          linalg::YieldOp::create(b, l,
                                  tensor::ExtractOp::create(b, l, source,
                                                            coords)
                                      .getResult());
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

struct GatherElementsLowering : OpConversionPattern<GatherElementsOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(GatherElementsOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type =
        cast<RankedTensorType>(getTypeConverter()->convertType(op.getType()));
    ArrayRef<int64_t> data = shapeOf(adaptor.getData());
    int64_t axis = positiveAxis(op.getAxis(), data.size());
    Value source = adaptor.getData();
    rewriter.replaceOp(
        op, buildIndexedRead(
                rewriter, op.getLoc(), type, adaptor.getIndices(),
                [&](OpBuilder &b, Location l, ValueRange idx, ValueRange a) {
                  SmallVector<Value> coords(idx);
                  coords[axis] = wrapIndex(b, l, a[0], data[axis]);
                  return tensor::ExtractOp::create(b, l, source, coords);
                }));
    return success();
  }
};

/// Every pad mode as one generic: the source coordinate is the output
/// coordinate minus the begin pad, then clamped (edge), mirrored (reflect),
/// wrapped (wrap) or tested against the bounds (constant).
struct PadLowering : OpConversionPattern<PadOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(PadOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type =
        cast<RankedTensorType>(getTypeConverter()->convertType(op.getType()));
    ArrayRef<int64_t> shape = shapeOf(adaptor.getInput());
    int64_t rank = shape.size();
    ArrayRef<int64_t> pads = op.getPads();
    StringRef mode = op.getMode();
    if (llvm::any_of(shape, [](int64_t d) { return d == 0; }) &&
        mode != "constant")
      return rewriter.notifyMatchFailure(op, "cannot pad an empty tensor");
    Value source = adaptor.getInput();
    if (rank == 0) {
      rewriter.replaceOp(op, source);
      return success();
    }
    double fill = op.getValue().convertToDouble();
    rewriter.replaceOp(
        op,
        buildIndexedRead(
            rewriter, op.getLoc(), type, {},
            [&](OpBuilder &b, Location l, ValueRange idx, ValueRange) -> Value {
              Value zero = indexConstant(b, l, 0);
              Value inBounds =
                  arith::ConstantOp::create(b, l, b.getBoolAttr(true));
              SmallVector<Value> coords;
              for (int64_t i = 0; i < rank; ++i) {
                Value dim = indexConstant(b, l, shape[i]);
                Value last = indexConstant(b, l, shape[i] - 1);
                Value c = arith::SubIOp::create(b, l, idx[i],
                                                indexConstant(b, l, pads[i]));
                Value below = arith::CmpIOp::create(
                    b, l, arith::CmpIPredicate::slt, c, zero);
                Value above = arith::CmpIOp::create(
                    b, l, arith::CmpIPredicate::sgt, c, last);
                if (mode == "reflect") {
                  Value mirroredLow = arith::SubIOp::create(b, l, zero, c);
                  Value mirroredHigh = arith::SubIOp::create(
                      b, l, arith::AddIOp::create(b, l, last, last), c);
                  c = arith::SelectOp::create(b, l, below, mirroredLow, c);
                  c = arith::SelectOp::create(b, l, above, mirroredHigh, c);
                } else if (mode == "wrap") {
                  Value rem = arith::RemSIOp::create(b, l, c, dim);
                  Value neg = arith::CmpIOp::create(
                      b, l, arith::CmpIPredicate::slt, rem, zero);
                  c = arith::SelectOp::create(
                      b, l, neg, arith::AddIOp::create(b, l, rem, dim), rem);
                } else {
                  if (mode == "constant") {
                    Value outside = arith::OrIOp::create(b, l, below, above);
                    inBounds = arith::AndIOp::create(
                        b, l, inBounds,
                        arith::XOrIOp::create(
                            b, l, outside,
                            arith::ConstantOp::create(b, l,
                                                      b.getBoolAttr(true))));
                  }
                  c = arith::MaxSIOp::create(b, l, c, zero);
                  c = arith::MinSIOp::create(b, l, c, last);
                }
                coords.push_back(c);
              }
              if (llvm::is_contained(shape, 0))
                return scalarConstant(b, l, type.getElementType(), fill);
              Value read = tensor::ExtractOp::create(b, l, source, coords);
              if (mode != "constant")
                return read;
              return arith::SelectOp::create(
                  b, l, inBounds, read,
                  scalarConstant(b, l, type.getElementType(), fill));
            }));
    return success();
  }
};

} // namespace

void populateDataMovementPatterns(const TypeConverter &converter,
                                  RewritePatternSet &patterns) {
  patterns.add<ConstantLowering, ReshapeLowering<ReshapeOp>,
               ReshapeLowering<FlattenOp>, ReshapeLowering<SqueezeOp>,
               ReshapeLowering<UnsqueezeOp>, ExpandLowering, TransposeLowering,
               ConcatLowering, SliceLowering, GatherLowering,
               GatherElementsLowering, PadLowering>(converter,
                                                    patterns.getContext());
}

} // namespace mlir::strata

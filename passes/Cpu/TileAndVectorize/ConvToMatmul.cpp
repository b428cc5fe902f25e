//===- ConvToMatmul.cpp - convolutions as image-to-column and a matmul ----===//
//
// A convolution's windows overlap, so its input cannot be packed into
// register-block panels directly. Copying every window into a column
// tensor first (im2col) costs one pass over K x N elements and turns any
// stride, dilation and kernel size into the matmul the packed path runs
// near peak.
//
//===----------------------------------------------------------------------===//

#include "passes/Cpu/TileAndVectorize/RegisterBlock.h"
#include "passes/Passes.h"
#include "passes/Utils/ConvMatch.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tensor/Utils/Utils.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::strata {

#define GEN_PASS_DEF_STRATACONVTOMATMULPASS
#include "passes/Passes.h.inc"

namespace {

using utils::IteratorType;

/// Whether `op`'s windows are single input pixels at their output's
/// position (a 1x1 kernel, stride 1, no padding): then the im2col columns
/// are the input, reshaped.
bool isPointwise(linalg::GenericOp op, const ConvGeneric &conv) {
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  auto input = cast<RankedTensorType>(op.getDpsInputs()[0].getType());
  for (int64_t i = 0; i < conv.dims; ++i) {
    int64_t o = 3 + i, k = 4 + conv.dims + i;
    AffineExpr window = conv.windows[i];
    // o * 1 + k * d with k in [0, 1) reads o.
    AffineExpr atZero =
        window.replace(getAffineDimExpr(k, op.getContext()),
                       getAffineConstantExpr(0, op.getContext()));
    if (ranges[k] != 1 ||
        simplifyAffineExpr(atZero, op.getNumLoops(), 0) !=
            getAffineDimExpr(o, op.getContext()) ||
        input.getDimSize(3 + i) != ranges[o])
      return false;
  }
  return true;
}

/// Rewrites `op` as im2col + batched matmul, if that is worth it.
LogicalResult rewrite(RewriterBase &rewriter, linalg::GenericOp op,
                      const ConvGeneric &conv, RegisterFile file) {
  MLIRContext *ctx = op.getContext();
  Location loc = op.getLoc();
  int64_t dims = conv.dims, loops = op.getNumLoops();
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  if (llvm::any_of(ranges, ShapedType::isDynamic))
    return failure();
  int64_t n = ranges[0], groups = ranges[1], m = ranges[2];
  int64_t columns = ShapedType::getNumElements(ArrayRef(ranges).slice(3, dims));
  // The matmul's rows are the output channels and its columns the pixels,
  // unless the pixels as rows pad clearly less: resnet18's last 7x7 layers
  // pad 49 pixels to 64 columns, but make 7 blocks of 7 rows exactly.
  bool pixelRows = 20 * paddedElements(file, columns, m) <
                   19 * paddedElements(file, m, columns);
  if (!worthPacking(pixelRows ? columns : m, pixelRows ? m : columns,
                    ShapedType::getNumElements(ranges), file))
    return failure();

  // col[n, g, c, k..., o...] = input[n, g, c, o * s + k * d...]: the conv's
  // loop l is loop colPos[l] of the copy.
  SmallVector<int64_t> colPos(loops, -1);
  colPos[0] = 0;
  colPos[1] = 1;
  colPos[3 + dims] = 2;
  for (int64_t i = 0; i < dims; ++i) {
    colPos[4 + dims + i] = 3 + i;
    colPos[3 + i] = 3 + dims + i;
  }
  int64_t colLoops = 3 + 2 * dims;
  SmallVector<AffineExpr> replacements;
  SmallVector<int64_t> colShape(colLoops);
  for (int64_t l = 0; l < loops; ++l) {
    replacements.push_back(colPos[l] < 0 ? getAffineConstantExpr(0, ctx)
                                         : getAffineDimExpr(colPos[l], ctx));
    if (colPos[l] >= 0)
      colShape[colPos[l]] = ranges[l];
  }
  AffineMap colRead = op.getIndexingMapsArray()[0].replaceDimsAndSymbols(
      replacements, {}, colLoops, 0);
  Value input = op.getDpsInputs()[0], weight = op.getDpsInputs()[1];
  Type f32 = rewriter.getF32Type();
  Value col;
  if (isPointwise(op, conv)) {
    // The columns are the input itself, with unit window dims after c.
    SmallVector<ReassociationIndices> groups = {{0}, {1}, {2}};
    for (int64_t i = 0; i < dims; ++i)
      groups.back().push_back(3 + i);
    for (int64_t i = 0; i < dims; ++i)
      groups.push_back({3 + dims + i});
    col = tensor::ExpandShapeOp::create(
        rewriter, loc, RankedTensorType::get(colShape, f32), input, groups);
  } else {
    Value colInit = tensor::EmptyOp::create(rewriter, loc, colShape, f32);
    col = linalg::GenericOp::create(
              rewriter, loc, colInit.getType(), input, colInit,
              {colRead, rewriter.getMultiDimIdentityMap(colLoops)},
              SmallVector<IteratorType>(colLoops, IteratorType::parallel),
              [](OpBuilder &b, Location l, ValueRange args) {
                linalg::YieldOp::create(b, l, args[0]);
              })
              .getResult(0);
  }

  // The batched matmul over (n, g, m, j, r) with j = (o...), r = (c k...).
  auto range = [](int64_t from, int64_t to) {
    return llvm::to_vector<4>(llvm::seq<int64_t>(from, to));
  };
  auto flat = [&](Value v, SmallVector<ReassociationIndices> groups) {
    return tensor::CollapseShapeOp::create(rewriter, loc, v, groups)
        .getResult();
  };
  Value colFlat =
      flat(col, {{0}, {1}, range(2, 3 + dims), range(3 + dims, colLoops)});
  Value weightFlat = flat(weight, {{0}, {1}, range(2, 3 + dims)});
  SmallVector<ReassociationIndices> outGroups = {
      {0}, {1}, {2}, range(3, 3 + dims)};
  // The matmul accumulates from zero, so its fill fuses into its tiles;
  // a bias init is added after it, where the activation that usually
  // follows fuses with the add.
  Value bias = op.getDpsInits()[0];
  auto fill = bias.getDefiningOp<linalg::FillOp>();
  if (fill && matchPattern(fill.value(), m_AnyZeroFloat()))
    bias = nullptr;
  Value zero =
      arith::ConstantOp::create(rewriter, loc, rewriter.getF32FloatAttr(0));
  Value init =
      linalg::FillOp::create(
          rewriter, loc, ValueRange{zero},
          ValueRange{tensor::EmptyOp::create(
              rewriter, loc, ArrayRef<int64_t>{n, groups, m, columns}, f32)})
          .getResult(0);
  auto d = [&](int64_t i) { return getAffineDimExpr(i, ctx); };
  // The first input is the contraction's A, whose rows the register block
  // holds.
  SmallVector<Value> inputs = {weightFlat, colFlat};
  SmallVector<AffineMap> maps = {
      AffineMap::get(5, 0, {d(1), d(2), d(4)}, ctx),
      AffineMap::get(5, 0, {d(0), d(1), d(4), d(3)}, ctx),
      AffineMap::get(5, 0, {d(0), d(1), d(2), d(3)}, ctx)};
  if (pixelRows) {
    std::swap(inputs[0], inputs[1]);
    std::swap(maps[0], maps[1]);
  }
  SmallVector<IteratorType> iterators(4, IteratorType::parallel);
  iterators.push_back(IteratorType::reduction);
  auto resultType = RankedTensorType::get({n, groups, m, columns}, f32);
  Value product =
      linalg::GenericOp::create(
          rewriter, loc, resultType, inputs, init, maps, iterators,
          [](OpBuilder &b, Location l, ValueRange args) {
            Value mul = arith::MulFOp::create(b, l, args[0], args[1]);
            linalg::YieldOp::create(
                b, l, arith::AddFOp::create(b, l, args[2], mul).getResult());
          })
          .getResult(0);
  Value result = tensor::ExpandShapeOp::create(
      rewriter, loc, op.getResultTypes()[0], product, outGroups);
  if (bias) {
    AffineMap id = rewriter.getMultiDimIdentityMap(3 + dims);
    result =
        linalg::GenericOp::create(
            rewriter, loc, result.getType(), ValueRange{result, bias},
            tensor::EmptyOp::create(
                rewriter, loc,
                cast<RankedTensorType>(result.getType()).getShape(), f32)
                .getResult(),
            {id, id, id},
            SmallVector<IteratorType>(3 + dims, IteratorType::parallel),
            [](OpBuilder &b, Location l, ValueRange args) {
              linalg::YieldOp::create(
                  b, l,
                  arith::AddFOp::create(b, l, args[0], args[1]).getResult());
            })
            .getResult(0);
  }
  rewriter.replaceOp(op, result);
  return success();
}

/// Output rows at most this much wider than needed are worth computing.
constexpr int64_t kRowQuantum = 8;

/// The value every element of `v` holds, if a fill or a generic without
/// inputs (a zero bias) gives it one.
Value uniformValue(Value v) {
  if (auto fill = v.getDefiningOp<linalg::FillOp>())
    return fill.value();
  auto generic = v.getDefiningOp<linalg::GenericOp>();
  if (!generic || generic.getNumDpsInputs() != 0 ||
      generic.getNumResults() != 1)
    return {};
  Value yielded = generic.getBody()->getTerminator()->getOperand(0);
  return yielded.getParentBlock() == generic.getBody() ? Value() : yielded;
}

/// `type` with rows (its innermost dimension) `width` wide.
RankedTensorType withRowWidth(Type type, int64_t width) {
  auto ranked = cast<RankedTensorType>(type);
  SmallVector<int64_t> shape(ranked.getShape());
  shape.back() = width;
  return RankedTensorType::get(shape, ranked.getElementType());
}

/// `input` with `extra` more zero columns on the right of its rows. Where it
/// is a zero pad already (a convolution's), seen through reshapes that keep
/// the rows, the pad itself grows, so that one copy pads.
Value padRowsFurther(RewriterBase &rewriter, Value input, int64_t extra,
                     Value zero) {
  SmallVector<Operation *> reshapes;
  Value v = input;
  auto keepsRows = [](ArrayRef<ReassociationIndices> groups) {
    return groups.back().size() == 1;
  };
  while (Operation *op = v.getDefiningOp()) {
    if (auto expand = dyn_cast<tensor::ExpandShapeOp>(op);
        expand && keepsRows(expand.getReassociationIndices())) {
      reshapes.push_back(op);
      v = expand.getSrc();
      continue;
    }
    if (auto collapse = dyn_cast<tensor::CollapseShapeOp>(op);
        collapse && keepsRows(collapse.getReassociationIndices())) {
      reshapes.push_back(op);
      v = collapse.getSrc();
      continue;
    }
    break;
  }
  auto widen = [&](Type type) {
    return withRowWidth(type,
                        cast<RankedTensorType>(type).getShape().back() + extra);
  };
  auto pad = v.getDefiningOp<tensor::PadOp>();
  if (!pad || !pad.getConstantPaddingValue() ||
      !matchPattern(pad.getConstantPaddingValue(), m_AnyZeroFloat()) ||
      !pad.getResultType().hasStaticShape() ||
      ShapedType::isDynamic(pad.getStaticHigh().back()))
    return tensor::createPadHighOp(widen(input.getType()), input, zero,
                                   /*nofold=*/false, input.getLoc(), rewriter);
  SmallVector<OpFoldResult> high = pad.getMixedHighPad();
  high.back() = rewriter.getIndexAttr(pad.getStaticHigh().back() + extra);
  Value result =
      tensor::PadOp::create(rewriter, pad.getLoc(), widen(pad.getResultType()),
                            pad.getSource(), pad.getMixedLowPad(), high, zero);
  for (Operation *op : llvm::reverse(reshapes)) {
    if (auto expand = dyn_cast<tensor::ExpandShapeOp>(op))
      result = tensor::ExpandShapeOp::create(
          rewriter, op->getLoc(), widen(expand.getResultType()), result,
          expand.getReassociationIndices());
    else
      result = tensor::CollapseShapeOp::create(
          rewriter, op->getLoc(), widen(op->getResult(0).getType()), result,
          cast<tensor::CollapseShapeOp>(op).getReassociationIndices());
  }
  return result;
}

/// Widens the output rows of a convolution left in direct form (depthwise,
/// small) to a multiple of 8 when no tile of whole vectors or of a power of
/// two divides them: the tile would take the whole row, and LLVM splits 28
/// lanes into 16 + 8 + 4 that it shuffles and spills (mnasnet's 28-wide
/// 5x5 depthwise layers took 0.36 ms each, 8 GFLOP/s). The input is padded
/// with zeros as far as the wider rows' windows reach, the init with zeros
/// (or filled wider), and the result sliced back.
LogicalResult widenRows(RewriterBase &rewriter, linalg::GenericOp op,
                        const ConvGeneric &conv) {
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  int64_t o = 2 + conv.dims, k = 3 + 2 * conv.dims;
  int64_t width = ranges[o];
  if (llvm::any_of(ranges, ShapedType::isDynamic) || width % kRowQuantum == 0 ||
      width < kRowQuantum - 2)
    return failure();
  int64_t wide = llvm::alignTo(width, kRowQuantum);
  Value input = op.getDpsInputs()[0], init = op.getDpsInits()[0];
  auto inputType = cast<RankedTensorType>(input.getType());
  auto initType = cast<RankedTensorType>(init.getType());
  // The last input column the wider rows' windows read.
  SmallVector<int64_t> last(op.getNumLoops(), 0);
  last[o] = wide - 1;
  last[k] = ranges[k] - 1;
  int64_t reach =
      AffineMap::get(op.getNumLoops(), 0, conv.windows.back()).compose(last)[0];
  Location loc = op.getLoc();
  Value zero =
      arith::ConstantOp::create(rewriter, loc, rewriter.getF32FloatAttr(0));
  int64_t extra = reach + 1 - inputType.getShape().back();
  if (extra > 0)
    input = padRowsFurther(rewriter, input, extra, zero);
  RankedTensorType wideInit = withRowWidth(initType, wide);
  if (Value value = uniformValue(init))
    init = linalg::FillOp::create(
               rewriter, loc, value,
               tensor::EmptyOp::create(rewriter, loc, wideInit.getShape(),
                                       wideInit.getElementType())
                   .getResult())
               .getResult(0);
  else
    init = tensor::createPadHighOp(wideInit, init, zero, /*nofold=*/false, loc,
                                   rewriter);
  SmallVector<Value> inputs(op.getDpsInputs());
  inputs[0] = input;
  auto wider = linalg::GenericOp::create(
      rewriter, loc, TypeRange{wideInit}, inputs, ValueRange{init},
      op.getIndexingMapsArray(), op.getIteratorTypesArray());
  rewriter.cloneRegionBefore(op.getRegion(), wider.getRegion(),
                             wider.getRegion().begin());
  SmallVector<OpFoldResult> offsets(initType.getRank(),
                                    rewriter.getIndexAttr(0));
  SmallVector<OpFoldResult> sizes,
      strides(initType.getRank(), rewriter.getIndexAttr(1));
  for (int64_t size : initType.getShape())
    sizes.push_back(rewriter.getIndexAttr(size));
  rewriter.replaceOpWithNewOp<tensor::ExtractSliceOp>(op, wider.getResult(0),
                                                      offsets, sizes, strides);
  return success();
}

struct StrataConvToMatmulPass
    : impl::StrataConvToMatmulPassBase<StrataConvToMatmulPass> {
  using Base::Base;

  void runOnOperation() override {
    SmallVector<std::pair<linalg::GenericOp, ConvGeneric>> convs;
    getOperation().walk([&](linalg::GenericOp op) {
      if (std::optional<ConvGeneric> conv = matchConv(op))
        convs.push_back({op, *conv});
    });
    IRRewriter rewriter(&getContext());
    for (auto &[op, conv] : convs) {
      rewriter.setInsertionPoint(op);
      if (failed(rewrite(rewriter, op, conv, {vectorBits, vectorRegisters})))
        (void)widenRows(rewriter, op, conv);
    }
  }
};

} // namespace
} // namespace mlir::strata

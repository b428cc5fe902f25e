//===- ContractionToLinalg.cpp - matmul, gemm, conv, pooling to linalg ----===//
//
// Contractions and windowed ops become linalg.generic ops whose indexing maps
// carry the strides, dilations and groups; padding is an explicit tensor.pad
// so that the generic only reads in bounds.
//
//===----------------------------------------------------------------------===//

#include "dialects/Strata/IR/StrataOps.h"
#include "passes/StrataToLinalg/LoweringUtils.h"

namespace mlir::strata {
namespace {

using utils::IteratorType;

Value multiplyAdd(OpBuilder &b, Location loc, Value acc, Value x, Value y) {
  if (isa<FloatType>(acc.getType()))
    return arith::AddFOp::create(b, loc, acc,
                                 arith::MulFOp::create(b, loc, x, y));
  return arith::AddIOp::create(b, loc, acc,
                               arith::MulIOp::create(b, loc, x, y));
}

/// A contraction generic: `sum(lhs * rhs)` into a zero-filled result.
Value buildContraction(OpBuilder &b, Location loc, RankedTensorType resultType,
                       Value lhs, Value rhs, ArrayRef<AffineMap> maps,
                       ArrayRef<IteratorType> iterators, Value init = {}) {
  if (!init)
    init = filledTensor(b, loc, resultType.getShape(),
                        scalarConstant(b, loc, resultType.getElementType(), 0));
  auto generic = linalg::GenericOp::create(
      b, loc, resultType, ValueRange{lhs, rhs}, init, maps, iterators,
      [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
        linalg::YieldOp::create(
            nested, nestedLoc,
            multiplyAdd(nested, nestedLoc, args[2], args[0], args[1]));
      });
  return generic.getResult(0);
}

/// numpy matmul: batch dims broadcast, 1-D operands promote and vanish.
struct MatMulLowering : OpConversionPattern<MatMulOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(MatMulOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    MLIRContext *ctx = rewriter.getContext();
    auto resultType =
        cast<RankedTensorType>(getTypeConverter()->convertType(op.getType()));
    ArrayRef<int64_t> lhs = shapeOf(adaptor.getLhs());
    ArrayRef<int64_t> rhs = shapeOf(adaptor.getRhs());
    ArrayRef<int64_t> result = resultType.getShape();
    int64_t rank = result.size();
    bool hasM = lhs.size() >= 2, hasN = rhs.size() >= 2;
    int64_t batchRank = rank - hasM - hasN;
    int64_t kLoop = rank, mLoop = batchRank, nLoop = batchRank + hasM;
    auto operandMap = [&](ArrayRef<int64_t> shape, bool isLhs) {
      SmallVector<AffineExpr> exprs;
      int64_t operandBatch = shape.size() >= 2 ? shape.size() - 2 : 0;
      for (int64_t i = 0; i < operandBatch; ++i) {
        int64_t loop = batchRank - operandBatch + i;
        exprs.push_back(shape[i] == 1 && result[loop] != 1
                            ? getAffineConstantExpr(0, ctx)
                            : getAffineDimExpr(loop, ctx));
      }
      if (shape.size() >= 2 && isLhs)
        exprs.push_back(getAffineDimExpr(mLoop, ctx));
      exprs.push_back(getAffineDimExpr(kLoop, ctx));
      if (shape.size() >= 2 && !isLhs)
        exprs.push_back(getAffineDimExpr(nLoop, ctx));
      return AffineMap::get(rank + 1, 0, exprs, ctx);
    };
    SmallVector<AffineMap> maps = {
        operandMap(lhs, true), operandMap(rhs, false),
        leadingLoopsMap(rank + 1, rank, ctx)};
    SmallVector<IteratorType> iterators(rank, IteratorType::parallel);
    iterators.push_back(IteratorType::reduction);
    rewriter.replaceOp(op, buildContraction(rewriter, op.getLoc(), resultType,
                                            adaptor.getLhs(), adaptor.getRhs(),
                                            maps, iterators));
    return success();
  }
};

/// `alpha * A' * B' + beta * C`.
struct GemmLowering : OpConversionPattern<GemmOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(GemmOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    MLIRContext *ctx = rewriter.getContext();
    Location loc = op.getLoc();
    auto resultType =
        cast<RankedTensorType>(getTypeConverter()->convertType(op.getType()));
    AffineExpr m = getAffineDimExpr(0, ctx), n = getAffineDimExpr(1, ctx),
               k = getAffineDimExpr(2, ctx);
    SmallVector<AffineMap> maps = {
        AffineMap::get(3, 0, op.getTransA() ? ArrayRef{k, m} : ArrayRef{m, k},
                       ctx),
        AffineMap::get(3, 0, op.getTransB() ? ArrayRef{n, k} : ArrayRef{k, n},
                       ctx),
        AffineMap::get(3, 0, {m, n}, ctx)};
    Value product = buildContraction(
        rewriter, loc, resultType, adaptor.getA(), adaptor.getB(), maps,
        {IteratorType::parallel, IteratorType::parallel,
         IteratorType::reduction});
    double alpha = op.getAlpha().convertToDouble();
    double beta = op.getBeta().convertToDouble();
    SmallVector<Value> inputs = {product};
    if (adaptor.getC() && beta != 0)
      inputs.push_back(adaptor.getC());
    if (alpha == 1 && inputs.size() == 1) {
      rewriter.replaceOp(op, product);
      return success();
    }
    Value result = buildElementwise(
        rewriter, loc, resultType, inputs,
        [&](OpBuilder &b, Location l, ValueRange args) -> Value {
          Value scaled = args[0];
          if (alpha != 1)
            scaled = arith::MulFOp::create(
                b, l, scaled, scalarConstant(b, l, scaled.getType(), alpha));
          if (args.size() == 1)
            return scaled;
          Value c = args[1];
          if (beta != 1)
            c = arith::MulFOp::create(b, l, c,
                                      scalarConstant(b, l, c.getType(), beta));
          return arith::AddFOp::create(b, l, scaled, c);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// Einsum as one generic: every distinct label (letters, and one per
/// broadcast `...` dim) is a loop, output labels first; labels missing from
/// the output are reductions, and a repeated label reads a diagonal.
struct EinsumLowering : OpConversionPattern<EinsumOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(EinsumOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    MLIRContext *ctx = rewriter.getContext();
    Location loc = op.getLoc();
    auto resultType =
        cast<RankedTensorType>(getTypeConverter()->convertType(op.getType()));
    std::string text;
    for (char c : op.getEquation())
      if (c != ' ')
        text.push_back(c);
    StringRef lhs = text, rhs;
    bool explicitOutput = false;
    if (size_t arrow = lhs.find("->"); arrow != StringRef::npos) {
      rhs = lhs.drop_front(arrow + 2);
      lhs = lhs.take_front(arrow);
      explicitOutput = true;
    }
    SmallVector<StringRef> terms;
    lhs.split(terms, ',');
    ValueRange inputs = adaptor.getInputs();

    // Ellipsis dims get the labels '0', '1', ... aligned on the right.
    int64_t ellipsisRank = 0;
    for (auto [term, input] : llvm::zip(terms, inputs))
      if (term.contains("..."))
        ellipsisRank = std::max<int64_t>(
            ellipsisRank, shapeOf(input).size() - (term.size() - 3));
    auto expand = [&](StringRef term, int64_t rank) {
      std::string labels;
      size_t dots = term.find("...");
      if (dots == StringRef::npos)
        return term.str();
      int64_t count = rank - static_cast<int64_t>(term.size() - 3);
      labels += term.take_front(dots).str();
      for (int64_t i = ellipsisRank - count; i < ellipsisRank; ++i)
        labels.push_back(static_cast<char>('0' + i));
      labels += term.drop_front(dots + 3).str();
      return labels;
    };
    SmallVector<std::string> operandLabels;
    llvm::StringMap<int64_t> size;
    std::string order;
    for (auto [term, input] : llvm::zip(terms, inputs)) {
      ArrayRef<int64_t> shape = shapeOf(input);
      operandLabels.push_back(expand(term, shape.size()));
      for (auto [i, c] : llvm::enumerate(operandLabels.back())) {
        int64_t &known = size[StringRef(&c, 1)];
        known = std::max(known, shape[i]);
        if (order.find(c) == std::string::npos)
          order.push_back(c);
      }
    }
    std::string output;
    if (explicitOutput) {
      output = expand(rhs, resultType.getRank());
    } else {
      for (int64_t i = 0; i < ellipsisRank; ++i)
        output.push_back(static_cast<char>('0' + i));
      std::string all = llvm::join(operandLabels, ""), once;
      for (char c : order)
        if (llvm::isAlpha(c) && llvm::count(all, c) == 1)
          once.push_back(c);
      llvm::sort(once);
      output += once;
    }
    std::string loops = output;
    for (char c : order)
      if (loops.find(c) == std::string::npos)
        loops.push_back(c);

    int64_t numLoops = loops.size();
    SmallVector<AffineMap> maps;
    for (auto [labels, input] : llvm::zip(operandLabels, inputs)) {
      SmallVector<AffineExpr> exprs;
      for (auto [i, c] : llvm::enumerate(labels)) {
        bool broadcast = shapeOf(input)[i] == 1 && size[StringRef(&c, 1)] != 1;
        exprs.push_back(broadcast ? getAffineConstantExpr(0, ctx)
                                  : getAffineDimExpr(loops.find(c), ctx));
      }
      maps.push_back(AffineMap::get(numLoops, 0, exprs, ctx));
    }
    maps.push_back(leadingLoopsMap(numLoops, output.size(), ctx));
    SmallVector<IteratorType> iterators(output.size(), IteratorType::parallel);
    iterators.append(numLoops - output.size(), IteratorType::reduction);
    Type elementType = resultType.getElementType();
    Value init = filledTensor(rewriter, loc, resultType.getShape(),
                              scalarConstant(rewriter, loc, elementType, 0));
    auto generic = linalg::GenericOp::create(
        rewriter, loc, resultType, inputs, init, maps, iterators,
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value product = args[0];
          for (Value x : args.drop_front().drop_back())
            product = isa<FloatType>(elementType)
                          ? Value(arith::MulFOp::create(b, l, product, x))
                          : Value(arith::MulIOp::create(b, l, product, x));
          Value acc = args.back();
          linalg::YieldOp::create(
              b, l,
              isa<FloatType>(elementType)
                  ? Value(arith::AddFOp::create(b, l, acc, product))
                  : Value(arith::AddIOp::create(b, l, acc, product)));
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

/// Pads the spatial dims (2..) of an N x C x spatial tensor with `value`.
Value padSpatial(OpBuilder &b, Location loc, Value input,
                 ArrayRef<int64_t> begins, ArrayRef<int64_t> ends,
                 Value value) {
  if (llvm::all_of(begins, [](int64_t p) { return p == 0; }) &&
      llvm::all_of(ends, [](int64_t p) { return p == 0; }))
    return input;
  auto type = cast<RankedTensorType>(input.getType());
  SmallVector<int64_t> shape(type.getShape());
  SmallVector<OpFoldResult> low(2, b.getIndexAttr(0)),
      high(2, b.getIndexAttr(0));
  for (size_t i = 0; i < begins.size(); ++i) {
    shape[2 + i] += begins[i] + ends[i];
    low.push_back(b.getIndexAttr(begins[i]));
    high.push_back(b.getIndexAttr(ends[i]));
  }
  return tensor::PadOp::create(b, loc, type.clone(shape), input, low, high,
                               value);
}

/// The extra end padding a ceil-mode window needs to stay in bounds.
SmallVector<int64_t> boundedEnds(ArrayRef<int64_t> input,
                                 ArrayRef<int64_t> output,
                                 ArrayRef<int64_t> kernel,
                                 ArrayRef<int64_t> strides,
                                 ArrayRef<int64_t> dilations,
                                 ArrayRef<int64_t> pads) {
  size_t dims = kernel.size();
  SmallVector<int64_t> ends;
  for (size_t i = 0; i < dims; ++i) {
    int64_t needed = (output[i] - 1) * strides[i] +
                     (kernel[i] - 1) * dilations[i] + 1 - input[i] - pads[i];
    ends.push_back(std::max<int64_t>(pads[dims + i], needed));
  }
  return ends;
}

/// Convolution of an already padded N x C x spatial `input` with a grouped
/// G x M/G x C/G x kernel `weight`, as one generic over
/// (n, g, m, o..., c, k...) into N x G x M/G x O..., reshaped to `resultType`.
Value buildGroupedConv(OpBuilder &b, Location loc, Value input, Value weight,
                       Value bias, ArrayRef<int64_t> strides,
                       ArrayRef<int64_t> dilations,
                       RankedTensorType resultType) {
  MLIRContext *ctx = b.getContext();
  Type elementType = resultType.getElementType();
  ArrayRef<int64_t> inShape = shapeOf(input), wShape = shapeOf(weight);
  int64_t dims = inShape.size() - 2;
  int64_t n = inShape[0], groups = wShape[0], mg = wShape[1], cg = wShape[2];
  SmallVector<int64_t> grouped = {n, groups, cg};
  llvm::append_range(grouped, inShape.drop_front(2));
  input = reshapeTo(b, loc, input, grouped);

  int64_t loops = 4 + 2 * dims;
  auto d = [&](int64_t i) { return getAffineDimExpr(i, ctx); };
  int64_t oFirst = 3, cLoop = 3 + dims, kFirst = 4 + dims;
  SmallVector<AffineExpr> inExprs = {d(0), d(1), d(cLoop)};
  SmallVector<AffineExpr> wExprs = {d(1), d(2), d(cLoop)};
  SmallVector<AffineExpr> outExprs = {d(0), d(1), d(2)};
  for (int64_t i = 0; i < dims; ++i) {
    inExprs.push_back(d(oFirst + i) * strides[i] +
                      d(kFirst + i) * dilations[i]);
    wExprs.push_back(d(kFirst + i));
    outExprs.push_back(d(oFirst + i));
  }
  SmallVector<int64_t> accShape = {n, groups, mg};
  llvm::append_range(accShape, resultType.getShape().drop_front(2));
  auto accType = RankedTensorType::get(accShape, elementType);

  Value init;
  if (bias) {
    bias = reshapeTo(b, loc, bias, {groups, mg});
    Value empty = tensor::EmptyOp::create(b, loc, accShape, elementType);
    SmallVector<AffineMap> maps = {
        AffineMap::get(3 + dims, 0, {d(1), d(2)}, ctx),
        b.getMultiDimIdentityMap(3 + dims)};
    init = linalg::GenericOp::create(
               b, loc, accType, bias, empty, maps,
               SmallVector<IteratorType>(3 + dims, IteratorType::parallel),
               [](OpBuilder &nb, Location l, ValueRange args) {
                 linalg::YieldOp::create(nb, l, args[0]);
               })
               .getResult(0);
  }
  SmallVector<IteratorType> iterators(3 + dims, IteratorType::parallel);
  iterators.append(1 + dims, IteratorType::reduction);
  SmallVector<AffineMap> maps = {AffineMap::get(loops, 0, inExprs, ctx),
                                 AffineMap::get(loops, 0, wExprs, ctx),
                                 AffineMap::get(loops, 0, outExprs, ctx)};
  Value acc = buildContraction(b, loc, accType, input, weight, maps, iterators,
                               init);
  return reshapeTo(b, loc, acc, resultType.getShape());
}

template <typename OpTy>
struct ConvLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto resultType = cast<RankedTensorType>(
        this->getTypeConverter()->convertType(op.getType()));
    ArrayRef<int64_t> inShape = shapeOf(adaptor.getInput());
    ArrayRef<int64_t> wShape = shapeOf(adaptor.getWeight());
    int64_t dims = inShape.size() - 2, groups = op.getGroup();
    ArrayRef<int64_t> kernel = wShape.drop_front(2);
    ArrayRef<int64_t> pads = op.getPads();
    SmallVector<int64_t> ends =
        boundedEnds(inShape.drop_front(2), resultType.getShape().drop_front(2),
                    kernel, op.getStrides(), op.getDilations(), pads);
    Value zero = scalarConstant(rewriter, loc, resultType.getElementType(), 0);
    Value input = padSpatial(rewriter, loc, adaptor.getInput(),
                             pads.take_front(dims), ends, zero);
    SmallVector<int64_t> wGrouped = {groups, wShape[0] / groups, wShape[1]};
    llvm::append_range(wGrouped, kernel);
    Value weight = reshapeTo(rewriter, loc, adaptor.getWeight(), wGrouped);
    rewriter.replaceOp(op, buildGroupedConv(rewriter, loc, input, weight,
                                            adaptor.getBias(), op.getStrides(),
                                            op.getDilations(), resultType));
    return success();
  }
};

/// A transposed convolution is a convolution of the input spread out by the
/// strides (zeros between elements), padded by `dilation * (k - 1)` minus
/// the op's pads, with the kernel flipped and its channel roles swapped.
template <typename OpTy>
struct ConvTransposeLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    auto resultType = cast<RankedTensorType>(
        this->getTypeConverter()->convertType(op.getType()));
    Type elementType = resultType.getElementType();
    ArrayRef<int64_t> inShape = shapeOf(adaptor.getInput());
    ArrayRef<int64_t> wShape = shapeOf(adaptor.getWeight());
    int64_t dims = inShape.size() - 2, groups = op.getGroup();
    int64_t cg = wShape[0] / groups, mg = wShape[1];
    ArrayRef<int64_t> kernel = wShape.drop_front(2);
    ArrayRef<int64_t> strides = op.getStrides(), dilations = op.getDilations(),
                      pads = op.getPads();
    ArrayRef<int64_t> outputPadding = op.getOutputPadding();
    Value zero = scalarConstant(rewriter, loc, elementType, 0);

    // Spread the input: element i lands at i * stride.
    SmallVector<int64_t> spreadShape(inShape.take_front(2));
    SmallVector<OpFoldResult> offsets(inShape.size(), rewriter.getIndexAttr(0)),
        sizes, steps(2, rewriter.getIndexAttr(1));
    for (int64_t dim : inShape)
      sizes.push_back(rewriter.getIndexAttr(dim));
    for (int64_t i = 0; i < dims; ++i) {
      spreadShape.push_back((inShape[2 + i] - 1) * strides[i] + 1);
      steps.push_back(rewriter.getIndexAttr(strides[i]));
    }
    Value spread = filledTensor(rewriter, loc, spreadShape, zero);
    spread = tensor::InsertSliceOp::create(rewriter, loc, adaptor.getInput(),
                                           spread, offsets, sizes, steps);

    // Pad by dilation * (k - 1) - pad on each side; a negative amount crops.
    SmallVector<int64_t> begins, ends, cropBegin, cropSize;
    for (int64_t i = 0; i < dims; ++i) {
      int64_t full = dilations[i] * (kernel[i] - 1);
      int64_t begin = full - pads[i];
      int64_t end = full - pads[dims + i] + outputPadding[i];
      begins.push_back(std::max<int64_t>(begin, 0));
      ends.push_back(std::max<int64_t>(end, 0));
      cropBegin.push_back(std::max<int64_t>(-begin, 0));
      cropSize.push_back(spreadShape[2 + i] + begin + end);
    }
    Value padded = padSpatial(rewriter, loc, spread, begins, ends, zero);
    if (llvm::any_of(cropBegin, [](int64_t c) { return c > 0; }) ||
        llvm::any_of(llvm::zip(cropSize, shapeOf(padded).drop_front(2)),
                     [](auto pair) {
                       return std::get<0>(pair) != std::get<1>(pair);
                     })) {
      SmallVector<OpFoldResult> cropOffsets(2, rewriter.getIndexAttr(0)),
          cropSizes = {rewriter.getIndexAttr(inShape[0]),
                       rewriter.getIndexAttr(inShape[1])},
          ones(inShape.size(), rewriter.getIndexAttr(1));
      SmallVector<int64_t> croppedShape(inShape.take_front(2));
      for (int64_t i = 0; i < dims; ++i) {
        cropOffsets.push_back(rewriter.getIndexAttr(cropBegin[i]));
        cropSizes.push_back(rewriter.getIndexAttr(cropSize[i]));
        croppedShape.push_back(cropSize[i]);
      }
      padded = tensor::ExtractSliceOp::create(
          rewriter, loc, RankedTensorType::get(croppedShape, elementType),
          padded, cropOffsets, cropSizes, ones);
    }

    // weight C x M/G x k -> G x M/G x C/G x k, flipped in every spatial dim.
    SmallVector<int64_t> wGrouped = {groups, cg, mg};
    llvm::append_range(wGrouped, kernel);
    Value weight = reshapeTo(rewriter, loc, adaptor.getWeight(), wGrouped);
    SmallVector<int64_t> flippedShape = {groups, mg, cg};
    llvm::append_range(flippedShape, kernel);
    auto d = [&](int64_t i) { return getAffineDimExpr(i, ctx); };
    SmallVector<AffineExpr> readExprs = {d(0), d(2), d(1)};
    for (int64_t i = 0; i < dims; ++i)
      readExprs.push_back(kernel[i] - 1 - d(3 + i));
    Value flipped = linalg::GenericOp::create(
                        rewriter, loc,
                        RankedTensorType::get(flippedShape, elementType),
                        weight,
                        tensor::EmptyOp::create(rewriter, loc, flippedShape,
                                                elementType)
                            .getResult(),
                        SmallVector<AffineMap>{
                            AffineMap::get(3 + dims, 0, readExprs, ctx),
                            rewriter.getMultiDimIdentityMap(3 + dims)},
                        SmallVector<IteratorType>(3 + dims,
                                                  IteratorType::parallel),
                        [](OpBuilder &b, Location l, ValueRange args) {
                          linalg::YieldOp::create(b, l, args[0]);
                        })
                        .getResult(0);
    SmallVector<int64_t> ones(dims, 1);
    rewriter.replaceOp(op, buildGroupedConv(rewriter, loc, padded, flipped,
                                            adaptor.getBias(), ones, dilations,
                                            resultType));
    return success();
  }
};

/// Builds a window generic over (n, c, o..., k...) reading a padded input;
/// the kernel extent comes from an unused `tensor.empty` of the window shape.
Value buildWindow(OpBuilder &b, Location loc, Value padded,
                  RankedTensorType resultType, ArrayRef<int64_t> kernel,
                  ArrayRef<int64_t> strides, ArrayRef<int64_t> dilations,
                  Value init, Combiner combine) {
  MLIRContext *ctx = b.getContext();
  int64_t dims = kernel.size(), loops = 2 + 2 * dims;
  auto d = [&](int64_t i) { return getAffineDimExpr(i, ctx); };
  SmallVector<AffineExpr> inExprs = {d(0), d(1)}, winExprs, outExprs = {d(0),
                                                                        d(1)};
  for (int64_t i = 0; i < dims; ++i) {
    inExprs.push_back(d(2 + i) * strides[i] + d(2 + dims + i) * dilations[i]);
    winExprs.push_back(d(2 + dims + i));
    outExprs.push_back(d(2 + i));
  }
  Value window =
      tensor::EmptyOp::create(b, loc, kernel, resultType.getElementType());
  Value acc = filledTensor(b, loc, resultType.getShape(), init);
  SmallVector<IteratorType> iterators(2 + dims, IteratorType::parallel);
  iterators.append(dims, IteratorType::reduction);
  SmallVector<AffineMap> maps = {AffineMap::get(loops, 0, inExprs, ctx),
                                 AffineMap::get(loops, 0, winExprs, ctx),
                                 AffineMap::get(loops, 0, outExprs, ctx)};
  return linalg::GenericOp::create(
             b, loc, resultType, ValueRange{padded, window}, acc, maps,
             iterators,
             [&](OpBuilder &nested, Location l, ValueRange args) {
               linalg::YieldOp::create(nested, l,
                                       combine(nested, l, args[2], args[0]));
             })
      .getResult(0);
}

template <typename OpTy>
struct MaxPoolLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto resultType = cast<RankedTensorType>(
        this->getTypeConverter()->convertType(op.getType()));
    Type elementType = resultType.getElementType();
    bool isUnsigned = isUnsignedInt(op.getInput().getType());
    ArrayRef<int64_t> kernel = op.getKernelShape();
    int64_t dims = kernel.size();
    Value lowest =
        extremeConstant(rewriter, loc, elementType, /*lowest=*/true, isUnsigned);
    SmallVector<int64_t> ends = boundedEnds(
        shapeOf(adaptor.getInput()).drop_front(2),
        resultType.getShape().drop_front(2), kernel, op.getStrides(),
        op.getDilations(), op.getPads());
    Value padded = padSpatial(rewriter, loc, adaptor.getInput(),
                              op.getPads().take_front(dims), ends, lowest);
    Value result = buildWindow(
        rewriter, loc, padded, resultType, kernel, op.getStrides(),
        op.getDilations(), lowest,
        [&](OpBuilder &b, Location l, Value acc, Value x) -> Value {
          if (isa<FloatType>(x.getType()))
            return arith::MaximumFOp::create(b, l, acc, x);
          if (isUnsigned)
            return arith::MaxUIOp::create(b, l, acc, x);
          return arith::MaxSIOp::create(b, l, acc, x);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// The divisor of every average-pool window: the cells it covers inside the
/// input, or inside the padded input with `count_include_pad`.
DenseElementsAttr poolDivisors(RankedTensorType type, ArrayRef<int64_t> input,
                               ArrayRef<int64_t> kernel,
                               ArrayRef<int64_t> strides,
                               ArrayRef<int64_t> pads, bool includePad) {
  size_t dims = kernel.size();
  ArrayRef<int64_t> out = type.getShape();
  int64_t total = type.getNumElements();
  SmallVector<APFloat> values;
  const llvm::fltSemantics &semantics =
      cast<FloatType>(type.getElementType()).getFloatSemantics();
  for (int64_t flat = 0; flat < total; ++flat) {
    int64_t rest = flat, count = 1;
    for (size_t i = dims; i-- > 0;) {
      int64_t o = rest % out[i];
      rest /= out[i];
      int64_t lo = includePad ? -pads[i] : 0;
      int64_t hi = includePad ? input[i] + pads[dims + i] : input[i];
      int64_t first = o * strides[i] - pads[i];
      int64_t begin = std::max(first, lo);
      int64_t end = std::min(first + kernel[i], hi);
      count *= std::max<int64_t>(end - begin, 0);
    }
    APFloat value(static_cast<double>(count));
    bool lost;
    value.convert(semantics, APFloat::rmNearestTiesToEven, &lost);
    values.push_back(value);
  }
  return DenseElementsAttr::get(type, values);
}

template <typename OpTy>
struct AvgPoolLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto resultType = cast<RankedTensorType>(
        this->getTypeConverter()->convertType(op.getType()));
    Type elementType = resultType.getElementType();
    ArrayRef<int64_t> kernel = op.getKernelShape();
    int64_t dims = kernel.size();
    SmallVector<int64_t> ones(dims, 1);
    ArrayRef<int64_t> spatialIn = shapeOf(adaptor.getInput()).drop_front(2);
    ArrayRef<int64_t> spatialOut = resultType.getShape().drop_front(2);
    SmallVector<int64_t> ends = boundedEnds(spatialIn, spatialOut, kernel,
                                            op.getStrides(), ones, op.getPads());
    Value zero = scalarConstant(rewriter, loc, elementType, 0);
    Value padded = padSpatial(rewriter, loc, adaptor.getInput(),
                              op.getPads().take_front(dims), ends, zero);
    Value sum = buildWindow(
        rewriter, loc, padded, resultType, kernel, op.getStrides(), ones, zero,
        [](OpBuilder &b, Location l, Value acc, Value x) -> Value {
          return arith::AddFOp::create(b, l, acc, x);
        });
    auto divisorType = RankedTensorType::get(spatialOut, elementType);
    Value divisors = arith::ConstantOp::create(
        rewriter, loc,
        poolDivisors(divisorType, spatialIn, kernel, op.getStrides(),
                     op.getPads(), op.getCountIncludePad()));
    Value result = buildElementwise(
        rewriter, loc, resultType, {sum, divisors},
        [](OpBuilder &b, Location l, ValueRange args) -> Value {
          return arith::DivFOp::create(b, l, args[0], args[1]);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void populateContractionPatterns(const TypeConverter &converter,
                                 RewritePatternSet &patterns) {
  patterns.add<MatMulLowering, GemmLowering, EinsumLowering, ConvLowering<Conv2DOp>,
               ConvLowering<Conv3DOp>, ConvTransposeLowering<ConvTranspose2DOp>,
               ConvTransposeLowering<ConvTranspose3DOp>, MaxPoolLowering<MaxPool2DOp>,
               MaxPoolLowering<MaxPool3DOp>, AvgPoolLowering<AvgPool2DOp>,
               AvgPoolLowering<AvgPool3DOp>>(converter, patterns.getContext());
}

} // namespace mlir::strata

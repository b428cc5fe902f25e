//===- ResizeToLinalg.cpp - strata.resize to linalg -----------------------===//
//
// Shapes are static, so the taps of every output coordinate (which input
// indices it reads, with which weights) are computed here, per axis, with
// the arithmetic of ONNX's reference implementation. The kernel is then a
// generic that reads the tap tables and sums the weighted input elements.
//
//===----------------------------------------------------------------------===//

#include "dialects/Strata/IR/StrataOps.h"
#include "passes/Passes.h"
#include "passes/StrataToLinalg/LoweringUtils.h"

#include <cmath>

namespace mlir::strata {
namespace {

/// The taps of one output coordinate along one axis; `outside` marks a
/// tf_crop_and_resize coordinate that maps outside the input.
struct Taps {
  SmallVector<int64_t, 4> index;
  SmallVector<double, 4> weight;
  bool outside = false;
};

struct AxisParams {
  int64_t input, output;
  double scale, roiStart, roiEnd;
};

double originalCoordinate(StringRef mode, double x, const AxisParams &p) {
  double outWidth = p.input * p.scale;
  if (mode == "half_pixel")
    return (x + 0.5) / p.scale - 0.5;
  if (mode == "half_pixel_symmetric") {
    double adjustment = p.output / outWidth;
    double offset = p.input / 2.0 * (1 - adjustment);
    return offset + (x + 0.5) / p.scale - 0.5;
  }
  if (mode == "pytorch_half_pixel")
    return p.output > 1 ? (x + 0.5) / p.scale - 0.5 : 0.0;
  // Like the reference, align_corners uses the unrounded output width.
  if (mode == "align_corners")
    return outWidth == 1 ? 0.0 : x * (p.input - 1) / (outWidth - 1);
  if (mode == "tf_half_pixel_for_nn")
    return (x + 0.5) / p.scale;
  if (mode == "tf_crop_and_resize")
    return p.output > 1 ? p.roiStart * (p.input - 1) +
                              x * (p.roiEnd - p.roiStart) * (p.input - 1) /
                                  (p.output - 1)
                        : 0.5 * (p.roiStart + p.roiEnd) * (p.input - 1);
  return x / p.scale; // asymmetric
}

SmallVector<double, 4> coefficients(ResizeOp op, double ratio) {
  StringRef mode = op.getMode();
  if (mode == "linear")
    return {1 - ratio, ratio};
  if (mode == "cubic") {
    double a = op.getCubicCoeffA().convertToDouble();
    auto far = [&](double t) { return ((a * t - 5 * a) * t + 8 * a) * t - 4 * a; };
    auto near = [&](double t) { return ((a + 2) * t - (a + 3)) * t * t + 1; };
    return {far(ratio + 1), near(ratio), near(1 - ratio), far(2 - ratio)};
  }
  if (ratio == 1.0)
    return {0, 1};
  StringRef rounding = op.getNearestMode();
  if (rounding == "round_prefer_ceil")
    return {ratio < 0.5 ? 1.0 : 0.0, ratio >= 0.5 ? 1.0 : 0.0};
  if (rounding == "floor")
    return {1, 0};
  if (rounding == "ceil")
    return {0, 1};
  return {ratio <= 0.5 ? 1.0 : 0.0, ratio > 0.5 ? 1.0 : 0.0};
}

/// ONNX's reference picks the `n` indices of an edge-padded axis closest to
/// `x` (ties to the lower index); edge padding clamps them to the input.
Taps tapsAt(ResizeOp op, int64_t o, const AxisParams &p) {
  Taps taps;
  StringRef transform = op.getCoordinateTransformationMode();
  double x = originalCoordinate(transform, o, p);
  if (transform == "tf_crop_and_resize" && (x < 0 || x > p.input - 1)) {
    taps.outside = true;
    return taps;
  }
  double ratio = x == std::floor(x) ? 1.0 : x - std::floor(x);
  SmallVector<double, 4> coeffs = coefficients(op, ratio);
  int64_t n = coeffs.size(), pad = (n + 1) / 2;
  double padded = x + pad;
  auto candidates = llvm::to_vector(llvm::seq<int64_t>(0, p.input + 2 * pad));
  llvm::sort(candidates, [&](int64_t l, int64_t r) {
    return std::make_pair(std::abs(padded - l), l) <
           std::make_pair(std::abs(padded - r), r);
  });
  candidates.resize(n);
  llvm::sort(candidates);
  double sum = 0;
  for (auto [i, padIndex] : llvm::enumerate(candidates)) {
    int64_t index = padIndex - pad;
    if (op.getExcludeOutside() && (index < 0 || index >= p.input))
      coeffs[i] = 0;
    sum += coeffs[i];
  }
  for (auto [i, padIndex] : llvm::enumerate(candidates)) {
    double weight = op.getExcludeOutside() ? coeffs[i] / sum : coeffs[i];
    if (weight == 0)
      continue;
    taps.index.push_back(std::clamp<int64_t>(padIndex - pad, 0, p.input - 1));
    taps.weight.push_back(weight);
  }
  return taps;
}

/// Whether `op` is a linear resize whose taps follow onnxruntime's cpu
/// provider (see runtimeLinearTaps): its bilinear kernel, in the coordinate
/// modes PyTorch and TensorFlow exports use.
bool usesRuntimeLinearTaps(ResizeOp op) {
  StringRef transform = op.getCoordinateTransformationMode();
  return op.getMode() == "linear" && !op.getExcludeOutside() &&
         (transform == "half_pixel" || transform == "pytorch_half_pixel" ||
          transform == "asymmetric");
}

/// Linear taps computed as onnxruntime's cpu provider computes them, in
/// float: the source coordinate clamped to the input, its two neighbours
/// weighted |x - x2| and |x - x1|, one half each where they coincide.
/// ONNX's reference pads the edges instead; both agree to about the last
/// bit, but a quantizer downstream (DynamicQuantizeLinear) turns that bit
/// into a step, so the runtime that models are checked against is followed.
Taps runtimeLinearTaps(StringRef transform, int64_t o, const AxisParams &p) {
  float scale = static_cast<float>(p.scale), at = static_cast<float>(o);
  float x = transform == "asymmetric" ? at / scale
            : transform == "pytorch_half_pixel" && p.output <= 1
                ? 0.0f
                : (at + 0.5f) / scale - 0.5f;
  x = std::max(0.0f, std::min(x, static_cast<float>(p.input - 1)));
  int64_t x1 = std::min<int64_t>(static_cast<int64_t>(x), p.input - 1);
  int64_t x2 = std::min<int64_t>(x1 + 1, p.input - 1);
  float w1 = std::fabs(x - static_cast<float>(x2));
  float w2 = std::fabs(x - static_cast<float>(x1));
  if (x1 == x2)
    w1 = w2 = 0.5f;
  Taps taps;
  taps.index = {x1, x2};
  taps.weight = {w1, w2};
  return taps;
}

struct ResizeLowering : OpConversionPattern<ResizeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ResizeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = cast<RankedTensorType>(op.getType());
    Type elementType = type.getElementType();
    ArrayRef<int64_t> inShape = shapeOf(adaptor.getInput());
    int64_t rank = inShape.size();
    ArrayRef<float> scales = op.getScales(), roi = op.getRoi();

    // Per axis: a table of tap indices and one of weights, O x T each; an
    // axis that is not resized reads its own coordinate.
    SmallVector<int64_t> tapCount(rank, 1);
    SmallVector<Value> indexTables(rank), weightTables(rank);
    SmallVector<SmallVector<bool>> outsideAt(rank);
    bool anyOutside = false;
    for (int64_t a = 0; a < rank; ++a) {
      AxisParams p{inShape[a], type.getDimSize(a),
                   scales.empty() ? 1.0 : static_cast<double>(scales[a]),
                   roi.empty() ? 0.0 : roi[a], roi.empty() ? 1.0 : roi[rank + a]};
      bool identity = p.input == p.output && p.scale == 1.0 &&
                      op.getCoordinateTransformationMode() !=
                          "tf_crop_and_resize";
      if (identity)
        continue;
      SmallVector<Taps> taps;
      for (int64_t o = 0; o < p.output; ++o) {
        taps.push_back(
            usesRuntimeLinearTaps(op)
                ? runtimeLinearTaps(op.getCoordinateTransformationMode(), o, p)
                : tapsAt(op, o, p));
        tapCount[a] = std::max<int64_t>(tapCount[a], taps.back().index.size());
        outsideAt[a].push_back(taps.back().outside);
        anyOutside |= taps.back().outside;
      }
      SmallVector<int64_t> indices;
      SmallVector<APFloat> weights;
      const llvm::fltSemantics &semantics =
          cast<FloatType>(elementType).getFloatSemantics();
      for (const Taps &t : taps)
        for (int64_t i = 0; i < tapCount[a]; ++i) {
          bool real = i < static_cast<int64_t>(t.index.size());
          indices.push_back(real ? t.index[i] : 0);
          APFloat w(real ? t.weight[i] : 0.0);
          bool lost;
          w.convert(semantics, APFloat::rmNearestTiesToEven, &lost);
          weights.push_back(w);
        }
      auto indexType = RankedTensorType::get({p.output, tapCount[a]},
                                             rewriter.getI64Type());
      auto weightType = RankedTensorType::get({p.output, tapCount[a]},
                                              elementType);
      indexTables[a] = arith::ConstantOp::create(
          rewriter, loc,
          DenseElementsAttr::get(indexType, ArrayRef<int64_t>(indices)));
      weightTables[a] = arith::ConstantOp::create(
          rewriter, loc, DenseElementsAttr::get(weightType, weights));
    }

    Value input = adaptor.getInput();
    double fill = op.getExtrapolationValue().convertToDouble();
    Value empty = tensor::EmptyOp::create(rewriter, loc, type.getShape(),
                                          elementType);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, type, ValueRange{}, empty,
        rewriter.getMultiDimIdentityMap(rank),
        SmallVector<utils::IteratorType>(rank, utils::IteratorType::parallel),
        [&](OpBuilder &b, Location l, ValueRange) {
          SmallVector<Value> coords;
          for (int64_t a = 0; a < rank; ++a)
            coords.push_back(linalg::IndexOp::create(b, l, a));
          // The terms are added in order, each product apart from its sum:
          // contracting them into FMAs would change the last bit.
          auto exact = [&](Operation *op) {
            op->setAttr(kNoContractAttr, b.getUnitAttr());
            return op->getResult(0);
          };
          Value sum;
          // Every combination of one tap per axis, odometer style.
          SmallVector<int64_t> tap(rank, 0);
          while (true) {
            SmallVector<Value> at;
            Value weight;
            for (int64_t a = 0; a < rank; ++a) {
              if (!indexTables[a]) {
                at.push_back(coords[a]);
                continue;
              }
              Value t = arith::ConstantIndexOp::create(b, l, tap[a]);
              Value index = tensor::ExtractOp::create(
                  b, l, indexTables[a], ValueRange{coords[a], t});
              at.push_back(
                  arith::IndexCastOp::create(b, l, b.getIndexType(), index));
              Value w = tensor::ExtractOp::create(b, l, weightTables[a],
                                                  ValueRange{coords[a], t});
              weight = weight ? exact(arith::MulFOp::create(b, l, weight, w))
                              : w;
            }
            Value x = tensor::ExtractOp::create(b, l, input, at);
            Value term =
                weight ? exact(arith::MulFOp::create(b, l, weight, x)) : x;
            sum = sum ? exact(arith::AddFOp::create(b, l, sum, term)) : term;
            int64_t a = rank - 1;
            while (a >= 0 && ++tap[a] == tapCount[a])
              tap[a--] = 0;
            if (a < 0)
              break;
          }
          if (anyOutside) {
            // Any axis outside the input yields the extrapolation value.
            Value isOutside = arith::ConstantOp::create(b, l, b.getBoolAttr(false));
            for (int64_t a = 0; a < rank; ++a) {
              if (outsideAt[a].empty() || llvm::none_of(outsideAt[a],
                                                        [](bool v) { return v; }))
                continue;
              auto maskType = RankedTensorType::get(
                  {static_cast<int64_t>(outsideAt[a].size())}, b.getI1Type());
              Value mask = arith::ConstantOp::create(
                  b, l, DenseElementsAttr::get(maskType, ArrayRef<bool>(
                                                             outsideAt[a])));
              isOutside = arith::OrIOp::create(
                  b, l, isOutside,
                  tensor::ExtractOp::create(b, l, mask, coords[a]));
            }
            sum = arith::SelectOp::create(
                b, l, isOutside, scalarConstant(b, l, elementType, fill), sum);
          }
          linalg::YieldOp::create(b, l, sum);
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

} // namespace

void populateResizePatterns(const TypeConverter &converter,
                            RewritePatternSet &patterns) {
  patterns.add<ResizeLowering>(converter, patterns.getContext());
}

} // namespace mlir::strata

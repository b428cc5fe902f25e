//===- FeatureOps.cpp - ONNX signal and text feature ops to strata --------===//
//
// DFT, STFT, MelWeightMatrix and TfIdfVectorizer. With static shapes a
// discrete Fourier transform is a matmul with a constant matrix of cosines
// and sines, so DFT and STFT become gathers, reshapes and one matmul that the
// rest of the compiler already tiles and vectorizes. MelWeightMatrix of
// constant inputs is a constant.
//
//===----------------------------------------------------------------------===//

#include "frontends/onnx/NodeImporter.h"
#include "frontends/onnx/Tensors.h"

#include "onnx/onnx_pb.h"

#include <cmath>

using namespace mlir;
using namespace mlir::strata::onnx_import;

namespace {
/// The `[n * channels, 2 * bins]` matrix that maps `n` samples of
/// `channels` (1: real, 2: real and imaginary) to the first `bins` terms of
/// their DFT, as real and imaginary pairs. The inverse transform flips the
/// sign of the angle and divides by `n`.
Value dftMatrix(NodeImporter &n, Type element, int64_t length,
                int64_t channels, int64_t bins, bool inverse) {
  SmallVector<double> values(length * channels * bins * 2);
  double scale = inverse ? 1.0 / length : 1.0, sign = inverse ? 1 : -1;
  for (int64_t t = 0; t < length; ++t) {
    for (int64_t k = 0; k < bins; ++k) {
      // Reducing k * t modulo n first keeps the angle exact for long signals.
      double angle = sign * 2 * M_PI * double((k * t) % length) / length;
      double c = std::cos(angle) * scale, s = std::sin(angle) * scale;
      int64_t row = t * channels, column = 2 * k;
      values[row * 2 * bins + column] = c; // real -> real
      values[row * 2 * bins + column + 1] = s; // real -> imaginary
      if (channels == 2) {
        values[(row + 1) * 2 * bins + column] = -s; // imaginary -> real
        values[(row + 1) * 2 * bins + column + 1] = c;
      }
    }
  }
  auto type = RankedTensorType::get({length * channels, 2 * bins}, element);
  SmallVector<Attribute> attrs;
  for (double v : values)
    attrs.push_back(n.builder.getFloatAttr(element, v));
  return n.constant(DenseElementsAttr::get(type, attrs));
}

/// Transforms `x`, shaped `[..., length, channels]`, along its second-last
/// dimension: the result is `[..., bins, 2]`.
Value transformLastAxis(NodeImporter &n, Expr &e, Value x, int64_t bins,
                        bool inverse) {
  ArrayRef<int64_t> shape = typeOf(x).getShape();
  int64_t length = shape[shape.size() - 2], channels = shape.back();
  Value rows = e.op("strata.reshape", x, {n.ints("shape", {-1, length * channels})});
  Value product = e.op("strata.matmul",
                       {rows, dftMatrix(n, elementTypeOf(x), length, channels,
                                        bins, inverse)});
  SmallVector<int64_t> result(shape.drop_back(2));
  result.append({bins, 2});
  return e.op("strata.reshape", product, {n.ints("shape", result)});
}

LogicalResult importDFT(NodeImporter &n) {
  FailureOr<Value> x = n.required(0);
  if (failed(x))
    return failure();
  RankedTensorType type = typeOf(*x);
  int64_t rank = type.getRank();
  if (!type.hasStaticShape() || !isa<FloatType>(type.getElementType()))
    return n.unsupported("DFT of a dynamic shape or a non-float input is");
  if (rank < 3 || (type.getShape().back() != 1 && type.getShape().back() != 2))
    return n.error() << "input " << type
                     << " must be [batch, signal..., 1 or 2]";
  int64_t axis = n.getInt("axis", 1);
  if (axis < 0)
    axis += rank;
  if (axis < 1 || axis > rank - 2)
    return n.error() << "axis " << n.getInt("axis", 1)
                     << " is not a signal dimension of " << type;
  bool inverse = n.getInt("inverse", 0) != 0;
  bool onesided = n.getInt("onesided", 0) != 0;
  if (inverse && onesided)
    return n.error() << "onesided and inverse cannot both be set";
  Expr e(n);
  // Move the signal axis next to the real/imaginary one.
  SmallVector<int64_t> perm;
  for (int64_t d = 0; d < rank; ++d)
    if (d != axis && d != rank - 1)
      perm.push_back(d);
  perm.append({axis, rank - 1});
  Value moved = e.op("strata.transpose", *x, {n.ints("perm", perm)});
  int64_t length = type.getDimSize(axis);
  if (n.input(1)) {
    FailureOr<int64_t> dftLength = n.constantCount(1, "dft_length", true);
    if (failed(dftLength))
      return failure();
    // Truncate or zero-pad the signal to dft_length.
    SmallVector<int64_t> pads(2 * rank, 0);
    pads[rank + rank - 2] = *dftLength - length;
    moved = e.op("strata.pad", moved, {n.ints("pads", pads)});
    length = *dftLength;
  }
  int64_t bins = onesided ? length / 2 + 1 : length;
  Value spectrum = transformLastAxis(n, e, moved, bins, inverse);
  SmallVector<int64_t> back(rank);
  for (auto [i, d] : llvm::enumerate(perm))
    back[d] = i;
  return e.finish(e.op("strata.transpose", spectrum, {n.ints("perm", back)}));
}

/// STFT: the frames as one gather, windowed, then one DFT of all of them.
LogicalResult importSTFT(NodeImporter &n) {
  FailureOr<Value> signal = n.required(0);
  if (failed(signal))
    return failure();
  RankedTensorType type = typeOf(*signal);
  if (!type.hasStaticShape() || !isa<FloatType>(type.getElementType()))
    return n.unsupported("STFT of a dynamic shape or a non-float signal is");
  if (type.getRank() != 3 ||
      (type.getDimSize(2) != 1 && type.getDimSize(2) != 2))
    return n.error() << "input 0 (signal) " << type
                     << " must be [batch, length, 1 or 2]";
  FailureOr<int64_t> step = n.constantCount(1, "frame_step", true);
  if (failed(step))
    return failure();
  Value window = n.input(2);
  int64_t length = 0;
  if (window) {
    RankedTensorType windowType = typeOf(window);
    if (windowType.getRank() != 1 || windowType.isDynamicDim(0) ||
        windowType.getElementType() != type.getElementType())
      return n.error() << "input 2 (window) " << windowType
                       << " must be a static 1-D tensor of " << type.getElementType();
    length = windowType.getDimSize(0);
  }
  if (n.input(3)) {
    FailureOr<int64_t> frameLength = n.constantCount(3, "frame_length", true);
    if (failed(frameLength))
      return failure();
    if (window && *frameLength != length)
      return n.error() << "frame_length " << *frameLength
                       << " differs from the window's " << length;
    length = *frameLength;
  }
  if (length < 1)
    return n.error() << "either input 2 (window) or input 3 (frame_length) "
                        "must be given";
  int64_t samples = type.getDimSize(1);
  if (length > samples)
    return n.error() << "frame_length " << length << " exceeds the signal's "
                     << samples << " samples";
  int64_t frames = (samples - length) / *step + 1;
  SmallVector<int64_t> indices;
  for (int64_t f = 0; f < frames; ++f)
    for (int64_t t = 0; t < length; ++t)
      indices.push_back(f * *step + t);
  Value indexValue = n.constant(DenseElementsAttr::get(
      RankedTensorType::get({frames, length}, n.builder.getI64Type()),
      ArrayRef<int64_t>(indices)));
  Expr e(n);
  // [batch, frames, length, channels]
  Value framed = e.op("strata.gather", {*signal, indexValue}, {n.i64("axis", 1)});
  if (window)
    framed = e.op("strata.mul",
                  {framed, e.op("strata.reshape", window,
                                {n.ints("shape", {length, 1})})});
  bool onesided = n.getInt("onesided", 1) != 0;
  int64_t bins = onesided ? length / 2 + 1 : length;
  return e.finish(transformLastAxis(n, e, framed, bins, /*inverse=*/false));
}

/// MelWeightMatrix of constant inputs, computed as ONNX's reference does
/// (note its mel step divides by num_mel_bins + 2).
LogicalResult importMelWeightMatrix(NodeImporter &n) {
  FailureOr<int64_t> mels = n.constantCount(0, "num_mel_bins", true);
  FailureOr<int64_t> dftLength = n.constantCount(1, "dft_length", true);
  FailureOr<int64_t> rate = n.constantCount(2, "sample_rate", true);
  if (failed(mels) || failed(dftLength) || failed(rate))
    return failure();
  FailureOr<double> lower = n.constantScalar(3, "lower_edge_hertz");
  FailureOr<double> upper = n.constantScalar(4, "upper_edge_hertz");
  if (failed(lower) || failed(upper))
    return failure();
  if (!(*lower >= 0 && *lower < *upper && *upper <= *rate / 2.0))
    return n.error() << "edges [" << formatNumber(*lower) << ", "
                     << formatNumber(*upper)
                     << "] must satisfy 0 <= lower < upper <= sample_rate / 2";
  FailureOr<Type> element = n.floatOutputDatatype();
  if (failed(element))
    return failure();
  auto toMel = [](double hz) { return 2595 * std::log10(1 + hz / 700); };
  double lowMel = toMel(*lower), step = (toMel(*upper) - lowMel) / (*mels + 2);
  int64_t spectrumBins = *dftLength / 2 + 1;
  SmallVector<int64_t> edges;
  for (int64_t i = 0; i < *mels + 2; ++i) {
    double hz = 700 * (std::pow(10.0, (i * step + lowMel) / 2595) - 1);
    edges.push_back(static_cast<int64_t>(std::floor((*dftLength + 1) * hz / *rate)));
  }
  SmallVector<double> weights(spectrumBins * *mels, 0.0);
  auto at = [&](int64_t bin, int64_t mel) -> double & {
    return weights[bin * *mels + mel];
  };
  for (int64_t m = 0; m < *mels; ++m) {
    int64_t left = edges[m], center = edges[m + 1], right = edges[m + 2];
    // upper <= sample_rate / 2 keeps every edge within the spectrum, but
    // the loops still stop at its end.
    if (center == left) {
      if (center < spectrumBins)
        at(center, m) = 1;
    } else {
      for (int64_t j = left; j <= center && j < spectrumBins; ++j)
        at(j, m) = double(j - left) / double(center - left);
    }
    for (int64_t j = center; j < right && j < spectrumBins; ++j)
      at(j, m) = double(right - j) / double(right - center);
  }
  SmallVector<Attribute> attrs;
  for (double w : weights)
    attrs.push_back(n.builder.getFloatAttr(*element, w));
  n.results.push_back(n.constant(DenseElementsAttr::get(
      RankedTensorType::get({spectrumBins, *mels}, *element), attrs)));
  return success();
}

LogicalResult importTfIdfVectorizer(NodeImporter &n) {
  FailureOr<Value> x = n.required(0);
  if (failed(x))
    return failure();
  if (n.hasAttr("pool_strings"))
    return n.unsupported("a pool of strings is");
  SmallVector<NamedAttribute> attrs{
      n.named("mode", n.builder.getStringAttr(n.getString("mode", ""))),
      n.i64("min_gram_length", n.getInt("min_gram_length", 0)),
      n.i64("max_gram_length", n.getInt("max_gram_length", 0)),
      n.i64("max_skip_count", n.getInt("max_skip_count", 0)),
      n.ints("ngram_counts", n.getInts("ngram_counts")),
      n.ints("ngram_indexes", n.getInts("ngram_indexes")),
      n.ints("pool", n.getInts("pool_int64s"))};
  if (const onnx::AttributeProto *weights = n.attr("weights"))
    attrs.push_back(n.named(
        "weights", n.builder.getDenseF64ArrayAttr(llvm::to_vector(
                       llvm::map_range(weights->floats(),
                                       [](float w) { return double(w); })))));
  Expr e(n);
  return e.finish(e.op("strata.tfidf_vectorizer", *x, attrs));
}
} // namespace

void mlir::strata::onnx_import::registerFeatureOps(OpTable &table) {
  table["DFT"] = importDFT;
  table["STFT"] = importSTFT;
  table["MelWeightMatrix"] = importMelWeightMatrix;
  table["TfIdfVectorizer"] = importTfIdfVectorizer;
}

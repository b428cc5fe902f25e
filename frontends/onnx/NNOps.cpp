//===- NNOps.cpp - ONNX neural-network ops to strata ----------------------===//
//
// MatMul, Gemm, Conv, pooling, normalization, softmax and the reductions.
// 1-D convolutions and pools run as 2-D ones over a unit height; ONNX's
// auto_pad is resolved to explicit pads, which needs static spatial dims.
//
//===----------------------------------------------------------------------===//

#include "frontends/onnx/NodeImporter.h"

#include "dialects/Strata/IR/ShapeInference.h"

#include "onnx/onnx_pb.h"

using namespace mlir;
using namespace mlir::strata::onnx_import;

namespace {
int64_t rankOf(Value v) { return typeOf(v).getRank(); }
ArrayRef<int64_t> shapeOf(Value v) { return typeOf(v).getShape(); }

LogicalResult importMatMul(NodeImporter &n) {
  FailureOr<Value> a = n.required(0), b = n.required(1);
  if (failed(a) || failed(b))
    return failure();
  Expr e(n);
  return e.finish(e.op("strata.matmul", {*a, *b}));
}

LogicalResult importEinsum(NodeImporter &n) {
  SmallVector<Value> inputs;
  for (size_t i = 0; i < n.numInputs(); ++i) {
    FailureOr<Value> v = n.required(i);
    if (failed(v))
      return failure();
    inputs.push_back(*v);
  }
  Expr e(n);
  return e.finish(e.op("strata.einsum", inputs,
                       {n.named("equation", n.builder.getStringAttr(
                                                n.getString("equation", "")))}));
}

LogicalResult importGemm(NodeImporter &n) {
  FailureOr<Value> a = n.required(0), b = n.required(1);
  if (failed(a) || failed(b))
    return failure();
  SmallVector<Value> operands{*a, *b};
  if (Value c = n.input(2))
    operands.push_back(c);
  Expr e(n);
  return e.finish(e.op("strata.gemm", operands,
                       {n.f32("alpha", n.getFloat("alpha", 1.0f)),
                        n.f32("beta", n.getFloat("beta", 1.0f)),
                        n.flag("trans_a", n.getInt("transA", 0) != 0),
                        n.flag("trans_b", n.getInt("transB", 0) != 0)}));
}

/// The window attributes of a Conv or pool node: explicit pads resolved
/// from auto_pad, and everything widened to 2-D for 1-D nodes.
struct Window {
  SmallVector<int64_t> kernel, strides, pads, dilations;
};

/// The strata op for a node over `x`: `name2D` or its 3-D twin.
StringRef windowOp(Value x, StringRef name2D, StringRef name3D) {
  return rankOf(x) == 5 ? name3D : name2D;
}

FailureOr<Window> windowAttrs(NodeImporter &n, Value input,
                              ArrayRef<int64_t> kernel) {
  int64_t spatial = rankOf(input) - 2;
  if (spatial < 1 || spatial > 3) {
    (void)n.unsupported(Twine(spatial) + "-D spatial input (rank " +
                  Twine(rankOf(input)) + ") is");
    return failure();
  }
  auto orDefault = [&](StringRef name, size_t size, int64_t fill) {
    SmallVector<int64_t> v = n.getInts(name);
    return v.empty() ? SmallVector<int64_t>(size, fill) : v;
  };
  Window w{SmallVector<int64_t>(kernel), orDefault("strides", spatial, 1),
             orDefault("pads", 2 * spatial, 0),
             orDefault("dilations", spatial, 1)};
  if (w.kernel.size() != static_cast<size_t>(spatial) ||
      w.strides.size() != static_cast<size_t>(spatial) ||
      w.dilations.size() != static_cast<size_t>(spatial) ||
      w.pads.size() != static_cast<size_t>(2 * spatial)) {
    n.error() << "kernel_shape, strides, dilations and pads must cover the "
              << spatial << " spatial dimension(s): got " << w.kernel.size()
              << ", " << w.strides.size() << ", " << w.dilations.size()
              << " and " << w.pads.size() << " entries";
    return failure();
  }
  if (llvm::any_of(w.strides, [](int64_t v) { return v <= 0; }) ||
      llvm::any_of(w.dilations, [](int64_t v) { return v <= 0; })) {
    n.error() << "strides and dilations must be positive";
    return failure();
  }
  std::string autoPad = n.getString("auto_pad", "NOTSET");
  if (autoPad == "VALID") {
    std::fill(w.pads.begin(), w.pads.end(), 0);
  } else if (autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER") {
    for (int64_t i = 0; i < spatial; ++i) {
      int64_t in = shapeOf(input)[2 + i];
      if (ShapedType::isDynamic(in) || ShapedType::isDynamic(w.kernel[i])) {
        (void)n.unsupported("auto_pad " + autoPad + " over a dynamic dimension is");
        return failure();
      }
      int64_t out = (in + w.strides[i] - 1) / w.strides[i];
      int64_t total = std::max<int64_t>(
          0, (out - 1) * w.strides[i] + (w.kernel[i] - 1) * w.dilations[i] +
                 1 - in);
      int64_t small = total / 2, large = total - small;
      w.pads[i] = autoPad == "SAME_UPPER" ? small : large;
      w.pads[i + spatial] = autoPad == "SAME_UPPER" ? large : small;
    }
  } else if (autoPad != "NOTSET") {
    n.error() << "auto_pad '" << autoPad << "' is not a valid value";
    return failure();
  }
  if (spatial == 1) {
    w.kernel.insert(w.kernel.begin(), 1);
    w.strides.insert(w.strides.begin(), 1);
    w.dilations.insert(w.dilations.begin(), 1);
    w.pads = {0, w.pads[0], 0, w.pads[1]};
  }
  return w;
}

/// Inserts a unit height into a 1-D (N, C, W) value.
Value to2D(Expr &e, NodeImporter &n, Value v) {
  if (rankOf(v) != 3)
    return v;
  return e.op("strata.unsqueeze", v, {n.ints("axes", {2})});
}

Value from2D(Expr &e, NodeImporter &n, Value v, bool was1D) {
  if (!was1D)
    return v;
  return e.op("strata.squeeze", v, {n.ints("axes", {2})});
}

LogicalResult importConv(NodeImporter &n) {
  FailureOr<Value> x = n.required(0), w = n.required(1);
  if (failed(x) || failed(w))
    return failure();
  SmallVector<int64_t> kernel = n.getInts("kernel_shape");
  if (kernel.empty())
    kernel.assign(shapeOf(*w).drop_front(2).begin(), shapeOf(*w).end());
  FailureOr<Window> window = windowAttrs(n, *x, kernel);
  if (failed(window))
    return failure();
  Expr e(n);
  bool is1D = rankOf(*x) == 3;
  SmallVector<Value> operands{to2D(e, n, *x), to2D(e, n, *w)};
  if (Value bias = n.input(2))
    operands.push_back(bias);
  Value y = e.op(windowOp(*x, "strata.conv2d", "strata.conv3d"), operands,
                 {n.ints("strides", window->strides),
                  n.ints("pads", window->pads),
                  n.ints("dilations", window->dilations),
                  n.i64("group", n.getInt("group", 1))});
  return e.finish(from2D(e, n, y, is1D));
}

/// ConvTranspose: pads come from `pads`, from `output_shape`, or from
/// auto_pad, with ONNX's rule for splitting an odd total.
LogicalResult importConvTranspose(NodeImporter &n) {
  FailureOr<Value> x = n.required(0), w = n.required(1);
  if (failed(x) || failed(w))
    return failure();
  int64_t spatial = rankOf(*x) - 2;
  if (spatial < 1 || spatial > 3)
    return n.unsupported(Twine(spatial) + "-D spatial input (rank " +
                         Twine(rankOf(*x)) + ") is");
  auto orDefault = [&](StringRef name, int64_t fill) {
    SmallVector<int64_t> v = n.getInts(name);
    return v.empty() ? SmallVector<int64_t>(spatial, fill) : v;
  };
  SmallVector<int64_t> kernel = n.getInts("kernel_shape");
  if (kernel.empty())
    kernel.assign(shapeOf(*w).drop_front(2).begin(), shapeOf(*w).end());
  SmallVector<int64_t> strides = orDefault("strides", 1),
                       dilations = orDefault("dilations", 1),
                       outputPadding = orDefault("output_padding", 0),
                       pads = n.getInts("pads");
  if (pads.empty())
    pads.assign(2 * spatial, 0);
  if (kernel.size() != size_t(spatial) || strides.size() != size_t(spatial) ||
      dilations.size() != size_t(spatial) ||
      outputPadding.size() != size_t(spatial) ||
      pads.size() != size_t(2 * spatial))
    return n.error() << "kernel_shape, strides, dilations, output_padding and "
                        "pads must cover the "
                     << spatial << " spatial dimension(s)";
  std::string autoPad = n.getString("auto_pad", "NOTSET");
  SmallVector<int64_t> outputShape = n.getInts("output_shape");
  if (outputShape.size() > size_t(spatial))
    outputShape.erase(outputShape.begin(),
                      outputShape.end() - spatial);
  if (!outputShape.empty() && outputShape.size() != size_t(spatial))
    return n.error() << "output_shape has " << outputShape.size()
                     << " entries for " << spatial << " spatial dimension(s)";
  if (llvm::any_of(strides, [](int64_t v) { return v <= 0; }) ||
      llvm::any_of(dilations, [](int64_t v) { return v <= 0; }))
    return n.error() << "strides and dilations must be positive";
  bool same = autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER";
  if (autoPad == "VALID") {
    std::fill(pads.begin(), pads.end(), 0);
  } else if (same || !outputShape.empty()) {
    for (int64_t i = 0; i < spatial; ++i) {
      int64_t in = shapeOf(*x)[2 + i];
      if (ShapedType::isDynamic(in))
        return n.unsupported("ConvTranspose with output_shape or auto_pad "
                             "over a dynamic dimension is");
      int64_t out = outputShape.empty() ? in * strides[i] : outputShape[i];
      int64_t total = strides[i] * (in - 1) + outputPadding[i] +
                      (kernel[i] - 1) * dilations[i] + 1 - out;
      if (total < 0) {
        // The requested output is larger: grow it at the end.
        outputPadding[i] -= total;
        total = 0;
      }
      bool upper = autoPad == "SAME_UPPER";
      pads[i] = upper ? total / 2 : total - total / 2;
      pads[i + spatial] = total - pads[i];
    }
  } else if (autoPad != "NOTSET") {
    return n.error() << "auto_pad '" << autoPad << "' is not a valid value";
  }
  bool is1D = spatial == 1;
  if (is1D) {
    strides.insert(strides.begin(), 1);
    dilations.insert(dilations.begin(), 1);
    outputPadding.insert(outputPadding.begin(), 0);
    pads = {0, pads[0], 0, pads[1]};
  }
  Expr e(n);
  SmallVector<Value> operands{to2D(e, n, *x), to2D(e, n, *w)};
  if (Value bias = n.input(2))
    operands.push_back(bias);
  Value y = e.op(windowOp(*x, "strata.conv_transpose2d",
                          "strata.conv_transpose3d"),
                 operands,
                 {n.ints("strides", strides), n.ints("pads", pads),
                  n.ints("dilations", dilations),
                  n.ints("output_padding", outputPadding),
                  n.i64("group", n.getInt("group", 1))});
  return e.finish(from2D(e, n, y, is1D));
}

/// The float values of a constant input, converted from any float type.
FailureOr<SmallVector<float>> constantFloats(NodeImporter &n, size_t i,
                                             StringRef what) {
  FailureOr<DenseElementsAttr> value = n.constantInput(i, what);
  if (failed(value))
    return failure();
  if (!isa<FloatType>(value->getElementType())) {
    n.error() << "input " << i << " (" << what << ") must hold floats";
    return failure();
  }
  SmallVector<float> values;
  for (const APFloat &v : value->getValues<APFloat>())
    values.push_back(static_cast<float>(v.convertToDouble()));
  return values;
}

/// Resize (opset 10+) and Upsample: output sizes and mapping scales from
/// the constant scales or sizes input; before opset 11 the mapping is
/// asymmetric with nearest rounding down.
LogicalResult importResize(NodeImporter &n) {
  FailureOr<Value> x = n.required(0);
  if (failed(x))
    return failure();
  ArrayRef<int64_t> in = shapeOf(*x);
  bool legacy = n.node.op_type() == "Upsample" || n.opset < 11;
  SmallVector<float> scales, roi;
  SmallVector<int64_t> sizes;
  if (n.node.op_type() == "Upsample" && n.opset < 9) {
    for (float f : n.attr("scales") ? SmallVector<float>(
                                          n.attr("scales")->floats().begin(),
                                          n.attr("scales")->floats().end())
                                    : SmallVector<float>())
      scales.push_back(f);
  } else {
    size_t scalesInput = legacy ? 1 : 2;
    auto isGiven = [&](size_t i) {
      auto type = n.input(i) ? dyn_cast<RankedTensorType>(n.input(i).getType())
                             : RankedTensorType();
      return type && (!type.hasStaticShape() || type.getNumElements() != 0);
    };
    if (!legacy && isGiven(3)) {
      FailureOr<SmallVector<int64_t>> values = n.constantInts(3, "sizes");
      if (failed(values))
        return failure();
      sizes = *values;
    } else if (isGiven(scalesInput)) {
      FailureOr<SmallVector<float>> values =
          constantFloats(n, scalesInput, "scales");
      if (failed(values))
        return failure();
      scales = *values;
    }
    if (!legacy && isGiven(1) &&
        n.getString("coordinate_transformation_mode", "") ==
            "tf_crop_and_resize") {
      FailureOr<SmallVector<float>> values = constantFloats(n, 1, "roi");
      if (failed(values))
        return failure();
      roi = *values;
    }
  }
  if (scales.empty() && sizes.empty())
    return n.error() << "needs scales or sizes";
  size_t rank = in.size();
  if ((!scales.empty() && scales.size() != rank) ||
      (!sizes.empty() && sizes.size() != rank))
    return n.error() << "scales or sizes must have " << rank << " entries";
  if (llvm::any_of(in, ShapedType::isDynamic))
    return n.unsupported("Resize of a dynamic shape is");
  for (size_t i = 0; i < rank; ++i) {
    if (sizes.size() < rank)
      sizes.push_back(static_cast<int64_t>(std::floor(in[i] * scales[i])));
    else if (scales.size() < rank)
      scales.push_back(in[i] == 0 ? 1.0f
                                  : static_cast<float>(sizes[i]) / in[i]);
  }
  std::string mode = n.getString("mode", "nearest");
  if (mode == "bilinear")
    mode = "linear";
  SmallVector<NamedAttribute> attrs{
      n.ints("sizes", sizes),
      n.named("scales", n.builder.getDenseF32ArrayAttr(scales)),
      n.named("mode", n.builder.getStringAttr(mode))};
  auto string = [&](StringRef name, StringRef value) {
    attrs.push_back(n.named(name, n.builder.getStringAttr(value)));
  };
  if (legacy) {
    string("coordinate_transformation_mode", "asymmetric");
    string("nearest_mode", "floor");
  } else {
    string("coordinate_transformation_mode",
           n.getString("coordinate_transformation_mode", "half_pixel"));
    string("nearest_mode", n.getString("nearest_mode", "round_prefer_floor"));
    attrs.push_back(n.f32("cubic_coeff_a", n.getFloat("cubic_coeff_a", -0.75f)));
    attrs.push_back(
        n.flag("exclude_outside", n.getInt("exclude_outside", 0) != 0));
    attrs.push_back(n.f32("extrapolation_value",
                          n.getFloat("extrapolation_value", 0.0f)));
    attrs.push_back(n.named("roi", n.builder.getDenseF32ArrayAttr(roi)));
  }
  Expr e(n);
  return e.finish(e.op("strata.resize", *x, attrs));
}

/// MaxUnpool: the pooled values scattered at their flat indices into a zero
/// tensor of the unpooled shape: `output_shape` where given, as
/// onnxruntime does (ONNX's reference pads a smaller one instead; see
/// docs/onnx-import.md).
LogicalResult importMaxUnpool(NodeImporter &n) {
  FailureOr<Value> x = n.required(0), indices = n.required(1);
  if (failed(x) || failed(indices))
    return failure();
  auto type = cast<RankedTensorType>(x->getType());
  if (!type.hasStaticShape())
    return n.unsupported("MaxUnpool of a dynamic shape is");
  int64_t spatial = type.getRank() - 2;
  SmallVector<int64_t> outShape;
  if (n.input(2)) {
    FailureOr<SmallVector<int64_t>> given = n.constantInts(2, "output_shape");
    if (failed(given))
      return failure();
    outShape = *given;
  } else {
    SmallVector<int64_t> kernel = n.getInts("kernel_shape"),
                         strides = n.getInts("strides"), pads = n.getInts("pads");
    if (kernel.size() != size_t(spatial))
      return n.error() << "kernel_shape must have " << spatial << " entries";
    strides.resize(spatial, 1);
    pads.resize(2 * spatial, 0);
    outShape.assign(type.getShape().begin(), type.getShape().begin() + 2);
    for (int64_t i = 0; i < spatial; ++i)
      outShape.push_back((type.getDimSize(2 + i) - 1) * strides[i] +
                         kernel[i] - pads[i] - pads[i + spatial]);
  }
  if (outShape.size() != size_t(type.getRank()) ||
      llvm::any_of(outShape, [](int64_t d) { return d < 0; }))
    return n.error() << "the output shape must have rank " << type.getRank()
                     << " and no negative dimension";
  int64_t total = 1;
  for (int64_t d : outShape)
    total *= d;
  if (total > (int64_t(1) << 31))
    return n.error() << "the output of " << total << " elements is too large";
  Expr e(n);
  Value zeros = n.constant(DenseElementsAttr::get(
      RankedTensorType::get({total}, type.getElementType()),
      n.builder.getFloatAttr(type.getElementType(), 0)));
  NamedAttribute flat = n.ints("shape", {-1});
  Value scattered =
      e.op("strata.scatter_elements",
           {zeros, e.op("strata.reshape", *indices, {flat}),
            e.op("strata.reshape", *x, {flat})});
  return e.finish(e.op("strata.reshape", scattered,
                       {n.ints("shape", outShape), n.flag("allowzero", true)}));
}

LogicalResult importPool(NodeImporter &n, bool isMax) {
  FailureOr<Value> x = n.required(0);
  if (failed(x))
    return failure();
  if (n.node.output_size() > 1 && !n.node.output(1).empty())
    return n.unsupported("the Indices output is");
  if (n.getInt("storage_order", 0) != 0)
    return n.unsupported("storage_order 1 is");
  FailureOr<Window> window = windowAttrs(n, *x, n.getInts("kernel_shape"));
  if (failed(window))
    return failure();
  StringRef opName =
      isMax ? windowOp(*x, "strata.max_pool2d", "strata.max_pool3d")
            : windowOp(*x, "strata.avg_pool2d", "strata.avg_pool3d");
  if (!isMax && llvm::any_of(window->dilations, [](int64_t d) { return d != 1; }))
    return n.unsupported("AveragePool with dilations is");
  SmallVector<NamedAttribute> attrs{n.ints("kernel_shape", window->kernel),
                                    n.ints("strides", window->strides),
                                    n.ints("pads", window->pads),
                                    n.flag("ceil_mode", n.getInt("ceil_mode", 0))};
  if (isMax)
    attrs.push_back(n.ints("dilations", window->dilations));
  else
    attrs.push_back(
        n.flag("count_include_pad", n.getInt("count_include_pad", 0)));
  Expr e(n);
  bool is1D = rankOf(*x) == 3;
  return e.finish(from2D(e, n, e.op(opName, to2D(e, n, *x), attrs), is1D));
}

LogicalResult importMaxPool(NodeImporter &n) { return importPool(n, true); }
LogicalResult importAveragePool(NodeImporter &n) {
  return importPool(n, false);
}

template <const char *OpName>
LogicalResult importGlobalPool(NodeImporter &n) {
  FailureOr<Value> x = n.required(0);
  if (failed(x))
    return failure();
  Expr e(n);
  return e.finish(e.op(OpName, *x));
}
constexpr char kGlobalAvg[] = "strata.global_avg_pool",
               kGlobalMax[] = "strata.global_max_pool";

/// BatchNormalization in training mode: normalizes with the batch's own
/// mean and (population) variance and also yields the updated running
/// statistics, `running * momentum + batch * (1 - momentum)`.
LogicalResult importBatchNormTraining(NodeImporter &n) {
  Value x = n.input(0);
  int64_t rank = rankOf(x);
  if (rank < 2)
    return n.error() << "input must have rank >= 2";
  SmallVector<int64_t> axes{0};
  for (int64_t i = 2; i < rank; ++i)
    axes.push_back(i);
  Expr e(n);
  NamedAttribute reduced[] = {n.ints("axes", axes), n.flag("keepdims", false)};
  Value mean = e.op("strata.reduce_mean", x, reduced);
  SmallVector<int64_t> channelAxes;
  for (int64_t i = 1; i < rank - 1; ++i)
    channelAxes.push_back(i);
  Value meanKept =
      channelAxes.empty()
          ? mean
          : e.op("strata.unsqueeze", mean, {n.ints("axes", channelAxes)});
  Value centered = e.op("strata.sub", {x, meanKept});
  Value variance =
      e.op("strata.reduce_mean", e.op("strata.mul", {centered, centered}),
           reduced);
  Value y = e.op("strata.batch_norm",
                 {x, n.input(1), n.input(2), mean, variance},
                 {n.f32("epsilon", n.getFloat("epsilon", 1e-5f))});
  if (failed(e.finish(y)))
    return failure();
  double momentum = n.getFloat("momentum", 0.9f);
  for (auto [running, batch] : {std::pair{n.input(3), mean},
                                std::pair{n.input(4), variance}}) {
    Value updated = e.op(
        "strata.add",
        {e.op("strata.mul", {running, e.scalar(running, momentum)}),
         e.op("strata.mul", {batch, e.scalar(batch, 1 - momentum)})});
    if (failed(e.finish(updated)))
      return failure();
  }
  return success();
}

LogicalResult importBatchNorm(NodeImporter &n) {
  for (int i = 0; i < 5; ++i)
    if (failed(n.required(i)))
      return failure();
  if (n.getInt("training_mode", 0) != 0)
    return importBatchNormTraining(n);
  if (n.opset < 9 && n.getInt("spatial", 1) == 0)
    return n.unsupported("spatial=0 is");
  for (int i = 1; i < n.node.output_size(); ++i)
    if (!n.node.output(i).empty())
      return n.unsupported("the training outputs (running mean and variance) "
                           "are");
  Expr e(n);
  return e.finish(e.op("strata.batch_norm",
                       {n.input(0), n.input(1), n.input(2), n.input(3),
                        n.input(4)},
                       {n.f32("epsilon", n.getFloat("epsilon", 1e-5f))}));
}

LogicalResult importLayerNorm(NodeImporter &n) {
  FailureOr<Value> x = n.required(0), scale = n.required(1);
  if (failed(x) || failed(scale))
    return failure();
  SmallVector<Value> operands{*x, *scale};
  if (Value bias = n.input(2))
    operands.push_back(bias);
  int64_t axis = n.getInt("axis", -1);
  float epsilon = n.getFloat("epsilon", 1e-5f);
  Expr e(n);
  if (failed(e.finish(e.op("strata.layer_norm", operands,
                           {n.i64("axis", axis), n.f32("epsilon", epsilon)}))))
    return failure();
  bool wantsStats = false;
  for (int i = 1; i < n.node.output_size(); ++i)
    wantsStats |= !n.node.output(i).empty();
  if (!wantsStats)
    return success();
  // Mean and InvStdDev over the normalized axes, kept as size-1 dims and
  // computed in f32 (ONNX's default stash_type).
  int64_t rank = rankOf(*x);
  if (axis < 0)
    axis += rank;
  SmallVector<int64_t> axes;
  for (int64_t i = std::max<int64_t>(axis, 0); i < rank; ++i)
    axes.push_back(i);
  Value stats = e.castTo(*x, n.builder.getF32Type());
  Value mean = e.op("strata.reduce_mean", stats, {n.ints("axes", axes)});
  Value centered = e.op("strata.sub", {stats, mean});
  Value variance = e.op("strata.reduce_mean",
                        e.op("strata.mul", {centered, centered}),
                        {n.ints("axes", axes)});
  Value invStdDev = e.op(
      "strata.div",
      {e.scalar(variance, 1.0),
       e.op("strata.sqrt", e.op("strata.add", {variance,
                                               e.scalar(variance, epsilon)}))});
  if (failed(e.finish(mean)))
    return failure();
  return e.finish(invStdDev);
}

/// (x - mean) / sqrt(var + epsilon) over `axes` (or, with
/// `epsilonAfterSqrt`, / (sqrt(var) + epsilon) as MeanVarianceNormalization
/// defines it), with mean and variance kept broadcastable.
Value normalize(Expr &e, NodeImporter &n, Value x, ArrayRef<int64_t> axes,
                double epsilon, bool epsilonAfterSqrt = false) {
  Value mean = e.op("strata.reduce_mean", x, {n.ints("axes", axes)});
  Value centered = e.op("strata.sub", {x, mean});
  Value variance = e.op("strata.reduce_mean",
                        e.op("strata.mul", {centered, centered}),
                        {n.ints("axes", axes)});
  Value stddev =
      epsilonAfterSqrt
          ? e.op("strata.add",
                 {e.op("strata.sqrt", variance), e.scalar(x, epsilon)})
          : e.op("strata.sqrt",
                 e.op("strata.add", {variance, e.scalar(x, epsilon)}));
  return e.op("strata.div", {centered, stddev});
}

LogicalResult importInstanceNorm(NodeImporter &n) {
  FailureOr<Value> x = n.required(0), scale = n.required(1),
                   bias = n.required(2);
  if (failed(x) || failed(scale) || failed(bias))
    return failure();
  int64_t rank = rankOf(*x);
  if (rank < 3)
    return n.unsupported("InstanceNormalization of a rank-" + Twine(rank) +
                         " input is");
  SmallVector<int64_t> spatial, perChannel{-1};
  for (int64_t i = 2; i < rank; ++i) {
    spatial.push_back(i);
    perChannel.push_back(1);
  }
  Expr e(n);
  Value y = normalize(e, n, *x, spatial, n.getFloat("epsilon", 1e-5f));
  auto channels = [&](Value v) {
    return e.op("strata.reshape", v, {n.ints("shape", perChannel)});
  };
  return e.finish(e.op("strata.add", {e.op("strata.mul", {y, channels(*scale)}),
                                      channels(*bias)}));
}

LogicalResult importMeanVarianceNorm(NodeImporter &n) {
  FailureOr<Value> x = n.required(0);
  if (failed(x))
    return failure();
  SmallVector<int64_t> axes = n.getInts("axes");
  if (!n.hasAttr("axes"))
    axes = {0, 2, 3};
  Expr e(n);
  return e.finish(normalize(e, n, *x, axes, 1e-9, /*epsilonAfterSqrt=*/true));
}

/// One-hot of the first maximum along the last axis of `x`.
Value hardmaxLastAxis(Expr &e, NodeImporter &n, Value x) {
  auto type = cast<RankedTensorType>(x.getType());
  int64_t rank = type.getRank(), size = type.getDimSize(rank - 1);
  if (ShapedType::isDynamic(size)) {
    (void)n.unsupported("Hardmax along a dynamic dimension is");
    return {};
  }
  SmallVector<int64_t> iotaShape(rank, 1), values;
  iotaShape.back() = size;
  for (int64_t i = 0; i < size; ++i)
    values.push_back(i);
  Value iota = n.constant(DenseElementsAttr::get(
      RankedTensorType::get(iotaShape, n.builder.getI64Type()),
      ArrayRef<int64_t>(values)));
  Value index = e.op("strata.argmax", x, {n.i64("axis", rank - 1)});
  return e.castTo(e.op("strata.equal", {iota, index}), type.getElementType());
}

/// Softmax, LogSoftmax or Hardmax along `axis`; before opset 13 they act on
/// the input flattened to 2-D at `axis`.
LogicalResult importSoftmaxLike(NodeImporter &n, StringRef opName) {
  FailureOr<Value> x = n.required(0);
  if (failed(x))
    return failure();
  Expr e(n);
  int64_t rank = rankOf(*x);
  int64_t axis = n.getInt("axis", n.opset < 13 ? 1 : -1);
  if (axis < 0)
    axis += rank;
  bool isHardmax = opName == "strata.hardmax";
  auto apply = [&](Value v, int64_t along) -> Value {
    if (!isHardmax)
      return e.op(opName, v, {n.i64("axis", along)});
    if (along != rankOf(v) - 1) {
      SmallVector<int64_t> perm;
      for (int64_t i = 0; i < rankOf(v); ++i)
        if (i != along)
          perm.push_back(i);
      perm.push_back(along);
      SmallVector<int64_t> inverse(perm.size());
      for (auto [i, p] : llvm::enumerate(perm))
        inverse[p] = i;
      Value moved = e.op("strata.transpose", v, {n.ints("perm", perm)});
      return e.op("strata.transpose", hardmaxLastAxis(e, n, moved),
                  {n.ints("perm", inverse)});
    }
    return hardmaxLastAxis(e, n, v);
  };
  if (n.opset >= 13 || axis == rank - 1)
    return e.finish(apply(*x, axis));
  if (!cast<RankedTensorType>(x->getType()).hasStaticShape())
    return n.unsupported(n.node.op_type() + " before opset 13 on a dynamic "
                                            "shape is");
  Value flat = e.op("strata.flatten", *x, {n.i64("axis", axis)});
  return e.finish(e.op("strata.reshape", apply(flat, 1),
                       {n.ints("shape", shapeOf(*x))}));
}

LogicalResult importSoftmax(NodeImporter &n) {
  return importSoftmaxLike(n, "strata.softmax");
}
LogicalResult importLogSoftmax(NodeImporter &n) {
  return importSoftmaxLike(n, "strata.log_softmax");
}
LogicalResult importHardmax(NodeImporter &n) {
  return importSoftmaxLike(n, "strata.hardmax");
}

template <const char *OpName>
LogicalResult importArg(NodeImporter &n) {
  FailureOr<Value> x = n.required(0);
  if (failed(x))
    return failure();
  Expr e(n);
  return e.finish(e.op(
      OpName, *x,
      {n.i64("axis", n.getInt("axis", 0)),
       n.flag("keepdims", n.getInt("keepdims", 1) != 0),
       n.flag("select_last_index", n.getInt("select_last_index", 0) != 0)}));
}
constexpr char kArgMax[] = "strata.argmax", kArgMin[] = "strata.argmin";

LogicalResult importCumSum(NodeImporter &n) {
  FailureOr<Value> x = n.required(0);
  FailureOr<SmallVector<int64_t>> axis = n.constantInts(1, "axis");
  if (failed(x) || failed(axis))
    return failure();
  if (axis->size() != 1)
    return n.error() << "input 1 (axis) must hold one value, got "
                     << axis->size();
  Expr e(n);
  return e.finish(e.op("strata.cumsum", *x,
                       {n.i64("axis", axis->front()),
                        n.flag("exclusive", n.getInt("exclusive", 0) != 0),
                        n.flag("reverse", n.getInt("reverse", 0) != 0)}));
}

/// ONNX NegativeLogLikelihoodLoss on log-probabilities `input` [N, C, ...]
/// and class indices `target` [N, ...], with optional class `weight`.
Value nllLoss(Expr &e, NodeImporter &n, Value input, Value target,
              Value weight) {
  std::string reduction = n.getString("reduction", "mean");
  if (reduction != "mean" && reduction != "sum" && reduction != "none") {
    n.error() << "reduction must be mean, sum or none, got '" << reduction
              << "'";
    return {};
  }
  auto targetType = cast<RankedTensorType>(target.getType());
  if (!targetType.hasStaticShape()) {
    (void)n.unsupported("a loss over a dynamic target shape is");
    return {};
  }
  Value safeTarget = target, ignored;
  if (n.hasAttr("ignore_index")) {
    ignored = e.op("strata.equal",
                   {target, e.scalar(target, n.getInt("ignore_index", 0))});
    safeTarget = e.op("strata.where", {ignored, e.scalar(target, 0), target});
  }
  Value picked = e.op(
      "strata.squeeze",
      e.op("strata.gather_elements",
           {input, e.op("strata.unsqueeze", safeTarget, {n.ints("axes", {1})})},
           {n.i64("axis", 1)}),
      {n.ints("axes", {1})});
  Value weights =
      weight ? e.op("strata.gather", {weight, safeTarget})
             : e.op("strata.expand", e.scalar(input, 1.0),
                    {n.ints("shape", targetType.getShape())});
  if (ignored)
    weights = e.op("strata.where", {ignored, e.scalar(input, 0), weights});
  Value loss = e.op("strata.mul", {e.op("strata.neg", picked), weights});
  if (reduction == "none")
    return loss;
  NamedAttribute all = n.flag("keepdims", false);
  Value total = e.op("strata.reduce_sum", loss, {all});
  if (reduction == "sum")
    return total;
  return e.op("strata.div", {total, e.op("strata.reduce_sum", weights, {all})});
}

LogicalResult importNLLLoss(NodeImporter &n) {
  FailureOr<Value> input = n.required(0), target = n.required(1);
  if (failed(input) || failed(target))
    return failure();
  Expr e(n);
  return e.finish(nllLoss(e, n, *input, *target, n.input(2)));
}

LogicalResult importSoftmaxCrossEntropy(NodeImporter &n) {
  FailureOr<Value> scores = n.required(0), labels = n.required(1);
  if (failed(scores) || failed(labels))
    return failure();
  Expr e(n);
  Value logProb = e.op("strata.log_softmax", *scores, {n.i64("axis", 1)});
  if (failed(e.finish(nllLoss(e, n, logProb, *labels, n.input(2)))))
    return failure();
  if (n.node.output_size() > 1)
    n.results.push_back(logProb);
  return success();
}

/// The reductions; the composite ones apply `pre` to the input and `post`
/// to the reduced value.
enum class Reduction { Sum, Mean, Max, Min, Prod, L1, L2, LogSum, LogSumExp, SumSquare };

LogicalResult importReduce(NodeImporter &n, Reduction kind) {
  FailureOr<Value> x = n.required(0);
  if (failed(x))
    return failure();
  SmallVector<int64_t> axes;
  if (kind == Reduction::Sum && n.opset >= 13) {
    if (n.input(1)) {
      FailureOr<SmallVector<int64_t>> values = n.constantInts(1, "axes");
      if (failed(values))
        return failure();
      axes = *values;
    }
  } else {
    axes = n.getInts("axes");
  }
  if (axes.empty() && n.getInt("noop_with_empty_axes", 0) != 0) {
    n.results.push_back(*x);
    return success();
  }
  Expr e(n);
  Value input = *x;
  switch (kind) {
  case Reduction::L1:
    input = e.op("strata.abs", input);
    break;
  case Reduction::L2:
  case Reduction::SumSquare:
    input = e.op("strata.mul", {input, input});
    break;
  case Reduction::LogSumExp:
    input = e.op("strata.exp", input);
    break;
  default:
    break;
  }
  StringRef opName;
  switch (kind) {
  case Reduction::Mean:
    opName = "strata.reduce_mean";
    break;
  case Reduction::Max:
    opName = "strata.reduce_max";
    break;
  case Reduction::Min:
    opName = "strata.reduce_min";
    break;
  case Reduction::Prod:
    opName = "strata.reduce_prod";
    break;
  default:
    opName = "strata.reduce_sum";
    break;
  }
  Value y = e.op(opName, input,
                 {n.ints("axes", axes),
                  n.flag("keepdims", n.getInt("keepdims", 1) != 0)});
  if (kind == Reduction::L2)
    y = e.op("strata.sqrt", y);
  else if (kind == Reduction::LogSum || kind == Reduction::LogSumExp)
    y = e.op("strata.log", y);
  return e.finish(y);
}

template <Reduction Kind>
LogicalResult reduce(NodeImporter &n) {
  return importReduce(n, Kind);
}

/// LRN: x / (bias + alpha / size * sum of squares over a window of
/// channels)^beta, the window sum as shifted slices of the zero-padded
/// squares.
LogicalResult importLRN(NodeImporter &n) {
  FailureOr<Value> x = n.required(0);
  if (failed(x))
    return failure();
  int64_t size = n.getInt("size", 0);
  if (size <= 0)
    return n.error() << "attribute 'size' must be positive, got " << size;
  int64_t rank = rankOf(*x);
  if (rank < 3 || ShapedType::isDynamic(shapeOf(*x)[1]))
    return n.unsupported("LRN without a static channel dimension is");
  int64_t channels = shapeOf(*x)[1];
  SmallVector<int64_t> pads(2 * rank, 0);
  pads[1] = (size - 1) / 2;
  pads[rank + 1] = size - 1 - (size - 1) / 2;
  Expr e(n);
  Value padded = e.op("strata.pad", e.op("strata.mul", {*x, *x}),
                      {n.ints("pads", pads)});
  Value sum;
  for (int64_t i = 0; i < size; ++i) {
    Value window = e.op("strata.slice", padded,
                        {n.ints("starts", {i}), n.ints("ends", {i + channels}),
                         n.ints("axes", {1})});
    sum = sum ? e.op("strata.add", {sum, window}) : window;
  }
  double alpha = n.getFloat("alpha", 1e-4f), beta = n.getFloat("beta", 0.75f),
         bias = n.getFloat("bias", 1.0f);
  Value scaled = e.op("strata.add", {e.scalar(*x, bias),
                                     e.op("strata.mul", {sum, e.scalar(*x, alpha / size)})});
  return e.finish(e.op("strata.div",
                       {*x, e.op("strata.pow", {scaled, e.scalar(*x, beta)})}));
}

LogicalResult importGridSample(NodeImporter &n) {
  FailureOr<Value> x = n.required(0), grid = n.required(1);
  if (failed(x) || failed(grid))
    return failure();
  Expr e(n);
  auto string = [&](StringRef name, StringRef fallback) {
    return n.named(name, n.builder.getStringAttr(n.getString(name, fallback)));
  };
  return e.finish(e.op(
      "strata.grid_sample", {*x, *grid},
      {string("mode", "bilinear"), string("padding_mode", "zeros"),
       n.flag("align_corners", n.getInt("align_corners", 0) != 0)}));
}

LogicalResult importDet(NodeImporter &n) {
  FailureOr<Value> x = n.required(0);
  if (failed(x))
    return failure();
  Expr e(n);
  return e.finish(e.op("strata.det", *x));
}

LogicalResult importDropout(NodeImporter &n) {
  FailureOr<Value> x = n.required(0);
  if (failed(x))
    return failure();
  bool training = false;
  if (n.input(2)) {
    FailureOr<SmallVector<int64_t>> mode = n.constantInts(2, "training_mode");
    if (failed(mode))
      return failure();
    training = !mode->empty() && (*mode)[0] != 0;
  }
  if (n.opset < 7 && n.getInt("is_test", 0) == 0)
    return n.unsupported("Dropout in training mode before opset 7 is");
  bool wantsMask = n.node.output_size() > 1 && !n.node.output(1).empty();
  auto type = cast<RankedTensorType>(x->getType());
  if (!training) {
    n.results.push_back(*x);
    if (!wantsMask)
      return success();
    if (!type.hasStaticShape())
      return n.unsupported("the mask output of a dynamic shape is");
    // Inference keeps every element. The mask is bool from opset 10 on,
    // of the input's type before.
    if (n.opset >= 10)
      n.results.push_back(n.constant(DenseElementsAttr::get(
          type.clone(n.builder.getI1Type()), true)));
    else
      n.results.push_back(n.constant(DenseElementsAttr::get(
          type, n.builder.getFloatAttr(type.getElementType(), 1.0))));
    return success();
  }
  // Training: keep each element with probability 1 - ratio and scale the
  // kept ones by 1 / (1 - ratio), as the ONNX definition does.
  double ratio = 0.5;
  if (n.input(1)) {
    FailureOr<double> r = n.constantScalar(1, "ratio");
    if (failed(r))
      return failure();
    ratio = *r;
  }
  if (!(ratio >= 0 && ratio < 1))
    return n.error() << "ratio " << formatNumber(ratio) << " is not in [0, 1)";
  Expr e(n);
  SmallVector<NamedAttribute> attrs{
      n.named("dtype", TypeAttr::get(type.getElementType()))};
  if (n.hasAttr("seed"))
    attrs.push_back(n.f64("seed", n.getFloat("seed", 0)));
  Value mask = e.op("strata.greater_equal",
                    {e.op("strata.random_uniform_like", *x, attrs),
                     e.scalar(*x, ratio)});
  Value kept = e.castTo(mask, type.getElementType());
  Value y = e.op("strata.mul", {e.op("strata.mul", {*x, kept}),
                                e.scalar(*x, 1 / (1 - ratio))});
  if (failed(e.finish(y)))
    return failure();
  if (wantsMask)
    n.results.push_back(mask);
  return success();
}

/// NonMaxSuppression; absent thresholds keep every box (score threshold
/// -inf) and an absent box limit selects none, as ONNX defines.
LogicalResult importNonMaxSuppression(NodeImporter &n) {
  FailureOr<Value> boxes = n.required(0), scores = n.required(1);
  if (failed(boxes) || failed(scores))
    return failure();
  Type element = elementTypeOf(*boxes);
  Value limit = n.input(2) ? n.input(2) : n.scalar(n.builder.getI64Type(), 0);
  Value iou = n.input(3) ? n.input(3) : n.scalar(element, 0);
  Value minScore = n.input(4) ? n.input(4)
                              : n.scalar(element, -INFINITY);
  Expr e(n);
  return e.finish(e.op(
      "strata.non_max_suppression", {*boxes, *scores, limit, iou, minScore},
      {n.flag("center_point_box", n.getInt("center_point_box", 0) != 0)}));
}
} // namespace

void mlir::strata::onnx_import::registerNNOps(OpTable &table) {
  table["MatMul"] = importMatMul;
  table["Gemm"] = importGemm;
  table["Einsum"] = importEinsum;
  table["Conv"] = importConv;
  table["ConvTranspose"] = importConvTranspose;
  table["Resize"] = importResize;
  table["Upsample"] = importResize;
  table["MaxPool"] = importMaxPool;
  table["MaxUnpool"] = importMaxUnpool;
  table["AveragePool"] = importAveragePool;
  table["GlobalAveragePool"] = importGlobalPool<kGlobalAvg>;
  table["GlobalMaxPool"] = importGlobalPool<kGlobalMax>;
  table["BatchNormalization"] = importBatchNorm;
  table["LayerNormalization"] = importLayerNorm;
  table["InstanceNormalization"] = importInstanceNorm;
  table["MeanVarianceNormalization"] = importMeanVarianceNorm;
  table["Softmax"] = importSoftmax;
  table["LogSoftmax"] = importLogSoftmax;
  table["Hardmax"] = importHardmax;
  table["ArgMax"] = importArg<kArgMax>;
  table["ArgMin"] = importArg<kArgMin>;
  table["CumSum"] = importCumSum;
  table["NegativeLogLikelihoodLoss"] = importNLLLoss;
  table["SoftmaxCrossEntropyLoss"] = importSoftmaxCrossEntropy;
  table["ReduceSum"] = reduce<Reduction::Sum>;
  table["ReduceMean"] = reduce<Reduction::Mean>;
  table["ReduceMax"] = reduce<Reduction::Max>;
  table["ReduceMin"] = reduce<Reduction::Min>;
  table["ReduceProd"] = reduce<Reduction::Prod>;
  table["ReduceL1"] = reduce<Reduction::L1>;
  table["ReduceL2"] = reduce<Reduction::L2>;
  table["ReduceLogSum"] = reduce<Reduction::LogSum>;
  table["ReduceLogSumExp"] = reduce<Reduction::LogSumExp>;
  table["ReduceSumSquare"] = reduce<Reduction::SumSquare>;
  table["Dropout"] = importDropout;
  table["LRN"] = importLRN;
  table["Det"] = importDet;
  table["GridSample"] = importGridSample;
  table["NonMaxSuppression"] = importNonMaxSuppression;
}

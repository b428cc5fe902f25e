//===- TensorOps.cpp - ONNX data-movement and shape ops to strata ---------===//
//
// Constant, Shape, Size, ConstantOfShape and the data-movement ops. Shape
// operands (Reshape's shape, Slice's starts, ...) must be constants once
// folded: with static input shapes the Shape/Gather/Concat chains exporters
// emit fold away during import.
//
//===----------------------------------------------------------------------===//

#include "frontends/onnx/NodeImporter.h"
#include "frontends/onnx/Tensors.h"

#include "onnx/onnx_pb.h"

#include <cmath>

using namespace mlir;
using namespace mlir::strata::onnx_import;

namespace {
/// An i64 tensor constant of `shape` holding `values`.
Value i64Constant(NodeImporter &n, ArrayRef<int64_t> shape,
                  ArrayRef<int64_t> values) {
  auto type = RankedTensorType::get(shape, n.builder.getI64Type());
  return n.constant(DenseElementsAttr::get(type, values));
}

LogicalResult importConstant(NodeImporter &n) {
  if (n.hasAttr("value")) {
    FailureOr<DenseElementsAttr> value = n.getTensor("value");
    if (failed(value))
      return failure();
    n.results.push_back(n.constant(*value));
    return success();
  }
  Builder &b = n.builder;
  if (n.hasAttr("value_float")) {
    n.results.push_back(n.scalar(b.getF32Type(), n.getFloat("value_float", 0)));
  } else if (n.hasAttr("value_int")) {
    n.results.push_back(i64Constant(n, {}, {n.getInt("value_int", 0)}));
  } else if (n.hasAttr("value_ints")) {
    SmallVector<int64_t> values = n.getInts("value_ints");
    n.results.push_back(
        i64Constant(n, {static_cast<int64_t>(values.size())}, values));
  } else if (const onnx::AttributeProto *floats = n.attr("value_floats")) {
    SmallVector<float> values(floats->floats().begin(), floats->floats().end());
    auto type = RankedTensorType::get({static_cast<int64_t>(values.size())},
                                      b.getF32Type());
    n.results.push_back(
        n.constant(DenseElementsAttr::get(type, ArrayRef(values))));
  } else {
    return n.unsupported("a Constant without a numeric value attribute is");
  }
  return success();
}

LogicalResult importShape(NodeImporter &n) {
  FailureOr<Value> x = n.required(0);
  if (failed(x))
    return failure();
  RankedTensorType type = typeOf(*x);
  int64_t rank = type.getRank();
  auto clampIndex = [&](int64_t i) {
    return std::clamp<int64_t>(i < 0 ? i + rank : i, 0, rank);
  };
  int64_t start = clampIndex(n.getInt("start", 0));
  int64_t end = clampIndex(n.getInt("end", rank));
  ArrayRef<int64_t> dims =
      type.getShape().slice(start, std::max<int64_t>(end - start, 0));
  if (llvm::any_of(dims, ShapedType::isDynamic))
    return n.unsupported("Shape of a tensor with dynamic dimensions is");
  n.results.push_back(
      i64Constant(n, {static_cast<int64_t>(dims.size())}, dims));
  return success();
}

LogicalResult importSize(NodeImporter &n) {
  FailureOr<Value> x = n.required(0);
  if (failed(x))
    return failure();
  RankedTensorType type = typeOf(*x);
  if (!type.hasStaticShape())
    return n.unsupported("Size of a tensor with dynamic dimensions is");
  n.results.push_back(i64Constant(n, {}, {type.getNumElements()}));
  return success();
}

LogicalResult importConstantOfShape(NodeImporter &n) {
  FailureOr<SmallVector<int64_t>> shape = n.constantInts(0, "shape");
  if (failed(shape))
    return failure();
  for (int64_t d : *shape)
    if (d < 0)
      return n.error() << "shape has a negative dimension " << d;
  Attribute element = n.builder.getF32FloatAttr(0);
  if (n.hasAttr("value")) {
    FailureOr<DenseElementsAttr> value = n.getTensor("value");
    if (failed(value))
      return failure();
    if (value->getNumElements() != 1)
      return n.error() << "attribute 'value' must hold one element, got "
                       << value->getNumElements();
    element = value->getValues<Attribute>()[0];
  }
  auto type = RankedTensorType::get(*shape, cast<TypedAttr>(element).getType());
  n.results.push_back(n.constant(DenseElementsAttr::get(type, element)));
  return success();
}

LogicalResult importReshape(NodeImporter &n) {
  FailureOr<Value> x = n.required(0);
  if (failed(x))
    return failure();
  SmallVector<int64_t> shape;
  if (n.opset < 5) {
    shape = n.getInts("shape");
  } else {
    FailureOr<SmallVector<int64_t>> values = n.constantInts(1, "shape");
    if (failed(values))
      return failure();
    shape = *values;
  }
  Expr e(n);
  return e.finish(e.op("strata.reshape", *x,
                       {n.ints("shape", shape),
                        n.flag("allowzero", n.getInt("allowzero", 0) != 0)}));
}

LogicalResult importFlatten(NodeImporter &n) {
  FailureOr<Value> x = n.required(0);
  if (failed(x))
    return failure();
  Expr e(n);
  return e.finish(
      e.op("strata.flatten", *x, {n.i64("axis", n.getInt("axis", 1))}));
}

/// Axes from the attribute (before opset 13) or the optional input.
FailureOr<SmallVector<int64_t>> axesOf(NodeImporter &n) {
  if (n.opset < 13)
    return n.getInts("axes");
  if (!n.input(1))
    return SmallVector<int64_t>();
  return n.constantInts(1, "axes");
}

LogicalResult importSqueeze(NodeImporter &n) {
  FailureOr<Value> x = n.required(0);
  FailureOr<SmallVector<int64_t>> axes = axesOf(n);
  if (failed(x) || failed(axes))
    return failure();
  Expr e(n);
  return e.finish(e.op("strata.squeeze", *x, {n.ints("axes", *axes)}));
}

LogicalResult importUnsqueeze(NodeImporter &n) {
  FailureOr<Value> x = n.required(0);
  FailureOr<SmallVector<int64_t>> axes = axesOf(n);
  if (failed(x) || failed(axes))
    return failure();
  Expr e(n);
  return e.finish(e.op("strata.unsqueeze", *x, {n.ints("axes", *axes)}));
}

LogicalResult importConcat(NodeImporter &n) {
  SmallVector<Value> inputs;
  for (size_t i = 0; i < n.numInputs(); ++i)
    if (Value v = n.input(i))
      inputs.push_back(v);
  if (!n.hasAttr("axis"))
    return n.error() << "attribute 'axis' is required";
  Expr e(n);
  return e.finish(
      e.op("strata.concat", inputs, {n.i64("axis", n.getInt("axis", 0))}));
}

LogicalResult importSlice(NodeImporter &n) {
  FailureOr<Value> x = n.required(0);
  if (failed(x))
    return failure();
  SmallVector<int64_t> starts, ends, axes, steps;
  if (n.opset < 10) {
    starts = n.getInts("starts");
    ends = n.getInts("ends");
    axes = n.getInts("axes");
  } else {
    FailureOr<SmallVector<int64_t>> s = n.constantInts(1, "starts"),
                                    e = n.constantInts(2, "ends");
    if (failed(s) || failed(e))
      return failure();
    starts = *s;
    ends = *e;
    for (auto [i, name, out] : {std::tuple<size_t, StringRef, SmallVector<int64_t> *>{
                                    3, "axes", &axes},
                                {4, "steps", &steps}}) {
      if (!n.input(i))
        continue;
      FailureOr<SmallVector<int64_t>> values = n.constantInts(i, name);
      if (failed(values))
        return failure();
      *out = *values;
    }
  }
  Expr e(n);
  return e.finish(e.op("strata.slice", *x,
                       {n.ints("starts", starts), n.ints("ends", ends),
                        n.ints("axes", axes), n.ints("steps", steps)}));
}

LogicalResult importGather(NodeImporter &n) {
  FailureOr<Value> data = n.required(0), indices = n.required(1);
  if (failed(data) || failed(indices))
    return failure();
  Expr e(n);
  return e.finish(e.op("strata.gather", {*data, *indices},
                       {n.i64("axis", n.getInt("axis", 0))}));
}

LogicalResult importGatherElements(NodeImporter &n) {
  FailureOr<Value> data = n.required(0), indices = n.required(1);
  if (failed(data) || failed(indices))
    return failure();
  Expr e(n);
  return e.finish(e.op("strata.gather_elements", {*data, *indices},
                       {n.i64("axis", n.getInt("axis", 0))}));
}

/// Split into slices along `axis`: sizes from the `split` input (opset 13)
/// or attribute, else equal parts, one per output.
LogicalResult importSplit(NodeImporter &n) {
  FailureOr<Value> x = n.required(0);
  if (failed(x))
    return failure();
  RankedTensorType type = typeOf(*x);
  int64_t axis = n.getInt("axis", 0);
  if (axis < -type.getRank() || axis >= type.getRank())
    return n.error() << "axis " << axis << " is out of range for rank "
                     << type.getRank();
  if (axis < 0)
    axis += type.getRank();
  SmallVector<int64_t> sizes = n.getInts("split");
  if (n.opset >= 13 && n.input(1)) {
    FailureOr<SmallVector<int64_t>> values = n.constantInts(1, "split");
    if (failed(values))
      return failure();
    sizes = *values;
  }
  int64_t outputs = n.node.output_size();
  int64_t dim = type.getDimSize(axis);
  if (sizes.empty()) {
    if (ShapedType::isDynamic(dim))
      return n.unsupported("an equal Split of a dynamic dimension is");
    if (dim % outputs != 0)
      return n.error() << "dimension " << axis << " of size " << dim
                       << " does not split into " << outputs << " equal parts";
    sizes.assign(outputs, dim / outputs);
  }
  if (static_cast<int64_t>(sizes.size()) != outputs)
    return n.error() << "split has " << sizes.size() << " sizes for "
                     << outputs << " outputs";
  Expr e(n);
  int64_t start = 0;
  for (int64_t size : sizes) {
    if (size < 0)
      return n.error() << "split size " << size << " is negative";
    if (failed(e.finish(e.op("strata.slice", *x,
                             {n.ints("starts", {start}),
                              n.ints("ends", {start + size}),
                              n.ints("axes", {axis})}))))
      return failure();
    start += size;
  }
  if (!ShapedType::isDynamic(dim) && start != dim)
    return n.error() << "split sizes add up to " << start
                     << ", but dimension " << axis << " has size " << dim;
  return success();
}

/// Trilu keeps the upper (or lower) triangle of the last two dimensions,
/// shifted by `k`, through a constant mask.
LogicalResult importTrilu(NodeImporter &n) {
  FailureOr<Value> x = n.required(0);
  if (failed(x))
    return failure();
  int64_t k = 0;
  if (n.input(1)) {
    FailureOr<SmallVector<int64_t>> values = n.constantInts(1, "k");
    if (failed(values))
      return failure();
    if (values->size() != 1)
      return n.error() << "input 1 (k) must hold one value";
    k = values->front();
  }
  RankedTensorType type = typeOf(*x);
  if (type.getRank() < 2)
    return n.error() << "input must have rank >= 2, got " << type.getRank();
  int64_t rows = type.getDimSize(type.getRank() - 2);
  int64_t cols = type.getDimSize(type.getRank() - 1);
  if (ShapedType::isDynamic(rows) || ShapedType::isDynamic(cols))
    return n.unsupported("Trilu over dynamic matrix dimensions is");
  bool upper = n.getInt("upper", 1) != 0;
  SmallVector<bool> mask;
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t j = 0; j < cols; ++j)
      mask.push_back(upper ? j - i >= k : j - i <= k);
  Value maskValue = n.constant(DenseElementsAttr::get(
      RankedTensorType::get({rows, cols}, n.builder.getI1Type()), mask));
  Expr e(n);
  return e.finish(
      e.op("strata.where", {maskValue, *x, e.scalar(*x, 0)}));
}

/// DepthToSpace and SpaceToDepth as reshape, transpose, reshape.
LogicalResult importDepthSpace(NodeImporter &n, bool toSpace) {
  FailureOr<Value> x = n.required(0);
  if (failed(x))
    return failure();
  RankedTensorType type = typeOf(*x);
  if (type.getRank() != 4 || !type.hasStaticShape())
    return n.unsupported(n.node.op_type() + " of a non-4-D or dynamic input "
                                            "is");
  int64_t b = n.getInt("blocksize", 0);
  int64_t batch = type.getDimSize(0), c = type.getDimSize(1),
          h = type.getDimSize(2), w = type.getDimSize(3);
  if (b <= 0 || b > std::max({c, h, w}))
    return n.error() << "blocksize " << b << " is not in [1, "
                     << std::max({c, h, w}) << "]";
  SmallVector<int64_t> split, perm, result;
  if (toSpace) {
    if (c % (b * b) != 0)
      return n.error() << c << " channels do not divide by blocksize^2 = "
                       << b * b;
    bool crd = n.getString("mode", "DCR") == "CRD";
    split = crd ? SmallVector<int64_t>{batch, c / (b * b), b, b, h, w}
                : SmallVector<int64_t>{batch, b, b, c / (b * b), h, w};
    perm = crd ? SmallVector<int64_t>{0, 1, 4, 2, 5, 3}
               : SmallVector<int64_t>{0, 3, 4, 1, 5, 2};
    result = {batch, c / (b * b), h * b, w * b};
  } else {
    if (h % b != 0 || w % b != 0)
      return n.error() << "spatial size " << h << "x" << w
                       << " does not divide by blocksize " << b;
    split = {batch, c, h / b, b, w / b, b};
    perm = {0, 3, 5, 1, 2, 4};
    result = {batch, c * b * b, h / b, w / b};
  }
  Expr e(n);
  Value v = e.op("strata.reshape", *x, {n.ints("shape", split)});
  v = e.op("strata.transpose", v, {n.ints("perm", perm)});
  return e.finish(e.op("strata.reshape", v, {n.ints("shape", result)}));
}

LogicalResult importDepthToSpace(NodeImporter &n) {
  return importDepthSpace(n, true);
}
LogicalResult importSpaceToDepth(NodeImporter &n) {
  return importDepthSpace(n, false);
}

LogicalResult importEyeLike(NodeImporter &n) {
  FailureOr<Value> x = n.required(0);
  if (failed(x))
    return failure();
  RankedTensorType type = typeOf(*x);
  if (type.getRank() != 2 || !type.hasStaticShape())
    return n.unsupported("EyeLike of a non-2-D or dynamic input is");
  Type element = type.getElementType();
  if (n.hasAttr("dtype")) {
    llvm::Expected<Type> converted =
        convertElementType(n.getInt("dtype", 0), n.context);
    if (!converted)
      return n.unsupported("EyeLike with " +
                           llvm::toString(converted.takeError()) + "; it is");
    element = *converted;
  }
  int64_t k = n.getInt("k", 0);
  SmallVector<Attribute> values;
  Attribute one = isa<FloatType>(element)
                      ? Attribute(n.builder.getFloatAttr(element, 1))
                      : n.builder.getIntegerAttr(element, 1);
  Attribute zero = isa<FloatType>(element)
                       ? Attribute(n.builder.getFloatAttr(element, 0))
                       : n.builder.getIntegerAttr(element, 0);
  for (int64_t i = 0; i < type.getDimSize(0); ++i)
    for (int64_t j = 0; j < type.getDimSize(1); ++j)
      values.push_back(j - i == k ? one : zero);
  n.results.push_back(n.constant(DenseElementsAttr::get(
      RankedTensorType::get(type.getShape(), element), values)));
  return success();
}

/// Tile as reshape to [1, d0, 1, d1, ...], expand to [r0, d0, r1, d1, ...]
/// and reshape to [r0 * d0, ...]; needs static dims and constant repeats.
LogicalResult importTile(NodeImporter &n) {
  FailureOr<Value> x = n.required(0);
  FailureOr<SmallVector<int64_t>> repeats = n.constantInts(1, "repeats");
  if (failed(x) || failed(repeats))
    return failure();
  RankedTensorType type = typeOf(*x);
  if (static_cast<int64_t>(repeats->size()) != type.getRank())
    return n.error() << "repeats has " << repeats->size()
                     << " entries for an input of rank " << type.getRank();
  if (!type.hasStaticShape())
    return n.unsupported("Tile of a dynamic shape is");
  SmallVector<int64_t> spread, expanded, result;
  for (auto [d, r] : llvm::zip_equal(type.getShape(), *repeats)) {
    if (r < 0)
      return n.error() << "repeats must be non-negative, got " << r;
    spread.append({1, d});
    expanded.append({r, d});
    result.push_back(r * d);
  }
  Expr e(n);
  Value v = e.op("strata.reshape", *x, {n.ints("shape", spread)});
  v = e.op("strata.expand", v, {n.ints("shape", expanded)});
  return e.finish(e.op("strata.reshape", v,
                       {n.ints("shape", result), n.flag("allowzero", true)}));
}

/// Range of constant start, limit and delta: a constant.
LogicalResult importRange(NodeImporter &n) {
  static constexpr StringRef kNames[] = {"start", "limit", "delta"};
  SmallVector<double> bounds;
  for (auto [i, what] : llvm::enumerate(kNames)) {
    FailureOr<double> value = n.constantScalar(i, what);
    if (failed(value))
      return failure();
    if (!std::isfinite(*value))
      return n.error() << "input " << i << " (" << what << ") is not finite";
    bounds.push_back(*value);
  }
  Type element = elementTypeOf(n.input(0));
  double start = bounds[0], limit = bounds[1], delta = bounds[2];
  if (delta == 0)
    return n.error() << "delta must not be 0";
  double count = std::max(std::ceil((limit - start) / delta), 0.0);
  if (!(count <= (1 << 24)))
    return n.error() << "Range of " << count << " elements is too large";
  auto type = RankedTensorType::get({static_cast<int64_t>(count)}, element);
  SmallVector<Attribute> values;
  for (int64_t i = 0; i < type.getDimSize(0); ++i) {
    double v = start + i * delta;
    values.push_back(isa<FloatType>(element)
                         ? Attribute(n.builder.getFloatAttr(element, v))
                         : n.builder.getIntegerAttr(
                               element, static_cast<int64_t>(v)));
  }
  n.results.push_back(n.constant(DenseElementsAttr::get(type, values)));
  return success();
}

/// OneHot: compares the indices, wrapped into [0, depth), with a constant
/// iota along `axis` and selects values[1] or values[0].
LogicalResult importOneHot(NodeImporter &n) {
  FailureOr<Value> indices = n.required(0), values = n.required(2);
  FailureOr<double> depthValue = n.constantScalar(1, "depth");
  if (failed(indices) || failed(values) || failed(depthValue))
    return failure();
  // The one-hot iota is a constant of `depth` elements.
  if (!(*depthValue >= 1 && *depthValue <= (1 << 24)))
    return n.error() << "depth must be in [1, 2^24], got " << *depthValue;
  int64_t depth = static_cast<int64_t>(*depthValue);
  int64_t rank = typeOf(*indices).getRank() + 1;
  int64_t axis = n.getInt("axis", -1);
  if (axis < -rank || axis >= rank)
    return n.error() << "axis " << axis << " is out of range for rank "
                     << rank;
  if (axis < 0)
    axis += rank;
  Expr e(n);
  Type i64 = n.builder.getI64Type();
  Value index = *indices;
  index = e.castTo(index, i64);
  Value negative = e.op("strata.less", {index, e.scalar(index, 0)});
  index = e.op("strata.where",
               {negative, e.op("strata.add", {index, e.scalar(index, depth)}),
                index});
  SmallVector<int64_t> iotaShape(rank, 1), iota;
  iotaShape[axis] = depth;
  for (int64_t i = 0; i < depth; ++i)
    iota.push_back(i);
  Value iotaValue = n.constant(DenseElementsAttr::get(
      RankedTensorType::get(iotaShape, i64), ArrayRef<int64_t>(iota)));
  Value mask = e.op("strata.equal",
                    {e.op("strata.unsqueeze", index, {n.ints("axes", {axis})}),
                     iotaValue});
  Value off = e.op("strata.gather", {*values, e.scalar(iotaValue, 0)});
  Value on = e.op("strata.gather", {*values, e.scalar(iotaValue, 1)});
  return e.finish(e.op("strata.where", {mask, on, off}));
}

/// ScatterElements, its deprecated twin Scatter, and ScatterND.
LogicalResult importScatter(NodeImporter &n) {
  FailureOr<Value> data = n.required(0), indices = n.required(1),
                   updates = n.required(2);
  if (failed(data) || failed(indices) || failed(updates))
    return failure();
  SmallVector<NamedAttribute> attrs{n.named(
      "reduction", n.builder.getStringAttr(n.getString("reduction", "none")))};
  bool isND = n.node.op_type() == "ScatterND";
  if (!isND)
    attrs.push_back(n.i64("axis", n.getInt("axis", 0)));
  Expr e(n);
  return e.finish(e.op(isND ? "strata.scatter_nd" : "strata.scatter_elements",
                       {*data, *indices, *updates}, attrs));
}

LogicalResult importGatherND(NodeImporter &n) {
  FailureOr<Value> data = n.required(0), indices = n.required(1);
  if (failed(data) || failed(indices))
    return failure();
  Expr e(n);
  return e.finish(e.op("strata.gather_nd", {*data, *indices},
                       {n.i64("batch_dims", n.getInt("batch_dims", 0))}));
}

LogicalResult importTopK(NodeImporter &n) {
  FailureOr<Value> x = n.required(0);
  if (failed(x))
    return failure();
  int64_t k = n.getInt("k", 0);
  if (n.opset >= 10) {
    FailureOr<SmallVector<int64_t>> values = n.constantInts(1, "K");
    if (failed(values))
      return failure();
    if (values->size() != 1)
      return n.error() << "input 1 (K) must hold one value";
    k = values->front();
  }
  FailureOr<Value> values = n.create(
      "strata.topk", *x,
      {n.i64("k", k), n.i64("axis", n.getInt("axis", -1)),
       n.flag("largest", n.getInt("largest", 1) != 0),
       n.flag("sorted", n.getInt("sorted", 1) != 0)},
      /*resultType=*/{}, /*numResults=*/2);
  if (failed(values))
    return failure();
  n.results.push_back(*values);
  n.results.push_back(values->getDefiningOp()->getResult(1));
  return success();
}

/// HannWindow, HammingWindow and BlackmanWindow of a constant size: a
/// constant, from the cosine series of the ONNX definition.
LogicalResult importWindow(NodeImporter &n) {
  FailureOr<int64_t> size = n.constantCount(0, "size", /*positive=*/false);
  if (failed(size))
    return failure();
  FailureOr<Type> element = n.floatOutputDatatype();
  if (failed(element))
    return failure();
  int64_t count = *size;
  StringRef op = n.node.op_type();
  double a0 = op == "HannWindow"      ? 0.5
              : op == "HammingWindow" ? 25.0 / 46
                                      : 0.42;
  double a1 = op == "BlackmanWindow" ? 0.5 : 1 - a0;
  double a2 = op == "BlackmanWindow" ? 0.08 : 0;
  double period = n.getInt("periodic", 1) ? count : count - 1;
  SmallVector<Attribute> values;
  for (int64_t i = 0; i < count; ++i) {
    double angle = 2 * M_PI * i / period;
    values.push_back(n.builder.getFloatAttr(
        *element, a0 - a1 * std::cos(angle) + a2 * std::cos(2 * angle)));
  }
  n.results.push_back(n.constant(
      DenseElementsAttr::get(RankedTensorType::get({count}, *element), values)));
  return success();
}

/// ReverseSequence with constant lengths: a gather along the time axis whose
/// constant indices reverse the first `length[b]` steps of each batch entry.
LogicalResult importReverseSequence(NodeImporter &n) {
  FailureOr<Value> x = n.required(0);
  FailureOr<SmallVector<int64_t>> lengths = n.constantInts(1, "sequence_lens");
  if (failed(x) || failed(lengths))
    return failure();
  RankedTensorType type = typeOf(*x);
  int64_t timeAxis = n.getInt("time_axis", 0), batchAxis = n.getInt("batch_axis", 1);
  if (!type.hasStaticShape() || type.getRank() < 2 ||
      !((timeAxis == 0 && batchAxis == 1) || (timeAxis == 1 && batchAxis == 0)))
    return n.unsupported("ReverseSequence of a dynamic shape or with axes "
                         "other than 0 and 1 is");
  int64_t steps = type.getDimSize(timeAxis), batch = type.getDimSize(batchAxis);
  if (static_cast<int64_t>(lengths->size()) != batch)
    return n.error() << "sequence_lens has " << lengths->size()
                     << " entries for a batch of " << batch;
  SmallVector<int64_t> indices;
  int64_t inner = type.getNumElements() / (steps * batch);
  for (int64_t i = 0; i < steps * batch; ++i) {
    int64_t t = timeAxis == 0 ? i / batch : i % steps;
    int64_t b = timeAxis == 0 ? i % batch : i / steps;
    int64_t length = (*lengths)[b];
    if (length < 0 || length > steps)
      return n.error() << "sequence length " << length << " is not in [0, "
                       << steps << "]";
    indices.append(inner, t < length ? length - 1 - t : t);
  }
  Value indexValue = n.constant(DenseElementsAttr::get(
      RankedTensorType::get(type.getShape(), n.builder.getI64Type()),
      ArrayRef<int64_t>(indices)));
  Expr e(n);
  return e.finish(e.op("strata.gather_elements", {*x, indexValue},
                       {n.i64("axis", timeAxis)}));
}

LogicalResult importTranspose(NodeImporter &n) {
  FailureOr<Value> x = n.required(0);
  if (failed(x))
    return failure();
  SmallVector<int64_t> perm = n.getInts("perm");
  if (!n.hasAttr("perm"))
    for (int64_t i = typeOf(*x).getRank() - 1; i >= 0; --i)
      perm.push_back(i);
  Expr e(n);
  return e.finish(e.op("strata.transpose", *x, {n.ints("perm", perm)}));
}

LogicalResult importExpand(NodeImporter &n) {
  FailureOr<Value> x = n.required(0);
  FailureOr<SmallVector<int64_t>> shape = n.constantInts(1, "shape");
  if (failed(x) || failed(shape))
    return failure();
  Expr e(n);
  return e.finish(e.op("strata.expand", *x, {n.ints("shape", *shape)}));
}

LogicalResult importPad(NodeImporter &n) {
  FailureOr<Value> x = n.required(0);
  if (failed(x))
    return failure();
  SmallVector<int64_t> pads;
  double value = 0;
  if (n.opset < 11) {
    pads = n.getInts(n.opset < 2 ? "paddings" : "pads");
    value = n.getFloat("value", 0);
  } else {
    FailureOr<SmallVector<int64_t>> p = n.constantInts(1, "pads");
    if (failed(p))
      return failure();
    pads = *p;
    if (n.input(2)) {
      FailureOr<double> c = n.constantScalar(2, "constant_value");
      if (failed(c))
        return failure();
      value = *c;
    }
  }
  std::string mode = n.getString("mode", "constant");
  Expr e(n);
  return e.finish(e.op("strata.pad", *x,
                       {n.ints("pads", pads),
                        n.named("mode", n.builder.getStringAttr(mode)),
                        n.f64("value", value)}));
}
LogicalResult importNonZero(NodeImporter &n) {
  FailureOr<Value> x = n.required(0);
  if (failed(x))
    return failure();
  Expr e(n);
  return e.finish(e.op("strata.non_zero", *x));
}

/// Compress: a gather of the positions where the condition holds, along
/// `axis` or, without one, over the flattened input.
LogicalResult importCompress(NodeImporter &n) {
  FailureOr<Value> x = n.required(0), condition = n.required(1);
  if (failed(x) || failed(condition))
    return failure();
  if (typeOf(*condition).getRank() != 1 ||
      !elementTypeOf(*condition).isInteger(1))
    return n.error() << "input 1 (condition) must be a 1-D bool tensor, got "
                     << condition->getType();
  Expr e(n);
  Value data = *x;
  if (!n.hasAttr("axis"))
    data = e.op("strata.reshape", data, {n.ints("shape", {-1})});
  Value positions = e.op("strata.squeeze", e.op("strata.non_zero", *condition),
                         {n.ints("axes", {0})});
  return e.finish(e.op("strata.gather", {data, positions},
                       {n.i64("axis", n.getInt("axis", 0))}));
}

LogicalResult importUnique(NodeImporter &n) {
  FailureOr<Value> x = n.required(0);
  if (failed(x))
    return failure();
  SmallVector<NamedAttribute> attrs{
      n.flag("sorted", n.getInt("sorted", 1) != 0)};
  if (n.hasAttr("axis"))
    attrs.push_back(n.i64("axis", n.getInt("axis", 0)));
  FailureOr<Value> output =
      n.create("strata.unique", *x, attrs, /*resultType=*/{}, /*numResults=*/4);
  if (failed(output))
    return failure();
  llvm::append_range(n.results, output->getDefiningOp()->getResults());
  return success();
}
} // namespace

void mlir::strata::onnx_import::registerTensorOps(OpTable &table) {
  table["Constant"] = importConstant;
  table["Shape"] = importShape;
  table["Size"] = importSize;
  table["ConstantOfShape"] = importConstantOfShape;
  table["Reshape"] = importReshape;
  table["Flatten"] = importFlatten;
  table["Squeeze"] = importSqueeze;
  table["Unsqueeze"] = importUnsqueeze;
  table["Concat"] = importConcat;
  table["Slice"] = importSlice;
  table["Gather"] = importGather;
  table["GatherElements"] = importGatherElements;
  table["Split"] = importSplit;
  table["Trilu"] = importTrilu;
  table["DepthToSpace"] = importDepthToSpace;
  table["SpaceToDepth"] = importSpaceToDepth;
  table["EyeLike"] = importEyeLike;
  table["Tile"] = importTile;
  table["Range"] = importRange;
  table["OneHot"] = importOneHot;
  table["ScatterElements"] = importScatter;
  table["Scatter"] = importScatter;
  table["ScatterND"] = importScatter;
  table["GatherND"] = importGatherND;
  table["TopK"] = importTopK;
  table["HannWindow"] = importWindow;
  table["HammingWindow"] = importWindow;
  table["BlackmanWindow"] = importWindow;
  table["ReverseSequence"] = importReverseSequence;
  table["Transpose"] = importTranspose;
  table["Expand"] = importExpand;
  table["Pad"] = importPad;
  table["NonZero"] = importNonZero;
  table["Compress"] = importCompress;
  table["Unique"] = importUnique;
}

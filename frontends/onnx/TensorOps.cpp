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

using namespace mlir;
using namespace mlir::strata::onnx_import;

namespace {
RankedTensorType typeOf(Value v) { return cast<RankedTensorType>(v.getType()); }

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
      FailureOr<DenseElementsAttr> c = n.constantInput(2, "constant_value");
      if (failed(c))
        return failure();
      if (c->getNumElements() != 1)
        return n.error() << "constant_value must hold one element";
      value = isa<FloatType>(c->getElementType())
                  ? c->getValues<APFloat>()[0].convertToDouble()
                  : static_cast<double>(c->getValues<APInt>()[0].getSExtValue());
    }
  }
  std::string mode = n.getString("mode", "constant");
  Expr e(n);
  return e.finish(e.op("strata.pad", *x,
                       {n.ints("pads", pads),
                        n.named("mode", n.builder.getStringAttr(mode)),
                        n.f64("value", value)}));
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
  table["Transpose"] = importTranspose;
  table["Expand"] = importExpand;
  table["Pad"] = importPad;
}

//===- QuantizationOps.cpp - ONNX linear quantization to strata ----------===//
//
// QuantizeLinear, DequantizeLinear, DynamicQuantizeLinear, MatMulInteger,
// QLinearMatMul, ConvInteger and QLinearConv, written out with the formulas of the ONNX spec: scales and
// zero points are ordinary tensors, per-axis ones broadcast along `axis`.
//
//===----------------------------------------------------------------------===//

#include "frontends/onnx/NodeImporter.h"

#include "onnx/onnx_pb.h"

using namespace mlir;
using namespace mlir::strata::onnx_import;

namespace {
/// A 1-D per-axis scale or zero point reshaped to broadcast along `axis` of
/// a rank-`rank` value; scalars pass through.
Value alongAxis(Expr &e, NodeImporter &n, Value v, int64_t rank) {
  if (!v || typeOf(v).getRank() != 1 || rank <= 1)
    return v;
  int64_t axis = n.getInt("axis", 1);
  if (axis < 0)
    axis += rank;
  SmallVector<int64_t> trailing;
  for (int64_t i = 1; i < rank - axis; ++i)
    trailing.push_back(i);
  if (trailing.empty())
    return v;
  return e.op("strata.unsqueeze", v, {n.ints("axes", trailing)});
}

/// saturate(round(x / scale) + zeroPoint) in the zero point's type.
Value quantize(Expr &e, NodeImporter &n, Value x, Value scale, Value zeroPoint,
               Type target) {
  auto intType = cast<IntegerType>(target);
  unsigned width = intType.getWidth();
  double low = intType.isUnsigned() ? 0 : -std::ldexp(1.0, width - 1);
  double high = intType.isUnsigned() ? std::ldexp(1.0, width) - 1
                                     : std::ldexp(1.0, width - 1) - 1;
  Type floatType = elementTypeOf(x);
  Value q = e.op("strata.round", e.op("strata.div", {x, scale}));
  if (zeroPoint)
    q = e.op("strata.add", {q, e.castTo(zeroPoint, floatType)});
  q = e.op("strata.clip", q, {n.f64("min", low), n.f64("max", high)});
  return e.castTo(q, target);
}

LogicalResult importQuantize(NodeImporter &n) {
  FailureOr<Value> x = n.required(0), scale = n.required(1);
  if (failed(x) || failed(scale))
    return failure();
  Expr e(n);
  int64_t rank = typeOf(*x).getRank();
  Value zeroPoint = alongAxis(e, n, n.input(2), rank);
  Type target = zeroPoint ? elementTypeOf(zeroPoint)
                          : IntegerType::get(n.context, 8,
                                             IntegerType::Unsigned);
  if (!isa<IntegerType>(target))
    return n.unsupported("quantizing to " + n.node.input(2) + "'s type is");
  return e.finish(quantize(e, n, *x, alongAxis(e, n, *scale, rank), zeroPoint,
                           target));
}

LogicalResult importDequantize(NodeImporter &n) {
  FailureOr<Value> x = n.required(0), scale = n.required(1);
  if (failed(x) || failed(scale))
    return failure();
  Expr e(n);
  int64_t rank = typeOf(*x).getRank();
  Type floatType = elementTypeOf(*scale);
  Value value = e.castTo(*x, floatType);
  if (Value zeroPoint = alongAxis(e, n, n.input(2), rank))
    value = e.op("strata.sub", {value, e.castTo(zeroPoint, floatType)});
  return e.finish(e.op("strata.mul", {value, alongAxis(e, n, *scale, rank)}));
}

LogicalResult importDynamicQuantize(NodeImporter &n) {
  FailureOr<Value> x = n.required(0);
  if (failed(x))
    return failure();
  Expr e(n);
  NamedAttribute all = n.flag("keepdims", false);
  Value zero = e.scalar(*x, 0);
  Value low = e.op("strata.min", {e.op("strata.reduce_min", *x, {all}), zero});
  Value high = e.op("strata.max", {e.op("strata.reduce_max", *x, {all}), zero});
  Value scale = e.op("strata.div", {e.op("strata.sub", {high, low}),
                                    e.scalar(*x, 255)});
  Type u8 = IntegerType::get(n.context, 8, IntegerType::Unsigned);
  Value zeroPoint = quantize(e, n, e.op("strata.neg", low), scale, {}, u8);
  Value y = quantize(e, n, *x, scale, zeroPoint, u8);
  for (Value result : {y, scale, zeroPoint})
    if (failed(e.finish(result)))
      return failure();
  return success();
}

/// (A - a_zero_point) @ (B - b_zero_point) in i32; a per-row zero point of A
/// becomes a column.
LogicalResult importMatMulInteger(NodeImporter &n) {
  FailureOr<Value> a = n.required(0), b = n.required(1);
  if (failed(a) || failed(b))
    return failure();
  Expr e(n);
  Type i32 = n.builder.getI32Type();
  Value lhs = e.castTo(*a, i32), rhs = e.castTo(*b, i32);
  if (Value za = n.input(2)) {
    za = e.castTo(za, i32);
    if (typeOf(za).getRank() == 1)
      za = e.op("strata.unsqueeze", za, {n.ints("axes", {1})});
    lhs = e.op("strata.sub", {lhs, za});
  }
  if (Value zb = n.input(3))
    rhs = e.op("strata.sub", {rhs, e.castTo(zb, i32)});
  return e.finish(e.op("strata.matmul", {lhs, rhs}));
}

/// `v - zeroPoint` in i32; a per-channel zero point of a weight runs along
/// its first dimension.
Value minusZeroPoint(Expr &e, NodeImporter &n, Value v, Value zeroPoint,
                     bool perOutputChannel) {
  Type i32 = n.builder.getI32Type();
  Value value = e.castTo(v, i32);
  if (!zeroPoint)
    return value;
  zeroPoint = e.castTo(zeroPoint, i32);
  if (perOutputChannel && typeOf(zeroPoint).getRank() == 1) {
    SmallVector<int64_t> trailing;
    for (int64_t i = 1; i < typeOf(v).getRank(); ++i)
      trailing.push_back(i);
    zeroPoint = e.op("strata.unsqueeze", zeroPoint, {n.ints("axes", trailing)});
  }
  return e.op("strata.sub", {value, zeroPoint});
}

/// The strata convolution of an integer Conv node, accumulating in i32.
Value integerConv(Expr &e, NodeImporter &n, Value x, Value xZero, Value w,
                  Value wZero, Value bias) {
  int64_t rank = typeOf(x).getRank();
  if (rank != 4) {
    (void)n.unsupported("integer convolution of a rank-" + Twine(rank) +
                        " input is");
    return {};
  }
  if (n.getString("auto_pad", "NOTSET") != "NOTSET") {
    (void)n.unsupported("auto_pad on an integer convolution is");
    return {};
  }
  SmallVector<Value> operands{minusZeroPoint(e, n, x, xZero, false),
                              minusZeroPoint(e, n, w, wZero, true)};
  if (bias)
    operands.push_back(bias);
  auto orDefault = [&](StringRef name, SmallVector<int64_t> fallback) {
    SmallVector<int64_t> v = n.getInts(name);
    return v.empty() ? fallback : v;
  };
  return e.op("strata.conv2d", operands,
              {n.ints("strides", orDefault("strides", {1, 1})),
               n.ints("pads", orDefault("pads", {0, 0, 0, 0})),
               n.ints("dilations", orDefault("dilations", {1, 1})),
               n.i64("group", n.getInt("group", 1))});
}

LogicalResult importConvInteger(NodeImporter &n) {
  FailureOr<Value> x = n.required(0), w = n.required(1);
  if (failed(x) || failed(w))
    return failure();
  Expr e(n);
  return e.finish(integerConv(e, n, *x, n.input(2), *w, n.input(3), {}));
}

/// QLinearConv: integer convolution, then requantization with
/// x_scale * w_scale / y_scale (per output channel when w_scale is).
LogicalResult importQLinearConv(NodeImporter &n) {
  for (int i = 0; i < 8; ++i)
    if (failed(n.required(i)))
      return failure();
  Expr e(n);
  Value acc = integerConv(e, n, n.input(0), n.input(2), n.input(3),
                          n.input(5), n.input(8));
  Value xScale = n.input(1), wScale = n.input(4), yScale = n.input(6);
  if (wScale && typeOf(wScale).getRank() == 1)
    wScale = e.op("strata.unsqueeze", wScale, {n.ints("axes", {1, 2})});
  Value scale = e.op("strata.div", {e.op("strata.mul", {xScale, wScale}),
                                    yScale});
  Value real = e.op("strata.mul",
                    {e.castTo(acc, elementTypeOf(xScale)), scale});
  Value one = e.scalar(real, 1.0);
  return e.finish(quantize(e, n, real, one, n.input(7),
                           elementTypeOf(n.input(7))));
}

/// Dequantize both operands, multiply in f32, quantize the result.
LogicalResult importQLinearMatMul(NodeImporter &n) {
  for (int i = 0; i < 8; ++i)
    if (failed(n.required(i)))
      return failure();
  Expr e(n);
  auto dequantize = [&](Value v, Value scale, Value zeroPoint, bool perRow) {
    // A's per-row scale and zero point are [M]: make them a column.
    if (perRow) {
      auto column = [&](Value p) {
        return typeOf(p).getRank() == 1
                   ? e.op("strata.unsqueeze", p, {n.ints("axes", {1})})
                   : p;
      };
      scale = column(scale);
      zeroPoint = column(zeroPoint);
    }
    Type f32 = elementTypeOf(scale);
    return e.op("strata.mul", {e.op("strata.sub", {e.castTo(v, f32),
                                                   e.castTo(zeroPoint, f32)}),
                               scale});
  };
  Value product =
      e.op("strata.matmul",
           {dequantize(n.input(0), n.input(1), n.input(2), /*perRow=*/true),
            dequantize(n.input(3), n.input(4), n.input(5), /*perRow=*/false)});
  return e.finish(quantize(e, n, product, n.input(6), n.input(7),
                           elementTypeOf(n.input(7))));
}
} // namespace

void mlir::strata::onnx_import::registerQuantizationOps(OpTable &table) {
  table["QuantizeLinear"] = importQuantize;
  table["DequantizeLinear"] = importDequantize;
  table["DynamicQuantizeLinear"] = importDynamicQuantize;
  table["MatMulInteger"] = importMatMulInteger;
  table["ConvInteger"] = importConvInteger;
  table["QLinearConv"] = importQLinearConv;
  table["QLinearMatMul"] = importQLinearMatMul;
}

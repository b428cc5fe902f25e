//===- ElementwiseOps.cpp - ONNX elementwise ops to strata ----------------===//
//
// Unary and binary math, comparisons, Where, Clip, Cast, and the activation
// functions ONNX defines as formulas (LeakyRelu, Elu, HardSigmoid, ...),
// which are built from strata ops exactly as the ONNX spec writes them.
//
//===----------------------------------------------------------------------===//

#include "frontends/onnx/NodeImporter.h"
#include "frontends/onnx/Tensors.h"

#include "mlir/IR/Matchers.h"

#include "onnx/onnx_pb.h"

using namespace mlir;
using namespace mlir::strata::onnx_import;

namespace {
/// Before opset 7, `broadcast = 1` with `axis` aligns B's dimensions at A's
/// `axis` rather than at the end; unsqueezing B's trailing side turns that
/// into numpy's rule.
Value legacyBroadcast(NodeImporter &n, Expr &e, Value a, Value b) {
  if (n.opset >= 7 || !n.hasAttr("axis") || n.getInt("broadcast", 0) == 0)
    return b;
  int64_t rankA = cast<RankedTensorType>(a.getType()).getRank();
  int64_t rankB = cast<RankedTensorType>(b.getType()).getRank();
  int64_t axis = n.getInt("axis", 0);
  if (axis < 0)
    axis += rankA;
  SmallVector<int64_t> trailing;
  for (int64_t i = rankB; i < rankA - axis; ++i)
    trailing.push_back(i);
  if (trailing.empty())
    return b;
  return e.op("strata.unsqueeze", b, {n.ints("axes", trailing)});
}

template <const char *OpName>
LogicalResult unary(NodeImporter &n) {
  FailureOr<Value> x = n.required(0);
  if (failed(x))
    return failure();
  Expr e(n);
  return e.finish(e.op(OpName, *x));
}

template <const char *OpName>
LogicalResult binary(NodeImporter &n) {
  FailureOr<Value> a = n.required(0), b = n.required(1);
  if (failed(a) || failed(b))
    return failure();
  Expr e(n);
  return e.finish(e.op(OpName, {*a, legacyBroadcast(n, e, *a, *b)}));
}

/// Max, Min, Sum: a left fold over any number of inputs.
template <const char *OpName>
LogicalResult variadic(NodeImporter &n) {
  FailureOr<Value> first = n.required(0);
  if (failed(first))
    return failure();
  Expr e(n);
  Value acc = *first;
  for (size_t i = 1; i < n.numInputs(); ++i) {
    FailureOr<Value> next = n.required(i);
    if (failed(next))
      return failure();
    acc = e.op(OpName, {acc, *next});
  }
  return e.finish(acc);
}

constexpr char kAbs[] = "strata.abs", kNeg[] = "strata.neg",
               kRelu[] = "strata.relu", kExp[] = "strata.exp",
               kLog[] = "strata.log", kSqrt[] = "strata.sqrt",
               kTanh[] = "strata.tanh", kSigmoid[] = "strata.sigmoid",
               kErf[] = "strata.erf", kAdd[] = "strata.add",
               kSub[] = "strata.sub", kMul[] = "strata.mul",
               kDiv[] = "strata.div", kMax[] = "strata.max",
               kMin[] = "strata.min", kEqual[] = "strata.equal",
               kGreater[] = "strata.greater",
               kGreaterEqual[] = "strata.greater_equal",
               kLess[] = "strata.less", kLessEqual[] = "strata.less_equal",
               kFloor[] = "strata.floor", kCeil[] = "strata.ceil",
               kRound[] = "strata.round", kSign[] = "strata.sign",
               kSin[] = "strata.sin", kCos[] = "strata.cos",
               kTan[] = "strata.tan", kAsin[] = "strata.asin",
               kAcos[] = "strata.acos", kAtan[] = "strata.atan",
               kSinh[] = "strata.sinh", kCosh[] = "strata.cosh",
               kAsinh[] = "strata.asinh", kAcosh[] = "strata.acosh",
               kAtanh[] = "strata.atanh", kNot[] = "strata.not",
               kIsNaN[] = "strata.is_nan", kAnd[] = "strata.and",
               kOr[] = "strata.or", kXor[] = "strata.xor";

LogicalResult importIsInf(NodeImporter &n) {
  FailureOr<Value> x = n.required(0);
  if (failed(x))
    return failure();
  Expr e(n);
  return e.finish(e.op(
      "strata.is_inf", *x,
      {n.flag("detect_positive", n.getInt("detect_positive", 1) != 0),
       n.flag("detect_negative", n.getInt("detect_negative", 1) != 0)}));
}

LogicalResult importMod(NodeImporter &n) {
  FailureOr<Value> a = n.required(0), b = n.required(1);
  if (failed(a) || failed(b))
    return failure();
  Expr e(n);
  return e.finish(e.op("strata.mod", {*a, *b},
                       {n.flag("fmod", n.getInt("fmod", 0) != 0)}));
}

LogicalResult importBitShift(NodeImporter &n) {
  FailureOr<Value> a = n.required(0), b = n.required(1);
  if (failed(a) || failed(b))
    return failure();
  std::string direction = n.getString("direction", "");
  if (direction != "LEFT" && direction != "RIGHT")
    return n.error() << "attribute 'direction' must be LEFT or RIGHT, got '"
                     << direction << "'";
  Expr e(n);
  return e.finish(e.op("strata.bit_shift", {*a, *b},
                       {n.named("direction", n.builder.getStringAttr(
                                                 direction == "LEFT" ? "left"
                                                                     : "right"))}));
}

LogicalResult importIdentity(NodeImporter &n) {
  FailureOr<Value> x = n.required(0);
  if (failed(x))
    return failure();
  n.results.push_back(*x);
  return success();
}

LogicalResult importMean(NodeImporter &n) {
  if (failed(variadic<kAdd>(n)))
    return failure();
  Expr e(n);
  Value sum = n.results.pop_back_val();
  return e.finish(e.op(kDiv, {sum, e.scalar(sum, n.numInputs())}));
}

LogicalResult importPow(NodeImporter &n) {
  FailureOr<Value> base = n.required(0), exponent = n.required(1);
  if (failed(base) || failed(exponent))
    return failure();
  Expr e(n);
  Value exp = legacyBroadcast(n, e, *base, *exponent);
  // ONNX lets the types differ. A float exponent on an integer base is
  // computed in float and truncated back, as the reference does; otherwise
  // the exponent takes the base's type.
  Type baseType = elementTypeOf(*base);
  if (exp && isa<FloatType>(elementTypeOf(exp)) && !isa<FloatType>(baseType))
    return e.finish(e.castTo(
        e.op("strata.pow", {e.castTo(*base, elementTypeOf(exp)), exp}),
        baseType));
  exp = e.castTo(exp, baseType);
  return e.finish(e.op("strata.pow", {*base, exp}));
}

LogicalResult importReciprocal(NodeImporter &n) {
  FailureOr<Value> x = n.required(0);
  if (failed(x))
    return failure();
  Expr e(n);
  return e.finish(e.op(kDiv, {e.scalar(*x, 1.0), *x}));
}

LogicalResult importWhere(NodeImporter &n) {
  FailureOr<Value> c = n.required(0), x = n.required(1), y = n.required(2);
  if (failed(c) || failed(x) || failed(y))
    return failure();
  Expr e(n);
  return e.finish(e.op("strata.where", {*c, *x, *y}));
}

LogicalResult importClip(NodeImporter &n) {
  FailureOr<Value> x = n.required(0);
  if (failed(x))
    return failure();
  Expr e(n);
  if (n.opset < 11) {
    SmallVector<NamedAttribute> bounds;
    for (StringRef name : {"min", "max"})
      if (n.hasAttr(name))
        bounds.push_back(n.f64(name, n.getFloat(name, 0)));
    return e.finish(e.op("strata.clip", *x, bounds));
  }
  // Bounds are optional inputs; constant ones become attributes, others
  // max/min ops.
  Value result = *x;
  SmallVector<NamedAttribute> bounds;
  for (auto [i, name, op] : {std::tuple<size_t, StringRef, StringRef>{
                                 1, "min", kMax},
                             {2, "max", kMin}}) {
    Value bound = n.input(i);
    if (!bound)
      continue;
    DenseElementsAttr value;
    if (matchPattern(bound, m_Constant(&value)) && value.isSplat() &&
        value.getType().getRank() == 0) {
      bounds.push_back(n.f64(name, toDouble(value)));
    } else {
      result = e.op(op, {result, bound});
    }
  }
  if (!bounds.empty())
    result = e.op("strata.clip", result, bounds);
  return e.finish(result);
}

LogicalResult importCast(NodeImporter &n) {
  FailureOr<Value> x = n.required(0);
  if (failed(x))
    return failure();
  llvm::Expected<Type> to = convertElementType(n.getInt("to", 0), n.context);
  if (!to)
    return n.unsupported("cast to " + llvm::toString(to.takeError()) +
                         "; this cast is");
  Expr e(n);
  return e.finish(e.castTo(*x, *to));
}

LogicalResult importCastLike(NodeImporter &n) {
  FailureOr<Value> x = n.required(0), like = n.required(1);
  if (failed(x) || failed(like))
    return failure();
  Expr e(n);
  return e.finish(e.castTo(*x, elementTypeOf(*like)));
}

//===----------------------------------------------------------------------===//
// Activations defined by formulas
//===----------------------------------------------------------------------===//

LogicalResult importLeakyRelu(NodeImporter &n) {
  FailureOr<Value> x = n.required(0);
  if (failed(x))
    return failure();
  Expr e(n);
  Value negative = e.op(kLess, {*x, e.scalar(*x, 0)});
  Value scaled = e.op(kMul, {*x, e.scalar(*x, n.getFloat("alpha", 0.01f))});
  return e.finish(e.op("strata.where", {negative, scaled, *x}));
}

LogicalResult importPRelu(NodeImporter &n) {
  FailureOr<Value> x = n.required(0), slope = n.required(1);
  if (failed(x) || failed(slope))
    return failure();
  Expr e(n);
  // Before opset 7 a 1-D slope runs along the channel dimension.
  int64_t rank = cast<RankedTensorType>(x->getType()).getRank();
  if (n.opset < 7 && rank > 2 &&
      cast<RankedTensorType>(slope->getType()).getRank() == 1) {
    SmallVector<int64_t> trailing;
    for (int64_t i = 1; i < rank - 1; ++i)
      trailing.push_back(i);
    *slope = e.op("strata.unsqueeze", *slope, {n.ints("axes", trailing)});
  }
  Value negative = e.op(kLess, {*x, e.scalar(*x, 0)});
  return e.finish(
      e.op("strata.where", {negative, e.op(kMul, {*x, *slope}), *x}));
}

LogicalResult importElu(NodeImporter &n) {
  FailureOr<Value> x = n.required(0);
  if (failed(x))
    return failure();
  Expr e(n);
  Value expm1 = e.op(kSub, {e.op(kExp, *x), e.scalar(*x, 1)});
  Value negative = e.op(kMul, {expm1, e.scalar(*x, n.getFloat("alpha", 1.0f))});
  Value isNegative = e.op(kLess, {*x, e.scalar(*x, 0)});
  return e.finish(e.op("strata.where", {isNegative, negative, *x}));
}

LogicalResult importSelu(NodeImporter &n) {
  FailureOr<Value> x = n.required(0);
  if (failed(x))
    return failure();
  Expr e(n);
  float alpha = n.getFloat("alpha", 1.67326319217681884765625f);
  float gamma = n.getFloat("gamma", 1.05070102214813232421875f);
  Value negative = e.op(kSub, {e.op(kMul, {e.op(kExp, *x), e.scalar(*x, alpha)}),
                               e.scalar(*x, alpha)});
  Value isPositive = e.op(kGreater, {*x, e.scalar(*x, 0)});
  Value selected = e.op("strata.where", {isPositive, *x, negative});
  return e.finish(e.op(kMul, {selected, e.scalar(*x, gamma)}));
}

LogicalResult importCelu(NodeImporter &n) {
  FailureOr<Value> x = n.required(0);
  if (failed(x))
    return failure();
  Expr e(n);
  Value alpha = e.scalar(*x, n.getFloat("alpha", 1.0f));
  Value expm1 = e.op(kSub, {e.op(kExp, e.op(kDiv, {*x, alpha})),
                            e.scalar(*x, 1)});
  Value negative = e.op(kMin, {e.scalar(*x, 0), e.op(kMul, {alpha, expm1})});
  return e.finish(e.op(kAdd, {e.op(kMax, {e.scalar(*x, 0), *x}), negative}));
}

/// max(0, min(1, alpha * x + beta)).
Value hardSigmoid(Expr &e, Value x, double alpha, double beta) {
  Value linear = e.op(kAdd, {e.op(kMul, {x, e.scalar(x, alpha)}),
                             e.scalar(x, beta)});
  return e.op(kMax, {e.op(kMin, {linear, e.scalar(x, 1)}), e.scalar(x, 0)});
}

LogicalResult importHardSigmoid(NodeImporter &n) {
  FailureOr<Value> x = n.required(0);
  if (failed(x))
    return failure();
  Expr e(n);
  return e.finish(hardSigmoid(e, *x, n.getFloat("alpha", 0.2f),
                              n.getFloat("beta", 0.5f)));
}

LogicalResult importHardSwish(NodeImporter &n) {
  FailureOr<Value> x = n.required(0);
  if (failed(x))
    return failure();
  Expr e(n);
  return e.finish(e.op(kMul, {*x, hardSigmoid(e, *x, 1.0 / 6, 0.5)}));
}

LogicalResult importSoftplus(NodeImporter &n) {
  FailureOr<Value> x = n.required(0);
  if (failed(x))
    return failure();
  Expr e(n);
  return e.finish(e.op(kLog, e.op(kAdd, {e.op(kExp, *x), e.scalar(*x, 1)})));
}

LogicalResult importSoftsign(NodeImporter &n) {
  FailureOr<Value> x = n.required(0);
  if (failed(x))
    return failure();
  Expr e(n);
  return e.finish(
      e.op(kDiv, {*x, e.op(kAdd, {e.op(kAbs, *x), e.scalar(*x, 1)})}));
}

LogicalResult importThresholdedRelu(NodeImporter &n) {
  FailureOr<Value> x = n.required(0);
  if (failed(x))
    return failure();
  Expr e(n);
  Value above = e.op(kGreater, {*x, e.scalar(*x, n.getFloat("alpha", 1.0f))});
  return e.finish(e.op("strata.where", {above, *x, e.scalar(*x, 0)}));
}

LogicalResult importShrink(NodeImporter &n) {
  FailureOr<Value> x = n.required(0);
  if (failed(x))
    return failure();
  Expr e(n);
  float lambd = n.getFloat("lambd", 0.5f), bias = n.getFloat("bias", 0.0f);
  Value below = e.op(kLess, {*x, e.scalar(*x, -lambd)});
  Value above = e.op(kGreater, {*x, e.scalar(*x, lambd)});
  Value upper = e.op("strata.where", {above, e.op(kSub, {*x, e.scalar(*x, bias)}),
                                      e.scalar(*x, 0)});
  return e.finish(e.op("strata.where",
                       {below, e.op(kAdd, {*x, e.scalar(*x, bias)}), upper}));
}
/// The element type a random op yields: `dtype` when given, else `input`'s.
FailureOr<Type> randomElementType(NodeImporter &n, Value input) {
  if (!n.hasAttr("dtype"))
    return elementTypeOf(input);
  llvm::Expected<Type> element =
      convertElementType(n.getInt("dtype", 0), n.context);
  if (!element)
    return n.error() << "dtype: " << llvm::toString(element.takeError());
  return *element;
}

SmallVector<NamedAttribute> randomAttrs(NodeImporter &n, Type element) {
  SmallVector<NamedAttribute> attrs{
      n.named("dtype", TypeAttr::get(element)),
      n.f64("low", n.getFloat("low", 0)), n.f64("high", n.getFloat("high", 1))};
  if (n.hasAttr("seed"))
    attrs.push_back(n.f64("seed", n.getFloat("seed", 0)));
  return attrs;
}

LogicalResult importRandomUniformLike(NodeImporter &n) {
  FailureOr<Value> x = n.required(0);
  if (failed(x))
    return failure();
  FailureOr<Type> element = randomElementType(n, *x);
  if (failed(element))
    return failure();
  if (!isa<FloatType>(*element))
    return n.unsupported("a non-float dtype is");
  Expr e(n);
  return e.finish(
      e.op("strata.random_uniform_like", *x, randomAttrs(n, *element)));
}

/// Bernoulli: 1 where a uniform draw in [0, 1) falls below the probability.
LogicalResult importBernoulli(NodeImporter &n) {
  FailureOr<Value> p = n.required(0);
  if (failed(p))
    return failure();
  if (!isa<FloatType>(elementTypeOf(*p)))
    return n.error() << "input 0 (input) must hold float probabilities";
  FailureOr<Type> element = randomElementType(n, *p);
  if (failed(element))
    return failure();
  Expr e(n);
  Value draw = e.op("strata.random_uniform_like", *p,
                    randomAttrs(n, elementTypeOf(*p)));
  return e.finish(e.castTo(e.op("strata.less", {draw, *p}), *element));
}
} // namespace

void mlir::strata::onnx_import::registerElementwiseOps(OpTable &table) {
  table["Abs"] = unary<kAbs>;
  table["Neg"] = unary<kNeg>;
  table["Relu"] = unary<kRelu>;
  table["Exp"] = unary<kExp>;
  table["Log"] = unary<kLog>;
  table["Sqrt"] = unary<kSqrt>;
  table["Tanh"] = unary<kTanh>;
  table["Sigmoid"] = unary<kSigmoid>;
  table["Erf"] = unary<kErf>;
  table["Floor"] = unary<kFloor>;
  table["Ceil"] = unary<kCeil>;
  table["Round"] = unary<kRound>;
  table["Sign"] = unary<kSign>;
  table["Sin"] = unary<kSin>;
  table["Cos"] = unary<kCos>;
  table["Tan"] = unary<kTan>;
  table["Asin"] = unary<kAsin>;
  table["Acos"] = unary<kAcos>;
  table["Atan"] = unary<kAtan>;
  table["Sinh"] = unary<kSinh>;
  table["Cosh"] = unary<kCosh>;
  table["Asinh"] = unary<kAsinh>;
  table["Acosh"] = unary<kAcosh>;
  table["Atanh"] = unary<kAtanh>;
  table["Not"] = unary<kNot>;
  table["IsNaN"] = unary<kIsNaN>;
  table["IsInf"] = importIsInf;
  table["And"] = binary<kAnd>;
  table["Or"] = binary<kOr>;
  table["Xor"] = binary<kXor>;
  table["Mod"] = importMod;
  table["BitShift"] = importBitShift;
  table["Identity"] = importIdentity;
  table["Reciprocal"] = importReciprocal;
  table["Add"] = binary<kAdd>;
  table["Sub"] = binary<kSub>;
  table["Mul"] = binary<kMul>;
  table["Div"] = binary<kDiv>;
  table["Pow"] = importPow;
  table["Max"] = variadic<kMax>;
  table["Min"] = variadic<kMin>;
  table["Sum"] = variadic<kAdd>;
  table["Mean"] = importMean;
  table["Equal"] = binary<kEqual>;
  table["Greater"] = binary<kGreater>;
  table["GreaterOrEqual"] = binary<kGreaterEqual>;
  table["Less"] = binary<kLess>;
  table["LessOrEqual"] = binary<kLessEqual>;
  table["Where"] = importWhere;
  table["Clip"] = importClip;
  table["Cast"] = importCast;
  table["CastLike"] = importCastLike;
  table["LeakyRelu"] = importLeakyRelu;
  table["PRelu"] = importPRelu;
  table["Elu"] = importElu;
  table["Selu"] = importSelu;
  table["Celu"] = importCelu;
  table["HardSigmoid"] = importHardSigmoid;
  table["HardSwish"] = importHardSwish;
  table["Softplus"] = importSoftplus;
  table["Softsign"] = importSoftsign;
  table["ThresholdedRelu"] = importThresholdedRelu;
  table["Shrink"] = importShrink;
  table["RandomUniformLike"] = importRandomUniformLike;
  table["Bernoulli"] = importBernoulli;
}

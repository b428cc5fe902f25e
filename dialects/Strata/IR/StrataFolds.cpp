//===- StrataFolds.cpp - strata folders and canonicalizations -------------===//
//
// Folders evaluate ops on small constants (import-time shape arithmetic is
// the main customer) and drop identities; they never change what a program
// computes, including for -0.0 and NaN. Canonicalization patterns that need
// new ops live at the end.
//
//===----------------------------------------------------------------------===//

#include "dialects/Strata/IR/ShapeInference.h"
#include "dialects/Strata/IR/StrataOps.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/TypeUtilities.h"
#include "llvm/ADT/APSInt.h"

using namespace mlir;
using namespace mlir::strata;
using llvm::APFloat;
using llvm::APInt;

/// Non-splat constants above this many elements are left unfolded: folding
/// copies them, and the lowering handles them better than a huge attribute.
static constexpr int64_t kMaxFoldElements = 1 << 16;

//===----------------------------------------------------------------------===//
// Elementwise evaluation
//===----------------------------------------------------------------------===//

template <typename T>
static bool holds(Type elementType) {
  if constexpr (std::is_same_v<T, APFloat>)
    return isa<FloatType>(elementType);
  else
    return isa<IntegerType>(elementType);
}

/// Evaluates `fn` on constant `operands`, broadcast to the static
/// `resultType` as numpy does. `In` and `Out` are APInt or APFloat; `fn`
/// takes ArrayRef<In> and returns std::optional<Out> (nullopt: don't fold).
template <typename In, typename Out, typename Fn>
static Attribute foldElementwise(ArrayRef<Attribute> operands, Type resultType,
                                 Fn fn) {
  auto type = dyn_cast<RankedTensorType>(resultType);
  if (!type || !type.hasStaticShape() || !holds<Out>(type.getElementType()))
    return {};
  SmallVector<DenseElementsAttr> inputs;
  bool allSplat = true;
  for (Attribute attr : operands) {
    auto dense = dyn_cast_if_present<DenseElementsAttr>(attr);
    if (!dense || !holds<In>(dense.getElementType()))
      return {};
    allSplat &= dense.isSplat();
    inputs.push_back(dense);
  }
  SmallVector<In> args;
  if (allSplat) {
    for (DenseElementsAttr input : inputs)
      args.push_back(input.getSplatValue<In>());
    std::optional<Out> value = fn(ArrayRef<In>(args));
    return value ? DenseElementsAttr::get(type, *value) : Attribute();
  }
  if (type.getNumElements() > kMaxFoldElements)
    return {};

  // Per-operand strides over the result index; 0 where the operand
  // broadcasts.
  int64_t rank = type.getRank();
  SmallVector<SmallVector<int64_t>> strides;
  for (DenseElementsAttr input : inputs) {
    ArrayRef<int64_t> shape = input.getType().getShape();
    SmallVector<int64_t> stride(rank, 0);
    int64_t step = 1;
    for (int64_t i = shape.size() - 1; i >= 0; --i) {
      stride[rank - shape.size() + i] = shape[i] == 1 ? 0 : step;
      step *= shape[i];
    }
    strides.push_back(std::move(stride));
  }
  SmallVector<Out> results;
  results.reserve(type.getNumElements());
  SmallVector<int64_t> index(rank, 0);
  for (int64_t n = 0, e = type.getNumElements(); n < e; ++n) {
    args.clear();
    for (auto [input, stride] : llvm::zip_equal(inputs, strides)) {
      int64_t offset = 0;
      for (int64_t d = 0; d < rank; ++d)
        offset += index[d] * stride[d];
      args.push_back(*(input.getValues<In>().begin() + offset));
    }
    std::optional<Out> value = fn(ArrayRef<In>(args));
    if (!value)
      return {};
    results.push_back(*value);
    for (int64_t d = rank - 1; d >= 0; --d) {
      if (++index[d] < type.getDimSize(d))
        break;
      index[d] = 0;
    }
  }
  return DenseElementsAttr::get(type, results);
}

using IntFn = llvm::function_ref<std::optional<APInt>(const APInt &,
                                                      const APInt &)>;
using FloatFn = llvm::function_ref<std::optional<APFloat>(const APFloat &,
                                                          const APFloat &)>;

/// Folds a binary arithmetic op whose operands are both constant.
static Attribute foldBinary(ArrayRef<Attribute> operands, Type resultType,
                            IntFn intFn, FloatFn floatFn) {
  if (Attribute folded = foldElementwise<APInt, APInt>(
          operands, resultType,
          [&](ArrayRef<APInt> v) { return intFn(v[0], v[1]); }))
    return folded;
  return foldElementwise<APFloat, APFloat>(
      operands, resultType,
      [&](ArrayRef<APFloat> v) { return floatFn(v[0], v[1]); });
}

/// Folds a unary op on a constant.
static Attribute foldUnary(Attribute operand, Type resultType,
                           llvm::function_ref<std::optional<APInt>(const APInt &)> intFn,
                           llvm::function_ref<std::optional<APFloat>(const APFloat &)> floatFn) {
  if (Attribute folded = foldElementwise<APInt, APInt>(
          operand, resultType, [&](ArrayRef<APInt> v) { return intFn(v[0]); }))
    return folded;
  return foldElementwise<APFloat, APFloat>(
      operand, resultType, [&](ArrayRef<APFloat> v) { return floatFn(v[0]); });
}

/// True if `attr` is a splat equal to `value`; for floats the comparison is
/// bitwise, so -0.0 and 0.0 differ.
static bool isSplatOf(Attribute attr, double value) {
  auto dense = dyn_cast_if_present<DenseElementsAttr>(attr);
  if (!dense || !dense.isSplat())
    return false;
  if (auto floatType = dyn_cast<FloatType>(dense.getElementType())) {
    APFloat expected(value);
    bool losesInfo;
    expected.convert(floatType.getFloatSemantics(),
                     APFloat::rmNearestTiesToEven, &losesInfo);
    return !losesInfo && dense.getSplatValue<APFloat>().bitwiseIsEqual(expected);
  }
  if (!isa<IntegerType>(dense.getElementType()))
    return false;
  APInt splat = dense.getSplatValue<APInt>();
  return static_cast<double>(splat.getSExtValue()) == value;
}

/// `lhs op c` is `lhs` when `c` is the operation's identity and no
/// broadcasting changes the type.
static OpFoldResult foldIdentity(Value lhs, Attribute rhs, Type resultType,
                                 double identity) {
  if (lhs.getType() == resultType && isSplatOf(rhs, identity))
    return lhs;
  return {};
}

static bool isUnsigned(Type type) {
  return getElementTypeOrSelf(type).isUnsignedInteger();
}

//===----------------------------------------------------------------------===//
// Constants and casts
//===----------------------------------------------------------------------===//

OpFoldResult ConstantOp::fold(FoldAdaptor) { return getValue(); }

OpFoldResult CastOp::fold(FoldAdaptor adaptor) {
  Type from = getInput().getType(), to = getType();
  if (from == to)
    return getInput();
  Type toElement = getElementTypeOrSelf(to);
  bool fromUnsigned = isUnsigned(from) || getElementTypeOrSelf(from).isInteger(1);
  Attribute input = adaptor.getInput();
  if (auto toInt = dyn_cast<IntegerType>(toElement)) {
    unsigned width = toInt.getWidth();
    if (Attribute folded = foldElementwise<APInt, APInt>(
            input, to, [&](ArrayRef<APInt> v) -> std::optional<APInt> {
              if (width == 1)
                return APInt(1, !v[0].isZero());
              return fromUnsigned ? v[0].zextOrTrunc(width)
                                  : v[0].sextOrTrunc(width);
            }))
      return folded;
    return foldElementwise<APFloat, APInt>(
        input, to, [&](ArrayRef<APFloat> v) -> std::optional<APInt> {
          if (width == 1)
            return APInt(1, !v[0].isZero());
          llvm::APSInt result(width, toInt.isUnsigned());
          bool exact;
          // Out-of-range conversions are undefined: leave them to run time.
          if (v[0].convertToInteger(result, APFloat::rmTowardZero, &exact) &
              APFloat::opInvalidOp)
            return std::nullopt;
          return APInt(result);
        });
  }
  const llvm::fltSemantics &semantics =
      cast<FloatType>(toElement).getFloatSemantics();
  if (Attribute folded = foldElementwise<APInt, APFloat>(
          input, to, [&](ArrayRef<APInt> v) -> std::optional<APFloat> {
            APFloat result(semantics);
            result.convertFromAPInt(v[0], !fromUnsigned,
                                    APFloat::rmNearestTiesToEven);
            return result;
          }))
    return folded;
  return foldElementwise<APFloat, APFloat>(
      input, to, [&](ArrayRef<APFloat> v) -> std::optional<APFloat> {
        APFloat result = v[0];
        bool losesInfo;
        result.convert(semantics, APFloat::rmNearestTiesToEven, &losesInfo);
        return result;
      });
}

//===----------------------------------------------------------------------===//
// Elementwise binary ops
//===----------------------------------------------------------------------===//

OpFoldResult AddOp::fold(FoldAdaptor adaptor) {
  // x + -0.0 is x for every float, x + 0.0 is not (it turns -0.0 into 0.0).
  bool isFloat = isa<FloatType>(getElementTypeOrSelf(getType()));
  if (OpFoldResult same =
          foldIdentity(getLhs(), adaptor.getRhs(), getType(), isFloat ? -0.0 : 0.0))
    return same;
  return foldBinary(
      adaptor.getOperands(), getType(),
      [](const APInt &a, const APInt &b) -> std::optional<APInt> { return a + b; },
      [](const APFloat &a, const APFloat &b) -> std::optional<APFloat> {
        return a + b;
      });
}

OpFoldResult SubOp::fold(FoldAdaptor adaptor) {
  if (OpFoldResult same = foldIdentity(getLhs(), adaptor.getRhs(), getType(), 0.0))
    return same;
  return foldBinary(
      adaptor.getOperands(), getType(),
      [](const APInt &a, const APInt &b) -> std::optional<APInt> { return a - b; },
      [](const APFloat &a, const APFloat &b) -> std::optional<APFloat> {
        return a - b;
      });
}

OpFoldResult MulOp::fold(FoldAdaptor adaptor) {
  if (OpFoldResult same = foldIdentity(getLhs(), adaptor.getRhs(), getType(), 1.0))
    return same;
  return foldBinary(
      adaptor.getOperands(), getType(),
      [](const APInt &a, const APInt &b) -> std::optional<APInt> { return a * b; },
      [](const APFloat &a, const APFloat &b) -> std::optional<APFloat> {
        return a * b;
      });
}

OpFoldResult DivOp::fold(FoldAdaptor adaptor) {
  if (OpFoldResult same = foldIdentity(getLhs(), adaptor.getRhs(), getType(), 1.0))
    return same;
  bool isUnsignedDiv = isUnsigned(getType());
  return foldBinary(
      adaptor.getOperands(), getType(),
      [&](const APInt &a, const APInt &b) -> std::optional<APInt> {
        if (b.isZero())
          return std::nullopt;
        if (isUnsignedDiv)
          return a.udiv(b);
        bool overflow;
        APInt result = a.sdiv_ov(b, overflow);
        if (overflow)
          return std::nullopt;
        return result;
      },
      [](const APFloat &a, const APFloat &b) -> std::optional<APFloat> {
        return a / b;
      });
}

OpFoldResult PowOp::fold(FoldAdaptor adaptor) {
  return foldIdentity(getLhs(), adaptor.getRhs(), getType(), 1.0);
}

OpFoldResult MaxOp::fold(FoldAdaptor adaptor) {
  if (getLhs() == getRhs() && getLhs().getType() == getType())
    return getLhs();
  bool isUnsignedMax = isUnsigned(getType());
  return foldBinary(
      adaptor.getOperands(), getType(),
      [&](const APInt &a, const APInt &b) -> std::optional<APInt> {
        return isUnsignedMax ? llvm::APIntOps::umax(a, b)
                             : llvm::APIntOps::smax(a, b);
      },
      [](const APFloat &a, const APFloat &b) -> std::optional<APFloat> {
        return llvm::maximum(a, b);
      });
}

OpFoldResult MinOp::fold(FoldAdaptor adaptor) {
  if (getLhs() == getRhs() && getLhs().getType() == getType())
    return getLhs();
  bool isUnsignedMin = isUnsigned(getType());
  return foldBinary(
      adaptor.getOperands(), getType(),
      [&](const APInt &a, const APInt &b) -> std::optional<APInt> {
        return isUnsignedMin ? llvm::APIntOps::umin(a, b)
                             : llvm::APIntOps::smin(a, b);
      },
      [](const APFloat &a, const APFloat &b) -> std::optional<APFloat> {
        return llvm::minimum(a, b);
      });
}

//===----------------------------------------------------------------------===//
// Comparisons
//===----------------------------------------------------------------------===//

/// Folds a comparison of constants. `ints` maps a signed or unsigned compare
/// to a bool; `floats` the APFloat ordering (unordered for NaN: false).
static Attribute foldCompare(ArrayRef<Attribute> operands, Type operandType,
                             Type resultType,
                             llvm::function_ref<bool(int)> accept) {
  // Both orderings reduce to a sign: -1 less, 0 equal, 1 greater, 2 NaN.
  bool isUnsignedCmp = isUnsigned(operandType);
  if (Attribute folded = foldElementwise<APInt, APInt>(
          operands, resultType, [&](ArrayRef<APInt> v) -> std::optional<APInt> {
            int order = v[0] == v[1]                                   ? 0
                        : (isUnsignedCmp ? v[0].ult(v[1]) : v[0].slt(v[1])) ? -1
                                                                          : 1;
            return APInt(1, accept(order));
          }))
    return folded;
  return foldElementwise<APFloat, APInt>(
      operands, resultType, [&](ArrayRef<APFloat> v) -> std::optional<APInt> {
        int order;
        switch (v[0].compare(v[1])) {
        case APFloat::cmpLessThan:
          order = -1;
          break;
        case APFloat::cmpEqual:
          order = 0;
          break;
        case APFloat::cmpGreaterThan:
          order = 1;
          break;
        case APFloat::cmpUnordered:
          return APInt(1, 0);
        }
        return APInt(1, accept(order));
      });
}

OpFoldResult EqualOp::fold(FoldAdaptor adaptor) {
  return foldCompare(adaptor.getOperands(), getLhs().getType(), getType(),
                     [](int order) { return order == 0; });
}
OpFoldResult GreaterOp::fold(FoldAdaptor adaptor) {
  return foldCompare(adaptor.getOperands(), getLhs().getType(), getType(),
                     [](int order) { return order > 0; });
}
OpFoldResult GreaterEqualOp::fold(FoldAdaptor adaptor) {
  return foldCompare(adaptor.getOperands(), getLhs().getType(), getType(),
                     [](int order) { return order >= 0; });
}
OpFoldResult LessOp::fold(FoldAdaptor adaptor) {
  return foldCompare(adaptor.getOperands(), getLhs().getType(), getType(),
                     [](int order) { return order < 0; });
}
OpFoldResult LessEqualOp::fold(FoldAdaptor adaptor) {
  return foldCompare(adaptor.getOperands(), getLhs().getType(), getType(),
                     [](int order) { return order <= 0; });
}

//===----------------------------------------------------------------------===//
// Elementwise unary ops
//===----------------------------------------------------------------------===//

OpFoldResult NegOp::fold(FoldAdaptor adaptor) {
  if (auto inner = getInput().getDefiningOp<NegOp>())
    return inner.getInput();
  return foldUnary(
      adaptor.getInput(), getType(),
      [](const APInt &a) -> std::optional<APInt> { return -a; },
      [](const APFloat &a) -> std::optional<APFloat> { return llvm::neg(a); });
}

OpFoldResult AbsOp::fold(FoldAdaptor adaptor) {
  if (getInput().getDefiningOp<AbsOp>() || isUnsigned(getType()))
    return getInput();
  return foldUnary(
      adaptor.getInput(), getType(),
      [](const APInt &a) -> std::optional<APInt> { return a.abs(); },
      [](const APFloat &a) -> std::optional<APFloat> { return llvm::abs(a); });
}

OpFoldResult ReluOp::fold(FoldAdaptor adaptor) {
  if (getInput().getDefiningOp<ReluOp>() || isUnsigned(getType()))
    return getInput();
  return foldUnary(
      adaptor.getInput(), getType(),
      [](const APInt &a) -> std::optional<APInt> {
        return a.isNegative() ? APInt::getZero(a.getBitWidth()) : a;
      },
      [](const APFloat &a) -> std::optional<APFloat> {
        if (a.isNaN() || !a.isNegative())
          return a;
        return APFloat::getZero(a.getSemantics());
      });
}

/// Folds a rounding op on constant floats (idempotent, so a repeated one is
/// its input).
template <typename Op>
static OpFoldResult foldRounding(Op op, Attribute input,
                                 llvm::RoundingMode mode) {
  if (op.getInput().template getDefiningOp<Op>())
    return op.getInput();
  return foldUnary(
      input, op.getType(),
      [](const APInt &) -> std::optional<APInt> { return std::nullopt; },
      [mode](const APFloat &a) -> std::optional<APFloat> {
        APFloat r = a;
        r.roundToIntegral(mode);
        return r;
      });
}

OpFoldResult FloorOp::fold(FoldAdaptor adaptor) {
  return foldRounding(*this, adaptor.getInput(), llvm::RoundingMode::TowardNegative);
}

OpFoldResult CeilOp::fold(FoldAdaptor adaptor) {
  return foldRounding(*this, adaptor.getInput(), llvm::RoundingMode::TowardPositive);
}

OpFoldResult RoundOp::fold(FoldAdaptor adaptor) {
  return foldRounding(*this, adaptor.getInput(),
                      llvm::RoundingMode::NearestTiesToEven);
}

OpFoldResult NotOp::fold(FoldAdaptor) {
  if (auto inner = getInput().getDefiningOp<NotOp>())
    return inner.getInput();
  return {};
}

OpFoldResult ClipOp::fold(FoldAdaptor) {
  if (!getMin() && !getMax())
    return getInput();
  return {};
}

//===----------------------------------------------------------------------===//
// Selection
//===----------------------------------------------------------------------===//

OpFoldResult WhereOp::fold(FoldAdaptor adaptor) {
  auto condition = dyn_cast_if_present<DenseElementsAttr>(adaptor.getCondition());
  if (condition && condition.isSplat()) {
    Value chosen = condition.getSplatValue<bool>() ? getX() : getY();
    if (chosen.getType() == getType())
      return chosen;
  }
  if (getX() == getY() && getX().getType() == getType())
    return getX();
  return {};
}

//===----------------------------------------------------------------------===//
// Data movement
//===----------------------------------------------------------------------===//

/// A splat constant `input` re-typed as `resultType`, if both allow it.
static Attribute foldSplat(Attribute input, Type resultType) {
  auto dense = dyn_cast_if_present<DenseElementsAttr>(input);
  auto type = dyn_cast<RankedTensorType>(resultType);
  if (!dense || !dense.isSplat() || !type || !type.hasStaticShape())
    return {};
  return dense.resizeSplat(type);
}

/// A constant `input` with its elements kept in order under the static
/// `resultType` (reshape, squeeze, unsqueeze, flatten).
static Attribute foldReshapeLike(Attribute input, Type resultType) {
  auto dense = dyn_cast_if_present<DenseElementsAttr>(input);
  auto type = dyn_cast<RankedTensorType>(resultType);
  if (!dense || !type || !type.hasStaticShape())
    return {};
  return dense.reshape(type);
}

/// Builds a static `type` constant whose element at each index is
/// `pick(index)` = (source number, linear offset in that source).
static Attribute
gatherElements(ArrayRef<DenseElementsAttr> sources, RankedTensorType type,
               llvm::function_ref<std::pair<unsigned, int64_t>(
                   ArrayRef<int64_t>)> pick) {
  if (type.getNumElements() > kMaxFoldElements)
    return {};
  SmallVector<Attribute> values;
  values.reserve(type.getNumElements());
  SmallVector<int64_t> index(type.getRank(), 0);
  for (int64_t n = 0, e = type.getNumElements(); n < e; ++n) {
    auto [source, offset] = pick(index);
    values.push_back(*(sources[source].getValues<Attribute>().begin() + offset));
    for (int64_t d = type.getRank() - 1; d >= 0; --d) {
      if (++index[d] < type.getDimSize(d))
        break;
      index[d] = 0;
    }
  }
  return DenseElementsAttr::get(type, values);
}

/// Row-major linear offset of `index` in `shape`.
static int64_t linearize(ArrayRef<int64_t> index, ArrayRef<int64_t> shape) {
  int64_t offset = 0;
  for (auto [i, d] : llvm::zip_equal(index, shape))
    offset = offset * d + i;
  return offset;
}

OpFoldResult TransposeOp::fold(FoldAdaptor adaptor) {
  ArrayRef<int64_t> perm = getPerm();
  if (llvm::equal(perm, llvm::seq<int64_t>(0, perm.size())) &&
      getInput().getType() == getType())
    return getInput();
  if (auto inner = getInput().getDefiningOp<TransposeOp>()) {
    SmallVector<int64_t> composed;
    for (int64_t p : perm)
      composed.push_back(inner.getPerm()[p]);
    getInputMutable().assign(inner.getInput());
    setPerm(composed);
    return getResult();
  }
  return foldSplat(adaptor.getInput(), getType());
}

OpFoldResult ReshapeOp::fold(FoldAdaptor adaptor) {
  if (getInput().getType() == getType() && getType().hasStaticShape())
    return getInput();
  return foldReshapeLike(adaptor.getInput(), getType());
}

OpFoldResult SqueezeOp::fold(FoldAdaptor adaptor) {
  if (getInput().getType() == getType())
    return getInput();
  return foldReshapeLike(adaptor.getInput(), getType());
}

OpFoldResult UnsqueezeOp::fold(FoldAdaptor adaptor) {
  return foldReshapeLike(adaptor.getInput(), getType());
}

OpFoldResult ConcatOp::fold(FoldAdaptor adaptor) {
  if (getInputs().size() == 1 && getInputs().front().getType() == getType())
    return getInputs().front();
  auto type = cast<RankedTensorType>(getType());
  SmallVector<DenseElementsAttr> sources;
  for (Attribute attr : adaptor.getInputs()) {
    auto dense = dyn_cast_if_present<DenseElementsAttr>(attr);
    if (!dense)
      return {};
    sources.push_back(dense);
  }
  if (!type.hasStaticShape())
    return {};
  int64_t axis = static_cast<int64_t>(getAxis());
  if (axis < 0)
    axis += type.getRank();
  // Offsets of each source along the axis.
  SmallVector<int64_t> starts;
  int64_t start = 0;
  for (DenseElementsAttr source : sources) {
    starts.push_back(start);
    start += source.getType().getDimSize(axis);
  }
  return gatherElements(sources, type, [&](ArrayRef<int64_t> index) {
    unsigned source =
        llvm::upper_bound(starts, index[axis]) - starts.begin() - 1;
    SmallVector<int64_t> local(index);
    local[axis] -= starts[source];
    return std::make_pair(
        source, linearize(local, sources[source].getType().getShape()));
  });
}

OpFoldResult SliceOp::fold(FoldAdaptor adaptor) {
  auto inputType = cast<RankedTensorType>(getInput().getType());
  bool unitSteps = llvm::all_of(getSteps(), [](int64_t s) { return s == 1; });
  // Same static shape with unit steps can only be the whole input.
  if (unitSteps && inputType == getType() && inputType.hasStaticShape())
    return getInput();
  auto dense = dyn_cast_if_present<DenseElementsAttr>(adaptor.getInput());
  auto type = cast<RankedTensorType>(getType());
  if (!dense || !type.hasStaticShape())
    return {};
  if (Attribute splat = foldSplat(dense, type))
    return splat;
  // First index and step of every input dimension.
  int64_t rank = inputType.getRank();
  SmallVector<int64_t> first(rank, 0), step(rank, 1);
  for (auto [i, start] : llvm::enumerate(getStarts())) {
    int64_t axis = getAxes().empty() ? i : getAxes()[i];
    if (axis < 0)
      axis += rank;
    int64_t dim = inputType.getDimSize(axis);
    step[axis] = getSteps().empty() ? 1 : getSteps()[i];
    int64_t s = start < 0 ? start + dim : start;
    first[axis] = step[axis] > 0 ? std::clamp<int64_t>(s, 0, dim)
                                 : std::clamp<int64_t>(s, 0, dim - 1);
  }
  return gatherElements(dense, type, [&](ArrayRef<int64_t> index) {
    SmallVector<int64_t> source(rank);
    for (int64_t d = 0; d < rank; ++d)
      source[d] = first[d] + index[d] * step[d];
    return std::make_pair(0u, linearize(source, inputType.getShape()));
  });
}

OpFoldResult GatherOp::fold(FoldAdaptor adaptor) {
  auto data = dyn_cast_if_present<DenseElementsAttr>(adaptor.getData());
  auto indices = dyn_cast_if_present<DenseElementsAttr>(adaptor.getIndices());
  auto type = cast<RankedTensorType>(getType());
  if (!data || !indices || !type.hasStaticShape() ||
      indices.getNumElements() > kMaxFoldElements)
    return {};
  ArrayRef<int64_t> dataShape = data.getType().getShape();
  int64_t axis = static_cast<int64_t>(getAxis());
  if (axis < 0)
    axis += dataShape.size();
  // Out-of-range constant indices are reported by convert-strata-to-linalg.
  SmallVector<int64_t> positions;
  for (const APInt &index : indices.getValues<APInt>()) {
    int64_t i = index.getSExtValue();
    if (i < -dataShape[axis] || i >= dataShape[axis])
      return {};
    positions.push_back(i < 0 ? i + dataShape[axis] : i);
  }
  int64_t indexRank = indices.getType().getRank();
  ArrayRef<int64_t> indexShape = indices.getType().getShape();
  return gatherElements(data, type, [&](ArrayRef<int64_t> index) {
    SmallVector<int64_t> source(index.take_front(axis));
    source.push_back(
        positions[linearize(index.slice(axis, indexRank), indexShape)]);
    llvm::append_range(source, index.drop_front(axis + indexRank));
    return std::make_pair(0u, linearize(source, dataShape));
  });
}

OpFoldResult PadOp::fold(FoldAdaptor adaptor) {
  if (llvm::all_of(getPads(), [](int64_t p) { return p == 0; }) &&
      getInput().getType() == getType())
    return getInput();
  return {};
}

OpFoldResult ExpandOp::fold(FoldAdaptor adaptor) {
  if (getInput().getType() == getType())
    return getInput();
  return foldSplat(adaptor.getInput(), getType());
}

//===----------------------------------------------------------------------===//
// Canonicalization patterns
//===----------------------------------------------------------------------===//

namespace {
/// reshape(reshape-like(x)) -> reshape(x) when the outer result is static:
/// the outer shape then no longer depends on the inner one.
struct CollapseReshapeChain : OpRewritePattern<ReshapeOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(ReshapeOp op,
                                PatternRewriter &rewriter) const override {
    auto type = cast<RankedTensorType>(op.getType());
    Operation *producer = op.getInput().getDefiningOp();
    if (!type.hasStaticShape() || !producer ||
        !isa<ReshapeOp, FlattenOp, SqueezeOp, UnsqueezeOp>(producer))
      return rewriter.notifyMatchFailure(op, "no static reshape chain");
    rewriter.replaceOpWithNewOp<ReshapeOp>(
        op, type, producer->getOperand(0),
        rewriter.getDenseI64ArrayAttr(type.getShape()),
        rewriter.getBoolAttr(true));
    return success();
  }
};
} // namespace

void ReshapeOp::getCanonicalizationPatterns(RewritePatternSet &patterns,
                                            MLIRContext *context) {
  patterns.add<CollapseReshapeChain>(context);
}

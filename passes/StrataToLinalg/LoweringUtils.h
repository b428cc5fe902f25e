//===- LoweringUtils.h - shared builders of the linalg lowering -*- C++ -*-===//
//
// Builders the per-family pattern files share: broadcasting elementwise
// generics, reductions, scalar constants and signedness queries.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_PASSES_STRATATOLINALG_LOWERINGUTILS_H
#define STRATA_PASSES_STRATATOLINALG_LOWERINGUTILS_H

#include "passes/StrataToLinalg/StrataToLinalg.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"

namespace mlir::strata {

using BodyBuilder =
    function_ref<Value(OpBuilder &, Location, ValueRange /*scalars*/)>;

/// True for integer types that are explicitly unsigned (`ui8`, ...).
inline bool isUnsignedInt(Type type) {
  auto shaped = dyn_cast<ShapedType>(type);
  Type element = shaped ? shaped.getElementType() : type;
  return element.isUnsignedInteger();
}

/// `axis` counted from the front; ODS hands I64Attr values over unsigned.
inline int64_t positiveAxis(uint64_t axis, int64_t rank) {
  int64_t value = static_cast<int64_t>(axis);
  return value < 0 ? value + rank : value;
}

/// The signless form of an element or tensor type.
Type toSignless(Type type);

/// The static shape of a tensor value.
inline ArrayRef<int64_t> shapeOf(Value value) {
  return cast<RankedTensorType>(value.getType()).getShape();
}

/// A constant of element type `type` (float or signless int) with `value`.
Value scalarConstant(OpBuilder &b, Location loc, Type type, double value);

/// The smallest (`lowest`) or largest value of `type`, -inf/+inf for floats;
/// `isUnsigned` picks the unsigned range for integers.
Value extremeConstant(OpBuilder &b, Location loc, Type type, bool lowest,
                      bool isUnsigned);

/// An `index` constant.
Value indexConstant(OpBuilder &b, Location loc, int64_t value);

/// An index tensor element as `index`, negative values counted from `dim`
/// (ONNX's gather and scatter indices). A run-time index outside [-dim, dim)
/// is clamped into the dimension, so that no access leaves the tensor;
/// `inRange`, when given, is set to whether the index was valid.
Value wrapIndex(OpBuilder &b, Location loc, Value element, int64_t dim,
                Value *inRange = nullptr);

/// A tensor of `shape` filled with `value`.
Value filledTensor(OpBuilder &b, Location loc, ArrayRef<int64_t> shape,
                   Value value);

/// The map reading an operand of `operandShape` inside loops over
/// `resultShape` with numpy broadcasting (right-aligned, 1 stretches).
AffineMap broadcastMap(ArrayRef<int64_t> operandShape,
                       ArrayRef<int64_t> resultShape, MLIRContext *ctx);

/// The map from `numLoops` loops to the first `count` of them (also for
/// count 0, where getMajorSubMap gives a null map).
inline AffineMap leadingLoopsMap(int64_t numLoops, int64_t count,
                                 MLIRContext *ctx) {
  SmallVector<AffineExpr> exprs;
  for (int64_t i = 0; i < count; ++i)
    exprs.push_back(getAffineDimExpr(i, ctx));
  return AffineMap::get(numLoops, 0, exprs, ctx);
}

/// A parallel linalg.generic over `resultType` whose scalar body is `body`
/// applied to the broadcast elements of `inputs`.
Value buildElementwise(OpBuilder &b, Location loc, RankedTensorType resultType,
                       ValueRange inputs, BodyBuilder body);

/// Combines an accumulator (first) with an element (second).
using Combiner = function_ref<Value(OpBuilder &, Location, Value, Value)>;

/// Reduces `input` over the sorted `axes` with `combine`, starting at `init`;
/// the reduced dims are dropped from the result.
Value buildReduction(OpBuilder &b, Location loc, Value input,
                     ArrayRef<int64_t> axes, Value init, Combiner combine);

/// Reshapes `value` to `shape` (same element count) through collapse/expand.
Value reshapeTo(OpBuilder &b, Location loc, Value value,
                ArrayRef<int64_t> shape);

/// Per-family pattern lists behind populateStrataToLinalgPatterns.
void populateElementwisePatterns(const TypeConverter &converter,
                                 RewritePatternSet &patterns);
void populateContractionPatterns(const TypeConverter &converter,
                                 RewritePatternSet &patterns);
void populateReductionPatterns(const TypeConverter &converter,
                               RewritePatternSet &patterns);
void populateDataMovementPatterns(const TypeConverter &converter,
                                  RewritePatternSet &patterns);
void populateIndexingPatterns(const TypeConverter &converter,
                              RewritePatternSet &patterns);
void populateResizePatterns(const TypeConverter &converter,
                            RewritePatternSet &patterns);
void populateLinearAlgebraPatterns(const TypeConverter &converter,
                                   RewritePatternSet &patterns);
void populateGridSamplePatterns(const TypeConverter &converter,
                                RewritePatternSet &patterns);
void populateFeaturePatterns(const TypeConverter &converter,
                             RewritePatternSet &patterns);

} // namespace mlir::strata

#endif // STRATA_PASSES_STRATATOLINALG_LOWERINGUTILS_H

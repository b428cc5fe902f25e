//===- StrataToLinalgPass.cpp - the convert-strata-to-linalg pass ---------===//
//
// The pass that applies every op family's patterns as one dialect
// conversion, with signless integer types at function boundaries, and
// names the op that has no lowering, dynamic shapes or out-of-range
// constant indices.
//
//===----------------------------------------------------------------------===//

#include "dialects/Strata/IR/StrataOps.h"
#include "passes/Passes.h"
#include "passes/StrataToLinalg/LoweringUtils.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Func/Transforms/FuncConversions.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/Matchers.h"

namespace mlir::strata {

#define GEN_PASS_DEF_CONVERTSTRATATOLINALGPASS
#include "passes/Passes.h.inc"

StrataTypeConverter::StrataTypeConverter() {
  addConversion([](Type type) { return toSignless(type); });
}

void populateStrataToLinalgPatterns(const TypeConverter &converter,
                                    RewritePatternSet &patterns) {
  populateElementwisePatterns(converter, patterns);
  populateContractionPatterns(converter, patterns);
  populateReductionPatterns(converter, patterns);
  populateDataMovementPatterns(converter, patterns);
  populateIndexingPatterns(converter, patterns);
  populateResizePatterns(converter, patterns);
  populateLinearAlgebraPatterns(converter, patterns);
  populateGridSamplePatterns(converter, patterns);
  populateFeaturePatterns(converter, patterns);
}

namespace {

bool hasStaticShape(Type type) {
  auto shaped = dyn_cast<ShapedType>(type);
  return !shaped || shaped.hasStaticShape();
}

/// The index tensor of a gather or scatter and the data dimensions that its
/// tuples address (one for the axis ops, k for the ND ops).
struct IndexedDimensions {
  Value indices;
  SmallVector<int64_t> dims;
};

std::optional<IndexedDimensions> indexedDimensions(Operation *op) {
  auto axisOp = [](auto op) {
    int64_t rank = cast<RankedTensorType>(op.getData().getType()).getRank();
    return IndexedDimensions{op.getIndices(),
                             {positiveAxis(op.getAxis(), rank)}};
  };
  auto tupleOp = [](Value indices, int64_t first) {
    int64_t k = cast<RankedTensorType>(indices.getType()).getShape().back();
    return IndexedDimensions{
        indices, llvm::to_vector(llvm::seq<int64_t>(first, first + k))};
  };
  if (auto gather = dyn_cast<GatherOp>(op))
    return axisOp(gather);
  if (auto gather = dyn_cast<GatherElementsOp>(op))
    return axisOp(gather);
  if (auto scatter = dyn_cast<ScatterElementsOp>(op))
    return axisOp(scatter);
  if (auto gather = dyn_cast<GatherNDOp>(op))
    return tupleOp(gather.getIndices(), gather.getBatchDims());
  if (auto scatter = dyn_cast<ScatterNDOp>(op))
    return tupleOp(scatter.getIndices(), 0);
  return std::nullopt;
}

/// Names indices that are out of range whatever the inputs: any into an
/// empty dimension, and constants outside [-size, size). Other indices are
/// clamped at run time (see wrapIndex).
LogicalResult checkIndices(Operation *op) {
  std::optional<IndexedDimensions> indexed = indexedDimensions(op);
  if (!indexed ||
      cast<ShapedType>(indexed->indices.getType()).getNumElements() == 0)
    return success();
  ArrayRef<int64_t> data =
      cast<ShapedType>(op->getOperand(0).getType()).getShape();
  for (int64_t dim : indexed->dims)
    if (data[dim] == 0)
      return op->emitOpError()
             << "has indices into data dimension " << dim << ", which is empty";
  DenseIntElementsAttr constant;
  if (!matchPattern(indexed->indices, m_Constant(&constant)))
    return success();
  // A splat needs checking against each dimension once.
  int64_t count =
      constant.isSplat() ? indexed->dims.size() : constant.getNumElements();
  auto value = constant.value_begin<APInt>();
  for (int64_t position = 0; position < count; ++position, ++value) {
    int64_t dim = indexed->dims[position % indexed->dims.size()];
    int64_t index = (*value).getSExtValue();
    if (index < -data[dim] || index >= data[dim])
      return op->emitOpError()
             << "has index " << index << " (element " << position
             << " of the indices) out of range for data dimension " << dim
             << " of size " << data[dim];
  }
  return success();
}

struct ConvertStrataToLinalgPass
    : impl::ConvertStrataToLinalgPassBase<ConvertStrataToLinalgPass> {
  void runOnOperation() override {
    // The lowering specializes on shapes; say which op is dynamic, or which
    // indices are out of range, rather than letting the conversion report a
    // generic failure.
    WalkResult invalid = getOperation().walk([](Operation *op) {
      if (!isa<StrataDialect>(op->getDialect()))
        return WalkResult::advance();
      if (llvm::all_of(op->getOperandTypes(), hasStaticShape) &&
          llvm::all_of(op->getResultTypes(), hasStaticShape))
        return failed(checkIndices(op)) ? WalkResult::interrupt()
                                        : WalkResult::advance();
      if (llvm::all_of(op->getOperandTypes(), hasStaticShape))
        op->emitOpError("has a result shape that depends on the input "
                        "values; code generation needs static shapes");
      else
        op->emitOpError("has a dynamic shape; lowering needs static shapes "
                        "(specialize the inputs, e.g. --input-shape)");
      return WalkResult::interrupt();
    });
    if (invalid.wasInterrupted())
      return signalPassFailure();

    MLIRContext *ctx = &getContext();
    StrataTypeConverter converter;
    ConversionTarget target(*ctx);
    target.addIllegalDialect<StrataDialect>();
    target.addLegalDialect<arith::ArithDialect, linalg::LinalgDialect,
                           math::MathDialect, scf::SCFDialect,
                           tensor::TensorDialect>();
    target.addDynamicallyLegalOp<func::FuncOp>([&](func::FuncOp func) {
      return converter.isSignatureLegal(func.getFunctionType());
    });
    target.addDynamicallyLegalOp<func::ReturnOp, func::CallOp>(
        [&](Operation *op) { return converter.isLegal(op); });

    RewritePatternSet patterns(ctx);
    populateStrataToLinalgPatterns(converter, patterns);
    populateFunctionOpInterfaceTypeConversionPattern<func::FuncOp>(patterns,
                                                                   converter);
    populateReturnOpTypeConversionPattern(patterns, converter);
    populateCallOpTypeConversionPattern(patterns, converter);
    if (failed(applyPartialConversion(getOperation(), target,
                                      std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
} // namespace mlir::strata

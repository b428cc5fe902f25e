//===- StrataToLinalgPass.cpp - the convert-strata-to-linalg pass ---------===//
//
// The pass that applies every op family's patterns as one dialect
// conversion, with signless integer types at function boundaries, and
// names the op that has no lowering or dynamic shapes.
//
//===----------------------------------------------------------------------===//

#include "dialects/Strata/IR/StrataOps.h"
#include "passes/Passes.h"
#include "passes/StrataToLinalg/LoweringUtils.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Func/Transforms/FuncConversions.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

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

struct ConvertStrataToLinalgPass
    : impl::ConvertStrataToLinalgPassBase<ConvertStrataToLinalgPass> {
  void runOnOperation() override {
    // The lowering specializes on shapes; say which op is dynamic rather
    // than letting the conversion report a generic failure.
    WalkResult dynamic = getOperation().walk([](Operation *op) {
      if (!isa<StrataDialect>(op->getDialect()))
        return WalkResult::advance();
      if (llvm::all_of(op->getOperandTypes(), hasStaticShape) &&
          llvm::all_of(op->getResultTypes(), hasStaticShape))
        return WalkResult::advance();
      if (llvm::all_of(op->getOperandTypes(), hasStaticShape))
        op->emitOpError("has a result shape that depends on the input "
                        "values; code generation needs static shapes");
      else
        op->emitOpError("has a dynamic shape; lowering needs static shapes "
                        "(specialize the inputs, e.g. --input-shape)");
      return WalkResult::interrupt();
    });
    if (dynamic.wasInterrupted())
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

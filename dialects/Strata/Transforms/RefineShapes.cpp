//===- RefineShapes.cpp - propagate static shapes through strata ----------===//
//
// Implements strata-refine-shapes: one forward walk that re-infers each strata
// op's result types and keeps the more static of written and inferred dims.
//
//===----------------------------------------------------------------------===//

#include "dialects/Strata/IR/StrataDialect.h"
#include "dialects/Strata/IR/StrataOps.h"
#include "dialects/Strata/Transforms/Passes.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/SymbolTable.h"

namespace mlir::strata {
#define GEN_PASS_DEF_STRATAREFINESHAPESPASS
#include "dialects/Strata/Transforms/Passes.h.inc"
} // namespace mlir::strata

using namespace mlir;
using namespace mlir::strata;

/// `written` with each dynamic dim replaced by `inferred`'s, when static.
static Type refine(Type written, Type inferred) {
  auto a = dyn_cast<RankedTensorType>(written);
  auto b = dyn_cast<RankedTensorType>(inferred);
  if (!a || !b || a.getRank() != b.getRank())
    return written;
  SmallVector<int64_t> shape(a.getShape());
  for (auto [dim, other] : llvm::zip_equal(shape, b.getShape()))
    if (ShapedType::isDynamic(dim))
      dim = other;
  return a.clone(shape);
}

namespace {
struct StrataRefineShapesPass
    : strata::impl::StrataRefineShapesPassBase<StrataRefineShapesPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    for (auto func : module.getOps<func::FuncOp>()) {
      // Callers, or several returns, pin the signature.
      auto returns = func.getFunctionBody().getOps<func::ReturnOp>();
      bool keepSignature = !SymbolTable::symbolKnownUseEmpty(func, module) ||
                           std::distance(returns.begin(), returns.end()) != 1;
      if (failed(refineFunction(func, keepSignature)))
        return signalPassFailure();
    }
  }

  LogicalResult refineFunction(func::FuncOp func, bool keepSignature) {
    WalkResult walk = func.walk([&](Operation *op) {
      if (!isa_and_nonnull<StrataDialect>(op->getDialect()))
        return WalkResult::advance();
      SmallVector<Type> inferred;
      if (isa<InferTypeOpInterface>(op)) {
        if (failed(inferResultTypes(op, inferred)))
          return WalkResult::interrupt();
      } else if (op->hasTrait<mlir::OpTrait::SameOperandsAndResultShape>()) {
        // strata.cast: the shape follows the operand, the element type not.
        for (Type type : op->getResultTypes())
          inferred.push_back(cast<RankedTensorType>(type).clone(
              cast<RankedTensorType>(op->getOperand(0).getType()).getShape()));
      } else {
        return WalkResult::advance();
      }
      for (auto [result, type] : llvm::zip_equal(op->getResults(), inferred))
        narrow(result, refine(result.getType(), type), keepSignature);
      return WalkResult::advance();
    });
    if (walk.wasInterrupted())
      return failure();
    if (!keepSignature) {
      auto ret = *func.getFunctionBody().getOps<func::ReturnOp>().begin();
      func.setType(FunctionType::get(func.getContext(),
                                     func.getArgumentTypes(),
                                     ret.getOperandTypes()));
    }
    return success();
  }

  /// Gives `value` the type `type`; users that may not accept it see the old
  /// type through a tensor.cast.
  static void narrow(Value value, Type type, bool keepSignature) {
    Type old = value.getType();
    if (type == old)
      return;
    SmallVector<OpOperand *> foreign;
    for (OpOperand &use : value.getUses()) {
      Operation *user = use.getOwner();
      bool isReturn = isa<func::ReturnOp>(user);
      if ((isReturn && keepSignature) ||
          (!isReturn && !isa_and_nonnull<StrataDialect>(user->getDialect())))
        foreign.push_back(&use);
    }
    value.setType(type);
    if (foreign.empty())
      return;
    OpBuilder builder(value.getContext());
    builder.setInsertionPointAfterValue(value);
    Value cast = tensor::CastOp::create(builder, value.getLoc(), old, value);
    for (OpOperand *use : foreign)
      use->set(cast);
  }
};
} // namespace

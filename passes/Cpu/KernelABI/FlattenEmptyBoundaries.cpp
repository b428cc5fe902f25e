//===- FlattenEmptyBoundaries.cpp - empty tensors at kernel boundaries ----===//
//
// Upstream's bare-pointer calling convention rejects multi-dimensional
// memrefs without elements, so such arguments and results of a kernel
// cross its boundary as rank-1 `tensor<0xT>` and are reshaped inside. The
// bytes a binding holds (none) do not change.
//
//===----------------------------------------------------------------------===//

#include "passes/Passes.h"

#include "mlir/IR/BuiltinOps.h"

namespace mlir::strata {

#define GEN_PASS_DEF_STRATACPUFLATTENEMPTYBOUNDARIESPASS
#include "passes/Passes.h.inc"

namespace {

bool isEmptyNd(Type type) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  return tensor && tensor.hasStaticShape() && tensor.getNumElements() == 0 &&
         tensor.getRank() != 1;
}

RankedTensorType flat(Type type) {
  return cast<RankedTensorType>(type).clone(ArrayRef<int64_t>{0});
}

SmallVector<ReassociationIndices> allDims(int64_t rank) {
  return {llvm::to_vector<2>(llvm::seq<int64_t>(0, rank))};
}

void flatten(func::FuncOp func) {
  Block &body = func.getBody().front();
  OpBuilder b = OpBuilder::atBlockBegin(&body);
  for (BlockArgument arg : body.getArguments()) {
    if (!isEmptyNd(arg.getType()))
      continue;
    Type original = arg.getType();
    arg.setType(flat(original));
    auto expanded = tensor::ExpandShapeOp::create(
        b, func.getLoc(), original, arg,
        allDims(cast<RankedTensorType>(original).getRank()));
    arg.replaceAllUsesExcept(expanded, expanded);
  }
  Operation *ret = body.getTerminator();
  b.setInsertionPoint(ret);
  for (OpOperand &operand : ret->getOpOperands()) {
    Type type = operand.get().getType();
    if (!isEmptyNd(type))
      continue;
    operand.set(tensor::CollapseShapeOp::create(
        b, func.getLoc(), flat(type), operand.get(),
        allDims(cast<RankedTensorType>(type).getRank())));
  }
  func.setType(FunctionType::get(func.getContext(), body.getArgumentTypes(),
                                 ret->getOperandTypes()));
}

struct StrataCpuFlattenEmptyBoundariesPass
    : impl::StrataCpuFlattenEmptyBoundariesPassBase<
          StrataCpuFlattenEmptyBoundariesPass> {
  void runOnOperation() override {
    for (auto func : getOperation().getOps<func::FuncOp>())
      if (!func.isExternal() && func.isPublic())
        flatten(func);
  }
};

} // namespace
} // namespace mlir::strata

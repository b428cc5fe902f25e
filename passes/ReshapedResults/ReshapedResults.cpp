//===- ReshapedResults.cpp - returned reshapes written in place -----------===//
//
// A kernel that returns a reshape of a buffer it allocates (a grouped
// convolution's result collapsed to NCHW, a flattened matmul) would copy
// it into its output binding. Allocated in the result's shape instead,
// and viewed in the old one by the code that writes it, the buffer is
// returned as it is, which out-params hoisting then binds directly.
//
//===----------------------------------------------------------------------===//

#include "passes/Passes.h"
#include "passes/Utils/MemorySpace.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"

namespace mlir::strata {

#define GEN_PASS_DEF_STRATARESHAPEDRESULTSINPLACEPASS
#include "passes/Passes.h.inc"

namespace {

bool isContiguous(Type type) {
  auto memref = cast<MemRefType>(type);
  return memref.hasStaticShape() && memref.getLayout().isIdentity();
}

/// Reallocates the buffer that returned `value` reshapes, in `value`'s
/// shape, and returns the new buffer; null where `value` is not such a
/// reshape of a contiguous buffer allocated here and returned only once.
Value reallocateAsResult(Value value, func::ReturnOp ret) {
  SmallVector<Operation *> reshapes; // from `value` back to the buffer
  Value source = value;
  while (isa_and_nonnull<memref::CollapseShapeOp, memref::ExpandShapeOp>(
      source.getDefiningOp())) {
    reshapes.push_back(source.getDefiningOp());
    if (!isContiguous(source.getType()))
      return nullptr;
    source = source.getDefiningOp()->getOperand(0);
  }
  auto alloc = source.getDefiningOp<memref::AllocOp>();
  if (reshapes.empty() || !alloc || !isContiguous(alloc.getType()) ||
      llvm::any_of(alloc->getUsers(), llvm::IsaPred<memref::DeallocOp>) ||
      llvm::count_if(ret.getOperands(), [&](Value result) {
        return viewedBuffer(result) == source;
      }) != 1)
    return nullptr;

  OpBuilder b(alloc);
  Location loc = alloc.getLoc();
  Value result = memref::AllocOp::create(
      b, loc, cast<MemRefType>(value.getType()), alloc.getAlignmentAttr());
  Value view = result;
  for (Operation *reshape : reshapes) {
    if (auto collapse = dyn_cast<memref::CollapseShapeOp>(reshape))
      view = memref::ExpandShapeOp::create(b, loc, collapse.getSrcType(), view,
                                           collapse.getReassociationIndices());
    else {
      auto expand = cast<memref::ExpandShapeOp>(reshape);
      view = memref::CollapseShapeOp::create(b, loc, expand.getSrcType(), view,
                                             expand.getReassociationIndices());
    }
  }
  alloc.replaceAllUsesWith(view);
  alloc.erase();
  return result;
}

struct StrataReshapedResultsInPlacePass
    : impl::StrataReshapedResultsInPlacePassBase<
          StrataReshapedResultsInPlacePass> {
  void runOnOperation() override {
    getOperation().walk([](func::ReturnOp ret) {
      for (OpOperand &operand : ret->getOpOperands())
        if (isa<MemRefType>(operand.get().getType()))
          if (Value result = reallocateAsResult(operand.get(), ret)) {
            Value old = operand.get();
            operand.set(result);
            // The old reshapes now only undo the views; drop them.
            while (old.use_empty() && old.getDefiningOp()) {
              Operation *reshape = old.getDefiningOp();
              old = reshape->getOperand(0);
              reshape->erase();
            }
          }
    });
  }
};

} // namespace
} // namespace mlir::strata

//===- TransientBuffers.cpp - whole-function allocations as bindings ------===//
//
// A kernel that mallocs its intermediates pays for fresh pages on every
// call; as bindings, they live in memory the runtime reuses.
//
//===----------------------------------------------------------------------===//

#include "passes/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/BuiltinOps.h"

namespace mlir::strata {

#define GEN_PASS_DEF_STRATATRANSIENTBUFFERSPASS
#include "passes/Passes.h.inc"

namespace {

/// Bytes of a statically shaped, identity-layout memref, or nullopt.
std::optional<int64_t> byteSize(MemRefType type) {
  if (!type.hasStaticShape() || !type.getLayout().isIdentity() ||
      type.getMemorySpace())
    return std::nullopt;
  Type element = type.getElementType();
  if (!element.isIntOrFloat())
    return std::nullopt;
  // Booleans and other sub-byte types take a byte each in memory.
  int64_t bytes = std::max<int64_t>(1, (element.getIntOrFloatBitWidth() + 7) / 8);
  return type.getNumElements() * bytes;
}

struct StrataTransientBuffersPass
    : impl::StrataTransientBuffersPassBase<StrataTransientBuffersPass> {
  void runOnOperation() override {
    for (auto func : getOperation().getOps<func::FuncOp>())
      if (!func.isExternal() && func.isPublic())
        promote(func);
  }

  void promote(func::FuncOp func) {
    Block &entry = func.getBody().front();
    SmallVector<int64_t> sizes;
    for (auto alloc :
         llvm::make_early_inc_range(entry.getOps<memref::AllocOp>())) {
      std::optional<int64_t> bytes = byteSize(alloc.getType());
      if (!bytes || !alloc.getDynamicSizes().empty() ||
          !alloc.getSymbolOperands().empty())
        continue;
      BlockArgument arg = entry.addArgument(alloc.getType(), alloc.getLoc());
      for (OpOperand &use : llvm::make_early_inc_range(alloc->getUses()))
        if (isa<memref::DeallocOp>(use.getOwner()))
          use.getOwner()->erase();
      alloc.replaceAllUsesWith(arg);
      alloc.erase();
      sizes.push_back(*bytes);
    }
    if (sizes.empty())
      return;
    func.setType(FunctionType::get(&getContext(), entry.getArgumentTypes(),
                                   func.getResultTypes()));
    func->setAttr("strata.transients",
                  DenseI64ArrayAttr::get(&getContext(), sizes));
  }
};

} // namespace
} // namespace mlir::strata

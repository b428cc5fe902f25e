//===- FPContract.cpp - FMA contraction except where marked ---------------===//
//
// Implements strata-cpu-fp-contract. LLVM fuses a multiply and an add into
// an FMA either everywhere (-ffp-contract=fast) or only where both carry
// the `contract` flag; the cpu target uses the second, and this pass sets
// the flag on every float op a lowering did not mark as exact.
//
//===----------------------------------------------------------------------===//

#include "passes/Passes.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"

namespace mlir::strata {
#define GEN_PASS_DEF_STRATACPUFPCONTRACTPASS
#include "passes/Passes.h.inc"
} // namespace mlir::strata

using namespace mlir;

namespace {
struct StrataCpuFPContractPass
    : strata::impl::StrataCpuFPContractPassBase<StrataCpuFPContractPass> {
  void runOnOperation() override {
    getOperation().walk([](Operation *op) {
      if (op->removeAttr(strata::kNoContractAttr))
        return;
      auto fastmath = dyn_cast<LLVM::FastmathFlagsInterface>(op);
      if (!fastmath)
        return;
      op->setAttr(fastmath.getFastmathAttrName(),
                  LLVM::FastmathFlagsAttr::get(
                      op->getContext(), fastmath.getFastmathAttr().getValue() |
                                            LLVM::FastmathFlags::contract));
    });
  }
};
} // namespace

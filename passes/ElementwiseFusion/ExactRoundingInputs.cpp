//===- ExactRoundingInputs.cpp - no FMA in what a rounding reads ----------===//
//
// Implements strata-exact-rounding-inputs. A quantizer (QuantizeLinear,
// DynamicQuantizeLinear, Round) rounds its input to an integer, so one ulp
// of difference in that input can move the result by a whole step, and a
// quantized model repeats that at every layer. The reference runtimes
// compute the float arithmetic before a quantizer (a rescale, a bias) one
// operation at a time; contracting a multiply and an add into an FMA there
// would round differently. This pass marks that arithmetic exact, before
// fusion mixes it with other ops.
//
//===----------------------------------------------------------------------===//

#include "passes/Passes.h"

#include "llvm/ADT/DenseSet.h"

namespace mlir::strata {
#define GEN_PASS_DEF_STRATAEXACTROUNDINGINPUTSPASS
#include "passes/Passes.h.inc"
} // namespace mlir::strata

using namespace mlir;

/// Whether `generic` maps element to element: only parallel loops, so its
/// arithmetic feeds the rounding one operation at a time.
static bool isElementwise(linalg::GenericOp generic) {
  return generic.getNumLoops() == generic.getNumParallelLoops();
}

static bool rounds(linalg::GenericOp generic) {
  return llvm::any_of(generic.getBody()->getOperations(), [](Operation &op) {
    return isa<math::RoundEvenOp, math::RoundOp>(op);
  });
}

namespace {
struct StrataExactRoundingInputsPass
    : strata::impl::StrataExactRoundingInputsPassBase<
          StrataExactRoundingInputsPass> {
  void runOnOperation() override {
    SmallVector<linalg::GenericOp> worklist;
    getOperation()->walk([&](linalg::GenericOp generic) {
      if (isElementwise(generic) && rounds(generic))
        worklist.push_back(generic);
    });
    llvm::DenseSet<Operation *> seen;
    UnitAttr unit = UnitAttr::get(&getContext());
    while (!worklist.empty()) {
      linalg::GenericOp generic = worklist.pop_back_val();
      if (!seen.insert(generic).second)
        continue;
      generic.getBody()->walk([&](arith::ArithFastMathInterface op) {
        op->setAttr(strata::kNoContractAttr, unit);
      });
      // Upstream through elementwise producers; a contraction, reduction or
      // data movement op ends the chain.
      for (Value input : generic.getDpsInputs())
        if (auto producer = input.getDefiningOp<linalg::GenericOp>())
          if (isElementwise(producer))
            worklist.push_back(producer);
    }
  }
};
} // namespace

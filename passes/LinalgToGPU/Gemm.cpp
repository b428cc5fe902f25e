//===- Gemm.cpp - contractions seen as a matrix multiply ------------------===//

#include "passes/LinalgToGPU/Gemm.h"

namespace mlir::strata {

FailureOr<GemmLoops> inferGemmLoops(linalg::LinalgOp op) {
  if (op.getNumDpsInputs() != 2 || op.getNumDpsInits() != 1 ||
      op->getNumRegions() != 1 || !op.getBlock() ||
      op.getBlock()->getNumArguments() != 3 ||
      !op.getBlock()->getOps<linalg::IndexOp>().empty())
    return failure();
  for (Type type : op.getBlock()->getArgumentTypes())
    if (!type.isIntOrFloat() || type.isInteger(1))
      return failure();
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  if (llvm::any_of(maps, [](AffineMap map) { return map.getNumSymbols(); }) ||
      !maps[2].isProjectedPermutation())
    return failure();
  GemmLoops loops;
  for (auto [d, iterator] : llvm::enumerate(op.getIteratorTypesArray())) {
    bool inA = maps[0].isFunctionOfDim(d), inB = maps[1].isFunctionOfDim(d),
         inC = maps[2].isFunctionOfDim(d);
    if (iterator == utils::IteratorType::reduction) {
      if (inC || (!inA && !inB))
        return failure();
      loops.k.push_back(d);
    } else if (inA && inB && inC) {
      loops.batch.push_back(d);
    } else if (inA && !inB && inC) {
      loops.m.push_back(d);
    } else if (inB && !inA && inC) {
      loops.n.push_back(d);
    } else {
      return failure();
    }
  }
  if (loops.m.empty() || loops.n.empty() || loops.k.empty())
    return failure();
  return loops;
}

} // namespace mlir::strata

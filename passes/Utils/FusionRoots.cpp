//===- FusionRoots.cpp - which linalg ops tile, and which fuse ------------===//

#include "passes/Utils/FusionRoots.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Interfaces/LoopLikeInterface.h"

namespace mlir::strata {

bool inLoop(Operation *op) {
  return op->getParentOfType<LoopLikeOpInterface>() != nullptr;
}

bool FusionRoots::fusesIntoConsumer(Operation *producer) const {
  if (isa<tensor::PadOp>(producer))
    return false;
  return !isa<linalg::LinalgOp>(producer) || fusible.contains(producer);
}

FusionRoots findFusionRoots(func::FuncOp func) {
  FusionRoots result;
  func.walk([&](linalg::LinalgOp op) {
    if (isa<linalg::FillOp>(op)) {
      result.fusible.insert(op);
      return;
    }
    if (!op->hasOneUse())
      return;
    OpOperand &use = *op->use_begin();
    auto user = dyn_cast<linalg::LinalgOp>(use.getOwner());
    if (user && user.getMatchingIndexingMap(&use).isPermutation())
      result.fusible.insert(op);
  });
  func.walk([&](linalg::LinalgOp op) {
    if (op.hasPureTensorSemantics() && !inLoop(op) &&
        !result.fusible.contains(op))
      result.roots.push_back(op);
  });
  return result;
}

FailureOr<scf::SCFTileAndFuseResult>
tileAndFuseRoot(RewriterBase &rewriter, linalg::LinalgOp root,
                scf::SCFTilingOptions tiling, const FusionRoots &roots,
                function_ref<bool(Operation *)> fuse) {
  rewriter.setInsertionPoint(root);
  tiling.setLoopType(scf::SCFTilingOptions::LoopType::ForallOp);
  scf::SCFTileAndFuseOptions options;
  options.setTilingOptions(tiling);
  options.setFusionControlFn(
      [&](tensor::ExtractSliceOp, OpResult producer, bool)
          -> std::optional<scf::SCFTileAndFuseOptions::ControlFnResult> {
        Operation *op = producer.getOwner();
        if (!roots.fusesIntoConsumer(op) || (fuse && !fuse(op)))
          return std::nullopt;
        return scf::SCFTileAndFuseOptions::ControlFnResult{};
      });
  FailureOr<scf::SCFTileAndFuseResult> result =
      scf::tileConsumerAndFuseProducersUsingSCF(
          rewriter, cast<TilingInterface>(root.getOperation()), options);
  if (failed(result))
    return failure();
  for (OpResult res : root->getResults())
    if (Value replacement = result->replacements.lookup(res))
      rewriter.replaceAllUsesWith(res, replacement);
  return result;
}

} // namespace mlir::strata

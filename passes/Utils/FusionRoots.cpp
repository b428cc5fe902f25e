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

bool isFill(Operation *op) {
  if (isa<linalg::FillOp>(op))
    return true;
  auto generic = dyn_cast<linalg::GenericOp>(op);
  if (!generic || generic.getNumDpsInputs() != 0 ||
      generic.getNumDpsInits() != 1 || generic.getNumReductionLoops() != 0)
    return false;
  Block *body = generic.getBlock();
  if (!llvm::hasSingleElement(*body))
    return false;
  Value yielded = body->getTerminator()->getOperand(0);
  return yielded.getParentRegion() != &generic.getRegion();
}

bool readsOncePerTile(OpOperand &use) {
  auto consumer = dyn_cast<linalg::LinalgOp>(use.getOwner());
  if (!consumer)
    return false;
  AffineMap map = consumer.getMatchingIndexingMap(&use);
  if (map.isPermutation())
    return true;
  auto producer = use.get().getDefiningOp<linalg::LinalgOp>();
  return producer && producer.getNumReductionLoops() == 0 &&
         consumer.isDpsInit(&use) && map.isProjectedPermutation();
}

FusionRoots findFusionRoots(func::FuncOp func,
                            const llvm::DenseSet<Operation *> &unfused) {
  FusionRoots result;
  func.walk([&](linalg::LinalgOp op) {
    if (unfused.contains(op))
      return;
    if (isFill(op)) {
      result.fusible.insert(op);
      return;
    }
    if (!op->hasOneUse())
      return;
    if (readsOncePerTile(*op->use_begin()))
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

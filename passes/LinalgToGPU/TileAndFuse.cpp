//===- TileAndFuse.cpp - one output element per GPU invocation ------------===//
//
// A dispatch region computes its roots' results; tiling each root to one
// element per iteration of an `scf.forall`, with its producers fused in,
// turns the region into one loop whose iterations are independent, which
// strata-gpu-distribute hands to workgroups and invocations.
//
//===----------------------------------------------------------------------===//

#include "passes/Passes.h"
#include "passes/Utils/FusionRoots.h"

#include "mlir/IR/PatternMatch.h"

namespace mlir::strata {

#define GEN_PASS_DEF_STRATAGPUTILEANDFUSEPASS
#include "passes/Passes.h.inc"

namespace {

struct StrataGpuTileAndFusePass
    : impl::StrataGpuTileAndFusePassBase<StrataGpuTileAndFusePass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    IRRewriter rewriter(&getContext());
    // A splat tensor is a fill, which fuses and needs no constant in
    // device memory.
    func.walk([&](arith::ConstantOp constant) {
      auto splat = dyn_cast<SplatElementsAttr>(constant.getValue());
      auto type = dyn_cast<RankedTensorType>(constant.getType());
      if (!splat || !type || !type.hasStaticShape())
        return;
      rewriter.setInsertionPoint(constant);
      Location loc = constant.getLoc();
      Value scalar = arith::ConstantOp::create(
          rewriter, loc, cast<TypedAttr>(splat.getSplatValue<Attribute>()));
      Value empty = tensor::EmptyOp::create(rewriter, loc, type.getShape(),
                                            type.getElementType());
      rewriter.replaceOp(constant,
                         linalg::FillOp::create(rewriter, loc, scalar, empty));
    });
    FusionRoots roots = findFusionRoots(func);
    for (linalg::LinalgOp root : llvm::reverse(roots.roots)) {
      if (llvm::any_of(root.getStaticLoopRanges(), ShapedType::isDynamic))
        continue;
      SmallVector<int64_t> sizes;
      for (utils::IteratorType type : root.getIteratorTypesArray())
        sizes.push_back(type == utils::IteratorType::parallel ? 1 : 0);
      if (llvm::all_of(sizes, [](int64_t size) { return size == 0; }))
        continue;
      scf::SCFTilingOptions tiling;
      tiling.setTileSizes(getAsIndexOpFoldResult(&getContext(), sizes));
      // A root that does not tile stays whole: a loop nest of its own.
      (void)tileAndFuseRoot(rewriter, root, tiling, roots);
    }
  }
};

} // namespace
} // namespace mlir::strata

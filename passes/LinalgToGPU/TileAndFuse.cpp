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

/// `pad` as one elementwise op over its result: each element is the
/// input's where it falls inside the input, else the padding value.
LogicalResult padAsElementwise(RewriterBase &rewriter, tensor::PadOp pad) {
  Value padding = pad.getConstantPaddingValue();
  RankedTensorType type = pad.getResultType();
  RankedTensorType sourceType = pad.getSourceType();
  std::optional<SmallVector<int64_t>> low =
      getConstantIntValues(pad.getMixedLowPad());
  if (!padding || !low || !type.hasStaticShape() ||
      !sourceType.hasStaticShape())
    return failure();
  Location loc = pad.getLoc();
  rewriter.setInsertionPoint(pad);
  Value empty = tensor::EmptyOp::create(rewriter, loc, type.getShape(),
                                        type.getElementType());
  int64_t rank = type.getRank();
  SmallVector<AffineMap> maps = {rewriter.getMultiDimIdentityMap(rank)};
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  Value source = pad.getSource();
  auto generic = linalg::GenericOp::create(
      rewriter, loc, type, ValueRange{}, ValueRange{empty}, maps, iterators,
      [&](OpBuilder &b, Location loc, ValueRange) {
        Value zero = arith::ConstantIndexOp::create(b, loc, 0);
        Value inside = arith::ConstantIntOp::create(b, loc, 1, 1);
        SmallVector<Value> indices;
        for (int64_t d = 0; d < rank; ++d) {
          Value index = arith::SubIOp::create(
              b, loc, linalg::IndexOp::create(b, loc, d),
              arith::ConstantIndexOp::create(b, loc, (*low)[d]));
          Value above = arith::CmpIOp::create(
              b, loc, arith::CmpIPredicate::sge, index, zero);
          Value below = arith::CmpIOp::create(
              b, loc, arith::CmpIPredicate::slt, index,
              arith::ConstantIndexOp::create(b, loc, sourceType.getDimSize(d)));
          Value within = arith::AndIOp::create(b, loc, above, below);
          inside = arith::AndIOp::create(b, loc, inside, within);
          indices.push_back(
              arith::SelectOp::create(b, loc, within, index, zero));
        }
        Value element = tensor::ExtractOp::create(b, loc, source, indices);
        linalg::YieldOp::create(
            b, loc,
            ValueRange{arith::SelectOp::create(b, loc, inside, element,
                                               padding)});
      });
  rewriter.replaceOp(pad, generic.getResults());
  return success();
}

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
    // A pad, whole, is a fill then a copy: two steps, which the GPU runs
    // on one workgroup. As one elementwise op it tiles like any root.
    SmallVector<tensor::PadOp> pads;
    func.walk([&](tensor::PadOp pad) {
      if (!inLoop(pad))
        pads.push_back(pad);
    });
    for (tensor::PadOp pad : pads)
      (void)padAsElementwise(rewriter, pad);
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

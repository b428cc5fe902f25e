//===- TileAndVectorize.cpp - cpu tiling, fusion and vectorization --------===//
//
// Upstream TilingInterface tile-and-fuse and linalg::vectorize, driven by a
// cost model that only needs the vector width: static tiles whose innermost
// dimension fills vector registers and whose contraction tiles keep a block
// of accumulators in registers.
//
//===----------------------------------------------------------------------===//

#include "passes/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Hoisting.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Interfaces/TilingInterface.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::strata {

#define GEN_PASS_DEF_STRATATILEANDVECTORIZEPASS
#define GEN_PASS_DEF_STRATAHOISTVECTORTRANSFERSPASS
#include "passes/Passes.h.inc"

namespace {

/// The largest divisor of `size` that is at most `limit`, preferring
/// multiples of `quantum`.
int64_t divisorUpTo(int64_t size, int64_t limit, int64_t quantum = 1) {
  int64_t best = 1;
  for (int64_t t = std::min(size, limit); t >= 1; --t) {
    if (size % t)
      continue;
    if (t % quantum == 0)
      return t;
    best = std::max(best, t);
  }
  return best;
}

/// The loop a result expression of `map` reads, or -1.
int64_t loopOf(AffineMap map, int64_t result) {
  if (result < 0 || result >= map.getNumResults())
    return -1;
  if (auto dim = dyn_cast<AffineDimExpr>(map.getResult(result)))
    return dim.getPosition();
  return -1;
}

/// The most elements a vectorized tile may have: 16 registers of 16 lanes.
constexpr int64_t kMaxVectorElements = 256;

struct TileSizes {
  SmallVector<int64_t> parallel;  // first level: parallel loops, 0 = untiled
  SmallVector<int64_t> reduction; // second level: the reductions
};

/// The cost model. Tiles are static and divide the loop ranges.
TileSizes chooseTileSizes(linalg::LinalgOp op, int64_t lanes) {
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  int64_t loops = ranges.size();
  TileSizes sizes{SmallVector<int64_t>(loops, 0),
                  SmallVector<int64_t>(loops, 0)};
  AffineMap out = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
  int64_t rank = out.getNumResults();
  int64_t inner = loopOf(out, rank - 1), outer = -1;
  bool reduces = op.getNumReductionLoops() > 0;
  // The register block's rows: the innermost output loop that some input
  // read along `inner` does not use (matmul's m, a convolution's output
  // channel), so each loaded vector meets every row.
  for (int64_t r = rank - 2; r >= 0 && reduces && outer < 0; --r) {
    int64_t loop = loopOf(out, r);
    if (loop < 0 || ranges[loop] == 1)
      continue;
    for (OpOperand *input : op.getDpsInputOperands()) {
      AffineMap map = op.getMatchingIndexingMap(input);
      if (map.isFunctionOfDim(inner) && !map.isFunctionOfDim(loop))
        outer = loop;
    }
  }
  for (int64_t i = 0; i < loops; ++i) {
    if (op.getIteratorTypesArray()[i] == utils::IteratorType::reduction) {
      sizes.reduction[i] = 1;
      continue;
    }
    if (i == inner)
      // A few vectors wide: enough independent accumulators for the FMA
      // pipes, few enough to stay in registers.
      sizes.parallel[i] = divisorUpTo(ranges[i], (reduces ? 2 : 4) * lanes,
                                      lanes);
    else if (i == outer && reduces)
      sizes.parallel[i] = divisorUpTo(ranges[i], 6);
    else
      sizes.parallel[i] = 1;
  }
  return sizes;
}

/// Tiling computes a slice's extent through the indexing maps, which is
/// wrong for maps that run backwards (a flipped kernel reads `k - 1 - d`).
bool hasReversedAccess(linalg::LinalgOp op) {
  bool reversed = false;
  for (AffineMap map : op.getIndexingMapsArray())
    for (AffineExpr expr : map.getResults())
      expr.walk([&](AffineExpr e) {
        auto mul = dyn_cast<AffineBinaryOpExpr>(e);
        if (!mul || mul.getKind() != AffineExprKind::Mul)
          return;
        if (auto c = dyn_cast<AffineConstantExpr>(mul.getRHS());
            c && c.getValue() < 0)
          reversed = true;
      });
  return reversed;
}

/// Vectors of i1 are bit-packed in LLVM while memrefs of i1 hold a byte per
/// element, so ops touching booleans stay scalar.
bool touchesBooleans(linalg::LinalgOp op) {
  auto isBool = [](Type type) {
    return getElementTypeOrSelf(type).isInteger(1);
  };
  return llvm::any_of(op->getOperandTypes(), isBool) ||
         llvm::any_of(op->getResultTypes(), isBool) ||
         llvm::any_of(op.getBlock()->getArgumentTypes(), isBool);
}

/// An elementwise root whose operand comes from a contraction (a bias add
/// or activation after a matmul or convolution) takes the contraction's
/// tiles, so that the fused tile is shaped for the expensive op.
std::optional<SmallVector<int64_t>> producerTiles(linalg::LinalgOp root,
                                                  int64_t lanes) {
  AffineMap rootOut = root.getMatchingIndexingMap(root.getDpsInitOperand(0));
  if (root.getNumReductionLoops() > 0 || !rootOut.isIdentity())
    return std::nullopt;
  for (Value input : root.getDpsInputs()) {
    auto producer = input.getDefiningOp<linalg::LinalgOp>();
    if (!producer || producer.getNumReductionLoops() == 0 ||
        root.getMatchingIndexingMap(root.getDpsInputOperand(0)) != rootOut)
      continue;
    AffineMap out =
        producer.getMatchingIndexingMap(producer.getDpsInitOperand(0));
    if (out.getNumResults() != rootOut.getNumResults())
      continue;
    TileSizes sizes = chooseTileSizes(producer, lanes);
    SmallVector<int64_t> tiles;
    for (int64_t r = 0; r < out.getNumResults(); ++r) {
      int64_t loop = loopOf(out, r);
      if (loop < 0)
        return std::nullopt;
      tiles.push_back(sizes.parallel[loop]);
    }
    return tiles;
  }
  return std::nullopt;
}

SmallVector<OpFoldResult> asFoldResults(OpBuilder &b, ArrayRef<int64_t> v) {
  SmallVector<OpFoldResult> result;
  for (int64_t x : v)
    result.push_back(b.getIndexAttr(x));
  return result;
}

struct StrataTileAndVectorizePass
    : impl::StrataTileAndVectorizePassBase<StrataTileAndVectorizePass> {
  using Base::Base;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    int64_t lanes = std::max<int64_t>(1, vectorBits / 32);
    IRRewriter rewriter(&getContext());

    // Roots: linalg ops whose results are not consumed by another linalg op
    // (those get fused into their consumer's tiles), last first.
    SmallVector<linalg::LinalgOp> roots;
    // Ops fused into their consumer's tiles: fills (cheap to recompute per
    // tile) and ops whose only user is a linalg op.
    llvm::DenseSet<Operation *> fusible;
    func.walk([&](linalg::LinalgOp op) {
      if (isa<linalg::FillOp>(op) ||
          (op->hasOneUse() && isa<linalg::LinalgOp>(*op->user_begin())))
        fusible.insert(op);
    });
    func.walk([&](linalg::LinalgOp op) {
      if (!op.hasPureTensorSemantics() || op->getParentOfType<scf::ForOp>())
        return;
      // Anything not fused into a consumer (several users, a pad, a
      // return) is a root.
      if (!fusible.contains(op))
        roots.push_back(op);
    });

    SmallVector<linalg::LinalgOp> tiled;
    for (linalg::LinalgOp root : llvm::reverse(roots)) {
      if (llvm::any_of(root.getStaticLoopRanges(), ShapedType::isDynamic) ||
          hasReversedAccess(root))
        continue;
      TileSizes sizes = chooseTileSizes(root, lanes);
      if (std::optional<SmallVector<int64_t>> inherited =
              producerTiles(root, lanes))
        sizes.parallel = *inherited;
      rewriter.setInsertionPoint(root);
      scf::SCFTilingOptions tiling;
      tiling.setTileSizes(asFoldResults(rewriter, sizes.parallel));
      scf::SCFTileAndFuseOptions options;
      options.setTilingOptions(tiling);
      options.setFusionControlFn(
          [&](tensor::ExtractSliceOp, OpResult producer, bool)
              -> std::optional<scf::SCFTileAndFuseOptions::ControlFnResult> {
            // A pad fused into a tile pads every tile, with dynamic sizes
            // that defeat vectorization; it is cheaper once, whole.
            if (isa<tensor::PadOp>(producer.getOwner()))
              return std::nullopt;
            // A producer with other users is a root of its own; fusing it
            // would compute it twice.
            auto linalgOp = dyn_cast<linalg::LinalgOp>(producer.getOwner());
            if (linalgOp && (!fusible.contains(linalgOp) ||
                             hasReversedAccess(linalgOp)))
              return std::nullopt;
            return scf::SCFTileAndFuseOptions::ControlFnResult{};
          });
      FailureOr<scf::SCFTileAndFuseResult> result =
          scf::tileConsumerAndFuseProducersUsingSCF(
              rewriter, cast<TilingInterface>(root.getOperation()), options);
      if (failed(result))
        continue;
      for (OpResult res : root->getResults())
        if (Value replacement = result->replacements.lookup(res))
          rewriter.replaceAllUsesWith(res, replacement);
      for (Operation *op : result->tiledAndFusedOps)
        if (auto linalgOp = dyn_cast<linalg::LinalgOp>(op))
          tiled.push_back(linalgOp);
    }

    // Reductions to 1 inside the tile.
    for (linalg::LinalgOp op : tiled) {
      if (!op->getBlock() || op.getNumReductionLoops() == 0)
        continue;
      TileSizes sizes = chooseTileSizes(op, lanes);
      rewriter.setInsertionPoint(op);
      scf::SCFTilingOptions tiling;
      tiling.setTileSizes(asFoldResults(rewriter, sizes.reduction));
      FailureOr<scf::SCFTilingResult> result = scf::tileUsingSCF(
          rewriter, cast<TilingInterface>(op.getOperation()), tiling);
      if (succeeded(result))
        rewriter.replaceOp(op, result->replacements);
    }

    // Drop the unit loops of the tiles, so that a window read such as
    // `ow + kw` with kw of extent 1 becomes a plain `ow` the vectorizer takes.
    linalg::ControlDropUnitDims dropUnitDims;
    dropUnitDims.rankReductionStrategy = linalg::ControlDropUnitDims::
        RankReductionStrategy::ExtractInsertSlice;
    dropUnitDims.controlFn = [](Operation *op) -> SmallVector<unsigned> {
      auto generic = dyn_cast<linalg::GenericOp>(op);
      if (!generic || !op->getParentOfType<scf::ForOp>())
        return {};
      return llvm::to_vector(llvm::seq<unsigned>(0, generic.getNumLoops()));
    };
    RewritePatternSet patterns(&getContext());
    linalg::populateFoldUnitExtentDimsPatterns(patterns, dropUnitDims);
    if (failed(applyPatternsGreedily(func, std::move(patterns))))
      return signalPassFailure();

    // Vectorize the static tiles.
    SmallVector<linalg::LinalgOp> candidates;
    func.walk([&](linalg::LinalgOp op) {
      if (!op->getParentOfType<scf::ForOp>() || !op.hasPureTensorSemantics() ||
          touchesBooleans(op))
        return;
      // Only register-sized tiles: an op whose tiling failed keeps its full
      // extent, and vectorizing that unrolls into enormous vectors.
      int64_t elements = 1;
      for (int64_t range : op.getStaticLoopRanges()) {
        if (ShapedType::isDynamic(range))
          return;
        elements *= range;
      }
      if (elements <= kMaxVectorElements)
        candidates.push_back(op);
    });
    for (linalg::LinalgOp op : candidates) {
      rewriter.setInsertionPoint(op);
      FailureOr<linalg::VectorizationResult> vectorized =
          linalg::vectorize(rewriter, op);
      if (succeeded(vectorized))
        rewriter.replaceOp(op, vectorized->replacements);
    }
  }
};

struct StrataHoistVectorTransfersPass
    : impl::StrataHoistVectorTransfersPassBase<StrataHoistVectorTransfersPass> {
  void runOnOperation() override {
    linalg::hoistRedundantVectorTransfers(getOperation());
  }
};

} // namespace
} // namespace mlir::strata
